"""Mono 16-bit WAV: what engines write, what the chunk cache holds."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from ..errors import EngineError
from ..files import atomic_path

WAV_HEADER_BYTES = 44


def write_wav(path: Path, pcm: bytes, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


def write_wav_atomic(path: Path, pcm: bytes, rate: int) -> None:
    with atomic_path(path) as tmp:
        write_wav(tmp, pcm, rate)


def read_wav_mono16(path: Path) -> tuple[np.ndarray, int]:
    """Samples (downmixed to mono) and rate of an engine's 16-bit WAV."""
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        data = w.readframes(w.getnframes())
    if width != 2:
        raise EngineError(f"engine wrote {8 * width}-bit audio; 16-bit was expected.")
    pcm = np.frombuffer(data, dtype="<i2")
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1).astype("<i2")
    return pcm, rate


def wav_frames(path: Path) -> tuple[int, int] | None:
    """(frames, rate) of a canonical mono 16-bit WAV whose data is all there, else None."""
    try:
        with wave.open(str(path), "rb") as w:
            frames, rate = w.getnframes(), w.getframerate()
            ok = w.getnchannels() == 1 and w.getsampwidth() == 2 and frames > 0
        if ok and path.stat().st_size == WAV_HEADER_BYTES + frames * 2:
            return frames, rate
    except (OSError, EOFError, wave.Error):
        pass
    return None
