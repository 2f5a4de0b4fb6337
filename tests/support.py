"""Paths and helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_TEXT = SAMPLES / "bulletin-communiste-1920.txt"
SAMPLE_BOOK = SAMPLES / "book.toml"


def ffprobe(path: Path, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *args, str(path)],
        capture_output=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def probe_duration_s(path: Path) -> float:
    return float(ffprobe(path, "-show_entries", "format=duration")["format"]["duration"])


def cli_runner() -> Any:
    """A CliRunner with stderr kept apart from stdout, on click 8.1 and 8.2+ alike."""
    from click.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click 8.2 removed the option: stderr is always apart
        return CliRunner()
