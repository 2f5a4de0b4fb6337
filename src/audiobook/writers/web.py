"""index.html, player.js and player.css: a read-along web player for the book MP3.

The page works from file:// (a double-click) and from any static host: no network, no
build step. The timing data is inlined into index.html as JSON (a file:// page cannot
fetch a neighbour), the transcript is plain HTML (readable without JavaScript), and the
script and style sheet are copied beside it from web_assets/."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Sequence
from importlib import resources
from itertools import groupby
from string import Template
from typing import Any
from urllib.parse import quote

from ..files import write_text
from ..model import RenderedBook
from .manifest import GENERATED_BY
from .sentences import ChapterText, Piece, Sentence, book_text

INDEX_FILE = "index.html"
ASSET_FILES = ("player.js", "player.css")
UI_LANG = "fr"  # the player's own words
DATA_VERSION = 1


def _asset(name: str) -> str:
    return (resources.files(__package__) / "web_assets" / name).read_text(encoding="utf-8")


def esc(text: str) -> str:
    """Text or attribute value in HTML: & < > " ' escaped."""
    return html.escape(text, quote=True)


def json_for_html(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no < > & left to end the element
    or start a comment (JSON.parse reads the \\u escapes back)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def clock(ms: float) -> str:
    """0:42, 12:05, 1:02:03."""
    total = int(round(ms / 1000))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def iso_duration(ms: float) -> str:
    total = int(round(ms / 1000))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"PT{h}H{m}M{s}S" if h else f"PT{m}M{s}S"


def player_data(book: RenderedBook, chapters: Sequence[ChapterText]) -> dict[str, Any]:
    """What player.js reads: times in the book MP3, in whole milliseconds. A sentence's
    clip runs from `clip` to the next sentence's `clip` (its pause after included); the
    speech itself is `start`..`end`."""
    sentences: list[dict[str, Any]] = []
    out_chapters: list[dict[str, Any]] = []
    for ch, placed in zip(chapters, book.chapters, strict=True):
        out_chapters.append(
            {
                "id": chapter_id(ch),
                "title": ch.title,
                "start": round(ch.start_ms),
                "end": round(placed.end_ms),
                "first": len(sentences),
            }
        )
        for s in ch.sentences:
            sentences.append(
                {
                    "id": s.id,
                    "chapter": ch.index,
                    "kind": s.kind,
                    "clip": round(ch.start_ms + s.clip_start_ms),
                    "start": round(ch.start_ms + s.start_ms),
                    "end": round(ch.start_ms + s.end_ms),
                }
            )
    return {
        "version": DATA_VERSION,
        "slug": book.slug,
        "title": book.info.title,
        "author": book.info.author,
        "audio": book.book_file,
        "duration": round(book.duration_ms),
        "chapters": out_chapters,
        "sentences": sentences,
    }


def chapter_id(ch: ChapterText) -> str:
    return f"c-{ch.index + 1:02d}"


def _piece(p: Piece, lang: str) -> str:
    """A span in another language than the book's carries its lang (a screen reader
    switches voice)."""
    text = esc(p.text)
    return text if p.lang.lower() == lang.lower() else f'<span lang="{esc(p.lang)}">{text}</span>'


def _sentence(s: Sentence, lang: str) -> str:
    inner = " ".join(_piece(p, lang) for p in s.pieces)
    return f'<span class="s" id="{esc(s.id)}" tabindex="-1">{inner}</span>'


# The element each kind of paragraph is, and its class.
_BLOCKS = {
    "credit": ("p", "credit"),
    "title": ("h2", "chapter-title"),
    "body": ("p", ""),
    "notes-heading": ("h3", "notes-heading"),
    "note": ("p", "note"),
    "closing": ("p", "closing"),
}


def _chapter_html(ch: ChapterText, lang: str) -> Iterator[str]:
    cid = chapter_id(ch)
    yield f'<section class="chapter" id="{cid}">'
    if not any(s.kind == "title" for s in ch.sentences):  # the credit reads it (chapter 1)
        yield f'<h2 class="chapter-title" id="{cid}-h">{esc(ch.title)}</h2>'
    for _, group in groupby(ch.sentences, key=lambda s: s.paragraph):
        sentences = list(group)
        tag, cls = _BLOCKS.get(sentences[0].kind, ("p", ""))
        attrs = f' class="{cls}"' if cls else ""
        if tag == "h2":
            attrs += f' id="{cid}-h"'
        yield f"<{tag}{attrs}>{' '.join(_sentence(s, lang) for s in sentences)}</{tag}>"
    yield "</section>"


def _toc_html(chapters: Sequence[ChapterText]) -> Iterator[str]:
    for ch in chapters:
        yield (
            f'<li><a href="#{chapter_id(ch)}" data-chapter="{ch.index}">{esc(ch.title)}</a> '
            f'<time class="dur" datetime="{iso_duration(ch.duration_ms)}">'
            f"{clock(ch.duration_ms)}</time></li>"
        )


def _byline(book: RenderedBook) -> str:
    info = book.info
    parts = [p for p in (info.author, info.publisher, info.date) if p]
    return f'<p class="byline">{esc(" · ".join(parts))}</p>' if parts else ""


def index_html(book: RenderedBook, chapters: Sequence[ChapterText]) -> str:
    lang = book.info.language or UI_LANG
    ui_lang = "" if lang.split("-")[0].lower() == UI_LANG else f' lang="{UI_LANG}"'
    description = book.info.description
    first = chapters[0] if chapters else None
    return Template(_asset("index.html")).substitute(
        lang=esc(lang),
        ui_lang=ui_lang,
        title=esc(book.info.title),
        byline=_byline(book),
        description=f'<p class="description">{esc(description)}</p>' if description else "",
        audio_src=esc(quote(book.book_file)),
        now=esc(f"Chapitre 1 sur {len(chapters)} : {first.title}") if first else "",
        toc="\n".join(_toc_html(chapters)),
        transcript="\n".join(line for ch in chapters for line in _chapter_html(ch, lang)),
        data=json_for_html(player_data(book, chapters)),
        generated_by=esc(GENERATED_BY),
        duration=esc(clock(book.duration_ms)),
    )


def write(book: RenderedBook) -> None:
    chapters = book_text(book)
    write_text(book.folder / INDEX_FILE, index_html(book, chapters))
    for name in ASSET_FILES:
        write_text(book.folder / name, _asset(name))


__all__ = ["ASSET_FILES", "INDEX_FILE", "index_html", "json_for_html", "player_data", "write"]
