"""`audiobook check`: measure a built output folder against a delivery profile.

Every MP3 (the book and each chapter) is decoded by ffmpeg through a pipe and measured block
by block, so a ten-hour book costs no more memory than a one-minute chapter. The rules come
from the Profile fields (loudness.PROFILES), so a profile change moves the checks with it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from mutagen import MutagenError
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from .audio import ffmpeg, mp3
from .audio.loudness import PROFILES, Measurement, Profile, measure_blocks
from .audio.silence import EdgeSilence
from .errors import AudioError, InputError
from .writers.id3 import read_id3
from .writers.manifest import read_manifest

SILENCE_THRESHOLD_DBFS = -50.0  # a 10 ms window quieter than this counts as silence
SILENCE_WINDOW_MS = 10
TAG_TOLERANCE_MS = 50.0  # CHAP start times vs manifest
DURATION_TOLERANCE_MS = 50.0  # decoded length vs manifest

BOOK, CHAPTER, EXTRA = "book", "chapter", "extra"


@dataclass(frozen=True)
class AudioStats:
    """What check measures in one MP3."""

    loudness: Measurement
    sample_rate: int
    channels: int
    bitrate_kbps: float
    bitrate_mode: str  # "CBR", "VBR" or "unknown", from the Xing/Info tag
    head_silence_ms: float
    tail_silence_ms: float
    duration_ms: float  # ffprobe's


@dataclass(frozen=True)
class CheckRow:
    """One rule applied to one file; `measured` and `limit` are ready to print."""

    file: str
    check: str
    measured: str
    limit: str
    ok: bool


@dataclass(frozen=True)
class FileResult:
    file: str  # relative to the output folder, POSIX separators
    kind: str  # "book", "chapter" or "extra" (an MP3 the manifest does not list)
    stats: AudioStats | None  # None when the file is missing


@dataclass(frozen=True)
class CheckReport:
    """All rows for one output folder under one profile; `.ok` when every row passed."""

    out_dir: Path
    profile: Profile
    files: tuple[FileResult, ...]
    rows: tuple[CheckRow, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def failures(self) -> tuple[CheckRow, ...]:
        return tuple(r for r in self.rows if not r.ok)

    def rows_for(self, file: str) -> tuple[CheckRow, ...]:
        return tuple(r for r in self.rows if r.file == file)


def check_output(out_dir: Path, profile: Profile | None = None) -> CheckReport:
    """Measure every MP3 of a built output folder and check it against a profile.

    `profile` None means the one the build recorded (manifest.json settings.profile.name).
    Loudness, peak, format and bitrate rules apply to the book and to every chapter; head and
    tail silence, maximum length and the track tags apply to chapter files only (they are the
    files ACX takes); the CTOC/CHAP markers are checked on the book. Never raises for a failed
    rule: look at `.ok` and `.failures`, or print `format_table(report)`.

    Raises InputError if the folder or its manifest.json is missing or unreadable, or the
    recorded profile is unknown; AudioError if an MP3 cannot be decoded.
    """
    manifest = read_manifest(out_dir)
    if profile is None:
        profile = _recorded_profile(out_dir, manifest)
    rows: list[CheckRow] = []
    files: list[FileResult] = []
    chapters = manifest.get("chapters") or []
    book_name = str(manifest.get("file") or "")
    listed = [(book_name, BOOK, None)] if book_name else []
    listed += [(str(ch["file"]), CHAPTER, ch) for ch in chapters]
    listed_names = {name for name, _, _ in listed}
    on_disk = sorted(
        p.relative_to(out_dir).as_posix()
        for p in [*out_dir.glob("*.mp3"), *out_dir.glob("chapters/*.mp3")]
        if p.is_file()
    )
    extras = [(name, EXTRA, None) for name in on_disk if name not in listed_names]
    todo = [*listed, *extras]
    present = [out_dir / name for name, _, _ in todo if (out_dir / name).is_file()]
    # Files are independent; ffmpeg decodes in its own process and numpy releases the GIL.
    with ThreadPoolExecutor(max(1, min(len(present), os.cpu_count() or 1))) as pool:
        measured = dict(zip(present, pool.map(measure_mp3, present), strict=True))
    for name, kind, chapter in todo:
        path = out_dir / name
        if path not in measured:
            rows.append(CheckRow(name, "file", "missing", "listed in manifest.json", False))
            files.append(FileResult(name, kind, None))
            continue
        stats = measured[path]
        files.append(FileResult(name, kind, stats))
        if kind == EXTRA:
            rows.append(CheckRow(name, "file", "not in manifest.json", "listed", False))
        rows += _audio_rows(name, stats, profile)
        if kind == CHAPTER:
            assert chapter is not None
            rows += _chapter_rows(name, path, stats, profile, chapter, len(chapters))
            rows.append(_duration_row(name, stats, float(chapter["duration_ms"])))
        elif kind == BOOK:
            rows += _book_tag_rows(name, path, chapters)
            rows.append(_duration_row(name, stats, float(manifest.get("duration_ms", 0))))
    return CheckReport(out_dir, profile, tuple(files), tuple(rows))


def measure_mp3(path: Path) -> AudioStats:
    """Loudness, peaks, silences, format and bitrate of one MP3, decoded in blocks.

    Raises AudioError if mutagen cannot read its header or ffmpeg cannot decode it.
    """
    try:
        info: Any = MP3(str(path)).info  # type: ignore[no-untyped-call]
    except (MutagenError, OSError) as exc:
        raise AudioError(f"{path}: not a readable MP3 ({_one_line(exc)}).") from None
    rate, channels = int(info.sample_rate), int(info.channels)
    silence = EdgeSilence(rate, SILENCE_WINDOW_MS, SILENCE_THRESHOLD_DBFS)
    loudness = measure_blocks(_tracked(ffmpeg.decode_blocks(path, rate), silence), rate)
    if loudness.duration_s == 0:
        raise AudioError(f"{path}: ffmpeg decoded no audio from it.")
    head_ms, tail_ms = silence.result()
    return AudioStats(
        loudness=loudness,
        sample_rate=rate,
        channels=channels,
        bitrate_kbps=float(info.bitrate) / 1000,
        bitrate_mode=_bitrate_mode(path, info.bitrate_mode),
        head_silence_ms=head_ms,
        tail_silence_ms=tail_ms,
        duration_ms=ffmpeg.duration_ms(path),
    )


def format_table(report: CheckReport) -> str:
    """One line per file: name, PASS/FAIL, then its failing checks (or its key numbers),
    and a one-line summary at the end. Plain text, no colour, ready for a terminal or a log."""
    width = max((len(f.file) for f in report.files), default=0)
    lines: list[str] = []
    failed = 0
    for f in report.files:
        bad = [r for r in report.rows_for(f.file) if not r.ok]
        if bad:
            failed += 1
            detail = "; ".join(
                f"{r.check} {r.measured} (want {r.limit})" if r.limit else f"{r.check} {r.measured}"
                for r in bad
            )
        else:
            detail = _key_numbers(f.stats, report.profile) if f.stats else ""
        lines.append(f"{f.file:<{width}}  {'FAIL' if bad else 'PASS'}  {detail}".rstrip())
    n = len(report.files)
    name = report.profile.name
    if failed:
        checks = len(report.failures)
        lines.append(
            f"FAIL: {failed} of {n} files fail the {name} profile "
            f"({checks} failed check{'s' if checks != 1 else ''})."
        )
    else:
        lines.append(f"PASS: all {n} files meet the {name} profile.")
    return "\n".join(lines)


# --- reading the folder ---------------------------------------------------------------------


def _recorded_profile(out_dir: Path, manifest: dict[str, Any]) -> Profile:
    settings = manifest.get("settings") or {}
    name = ((settings.get("profile") or {}) if isinstance(settings, dict) else {}).get("name")
    if name not in PROFILES:
        raise InputError(
            f"{out_dir}/manifest.json records no known profile ({name!r}); "
            f"choose one with --profile ({', '.join(PROFILES)})."
        )
    return PROFILES[str(name)]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- measuring ------------------------------------------------------------------------------


def _tracked(blocks: Iterator[np.ndarray], silence: EdgeSilence) -> Iterator[np.ndarray]:
    """The same blocks, fed to the silence tracker on the way to the meter."""
    for block in blocks:
        silence.feed(block)
        yield block


def _bitrate_mode(path: Path, mutagen_mode: object) -> str:
    """LAME writes an "Info" tag in CBR files and "Xing" in VBR ones; mutagen may say UNKNOWN."""
    tag = mp3.xing_tag(path)
    if tag == b"Info":
        return "CBR"
    if tag == b"Xing":
        return "VBR"
    if mutagen_mode == BitrateMode.CBR:
        return "CBR"
    if mutagen_mode in (BitrateMode.VBR, BitrateMode.ABR):
        return "VBR"
    return "unknown"


# --- rules ----------------------------------------------------------------------------------


def _num(value: float, digits: int = 1) -> str:
    """-16.0 -> "-16", -27.345 -> "-27.3"; -inf stays readable."""
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _within(value: float, lo: float, hi: float) -> bool:
    return not math.isnan(value) and lo <= value <= hi


def _level_rows(name: str, m: Measurement, p: Profile) -> list[CheckRow]:
    """Loudness and peak (LUFS and true peak, or ACX's RMS, sample peak and noise floor)."""
    rows: list[CheckRow] = []
    if p.target_lufs is not None:
        lufs, tolerance = p.target_lufs, p.lufs_tolerance
        rows += [
            CheckRow(name, "loudness", f"{_num(m.integrated_lufs)} LUFS",
                     f"{_num(lufs)} ±{_num(tolerance)}",
                     abs(m.integrated_lufs - lufs) <= tolerance),
            CheckRow(name, "true peak", f"{_num(m.true_peak_db)} dBTP",
                     f"<= {_num(p.peak_max_db)}", m.true_peak_db <= p.peak_max_db),
        ]  # fmt: skip
    else:
        rows.append(CheckRow(name, "peak", f"{_num(m.sample_peak_db)} dBFS",
                             f"<= {_num(p.peak_max_db)}",
                             m.sample_peak_db <= p.peak_max_db))  # fmt: skip
    if p.rms_range_db is not None:
        lo, hi = p.rms_range_db
        rows.append(CheckRow(name, "RMS", f"{_num(m.rms_db)} dB", f"{_num(lo)}..{_num(hi)}",
                             _within(m.rms_db, lo, hi)))  # fmt: skip
    if p.noise_floor_max_db is not None:
        rows.append(CheckRow(name, "noise floor", f"{_num(m.noise_floor_db)} dB",
                             f"<= {_num(p.noise_floor_max_db)}",
                             m.noise_floor_db <= p.noise_floor_max_db))  # fmt: skip
    return rows


def _format_rows(name: str, s: AudioStats, p: Profile) -> list[CheckRow]:
    """Sample rate, channels, bitrate and its mode, as the profile asks."""
    rows = [CheckRow(name, "sample rate", f"{s.sample_rate} Hz", f"{p.sample_rate} Hz",
                     s.sample_rate == p.sample_rate)]  # fmt: skip
    if p.mono_required:
        rows.append(CheckRow(name, "channels", str(s.channels), "1 (mono)", s.channels == 1))
    lo_kbps, hi_kbps = p.bitrate_range_kbps
    # Read back from byte and frame counts: 191.999 is a 192 kbps file.
    rows.append(CheckRow(name, "bitrate", f"{_num(s.bitrate_kbps)} kbps",
                         f"{lo_kbps}..{hi_kbps} kbps",
                         _within(round(s.bitrate_kbps), lo_kbps, hi_kbps)))  # fmt: skip
    if p.cbr_required:
        rows.append(CheckRow(name, "bitrate mode", s.bitrate_mode, "CBR", s.bitrate_mode == "CBR"))
    return rows


def _audio_rows(name: str, s: AudioStats, p: Profile) -> list[CheckRow]:
    """Rules for every MP3: loudness, peak, noise floor, format, bitrate."""
    return _level_rows(name, s.loudness, p) + _format_rows(name, s, p)


def _chapter_rows(
    name: str, path: Path, s: AudioStats, p: Profile, chapter: dict[str, Any], total: int
) -> list[CheckRow]:
    """Room tone at both ends, length, and the tags a player lists the file by."""
    head_lo, head_hi = p.head_s
    tail_lo, tail_hi = p.tail_s
    rows = [
        CheckRow(
            name,
            "head silence",
            f"{_num(s.head_silence_ms / 1000, 2)} s",
            f"{_num(head_lo, 2)}..{_num(head_hi, 2)} s",
            _within(s.head_silence_ms / 1000, head_lo, head_hi),
        ),
        CheckRow(
            name,
            "tail silence",
            f"{_num(s.tail_silence_ms / 1000, 2)} s",
            f"{_num(tail_lo, 2)}..{_num(tail_hi, 2)} s",
            _within(s.tail_silence_ms / 1000, tail_lo, tail_hi),
        ),
    ]
    if p.max_file_minutes is not None:
        minutes = s.duration_ms / 60_000
        rows.append(
            CheckRow(
                name,
                "length",
                f"{_num(minutes)} min",
                f"<= {_num(p.max_file_minutes)} min",
                minutes <= p.max_file_minutes,
            )
        )
    tags = read_id3(path)
    want_title = str(chapter.get("title", ""))
    want_track = f"{chapter.get('index')}/{total}"
    rows += [
        _tag_row(name, "title tag", _frame_text(tags, "TIT2"), want_title),
        _tag_row(name, "track tag", _frame_text(tags, "TRCK"), want_track),
    ]
    return rows


def _tag_row(name: str, check: str, got: str | None, want: str) -> CheckRow:
    return CheckRow(
        name, check, repr(got) if got is not None else "missing", repr(want), got == want
    )


def _duration_row(name: str, s: AudioStats, manifest_ms: float) -> CheckRow:
    """Decoded length (encoder delay and padding trimmed) against the manifest: a stale
    manifest or a replaced file shows here. ffprobe's figure counts the padding (~45 ms)."""
    decoded_ms = s.loudness.duration_s * 1000
    return CheckRow(
        name,
        "decoded length",
        f"{_num(decoded_ms / 1000, 2)} s",
        f"{_num(manifest_ms / 1000, 2)} s ±{_num(DURATION_TOLERANCE_MS / 1000, 2)} (manifest)",
        abs(decoded_ms - manifest_ms) <= DURATION_TOLERANCE_MS,
    )


def _book_tag_rows(name: str, path: Path, chapters: Sequence[dict[str, Any]]) -> list[CheckRow]:
    """TIT2/TALB/TLAN present; CTOC lists CHAP frames whose titles and starts match."""
    tags = read_id3(path)
    rows: list[CheckRow] = []
    missing = [f for f in ("TIT2", "TALB", "TLAN") if not _frame_text(tags, f)]
    rows.append(
        CheckRow(
            name,
            "book tags",
            "missing " + ", ".join(missing) if missing else "TIT2, TALB, TLAN",
            "TIT2, TALB, TLAN",
            not missing,
        )
    )
    tocs: list[Any] = []
    frames: list[Any] = []
    if tags is not None:
        tocs = tags.getall("CTOC")  # type: ignore[no-untyped-call]
        frames = tags.getall("CHAP")  # type: ignore[no-untyped-call]
    chaps = {c.element_id: c for c in frames}
    if not tocs:
        rows.append(CheckRow(name, "chapter markers", "no CTOC", "CTOC + CHAP", False))
        return rows
    order = [chaps[i] for i in tocs[0].child_element_ids if i in chaps]
    got = [(_sub_title(c), float(c.start_time)) for c in order]
    want = [(str(ch.get("title", "")), float(ch.get("start_ms", 0))) for ch in chapters]
    titles_ok = [t for t, _ in got] == [t for t, _ in want]
    worst = max((abs(g - w) for (_, g), (_, w) in zip(got, want, strict=False)), default=0.0)
    ok = len(got) == len(want) and titles_ok and worst <= TAG_TOLERANCE_MS
    measured = f"{len(got)} CHAP, titles {'match' if titles_ok else 'differ'}"
    measured += f", starts off by <= {_num(worst, 0)} ms"
    limit = f"{len(want)} CHAP, manifest titles, starts ±{_num(TAG_TOLERANCE_MS, 0)} ms"
    rows.append(CheckRow(name, "chapter markers", measured, limit, ok))
    return rows


def _frame_text(tags: ID3 | None, frame: str) -> str | None:
    if tags is None or frame not in tags:
        return None
    return str(tags[frame])


def _sub_title(chap: Any) -> str:
    title = chap.sub_frames.get("TIT2")
    return str(title) if title is not None else ""


def _key_numbers(s: AudioStats, p: Profile) -> str:
    m = s.loudness
    if p.target_lufs is not None:
        level = f"{_num(m.integrated_lufs)} LUFS, {_num(m.true_peak_db)} dBTP"
    else:
        level = (
            f"RMS {_num(m.rms_db)} dB, peak {_num(m.sample_peak_db)} dBFS, "
            f"floor {_num(m.noise_floor_db)} dB"
        )
    return f"{level}, {_num(s.duration_ms / 1000)} s"
