"""Rendered chunks + pauses -> one chapter of PCM (pydub reads each chunk), with each
chunk's time in it; where encoding segments start; the chapter's one gain.

The chapter grows by appending to one buffer as chunks arrive: no AudioSegment `+=` in a
loop (quadratic), no crossfade.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
from pydub import AudioSegment

from ..model import Chunk, ChunkTiming
from .loudness import Profile, apply_gain, gain_for, measure_blocks
from .silence import EDGE_MARGIN_MS, quiet_runs, quiet_windows, silence

BREAK_FRAME_MS = 10
BREAK_SILENCE_DB = -40.0
BREAK_SEARCH_FRACTION = 0.25  # look this far (share of the chunk) around the expected spot
BREAK_MIN_GAP_MS = 100  # a quiet run this long is a pause the engine made


def find_breaks(pcm: np.ndarray, rate: int, chunk: Chunk) -> list[tuple[int, int, bool]]:
    """For each break of a packed chunk, the pause the engine made there as samples
    (start, end, found): the longest quiet run near where the text says the break falls.
    found is False (and start == end, where the text says) when no quiet run there lasts
    BREAK_MIN_GAP_MS: then the audio is not touched at that break."""
    frame = max(1, rate * BREAK_FRAME_MS // 1000)
    n = pcm.size // frame
    runs = quiet_runs(quiet_windows(pcm, frame, BREAK_SILENCE_DB))  # [a, b) frames
    min_frames = BREAK_MIN_GAP_MS // BREAK_FRAME_MS
    found: list[tuple[int, int, bool]] = []
    after = 0
    for brk in chunk.breaks:
        expect = n * brk.offset / max(1, len(chunk.text))
        near = [
            (a, b) for a, b in runs
            if abs((a + b) / 2 - expect) <= n * BREAK_SEARCH_FRACTION
            and a > after and b - a >= min_frames
        ]  # fmt: skip
        if near:
            a, b = max(near, key=lambda r: (r[1] - r[0], -abs((r[0] + r[1]) / 2 - expect)))
            found.append((a * frame, b * frame, True))
            after = b
        else:
            at = int(expect * frame)
            found.append((at, at, False))
    return found


def open_breaks(
    pcm: np.ndarray, rate: int, chunk: Chunk
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """A packed chunk with our pause in place of the engine's at each break (so every
    sentence and paragraph gets the same rhythm, in a request or between two), and the
    (start, end) in ms of each sentence in the result."""
    margin = int(rate * EDGE_MARGIN_MS / 1000)  # as much as a chunk keeps at its edges
    pieces: list[np.ndarray] = []
    spans: list[tuple[int, int]] = []
    pos = out = start = 0  # in the engine's audio; in ours; where the sentence starts
    for brk, (a, b, found) in zip(chunk.breaks, find_breaks(pcm, rate, chunk), strict=True):
        if not found:
            spans.append((start, out + a - pos))
            start = out + b - pos
            continue
        pieces.append(pcm[pos : a + margin])
        out += a + margin - pos
        spans.append((start, out))  # like a chunk's, a sentence's time holds its margins
        pause = np.frombuffer(silence(brk.pause_ms, rate), dtype="<i2")
        pieces.append(pause)
        out += pause.size
        start = out
        pos = b - margin
    pieces.append(pcm[pos:])
    out += pcm.size - pos
    spans.append((start, out))
    return np.concatenate(pieces), [(a * 1000 / rate, b * 1000 / rate) for a, b in spans]


class Stitcher:
    """One chapter of PCM, built as its chunks arrive: head room tone, then each chunk
    followed by its pause. Times are exact to the sample. Only the samples from `start`
    on are held: what is encoded is dropped (drop_before), so memory stays bounded
    however long the chapter; replay() makes any part again from the chunk files."""

    def __init__(self, head_ms: int, rate: int) -> None:
        self.rate = rate
        self._buffer = bytearray(silence(head_ms, rate))
        self.start = 0  # the sample the buffer begins with
        self.timings: list[ChunkTiming] = []
        self.sources: list[tuple[Chunk, Path]] = []  # what replay() reads again

    @property
    def samples(self) -> int:
        return self.start + len(self._buffer) // 2

    def add(self, chunk: Chunk, wav: Path) -> ChunkTiming:
        """Append a chunk's audio (a WAV file) and the pause after it; its time in the chapter."""
        seg = AudioSegment.from_wav(str(wav))
        if seg.frame_rate != self.rate or seg.channels != 1 or seg.sample_width != 2:
            seg = seg.set_frame_rate(self.rate).set_channels(1).set_sample_width(2)
        data = seg.raw_data
        start = self.samples
        parts: tuple[tuple[float, float], ...] = ()
        if chunk.breaks:
            pcm, spans = open_breaks(np.frombuffer(data, dtype="<i2"), self.rate, chunk)
            data = pcm.tobytes()
            offset_ms = start * 1000 / self.rate
            parts = tuple((a + offset_ms, b + offset_ms) for a, b in spans)
        end = start + len(data) // 2
        timing = ChunkTiming(chunk, start * 1000 / self.rate, end * 1000 / self.rate, parts)
        self.timings.append(timing)
        self.sources.append((chunk, wav))
        self._buffer += data
        self._buffer += silence(chunk.pause_after_ms, self.rate)
        return timing

    def pcm(self, a: int, b: int | None = None) -> np.ndarray:
        """A copy of samples a..b (a at or after `start`; the buffer may still grow)."""
        end = self.samples if b is None else b
        lo, hi = 2 * (a - self.start), 2 * (end - self.start)
        if lo < 0:
            raise ValueError(f"samples before {self.start} were dropped (asked from {a})")
        return np.frombuffer(bytes(self._buffer[lo:hi]), dtype="<i2")

    def drop_before(self, a: int) -> None:
        """Forget the samples before a (they are encoded)."""
        if a > self.start:
            del self._buffer[: 2 * (a - self.start)]
            self.start = a


def replay(
    head_ms: int, rate: int, sources: Sequence[tuple[Chunk, Path]], bounds: Sequence[int]
) -> Iterator[np.ndarray]:
    """The chapter's samples bounds[k]..bounds[k+1] for each k, made again from its chunk
    files exactly as the first time, holding one part at a time (bounds start at 0 and
    end with the chapter's length)."""
    stitcher = Stitcher(head_ms, rate)
    pending = iter(sources)
    for a, b in zip(bounds, bounds[1:], strict=False):
        while stitcher.samples < b:
            chunk, wav = next(pending)
            stitcher.add(chunk, wav)
        yield stitcher.pcm(a, b)
        stitcher.drop_before(b)


GAIN_CORRECTION_MIN_DB = 0.1
SEGMENT_TARGET_S = 45.0  # encode in pieces this long, so every core has work
SEGMENT_MIN_PAUSE_MS = 300
SEGMENT_FORCE_S = 4 * SEGMENT_TARGET_S  # the longest segment held waiting for a pause
TAIL_SPLIT_MIN_S = 15.0  # a last segment is halved when both halves are at least this long


def pause_middle(t: ChunkTiming, next_start_ms: float, rate: int) -> int | None:
    """The sample in the middle of the pause after chunk t, if that pause is at least a
    sentence break: where an encoding segment may start (a join there falls in silence)."""
    if t.chunk.pause_after_ms < SEGMENT_MIN_PAUSE_MS:
        return None
    return int((t.end_ms + next_start_ms) / 2 * rate / 1000)


def cut_after(t: ChunkTiming, next_start_ms: float, last_cut: int, rate: int) -> int | None:
    """Where a new encoding segment starts after chunk t, if it does: once the segment is
    SEGMENT_TARGET_S long, at the next pause_middle; after SEGMENT_FORCE_S with no sentence
    pause (pauses set to 0, text without punctuation), at any chunk boundary, so the PCM
    held stays bounded."""
    pos = pause_middle(t, next_start_ms, rate)
    if pos is None and t.end_ms * rate / 1000 - last_cut >= SEGMENT_FORCE_S * rate:
        pos = int((t.end_ms + next_start_ms) / 2 * rate / 1000)
    return pos if pos is not None and pos - last_cut >= SEGMENT_TARGET_S * rate else None


def halfway_cut(timings: Sequence[ChunkTiming], start: int, end: int, rate: int) -> int | None:
    """The pause_middle nearest the middle of samples start..end, so the chapter's last
    segment (encoded once its last chunk is in) takes both cores."""
    if end - start < 2 * TAIL_SPLIT_MIN_S * rate:
        return None
    lo, hi = start + TAIL_SPLIT_MIN_S * rate, end - TAIL_SPLIT_MIN_S * rate
    middle = (start + end) / 2
    pairs = zip(timings, timings[1:], strict=False)
    pauses = (pause_middle(t, nxt.start_ms, rate) for t, nxt in pairs)
    inside = [pos for pos in pauses if pos is not None and lo <= pos <= hi]
    return min(inside, key=lambda pos: abs(pos - middle), default=None)


def chapter_gain(parts: Callable[[], Iterable[np.ndarray]], rate: int, profile: Profile) -> float:
    """The one gain (dB) for the whole chapter (never per sentence), from its samples in
    parts (called once per pass). The limiter takes a little loudness back, so the gain
    is corrected once from a second measurement."""
    gain_db = gain_for(measure_blocks(parts(), rate, peaks=False), profile)
    limited = (apply_gain(p, gain_db, profile.peak_max_db) for p in parts())
    correction_db = gain_for(measure_blocks(limited, rate, peaks=False), profile)
    return gain_db + correction_db if abs(correction_db) > GAIN_CORRECTION_MIN_DB else gain_db
