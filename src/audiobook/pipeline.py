"""The stages, top to bottom. Stages do no hidden I/O; this module does it."""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__, audio, tags
from .cache import ChapterCache, ChunkCache, default_cache_dir
from .chapters import build_document, reading_order
from .chunk import Pauses, chunk_chapter
from .engines import ENGINES, Engine, EngineOptions, make_engine, resolve_auto
from .engines.gtts import probe
from .errors import EngineError, InputError
from .export import PlacedChapter, cues, manifest, podcast_chapters, slugify, srt, vtt, write_json
from .lexicon import Lexicon, load_lexicon
from .load import Source, load
from .loudness import PROFILES, Profile, apply_gain
from .m4b import make_m4b
from .model import ChapterAudio, Chunk, ChunkTiming, Document
from .speech import make_speaker
from .stitch import SEGMENT_TARGET_S, Stitcher, chapter_gain, cut_after, halfway_cut
from .synthesize import Rendered, Synthesizer, rendered

CHAPTERS_IN_FLIGHT = 2
GAIN_ESTIMATE_AFTER_S = 60.0  # stitched audio a chapter's gain is first estimated on
GAIN_ESTIMATE_TOLERANCE_DB = 0.25  # an estimate this close to the whole chapter's gain is kept


def default_jobs() -> int:
    return os.cpu_count() or 2


@dataclass(frozen=True)
class BuildOptions:
    output_root: Path = Path("output")
    engine: str = "auto"
    engine_options: EngineOptions = field(default_factory=EngineOptions)
    jobs: int = field(default_factory=default_jobs)
    cache_dir: Path | None = None
    use_cache: bool = True
    split_minutes: float | None = None
    profile: str = "podcast"
    pauses: dict[str, int] = field(default_factory=dict)
    m4b: bool = False


class Events:
    """What a long build reports as it goes; the CLI draws it, the library stays silent."""

    def engine_chosen(self, engine: Engine, reason: str) -> None: ...
    def warning(self, message: str) -> None: ...
    def start(self, total_chunks: int, cached_chunks: int) -> None: ...
    def chunk_done(self, chunk: Chunk, reused: bool) -> None: ...
    def chapter_done(self, chapter: ChapterAudio) -> None: ...


@dataclass(frozen=True)
class Plan:
    source: Source
    document: Document
    pauses: Pauses
    lexicon: Lexicon
    chapters: tuple[tuple[Chunk, ...], ...]


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    book_path: Path
    files: tuple[Path, ...]
    duration_ms: float
    chapters: int
    chunks_made: int
    chunks_reused: int
    seconds: float
    engine: str


def choose_engine(options: BuildOptions) -> tuple[Engine, str]:
    if options.engine == "auto":
        return resolve_auto(options.engine_options, probe)
    return make_engine(options.engine, options.engine_options), f"--engine {options.engine}"


def plan(source: Source, engine: Engine, options: BuildOptions) -> Plan:
    """Load -> repair -> chapters -> chunks with their spoken text. No audio."""
    split = options.split_minutes or source.split_minutes
    document = build_document(source, split)
    if not document.chapters:
        raise InputError(f"{source.info.source or source.info.title}: no readable text found.")
    try:
        pauses = Pauses().with_overrides({**source.pauses, **options.pauses})
    except ValueError as exc:
        raise InputError(f"{exc}.") from None
    lexicon = load_lexicon(source.hints_path)
    speak = make_speaker(lexicon, engine.NAME)
    chapters = []
    for i in range(len(document.chapters)):
        chapters.append(
            tuple(
                chunk_chapter(
                    i,
                    reading_order(document, i),
                    max_chars=engine.MAX_CHARS,
                    pauses=pauses,
                    segment=lambda s: lexicon.segment(s, engine.LANGUAGES),
                    speak=speak,
                    last_pause_ms=pauses.chapter_ms,
                    pack=engine.PACK_SENTENCES,
                )
            )
        )
    return Plan(source, document, pauses, lexicon, tuple(chapters))


def preview_engine(name: str, options: EngineOptions) -> Engine:
    """An engine to size chunks with, without checking it can run (preview makes no audio)."""
    if name == "auto":
        name = "gtts" if probe() else "espeak"
    if name not in ENGINES:
        raise EngineError(f"unknown engine '{name}' (known: {', '.join(ENGINES)}).")
    return ENGINES[name](options)


def _finish_chapter(
    index: int,
    title: str,
    chunks: Sequence[Chunk],
    futures: Sequence[Future[Rendered]],
    engine: Engine,
    pauses: Pauses,
    profile: Profile,
    out: Path,
    encoder: ThreadPoolExecutor,
    joiner: ThreadPoolExecutor,
    in_flight: threading.Semaphore,
    keep: Callable[[ChapterAudio], None],
) -> Future[ChapterAudio]:
    """Stitch the chunks as they arrive, level (one gain), encode in segments on all cores;
    the joiner thread waits for the segments and joins them by stream copy, so the next
    chapter can be stitched meanwhile. Chunk times move to where each segment's frames land.

    Encoding does not wait for the chapter's last chunk (the tail of a build): once
    GAIN_ESTIMATE_AFTER_S are stitched, the gain is estimated on them and every finished
    segment is encoded with it. When the chapter is whole its gain is measured; an estimate
    off by more than GAIN_ESTIMATE_TOLERANCE_DB is thrown away and all segments re-encoded.
    """
    in_flight.acquire()  # released by the joiner once this chapter's PCM is encoded
    rate = engine.SAMPLE_RATE
    stitcher = Stitcher(pauses.head_ms, rate)
    cuts = [0]
    jobs: list[Future[None]] = []

    def part(k: int) -> Path:
        return out.with_name(f".{out.stem}.{k:04d}.mp3")

    def encode(pcm: np.ndarray, gain_db: float, k: int) -> Future[None]:
        return encoder.submit(
            audio.encode_mp3,
            apply_gain(pcm, gain_db, profile.peak_max_db).data.cast("B"),  # subprocess: bytes
            rate,
            part(k),
            out_rate=profile.sample_rate,
            bitrate_kbps=profile.bitrate_kbps,
        )

    estimate: float | None = None
    for n, (c, f) in enumerate(zip(chunks, futures, strict=True)):
        t = stitcher.add(rendered(c, f))
        cut = cut_after(t, stitcher.samples * 1000 / rate, cuts[-1], rate)
        if n == len(chunks) - 1 or cut is None:
            continue
        cuts.append(cut)
        if estimate is None and cut >= GAIN_ESTIMATE_AFTER_S * rate:
            estimate = chapter_gain(stitcher.pcm(0, cut), rate, profile)
        if estimate is not None:
            for k in range(len(jobs), len(cuts) - 1):
                jobs.append(encode(stitcher.pcm(cuts[k], cuts[k + 1]), estimate, k))
    whole = stitcher.whole()
    tail = halfway_cut(stitcher.timings, cuts[-1], len(whole), rate)
    if tail is not None:
        cuts.append(tail)
    gain = chapter_gain(whole, rate, profile)
    if estimate is None or abs(gain - estimate) > GAIN_ESTIMATE_TOLERANCE_DB:
        for job in jobs:  # the same files are written again: let these finish first
            with contextlib.suppress(Exception):
                job.result()
        jobs, estimate = [], gain
    ends = [*cuts[1:], len(whole)]
    for k in range(len(jobs), len(cuts)):
        jobs.append(encode(whole[cuts[k] : ends[k]], estimate, k))
    del whole  # the segments hold what the encoders still need
    return joiner.submit(
        _join_chapter, index, title, out, [part(k) for k in range(len(cuts))], jobs, cuts,
        stitcher.samples, rate, tuple(stitcher.timings), keep, in_flight,
    )  # fmt: skip


def _join_chapter(
    index: int,
    title: str,
    out: Path,
    parts: Sequence[Path],
    jobs: Sequence[Future[None]],
    cuts: Sequence[int],
    length: int,
    rate: int,
    timings: Sequence[ChunkTiming],
    keep: Callable[[ChapterAudio], None],
    in_flight: threading.Semaphore,
) -> ChapterAudio:
    try:
        for job in jobs:
            job.result()
    finally:
        in_flight.release()
    offsets_ms = [0.0]
    for part in parts[:-1]:
        samples, out_rate = audio.mp3_samples(part)
        offsets_ms.append(offsets_ms[-1] + samples * 1000 / out_rate)
    if len(parts) == 1:
        parts[0].replace(out)
    else:
        audio.concat_mp3(parts, out, out.with_suffix(".txt"))
        out.with_suffix(".txt").unlink()
        for part in parts:
            part.unlink()
    moved = tuple(_shift(t, cuts, offsets_ms, rate) for t in timings)
    duration_ms = offsets_ms[-1] + (length - cuts[-1]) * 1000 / rate
    samples, out_rate = audio.mp3_samples(out)
    chapter = ChapterAudio(index, title, out, duration_ms, samples, out_rate, moved)
    keep(chapter)
    return chapter


def _chapter_key(engine: Engine, chunks: Sequence[Chunk], pauses: Pauses, profile: Profile) -> str:
    """Everything that shapes a chapter's encoded audio."""
    blob = json.dumps(
        [
            __version__,
            engine.describe(),
            [(engine.cache_key(c.spoken, c.lang), c.pause_after_ms, c.breaks) for c in chunks],
            pauses.head_ms,
            asdict(profile),
            SEGMENT_TARGET_S,
        ],
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _store_chapter(cache: ChapterCache, key: str, chapter: ChapterAudio) -> None:
    timings = [[t.start_ms, t.end_ms, [list(p) for p in t.parts]] for t in chapter.timings]
    cache.store(key, chapter.path, {"duration_ms": chapter.duration_ms, "timings": timings})


def _reuse_chapter(
    index: int,
    title: str,
    chunks: Sequence[Chunk],
    hit: tuple[Path, dict[str, Any]],
    out: Path,
) -> ChapterAudio:
    cached, meta = hit
    shutil.copyfile(cached, out)
    samples, rate = audio.mp3_samples(out)
    timings = tuple(
        ChunkTiming(c, start, end, tuple((a, b) for a, b in parts))
        for c, (start, end, parts) in zip(chunks, meta["timings"], strict=True)
    )
    return ChapterAudio(index, title, out, meta["duration_ms"], samples, rate, timings)


def _shift(
    t: ChunkTiming, cuts: Sequence[int], offsets_ms: Sequence[float], rate: int
) -> ChunkTiming:
    k = bisect.bisect_right(cuts, int(t.start_ms * rate / 1000)) - 1
    delta = offsets_ms[k] - cuts[k] * 1000 / rate
    parts = tuple((a + delta, b + delta) for a, b in t.parts)
    return ChunkTiming(t.chunk, t.start_ms + delta, t.end_ms + delta, parts)


def _swap_into_place(staging: Path, final: Path) -> None:
    """Replace the previous output in two renames; a reader never sees a half-built book."""
    staging.chmod(0o755)  # mkdtemp makes it private
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    staging.rename(final)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def _clean_stale(root: Path, slug: str) -> None:
    for stale in root.glob(f".{slug}.*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def build(source_path: Path, options: BuildOptions, events: Events | None = None) -> BuildResult:
    events = events or Events()
    started = time.monotonic()
    if options.profile not in PROFILES:
        raise InputError(f"unknown profile '{options.profile}' (known: {', '.join(PROFILES)}).")
    profile = PROFILES[options.profile]
    audio.require_ffmpeg()
    source = load(source_path)
    for w in source.warnings:
        events.warning(w)
    engine, reason = choose_engine(options)
    events.engine_chosen(engine, reason)
    the_plan = plan(source, engine, options)
    info = the_plan.document.info
    slug = slugify(info.title)
    options.output_root.mkdir(parents=True, exist_ok=True)
    _clean_stale(options.output_root, slug)
    staging = Path(tempfile.mkdtemp(prefix=f".{slug}.", dir=options.output_root))
    cache_root = (
        (options.cache_dir or default_cache_dir()) if options.use_cache else staging / ".cache"
    )
    synth = Synthesizer(engine, ChunkCache(cache_root), options.jobs)
    chapter_cache = ChapterCache(cache_root)
    all_chunks = [c for chapter in the_plan.chapters for c in chapter]
    try:
        events.start(len(all_chunks), synth.cached_count(all_chunks))
        (staging / "chapters").mkdir()
        chapter_futures: list[Future[Future[ChapterAudio]]] = []
        chapter_keys: list[str] = []
        # Chapters whose PCM waits for the encoders: the memory a build needs, whatever
        # the book's length.
        in_flight = threading.BoundedSemaphore(CHAPTERS_IN_FLIGHT)
        with (
            # One chapter is stitched and leveled at a time (numpy holds the GIL and the
            # memory); its segments are encoded by ffmpeg on every core meanwhile.
            ThreadPoolExecutor(1, thread_name_prefix="chapter") as finisher,
            ThreadPoolExecutor(options.jobs, thread_name_prefix="encode") as encoder,
            ThreadPoolExecutor(1, thread_name_prefix="join") as joiner,
        ):
            for i, chunks in enumerate(the_plan.chapters):
                title = the_plan.document.chapters[i].title
                out = staging / "chapters" / f"{i + 1:02d}-{slugify(title, 'chapitre')}.mp3"
                key = _chapter_key(engine, chunks, the_plan.pauses, profile)
                chapter_keys.append(key)
                hit = chapter_cache.lookup(key)
                if hit:
                    synth.count_reused(chunks)
                    for c in chunks:
                        events.chunk_done(c, True)
                    chapter_futures.append(
                        finisher.submit(joiner.submit, _reuse_chapter, i, title, chunks, hit, out)
                    )
                    continue
                futures = []
                for c in chunks:
                    fut = synth.submit(c)
                    fut.add_done_callback(_reporter(events, c))
                    futures.append(fut)
                chapter_futures.append(
                    finisher.submit(
                        _finish_chapter,
                        i,
                        title,
                        chunks,
                        futures,
                        engine,
                        the_plan.pauses,
                        profile,
                        out,
                        encoder,
                        joiner,
                        in_flight,
                        functools.partial(_store_chapter, chapter_cache, key),
                    )  # fmt: skip
                )
            chapters: list[ChapterAudio] = []
            try:
                for f in chapter_futures:
                    chapters.append(f.result().result())
                    events.chapter_done(chapters[-1])
            except BaseException:
                synth.shutdown()
                for f in chapter_futures:
                    f.cancel()
                raise
        placed = _place(chapters, staging)
        book_path = staging / f"{slug}.mp3"
        # The joined book is cached too (by its chapters): an unchanged rebuild copies it.
        book_key = hashlib.sha256("".join(chapter_keys).encode()).hexdigest()
        book_hit = chapter_cache.lookup(book_key)
        if book_hit:
            shutil.copyfile(book_hit[0], book_path)
        else:
            audio.concat_mp3([c.path for c in chapters], book_path, staging / ".concat.txt")
            (staging / ".concat.txt").unlink()
            chapter_cache.store(book_key, book_path, {})
        duration_ms = placed[-1].start_ms + chapters[-1].duration_ms
        _write_tags(the_plan, placed, book_path)
        settings: dict[str, Any] = {
            "profile": asdict(profile),
            "pauses_ms": asdict(the_plan.pauses),
            "split_minutes": options.split_minutes or source.split_minutes,
            "engine_choice": reason,
        }
        write_json(
            staging / "manifest.json",
            manifest(info, engine.describe(), settings, book_path.name, duration_ms, placed),
        )
        write_json(staging / "chapters.json", podcast_chapters(info, placed))
        all_cues = cues(placed)
        (staging / "transcript.vtt").write_text(vtt(all_cues), encoding="utf-8")
        (staging / "transcript.srt").write_text(srt(all_cues), encoding="utf-8")
        if not options.use_cache:
            shutil.rmtree(staging / ".cache", ignore_errors=True)
        if info.cover:
            shutil.copyfile(info.cover, staging / f"cover{info.cover.suffix.lower()}")
        if options.m4b:
            make_m4b(staging, bitrate_kbps=profile.bitrate_kbps)
        final = options.output_root / slug
        _swap_into_place(staging, final)
    except EngineError as exc:
        total = len({engine.cache_key(c.spoken, c.lang) for c in all_chunks})
        if options.use_cache:
            hint = (
                f"Re-run the same command to resume: {synth.cached_count(all_chunks)} of "
                f"{total} chunks are cached."
            )
        else:
            hint = "Nothing was cached (--no-cache): a re-run starts over."
        raise EngineError(f"{exc} {hint}") from None
    finally:
        synth.shutdown()
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    files = sorted(p for p in final.rglob("*") if p.is_file())
    return BuildResult(
        out_dir=final,
        book_path=final / book_path.name,
        files=tuple(files),
        duration_ms=duration_ms,
        chapters=len(chapters),
        chunks_made=synth.made,
        chunks_reused=synth.reused,
        seconds=time.monotonic() - started,
        engine=engine.NAME,
    )


def _reporter(events: Events, chunk: Chunk) -> Callable[[Future[Rendered]], None]:
    def report(fut: Future[Rendered]) -> None:
        if not fut.cancelled() and fut.exception() is None:
            events.chunk_done(chunk, fut.result()[3])

    return report


def _place(chapters: Sequence[ChapterAudio], staging: Path) -> list[PlacedChapter]:
    """Each chapter starts where the previous one's MP3 frames end (stream-copy join)."""
    placed: list[PlacedChapter] = []
    start = 0.0
    for ch in chapters:
        end = start + ch.mp3_samples * 1000 / ch.sample_rate
        placed.append(PlacedChapter(ch, str(ch.path.relative_to(staging)), start, end))
        start = end
    return placed


def _write_tags(the_plan: Plan, placed: Sequence[PlacedChapter], book_path: Path) -> None:
    info = the_plan.document.info
    common = dict(
        artist=info.author,
        album=info.title,
        date=info.date,
        language=info.language,
        genre=info.genre,
        cover=info.cover,
    )
    book = tags.base_tags(title=info.title, **common)  # type: ignore[arg-type]
    tags.add_chapters(
        book,
        [tags.Marker(c.audio.title, round(c.start_ms), round(c.end_ms)) for c in placed],
    )
    tags.save(book, book_path)
    for c in placed:
        t = tags.base_tags(title=c.audio.title, **common)  # type: ignore[arg-type]
        tags.set_track(t, c.audio.index + 1, len(placed))
        tags.save(t, c.audio.path)
