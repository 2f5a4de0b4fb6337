"""The stages, top to bottom: read, choose the engine, plan, render, write, swap."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from . import outdir
from .audio.ffmpeg import require_ffmpeg
from .audio.loudness import PROFILES, Profile
from .engines import Engine, EngineOptions, choose_engine
from .errors import InputError
from .events import Events
from .readers import Source, read_source
from .render import RenderOptions, cache_chapters, render_book
from .render.cache import default_cache_dir
from .render.remote import Remote
from .slug import slugify
from .text.plan import Plan, plan_book
from .writers import DEFAULT_FORMATS, writers_for
from .writers.manifest import record_files


def default_jobs() -> int:
    return os.cpu_count() or 2


@dataclass(frozen=True)
class BuildOptions:
    output_root: Path = Path("output")
    engine: str | None = None  # None: book.toml's engine, else auto
    engine_options: EngineOptions = field(default_factory=EngineOptions)
    jobs: int = field(default_factory=default_jobs)
    cache_dir: Path | None = None
    use_cache: bool = True
    cache_url: str | None = None  # a shared store behind the cache folder (fsspec URL)
    split_minutes: float | None = None
    profile: str = "podcast"
    pauses: dict[str, int] = field(default_factory=dict)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    pages: tuple[int, int] | None = None  # a PDF's page range (1-based, inclusive)


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


def build(source_path: Path, options: BuildOptions, events: Events | None = None) -> BuildResult:
    events = events or Events()
    started = time.monotonic()
    profile = _profile(options.profile)
    writers = writers_for(options.formats)
    require_ffmpeg()
    remote = shared_cache(options)
    source = read_source(source_path, options.pages)
    for warning in source.warnings:
        events.warning(warning)
    engine, reason = engine_for(source, options)
    events.engine_chosen(engine, reason)
    the_plan = plan_book(source, engine.caps, options.split_minutes, options.pauses)
    root, info, book_id = (
        _output_root(options),
        the_plan.document.info,
        _book_id(source_path, options.pages),
    )
    with _disk_errors(root), outdir.book_lock(root, slugify(info.title)):
        name = _folder(root, slugify(info.title), book_id, info.title, events)
        outdir.recover(root, name)
        with outdir.staging_folder(root, name) as staging, _cache_root(options) as cache:
            render = RenderOptions(profile, options.jobs, cache, options.use_cache, remote)
            settings = _settings(the_plan, profile, reason, options.pages)
            book = render_book(the_plan, engine, staging, name, render, events, settings, book_id)
            for writer in writers:
                writer.write(book)
            record_files(staging)
            outdir.keep_user_files(root / name, staging)
            final = outdir.swap_into_place(staging, root, name)
    files = tuple(sorted(p for p in final.rglob("*") if p.is_file()))
    return BuildResult(
        final, final / book.book_file, files, book.duration_ms, len(book.chapters),
        book.chunks_made, book.chunks_reused, time.monotonic() - started, engine.NAME,
    )  # fmt: skip


def engine_for(
    source: Source, options: BuildOptions, *, must_run: bool = True
) -> tuple[Engine, str]:
    """The command line's engine and voice, else the book's, else auto."""
    engine_options = options.engine_options
    if engine_options.voice is None and source.voice:
        engine_options = replace(engine_options, voice=source.voice)
    if engine_options.voice_model is None and source.voice_model:
        engine_options = replace(engine_options, voice_model=source.voice_model)
    name = options.engine or source.engine or "auto"
    return choose_engine(name, engine_options, must_run=must_run)


def chapter_count(source_path: Path, options: BuildOptions) -> int:
    """How many chapters a build of the source makes (it plans them, without audio)."""
    return len(preview(source_path, options)[0].chapters)


def render_chapters(
    source_path: Path, options: BuildOptions, indexes: list[int]
) -> tuple[int, int]:
    """Chapters `indexes` of the source's book into the (shared) chapter cache, for a
    build elsewhere to copy: a batch spreads a long book's chapters over its workers.
    Returns the chunks (made, reused)."""
    # The batch checked the shared store once already: no probe for every chapter.
    remote = Remote(options.cache_url) if options.cache_url else None
    source = read_source(source_path, options.pages)
    engine, _ = engine_for(source, options)
    the_plan = plan_book(source, engine.caps, options.split_minutes, options.pauses)
    with _cache_root(options) as cache:
        render = RenderOptions(_profile(options.profile), options.jobs, cache, True, remote)
        return cache_chapters(the_plan, engine, indexes, render)


def preview(
    source_path: Path, options: BuildOptions, events: Events | None = None
) -> tuple[Plan, Engine]:
    """The plan a build would make, without audio (and without checking the engine runs);
    the source's warnings go to `events`, as in a build."""
    events = events or Events()
    source = read_source(source_path, options.pages)
    for warning in source.warnings:
        events.warning(warning)
    engine, _ = engine_for(source, options, must_run=False)
    return plan_book(source, engine.caps, options.split_minutes, options.pauses), engine


def _profile(name: str) -> Profile:
    if name not in PROFILES:
        raise InputError(f"unknown profile '{name}' (known: {', '.join(PROFILES)}).")
    return PROFILES[name]


def _settings(
    the_plan: Plan, profile: Profile, reason: str, pages: tuple[int, int] | None
) -> dict[str, Any]:
    """What shaped the audio, for the manifest; `pages` only when part of a PDF was read,
    so a part is never taken for the whole book."""
    settings: dict[str, Any] = {
        "profile": asdict(profile),
        "pauses_ms": asdict(the_plan.pauses),
        "split_minutes": the_plan.split_minutes,
        "engine_choice": reason,
    }
    if pages is not None:
        settings["pages"] = list(pages)
    return settings


def shared_cache(options: BuildOptions) -> Remote | None:
    """--cache-url's store, checked to answer and take writes before any work."""
    if options.cache_url is None:
        return None
    if not options.use_cache:
        raise InputError("--no-cache keeps nothing: it cannot be used with --cache-url.")
    remote = Remote(options.cache_url)
    remote.check()
    return remote


@contextmanager
def _cache_root(options: BuildOptions) -> Iterator[Path]:
    if options.use_cache:
        yield _writable(options.cache_dir or default_cache_dir(), "cannot use the cache folder")
        return
    with tempfile.TemporaryDirectory(prefix="audiobook-nocache-") as tmp:
        yield Path(tmp)  # a cache of this build alone, removed with it


@contextmanager
def _disk_errors(root: Path) -> Iterator[None]:
    """A full disk or a folder we may not write: one line naming the path."""
    try:
        yield
    except OSError as exc:
        raise InputError(
            f"cannot write {exc.filename or root}: {exc.strerror or exc} "
            "(a full disk or a read-only folder?). "
            "The previous output is unchanged; the chunks made so far are cached."
        ) from None


def _output_root(options: BuildOptions) -> Path:
    root = options.output_root
    if root.exists() and not root.is_dir():
        raise InputError(f"{root} is a file; -o must name a folder.")
    return _writable(root, "cannot use the output folder")


def _writable(folder: Path, what: str) -> Path:
    """folder, made if missing, checked to be writable: else one line saying why."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{what} {folder}: {exc.strerror}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{what} {folder}: it is not writable.")
    return folder


def _book_id(source_path: Path, pages: tuple[int, int] | None = None) -> str:
    """The same for every build of this source file; another file is another book, and so
    is a page range of it: a part gets its own folder and never replaces the whole."""
    key = str(source_path.resolve()) + (f"#pages={pages[0]}-{pages[1]}" if pages else "")
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _folder(root: Path, slug: str, book_id: str, title: str, events: Events) -> str:
    name = outdir.folder_for(root, slug, book_id, title)
    if name != slug:
        events.warning(f"{root / slug} holds another book; this one goes to {root / name}.")
    return name
