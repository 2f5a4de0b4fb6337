"""ID3v2 tags with mutagen: book and chapter frames, CTOC + CHAP chapter markers."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TRCK,
    CTOCFlags,
)

ISO639_2 = {"fr": "fre", "en": "eng", "de": "ger", "es": "spa", "it": "ita"}


@dataclass(frozen=True)
class Marker:
    title: str
    start_ms: int
    end_ms: int


def base_tags(
    title: str, artist: str, album: str, date: str, language: str, genre: str, cover: Path | None
) -> ID3:
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    if artist:
        tags.add(TPE1(encoding=3, text=artist))
    tags.add(TALB(encoding=3, text=album))
    if date:
        tags.add(TDRC(encoding=3, text=date))
    tags.add(TLAN(encoding=3, text=ISO639_2.get(language, language)))
    tags.add(TCON(encoding=3, text=genre))
    if cover:
        mime = mimetypes.guess_type(cover.name)[0] or "image/jpeg"
        tags.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=cover.read_bytes()))
    return tags


def add_chapters(tags: ID3, markers: Sequence[Marker]) -> None:
    """One top-level ordered CTOC and one CHAP per chapter, in time order."""
    ids = [f"chp{n}" for n in range(1, len(markers) + 1)]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text="Chapitres")],
        )
    )
    for element_id, m in zip(ids, markers, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=m.start_ms,
                end_time=m.end_ms,
                sub_frames=[TIT2(encoding=3, text=m.title)],
            )
        )


def set_track(tags: ID3, number: int, total: int) -> None:
    tags.add(TRCK(encoding=3, text=f"{number}/{total}"))


def save(tags: ID3, path: Path) -> None:
    tags.save(str(path), v2_version=3)
