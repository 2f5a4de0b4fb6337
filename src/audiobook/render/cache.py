"""Content-addressed caches: one verified WAV per chunk (engine, version, voice, options,
language and spoken text), and encoded chapters keyed by everything that shapes them.
Either may be backed by a shared remote store (render/remote.py): the local folder is
its working copy."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..audio.wav import wav_frames, write_wav_atomic
from ..files import copy_file, write_text
from .remote import Remote

REMOTE_LOOKUPS_AT_ONCE = 16  # counting what a shared store holds: requests in flight


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audiobook"


class ChunkCache:
    """Entries live at root/ab/abcdef....wav; a truncated or corrupt entry counts as missing."""

    def __init__(self, root: Path, remote: Remote | None = None) -> None:
        self.root = root
        self.remote = remote

    def _rel(self, key: str) -> str:
        return f"{key[:2]}/{key}.wav"

    def path_for(self, key: str) -> Path:
        return self.root / self._rel(key)

    def lookup(self, key: str) -> tuple[Path, int, int] | None:
        path = self.path_for(key)
        info = wav_frames(path)
        if info is None and self.remote is not None and self.remote.get(self._rel(key), path):
            info = wav_frames(path)  # a corrupt remote entry is missing too: made again
        if info is None:
            return None
        return path, info[0], info[1]

    def store(self, key: str, pcm: bytes, rate: int) -> Path:
        path = self.path_for(key)
        write_wav_atomic(path, pcm, rate)
        if self.remote is not None:
            self.remote.put(path, self._rel(key))
        return path

    def count_cached(self, keys: set[str]) -> int:
        """How many of keys are cached here or in the shared store (without fetching)."""
        local = {k for k in keys if wav_frames(self.path_for(k)) is not None}
        if self.remote is None:
            return len(local)
        remote = self.remote
        with ThreadPoolExecutor(REMOTE_LOOKUPS_AT_ONCE) as pool:
            found = pool.map(lambda k: remote.exists(self._rel(k)), sorted(keys - local))
            return len(local) + sum(found)


class ChapterCache:
    """Encoded chapters: a rebuild whose chapter did not change copies its MP3 instead of
    stitching and encoding it again. The JSON (written last) records the MP3's size."""

    def __init__(self, root: Path, remote: Remote | None = None) -> None:
        self.root = root / "chapters"
        self.remote = remote

    def lookup(self, key: str) -> tuple[Path, dict[str, Any]] | None:
        hit = self._local(key)
        if hit is None and self.remote is not None and self._fetch(key):
            hit = self._local(key)
        return hit

    def _local(self, key: str) -> tuple[Path, dict[str, Any]] | None:
        mp3, meta = self.root / f"{key}.mp3", self.root / f"{key}.json"
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            if mp3.stat().st_size == data["bytes"]:
                return mp3, data
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def _fetch(self, key: str) -> bool:
        """The remote entry's JSON first (it is put last), then its MP3."""
        assert self.remote is not None
        return self.remote.get(f"chapters/{key}.json", self.root / f"{key}.json") and (
            self.remote.get(f"chapters/{key}.mp3", self.root / f"{key}.mp3")
        )

    def store(self, key: str, mp3: Path, meta: dict[str, Any]) -> None:
        copy_file(mp3, self.root / f"{key}.mp3")
        write_text(self.root / f"{key}.json", json.dumps({**meta, "bytes": mp3.stat().st_size}))
        if self.remote is not None:
            self.remote.put(self.root / f"{key}.mp3", f"chapters/{key}.mp3")
            self.remote.put(self.root / f"{key}.json", f"chapters/{key}.json")
