"""A catalogue: the books of a batch, from folders of sources, CSV or TOML lists of them,
or single source files, each book with the overrides its list row gives."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..audio.loudness import PROFILES
from ..errors import InputError

BOOK_TOML = "book.toml"
LIST_KEY = "book"  # a TOML list: [[book]] tables
# What a list row may set for its book; it wins over the book's own book.toml.
OVERRIDES = ("engine", "voice", "profile", "split_minutes")


@dataclass(frozen=True)
class BookEntry:
    """One book of the catalogue: its source (absolute) and the row's overrides."""

    source: Path
    overrides: Mapping[str, Any] = field(default_factory=dict)


def source_suffixes() -> set[str]:
    """What the reader registry reads, less .toml (a TOML file is a book only when it says
    so: see is_book_toml)."""
    from ..readers import READERS

    return {s for s in READERS if s != ".toml"}


def _toml(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def is_book_toml(path: Path) -> bool:
    """book.toml always (a broken one is reported, not skipped); another .toml when it
    reads as a book: a title and a source or chapters (hints.toml is not one)."""
    if path.name == BOOK_TOML:
        return True
    data = _toml(path)
    return bool(data and "title" in data and ("source" in data or "chapters" in data))


def _visible(path: Path) -> bool:
    return not path.name.startswith(".")


def scan_folder(folder: Path, exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Books in folder, depth first in name order. A folder holding a book.toml (or
    another book TOML) is those books: its other files are their chapters, hints and
    covers. Elsewhere every file the readers know is a book of its own."""
    skip = {p.resolve() for p in exclude}
    if folder.resolve() in skip:
        return
    entries = sorted(p for p in folder.iterdir() if _visible(p))
    books = [p for p in entries if p.is_file() and p.suffix.lower() == ".toml" and is_book_toml(p)]
    if books:
        yield from books
        return
    suffixes = source_suffixes()
    for path in entries:
        if path.is_dir():
            yield from scan_folder(path, skip)
        elif path.is_file() and path.suffix.lower() in suffixes:
            yield path


def _override(key: str, value: Any, where: str) -> Any:
    from ..engines import ENGINE_NAMES

    if key == "engine" and value not in ("auto", *ENGINE_NAMES):
        raise InputError(f"{where}: engine '{value}' is unknown (known: auto, "
                         f"{', '.join(ENGINE_NAMES)}).")  # fmt: skip
    if key == "profile" and value not in PROFILES:
        raise InputError(f"{where}: profile '{value}' is unknown (known: {', '.join(PROFILES)}).")
    if key == "split_minutes":
        try:
            minutes = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{where}: split_minutes must be a number.") from None
        if not 1 <= minutes <= 600:
            raise InputError(f"{where}: split_minutes must be from 1 to 600.")
        return minutes
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string.")
    return value


def _row(base: Path, row: Mapping[str, Any], where: str) -> BookEntry:
    unknown = sorted(set(row) - {"source", *OVERRIDES})
    if unknown:
        raise InputError(f"{where}: unknown column(s) {', '.join(unknown)} "
                         f"(known: source, {', '.join(OVERRIDES)}).")  # fmt: skip
    source = row.get("source")
    if not isinstance(source, str) or not source.strip():
        raise InputError(f"{where}: 'source' is required.")
    path = (base / source.strip()).resolve()
    overrides = {
        k: _override(k, v.strip() if isinstance(v, str) else v, where)
        for k, v in row.items()
        if k != "source" and v not in (None, "")
    }
    return BookEntry(path, overrides)


def read_csv(path: Path) -> list[BookEntry]:
    """A header row naming `source` (relative to the CSV's folder) and any of OVERRIDES."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}.") from None
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    if not reader.fieldnames or "source" not in [f.strip() for f in reader.fieldnames]:
        raise InputError(f"{path}: the first row must name the columns, 'source' among them.")
    entries = []
    for n, row in enumerate(reader, 2):
        if None in row:
            raise InputError(f"{path}: row {n} has more fields than the header.")
        cleaned = {k.strip(): v for k, v in row.items()}
        if any((v or "").strip() for v in cleaned.values()):
            entries.append(_row(path.parent, cleaned, f"{path}: row {n}"))
    return entries


def read_toml_list(path: Path, data: Mapping[str, Any]) -> list[BookEntry]:
    """[[book]] tables: source = "..." and any of OVERRIDES."""
    rows = data[LIST_KEY]
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError(f"{path}: [[{LIST_KEY}]] must be an array of tables.")
    return [_row(path.parent, r, f"{path}: book {n}") for n, r in enumerate(rows, 1)]


def read_catalog(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[BookEntry]:
    """The books of every path (a folder, a .csv or [[book]] TOML list, or one source),
    each once (the first mention wins), in order."""
    entries: list[BookEntry] = []
    for path in paths:
        if path.is_dir():
            entries += [BookEntry(p.resolve()) for p in scan_folder(path, exclude)]
        elif path.suffix.lower() == ".csv":
            entries += read_csv(path)
        elif path.suffix.lower() == ".toml" and LIST_KEY in (_toml(path) or {}):
            entries += read_toml_list(path, _toml(path) or {})
        elif path.is_file():
            entries.append(BookEntry(path.resolve()))
        else:
            raise InputError(f"{path} does not exist.")
    seen: dict[Path, BookEntry] = {}
    for entry in entries:
        seen.setdefault(entry.source, entry)
    return list(seen.values())
