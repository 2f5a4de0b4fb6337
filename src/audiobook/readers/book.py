"""book.toml: a book's metadata and settings, and the files its chapters come from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import BookInfo
from .base import Section, Source, read_toml

SUFFIX = ".toml"
BOOK_KEYS = {
    "title", "author", "date", "publisher", "description", "language", "genre", "cover",
    "source", "chapters", "split_minutes", "hints", "pauses", "engine", "voice", "voice_model",
}  # fmt: skip
INFO_KEYS = ("author", "publisher", "description")


def _str(table: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string.")
    return value.strip()


def _file(base: Path, table: dict[str, Any], key: str, where: str, what: str) -> Path | None:
    name = _str(table, key, where)
    path = (base / name) if name else None
    if path and not path.is_file():
        raise InputError(f"{where}: {what} {path} does not exist.")
    return path


def _chapter_text(source: Source) -> str:
    """One chapter's text from a source file; its own chapter titles become paragraphs."""
    if len(source.sections) == 1:
        return source.sections[0].text
    return "\n\n".join(f"{s.title}.\n\n{s.text}" for s in source.sections)


def _sections(path: Path, book: dict[str, Any], title: str) -> tuple[list[Section], list[str]]:
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
            read = read_source(base / _str(ch, "source", where))
            warnings += read.warnings
            sections.append(
                Section(_str(ch, "title", where) or f"Chapitre {n}", _chapter_text(read))
            )
        return sections, warnings
    if "source" in book:
        read = read_source(base / _str(book, "source", str(path)))
        sections = [s if s.titled else Section(title, s.text) for s in read.sections]
        return sections, list(read.warnings)
    raise InputError(f"{path}: give 'source' or [[chapters]].")


def _settings(path: Path, book: dict[str, Any]) -> dict[str, Any]:
    """split_minutes, pauses, engine and voice, checked."""
    from ..engines import ENGINE_NAMES  # names only: no engine is imported

    split = book.get("split_minutes")
    if split is not None and (not isinstance(split, int | float) or split <= 0):
        raise InputError(f"{path}: 'split_minutes' must be a positive number.")
    pauses = book.get("pauses", {})
    if not isinstance(pauses, dict) or not all(
        isinstance(v, int) and v >= 0 for v in pauses.values()
    ):
        raise InputError(f"{path}: [pauses] values must be whole milliseconds >= 0.")
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
    sections, warnings = _sections(path, book, title)
    info = BookInfo(
        title=title,
        date=str(book.get("date", "")),
        language=_str(book, "language", where, "fr") or "fr",
        genre=_str(book, "genre", where, "Audiobook") or "Audiobook",
        source=_str(book, "source", where),
        cover=_file(path.parent, book, "cover", where, "cover"),
        **{key: _str(book, key, where) for key in INFO_KEYS},
    )
    hints = _file(path.parent, book, "hints", where, "hints file")
    model = _file(path.parent, book, "voice_model", where, "voice model")
    return Source(
        info, tuple(sections), hints_path=hints, voice_model=model, warnings=tuple(warnings),
        **_settings(path, book),
    )  # fmt: skip
