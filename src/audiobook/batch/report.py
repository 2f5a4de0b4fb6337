"""What a batch reports: one Outcome per book, totals, OUT/batch-report.json."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..files import write_text

REPORT = "batch-report.json"
DONE, FAILED, SKIPPED = "done", "failed", "skipped"


@dataclass
class Outcome:
    """One book of a batch: built, failed (with its error) or skipped as current."""

    source: str
    status: str
    title: str = ""
    folder: str = ""  # under OUT
    book_id: str = ""
    fingerprint: str = ""  # of the source files and shaping options (state.fingerprint)
    manifest_sha256: str = ""
    duration_ms: float = 0.0
    chunks_made: int = 0
    chunks_reused: int = 0
    seconds: float = 0.0
    engine: str = ""
    worker: str = ""  # host:pid that built it
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outcome | None:
        names = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in names})
        except TypeError:
            return None


@dataclass
class BatchReport:
    output: Path
    outcomes: list[Outcome]
    wall_s: float
    cluster: str = ""  # the scheduler's address, or "" when nothing needed building
    workers: int = 0
    dashboard: str = ""

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def hours(self, *statuses: str) -> float:
        return sum(o.duration_ms for o in self.outcomes if o.status in statuses) / 3_600_000

    def to_json(self, finished: bool = True) -> dict[str, Any]:
        built = self.hours(DONE)
        return {
            "generator": f"audiobook {__version__}",
            "finished": finished,
            "output": str(self.output),
            "cluster": self.cluster,
            "workers": self.workers,
            "books": {
                "total": len(self.outcomes),
                DONE: self.count(DONE),
                FAILED: self.count(FAILED),
                SKIPPED: self.count(SKIPPED),
            },
            "audio_hours": {"built": round(built, 4), "total": round(self.hours(DONE, SKIPPED), 4)},
            "chunks": {
                "made": sum(o.chunks_made for o in self.outcomes),
                "reused": sum(o.chunks_reused for o in self.outcomes),
            },
            "wall_s": round(self.wall_s, 3),
            "audio_s_per_wall_s": round(built * 3600 / self.wall_s, 2) if self.wall_s else 0,
            "errors": [{"source": o.source, "error": o.error} for o in self.failed],
            "entries": [asdict(o) for o in self.outcomes],
        }

    def write(self, finished: bool = True) -> Path:
        path = self.output / REPORT
        write_text(path, json.dumps(self.to_json(finished), ensure_ascii=False, indent=2) + "\n")
        return path


def clock(ms: float) -> str:
    s = int(round(ms / 1000))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _name(outcome: Outcome) -> str:
    return outcome.title or Path(outcome.source).name


def book_line(outcome: Outcome, finished: int, total: int) -> str:
    """One line per finished book."""
    head = f"[{finished}/{total}] {outcome.status:7} {_name(outcome)}"
    if outcome.status == FAILED:
        return f"{head}: {outcome.error}"
    if outcome.status == SKIPPED:
        return f"{head}: {outcome.folder}/ is current"
    return (
        f"{head} -> {outcome.folder}/ ({clock(outcome.duration_ms)} of audio, chunks made "
        f"{outcome.chunks_made}, reused {outcome.chunks_reused}, {outcome.seconds:.1f} s"
        f"{', on ' + outcome.worker if outcome.worker else ''})"
    )


def summary(report: BatchReport) -> str:
    data = report.to_json()
    books, chunks = data["books"], data["chunks"]
    lines = [
        f"Batch: {books[DONE]} done, {books[FAILED]} failed, {books[SKIPPED]} skipped of "
        f"{books['total']} book{'' if books['total'] == 1 else 's'}; "
        f"{clock(report.hours(DONE) * 3_600_000)} of audio built "
        f"({clock(report.hours(DONE, SKIPPED) * 3_600_000)} in all); chunks made "
        f"{chunks['made']}, reused {chunks['reused']}; {report.wall_s:.1f} s wall time.",
        f"Report: {report.output / REPORT}",
    ]
    lines += [f"Failed: {_name(o)}: {o.error}" for o in report.failed]
    return "\n".join(lines)


def outcomes_sorted(outcomes: Sequence[Outcome], order: Sequence[str]) -> list[Outcome]:
    """In catalogue order, whatever order they finished in."""
    rank = {source: i for i, source in enumerate(order)}
    return sorted(outcomes, key=lambda o: rank.get(o.source, len(rank)))


def built_folders(out: Path) -> list[Path]:
    """The book folders a batch left complete in OUT (done or skipped as current), in the
    report's order: what `audiobook feed OUT` publishes. InputError if there are none."""
    path = out / REPORT
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [Outcome.from_json(e) for e in data["entries"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read {path}: {exc}.") from None
    folders = [out / e.folder for e in entries if e and e.status in (DONE, SKIPPED) and e.folder]
    if not folders:
        raise InputError(f"{path} lists no built book; run `audiobook batch` first.")
    return folders
