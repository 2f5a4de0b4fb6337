"""Word (.docx) and OpenDocument (.odt) files: headings by paragraph style or outline level,
footnotes and endnotes from their own parts, title and author from the document's
properties. Plain zip + XML: no office suite is needed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import BookInfo
from .base import Source, read_bytes
from .markup import (
    Block,
    Note,
    assemble,
    language_tag,
    member,
    open_zip,
    parse_xml,
    squash,
    word_at,
)
from .text import title_from_name

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC = "{http://purl.org/dc/elements/1.1/}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML, or Word 97-2003
HEADING_NAME_RE = re.compile(
    r"^(?:heading|titre|überschrift|titolo|título|kop|rubrik)\s*(\d)$", re.IGNORECASE
)
TITLE_NAMES = {"title", "titre", "titel", "titolo", "título"}
FRONT_STYLES = {"author": "front", "auteur": "front", "date": "date"}  # pandoc's title block
ISO_DATE_RE = re.compile(r"^\d{4}-\d\d(?:-\d\d)?$")
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
PAGE_BREAK = "\x00"  # stands for an explicit page break in a paragraph's raw text (XML
# cannot hold it, so no document text is taken for one)


@dataclass
class _Flow:
    """Blocks as they are met, and the notes they refer to."""

    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    title: str = ""
    date: str = ""
    front: list[str] = field(default_factory=list)
    # Explicit page breaks: page 1 begins with the document, each break begins the next.
    page: int = 1
    waiting: list[str] = field(default_factory=lambda: ["1"])  # pages no text began yet

    def page_break(self) -> None:
        """A page begins with the next paragraph."""
        self.page += 1
        self.waiting.append(str(self.page))

    def add(self, raw: str, level: int, refs: list[str], style_kind: str) -> None:
        """A paragraph's raw text; PAGE_BREAK marks explicit page breaks inside it."""
        pieces = raw.split(PAGE_BREAK)
        raw = " ".join(pieces)
        breaks: list[tuple[int, str]] = []
        at = 0
        for piece in pieces[:-1]:
            at += len(piece) + 1
            self.page += 1
            breaks.append((word_at(raw, at), str(self.page)))
        text = squash(raw)
        if style_kind == "title":
            self.title = self.title or text
        elif style_kind == "date" and ISO_DATE_RE.match(text):
            self.date = self.date or text[:10]
        if style_kind:
            self.front.append(text)
        if text or refs:
            pages = [(0, label) for label in self.waiting] + breaks
            self.blocks.append(Block(text, level, refs, pages=pages))
            self.waiting = []
        else:
            self.waiting += [label for _, label in breaks]


# --- DOCX ------------------------------------------------------------------------------

DOCX_REDO = "Save it again from Word or LibreOffice as .docx and re-run."


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str
    outline: int | None


def _level(value: str) -> int:
    """w:outlineLvl's value: 0-8 for headings, 9 (or anything else) for body text."""
    return int(value) if value.isdigit() and int(value) < 9 else 9


def _docx_styles(root: ET.Element | None) -> Callable[[str], tuple[int, str]]:
    """style id -> (heading level or 0, 'title' | 'front' | '')."""
    styles: dict[str, _Style] = {}
    if root is not None:
        for s in root.iter(f"{W}style"):
            name = s.find(f"{W}name")
            based = s.find(f"{W}basedOn")
            lvl = s.find(f"{W}pPr/{W}outlineLvl")
            styles[s.get(f"{W}styleId", "")] = _Style(
                (name.get(f"{W}val", "") if name is not None else "").strip().lower(),
                based.get(f"{W}val", "") if based is not None else "",
                _level(lvl.get(f"{W}val", "")) if lvl is not None else None,
            )

    def kind(style_id: str) -> tuple[int, str]:
        seen: set[str] = set()
        sid = style_id
        while sid and sid not in seen:
            seen.add(sid)
            st = styles.get(sid)
            name = st.name if st else sid.lower()
            m = HEADING_NAME_RE.match(name) or HEADING_NAME_RE.match(sid)
            if m:
                return int(m.group(1)), ""
            if name in TITLE_NAMES or sid.lower() == "title":
                return 0, "title"
            if name in FRONT_STYLES:
                return 0, FRONT_STYLES[name]
            if st is None:
                break
            if st.outline is not None:
                return (st.outline + 1 if st.outline < 9 else 0), ""
            sid = st.based_on
        return 0, ""

    return kind


def _w_text(
    el: ET.Element, refs: list[str], counters: dict[str, int], labels: dict[str, str]
) -> Iterator[str]:
    """The visible text of a paragraph (or part of one), in order; note references go
    to `refs` and are given their printed number."""
    for child in el:
        tag = child.tag
        if tag == f"{W}t":
            yield child.text or ""
        elif tag == f"{W}br" and child.get(f"{W}type") == "page":
            yield PAGE_BREAK
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            yield " "
        elif tag == f"{W}noBreakHyphen":
            yield "-"
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            kind = "fn" if tag == f"{W}footnoteReference" else "en"
            key = f"{kind}:{child.get(f'{W}id', '')}"
            if key not in labels:
                counters[kind] += 1
                labels[key] = str(counters[kind])
            refs.append(key)
        elif tag in (
            f"{W}del",
            f"{W}moveFrom",
            f"{W}delText",
            f"{W}instrText",
            f"{W}rPr",
            f"{W}pPr",
            f"{W}drawing",
            f"{W}pict",
            f"{MC}AlternateContent",
            f"{W}commentReference",
            f"{W}footnoteRef",
            f"{W}endnoteRef",
            f"{W}object",
        ):
            continue
        else:
            yield from _w_text(child, refs, counters, labels)


def _w_blocks(
    parent: ET.Element,
    flow: _Flow,
    kind: Callable[[str], tuple[int, str]],
    counters: dict[str, int],
    labels: dict[str, str],
) -> None:
    for el in parent:
        if el.tag == f"{W}p":
            before = el.find(f"{W}pPr/{W}pageBreakBefore")
            if before is not None and before.get(f"{W}val", "true") not in ("0", "false"):
                flow.page_break()
            refs: list[str] = []
            text = "".join(_w_text(el, refs, counters, labels))
            style = el.find(f"{W}pPr/{W}pStyle")
            level, style_kind = kind(style.get(f"{W}val", "") if style is not None else "")
            own = el.find(f"{W}pPr/{W}outlineLvl")
            if own is not None and not level:
                value = _level(own.get(f"{W}val", ""))
                level = value + 1 if value < 9 else 0
            flow.add(text, level, refs, style_kind)
        elif el.tag in (
            f"{W}tbl",
            f"{W}tr",
            f"{W}tc",
            f"{W}sdt",
            f"{W}sdtContent",
            f"{W}customXml",
            f"{W}ins",
            f"{W}smartTag",
        ):
            _w_blocks(el, flow, kind, counters, labels)


def _w_notes(
    root: ET.Element | None, tag: str, kind: str, labels: dict[str, str], flow: _Flow
) -> None:
    if root is None:
        return
    for note in root.iter(f"{W}{tag}"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        key = f"{kind}:{note.get(f'{W}id', '')}"
        counters = {"fn": 0, "en": 0}
        parts = ["".join(_w_text(p, [], counters, {})) for p in note.iter(f"{W}p")]
        flow.notes[key] = Note(labels.get(key, ""), squash(" ".join(parts)))


def _core(zf: zipfile.ZipFile, path: Path) -> dict[str, str]:
    if "docProps/core.xml" not in zf.namelist():
        return {}
    root = parse_xml(member(zf, "docProps/core.xml", path, "DOCX"), "core.xml", path)
    found = {}
    for name, tag in (
        ("title", f"{DC}title"),
        ("author", f"{DC}creator"),
        ("language", f"{DC}language"),
        ("description", f"{DC}description"),
    ):
        el = root.find(tag)
        if el is not None and el.text and el.text.strip():
            found[name] = squash(el.text)
    return found


def read_docx(path: Path) -> Source:
    if read_bytes(path)[:8] == OLE_MAGIC:
        raise InputError(
            f"{path} is password-protected, or an old binary Word file: remove the password "
            "or save it as .docx and re-run."
        )
    zf = open_zip(path, "DOCX file", DOCX_REDO)
    with zf:
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise InputError(f"{path} is not a Word document (no word/document.xml). {DOCX_REDO}")

        def part(name: str) -> ET.Element | None:
            return parse_xml(member(zf, name, path, "DOCX"), name, path) if name in names else None

        document = part("word/document.xml")
        assert document is not None
        body = document.find(f"{W}body")
        flow = _Flow()
        counters = {"fn": 0, "en": 0}
        labels: dict[str, str] = {}
        if body is not None:
            _w_blocks(body, flow, _docx_styles(part("word/styles.xml")), counters, labels)
        _w_notes(part("word/footnotes.xml"), "footnote", "fn", labels, flow)
        _w_notes(part("word/endnotes.xml"), "endnote", "en", labels, flow)
        core = _core(zf, path)
    flow.notes = {k: v for k, v in flow.notes.items() if k in labels}  # unused ones are not text
    title = core.get("title") or flow.title or title_from_name(path)
    info = BookInfo(
        title=title,
        author=core.get("author", ""),
        date=flow.date,
        description=core.get("description", ""),
        language=language_tag(core.get("language", "")) or "fr",
        source=path.name,
    )
    return _source(path, info, flow)


def _source(path: Path, info: BookInfo, flow: _Flow) -> Source:
    front = (info.title, info.author, info.date, *flow.front)
    sections = assemble(flow.blocks, flow.notes, info.title, front=front)
    if not sections:
        raise InputError(f"{path} has no text to read (only images or empty pages?).")
    return Source(info, tuple(sections))


# --- ODT -------------------------------------------------------------------------------

ODT_REDO = "Save it again from LibreOffice as .odt and re-run."
ODT_SKIP = {
    f"{TEXT}table-of-content",
    f"{TEXT}illustration-index",
    f"{TEXT}alphabetical-index",
    f"{TEXT}bibliography",
    f"{TEXT}object-index",
    f"{TEXT}user-index",
    f"{TEXT}table-index",
    f"{TEXT}tracked-changes",
    f"{TEXT}sequence-decls",
    f"{TEXT}variable-decls",
    f"{TEXT}user-field-decls",
    f"{OFFICE}forms",
    f"{TEXT}soft-page-break",
}
ODT_INLINE_SKIP = {
    f"{OFFICE}annotation",
    f"{OFFICE}annotation-end",
    f"{TEXT}bookmark-start",
    f"{TEXT}bookmark-end",
    f"{TEXT}bookmark",
    f"{TEXT}change-start",
    f"{TEXT}change-end",
    f"{TEXT}change",
    f"{TEXT}reference-mark-start",
    f"{TEXT}reference-mark-end",
    f"{TEXT}soft-page-break",
    f"{TEXT}toc-mark",
    f"{TEXT}alphabetical-index-mark",
}


@dataclass(frozen=True)
class _OdtStyle:
    parent: str
    before: str  # fo:break-before ("page", "column", "auto") or ""
    after: str


def _odt_styles(*roots: ET.Element | None) -> dict[str, _OdtStyle]:
    """Paragraph styles (named and automatic): parent and page breaks."""
    styles: dict[str, _OdtStyle] = {}
    for root in roots:
        if root is None:
            continue
        for st in root.iter(f"{STYLE}style"):
            props = st.find(f"{STYLE}paragraph-properties")
            get = props.get if props is not None else (lambda _key, default="": default)
            styles[st.get(f"{STYLE}name", "")] = _OdtStyle(
                st.get(f"{STYLE}parent-style-name", ""),
                get(f"{FO}break-before", ""),
                get(f"{FO}break-after", ""),
            )
    return styles


class _Odt:
    def __init__(self, flow: _Flow, parents: dict[str, str], styles: dict[str, _OdtStyle]) -> None:
        self.flow = flow
        self.parents = parents  # automatic style -> the named style it derives from
        self.styles = styles
        self.count = 0

    def breaks(self, el: ET.Element) -> tuple[bool, bool]:
        """Whether the paragraph's style (or a style it derives from) breaks the page
        before it, after it."""
        name, seen = el.get(f"{TEXT}style-name", ""), set()
        before = after = ""
        while name and name not in seen and name in self.styles:
            seen.add(name)
            st = self.styles[name]
            before, after = before or st.before, after or st.after
            name = st.parent
        return before == "page", after == "page"

    def style_kind(self, el: ET.Element) -> str:
        name = el.get(f"{TEXT}style-name", "")
        name = self.parents.get(name, name).replace("_20_", " ").lower()
        if name in TITLE_NAMES:
            return "title"
        return FRONT_STYLES.get(name, "")

    def inline(self, el: ET.Element, refs: list[str]) -> Iterator[str]:
        if el.text:
            yield el.text
        for child in el:
            tag = child.tag
            if tag == f"{TEXT}s":
                yield " " * int(child.get(f"{TEXT}c", "1") or 1)
            elif tag in (f"{TEXT}tab", f"{TEXT}line-break"):
                yield " "
            elif tag == f"{TEXT}note":
                self.note(child, refs)
            elif tag in ODT_INLINE_SKIP or tag.startswith(
                "{urn:oasis:names:tc:opendocument:xmlns:drawing"
            ):
                pass
            else:
                yield from self.inline(child, refs)
            if child.tail:
                yield child.tail

    def note(self, el: ET.Element, refs: list[str]) -> None:
        self.count += 1
        key = f"note:{el.get(f'{TEXT}id') or self.count}"
        citation = el.find(f"{TEXT}note-citation")
        label = squash("".join(citation.itertext())) if citation is not None else ""
        body = el.find(f"{TEXT}note-body")
        parts: list[str] = []
        if body is not None:
            for p in body.iter():
                if p.tag in (f"{TEXT}p", f"{TEXT}h"):
                    parts.append("".join(self.inline(p, [])))
        self.flow.notes[key] = Note(label if label.isdigit() else "", squash(" ".join(parts)))
        refs.append(key)

    def blocks(self, parent: ET.Element) -> None:
        for el in parent:
            if el.tag in ODT_SKIP:
                continue
            if el.tag in (f"{TEXT}p", f"{TEXT}h"):
                before, after = self.breaks(el)
                if before:
                    self.flow.page_break()
                refs: list[str] = []
                text = "".join(self.inline(el, refs))
                level = 0
                if el.tag == f"{TEXT}h":
                    level = int(el.get(f"{TEXT}outline-level", "1") or 1)
                self.flow.add(text, level, refs, self.style_kind(el))
                if after:
                    self.flow.page_break()
            elif el.tag in (
                f"{TEXT}list",
                f"{TEXT}list-item",
                f"{TEXT}list-header",
                f"{TEXT}section",
                f"{TABLE}table",
                f"{TABLE}table-row",
                f"{TABLE}table-cell",
                f"{TABLE}table-rows",
                f"{TABLE}table-header-rows",
                f"{TEXT}numbered-paragraph",
            ):
                self.blocks(el)


def _odt_meta(zf: zipfile.ZipFile, path: Path) -> dict[str, str]:
    if "meta.xml" not in zf.namelist():
        return {}
    root = parse_xml(member(zf, "meta.xml", path, "ODT"), "meta.xml", path)
    meta = root.find(f"{OFFICE}meta")
    if meta is None:
        return {}
    found: dict[str, str] = {}
    for name, tag in (
        ("title", f"{DC}title"),
        ("author", f"{DC}creator"),
        ("author", f"{META}initial-creator"),
        ("language", f"{DC}language"),
        ("description", f"{DC}description"),
    ):
        el = meta.find(tag)
        if el is not None and el.text and el.text.strip():
            found.setdefault(name, squash(el.text))
    for el in meta.iter(f"{META}user-defined"):  # pandoc keeps date and publisher here
        name = el.get(f"{META}name", "").lower()
        if name in ("date", "publisher", "author") and el.text and el.text.strip():
            found.setdefault(name, squash(el.text))
    return found


def read_odt(path: Path) -> Source:
    zf = open_zip(path, "ODT file", ODT_REDO)
    with zf:
        names = set(zf.namelist())
        if "META-INF/manifest.xml" in names:
            manifest = parse_xml(
                member(zf, "META-INF/manifest.xml", path, "ODT"), "manifest.xml", path
            )
            if manifest.find(f".//{MANIFEST}encryption-data") is not None:
                raise InputError(
                    f"{path} is password-protected: open it in LibreOffice, remove the "
                    "password (File > Properties) and save it again."
                )
        if "content.xml" not in names:
            raise InputError(f"{path} is not an OpenDocument text (no content.xml). {ODT_REDO}")
        content = parse_xml(member(zf, "content.xml", path, "ODT"), "content.xml", path)
        styles_xml = (
            parse_xml(member(zf, "styles.xml", path, "ODT"), "styles.xml", path)
            if "styles.xml" in names
            else None
        )
        meta = _odt_meta(zf, path)
    parents = {
        s.get(f"{STYLE}name", ""): s.get(f"{STYLE}parent-style-name", "")
        for s in content.iter(f"{STYLE}style")
        if s.get(f"{STYLE}parent-style-name")
    }
    flow = _Flow()
    text_el = content.find(f"{OFFICE}body/{OFFICE}text")
    if text_el is None:
        raise InputError(f"{path} is not a text document (a spreadsheet or slides?). {ODT_REDO}")
    _Odt(flow, parents, _odt_styles(styles_xml, content)).blocks(text_el)
    date = meta.get("date", "")[:10]
    info = BookInfo(
        title=meta.get("title") or flow.title or title_from_name(path),
        author=meta.get("author", ""),
        date=date if ISO_DATE_RE.match(date) else flow.date,
        publisher=meta.get("publisher", ""),
        description=meta.get("description", ""),
        language=language_tag(meta.get("language", "")) or "fr",
        source=path.name,
    )
    return _source(path, info, flow)


READERS = {".docx": read_docx, ".docm": read_docx, ".odt": read_odt}
