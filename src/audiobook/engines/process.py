"""Engines that run a program per chunk: the program, its arguments, its errors."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from ..errors import EngineError

TIMEOUT_S = 120  # a chunk is a few sentences: seconds of work at most


def missing_program(program: str, install: str) -> str | None:
    """Why the engine cannot run, when `program` is not on PATH."""
    return None if shutil.which(program) else f"{program} is not installed ({install})."


def run_program(cmd: list[str], out: Path, what: str) -> None:
    """Run cmd, which writes the WAV file out; a failure is an EngineError naming what."""
    try:
        # Its own session: Ctrl-C stops the build, which lets running chunks finish.
        proc = subprocess.run(
            cmd, capture_output=True, timeout=TIMEOUT_S, check=False, start_new_session=True
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"{what} could not run: {exc}.") from None
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit {proc.returncode}"
        raise EngineError(f"{what} failed ({detail}).")


@functools.cache
def package_version(package: str) -> str:
    """The installed Debian package's version (part of the cache key), or "unknown"."""
    try:
        proc = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    except OSError:
        return "unknown"
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "unknown"
