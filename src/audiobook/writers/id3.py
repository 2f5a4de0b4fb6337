"""ID3v2 tags with mutagen: book and chapter frames, CTOC + CHAP chapter markers."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
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
    ID3NoHeaderError,
)

from ..audio.mp3 import ID3V2_HEADER_BYTES, id3v2_size
from ..errors import AudioError
from ..model import RenderedBook

ISO639_2 = {"fr": "fre", "en": "eng", "de": "ger", "es": "spa", "it": "ita"}


@dataclass(frozen=True)
class Marker:
    title: str
    start_ms: int
    end_ms: int


def read_id3(path: Path) -> ID3 | None:
    """The file's ID3v2 tag, or None when it has none."""
    try:
        return ID3(str(path))
    except ID3NoHeaderError:
        return None
    except (MutagenError, OSError) as exc:
        raise AudioError(f"{path}: unreadable ID3 tag ({str(exc).splitlines()[0]}).") from None


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


FRAME_HEADER_BYTES = 10
NO_AUTHOR = "Anonyme"  # players show the artist: a book without author or publisher


def save(tags: ID3, path: Path) -> None:
    tags.save(str(path), v2_version=3)
    if tags.getall("CHAP"):
        order_chapter_frames(path)


def order_chapter_frames(path: Path) -> None:
    """Put CTOC, then the CHAP frames in time order, after the other frames.

    mutagen sorts frames by size when it saves; ffmpeg (and some players) list chapters
    in file order, so the order must be fixed afterwards. Same bytes, same size."""
    with path.open("r+b") as f:
        header = f.read(ID3V2_HEADER_BYTES)
        if header[:3] != b"ID3" or header[3] != 3:
            return
        body = f.read(id3v2_size(header) - ID3V2_HEADER_BYTES)
        frames: list[tuple[bytes, bytes]] = []
        pos = 0
        while pos + FRAME_HEADER_BYTES <= len(body) and body[pos : pos + 4].strip(b"\0"):
            frame_size = int.from_bytes(body[pos + 4 : pos + 8], "big")
            end = pos + FRAME_HEADER_BYTES + frame_size
            frames.append((body[pos : pos + 4], body[pos:end]))
            pos = end
        rest = body[pos:]

        def key(frame: tuple[bytes, bytes]) -> tuple[int, int]:
            frame_id, data = frame
            if frame_id == b"CTOC":
                return (1, 0)
            if frame_id == b"CHAP":
                element_end = data.index(b"\0", FRAME_HEADER_BYTES) + 1
                return (2, int.from_bytes(data[element_end : element_end + 4], "big"))
            return (0, 0)

        ordered = b"".join(data for _, data in sorted(frames, key=key))
        f.seek(ID3V2_HEADER_BYTES)
        f.write(ordered + rest)


def write(book: RenderedBook) -> None:
    """The book MP3: book frames, CTOC and a CHAP per chapter; each chapter MP3: its title
    and TRCK n/N."""
    info = book.info
    common = dict(
        artist=info.author or info.publisher or NO_AUTHOR, album=info.title, date=info.date,
        language=info.language, genre=info.genre, cover=info.cover,
    )  # fmt: skip
    tags = base_tags(title=info.title, **common)  # type: ignore[arg-type]
    add_chapters(
        tags, [Marker(c.audio.title, round(c.start_ms), round(c.end_ms)) for c in book.chapters]
    )
    save(tags, book.book_path)
    for c in book.chapters:
        tags = base_tags(title=c.audio.title, **common)  # type: ignore[arg-type]
        set_track(tags, c.audio.index + 1, len(book.chapters))
        save(tags, c.audio.path)
