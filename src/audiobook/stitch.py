"""Rendered chunks + pauses -> one chapter of PCM (pydub), with each chunk's time in it.

The chapter is joined once from a list of pieces: no `+=` in a loop, no crossfade.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def stitch(
    rendered: Sequence[RenderedChunk], head_ms: int, rate: int
) -> tuple[AudioSegment, tuple[ChunkTiming, ...]]:
    """Head room tone, then each chunk followed by its pause; times are exact to the sample."""
    pieces = [silence(head_ms, rate)]
    pos = len(pieces[0]) // 2
    timings: list[ChunkTiming] = []
    for r in rendered:
        seg = AudioSegment.from_wav(str(r.audio_path))
        if seg.frame_rate != rate or seg.channels != 1 or seg.sample_width != 2:
            seg = seg.set_frame_rate(rate).set_channels(1).set_sample_width(2)
        data = seg.raw_data
        start = pos
        pos += len(data) // 2
        parts: tuple[tuple[float, float], ...] = ()
        if r.chunk.breaks:
            offset_ms = start * 1000 / rate
            parts = tuple(
                (a + offset_ms, b + offset_ms)
                for a, b in sentence_spans(np.frombuffer(data, dtype="<i2"), rate, r.chunk)
            )
        timings.append(ChunkTiming(r.chunk, start * 1000 / rate, pos * 1000 / rate, parts))
        pause = silence(r.chunk.pause_after_ms, rate)
        pos += len(pause) // 2
        pieces += [data, pause]
    audio = AudioSegment(data=b"".join(pieces), sample_width=2, frame_rate=rate, channels=1)
    return audio, tuple(timings)


GAIN_CORRECTION_MIN_DB = 0.1
SEGMENT_TARGET_S = 45.0  # encode in pieces this long, so every core has work
SEGMENT_MIN_PAUSE_MS = 300


def segment_cuts(timings: Sequence[ChunkTiming], rate: int, target_s: float) -> list[int]:
    """Sample positions that start each encoding segment: the middle of a pause of at
    least a sentence break, about every target_s. The first is always 0."""
    cuts = [0]
    for t, nxt in zip(timings, timings[1:], strict=False):
        if t.chunk.pause_after_ms < SEGMENT_MIN_PAUSE_MS:
            continue
        pos = int((t.end_ms + nxt.start_ms) / 2 * rate / 1000)
        if pos - cuts[-1] >= target_s * rate:
            cuts.append(pos)
    return cuts


def level(audio: AudioSegment, profile: Profile) -> tuple[np.ndarray, Measurement, float]:
    """Measure the chapter and apply one gain to all of it (never per sentence). The
    limiter takes a little loudness back, so the gain is corrected once from a second
    measurement."""
    pcm = np.frombuffer(audio.raw_data, dtype="<i2")
    before = measure(pcm, audio.frame_rate, peaks=False)
    gain_db = gain_for(before, profile)
    out = apply_gain(pcm, gain_db, profile.peak_max_db)
    correction_db = gain_for(measure(out, audio.frame_rate, peaks=False), profile)
    if abs(correction_db) > GAIN_CORRECTION_MIN_DB:
        gain_db += correction_db
        out = apply_gain(pcm, gain_db, profile.peak_max_db)
    return out, before, gain_db
