"""The one owner of a build's threads. The first error aborts everything: queued tasks
are cancelled, every wait (on a future or a slot) wakes up, and the caller re-raises
that first error. No thread can stay blocked after a failure (beets' pipeline does the
same by invalidating its queues)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
POLL_S = 0.05  # how often a wait looks at the abort flag


class Aborted(Exception):
    """Raised in a task or a wait once another task has failed."""


class Slot:
    """One unit of a bounded resource; released once, by whoever holds it last."""

    def __init__(self, semaphore: threading.Semaphore) -> None:
        self._semaphore = semaphore
        self._lock = threading.Lock()
        self._held = True

    def release(self) -> None:
        with self._lock:
            if self._held:
                self._held = False
                self._semaphore.release()


class Runner:
    def __init__(self) -> None:
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()
        self._abort = threading.Event()
        self.error: BaseException | None = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and not isinstance(exc, Aborted):
            self.fail(exc)
        self.close()
        if isinstance(exc, KeyboardInterrupt):
            return  # the user's stop wins over what failed while the threads wound down
        if self.error is not None and self.error is not exc:
            raise self.error

    @property
    def aborted(self) -> bool:
        return self._abort.is_set()

    def pool(self, name: str, workers: int) -> None:
        self._pools[name] = ThreadPoolExecutor(max(1, workers), thread_name_prefix=name)

    def submit(self, pool: str, fn: Callable[..., T], *args: Any) -> Future[T]:
        if self.aborted:
            raise Aborted()
        future = self._pools[pool].submit(self._guarded, fn, *args)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _guarded(self, fn: Callable[..., T], *args: Any) -> T:
        if self.aborted:
            raise Aborted()
        try:
            return fn(*args)
        except Aborted:
            raise
        except BaseException as exc:
            self.fail(exc)
            raise

    def fail(self, exc: BaseException) -> None:
        """Keep the first error, cancel what has not started, wake every wait."""
        with self._lock:
            if self.error is None:
                self.error = exc
            pending = list(self._pending)
        self._abort.set()
        for future in pending:
            future.cancel()

    def wait(self, future: Future[T]) -> T:
        """The future's result; Aborted as soon as the build is failing."""
        while True:
            try:
                return future.result(timeout=POLL_S)
            except FutureTimeout:
                if self.aborted:
                    raise Aborted() from None
            except CancelledError:
                raise Aborted() from None

    def acquire(self, semaphore: threading.Semaphore) -> Slot:
        while not semaphore.acquire(timeout=POLL_S):
            if self.aborted:
                raise Aborted()
        return Slot(semaphore)

    def close(self) -> None:
        """Cancel what is queued and wait for what runs (every wait in it wakes up)."""
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
