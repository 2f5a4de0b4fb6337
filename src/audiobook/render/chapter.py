"""One chapter's audio: stitched as its chunks arrive, leveled with one gain, encoded in
segments on every core, joined by stream copy; or copied from the chapter cache."""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import shutil
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..audio import ffmpeg, mp3
from ..audio.loudness import Profile, apply_gain
from ..audio.stitch import (
    SEGMENT_TARGET_S,
    Stitcher,
    chapter_gain,
    cut_after,
    halfway_cut,
    replay,
)
from ..model import ChapterAudio, Chunk, ChunkTiming
from ..text.chunk import Pauses
from .cache import ChapterCache
from .runner import Runner, Slot
from .synthesize import Rendered

FINISH, ENCODE, JOIN = "chapter", "encode", "join"  # the pools this module uses
CHAPTERS_IN_FLIGHT = 2  # chapters being stitched or waiting for their encodes
SEGMENTS_QUEUED_PER_JOB = 2  # leveled segments waiting for an encoder: bounded memory
GAIN_ESTIMATE_AFTER_S = 60.0  # stitched audio a chapter's gain is first estimated on
GAIN_ESTIMATE_TOLERANCE_DB = 0.25  # an estimate this close to the whole chapter's gain is kept

Pending = Future[Future[ChapterAudio]]  # the finisher's future of the joiner's future


@dataclass(frozen=True)
class ChapterJob:
    """What to make: a chapter's chunks, the MP3 to write, its cache key."""

    index: int
    title: str
    chunks: tuple[Chunk, ...]
    out: Path
    key: str

    def part(self, k: int) -> Path:
        return self.out.with_name(f".{self.out.stem}.{k:04d}.mp3")


@dataclass
class _Encoding:
    """A chapter between stitching and joining: its segments and the encodes under way."""

    job: ChapterJob
    slot: Slot
    cuts: list[int] = field(default_factory=lambda: [0])
    encodes: list[Future[None]] = field(default_factory=list)
    gain_db: float | None = None


def chapter_key(
    engine: dict[str, Any], keys: Sequence[str], chunks: Sequence[Chunk], head_ms: int,
    profile: Profile,
) -> str:  # fmt: skip
    """Everything that shapes a chapter's encoded audio."""
    blob = json.dumps(
        [
            __version__,
            engine,
            [(k, c.pause_after_ms, c.breaks) for k, c in zip(keys, chunks, strict=True)],
            head_ms,
            asdict(profile),
            SEGMENT_TARGET_S,
        ],
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


class ChapterRenderer:
    """Chapters one at a time on the FINISH thread (numpy holds the GIL and the memory);
    their segments encode on ENCODE meanwhile, and JOIN joins them, so the next chapter is
    stitched while the last one encodes. At most CHAPTERS_IN_FLIGHT chapters hold PCM."""

    def __init__(
        self, runner: Runner, rate: int, pauses: Pauses, profile: Profile, cache: ChapterCache,
        jobs: int,
    ) -> None:  # fmt: skip
        self.runner = runner
        self.rate = rate
        self.pauses = pauses
        self.profile = profile
        self.cache = cache
        self.memory = threading.BoundedSemaphore(CHAPTERS_IN_FLIGHT)
        self.queue = threading.BoundedSemaphore(SEGMENTS_QUEUED_PER_JOB * jobs)
        runner.pool(FINISH, 1)
        runner.pool(ENCODE, jobs)
        runner.pool(JOIN, 1)

    def render(self, job: ChapterJob, chunks: Iterable[Future[Rendered]]) -> Pending:
        """The chapter's audio, made from its chunks' futures as they complete."""
        return self.runner.submit(FINISH, self._finish, job, chunks)

    def reuse(self, job: ChapterJob, hit: tuple[Path, dict[str, Any]]) -> Pending:
        return self.runner.submit(FINISH, self.runner.submit, JOIN, self._reuse, job, hit)

    def result(self, pending: Pending) -> ChapterAudio:
        """Wait for a chapter (in order: the finisher takes them one by one)."""
        return self.runner.wait(self.runner.wait(pending))

    def _encode(self, state: _Encoding, pcm: np.ndarray, k: int) -> None:
        """Level segment k and queue its encoding (at most SEGMENTS_QUEUED wait at once)."""
        assert state.gain_db is not None
        slot = self.runner.acquire(self.queue)
        try:
            leveled = apply_gain(pcm, state.gain_db, self.profile.peak_max_db)
            encode = functools.partial(
                ffmpeg.encode_mp3, out_rate=self.profile.sample_rate,
                bitrate_kbps=self.profile.bitrate_kbps,
            )  # fmt: skip
            pcm_bytes = leveled.data.cast("B")  # a subprocess takes bytes
            future = self.runner.submit(ENCODE, encode, pcm_bytes, self.rate, state.job.part(k))
        except BaseException:
            slot.release()
            raise
        future.add_done_callback(lambda _: slot.release())
        state.encodes.append(future)

    def _finish(self, job: ChapterJob, chunks: Iterable[Future[Rendered]]) -> Future[ChapterAudio]:
        """Stitch, level and encode; hand the segments to the joiner.

        Encoding does not wait for the chapter's last chunk: once GAIN_ESTIMATE_AFTER_S are
        stitched, the gain is estimated on them and each finished segment is encoded with
        it, then dropped from memory. When the chapter is whole its gain is measured on its
        samples made again from the chunk files; an estimate off by more than
        GAIN_ESTIMATE_TOLERANCE_DB is thrown away and every segment encoded again."""
        state = _Encoding(job, self.runner.acquire(self.memory))
        try:
            stitcher = self._stitch(state, chunks)
            length = stitcher.samples
            tail = halfway_cut(stitcher.timings, state.cuts[-1], length, self.rate)
            if tail is not None:
                state.cuts.append(tail)
            bounds = [*state.cuts, length]

            def parts() -> Iterator[np.ndarray]:
                return replay(self.pauses.head_ms, self.rate, stitcher.sources, bounds)

            gain = chapter_gain(parts, self.rate, self.profile)
            if state.gain_db is None or abs(gain - state.gain_db) > GAIN_ESTIMATE_TOLERANCE_DB:
                for encode in state.encodes:  # the same files are written again
                    self.runner.wait(encode)
                state.encodes, state.gain_db = [], gain
            first = len(state.encodes)
            held = bounds[first] >= stitcher.start  # the rest is still in memory
            pieces = (
                (
                    stitcher.pcm(a, b)
                    for a, b in zip(bounds[first:], bounds[first + 1 :], strict=False)
                )
                if held
                else itertools.islice(parts(), first, None)
            )
            for k, pcm in enumerate(pieces, first):
                self._encode(state, pcm, k)
            return self.runner.submit(JOIN, self._join, state, length,
                                      tuple(stitcher.timings))  # fmt: skip
        except BaseException:
            state.slot.release()  # the joiner would have released it
            raise

    def _stitch(self, state: _Encoding, chunks: Iterable[Future[Rendered]]) -> Stitcher:
        stitcher = Stitcher(self.pauses.head_ms, self.rate)
        last = len(state.job.chunks) - 1
        for n, (chunk, future) in enumerate(zip(state.job.chunks, chunks, strict=True)):
            t = stitcher.add(chunk, self.runner.wait(future).path)
            cut = cut_after(t, stitcher.samples * 1000 / self.rate, state.cuts[-1], self.rate)
            if n == last or cut is None:
                continue
            state.cuts.append(cut)
            if state.gain_db is None and cut >= GAIN_ESTIMATE_AFTER_S * self.rate:
                head = [stitcher.pcm(0, cut)]
                state.gain_db = chapter_gain(functools.partial(iter, head), self.rate, self.profile)
            if state.gain_db is not None:
                for k in range(len(state.encodes), len(state.cuts) - 1):
                    self._encode(state, stitcher.pcm(state.cuts[k], state.cuts[k + 1]), k)
                stitcher.drop_before(state.cuts[-1])  # encoded: memory stays bounded
        return stitcher

    def _join(self, state: _Encoding, length: int, timings: Sequence[ChunkTiming]) -> ChapterAudio:
        """Wait for the segments, join them; chunk times move to where each segment's
        frames land in the joined MP3."""
        try:
            for encode in state.encodes:
                self.runner.wait(encode)
        finally:
            state.slot.release()
        job, cuts = state.job, state.cuts
        parts = [job.part(k) for k in range(len(cuts))]
        offsets_ms = [0.0]
        for part in parts[:-1]:
            samples, out_rate = mp3.mp3_samples(part)
            offsets_ms.append(offsets_ms[-1] + samples * 1000 / out_rate)
        if len(parts) == 1:
            parts[0].replace(job.out)
        else:
            ffmpeg.concat_mp3(parts, job.out)
            for part in parts:
                part.unlink()
        moved = tuple(_shift(t, cuts, offsets_ms, self.rate) for t in timings)
        duration_ms = offsets_ms[-1] + (length - cuts[-1]) * 1000 / self.rate
        samples, out_rate = mp3.mp3_samples(job.out)
        chapter = ChapterAudio(job.index, job.title, job.out, duration_ms, samples, out_rate, moved)
        self._store(chapter, job.key)
        return chapter

    def _store(self, chapter: ChapterAudio, key: str) -> None:
        timings = [[t.start_ms, t.end_ms, [list(p) for p in t.parts]] for t in chapter.timings]
        self.cache.store(
            key, chapter.path, {"duration_ms": chapter.duration_ms, "timings": timings}
        )

    def _reuse(self, job: ChapterJob, hit: tuple[Path, dict[str, Any]]) -> ChapterAudio:
        cached, meta = hit
        shutil.copyfile(cached, job.out)
        samples, rate = mp3.mp3_samples(job.out)
        timings = tuple(
            ChunkTiming(c, start, end, tuple((a, b) for a, b in parts))
            for c, (start, end, parts) in zip(job.chunks, meta["timings"], strict=True)
        )
        duration_ms = float(meta["duration_ms"])
        return ChapterAudio(job.index, job.title, job.out, duration_ms, samples, rate, timings)


def _shift(
    t: ChunkTiming, cuts: Sequence[int], offsets_ms: Sequence[float], rate: int
) -> ChunkTiming:
    k = bisect.bisect_right(cuts, int(t.start_ms * rate / 1000)) - 1
    delta = offsets_ms[k] - cuts[k] * 1000 / rate
    parts = tuple((a + delta, b + delta) for a, b in t.parts)
    return ChunkTiming(t.chunk, t.start_ms + delta, t.end_ms + delta, parts)
