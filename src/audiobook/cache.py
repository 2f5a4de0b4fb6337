"""Content-addressed chunk cache: one verified WAV per engine, version, voice, options,
language and spoken text."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import wave
from pathlib import Path
from typing import Any

WAV_HEADER_BYTES = 44


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audiobook"


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


def write_wav_atomic(path: Path, pcm: bytes, rate: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
    try:
        with os.fdopen(fd, "wb") as f, wave.open(f, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ChunkCache:
    """Entries live at root/ab/abcdef....wav; a truncated or corrupt entry counts as missing."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def lookup(self, key: str) -> tuple[Path, int, int] | None:
        path = self.path_for(key)
        info = wav_frames(path)
        if info is None:
            return None
        return path, info[0], info[1]

    def store(self, key: str, pcm: bytes, rate: int) -> Path:
        path = self.path_for(key)
        write_wav_atomic(path, pcm, rate)
        return path


class ChapterCache:
    """Encoded chapters, keyed by everything that shapes their audio: a rebuild whose
    chapter did not change copies its MP3 instead of stitching and encoding it again."""

    def __init__(self, root: Path) -> None:
        self.root = root / "chapters"

    def lookup(self, key: str) -> tuple[Path, dict[str, Any]] | None:
        mp3, meta = self.root / f"{key}.mp3", self.root / f"{key}.json"
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            if mp3.stat().st_size == data["bytes"]:
                return mp3, data
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def store(self, key: str, mp3: Path, meta: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".mp3")
        os.close(fd)
        try:
            shutil.copyfile(mp3, tmp)
            os.replace(tmp, self.root / f"{key}.mp3")
            write_text_atomic(
                self.root / f"{key}.json",
                json.dumps({**meta, "bytes": mp3.stat().st_size}),
            )
        finally:
            Path(tmp).unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
