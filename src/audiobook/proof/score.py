"""From a manifest and what Whisper heard to scores: windows to transcribe, alignment of
each window with its own known text, per-sentence tallies, repeated mishearings.

Pure functions and plain data: no audio, no model (book.py does the listening)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..text.words import zipf
from .align import Step, align_words, char_distance
from .normalize import Word, fold, headword, words

MAX_WINDOW_MS = 29_000  # speech in one window; with its edges it stays within Whisper's 30 s
EDGE_MS = 200  # audio kept before/after a window, at most half the pause to the next chunk
SENTENCE_ID_RE = re.compile(r"^(\d+-\d+-\d+)-\d+$")  # chunk CC-PPP-SSS-NN -> CC-PPP-SSS
MIN_HINT_LETTERS = 3  # shorter written words (articles, "et", "a") are not hint candidates
MIN_REPEATS = 2  # a written word heard wrong this often is a candidate hint ...
MIN_RATE = 0.5  # ... in at least this share of its occurrences ...
MAX_ZIPF = 5.5  # ... and rarer than this in French: a hint for "nous" or "pas" would
# respell the whole book, and Whisper's misses of such words are context, not the voice


# ---------------------------------------------------------------- what is known


@dataclass(frozen=True)
class Sentence:
    """One sentence of the book, as the manifest records it."""

    id: str  # CC-PPP-SSS
    chapter: int  # 1-based, as in the manifest
    start_ms: int
    end_ms: int
    written: str


@dataclass(frozen=True)
class Piece:
    """One chunk's words, owned by its sentence."""

    sentence: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Window:
    """A stretch of the book MP3 transcribed in one go (cut at chunk boundaries)."""

    chapter: int
    start_ms: float  # audio to decode, edges included
    end_ms: float
    pieces: tuple[Piece, ...]

    @property
    def duration_ms(self) -> float:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class _Chunk:
    id: str
    sentence: str
    text: str
    start_ms: int
    end_ms: int


def sentence_id(chunk_id: str) -> str:
    m = SENTENCE_ID_RE.match(chunk_id)
    return m.group(1) if m else chunk_id


def _chunks(chapter: dict[str, Any]) -> list[_Chunk]:
    out = []
    for c in chapter["chunks"]:
        cid = str(c["id"])
        out.append(
            _Chunk(cid, sentence_id(cid), str(c["text"]), int(c["start_ms"]), int(c["end_ms"]))
        )
    return out


def _edges(all_chunks: Sequence[_Chunk], duration_ms: float) -> dict[str, tuple[float, float]]:
    """Per chunk id, how much audio may be taken before and after it."""
    edges = {}
    for k, c in enumerate(all_chunks):
        prev_end = all_chunks[k - 1].end_ms if k else 0.0
        next_start = all_chunks[k + 1].start_ms if k + 1 < len(all_chunks) else duration_ms
        before = max(0.0, min(EDGE_MS, (c.start_ms - prev_end) / 2))
        after = max(0.0, min(EDGE_MS, (next_start - c.end_ms) / 2))
        edges[c.id] = (before, after)
    return edges


def _units(chunks: Sequence[_Chunk]) -> list[list[_Chunk]]:
    """Whole sentences; a sentence longer than a window is cut between its chunks."""
    sentences: list[list[_Chunk]] = []
    for c in chunks:
        if sentences and sentences[-1][-1].sentence == c.sentence:
            sentences[-1].append(c)
        else:
            sentences.append([c])
    units: list[list[_Chunk]] = []
    for group in sentences:
        unit: list[_Chunk] = []
        for c in group:
            if unit and c.end_ms - unit[0].start_ms > MAX_WINDOW_MS:
                units.append(unit)
                unit = []
            unit.append(c)
        units.append(unit)
    return units


def _pack(units: Sequence[list[_Chunk]]) -> list[list[_Chunk]]:
    windows: list[list[_Chunk]] = []
    for unit in units:
        if windows and unit[-1].end_ms - windows[-1][0].start_ms <= MAX_WINDOW_MS:
            windows[-1].extend(unit)
        else:
            windows.append(list(unit))
    return windows


def plan(
    manifest: dict[str, Any], chapters: Collection[int] | None = None
) -> tuple[list[Window], list[Sentence]]:
    """The windows to transcribe (in time order) and the sentences they cover, for the
    chapters asked (1-based indexes; None: all)."""
    try:
        book_chapters = [(int(ch.get("index", k + 1)), ch) for k, ch in
                         enumerate(manifest["chapters"])]  # fmt: skip
        per_chapter = {index: _chunks(ch) for index, ch in book_chapters}
        duration = float(manifest.get("duration_ms") or 0) or max(
            (c.end_ms for cs in per_chapter.values() for c in cs), default=0
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise InputError(
            "manifest.json has no chunk times (id, text, start_ms, end_ms); rebuild the book "
            "with this version of audiobook."
        ) from None
    known = [index for index, _ in book_chapters]
    if chapters is not None:
        unknown = sorted(set(chapters) - set(known))
        if unknown:
            raise InputError(
                f"no chapter {', '.join(map(str, unknown))} in this book "
                f"(chapters {known[0]} to {known[-1]})."
            )
    edges = _edges([c for index in known for c in per_chapter[index]], duration)
    windows: list[Window] = []
    sentences: list[Sentence] = []
    for index in known:
        if chapters is not None and index not in chapters:
            continue
        chunks = per_chapter[index]
        for group in _pack(_units(chunks)):
            pieces = tuple(Piece(c.sentence, tuple(words(c.text))) for c in group)
            start = group[0].start_ms - edges[group[0].id][0]
            end = group[-1].end_ms + edges[group[-1].id][1]
            windows.append(Window(index, start, end, pieces))
        for unit in _units(chunks):
            first, last = unit[0], unit[-1]
            text = " ".join(c.text.strip() for c in unit)
            if sentences and sentences[-1].id == first.sentence:  # a sentence cut in units
                prev = sentences.pop()
                first_ms, text = prev.start_ms, f"{prev.written} {text}"
            else:
                first_ms = first.start_ms
            sentences.append(Sentence(first.sentence, index, first_ms, last.end_ms, text))
    return windows, sentences


# ---------------------------------------------------------------- what was heard


@dataclass
class SentenceTally:
    """Everything aligned to one sentence so far (a long sentence spans windows)."""

    expected: list[Word] = field(default_factory=list)
    heard: list[Word] = field(default_factory=list)
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    misheard: list[tuple[Word, tuple[Word, ...]]] = field(default_factory=list)


def _misheard_pairs(
    run: Sequence[Step], ref: Sequence[Word], hyp: Sequence[Word]
) -> list[tuple[int, tuple[Word, ...]]]:
    """(ref index, words heard instead) for one run of consecutive errors. One written
    word in the run takes everything heard there ("Dittmann" -> "dit mane"); as many
    heard words as written ones pair up in order; otherwise each substitution takes the
    insertions after it."""
    refs = [s.ref for s in run if s.ref is not None]
    hyps = [s.hyp for s in run if s.hyp is not None]
    if not hyps:
        return []
    if len(refs) == 1:
        return [(refs[0], tuple(hyp[j] for j in hyps))]
    if len(refs) == len(hyps):
        return [(r, (hyp[j],)) for r, j in zip(refs, hyps, strict=True)]
    pairs: list[tuple[int, list[Word]]] = []
    leading: list[Word] = []
    for s in run:
        if s.op == "sub" and s.ref is not None and s.hyp is not None:
            pairs.append((s.ref, [*leading, hyp[s.hyp]]))
            leading = []
        elif s.op == "ins" and s.hyp is not None:
            if pairs:
                pairs[-1][1].append(hyp[s.hyp])
            else:
                leading.append(hyp[s.hyp])
    return [(r, tuple(h)) for r, h in pairs]


def _runs(steps: Sequence[Step]) -> Iterable[list[Step]]:
    run: list[Step] = []
    for s in steps:
        if s.op == "ok":
            if run:
                yield run
            run = []
        else:
            run.append(s)
    if run:
        yield run


def _insertion_owners(steps: Sequence[Step], owner: Sequence[str]) -> list[str | None]:
    """Per step, the sentence an insertion goes to: that of the written word its run of
    errors missed just before it, else the one the run goes on to miss ("Partie un |
    Lorsqu'on" heard "parti un l'autre coup": "l'autre" goes with the garbled
    "Lorsqu'on"), else None (the sentence of the word heard right before it)."""
    before: list[str | None] = []
    last: str | None = None
    for s in steps:
        last = None if s.op == "ok" else owner[s.ref] if s.ref is not None else last
        before.append(last)
    after: list[str | None] = [None] * len(steps)
    nxt: str | None = None
    for k in range(len(steps) - 1, -1, -1):
        s = steps[k]
        nxt = None if s.op == "ok" else owner[s.ref] if s.ref is not None else nxt
        after[k] = nxt
    return [b or a for b, a in zip(before, after, strict=True)]


def add_window(tallies: dict[str, SentenceTally], window: Window, heard_text: str) -> None:
    """Align what was heard in a window with the window's own known text and add the
    result to its sentences. An insertion goes with the written words missed around it
    (see _insertion_owners), else with the word heard right before it (the first
    sentence at the start of the window)."""
    ref: list[Word] = []
    owner: list[str] = []
    for piece in window.pieces:
        tallies.setdefault(piece.sentence, SentenceTally()).expected.extend(piece.words)
        ref.extend(piece.words)
        owner.extend([piece.sentence] * len(piece.words))
    hyp = words(heard_text)
    steps = align_words([w.key for w in ref], [w.key for w in hyp])
    current = owner[0] if owner else window.pieces[0].sentence
    for s, run_owner in zip(steps, _insertion_owners(steps, owner), strict=True):
        if s.ref is not None:
            current = owner[s.ref]
        tally = tallies[current if s.ref is not None else run_owner or current]
        if s.hyp is not None:
            tally.heard.append(hyp[s.hyp])
        if s.op == "sub":
            tally.substitutions += 1
        elif s.op == "del":
            tally.deletions += 1
        elif s.op == "ins":
            tally.insertions += 1
    for run in _runs(steps):
        for r, heard in _misheard_pairs(run, ref, hyp):
            tallies[owner[r]].misheard.append((ref[r], heard))


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class Score:
    """Word and character error counts against the written text, and their rates."""

    words: int  # written words (after normalisation)
    substitutions: int
    deletions: int
    insertions: int
    chars: int  # written characters (normalised words joined by single spaces)
    char_errors: int
    wer: float  # (substitutions + deletions + insertions) / words
    cer: float  # char_errors / chars

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @classmethod
    def of(cls, words: int, sub: int, dele: int, ins: int, chars: int, char_err: int) -> Score:
        return cls(
            words, sub, dele, ins, chars, char_err,
            round((sub + dele + ins) / max(words, 1), 4), round(char_err / max(chars, 1), 4),
        )  # fmt: skip

    @classmethod
    def total(cls, scores: Iterable[Score]) -> Score:
        s = list(scores)
        return cls.of(
            sum(x.words for x in s), sum(x.substitutions for x in s),
            sum(x.deletions for x in s), sum(x.insertions for x in s),
            sum(x.chars for x in s), sum(x.char_errors for x in s),
        )  # fmt: skip


def sentence_score(tally: SentenceTally) -> Score:
    expected = " ".join(w.key for w in tally.expected)
    heard = " ".join(w.key for w in tally.heard)
    return Score.of(
        len(tally.expected), tally.substitutions, tally.deletions, tally.insertions,
        len(expected), char_distance(expected, heard),
    )  # fmt: skip


def wer(written: str, heard: str) -> float:
    """Word error rate of a heard text against a written one, both normalised."""
    tallies: dict[str, SentenceTally] = {}
    add_window(tallies, Window(0, 0, 0, (Piece("s", tuple(words(written))),)), heard)
    return sentence_score(tallies["s"]).wer


@dataclass(frozen=True)
class Repeated:
    """A written word heard wrong MIN_REPEATS times or more."""

    written: str  # its most frequent spelling in the book, without an elided article
    heard: tuple[tuple[str, int], ...]  # what was heard instead, most frequent first
    sentences: tuple[str, ...]  # ids of the sentences it was misheard in
    occurrences: int  # times it is written in the sentences heard

    @property
    def count(self) -> int:
        return sum(n for _, n in self.heard)


def repeated_mishearings(tallies: dict[str, SentenceTally]) -> list[Repeated]:
    """Written words heard wrong MIN_REPEATS times or more, in MIN_RATE of their
    occurrences or more, and not among the most common French words (MAX_ZIPF)."""
    occurrences = Counter(fold(headword(w.surface)) for t in tallies.values() for w in t.expected)
    spellings: dict[str, Counter[str]] = {}
    heard: dict[str, Counter[str]] = {}
    shown: dict[str, dict[str, str]] = {}  # written key -> heard key -> first spelling
    where: dict[str, list[str]] = {}
    for sid, tally in tallies.items():
        for written, instead in tally.misheard:
            head = headword(written.surface)
            key = fold(head)
            heard_text = " ".join(w.surface for w in instead)
            heard_key = fold(headword(heard_text))
            if (
                len(key) < MIN_HINT_LETTERS
                or not key.isalpha()
                or heard_key.rstrip("sx") == key.rstrip("sx")
            ):
                continue  # a short word, or only an elided article or a silent plural lost
            spellings.setdefault(key, Counter())[head] += 1
            heard.setdefault(key, Counter())[heard_key] += 1
            shown.setdefault(key, {}).setdefault(heard_key, heard_text.lower())
            if sid not in where.setdefault(key, []):
                where[key].append(sid)
    found = [
        Repeated(
            spellings[key].most_common(1)[0][0],
            tuple((shown[key][h], n) for h, n in counts.most_common()),
            tuple(where[key]),
            max(occurrences[key], counts.total()),
        )
        for key, counts in heard.items()
        if counts.total() >= MIN_REPEATS
        and counts.total() >= MIN_RATE * occurrences[key]
        and zipf(spellings[key].most_common(1)[0][0].lower(), "fr") < MAX_ZIPF
    ]
    return sorted(found, key=lambda r: (-r.count, -r.count / r.occurrences, fold(r.written)))
