"""The BS.1770 meter against signals whose loudness is known, and the chapter gain."""

from __future__ import annotations

import math
import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from audiobook.audio.loudness import PROFILES, apply_gain, gain_for, measure


def sine(
    freq: float, seconds: float, rate: int, amplitude: float, phase: float = 0.0
) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * math.pi * freq * t + phase)


@pytest.mark.parametrize("rate", [22050, 24000, 44100, 48000])
def test_full_scale_1khz_sine_is_minus_3_lufs(rate: int) -> None:
    m = measure(sine(997, 5, rate, 1.0), rate)
    assert m.integrated_lufs == pytest.approx(-3.01, abs=0.05)


def test_minus_20_dbfs_sine() -> None:
    m = measure(sine(997, 5, 48000, 0.1), 48000)
    assert m.integrated_lufs == pytest.approx(-23.01, abs=0.05)
    assert m.rms_db == pytest.approx(-23.01, abs=0.05)  # RMS of a sine: peak - 3.01 dB


def test_silence_is_gated_out() -> None:
    rate = 24000
    tone = sine(997, 5, rate, 0.1)
    with_silence = np.concatenate([tone, np.zeros(rate * 10)])
    assert measure(with_silence, rate).integrated_lufs == pytest.approx(
        measure(tone, rate).integrated_lufs,
        abs=0.2,  # only the blocks at the edge count
    )
    assert measure(np.zeros(rate), rate).integrated_lufs == -math.inf


def loud_then_long_quiet(rate: int) -> np.ndarray:
    """Noise: 8 s at -20 dBFS RMS between 40 s at -45 dBFS. Every block passes the absolute
    gate; the relative gate (-10 LU) drops the quiet ones, which without it would pull the
    integrated loudness down by about 7.7 LU."""
    rng = np.random.default_rng(20)
    quiet = rng.standard_normal(rate * 40) * 0.1 * 10 ** (-25 / 20)
    loud = rng.standard_normal(rate * 8) * 0.1
    x = np.concatenate([quiet[: rate * 20], loud, quiet[rate * 20 :]])
    return (np.clip(x, -1, 1) * 32767).astype(np.int16)


def ffmpeg_ebur128_lufs(pcm: np.ndarray, rate: int, tmp_path: Path) -> float:
    """ffmpeg's own BS.1770 meter: the integrated loudness of its summary (0.1 LU steps)."""
    path = tmp_path / "x.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())
    log = subprocess.run(
        ["ffmpeg", "-nostats", "-hide_banner", "-i", str(path),
         "-af", "ebur128=framelog=verbose", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    return float(re.findall(r"I:\s+(-?[0-9.]+) LUFS", log)[-1])


@pytest.mark.parametrize("rate", [24000, 48000])
def test_relative_gate_agrees_with_ffmpeg_and_pyloudnorm(rate: int, tmp_path: Path) -> None:
    pcm = loud_then_long_quiet(rate)
    ours = measure(pcm, rate).integrated_lufs
    reference = pyloudnorm.Meter(rate).integrated_loudness(pcm / 32768.0)
    assert ours == pytest.approx(reference, abs=0.3)
    assert ours == pytest.approx(ffmpeg_ebur128_lufs(pcm, rate, tmp_path), abs=0.3)
    # The signal is one where gating matters: the quiet 40 s are left out.
    loud_only = pyloudnorm.Meter(rate).integrated_loudness(pcm[rate * 20 : rate * 28] / 32768.0)
    assert reference == pytest.approx(loud_only, abs=0.5)


def test_true_peak_sees_between_samples() -> None:
    rate = 44100
    x = sine(rate / 4, 1, rate, 1.0, phase=math.pi / 4)  # samples at +-0.707, peak 1.0
    m = measure(x, rate)
    assert m.sample_peak_db == pytest.approx(-3.01, abs=0.05)
    assert m.true_peak_db == pytest.approx(0.0, abs=0.3)


def test_int16_input_and_blocks_agree_with_one_piece() -> None:
    rate = 22050
    x = (sine(440, 7, rate, 0.3) * 32767).astype(np.int16)
    whole = measure(x, rate, block_s=100)
    blocks = measure(x, rate, block_s=0.7)
    assert whole.integrated_lufs == pytest.approx(blocks.integrated_lufs, abs=1e-6)
    assert whole.duration_s == pytest.approx(7, abs=0.001)


def test_noise_floor_is_the_quietest_half_second() -> None:
    rate = 16000
    x = np.concatenate([sine(300, 2, rate, 0.5), sine(300, 1, rate, 0.001)])
    assert measure(x, rate).noise_floor_db == pytest.approx(20 * math.log10(0.001) - 3.01, abs=0.5)


def test_apply_gain_reaches_podcast_target_under_the_ceiling() -> None:
    rate = 22050
    rng = np.random.default_rng(1)
    speechy = rng.standard_normal(rate * 20) * 0.05 * np.abs(np.sin(np.arange(rate * 20) / 3000))
    pcm = (np.clip(speechy, -1, 1) * 32767).astype(np.int16)
    before = measure(pcm, rate)
    out = apply_gain(pcm, gain_for(before, PROFILES["podcast"]), PROFILES["podcast"].peak_max_db)
    after = measure(out, rate)
    assert after.integrated_lufs == pytest.approx(-16, abs=1)
    assert after.true_peak_db <= -1.0


def test_acx_gain_targets_rms() -> None:
    rate = 22050
    pcm = (sine(220, 10, rate, 0.02) * 32767).astype(np.int16)
    profile = PROFILES["audiobook"]
    out = apply_gain(pcm, gain_for(measure(pcm, rate), profile), profile.peak_max_db)
    after = measure(out, rate)
    assert -23 <= after.rms_db <= -18 and after.sample_peak_db <= -3


def _biquads_in_time(x: np.ndarray, rate: int) -> np.ndarray:
    """The K-weighting run sample by sample: the reference for the spectral shortcut."""
    from audiobook.audio.loudness import k_weighting

    y = x.astype(np.float64)
    for b, a in k_weighting(rate):
        out = np.zeros_like(y)
        x1 = x2 = y1 = y2 = 0.0
        for n, v in enumerate(y):
            w = b[0] * v + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
            x2, x1, y2, y1 = x1, v, y1, w
            out[n] = w
        y = out
    return y


@pytest.mark.parametrize("freq", [40.0, 100.0, 1000.0, 4000.0, 10000.0, None])
def test_k_weighting_per_step_matches_filtering_in_time(freq: float | None) -> None:
    from audiobook.audio.loudness import k_weighted_step_powers

    rate, step = 24000, 2400
    if freq is None:
        x = np.random.default_rng(7).standard_normal(rate) * 0.1  # white noise
    else:
        x = sine(freq, 1, rate, 0.5)
    reference = _biquads_in_time(x, rate)[step:]  # skip the filters' start-up
    want = np.mean(reference[: reference.size // step * step].reshape(-1, step) ** 2, axis=1)
    got = k_weighted_step_powers(x[step:], rate, step)
    assert 10 * np.log10(got / want) == pytest.approx(np.zeros(want.size), abs=0.05)
