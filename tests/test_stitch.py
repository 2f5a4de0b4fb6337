"""Stitching: the pause at a sentence break inside a packed chunk is ours, not the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from audiobook.audio.stitch import SEGMENT_FORCE_S, SEGMENT_TARGET_S, cut_after, open_breaks
from audiobook.model import Break, Chunk, ChunkTiming

RATE = 24000


def tone(ms: int) -> np.ndarray:
    t = np.arange(RATE * ms // 1000) / RATE
    return (np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2")


def quiet(ms: int, level: int = 20) -> np.ndarray:
    return np.random.default_rng(ms).integers(-level, level, RATE * ms // 1000).astype("<i2")


def packed(text: str, pause_ms: int) -> Chunk:
    offset = text.index(". ") + 2
    return Chunk("x", 0, 0, 0, text, text, "fr", 0, breaks=(Break(0, 1, offset, pause_ms),))


@pytest.mark.parametrize("pause_ms", [550, 1000])
def test_the_engine_pause_is_replaced_by_ours(pause_ms: int) -> None:
    text = "Il vint ici. Il vit tout."
    pcm = np.concatenate([tone(1000), quiet(300), tone(1000)])
    out, spans = open_breaks(pcm, RATE, packed(text, pause_ms))
    assert len(spans) == 2
    (a0, a1), (b0, b1) = spans
    assert a0 == 0 and b1 == pytest.approx(out.size * 1000 / RATE)
    assert b0 - a1 == pytest.approx(pause_ms, abs=0.1)
    assert not out[int(a1 * RATE / 1000) : int(b0 * RATE / 1000)].any()  # digital silence
    # The speech on both sides is kept whole, with 40 ms of the engine's quiet at each edge.
    assert a1 == pytest.approx(1040, abs=10) and b1 - b0 == pytest.approx(1040, abs=10)


def test_no_clear_pause_leaves_the_audio_alone() -> None:
    text = "Il vint ici. Il vit tout."
    pcm = np.concatenate([tone(1000), quiet(50), tone(1000)])  # 50 ms: not a pause
    out, spans = open_breaks(pcm, RATE, packed(text, 550))
    assert np.array_equal(out, pcm)
    assert spans[0][1] == spans[1][0]  # the break falls where the text says
    assert spans[0][1] == pytest.approx(2050 * text.index("Il vit") / len(text), abs=10)


def test_the_longest_pause_near_the_break_is_chosen() -> None:
    text = "Il vint ici, puis. Il vit tout encore."
    # A comma pause (120 ms) comes first, the sentence pause (350 ms) near the text's spot.
    pcm = np.concatenate([tone(500), quiet(120), tone(500), quiet(350), tone(1200)])
    _, spans = open_breaks(pcm, RATE, packed(text, 550))
    assert spans[0][1] == pytest.approx(500 + 120 + 500 + 40, abs=10)


def cuts_of(pauses_ms: list[int], chunk_s: float = 8.0) -> list[float]:
    """The segment starts (s) cut_after gives for chunks of chunk_s seconds each."""
    cuts, start_ms = [0], 0.0
    for pause in pauses_ms:
        chunk = Chunk("x", 0, 0, 0, "t", "t", "fr", pause)
        t = ChunkTiming(chunk, start_ms, start_ms + chunk_s * 1000)
        start_ms = t.end_ms + pause
        cut = cut_after(t, start_ms, cuts[-1], RATE)
        if cut is not None:
            cuts.append(cut)
    return [c / RATE for c in cuts]


def test_segments_start_in_sentence_pauses_once_long_enough() -> None:
    cuts = cuts_of([100, 100, 100, 100, 100, 700] * 10)
    assert len(cuts) > 5
    assert all(b - a >= SEGMENT_TARGET_S for a, b in zip(cuts, cuts[1:], strict=False))
    group_s = 6 * 8 + 5 * 0.1 + 0.7  # the cut falls mid 700 ms pause, never mid 100 ms
    assert all(abs((c + 0.35) / group_s - round((c + 0.35) / group_s)) < 1e-6 for c in cuts[1:])


def test_without_sentence_pauses_segments_are_still_bounded() -> None:
    """Pauses set to 0 or text without punctuation: the PCM held stays bounded."""
    cuts = cuts_of([0] * 200)  # 1,600 s of speech, no pause anywhere
    ends = [*cuts, 1600.0]
    assert len(cuts) == 1600 // 184 + 1
    assert max(b - a for a, b in zip(ends, ends[1:], strict=False)) <= SEGMENT_FORCE_S + 8
