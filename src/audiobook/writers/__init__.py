"""Writers: one per output format, keyed by format name. Each reads the RenderedBook and
writes its files into the book's folder."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import InputError
from ..model import RenderedBook
from . import cover, id3, m4b, manifest, podcast_chapters, transcripts


@dataclass(frozen=True)
class Writer:
    name: str
    summary: str
    write: Callable[[RenderedBook], None]
    always: bool = False  # part of every book, not a --format choice
    default: bool = False  # written when --format is not given


def _late(module: str) -> Callable[[RenderedBook], None]:
    """A writer whose module (and what it loads) is imported only when it runs."""

    def write(book: RenderedBook) -> None:
        importlib.import_module(f"{__name__}.{module}").write(book)

    return write


# In the order they run: m4b reads the tags and the manifest written before it.
WRITERS = {
    w.name: w
    for w in (
        Writer("id3", "ID3 tags, CTOC/CHAP chapter markers", id3.write, always=True),
        Writer("cover", "the book.toml cover beside the audio", cover.write, always=True),
        Writer("manifest", "manifest.json", manifest.write, always=True),
        Writer("chapters", "Podcasting 2.0 chapters.json", podcast_chapters.write, default=True),
        Writer("vtt", "transcript.vtt (WebVTT)", transcripts.write_vtt, default=True),
        Writer("srt", "transcript.srt (SubRip)", transcripts.write_srt, default=True),
        Writer("m4b", "<slug>.m4b: AAC, chapters, tags, cover", m4b.write),
        Writer(
            "epub", "<slug>.epub: EPUB 3 read-along (media overlays)", _late("epub"), default=True
        ),
        Writer(
            "daisy",
            "daisy/ and <slug>-daisy.zip: DAISY 2.02 talking book",
            _late("daisy"),
            default=True,
        ),
        Writer("web", "index.html: the read-along web player", _late("web"), default=True),
    )
}
FORMATS = tuple(name for name, w in WRITERS.items() if not w.always)
DEFAULT_FORMATS = tuple(name for name, w in WRITERS.items() if w.default)


def writers_for(formats: Iterable[str]) -> list[Writer]:
    """The writers a build runs for the formats asked (and the ones every book has)."""
    asked = set(formats)
    unknown = sorted(asked - set(FORMATS))
    if unknown:
        raise InputError(f"unknown format '{unknown[0]}' (known: {', '.join(FORMATS)}).")
    return [w for w in WRITERS.values() if w.always or w.name in asked]


__all__ = ["DEFAULT_FORMATS", "FORMATS", "WRITERS", "Writer", "writers_for"]
