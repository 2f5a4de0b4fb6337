"""What every reader returns (a Source: metadata and raw chapter sections) and the
decoding rules they share."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import BookInfo, PageTarget
from ..text.repair import fix_mojibake

BINARY_CONTROL_RATIO = 0.01
BINARY_SNIFF_BYTES = 65536
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def clean(text: str) -> str:
    """Without control characters (NUL, escapes, bidi-breaking separators): they must not
    reach a file name, a tag, JSON or XML."""
    return CONTROL_RE.sub("", text)


@dataclass(frozen=True)
class Section:
    """A chapter's title and its raw (unrepaired) text."""

    title: str
    text: str
    titled: bool = True  # False: the source gave no title (a default stands in)
    # A reader that knows the structure (PDF layout, EPUB markup) gives clean paragraphs
    # separated by blank lines, and the notes apart, each after the paragraph it belongs
    # to: (index of that paragraph, note text). Plain text is repaired instead.
    structured: bool = False
    notes: tuple[tuple[int, str], ...] = ()
    # Where the print source's pages begin (structured sections only): paragraph indexes
    # count the paragraphs of `text` (blocks separated by blank lines).
    pages: tuple[PageTarget, ...] = ()


@dataclass(frozen=True)
class Source:
    """A book as read: metadata, raw sections, and the build settings it carries."""

    info: BookInfo
    sections: tuple[Section, ...]
    split_minutes: float | None = None
    hints_path: Path | None = None
    pauses: dict[str, int] = field(default_factory=dict)
    engine: str | None = None  # book.toml's choice; the command line wins over it
    voice: str | None = None
    voice_model: Path | None = None  # a Piper voice, relative to book.toml
    warnings: tuple[str, ...] = ()


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (BOM or not) first, cp1252 as a fallback with a warning; binary is rejected."""
    warnings: list[str] = []
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
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
    text, mojibake = fix_mojibake(text)
    if mojibake:
        warnings.append(f"{name}: {mojibake}")
    text = clean(text)
    if not text.strip():
        raise InputError(f"{name} is empty: there is no text to read.")
    return text, warnings


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path} does not exist.")
    if path.is_dir():
        raise InputError(f"{path} is a directory; give a text file or a book.toml.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}.") from None


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path} is not valid TOML: {exc}.") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 (byte {exc.start}): save it as UTF-8.") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}.") from None
