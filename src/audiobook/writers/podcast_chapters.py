"""chapters.json: Podcasting 2.0 JSON chapters (version 1.2.0), times in seconds."""

from __future__ import annotations

from typing import Any

from ..model import RenderedBook
from .manifest import write_json

FILE = "chapters.json"
VERSION = "1.2.0"


def podcast_chapters(book: RenderedBook) -> dict[str, Any]:
    return {
        "version": VERSION,
        "author": book.info.author,
        "title": book.info.title,
        "chapters": [
            {
                "startTime": round(c.start_ms / 1000, 3),
                "endTime": round(c.end_ms / 1000, 3),
                "title": c.audio.title,
            }
            for c in book.chapters
        ],
    }


def write(book: RenderedBook) -> None:
    write_json(book.folder / FILE, podcast_chapters(book))
