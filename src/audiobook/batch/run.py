"""A batch on Dask: a task per book (and per chapter), placed by the scheduler on a
LocalCluster of this machine or on an existing cluster; books already current are skipped,
a failed book is reported and the rest go on; OUT/batch-report.json says what happened."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import AudiobookError, InputError, Interrupted
from ..pipeline import BuildOptions, shared_cache
from ..readers import Source, read_source
from ..render.cache import default_cache_dir
from .catalog import BookEntry, read_catalog
from .cluster import (
    LOCAL_HOST,
    BatchEvents,
    connected,
    ctrl_c_noted,
    run_tasks,
    worker_count,
)
from .report import FAILED, REPORT, SKIPPED, BatchReport, Outcome, outcomes_sorted
from .state import fingerprint, previous_outcomes, still_current
from .task import BookTask

DASHBOARD = f"{LOCAL_HOST}:8787"  # another free port if taken


@dataclass(frozen=True)
class BatchOptions:
    build: BuildOptions  # for every book: output_root is OUT, jobs is per book
    scheduler: str | None = None  # tcp://HOST:8786: an existing cluster; None: a LocalCluster
    workers: int | None = None  # LocalCluster worker processes [default: cores]
    threads_per_worker: int = 1  # books one LocalCluster worker builds at once
    dashboard_address: str | None = DASHBOARD  # LocalCluster; None: no dashboard


def book_options(base: BuildOptions, source: Source, overrides: dict[str, Any]) -> BuildOptions:
    """The batch's options for one book: its list row wins, then its book.toml (engine,
    voice, voice model, split, pauses), then the batch's options."""
    engine_options = base.engine_options
    if overrides.get("voice"):
        engine_options = replace(engine_options, voice=overrides["voice"])
    elif source.voice:
        engine_options = replace(engine_options, voice=None)  # build takes the book's
    if source.voice_model:
        engine_options = replace(engine_options, voice_model=None)
    return replace(
        base,
        engine=overrides.get("engine") or (None if source.engine else base.engine),
        engine_options=engine_options,
        split_minutes=overrides.get("split_minutes")
        or (None if source.split_minutes else base.split_minutes),
        pauses={k: v for k, v in base.pauses.items() if k not in source.pauses},
        profile=overrides.get("profile") or base.profile,
    )


def _absolute(options: BuildOptions) -> BuildOptions:
    """Every path absolute and the cache folder chosen here, so that every worker builds
    into the same folders (on a cluster they must be shared, at the same paths). With a
    --cache-url and no --cache-dir, each worker keeps its own local working copy."""
    voice_model = options.engine_options.voice_model
    cache_dir = options.cache_dir or (None if options.cache_url else default_cache_dir())
    return replace(
        options,
        output_root=options.output_root.resolve(),
        cache_dir=cache_dir.resolve() if cache_dir else None,
        engine_options=replace(
            options.engine_options, voice_model=voice_model.resolve() if voice_model else None
        ),
    )


def _output_root(root: Path) -> Path:
    if root.exists() and not root.is_dir():
        raise InputError(f"{root} is a file; -o must name a folder.")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder {root}: {exc.strerror}.") from None
    return root


def plan_batch(
    entries: Sequence[BookEntry], base: BuildOptions, previous: dict[str, Outcome]
) -> tuple[list[BookTask], list[Outcome]]:
    """The books to build, and those settled already: current (skipped) or unreadable
    (failed; the same message a build gives)."""
    tasks: list[BookTask] = []
    settled: list[Outcome] = []
    for entry in entries:
        try:
            source = read_source(entry.source)
            options = book_options(base, source, dict(entry.overrides))
        except AudiobookError as exc:
            settled.append(Outcome(str(entry.source), FAILED, error=str(exc)))
            continue
        except OSError as exc:
            settled.append(Outcome(str(entry.source), FAILED, error=f"cannot read it: {exc}."))
            continue
        title = source.info.title
        print_ = fingerprint(entry.source, options)
        before = previous.get(str(entry.source))
        if before is not None and still_current(before, base.output_root, print_):
            settled.append(
                replace(before, status=SKIPPED, title=title, chunks_made=0, chunks_reused=0,
                        seconds=0.0, error="", warnings=[])
            )  # fmt: skip
            continue
        tasks.append(BookTask(entry.source, options, print_, title))
    return tasks, settled


def run_batch(
    catalog: Sequence[Path],
    options: BatchOptions,
    events: BatchEvents | None = None,
    client: Any = None,
) -> BatchReport:
    """Build every book of the catalogue; `client`: an existing Dask client to use (else
    one is made from options). Raises only for the batch as a whole (no book found, OUT
    unusable, Ctrl-C); each book's failure is in the report."""
    events = events or BatchEvents()
    started = time.monotonic()
    base = _absolute(options.build)
    shared_cache(base)  # a store that does not answer fails the batch, not every book
    root = _output_root(base.output_root)
    entries = read_catalog(catalog, exclude=[root])
    if not entries:
        names = ", ".join(str(p) for p in catalog)
        raise InputError(f"no book found in {names} (sources: .txt, .md, book.toml, ...).")
    tasks, settled = plan_batch(entries, base, previous_outcomes(root / REPORT))
    order = [str(e.source) for e in entries]
    report = BatchReport(root, [], 0.0)
    total = len(entries)

    def finish(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        report.wall_s = time.monotonic() - started
        events.book_done(outcome, len(report.outcomes), total)
        report.write(finished=False)  # a killed batch still records what it finished

    for outcome in settled:
        finish(outcome)
    try:
        if tasks:
            with ctrl_c_noted() as stop, connected(
                options.scheduler, options.workers, options.threads_per_worker,
                options.dashboard_address, events, client,
            ) as (dask, description):  # fmt: skip
                report.cluster = description
                report.workers = worker_count(dask)
                for outcome in run_tasks(dask, tasks, stop):
                    finish(outcome)
    except KeyboardInterrupt:
        report.wall_s = time.monotonic() - started
        report.outcomes = outcomes_sorted(report.outcomes, order)
        report.write(finished=False)
        raise Interrupted(
            f"Stopped: {len(report.outcomes)} of {total} books finished (see "
            f"{root / REPORT}); re-run to resume."
        ) from None
    report.outcomes = outcomes_sorted(report.outcomes, order)
    report.wall_s = time.monotonic() - started
    report.write()
    return report
