"""Chunks -> cached WAV files, in parallel, once per cache key."""

from __future__ import annotations

import tempfile
import threading
import wave
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from ..audio.silence import trim_silence
from ..audio.wav import read_wav_mono16
from ..engines import Engine
from ..errors import EngineError
from ..model import Chunk
from .cache import ChunkCache
from .runner import Runner

POOL = "synth"
PLAUSIBLE_MIN_LETTERS = 12  # shorter texts ("Oui.") vary too much to judge
MIN_S_PER_LETTER = 0.02  # French read at 450 words per minute is about 0.025 s a letter
MAX_S_PER_LETTER = 2.0  # a letter of another script may be read out by its name
MAX_EXTRA_S = 2.0


@dataclass(frozen=True)
class Rendered:
    """A chunk's audio in the cache."""

    path: Path
    frames: int
    rate: int
    reused: bool

    @property
    def duration_ms(self) -> float:
        return self.frames * 1000 / self.rate


def check_plausible(chunk: Chunk, seconds: float, engine: str) -> None:
    """Audio is cached only when its length can be the reading of its text: a truncated
    or empty answer must not be kept for good."""
    letters = sum(ch.isalnum() for ch in chunk.spoken)
    if letters < PLAUSIBLE_MIN_LETTERS:
        return
    low, high = letters * MIN_S_PER_LETTER, letters * MAX_S_PER_LETTER + MAX_EXTRA_S
    if not low <= seconds <= high:
        raise EngineError(
            f"{engine} made {seconds:.2f} s of audio for {letters} letters in chunk {chunk.id} "
            f"(expected {low:.1f} to {high:.0f} s): a truncated or broken answer; it was not "
            "cached."
        )


def synth_workers(engine: Engine, jobs: int) -> int:
    limit = engine.max_concurrency
    if engine.caps.network:  # the engine bounds its requests itself; decoding overlaps them
        return 2 * (limit or jobs)
    return max(1, min(jobs, limit) if limit else jobs)


class Synthesizer:
    """Renders each distinct chunk once (identical chunks share one future)."""

    def __init__(self, engine: Engine, cache: ChunkCache, runner: Runner, jobs: int) -> None:
        self.engine = engine
        self.cache = cache
        self.runner = runner
        self.workers = synth_workers(engine, jobs)
        runner.pool(POOL, self.workers)
        self._by_key: dict[str, Future[Rendered]] = {}
        self._lock = threading.Lock()
        self.made = 0
        self.reused = 0

    def key(self, chunk: Chunk) -> str:
        return self.engine.cache_key(chunk.spoken, chunk.lang)

    def _render(self, key: str, chunk: Chunk) -> Rendered:
        hit = self.cache.lookup(key)
        if hit:
            return Rendered(*hit, reused=True)
        with tempfile.TemporaryDirectory(prefix="audiobook-") as tmp:
            raw = Path(tmp) / "chunk.wav"
            self.engine.synthesize(chunk.spoken, chunk.lang, raw)
            try:
                pcm, rate = read_wav_mono16(raw)
            except (OSError, EOFError, wave.Error) as exc:
                raise EngineError(f"{self.engine.NAME} wrote no readable WAV ({exc}).") from None
        check_plausible(chunk, pcm.size / rate, self.engine.NAME)
        trimmed = trim_silence(pcm, rate).tobytes()
        return Rendered(self.cache.store(key, trimmed, rate), len(trimmed) // 2, rate, False)

    def submit(self, chunk: Chunk) -> Future[Rendered]:
        key = self.key(chunk)
        with self._lock:
            future = self._by_key.get(key)
            new = future is None
            if future is None:
                future = self._by_key[key] = self.runner.submit(POOL, self._render, key, chunk)
        if new:  # outside the lock: a finished future runs the callback right here
            future.add_done_callback(self._count)
        return future

    def _count(self, future: Future[Rendered]) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        with self._lock:
            if future.result().reused:
                self.reused += 1
            else:
                self.made += 1

    def count_reused(self, chunks: Sequence[Chunk]) -> None:
        """Chunks whose whole chapter came from the chapter cache."""
        with self._lock:
            self.reused += len({self.key(c) for c in chunks})

    def distinct(self, chunks: Sequence[Chunk]) -> int:
        return len({self.key(c) for c in chunks})

    def cached_count(self, chunks: Sequence[Chunk]) -> int:
        return self.cache.count_cached({self.key(c) for c in chunks})
