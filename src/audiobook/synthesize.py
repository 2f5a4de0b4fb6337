"""Chunks -> cached WAV files, in parallel, through the content-addressed cache."""

from __future__ import annotations

import tempfile
import threading
import wave
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .cache import ChunkCache
from .engines import Engine
from .errors import EngineError
from .model import Chunk, RenderedChunk

SILENCE_THRESHOLD = 300  # int16 amplitude, about -41 dBFS
EDGE_MARGIN_MS = 40

Rendered = tuple[Path, int, int, bool]  # cache path, frames, sample rate, reused


def trim_silence(pcm: np.ndarray, rate: int) -> np.ndarray:
    """Cut the engine's own leading/trailing silence so our pauses alone set the rhythm."""
    loud = np.flatnonzero(np.abs(pcm) > SILENCE_THRESHOLD)
    if loud.size == 0:
        return pcm[: int(rate * 0.1)]
    margin = int(rate * EDGE_MARGIN_MS / 1000)
    return pcm[max(0, loud[0] - margin) : loud[-1] + margin]


def read_wav_mono16(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        data = w.readframes(w.getnframes())
    if width != 2:
        raise EngineError(f"engine wrote {8 * width}-bit audio; 16-bit was expected.")
    pcm = np.frombuffer(data, dtype="<i2")
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1).astype("<i2")
    return pcm, rate


class Synthesizer:
    """Renders chunks once per cache key; a failure stops everything not yet started."""

    def __init__(self, engine: Engine, cache: ChunkCache, jobs: int) -> None:
        self.engine = engine
        self.cache = cache
        limit = engine.max_concurrency
        if engine.IO_BOUND:  # the engine bounds its requests itself
            self.workers = 2 * (limit or jobs)
        else:
            self.workers = max(1, min(jobs, limit) if limit else jobs)
        self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="synth")
        self._by_key: dict[str, Future[Rendered]] = {}
        self._lock = threading.Lock()
        self._failed = threading.Event()
        self.made = 0
        self.reused = 0

    def _render(self, key: str, chunk: Chunk) -> Rendered:
        hit = self.cache.lookup(key)
        if hit:
            return (*hit, True)
        if self._failed.is_set():
            raise EngineError("stopped after an earlier chunk failed.")
        with tempfile.TemporaryDirectory(prefix="audiobook-") as tmp:
            raw = Path(tmp) / "chunk.wav"
            self.engine.synthesize(chunk.spoken, chunk.lang, raw)
            pcm, rate = read_wav_mono16(raw)
        path = self.cache.store(key, trim_silence(pcm, rate).tobytes(), rate)
        frames = (path.stat().st_size - 44) // 2
        return path, frames, rate, False

    def submit(self, chunk: Chunk) -> Future[Rendered]:
        key = self.engine.cache_key(chunk.spoken, chunk.lang)
        with self._lock:
            fut = self._by_key.get(key)
            new = fut is None
            if fut is None:
                fut = self._by_key[key] = self.pool.submit(self._render, key, chunk)
        if new:  # outside the lock: a finished future runs the callback right here
            fut.add_done_callback(self._count)
        return fut

    def _count(self, fut: Future[Rendered]) -> None:
        if fut.cancelled() or fut.exception() is not None:
            self._failed.set()
            return
        with self._lock:
            if fut.result()[3]:
                self.reused += 1
            else:
                self.made += 1

    def count_reused(self, chunks: Sequence[Chunk]) -> None:
        """Chunks whose whole chapter came from the chapter cache."""
        with self._lock:
            self.reused += len({self.engine.cache_key(c.spoken, c.lang) for c in chunks})

    def cached_count(self, chunks: Sequence[Chunk]) -> int:
        keys = {self.engine.cache_key(c.spoken, c.lang) for c in chunks}
        return sum(1 for k in keys if self.cache.lookup(k))

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def rendered(chunk: Chunk, fut: Future[Rendered]) -> RenderedChunk:
    path, frames, rate, reused = fut.result()
    return RenderedChunk(chunk, path, frames * 1000 / rate, reused)
