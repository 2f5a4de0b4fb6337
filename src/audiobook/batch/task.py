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
from ..pipeline import BuildOptions, build
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


def build_book(task: BookTask, *after: Any) -> Outcome:
    """`after`: the outcomes of books that must finish first (same output folder name);
    only their order matters."""
    started = time.monotonic()
    events = _Collected()
    outcome = Outcome(
        str(task.source), FAILED, task.title, fingerprint=task.fingerprint, worker=worker_name()
    )
    try:
        result = build(task.source, task.options, events)
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
        outcome.chunks_made = result.chunks_made
        outcome.chunks_reused = result.chunks_reused
        outcome.engine = result.engine
    outcome.seconds = time.monotonic() - started
    outcome.warnings = events.warnings
    return outcome
