"""Content-addressed caches: one verified WAV per chunk (engine, version, voice, options,
language and spoken text), and encoded chapters keyed by everything that shapes them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..audio.wav import wav_frames, write_wav_atomic
from ..files import copy_file, write_text


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audiobook"


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
    """Encoded chapters: a rebuild whose chapter did not change copies its MP3 instead of
    stitching and encoding it again. The JSON (written last) records the MP3's size."""

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
        copy_file(mp3, self.root / f"{key}.mp3")
        write_text(self.root / f"{key}.json", json.dumps({**meta, "bytes": mp3.stat().st_size}))
