"""book.toml: a book's metadata and settings, and the files its chapters come from."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import BookInfo, PageTarget
from .base import Section, Source, clean, read_toml

SUFFIX = ".toml"
BOOK_KEYS = {
    "title", "author", "date", "publisher", "description", "language", "genre", "cover",
    "source", "chapters", "split_minutes", "hints", "pauses", "engine", "voice", "voice_model",
    "allow_outside",
}  # fmt: skip
INFO_KEYS = ("author", "publisher", "description")
SPLIT_MINUTES_RANGE = (1.0, 600.0)
PAUSE_MAX_MS = 60_000
IMAGE_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


def _str(table: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string.")
    return clean(value).strip()


def _inside(base: Path, name: str, where: str, allow_outside: bool) -> Path:
    """base/name, refused when it leads outside the book's folder (unless allowed)."""
    path = base / name
    if not allow_outside and not path.resolve().is_relative_to(base.resolve()):
        raise InputError(
            f"{where}: {name} is outside the book's folder; move it in, or set "
            "allow_outside = true in book.toml."
        )
    return path


def _file(
    base: Path, table: dict[str, Any], key: str, where: str, what: str, allow_outside: bool
) -> Path | None:
    name = _str(table, key, where)
    path = _inside(base, name, where, allow_outside) if name else None
    if path and not path.is_file():
        raise InputError(f"{where}: {what} {path} does not exist.")
    return path


def _cover(path: Path | None, where: str) -> Path | None:
    if path is None:
        return None
    with path.open("rb") as f:
        head = f.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_MAGIC):
        raise InputError(f"{where}: cover {path} is not a JPEG or PNG image.")
    return path


def _heading(title: str) -> str:
    """A section's title as a paragraph of the chapter: a sentence, so it is read as one."""
    return title if title.endswith((".", "!", "?", "…", ":")) else f"{title}."


def _chapter(title: str, source: Source) -> Section:
    """One [[chapters]] entry: its file's sections read in order as one chapter, their
    titles as paragraphs when there are several. A structured file stays structured, so
    its paragraphs are not repaired again and its notes still follow their paragraph."""
    parts = [s for s in source.sections if s.text.strip() or s.notes]
    many = len(parts) > 1
    if not parts or not all(s.structured for s in parts):
        text = "\n\n".join(f"{_heading(s.title)}\n\n{s.text}" if many and s.titled else s.text
                           for s in parts)  # fmt: skip
        return Section(title, text)
    paragraphs: list[str] = []
    notes: list[tuple[int, str]] = []
    pages: list[PageTarget] = []
    for s in parts:
        if many and s.titled:
            paragraphs.append(_heading(s.title))
        notes += [(len(paragraphs) + where, note) for where, note in s.notes]
        pages += [replace(p, paragraph=len(paragraphs) + p.paragraph) for p in s.pages]
        paragraphs += [p for p in s.text.split("\n\n") if p.strip()]  # as build_document
    text = "\n\n".join(paragraphs)
    return replace(
        parts[0], title=title, text=text, titled=True, notes=_renumbered(notes), pages=tuple(pages)
    )


NOTE_LABEL_RE = re.compile(r"^Note (\S+?)\. ")


def _renumbered(notes: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """Notes of several sections in one chapter, numbered again from 1 when their labels
    repeat (each section counted from 1): two "Note 1." in a chapter would be ambiguous."""
    labels = [m.group(1) if (m := NOTE_LABEL_RE.match(n)) else None for _, n in notes]
    if None in labels or len(set(labels)) == len(labels):
        return tuple(notes)
    return tuple(
        (where, NOTE_LABEL_RE.sub(f"Note {k}. ", note, count=1))
        for k, (where, note) in enumerate(notes, 1)
    )


def _sections(
    path: Path, book: dict[str, Any], title: str, allow_outside: bool
) -> tuple[list[Section], list[str]]:
    from . import read_source  # the registry imports this module

    base = path.parent
    if "chapters" in book:
        chapters = book["chapters"]
        if not isinstance(chapters, list) or not chapters:
            raise InputError(f"{path}: [[chapters]] must be a non-empty array of tables.")
        sections: list[Section] = []
        warnings: list[str] = []
        for n, ch in enumerate(chapters, 1):
            where = f"{path}: chapter {n}"
            if not isinstance(ch, dict) or "source" not in ch:
                raise InputError(f"{where} needs a 'source' file.")
            read = read_source(_inside(base, _str(ch, "source", where), where, allow_outside))
            warnings += read.warnings
            sections.append(_chapter(_str(ch, "title", where) or f"Chapitre {n}", read))
        return sections, warnings
    if "source" in book:
        read = read_source(_inside(base, _str(book, "source", str(path)), str(path), allow_outside))
        sections = [s if s.titled else replace(s, title=title) for s in read.sections]
        return sections, list(read.warnings)
    raise InputError(f"{path}: give 'source' or [[chapters]].")


def _settings(path: Path, book: dict[str, Any]) -> dict[str, Any]:
    """split_minutes, pauses, engine and voice, checked."""
    from ..engines import ENGINE_NAMES  # names only: no engine is imported

    split = book.get("split_minutes")
    lo, hi = SPLIT_MINUTES_RANGE
    if split is not None and (
        isinstance(split, bool) or not isinstance(split, int | float) or not lo <= split <= hi
    ):
        raise InputError(f"{path}: 'split_minutes' must be a number from {lo:g} to {hi:g}.")
    pauses = book.get("pauses", {})
    if not isinstance(pauses, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= PAUSE_MAX_MS
        for v in pauses.values()
    ):
        raise InputError(
            f"{path}: [pauses] values must be whole milliseconds, 0 to {PAUSE_MAX_MS}."
        )
    engine = _str(book, "engine", str(path)) or None
    if engine is not None and engine not in ("auto", *ENGINE_NAMES):
        raise InputError(
            f"{path}: engine '{engine}' is unknown (known: auto, {', '.join(ENGINE_NAMES)})."
        )
    return {
        "split_minutes": float(split) if split is not None else None,
        "pauses": {str(k): int(v) for k, v in pauses.items()},
        "engine": engine,
        "voice": _str(book, "voice", str(path)) or None,
    }


def read(path: Path) -> Source:
    book = read_toml(path)
    unknown = sorted(set(book) - BOOK_KEYS)
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(unknown)}.")
    where = str(path)
    title = _str(book, "title", where)
    if not title:
        raise InputError(f"{path}: 'title' is required.")
    allow_outside = book.get("allow_outside", False)
    if not isinstance(allow_outside, bool):
        raise InputError(f"{path}: 'allow_outside' must be true or false.")
    sections, warnings = _sections(path, book, title, allow_outside)
    info = BookInfo(
        title=title,
        date=str(book.get("date", "")),
        language=_str(book, "language", where, "fr") or "fr",
        genre=_str(book, "genre", where, "Audiobook") or "Audiobook",
        source=_str(book, "source", where),
        cover=_cover(_file(path.parent, book, "cover", where, "cover", allow_outside), where),
        **{key: _str(book, key, where) for key in INFO_KEYS},
    )
    hints = _file(path.parent, book, "hints", where, "hints file", allow_outside)
    model = _file(path.parent, book, "voice_model", where, "voice model", allow_outside)
    return Source(
        info, tuple(sections), hints_path=hints, voice_model=model, warnings=tuple(warnings),
        **_settings(path, book),
    )  # fmt: skip
