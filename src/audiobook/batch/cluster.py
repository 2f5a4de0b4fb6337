"""Dask, and only here: the cluster (a LocalCluster bound to this machine, or an existing
scheduler), a task per book (and one per chapter of a longer book), outcomes as they
finish.

distributed is imported when a batch runs (the `batch` extra), and used through Any: its
API is only partly typed."""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing.forkserver
import os
import signal
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import InputError
from ..slug import slugify
from .report import FAILED, Outcome
from .task import BookTask, build_book

POLL_S = 0.2  # how often the batch loop looks for finished books and for Ctrl-C
LOCAL_HOST = "127.0.0.1"  # a LocalCluster's scheduler, workers and dashboard: this machine only
ANY_PORT = f"{LOCAL_HOST}:0"
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
        workers_deaf_to_ctrl_c(dd),
        _port_taken_is_no_news(),
        dd.LocalCluster(
            n_workers=n, threads_per_worker=threads_per_worker, processes=True,
            host=LOCAL_HOST, dashboard_address=dashboard_address,
            # Without a dashboard the scheduler still serves health checks over HTTP: on
            # any free port, never a warning that 8787 is taken.
            scheduler_kwargs=None if dashboard_address else {"dashboard_address": ANY_PORT},
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


@contextlib.contextmanager
def _port_taken_is_no_news() -> Iterator[None]:
    """A dashboard port already taken: Dask takes another, whose address is printed."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Port .* is already in use", UserWarning)
        yield


@contextlib.contextmanager
def workers_deaf_to_ctrl_c(dd: Any) -> Iterator[None]:
    """Ctrl-C signals every process of the terminal's group: a LocalCluster's workers
    would each print a traceback while the batch stops and closes them itself. So workers
    are forked from a forkserver started with SIGINT ignored, a disposition its children
    keep (worker restarts included); this process still gets KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield  # a library caller's thread cannot set signal handlers
        return
    import dask

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        dd.utils.get_mp_context()  # Dask's modules to preload in the server
        # What a Nanny puts in its own environment before it spawns a worker (thread
        # counts, malloc trimming, a fixed hash seed), for the server its workers fork from.
        env = dask.config.get("distributed.nanny.pre-spawn-environ")
        os.environ.update({k: str(v) for k, v in env.items()})
        if os.environ.get("PYTHONHASHSEED") in (None, "0"):
            os.environ["PYTHONHASHSEED"] = "6640"
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, handler)
        yield


@contextlib.contextmanager
def ctrl_c_noted() -> Iterator[threading.Event]:
    """While Dask runs, Ctrl-C sets the event instead of raising inside Dask's own calls
    (which leaves a cluster half closed, each part logging errors); the batch loop stops
    at its next look and closes the cluster in order. A second Ctrl-C raises at once."""
    pressed = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield pressed  # a library caller's thread cannot set signal handlers
        return

    def note(signum: int, frame: Any) -> None:
        if pressed.is_set():
            raise KeyboardInterrupt
        pressed.set()

    handler = signal.signal(signal.SIGINT, note)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, handler)


def worker_count(client: Any) -> int:
    return len(client.scheduler_info().get("workers", {}))


def _dashboard(client: Any, events: BatchEvents) -> None:
    with contextlib.suppress(Exception):  # no dashboard (bokeh missing): nothing to show
        if "dashboard" in client.scheduler_info().get("services", {}):
            events.info(f"Dashboard: {client.dashboard_link}")


def run_tasks(
    client: Any, tasks: Sequence[BookTask], stop: threading.Event | None = None
) -> Iterator[Outcome]:
    """One task per book, placed by the scheduler; books sharing an output folder name run
    one after the other (a build holds that name's lock). Outcomes as they finish. A task
    whose worker dies is run again elsewhere by the scheduler (up to its allowed-failures);
    the book's folder is swapped into place only when whole, so nothing is half-written.
    `stop` set (Ctrl-C): KeyboardInterrupt here, between Dask's calls, never inside one."""
    dd = distributed()
    futures: dict[Any, BookTask] = {}
    last_of: dict[str, Any] = {}
    for n, task in enumerate(tasks):
        slug = slugify(task.title)
        after = [last_of[slug]] if slug in last_of else []
        future = client.submit(build_book, task, *after, key=f"book-{n}-{slug}", pure=False)
        futures[future] = task
        last_of[slug] = future
    finished = dd.as_completed(list(futures))
    try:
        while not finished.is_empty():
            if stop is not None and stop.is_set():
                if getattr(client, "cluster", None) is not None:  # ours: its logs are ours
                    _quiet()  # its nannies kill busy workers: no news to the user either
                    with contextlib.suppress(Exception):
                        client.run(_quiet)  # cancelled tasks are no news to the user
                raise KeyboardInterrupt
            if not finished.has_ready():
                time.sleep(POLL_S)
                continue
            future = next(finished)
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


def _quiet() -> None:
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # the cluster is closing


def _lost(exc: BaseException) -> str:
    if type(exc).__name__ == "KilledWorker":
        return (
            f"every worker that tried this book died ({exc}); nothing of it was put in "
            "place; the chunks it made are cached."
        )
    return f"{type(exc).__name__}: {exc}"
