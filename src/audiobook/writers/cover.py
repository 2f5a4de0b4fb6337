"""cover.<ext>: the book.toml cover, beside the audio (the feed's itunes:image)."""

from __future__ import annotations

from ..files import copy_file
from ..model import RenderedBook


def write(book: RenderedBook) -> None:
    cover = book.info.cover
    if cover is not None:
        copy_file(cover, book.folder / f"cover{cover.suffix.lower()}")
