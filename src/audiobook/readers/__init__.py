"""Readers: one per source format, picked by file type from a registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from . import book, epub, html, office, pdf, text
from .base import Section, Source

Reader = Callable[[Path], Source]

READERS: dict[str, Reader] = {
    **{suffix: text.read for suffix in text.SUFFIXES},
    book.SUFFIX: book.read,
    pdf.SUFFIX: pdf.read,
    epub.SUFFIX: epub.read,
    **{suffix: html.read for suffix in html.SUFFIXES},
    **office.READERS,
}
FALLBACK: Reader = text.read  # an unknown suffix is tried as text (binary is refused)


def read_source(path: Path, pages: tuple[int, int] | None = None) -> Source:
    """The Source of a file, read by the reader its suffix names. `pages` (1-based,
    inclusive) reads part of a PDF."""
    if pages is not None:
        if path.suffix.lower() != pdf.SUFFIX:
            raise InputError(
                f"--pages applies to PDF sources only; {path.name} is not a .pdf file."
            )
        return pdf.read(path, pages)
    return READERS.get(path.suffix.lower(), FALLBACK)(path)


__all__ = ["READERS", "Reader", "Section", "Source", "read_source"]
