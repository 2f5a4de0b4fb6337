"""A saved web page or a chapter file: its main content, headings and notes."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import BookInfo
from .base import Source, read_bytes
from .markup import (
    Doc,
    Node,
    Notes,
    assemble,
    blocks_of,
    decode_html,
    first,
    html_lang,
    language_tag,
    parse_html,
    squash,
)
from .text import title_from_name

SUFFIXES = (".html", ".htm", ".xhtml", ".xht")
META_AUTHOR = ("author", "dc.creator", "dcterms.creator", "article:author", "byl")
META_DATE = ("dcterms.date", "dc.date", "date", "article:published_time", "citation_date")
META_PUBLISHER = ("og:site_name", "dc.publisher", "dcterms.publisher", "publisher")
META_DESCRIPTION = ("description", "og:description", "dc.description")


def _meta(root: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in root.iter():
        if node.tag == "meta":
            name = (node.get("name") or node.get("property") or node.get("http-equiv")).lower()
            if name and node.get("content"):
                found.setdefault(name, squash(node.get("content")))
    return found


def _pick(meta: dict[str, str], names: tuple[str, ...]) -> str:
    return next((meta[n] for n in names if meta.get(n)), "")


def info_of(root: Node, path: Path) -> BookInfo:
    meta = _meta(root)
    title_node = first(root, "title")
    h1 = first(root, "h1")
    title = squash(title_node.text()) if title_node else ""
    title = title or (squash(h1.text()) if h1 else "") or title_from_name(path)
    lang = html_lang(root) or language_tag(meta.get("content-language", "")) or "fr"
    date = _pick(meta, META_DATE)[:10]
    return BookInfo(
        title=title,
        author=_pick(meta, META_AUTHOR),
        date=date,
        publisher=_pick(meta, META_PUBLISHER),
        description=_pick(meta, META_DESCRIPTION),
        language=lang,
        source=path.name,
    )


def read(path: Path) -> Source:
    data = read_bytes(path)
    if not data.strip():
        raise InputError(f"{path} is empty: there is no text to read.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path} looks binary, not HTML. Give a saved web page (.html).")
    root = parse_html(decode_html(data))
    doc = Doc("", root)
    notes = Notes([doc])
    info = info_of(root, path)
    sections = assemble(
        blocks_of(doc, notes), notes.notes, info.title, front=(info.title, info.author, info.date)
    )
    if not sections:
        raise InputError(
            f"{path} has no readable text outside navigation and scripts. "
            "Save the article itself (File > Save as), or copy its text into a .txt file."
        )
    return Source(info, tuple(sections))
