"""Figure 7: `audiobook batch` on this machine against sequential builds, and what the
measured task costs imply for a cluster of 10, 100 and 1,000 workers.

Run by `script/bench --only 7` (or directly: .venv/bin/python benchmarks/batch_bench.py).
Writes the section "## Batch and scaling" of benchmarks/results.md (bench.py keeps it when it
rewrites the rest) and prints it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import sections

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "bulletin-communiste-1920.txt"
RESULTS = ROOT / "benchmarks" / "results.md"
SECTION = sections.BATCH
BOOKS = 12
WORKERS = 2  # this machine's cores
ENGINE = "pico"  # the default offline voice (figure 5)
# distributed.dask.org: "Each task suffers about 1ms of overhead" (the scheduler's share).
SCHEDULER_S_PER_TASK = 0.001
NFS_BYTES_PER_S = 1.0e9  # one NFS server on 10 GbE, about 1.1 GB/s at best: an assumption
CLUSTER_SIZES = (10, 100, 1000)
CHAPTER_MINUTES = 30  # an assumed chapter length, for the scheduler's load from chapter tasks
TASKS_PER_11H_BOOK = 1 + 11 * 60 // CHAPTER_MINUTES  # the book's task and its chapters' tasks


def audiobook() -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "audiobook")]


def make_catalog(folder: Path) -> list[Path]:
    """12 books from the sample's paragraphs, every sentence marked with its book so that no
    chunk is shared between books (each book is made from nothing)."""
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n\n") if len(p) > 200]
    folder.mkdir(parents=True)
    books = []
    for n in range(BOOKS):
        chosen = paragraphs[n % len(paragraphs) :][:4]
        text = "\n\n".join(p.replace(". ", f". Livre {n + 1}, ") for p in chosen)
        path = folder / f"livre-{n + 1:02d}.txt"
        path.write_text(f"# Livre {n + 1}\n\n{text}\n", encoding="utf-8")
        books.append(path)
    return books


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall s, CPU s of the command and its children)."""
    before = os.times()
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(work: Path) -> dict[str, Any]:
    books = make_catalog(work / "catalog")
    seq_out, seq_cache = work / "seq-out", work / "seq-cache"
    walls, cpus = [], []
    for book in books:
        wall, cpu = timed(
            [*audiobook(), "build", str(book), "-o", str(seq_out), "--engine", ENGINE,
             "--cache-dir", str(seq_cache)]
        )  # fmt: skip
        walls.append(wall)
        cpus.append(cpu)
    bat_out, bat_cache = work / "batch-out", work / "batch-cache"
    batch_wall, batch_cpu = timed(
        [*audiobook(), "batch", str(work / "catalog"), "-o", str(bat_out), "--engine", ENGINE,
         "--cache-dir", str(bat_cache), "--workers", str(WORKERS), "--jobs", "1",
         "--dashboard", "none"]
    )  # fmt: skip
    report = json.loads((bat_out / "batch-report.json").read_text(encoding="utf-8"))
    entries = report["entries"]
    audio_s = sum(e["duration_ms"] for e in entries) / 1000
    task_s = [e["seconds"] for e in entries]
    return {
        "books": len(books),
        "audio_s": audio_s,
        "seq_wall_s": sum(walls),
        "seq_cpu_s": sum(cpus),
        "batch_wall_s": batch_wall,
        "batch_cpu_s": batch_cpu,
        "batch_inner_wall_s": report["wall_s"],
        "task_s": task_s,
        "cache_bytes": folder_bytes(seq_cache),
        "out_bytes": folder_bytes(seq_out),
        "load": os.getloadavg(),
    }


def model(m: dict[str, Any]) -> list[str]:
    """Throughput and the two shared limits (scheduler, shared folder) for W workers of one
    core each, from the costs measured here."""
    audio_h = m["audio_s"] / 3600
    cpu_per_audio_h = m["seq_cpu_s"] / audio_h  # CPU s per hour of audio
    bytes_per_audio_h = (m["cache_bytes"] + m["out_bytes"]) / audio_h
    per_worker_audio_h = 3600 / cpu_per_audio_h  # audio hours one core makes per hour
    rows = [
        "| workers | audio hours / hour | 11 h books / hour | scheduler busy (book and chapter "
        "tasks) "
        "| scheduler busy (chunk tasks) | shared-folder write |",
        "|---|---|---|---|---|---|",
    ]
    chunks_per_audio_h = 101 / (720 / 3600)  # the sample: 101 chunks in 12:00 of audio
    for w in CLUSTER_SIZES:
        made = w * per_worker_audio_h
        book_tasks_s = made / 11 / 3600 * TASKS_PER_11H_BOOK
        chunk_tasks_s = made * chunks_per_audio_h / 3600
        rows.append(
            f"| {w:,} | {made:,.0f} | {made / 11:,.0f} "
            f"| {book_tasks_s * SCHEDULER_S_PER_TASK:.2%} "
            f"| {chunk_tasks_s * SCHEDULER_S_PER_TASK:.0%} "
            f"| {made * bytes_per_audio_h / 3600 / 1e6:,.0f} MB/s |"
        )
    chunk_limit = 1 / (SCHEDULER_S_PER_TASK * per_worker_audio_h * chunks_per_audio_h / 3600)
    nfs_limit = NFS_BYTES_PER_S / (per_worker_audio_h * bytes_per_audio_h / 3600)
    return [
        *rows,
        "",
        f"- Per hour of audio (measured, {ENGINE}): {cpu_per_audio_h:,.0f} CPU s, "
        f"{bytes_per_audio_h / 1e6:,.0f} MB written (chunk cache "
        f"{m['cache_bytes'] / audio_h / 1e6:,.0f} MB, outputs {m['out_bytes'] / audio_h / 1e6:,.0f}"
        f" MB: the MP3s and the EPUB and DAISY books, which carry their own audio).",
        f"- One core makes {per_worker_audio_h:.1f} hours of audio per hour.",
        f"- Scheduler: about {SCHEDULER_S_PER_TASK * 1000:g} ms per task "
        "(distributed.dask.org). With what `batch` submits, a task per book and one per "
        f"chapter ({TASKS_PER_11H_BOOK} for an 11 h book of {CHAPTER_MINUTES}-minute chapters, "
        "an assumption), it is nearly idle at 1,000 workers; with one task per chunk it would "
        f"saturate at about {chunk_limit:,.0f} workers, which is why tasks are chapters and "
        "not chunks.",
        f"- Shared folder: at an assumed {NFS_BYTES_PER_S / 1e9:g} GB/s for one NFS server, "
        f"writes saturate it at about {nfs_limit:,.0f} workers; beyond that, give each group "
        "of workers its own OUT and cache (or object storage), since books share no chunks.",
        "- Catalogue size is not a limit by itself: the scheduler holds a task per book (its "
        "chapters' tasks only while the book is built) and "
        "a re-run skips current books by reading their manifests (one small read per book).",
    ]


def section(m: dict[str, Any]) -> str:
    n, tasks = m["books"], m["task_s"]
    overhead_ms = (m["batch_inner_wall_s"] * WORKERS - sum(tasks)) / n * 1000
    ratio = m["seq_wall_s"] / m["batch_wall_s"]
    lines = [
        SECTION,
        "",
        f"Generated by benchmarks/batch_bench.py on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at the end "
        f"{' '.join(f'{x:.2f}' for x in m['load'])}.",
        "",
        "| figure | batch | sequential | ratio | target | met? |",
        "|---|---|---|---|---|---|",
        f"| 7a. Throughput, {n} books ({m['audio_s'] / 60:.1f} min of audio, {ENGINE}, cold): "
        f"`batch --workers {WORKERS} --jobs 1` vs {n} `build`s (--jobs 2) "
        f"| {m['batch_wall_s']:.1f} s ({n / m['batch_wall_s'] * 3600:,.0f} books/h) "
        f"| {m['seq_wall_s']:.1f} s ({n / m['seq_wall_s'] * 3600:,.0f} books/h) "
        f"| {ratio:.2f}x | >= 1.0x | {'yes' if ratio >= 1.0 else '**no**'} |",
        f"| 7b. Dask overhead per book task (wall x workers - task time, per task, cluster "
        f"start included) | {overhead_ms:,.0f} ms | | | (reported) | |",
        "",
        f"Sequential CPU {m['seq_cpu_s']:.1f} s, batch CPU {m['batch_cpu_s']:.1f} s (the "
        "cluster's processes included). Task times: "
        f"{', '.join(f'{t:.1f}' for t in tasks)} s.",
        "",
        "### Beyond this machine (model from the figures above)",
        "",
        *model(m),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    sections.measure_and_write(RESULTS, SECTION, "batch", lambda work: section(measure(work)))


if __name__ == "__main__":
    main()
