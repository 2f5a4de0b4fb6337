"""Mono 16-bit WAV: what engines write, what the chunk cache holds."""

from __future__ import annotations

import hashlib
import struct
import wave
from pathlib import Path

import numpy as np

from ..errors import EngineError
from ..files import atomic_path

WAV_HEADER_BYTES = 44
DIGEST_CHUNK = b"sha2"  # after the data: the data's SHA-256, so a change at the same size shows
DIGEST_BYTES = 32


def write_wav(path: Path, pcm: bytes, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


def write_wav_atomic(path: Path, pcm: bytes, rate: int) -> None:
    """A canonical WAV followed by a chunk holding the data's SHA-256 (readers skip it)."""
    with atomic_path(path) as tmp:
        write_wav(tmp, pcm, rate)
        digest = hashlib.sha256(pcm).digest()
        with tmp.open("r+b") as f:
            f.seek(0, 2)
            f.write(DIGEST_CHUNK + struct.pack("<I", DIGEST_BYTES) + digest)
            f.seek(4)
            f.write(struct.pack("<I", WAV_HEADER_BYTES - 8 + len(pcm) + 8 + DIGEST_BYTES))


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
    """(frames, rate) of a mono 16-bit WAV written by write_wav_atomic whose data is all
    there and unchanged (its SHA-256 matches), else None."""
    try:
        with wave.open(str(path), "rb") as w:
            frames, rate = w.getnframes(), w.getframerate()
            ok = w.getnchannels() == 1 and w.getsampwidth() == 2 and frames > 0
        data_end = WAV_HEADER_BYTES + frames * 2
        if not ok or path.stat().st_size != data_end + 8 + DIGEST_BYTES:
            return None
        with path.open("rb") as f:
            f.seek(WAV_HEADER_BYTES)
            data = f.read(frames * 2)
            tail = f.read()
        if tail == DIGEST_CHUNK + struct.pack("<I", DIGEST_BYTES) + hashlib.sha256(data).digest():
            return frames, rate
    except (OSError, EOFError, wave.Error):
        pass
    return None
