"""Silence: made (pauses), trimmed (an engine's own edges) and found (quiet windows)."""

from __future__ import annotations

import numpy as np

FULL_SCALE = 32768.0
TRIM_THRESHOLD = 300  # int16 amplitude, about -41 dBFS: below it a chunk's edge is silence
EDGE_MARGIN_MS = 40  # kept around a chunk's first and last loud sample


def silence(ms: float, rate: int) -> bytes:
    """ms of digital silence as mono 16-bit PCM bytes."""
    return bytes(2 * int(round(rate * ms / 1000)))


def trim_silence(pcm: np.ndarray, rate: int) -> np.ndarray:
    """Cut the engine's own leading/trailing silence so our pauses alone set the rhythm."""
    loud = np.flatnonzero(np.abs(pcm) > TRIM_THRESHOLD)
    if loud.size == 0:
        return pcm[: int(rate * 0.1)]
    margin = int(rate * EDGE_MARGIN_MS / 1000)
    return pcm[max(0, loud[0] - margin) : loud[-1] + margin]


def quiet_windows(pcm: np.ndarray, window: int, threshold_db: float) -> np.ndarray:
    """For each whole window of `window` samples, whether its mean power (full scale 1.0)
    is below threshold_db."""
    n = pcm.size // window
    x = pcm[: n * window].astype(np.float32).reshape(n, window) / FULL_SCALE
    quiet: np.ndarray = np.mean(x**2, axis=1) < 10 ** (threshold_db / 10)
    return quiet


def quiet_runs(quiet: np.ndarray) -> list[tuple[int, int]]:
    """[a, b) window ranges of consecutive quiet windows."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


class EdgeSilence:
    """Leading and trailing silence of a stream fed block by block (for `check`)."""

    def __init__(self, rate: int, window_ms: int, threshold_db: float) -> None:
        self.window = max(1, rate * window_ms // 1000)
        self.rate = rate
        self.threshold_db = threshold_db
        self.carry = np.zeros(0, dtype="<i2")
        self.heard = False
        self.head = 0  # samples before the first loud window
        self.tail = 0  # samples since the last loud window

    def feed(self, block: np.ndarray) -> None:
        x = np.concatenate([self.carry, block])
        n = x.size // self.window
        self.carry = x[n * self.window :]
        if n:
            self._windows(x[: n * self.window], self.window)

    def _windows(self, x: np.ndarray, window: int) -> None:
        loud = np.flatnonzero(~quiet_windows(x, window, self.threshold_db))
        windows = x.size // window
        if loud.size == 0:
            if not self.heard:
                self.head += x.size
            self.tail += x.size
            return
        if not self.heard:
            self.head += int(loud[0]) * window
            self.heard = True
        self.tail = (windows - 1 - int(loud[-1])) * window

    def result(self) -> tuple[float, float]:
        """(head, tail) silence in ms."""
        if self.carry.size:
            self._windows(self.carry, self.carry.size)
            self.carry = self.carry[:0]
        return self.head * 1000 / self.rate, self.tail * 1000 / self.rate
