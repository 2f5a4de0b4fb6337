"""Read a source: a text/Markdown file or a book.toml. Decoding and chapter sections only."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import BookInfo

BINARY_CONTROL_RATIO = 0.01
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
BOOK_KEYS = {
    "title", "author", "date", "publisher", "description", "language", "genre", "cover",
    "source", "chapters", "split_minutes", "hints", "pauses", "engine", "voice",
}  # fmt: skip


@dataclass(frozen=True)
class Section:
    """A chapter's title and its raw (unrepaired) text."""

    title: str
    text: str


@dataclass(frozen=True)
class Source:
    info: BookInfo
    sections: tuple[Section, ...]
    base_dir: Path
    split_minutes: float | None = None
    hints_path: Path | None = None
    pauses: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (BOM or not) first, cp1252 as a fallback with a warning; binary is rejected."""
    warnings: list[str] = []
    if b"\x00" in data[:65536]:
        raise InputError(f"{name} looks binary (it contains NUL bytes). Give a UTF-8 text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name} is neither UTF-8 nor cp1252 text (byte {exc.start}). "
                "Convert it to UTF-8 and re-run."
            ) from None
        warnings.append(f"{name} is not UTF-8; read it as cp1252 (Windows-1252).")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t\f")
    if text and controls / len(text) > BINARY_CONTROL_RATIO:
        raise InputError(f"{name} looks binary ({controls} control characters). Give a text file.")
    if not text.strip():
        raise InputError(f"{name} is empty: there is no text to read.")
    return text, warnings


def read_text(path: Path) -> tuple[str, list[str]]:
    if not path.exists():
        raise InputError(f"{path} does not exist.")
    if path.is_dir():
        raise InputError(f"{path} is a directory; give a text file or a book.toml.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}.") from None
    return decode(data, str(path))


def split_headings(text: str, default_title: str) -> list[Section]:
    """Markdown headings of the top level used in the text start chapters."""
    levels = [len(m.group(1)) for m in HEADING_RE.finditer(text)]
    if not levels:
        return [Section(default_title, text)]
    top = min(levels)
    sections: list[Section] = []
    title, start = default_title, 0
    for m in HEADING_RE.finditer(text):
        if len(m.group(1)) != top:
            continue
        if text[start : m.start()].strip():
            sections.append(Section(title, text[start : m.start()]))
        title, start = m.group(2).strip(), m.end()
    sections.append(Section(title, text[start:]))
    # Lower-level headings inside a chapter stay as their own paragraphs, without the marks.
    return [Section(s.title, HEADING_RE.sub(r"\n\n\2.\n\n", s.text)) for s in sections]


def title_from_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or "Sans titre"


def load(path: Path) -> Source:
    """Load a text/Markdown file or a book.toml into raw chapter sections."""
    if path.suffix.lower() == ".toml" and path.is_file():
        return _load_book(path)
    text, warnings = read_text(path)
    m = HEADING_RE.search(text)
    sections = split_headings(text, title_from_name(path))
    title = title_from_name(path)
    if m and len(sections) == 1 and not text[: m.start()].strip():
        title = sections[0].title
    info = BookInfo(title=title, source=path.name)
    return Source(info, tuple(sections), path.parent, warnings=tuple(warnings))


def _str(table: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string.")
    return value.strip()


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path} is not valid TOML: {exc}.") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}.") from None


def _load_book(path: Path) -> Source:
    book = read_toml(path)
    unknown = sorted(set(book) - BOOK_KEYS)
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(unknown)}.")
    base = path.parent
    title = _str(book, "title", str(path))
    if not title:
        raise InputError(f"{path}: 'title' is required.")
    warnings: list[str] = []
    sections: list[Section] = []
    if "chapters" in book:
        chapters = book["chapters"]
        if not isinstance(chapters, list) or not chapters:
            raise InputError(f"{path}: [[chapters]] must be a non-empty array of tables.")
        for n, ch in enumerate(chapters, 1):
            where = f"{path}: chapter {n}"
            if not isinstance(ch, dict) or "source" not in ch:
                raise InputError(f"{where} needs a 'source' file.")
            text, w = read_text(base / _str(ch, "source", where))
            warnings += w
            sections.append(Section(_str(ch, "title", where) or f"Chapitre {n}", text))
    elif "source" in book:
        src = base / _str(book, "source", str(path))
        text, w = read_text(src)
        warnings += w
        sections = split_headings(text, title)
    else:
        raise InputError(f"{path}: give 'source' or [[chapters]].")
    split = book.get("split_minutes")
    if split is not None and (not isinstance(split, int | float) or split <= 0):
        raise InputError(f"{path}: 'split_minutes' must be a positive number.")
    pauses = book.get("pauses", {})
    if not isinstance(pauses, dict) or not all(
        isinstance(v, int) and v >= 0 for v in pauses.values()
    ):
        raise InputError(f"{path}: [pauses] values must be whole milliseconds >= 0.")
    cover = _str(book, "cover", str(path))
    hints = _str(book, "hints", str(path))
    info = BookInfo(
        title=title,
        author=_str(book, "author", str(path)),
        date=str(book.get("date", "")),
        publisher=_str(book, "publisher", str(path)),
        description=_str(book, "description", str(path)),
        language=_str(book, "language", str(path), "fr") or "fr",
        genre=_str(book, "genre", str(path), "Audiobook") or "Audiobook",
        source=_str(book, "source", str(path)),
        cover=(base / cover) if cover else None,
    )
    if info.cover and not info.cover.is_file():
        raise InputError(f"{path}: cover {info.cover} does not exist.")
    hints_path = (base / hints) if hints else None
    if hints_path and not hints_path.is_file():
        raise InputError(f"{path}: hints file {hints_path} does not exist.")
    return Source(
        info,
        tuple(sections),
        base,
        split_minutes=float(split) if split is not None else None,
        hints_path=hints_path,
        pauses={str(k): int(v) for k, v in pauses.items()},
        warnings=tuple(warnings),
    )
