"""The one task of a batch, run in a Dask worker process: build one book, never raise
for the book's own failure (it comes back as a failed Outcome)."""

from __future__ import annotations

import json
import os
import socket
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AudiobookError
from ..events import Events
from ..pipeline import BuildOptions, build, chapter_count, render_chapters
from .report import DONE, FAILED, Outcome
from .state import MANIFEST, manifest_digest


@dataclass(frozen=True)
class BookTask:
    """Everything a worker needs; every path absolute (a worker may run elsewhere)."""

    source: Path
    options: BuildOptions
    fingerprint: str
    title: str


class _Collected(Events):
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def render_chapter(task: BookTask, index: int) -> tuple[int, int]:
    """A chapter task: one chapter of a book into the shared chapter cache. Its failure is
    left to the book's build, which meets it again and reports it: (0, 0)."""
    try:
        return render_chapters(task.source, task.options, [index])
    except AudiobookError:
        return 0, 0


def _chapters_on_the_cluster(task: BookTask) -> int:
    """A book of several chapters: its chapters as tasks of their own, which the scheduler
    places on any worker, this task waiting for them (seceded from its worker's threads).
    Needs a cache every worker shares (a --no-cache batch renders each book in one task).
    Returns the chunks they made."""
    if not task.options.use_cache:
        return 0
    try:
        from distributed import worker_client
    except ImportError:  # not on Dask: the build renders every chapter itself
        return 0
    count = chapter_count(task.source, task.options)
    if count < 2:
        return 0
    try:
        with worker_client() as client:
            futures = client.map(
                render_chapter, [task] * count, range(count), pure=False,
                key=[f"chapter-{i + 1}-{task.fingerprint[:12]}" for i in range(count)],
            )  # fmt: skip
            done: list[tuple[int, int]] = client.gather(futures)
    except ValueError:  # not inside a Dask task: the build renders every chapter itself
        return 0
    return sum(made for made, _ in done)


def build_book(task: BookTask, *after: Any) -> Outcome:
    """`after`: the outcomes of books that must finish first (same output folder name);
    only their order matters."""
    started = time.monotonic()
    events = _Collected()
    outcome = Outcome(
        str(task.source), FAILED, task.title, fingerprint=task.fingerprint, worker=worker_name()
    )
    made = 0
    try:
        made = _chapters_on_the_cluster(task)
        result = build(task.source, task.options, events)  # its chapters come from the cache
    except AudiobookError as exc:
        outcome.error = str(exc)
    except Exception as exc:  # a bug: it fails this book alone, with where it happened
        where = traceback.extract_tb(exc.__traceback__)[-1]
        outcome.error = (
            f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno}; "
            "please report it)"
        )
    else:
        manifest = json.loads((result.out_dir / MANIFEST).read_text(encoding="utf-8"))
        outcome.status = DONE
        outcome.folder = result.out_dir.name
        outcome.book_id = str(manifest.get("book_id", ""))
        outcome.manifest_sha256 = manifest_digest(result.out_dir)
        outcome.duration_ms = result.duration_ms
        outcome.chunks_made = made + result.chunks_made
        outcome.chunks_reused = max(0, result.chunks_reused - made)
        outcome.engine = result.engine
    outcome.seconds = time.monotonic() - started
    outcome.warnings = events.warnings
    return outcome
