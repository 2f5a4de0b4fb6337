"""The sections at the end of benchmarks/results.md that a figure's own module writes (figure 7:
batch_bench.py, figure 8: reader_bench.py). bench.py rewrites the part before them and keeps
them; each module replaces its own section and keeps the others."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

BATCH = "## Batch and scaling"  # figure 7
READING = "## Reading sources"  # figure 8
OWN = (BATCH, READING)  # in the order they are written


def split(text: str) -> tuple[str, dict[str, str]]:
    """bench.py's part of a results file, and the own sections after it, by heading."""
    starts = sorted(
        (m.start(), heading)
        for heading in OWN
        if (m := re.search(r"^" + re.escape(heading) + r"$", text, flags=re.M))
    )
    ends = [start for start, _ in starts[1:]] + [len(text)] * bool(starts)
    parts = {
        h: text[start:end].strip("\n") + "\n" for (start, h), end in zip(starts, ends, strict=True)
    }
    return (text[: starts[0][0]] if starts else text), parts


def join(head: str, parts: dict[str, str]) -> str:
    return "\n".join([head.rstrip("\n") + "\n", *(parts[h] for h in OWN if h in parts)])


def write_own(path: Path, heading: str, text: str) -> None:
    """Replace (or add) one own section of the results file, keeping everything else."""
    head, parts = split(path.read_text(encoding="utf-8") if path.exists() else "")
    parts[heading] = text.strip("\n") + "\n"
    path.write_text(join(head, parts), encoding="utf-8")


def measure_and_write(
    results: Path, heading: str, name: str, section: Callable[[Path], str]
) -> None:
    """Run a figure's measurement in a work folder of its own (removed after), write its
    section of the results file and print it."""
    work = results.parent / "work" / f"{name}-{os.getpid()}"
    try:
        text = section(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_own(results, heading, text)
    print(text)
