"""The stages, top to bottom: read, choose the engine, plan, render, write, swap."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .audio.ffmpeg import require_ffmpeg
from .audio.loudness import PROFILES, Profile
from .engines import Engine, EngineOptions, choose_engine
from .errors import InputError
from .events import Events
from .readers import Source, read_source
from .render import RenderOptions, render_book
from .render.cache import default_cache_dir
from .slug import slugify
from .text.plan import Plan, plan_book
from .writers import DEFAULT_FORMATS, writers_for


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
    split_minutes: float | None = None
    profile: str = "podcast"
    pauses: dict[str, int] = field(default_factory=dict)
    formats: tuple[str, ...] = DEFAULT_FORMATS


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
    source = read_source(source_path)
    for warning in source.warnings:
        events.warning(warning)
    engine, reason = engine_for(source, options)
    events.engine_chosen(engine, reason)
    the_plan = plan_book(source, engine.caps, options.split_minutes, options.pauses)
    slug = slugify(the_plan.document.info.title)
    settings = _settings(the_plan, profile, reason)
    with _staging(options.output_root, slug) as staging:
        render = RenderOptions(
            profile, options.jobs, _cache_root(options, staging), options.use_cache
        )
        book = render_book(the_plan, engine, staging, slug, render, events, settings)
        for writer in writers:
            writer.write(book)
        final = _swap_into_place(staging, options.output_root / slug)
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


def preview(source_path: Path, options: BuildOptions) -> tuple[Plan, Engine]:
    """The plan a build would make, without audio (and without checking the engine runs)."""
    source = read_source(source_path)
    engine, _ = engine_for(source, options, must_run=False)
    return plan_book(source, engine.caps, options.split_minutes, options.pauses), engine


def _profile(name: str) -> Profile:
    if name not in PROFILES:
        raise InputError(f"unknown profile '{name}' (known: {', '.join(PROFILES)}).")
    return PROFILES[name]


def _settings(the_plan: Plan, profile: Profile, reason: str) -> dict[str, Any]:
    return {
        "profile": asdict(profile),
        "pauses_ms": asdict(the_plan.pauses),
        "split_minutes": the_plan.split_minutes,
        "engine_choice": reason,
    }


def _cache_root(options: BuildOptions, staging: Path) -> Path:
    if not options.use_cache:
        return staging.with_name(staging.name + ".cache")
    return options.cache_dir or default_cache_dir()


@contextmanager
def _staging(root: Path, slug: str) -> Iterator[Path]:
    """A private folder beside the final one; removed whatever happens."""
    root.mkdir(parents=True, exist_ok=True)
    _clean_stale(root, slug)
    staging = Path(tempfile.mkdtemp(prefix=f".{slug}.", dir=root))
    try:
        yield staging
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".cache")):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_into_place(staging: Path, final: Path) -> Path:
    """Replace the previous output in two renames; a reader never sees a half-built book."""
    staging.chmod(0o755)  # mkdtemp makes it private
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    staging.rename(final)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _clean_stale(root: Path, slug: str) -> None:
    for stale in root.glob(f".{slug}.*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
