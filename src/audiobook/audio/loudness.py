"""Loudness per ITU-R BS.1770 (integrated LUFS, true peak) and the gain applied to a chapter.

Measured in blocks so memory stays flat however long the chapter is. numpy only: the
K-weighting is applied to the spectrum of each 100 ms step (see k_weighted_step_powers),
which keeps scipy's import cost out of every command.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
BLOCK_S = 0.4
STEP_S = 0.1
NOISE_WINDOW_S = 0.5
TRUE_PEAK_OVERSAMPLING = 4
TRUE_PEAK_WINDOW_S = 0.05
TRUE_PEAK_SEARCH_RATIO = 10 ** (2 / 20)  # windows within 2 dB of the loudest sample
FULL_SCALE = 32768.0


@dataclass(frozen=True)
class Profile:
    """A delivery target. Either target_lufs (integrated loudness) or target_rms_db is set."""

    name: str
    sample_rate: int
    bitrate_kbps: int
    peak_max_db: float  # true peak (dBTP) for podcast, sample peak (dBFS) for ACX
    target_lufs: float | None = None
    lufs_tolerance: float = 1.0
    rms_range_db: tuple[float, float] | None = None
    noise_floor_max_db: float | None = None
    head_s: tuple[float, float] = (0.0, 5.0)
    tail_s: tuple[float, float] = (0.0, 10.0)
    max_file_minutes: float | None = None
    bitrate_range_kbps: tuple[int, int] = (0, 10_000)
    mono_required: bool = False  # podcast delivery here means mono; ACX takes either
    cbr_required: bool = False  # ACX requires constant bitrate; podcast apps do not


PROFILES = {
    "podcast": Profile(
        "podcast",
        44100,
        64,
        peak_max_db=-1.0,
        target_lufs=-16.0,
        bitrate_range_kbps=(64, 96),
        mono_required=True,
    ),
    "audiobook": Profile(
        "audiobook",
        44100,
        192,
        peak_max_db=-3.0,
        rms_range_db=(-23.0, -18.0),
        noise_floor_max_db=-60.0,
        head_s=(0.5, 1.0),
        tail_s=(1.0, 5.0),
        max_file_minutes=120.0,
        bitrate_range_kbps=(192, 320),
        cbr_required=True,
    ),
}


TRUE_PEAK_FIR_TAPS_PER_PHASE = 24


def k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two BS.1770 pre-filters (high shelf, high pass) for any sample rate."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = np.array(
        [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
    )
    shelf_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    den = 1 + k / q + k * k
    hp_b = np.array([1.0, -2.0, 1.0])
    hp_a = np.array([1.0, 2 * (k * k - 1) / den, (1 - k / q + k * k) / den])
    return [(shelf_b, shelf_a), (hp_b, hp_a)]


@lru_cache(maxsize=8)
def k_weighting_power(rate: int, size: int) -> np.ndarray:
    """|H|^2 of the K-weighting at the rfft bins of size samples, times the weight that
    turns a one-sided power spectrum into mean square (Parseval)."""
    z = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)  # z^-1 at each bin
    h = np.ones(z.size, dtype=complex)
    for b, a in k_weighting(rate):
        h *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    weight = np.full(z.size, 2.0)
    weight[0] = 1.0
    if size % 2 == 0:
        weight[-1] = 1.0
    return (np.abs(h) ** 2 * weight / (size * size)).astype(np.float64)


def k_weighted_step_powers(x: np.ndarray, rate: int, step: int) -> np.ndarray:
    """Mean square of the K-weighted signal in each whole step of x: the filter applied to
    each step's spectrum (Parseval), all steps in one batched FFT. A 100 ms step holds
    the filters' response (its high pass rings for a few ms), so this matches filtering
    the signal in the time domain to a few hundredths of a dB, at a tenth of the cost."""
    n = x.size // step
    if n == 0:
        return np.zeros(0)
    spectrum = np.fft.rfft(x[: n * step].reshape(n, step), axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    return np.asarray(power @ k_weighting_power(rate, step))


@lru_cache(maxsize=2)
def _interpolator() -> np.ndarray:
    """Kaiser-windowed sinc low pass for 4x oversampling (gain 4: zeros are stuffed)."""
    half = TRUE_PEAK_OVERSAMPLING * TRUE_PEAK_FIR_TAPS_PER_PHASE // 2
    n = np.arange(-half, half + 1)
    return np.sinc(n / TRUE_PEAK_OVERSAMPLING) * np.kaiser(n.size, 8.0)


def _oversample(x: np.ndarray) -> np.ndarray:
    """The in-between samples of a 4x oversampling, one polyphase branch at a time."""
    h = _interpolator()
    return np.concatenate(
        [np.convolve(x, h[p::TRUE_PEAK_OVERSAMPLING], mode="same") for p in range(1, 4)] + [x]
    )


@dataclass(frozen=True)
class Measurement:
    integrated_lufs: float
    true_peak_db: float
    sample_peak_db: float
    rms_db: float
    noise_floor_db: float
    duration_s: float


def _db(power: float) -> float:
    return 10 * math.log10(power) if power > 0 else -math.inf


def _true_peak(x: np.ndarray, rate: int, floor: float) -> float:
    """4x-oversampled peak, computed only on the 50 ms windows that come near the
    loudest sample so far (oversampling everything costs more than the rest together)."""
    win = max(1, int(rate * TRUE_PEAK_WINDOW_S))
    n = x.size // win
    peaks = np.abs(x[: n * win]).reshape(n, win).max(axis=1) if n else np.zeros(0)
    best = float(np.max(np.abs(x[n * win :]))) if x.size > n * win else 0.0
    for i in (int(k) for k in np.flatnonzero(peaks >= floor)):
        # Oversample with context on both sides; keep only the window itself, away from
        # the filter's edge ringing.
        lo, hi = max(0, (i - 1) * win), min(x.size, (i + 2) * win)
        over = _oversample(x[lo:hi]).reshape(4, -1)
        best = max(best, float(np.max(np.abs(over[:, i * win - lo : (i + 1) * win - lo]))))
    return max(best, float(peaks.max()) if peaks.size else 0.0)


def measure_blocks(blocks: Iterable[np.ndarray], rate: int, *, peaks: bool = True) -> Measurement:
    """Measure int16 (or float, full scale 1.0) mono audio given as consecutive blocks.
    peaks=False skips true peak and noise floor (NaN), for when only levels matter."""
    step = int(rate * STEP_S)
    noise_win = int(rate * NOISE_WINDOW_S)
    carry_x = np.zeros(0)
    carry_raw = np.zeros(0)
    step_powers: list[float] = []
    window_powers: list[float] = []
    total_sq, total_n, peak, tpeak = 0.0, 0, 0.0, 0.0
    for block in blocks:
        x = block.astype(np.float32)
        if block.dtype == np.int16:
            x /= FULL_SCALE
        if x.size == 0:
            continue
        total_sq += float(np.dot(x, x))
        total_n += x.size
        peak = max(peak, float(np.max(np.abs(x))))
        if peaks:
            tpeak = max(tpeak, _true_peak(x, rate, max(tpeak, peak) / TRUE_PEAK_SEARCH_RATIO))
        carry_x = np.concatenate([carry_x, x])
        n = carry_x.size // step
        if n:
            step_powers.extend(k_weighted_step_powers(carry_x, rate, step).tolist())
            carry_x = carry_x[n * step :]
        if not peaks:
            continue
        carry_raw = np.concatenate([carry_raw, x])
        n = carry_raw.size // noise_win
        if n:
            sq = carry_raw[: n * noise_win].reshape(n, noise_win) ** 2
            window_powers.extend(np.mean(sq, axis=1).tolist())
            carry_raw = carry_raw[n * noise_win :]
    steps = np.array(step_powers)
    per_block = int(round(BLOCK_S / STEP_S))
    if steps.size >= per_block:
        blocks_p = np.convolve(steps, np.ones(per_block) / per_block, mode="valid")
    else:
        blocks_p = np.array([steps.mean()]) if steps.size else np.zeros(0)
    loud = -0.691 + 10 * np.log10(np.maximum(blocks_p, 1e-20))
    gated = blocks_p[loud > ABSOLUTE_GATE_LUFS]
    integrated = -math.inf
    if gated.size:
        rel = -0.691 + _db(float(gated.mean())) + RELATIVE_GATE_LU
        final = blocks_p[(loud > ABSOLUTE_GATE_LUFS) & (loud > rel)]
        if final.size:
            integrated = -0.691 + _db(float(final.mean()))
    return Measurement(
        integrated_lufs=integrated,
        true_peak_db=(20 * math.log10(tpeak) if tpeak > 0 else -math.inf) if peaks else math.nan,
        sample_peak_db=20 * math.log10(peak) if peak > 0 else -math.inf,
        rms_db=_db(total_sq / total_n) if total_n else -math.inf,
        noise_floor_db=(_db(min(window_powers)) if window_powers else -math.inf)
        if peaks
        else math.nan,
        duration_s=total_n / rate,
    )


def measure(
    pcm: np.ndarray, rate: int, block_s: float = 30.0, *, peaks: bool = True
) -> Measurement:
    size = int(rate * block_s)
    return measure_blocks((pcm[i : i + size] for i in range(0, len(pcm), size)), rate, peaks=peaks)


def gain_for(m: Measurement, profile: Profile) -> float:
    """The one gain (dB) a chapter gets to reach its profile's target."""
    if profile.target_lufs is not None:
        if m.integrated_lufs == -math.inf:
            return 0.0
        return profile.target_lufs - m.integrated_lufs
    assert profile.rms_range_db is not None
    if m.rms_db == -math.inf:
        return 0.0
    return sum(profile.rms_range_db) / 2 - m.rms_db


PEAK_MARGIN_DB = 2.5  # MP3 of a synthetic voice lifts peaks by up to ~1.7 dB: limit below


GAIN_BLOCK_SAMPLES = 1 << 20  # float temporaries stay this small however long the chapter


def apply_gain(pcm: np.ndarray, gain_db: float, peak_max_db: float) -> np.ndarray:
    """Scale by gain_db; peaks that would pass the ceiling are soft-limited (tanh knee),
    so loudness hits its target instead of being held down by a few transients."""
    out = np.empty(pcm.shape, dtype=np.int16)
    scale = np.float32(10 ** (gain_db / 20) / FULL_SCALE)
    ceiling = 10 ** ((peak_max_db - PEAK_MARGIN_DB) / 20)
    knee = ceiling * 0.7
    for i in range(0, pcm.size, GAIN_BLOCK_SAMPLES):
        x = pcm[i : i + GAIN_BLOCK_SAMPLES].astype(np.float32) * scale
        over = np.abs(x) > knee
        if np.any(over):
            v = np.abs(x[over])
            x[over] = np.sign(x[over]) * (
                knee + (ceiling - knee) * np.tanh((v - knee) / (ceiling - knee))
            )
        out[i : i + GAIN_BLOCK_SAMPLES] = np.clip(np.round(x * FULL_SCALE), -32768, 32767)
    return out
