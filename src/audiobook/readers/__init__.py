"""Readers: one per source format, picked by file type from a registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import book, text
from .base import Section, Source

Reader = Callable[[Path], Source]

READERS: dict[str, Reader] = {
    **{suffix: text.read for suffix in text.SUFFIXES},
    book.SUFFIX: book.read,
}
FALLBACK: Reader = text.read  # an unknown suffix is tried as text (binary is refused)


def read_source(path: Path) -> Source:
    """The Source of a file, read by the reader its suffix names."""
    return READERS.get(path.suffix.lower(), FALLBACK)(path)


__all__ = ["READERS", "Reader", "Section", "Source", "read_source"]
