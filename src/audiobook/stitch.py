"""Rendered chunks + pauses -> one chapter of PCM (pydub reads each chunk), with each
chunk's time in it; where encoding segments start; the chapter's one gain.

The chapter grows by appending to one buffer as chunks arrive: no AudioSegment `+=` in a
loop (quadratic), no crossfade.
"""

from __future__ import annotations

import numpy as np
from pydub import AudioSegment

from .loudness import Measurement, Profile, apply_gain, gain_for, measure
from .model import Chunk, ChunkTiming, RenderedChunk

BREAK_FRAME_MS = 10
BREAK_SILENCE_DB = -40.0
BREAK_SEARCH_FRACTION = 0.25  # look this far (share of the chunk) around the expected spot


def sentence_spans(pcm: np.ndarray, rate: int, chunk: Chunk) -> list[tuple[float, float]]:
    """(start, end) in ms of each sentence of a packed chunk, split at the pause the engine
    made between them: the longest quiet run near where the text says the break falls."""
    frame = max(1, rate * BREAK_FRAME_MS // 1000)
    n = pcm.size // frame
    x = pcm[: n * frame].astype(np.float32).reshape(n, frame) / 32768
    quiet = 10 * np.log10(np.mean(x**2, axis=1) + 1e-12) < BREAK_SILENCE_DB
    runs: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if quiet[i]:
            j = i
            while j < n and quiet[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    total_ms = pcm.size * 1000 / rate
    spans: list[tuple[float, float]] = []
    start_ms = 0.0
    for _, offset in chunk.breaks:
        expect = n * offset / max(1, len(chunk.text))
        near = [
            (a, b) for a, b in runs
            if abs((a + b) / 2 - expect) <= n * BREAK_SEARCH_FRACTION
            and a * BREAK_FRAME_MS > start_ms
        ]  # fmt: skip
        if near:
            a, b = max(near, key=lambda r: (r[1] - r[0], -abs((r[0] + r[1]) / 2 - expect)))
            gap = (float(a * BREAK_FRAME_MS), float(b * BREAK_FRAME_MS))
        else:
            gap = (expect * BREAK_FRAME_MS, expect * BREAK_FRAME_MS)
        spans.append((start_ms, gap[0]))
        start_ms = gap[1]
    spans.append((start_ms, total_ms))
    return spans


def silence(ms: float, rate: int) -> bytes:
    return bytes(2 * int(round(rate * ms / 1000)))


class Stitcher:
    """One chapter of PCM, built as its chunks arrive: head room tone, then each chunk
    followed by its pause. Times are exact to the sample; the buffer grows by appending
    (amortised linear), and what is already stitched can be read while more arrives."""

    def __init__(self, head_ms: int, rate: int) -> None:
        self.rate = rate
        self._buffer = bytearray(silence(head_ms, rate))
        self.timings: list[ChunkTiming] = []

    @property
    def samples(self) -> int:
        return len(self._buffer) // 2

    def add(self, r: RenderedChunk) -> ChunkTiming:
        seg = AudioSegment.from_wav(str(r.audio_path))
        if seg.frame_rate != self.rate or seg.channels != 1 or seg.sample_width != 2:
            seg = seg.set_frame_rate(self.rate).set_channels(1).set_sample_width(2)
        data = seg.raw_data
        start = self.samples
        end = start + len(data) // 2
        parts: tuple[tuple[float, float], ...] = ()
        if r.chunk.breaks:
            offset_ms = start * 1000 / self.rate
            spans = sentence_spans(np.frombuffer(data, dtype="<i2"), self.rate, r.chunk)
            parts = tuple((a + offset_ms, b + offset_ms) for a, b in spans)
        timing = ChunkTiming(r.chunk, start * 1000 / self.rate, end * 1000 / self.rate, parts)
        self.timings.append(timing)
        self._buffer += data
        self._buffer += silence(r.chunk.pause_after_ms, self.rate)
        return timing

    def pcm(self, a: int = 0, b: int | None = None) -> np.ndarray:
        """A copy of samples a..b (the buffer may still grow)."""
        end = self.samples if b is None else b
        return np.frombuffer(bytes(self._buffer[2 * a : 2 * end]), dtype="<i2")

    def whole(self) -> np.ndarray:
        """All samples, without a copy; nothing can be added after this."""
        return np.frombuffer(self._buffer, dtype="<i2")


GAIN_CORRECTION_MIN_DB = 0.1
SEGMENT_TARGET_S = 45.0  # encode in pieces this long, so every core has work
SEGMENT_MIN_PAUSE_MS = 300


def cut_after(t: ChunkTiming, next_start_ms: float, last_cut: int, rate: int) -> int | None:
    """Where a new encoding segment starts after chunk t, if it does: the middle of a pause
    of at least a sentence break, once the segment is SEGMENT_TARGET_S long."""
    if t.chunk.pause_after_ms < SEGMENT_MIN_PAUSE_MS:
        return None
    pos = int((t.end_ms + next_start_ms) / 2 * rate / 1000)
    return pos if pos - last_cut >= SEGMENT_TARGET_S * rate else None


def level(pcm: np.ndarray, rate: int, profile: Profile) -> tuple[np.ndarray, Measurement, float]:
    """Measure the chapter and apply one gain to all of it (never per sentence). The
    limiter takes a little loudness back, so the gain is corrected once from a second
    measurement."""
    before = measure(pcm, rate, peaks=False)
    gain_db = gain_for(before, profile)
    out = apply_gain(pcm, gain_db, profile.peak_max_db)
    correction_db = gain_for(measure(out, rate, peaks=False), profile)
    if abs(correction_db) > GAIN_CORRECTION_MIN_DB:
        gain_db += correction_db
        out = apply_gain(pcm, gain_db, profile.peak_max_db)
    return out, before, gain_db
