"""The proof report: data (JSON-serialisable dataclasses), the terminal text, the JSON
dict, and the starter hints.toml of words heard wrong more than once."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import ProofError
from .score import Repeated, Score, Sentence, SentenceTally, repeated_mishearings, sentence_score

DEFAULT_WORST = 10
WORST_MIN_WORDS = 5  # ranking the worst: a shorter sentence counts as this many words
CAVEAT = (
    "Whisper base hears worse than a person: this compares voices and finds suspects, "
    "it does not certify a book."
)
TEXT_MAX_CHARS = 160  # format_report: longer written/heard texts are cut


@dataclass(frozen=True)
class SentenceProof:
    id: str  # CC-PPP-SSS, the prefix of its chunk ids
    chapter: int
    start_ms: int  # in the book MP3, as in manifest.json
    end_ms: int
    start: str  # hh:mm:ss
    end: str
    written: str  # the manifest's text
    expected: str  # the written text normalised: what a perfect listener would write
    heard: str  # what Whisper heard, normalised the same way
    score: Score


@dataclass(frozen=True)
class ChapterProof:
    index: int
    title: str
    start_ms: int
    end_ms: int
    sentences: int
    score: Score


@dataclass(frozen=True)
class HeardAs:
    text: str
    count: int


@dataclass(frozen=True)
class Mishearing:
    """A written word heard wrong at least twice: a candidate hints.toml entry."""

    written: str
    count: int  # times heard wrong
    occurrences: int  # times written in the sentences proofed
    heard: tuple[HeardAs, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ProofReport:
    title: str
    out_dir: str
    book_file: str
    engine: str  # "espeak 1.51, voice fr"
    model: str  # the model folder Whisper was loaded from
    audio_ms: int  # audio transcribed (windows, edges included)
    seconds: float  # wall-clock time of the proof
    score: Score  # the chapters proofed, together
    chapters: tuple[ChapterProof, ...]
    sentences: tuple[SentenceProof, ...]  # every sentence proofed, in book order
    worst: tuple[SentenceProof, ...]  # the worst first
    mishearings: tuple[Mishearing, ...]  # most frequent first
    caveat: str = CAVEAT


def timecode(ms: float) -> str:
    s = max(0, int(ms // 1000))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _sentence(s: Sentence, tally: SentenceTally) -> SentenceProof:
    return SentenceProof(
        s.id, s.chapter, s.start_ms, s.end_ms, timecode(s.start_ms), timecode(s.end_ms),
        s.written, " ".join(w.surface for w in tally.expected),
        " ".join(w.surface for w in tally.heard), sentence_score(tally),
    )  # fmt: skip


def _worst(sentences: Sequence[SentenceProof], n: int) -> tuple[SentenceProof, ...]:
    bad = [s for s in sentences if s.score.errors]
    bad.sort(key=lambda s: (-s.score.errors / max(s.score.words, WORST_MIN_WORDS),
                            -s.score.errors, s.start_ms))  # fmt: skip
    return tuple(bad[:n])


def _mishearing(r: Repeated) -> Mishearing:
    heard = tuple(HeardAs(t, n) for t, n in r.heard)
    return Mishearing(r.written, r.count, r.occurrences, heard, r.sentences)


def build_report(
    manifest: dict[str, Any],
    out_dir: Path,
    sentences: Sequence[Sentence],
    tallies: dict[str, SentenceTally],
    *,
    model: Path,
    audio_ms: float,
    seconds: float,
    worst: int = DEFAULT_WORST,
) -> ProofReport:
    proofs = [_sentence(s, tallies.setdefault(s.id, SentenceTally())) for s in sentences]
    chapters = []
    for k, ch in enumerate(manifest["chapters"]):
        index = int(ch.get("index", k + 1))
        mine = [p for p in proofs if p.chapter == index]
        if mine:
            chapters.append(ChapterProof(
                index, str(ch.get("title", "")), int(ch.get("start_ms", mine[0].start_ms)),
                int(ch.get("end_ms", mine[-1].end_ms)), len(mine),
                Score.total(p.score for p in mine),
            ))  # fmt: skip
    engine = manifest.get("engine") or {}
    label = " ".join(str(engine.get(k, "")) for k in ("name", "version")).strip()
    if engine.get("voice"):
        label += f", voice {engine['voice']}"
    return ProofReport(
        str(manifest.get("title", "")), str(out_dir), str(manifest["file"]), label, str(model),
        round(audio_ms), round(seconds, 2), Score.total(c.score for c in chapters),
        tuple(chapters), tuple(proofs), _worst(proofs, worst),
        tuple(_mishearing(r) for r in repeated_mishearings(tallies)),
    )  # fmt: skip


# ---------------------------------------------------------------- output


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_MAX_CHARS else text[: TEXT_MAX_CHARS - 1] + "…"


def format_report(report: ProofReport) -> str:
    """Plain text for a terminal: summary, chapters, worst sentences, repeated mishearings."""
    s = report.score
    speed = report.audio_ms / 1000 / report.seconds if report.seconds else 0.0
    lines = [
        f"{report.title or Path(report.out_dir).name}: WER {_pct(s.wer)}, CER {_pct(s.cer)} "
        f"({s.errors} word errors in {s.words} words: {s.substitutions} substituted, "
        f"{s.deletions} missed, {s.insertions} extra)",
        f"Voice {report.engine or '?'}; heard by {Path(report.model).name} in "
        f"{report.seconds:.0f} s for {timecode(report.audio_ms)} of audio ({speed:.1f}x real "
        "time).",
        CAVEAT,
        "",
        "Chapters:",
    ]
    for c in report.chapters:
        lines.append(
            f"  {c.index:>3}  {timecode(c.start_ms)}  WER {_pct(c.score.wer):>7}  "
            f"CER {_pct(c.score.cer):>7}  {c.score.words:>6} words  {c.title}"
        )
    lines += ["", f"Worst sentences ({len(report.worst)}):"]
    if not report.worst:
        lines.append("  none: every sentence was heard as written.")
    for w in report.worst:
        lines += [
            f"  {w.start}  {w.id}  WER {_pct(w.score.wer)} ({w.score.errors} errors in "
            f"{w.score.words} words)",
            f"    written: {_cut(w.written)}",
            f"    heard:   {_cut(w.heard) or '(nothing)'}",
        ]
    lines += ["", "Heard wrong more than once (candidate hints.toml entries):"]
    if not report.mishearings:
        lines.append("  none.")
    for m in report.mishearings:
        heard = ", ".join(f'"{h.text}" {h.count}x' for h in m.heard)
        lines.append(f"  {m.written}  {m.count} of {m.occurrences}x  heard as {heard}")
    return "\n".join(lines) + "\n"


def report_json(report: ProofReport) -> dict[str, Any]:
    """The report as plain JSON types (lists, dicts, str, int, float)."""
    data: dict[str, Any] = json.loads(json.dumps(asdict(report), ensure_ascii=False))
    return data


def _toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset TOML accepts)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _comment(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


def hints_toml(report: ProofReport) -> str:
    """A starter hints.toml: one [[word]] per repeated mishearing, `say` set to the text
    itself (load_lexicon needs one) until someone writes a French respelling."""
    lines = [
        f"# Starter hints.toml from 'audiobook proof' of {_comment(report.title)}: words",
        "# Whisper heard wrong more than once. " + CAVEAT,
        "# Listen to each one, then write a French respelling in `say` (or add `phonemes`).",
    ]
    if not report.mishearings:
        lines.append("# No written word was heard wrong twice.")
    for m in report.mishearings:
        heard = ", ".join(f'"{h.text}"' + (f" {h.count}x" if h.count > 1 else "")
                          for h in m.heard)  # fmt: skip
        lines += [
            "",
            f"# heard wrong {m.count} of {m.occurrences} times, first in {m.sentences[0]}",
            "[[word]]",
            f"text = {_toml_str(m.written)}",
            f"say = {_toml_str(m.written)}  # heard as {_comment(heard)}",
        ]
    return "\n".join(lines) + "\n"


def write_hints(path: Path, report: ProofReport) -> None:
    """Write hints_toml(report) to `path`, never over an existing file (it may hold
    reviewed respellings): written beside it, then linked into place, which fails if a
    file appeared meanwhile. Raises ProofError if `path` exists or cannot be written."""
    if path.exists() or path.is_symlink():
        raise ProofError(f"{path} exists; not overwriting it. Remove it or choose another path.")
    data = hints_toml(report).encode("utf-8")
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ProofError(f"cannot write {path}: {exc.strerror or exc}.") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.link(tmp, path)  # atomic, and never replaces an existing file
    except FileExistsError:
        raise ProofError(f"{path} exists; not overwriting it.") from None
    except OSError as exc:
        raise ProofError(f"cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        tmp.unlink(missing_ok=True)
