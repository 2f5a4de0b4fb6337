"""Stitching: the pause at a sentence break inside a packed chunk is ours, not the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from audiobook.audio.stitch import open_breaks
from audiobook.model import Break, Chunk

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
