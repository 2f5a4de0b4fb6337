"""Dask, and only here: the cluster (a LocalCluster bound to this machine, or an existing
scheduler), one task per book, outcomes as they finish.

distributed is imported when a batch runs (the `batch` extra), and used through Any: its
API is only partly typed."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import InputError
from ..slug import slugify
from .report import FAILED, Outcome
from .task import BookTask, build_book

LOCAL_HOST = "127.0.0.1"  # a LocalCluster's scheduler, workers and dashboard: this machine only
CONNECT_TIMEOUT = "20s"


class BatchEvents:
    """What a batch reports as it goes; the CLI prints it."""

    def info(self, message: str) -> None: ...
    def book_done(self, outcome: Outcome, finished: int, total: int) -> None: ...


def distributed() -> Any:
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise InputError(
            "batch needs Dask: pip install 'audiobook[batch]' (dask[distributed])."
        ) from None


@contextlib.contextmanager
def connected(
    scheduler: str | None, workers: int | None, threads_per_worker: int,
    dashboard_address: str | None, events: BatchEvents, client: Any = None,
) -> Iterator[tuple[Any, str]]:  # fmt: skip
    """A client: the one given, or one of the scheduler at `scheduler`, or of a new
    LocalCluster (closed at the end, its workers with it)."""
    dd = distributed()
    if client is not None:
        yield client, str(client.scheduler_info().get("address", ""))
        return
    if scheduler:
        try:
            remote = dd.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler {scheduler}: {exc}.") from None
        with remote:
            events.info(f"Cluster: {scheduler}, {worker_count(remote)} workers.")
            _dashboard(remote, events)
            yield remote, scheduler
        return
    n = workers or os.cpu_count() or 1
    with (
        dd.LocalCluster(
            n_workers=n, threads_per_worker=threads_per_worker, processes=True,
            host=LOCAL_HOST, dashboard_address=dashboard_address,
        ) as cluster,
        dd.Client(cluster) as local,
    ):  # fmt: skip
        address = str(cluster.scheduler_address)
        events.info(
            f"Cluster: local, {n} worker processes x {threads_per_worker} thread(s), "
            f"scheduler {address}."
        )
        if dashboard_address is not None:
            _dashboard(local, events)
        yield local, address


def worker_count(client: Any) -> int:
    return len(client.scheduler_info().get("workers", {}))


def _dashboard(client: Any, events: BatchEvents) -> None:
    with contextlib.suppress(Exception):  # no dashboard (bokeh missing): nothing to show
        if "dashboard" in client.scheduler_info().get("services", {}):
            events.info(f"Dashboard: {client.dashboard_link}")


def run_tasks(client: Any, tasks: Sequence[BookTask]) -> Iterator[Outcome]:
    """One task per book, placed by the scheduler; books sharing an output folder name run
    one after the other (a build holds that name's lock). Outcomes as they finish. A task
    whose worker dies is run again elsewhere by the scheduler (up to its allowed-failures);
    the book's folder is swapped into place only when whole, so nothing is half-written."""
    dd = distributed()
    futures: dict[Any, BookTask] = {}
    last_of: dict[str, Any] = {}
    for n, task in enumerate(tasks):
        slug = slugify(task.title)
        after = [last_of[slug]] if slug in last_of else []
        future = client.submit(build_book, task, *after, key=f"book-{n}-{slug}", pure=False)
        futures[future] = task
        last_of[slug] = future
    try:
        for future in dd.as_completed(list(futures)):
            task = futures[future]
            try:
                outcome: Outcome = future.result()
            except Exception as exc:  # the task died with its workers (KilledWorker), or more
                outcome = Outcome(str(task.source), FAILED, task.title, error=_lost(exc))
                outcome.fingerprint = task.fingerprint
            yield outcome
    finally:
        with contextlib.suppress(Exception):  # a closed client has nothing left to cancel
            client.cancel(list(futures))


def _lost(exc: BaseException) -> str:
    if type(exc).__name__ == "KilledWorker":
        return (
            f"every worker that tried this book died ({exc}); nothing of it was put in "
            "place; the chunks it made are cached."
        )
    return f"{type(exc).__name__}: {exc}"
