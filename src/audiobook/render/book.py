"""A plan's chunks -> the book's audio: chapter MP3s, the whole-book MP3, every chunk's
time. One Runner owns the threads; a failure stops everything and says how to resume."""

from __future__ import annotations

import functools
import hashlib
import itertools
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..audio import ffmpeg
from ..audio.loudness import Profile
from ..engines import Engine
from ..errors import EngineError, Interrupted
from ..events import Events
from ..model import ChapterAudio, Chunk, PlacedChapter, RenderedBook
from ..slug import slugify
from ..text.chapters import reading_pages
from ..text.plan import Plan
from .cache import ChapterCache, ChunkCache
from .chapter import ChapterJob, ChapterRenderer, Pending, chapter_key
from .remote import Remote, RemoteError
from .runner import Runner
from .synthesize import Rendered, Synthesizer

CHAPTERS_DIR = "chapters"
AHEAD_PER_JOB = 16  # chunks synthesized ahead of the stitcher, per synthesis worker


@dataclass(frozen=True)
class RenderOptions:
    profile: Profile
    jobs: int
    cache_root: Path
    keep_cache: bool = True  # False: --no-cache (the cache lives and dies with the build)
    remote: Remote | None = None  # a shared store behind cache_root (--cache-url)


def render_book(
    the_plan: Plan, engine: Engine, folder: Path, slug: str, options: RenderOptions,
    events: Events, settings: dict[str, Any], book_id: str = "",
) -> RenderedBook:  # fmt: skip
    """Write folder/chapters/NN-*.mp3 and folder/<slug>.mp3; every time in the result is
    in the decoded audio. An engine failure says how many chunks a re-run will reuse."""
    chapter_cache = ChapterCache(options.cache_root, options.remote)
    (folder / CHAPTERS_DIR).mkdir()
    jobs = [
        _job(the_plan, i, engine, folder, options.profile) for i in range(len(the_plan.chapters))
    ]
    runner = Runner()
    chunk_cache = ChunkCache(options.cache_root, options.remote)
    synth = Synthesizer(engine, chunk_cache, runner, options.jobs)
    events.start(len(the_plan.chunks), synth.cached_count(the_plan.chunks))
    try:
        with runner:
            renderer = _renderer(runner, engine, the_plan, options, chapter_cache)
            pending = [_start(job, synth, renderer, chapter_cache, events) for job in jobs]
            chapters = []
            for p in pending:
                chapters.append(renderer.result(p))
                events.chapter_done(chapters[-1])
    except (EngineError, RemoteError) as exc:
        raise type(exc)(f"{exc} {_resume_hint(synth, the_plan, options)}") from None
    except KeyboardInterrupt:
        raise Interrupted(f"Stopped: {_cached(synth, the_plan)}; re-run to resume.") from None
    book_file = f"{slug}.mp3"
    _join_book(chapters, [j.key for j in jobs], folder / book_file, chapter_cache)
    return RenderedBook(
        the_plan.document.info, folder, book_file, tuple(_place(chapters, folder, the_plan)),
        engine.describe(), settings, options.profile, book_id, synth.made, synth.reused,
    )  # fmt: skip


def cache_chapters(
    the_plan: Plan, engine: Engine, indexes: Sequence[int], options: RenderOptions
) -> tuple[int, int]:
    """Chapters `indexes` rendered into the chapter cache, nothing else written: a batch's
    chapter tasks, spread over its workers; the book's build then copies them. Returns the
    chunks (made, reused)."""
    runner = Runner()
    chapter_cache = ChapterCache(options.cache_root, options.remote)
    synth = Synthesizer(
        engine, ChunkCache(options.cache_root, options.remote), runner, options.jobs
    )
    with tempfile.TemporaryDirectory(prefix="audiobook-chapters-") as tmp:
        folder = Path(tmp)
        (folder / CHAPTERS_DIR).mkdir()
        with runner:
            renderer = _renderer(runner, engine, the_plan, options, chapter_cache)
            jobs = [_job(the_plan, i, engine, folder, options.profile) for i in indexes]
            pending = [_start(job, synth, renderer, chapter_cache, Events()) for job in jobs]
            for p in pending:
                renderer.result(p)
    return synth.made, synth.reused


def _renderer(
    runner: Runner, engine: Engine, the_plan: Plan, options: RenderOptions, cache: ChapterCache
) -> ChapterRenderer:
    return ChapterRenderer(
        runner, engine.caps.sample_rate, the_plan.pauses, options.profile, cache, options.jobs
    )


def _job(the_plan: Plan, i: int, engine: Engine, folder: Path, profile: Profile) -> ChapterJob:
    title = the_plan.document.chapters[i].title
    chunks = the_plan.chapters[i]
    out = folder / CHAPTERS_DIR / f"{i + 1:02d}-{slugify(title, 'chapitre')}.mp3"
    keys = [engine.cache_key(c.spoken, c.lang) for c in chunks]
    key = chapter_key(engine.describe(), keys, chunks, the_plan.pauses.head_ms, profile)
    return ChapterJob(i, title, chunks, out, key)


def _start(
    job: ChapterJob, synth: Synthesizer, renderer: ChapterRenderer, cache: ChapterCache,
    events: Events,
) -> Pending:  # fmt: skip
    """Queue a chapter: copied from the chapter cache, or its chunks synthesized."""
    hit = cache.lookup(job.key)
    if hit:
        synth.count_reused(job.chunks)
        for c in job.chunks:
            events.chunk_done(c, True)
        return renderer.reuse(job, hit)

    def submit(c: Chunk) -> Future[Rendered]:
        future = synth.submit(c)
        future.add_done_callback(functools.partial(_report, events, c))
        return future

    return renderer.render(job, _ahead(job.chunks, submit, AHEAD_PER_JOB * synth.workers))


def _ahead(
    chunks: Sequence[Chunk], submit: Callable[[Chunk], Future[Rendered]], window: int
) -> Iterator[Future[Rendered]]:
    """The chunks' futures in order, at most `window` submitted ahead of the one taken:
    memory stays flat in a chapter's length (a 50 MB text is one chapter of 350,000
    chunks). The first window is submitted now, so the engine has work while the chapter
    before this one finishes."""
    rest = iter(chunks)
    queued = deque(submit(c) for c in itertools.islice(rest, window))

    def taken() -> Iterator[Future[Rendered]]:
        while queued:
            future = queued.popleft()
            nxt = next(rest, None)
            if nxt is not None:
                queued.append(submit(nxt))
            yield future

    return taken()


def _report(events: Events, chunk: Chunk, future: Future[Rendered]) -> None:
    if not future.cancelled() and future.exception() is None:
        events.chunk_done(chunk, future.result().reused)


def _resume_hint(synth: Synthesizer, the_plan: Plan, options: RenderOptions) -> str:
    if not options.keep_cache:
        return "Nothing was cached (--no-cache): a re-run starts over."
    return f"Re-run the same command to resume: {_cached(synth, the_plan)}."


def _cached(synth: Synthesizer, the_plan: Plan) -> str:
    chunks = the_plan.chunks
    try:
        return f"{synth.cached_count(chunks)} of {synth.distinct(chunks)} chunks are cached"
    except RemoteError:  # the shared store is what failed: count nothing more there
        return "the chunks made so far are cached"


def _join_book(
    chapters: Sequence[ChapterAudio], keys: Sequence[str], out: Path, cache: ChapterCache
) -> None:
    """The chapter MP3s joined by stream copy; cached by the chapters' keys, so an
    unchanged rebuild copies it."""
    key = hashlib.sha256("".join(keys).encode()).hexdigest()
    hit = cache.lookup(key)
    if hit:
        shutil.copyfile(hit[0], out)
        return
    ffmpeg.concat_mp3([c.path for c in chapters], out)
    cache.store(key, out, {})


def _place(chapters: Sequence[ChapterAudio], folder: Path, the_plan: Plan) -> list[PlacedChapter]:
    """Each chapter starts where the previous one's MP3 frames end (stream-copy join); it
    carries the page targets of its text."""
    placed: list[PlacedChapter] = []
    start = 0.0
    for ch in chapters:
        end = start + ch.mp3_samples * 1000 / ch.sample_rate
        file = ch.path.relative_to(folder).as_posix()
        pages = reading_pages(the_plan.document, ch.index)
        placed.append(PlacedChapter(ch, file, start, end, pages))
        start = end
    return placed
