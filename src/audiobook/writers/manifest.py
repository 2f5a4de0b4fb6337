"""manifest.json: the book's record (metadata, engine, settings, every chunk's time), and
the one reader of it that `check`, `feed` and `m4b` use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..files import write_text
from ..model import RenderedBook
from .sentences import book_text

GENERATED_BY = f"audiobook {__version__}"
MANIFEST = "manifest.json"


def manifest(book: RenderedBook) -> dict[str, Any]:
    info = book.info
    return {
        "generator": GENERATED_BY,
        "book_id": book.book_id,
        "title": info.title,
        "author": info.author,
        "date": info.date,
        "publisher": info.publisher,
        "description": info.description,
        "language": info.language,
        "genre": info.genre,
        "engine": book.engine,
        "settings": book.settings,
        "file": book.book_file,
        "duration_ms": round(book.duration_ms),
        "chapters": [
            {
                "index": c.audio.index + 1,
                "title": c.audio.title,
                "file": c.file,
                "start_ms": round(c.start_ms),
                "end_ms": round(c.end_ms),
                "duration_ms": round(c.audio.duration_ms),
                "pages": [
                    {"label": p.label, "sentence": p.sentence, "word": p.word} for p in ch.pages
                ],
                "chunks": [
                    {
                        "id": t.chunk.id,
                        "kind": t.chunk.kind,
                        "text": t.chunk.text,
                        "spoken": t.chunk.spoken,
                        "lang": t.chunk.lang,
                        "start_ms": round(c.start_ms + t.start_ms),
                        "end_ms": round(c.start_ms + t.end_ms),
                    }
                    for t in c.audio.timings
                ],
            }
            for c, ch in zip(book.chapters, book_text(book), strict=True)
        ],
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write(book: RenderedBook) -> None:
    write_json(book.folder / MANIFEST, manifest(book))


def record_files(folder: Path) -> None:
    """List every file of the finished book in its manifest: what a rebuild may replace
    (anything else in the folder is the user's and is kept)."""
    path = folder / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    data["files"] = sorted({*files, MANIFEST})
    write_json(path, data)


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest.json of a built output folder, checked enough to rely on."""
    if not out_dir.exists():
        raise InputError(f"{out_dir} does not exist.")
    if not out_dir.is_dir():
        raise InputError(f"{out_dir} is not a folder; give an output folder of 'audiobook build'.")
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{out_dir} has no manifest.json; is it an output folder of a build?"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{path} is unreadable: {first}.") from None
    if (
        not isinstance(data, dict)
        or not data.get("file")
        or not isinstance(data.get("chapters"), list)
        or not data["chapters"]
    ):
        raise InputError(f"{path} is not a manifest written by 'audiobook build'.")
    return data
