"""What makes a built book current: a fingerprint of its source files and the options
that shape its output, recorded in OUT/batch-report.json with the manifest it produced."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__
from ..pipeline import BuildOptions
from .report import Outcome

MANIFEST = "manifest.json"
# BuildOptions fields that change no byte of the output.
NOT_SHAPING = ("output_root", "jobs", "cache_dir", "use_cache", "cache_url")
# Fields left out while unset, so that books built before they existed stay current.
NEW_UNSET = ("pages",)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    return h.hexdigest()


def _referenced(book: Path) -> Iterator[Path]:
    """The files a book TOML names: its text(s), hints, cover, voice model."""
    try:
        data = tomllib.loads(book.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return
    names = [data.get(key) for key in ("source", "hints", "cover", "voice_model")]
    chapters = data.get("chapters")
    if isinstance(chapters, list):
        names += [ch.get("source") for ch in chapters if isinstance(ch, dict)]
    for name in names:
        if isinstance(name, str) and name.strip():
            yield book.parent / name.strip()


def source_digest(source: Path) -> dict[str, str]:
    """Every input file of the book and its SHA-256."""
    files = [source]
    if source.suffix.lower() == ".toml":
        files += _referenced(source)
    return {str(p): file_digest(p) for p in files}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return {"path": str(value), "sha256": file_digest(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def fingerprint(source: Path, options: BuildOptions) -> str:
    """Changes when the source, a file it names, an option shaping the output or this
    program's version changes."""
    shaping = {
        k: v
        for k, v in asdict(options).items()
        if k not in NOT_SHAPING and not (k in NEW_UNSET and v is None)
    }
    blob = json.dumps(
        [__version__, source_digest(source), _jsonable(shaping)], sort_keys=True, default=str
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def manifest_digest(folder: Path) -> str:
    return file_digest(folder / MANIFEST)


def is_complete(folder: Path, book_id: str, manifest_sha256: str) -> bool:
    """The folder holds the manifest recorded (same bytes, same book_id) and every file it
    lists."""
    try:
        raw = (folder / MANIFEST).read_bytes()
        manifest = json.loads(raw)
    except (OSError, ValueError):
        return False
    if hashlib.sha256(raw).hexdigest() != manifest_sha256 or not isinstance(manifest, dict):
        return False
    files = manifest.get("files")
    return (
        bool(book_id)
        and manifest.get("book_id") == book_id
        and isinstance(files, list)
        and all(isinstance(f, str) and (folder / f).is_file() for f in files)
    )


def previous_outcomes(report: Path) -> dict[str, Outcome]:
    """The books a previous batch into this folder built (or found current), by source."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        entries = data["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    out: dict[str, Outcome] = {}
    for entry in entries if isinstance(entries, list) else []:
        outcome = Outcome.from_json(entry) if isinstance(entry, Mapping) else None
        if outcome is not None and outcome.status in ("done", "skipped"):
            out[outcome.source] = outcome
    return out


def still_current(previous: Outcome | None, root: Path, print_: str) -> bool:
    """Whether the previous outcome's output is complete and made from these inputs."""
    return (
        previous is not None
        and previous.fingerprint == print_
        and bool(previous.folder)
        and is_complete(root / previous.folder, previous.book_id, previous.manifest_sha256)
    )
