"""Paths and helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
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


HINTS_EN = """[[lang]]
text = "Hands off Russia"
lang = "en"
say = "Hanndz off Reucha"
"""  # the sample's English slogan, read as English


def _ace_failures(node: Any) -> list[str]:
    """Every failed assertion in Ace's EARL report, however deep."""
    out: list[str] = []
    if isinstance(node, dict):
        result = node.get("earl:result")
        test = node.get("earl:test")
        if isinstance(result, dict) and result.get("earl:outcome") == "fail" and test:
            out.append(f"{test.get('dct:title')}: {result.get('dct:description', '')}")
        for value in node.values():
            out += _ace_failures(value)
    elif isinstance(node, list):
        for value in node:
            out += _ace_failures(value)
    return out


def ace_report(epub: Path, out: Path) -> dict[str, Any]:
    """DAISY Ace's report on an EPUB, asserted to hold no failed check (skips the test
    when Ace or chromium is missing)."""
    import pytest

    ace = shutil.which("ace") or shutil.which("ace-cli")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if not (ace and chromium):
        pytest.skip(
            "DAISY Ace needs npm's @daisy/ace-cli (ace on PATH) and Debian chromium "
            "(or PUPPETEER_EXECUTABLE_PATH)"
        )
    run = subprocess.run(
        [ace, "--silent", "--force", "--outdir", str(out), str(epub)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium},
    )  # fmt: skip
    report_file = out / "report.json"
    assert report_file.is_file(), run.stdout + run.stderr  # Ace exits 0 even when it fails
    report: dict[str, Any] = json.loads(report_file.read_text(encoding="utf-8"))
    assert _ace_failures(report.get("assertions", [])) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    return report


@contextlib.contextmanager
def dask_client(workers: int = 2) -> Iterator[Any]:
    """A client of a LocalCluster of `workers` processes (1 thread each) on 127.0.0.1."""
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        yield client
