"""What the structured readers share: blocks (headings and paragraphs that carry note
references) assembled into sections, and HTML/XHTML parsed into such blocks.

A reader turns its format into a list of Block and a table of notes; `assemble` cuts that
into chapters (at outline marks when the source has an outline, else at top-level
headings), drops the title page, and places each note after the paragraph that refers
to it, as "Note N. text".
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from ..errors import InputError
from ..model import PageTarget
from .base import Section, clean, read_bytes

SPACE_RE = re.compile(r"\s+")
INVISIBLE_RE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
ENDS_PUNCT_RE = re.compile(r"[.!?…:;]\W*$")
DATE_RE = re.compile(
    r"^\W*(?:\d{4}(?:-\d\d){0,2}|\d{1,2}(?:er)?\s+\w+\s+\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\W*$"
)
LABEL_RE = re.compile(r"^\W*(\d{1,4}|[a-z]|[ivxlc]{1,6})\W*$", re.I)
PAGE_PREFIX_RE = re.compile(r"^(?:page|p\.)\s*(?=\S)", re.I)


def squash(text: str) -> str:
    """One line of text: invisible characters out, runs of white space as one space."""
    return SPACE_RE.sub(" ", INVISIBLE_RE.sub("", clean(text))).strip()


def fold(text: str) -> str:
    """For comparing titles: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum())


def word_at(text: str, offset: int) -> int:
    """The index (in `text.split()`) of the word that starts at, or holds, character
    `offset`: where a page that begins there begins. An offset past the last word gives
    the number of words (the page begins after this text)."""
    before = len(text[:offset].split())
    inside = 0 < offset < len(text) and not text[offset - 1].isspace()
    return before - 1 if inside and not text[offset].isspace() else before


def page_label(value: str) -> str:
    """'Page 12', 'p. 12', ' 12 ' -> '12'."""
    return PAGE_PREFIX_RE.sub("", squash(value))


def language_tag(value: str) -> str:
    """'fr-FR' -> 'fr'; '' stays ''."""
    return value.strip().split("-")[0].split("_")[0].lower()


@dataclass
class Block:
    """A heading (level 1-6) or a paragraph (level 0), with the notes it refers to."""

    text: str
    level: int = 0
    refs: list[str] = field(default_factory=list)
    chapter: str | None = None  # the source's outline starts a chapter here, so titled
    # Pages of the print source that begin in this block: (index in text.split(), label).
    # An index past the last word: the page begins with whatever follows.
    pages: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Note:
    label: str  # as printed at the reference ("1", "a"); "" when it is not a number
    text: str


def _heading_paragraph(text: str) -> str:
    return text if ENDS_PUNCT_RE.search(text) else text + "."


def assemble(
    blocks: list[Block],
    notes: dict[str, Note],
    default_title: str,
    front: Iterable[str] = (),
) -> list[Section]:
    """Blocks -> sections. `front` are strings (title, author...) that a title page repeats:
    blocks made only of them before a chapter's first real paragraph are not read."""
    blocks = [b for b in blocks if b.text or b.refs or b.chapter or b.pages]
    marked = any(b.chapter for b in blocks)
    chapter_level = 0
    if not marked:
        levels = sorted({b.level for b in blocks if b.level})
        if levels:
            tops = [i for i, b in enumerate(blocks) if b.level == levels[0]]
            first_body = next((i for i, b in enumerate(blocks) if not b.level), len(blocks))
            # A single top heading before any paragraph is the document's title.
            if len(tops) == 1 and tops[0] < first_body and len(levels) > 1:
                default_title = blocks[tops[0]].text or default_title
                front = [*front, blocks[tops[0]].text]
                chapter_level = levels[1]
            else:
                chapter_level = levels[0]
    skip = {fold(s) for s in front if fold(s)}

    sections: list[Section] = []
    title, titled = default_title, False
    paragraphs: list[str] = []
    placed: list[tuple[int, str]] = []
    used: set[str] = set()
    count = 0
    pending: list[str] = []  # refs met in a chapter's title: read after its first paragraph
    pages: list[PageTarget] = []
    waiting: list[str] = []  # pages that begin with the next paragraph read

    def close() -> None:
        nonlocal paragraphs, placed, pages
        if paragraphs or placed:
            text = "\n\n".join(paragraphs)
            sections.append(Section(title, text, titled, True, tuple(placed), tuple(pages)))
        paragraphs, placed, pages = [], [], []

    def paginate(b: Block, text: str) -> None:
        """The pages waiting and those of block `b` (just read as the last paragraph)."""
        n, count = len(paragraphs) - 1, len(text.split())
        pages.extend(PageTarget(label, n, 0) for label in waiting)
        waiting.clear()
        for word, label in b.pages:
            if word < count:
                pages.append(PageTarget(label, n, word))
            else:
                waiting.append(label)

    def place(refs: list[str]) -> None:
        nonlocal count
        for key in refs:
            note = notes.get(key)
            if note is None or key in used:
                continue
            used.add(key)
            count += 1
            label = note.label if note.label else str(count)
            placed.append((max(0, len(paragraphs) - 1), f"Note {label}. {note.text}"))

    for b in blocks:
        starts = b.chapter if marked else (b.text if b.level == chapter_level else None)
        if starts is not None:
            close()
            title, titled, count = starts or default_title, True, 0
            own, said = fold(b.text), fold(title)
            if b.level and own and said and (own in said or said in own):
                pending = list(b.refs)
                waiting.extend(label for _, label in b.pages)
                continue
        title_page = not sections and DATE_RE.match(b.text)
        if not paragraphs and not b.refs and (fold(b.text) in skip or title_page):
            waiting.extend(label for _, label in b.pages)
            continue  # a title page: title, author, date
        text = _heading_paragraph(b.text) if b.level else b.text
        if not text:
            place(b.refs)
            waiting.extend(label for _, label in b.pages)
            continue
        paragraphs.append(text)
        paginate(b, text)
        place(pending + b.refs)
        pending = []
    place(pending)
    # Notes no reference pointed at are read at the end of the last chapter.
    rest = [k for k in notes if k not in used]
    if rest:
        if not sections and not paragraphs:
            title = default_title
        place(rest)
    close()
    return sections


# --- HTML / XHTML --------------------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "nav",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "video",
    "audio",
    "map",
    "aside",
    "footer",
    "rt",
    "rp",
}
SKIP_ROLES = {
    "navigation", "banner", "contentinfo", "complementary", "search", "doc-toc",
    "doc-pagebreak",
}  # fmt: skip
SKIP_TYPES = {"toc", "landmarks", "page-list", "titlepage", "cover", "loi", "lot", "pagebreak"}
SKIP_TOKENS = {
    "nav",
    "navbar",
    "navigation",
    "menu",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "share",
    "sharing",
    "social",
    "comments",
    "comment",
    "cookie",
    "cookies",
    "advert",
    "advertisement",
    "ads",
    "related",
    "newsletter",
    "subscribe",
    "skip",
    "masthead",
    "banner",
    "widget",
    "promo",
    "footer",
    "titlepage",
    "toc",
}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
NOTE_TYPES = {"footnote", "endnote", "rearnote", "note"}
NOTE_ROLES = {"doc-footnote", "doc-endnote"}
NOTES_CONTAINER_TYPES = {"footnotes", "endnotes", "rearnotes"}
NOTES_CONTAINER_TOKENS = {"footnotes", "endnotes", "footnote-list", "references"}
NOTEREF_TOKENS = {"footnote-ref", "footnote-reference", "noteref", "fnref", "footnoteref"}
BACKLINK_TOKENS = {"footnote-back", "footnote-backref", "backlink", "fn-back"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""

    def tokens(self, name: str) -> set[str]:
        return set(self.get(name).lower().split())

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.split(":")[-1]  # <html:p> in namespaced XHTML
        top = self.stack[-1]
        if top.tag == "p" and tag in BLOCKS:  # HTML closes <p> implicitly
            self.stack.pop()
        if tag == "li" and top.tag == "li":
            self.stack.pop()
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.split(":")[-1]
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.split(":")[-1]
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def decode_html(data: bytes) -> str:
    """HTML bytes as text: BOM, then <meta charset> / XML declaration, then UTF-8, cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    head = data[:2048].decode("ascii", "replace")
    m = re.search(r"""(?:charset|encoding)\s*=\s*["']?([\w.:-]+)""", head, re.I)
    for encoding in ([m.group(1)] if m else []) + ["utf-8"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def first(root: Node, tag: str) -> Node | None:
    return next((n for n in root.iter() if n.tag == tag), None)


def attr_type(node: Node) -> set[str]:
    """epub:type tokens (any prefix spelling)."""
    found: set[str] = set()
    for key, value in node.attrs.items():
        if key == "epub:type" or key.endswith(":type"):
            found |= set(value.lower().split())
    return found


def split_href(href: str, base: str) -> tuple[str, str]:
    """(document path, fragment) of a link made in document `base`."""
    path, _, frag = href.partition("#")
    path = unquote(path)
    if path:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    return (path or base), unquote(frag)


@dataclass
class Doc:
    """One HTML/XHTML document of a book (an EPUB spine item, or a whole HTML file)."""

    path: str
    root: Node
    ids: dict[str, Node] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in self.root.iter():
            for key in ("id", "xml:id", "name"):
                if node.get(key) and (key != "name" or node.tag == "a"):
                    self.ids.setdefault(node.get(key), node)


def _is_backlink(node: Node) -> bool:
    return node.tag == "a" and bool(
        "doc-backlink" in node.tokens("role")
        or node.tokens("class") & BACKLINK_TOKENS
        or "backlink" in attr_type(node)
    )


def _note_container(node: Node) -> bool:
    return bool(
        attr_type(node) & NOTES_CONTAINER_TYPES
        or "doc-endnotes" in node.tokens("role")
        or "doc-footnotes" in node.tokens("role")
        or (node.tokens("class") | {node.get("id").lower()}) & NOTES_CONTAINER_TOKENS
    )


def _is_note(node: Node) -> bool:
    return bool(attr_type(node) & NOTE_TYPES or node.tokens("role") & NOTE_ROLES)


class Notes:
    """Note references and bodies across a book's documents."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = {d.path: d for d in docs}
        self.refs: dict[int, str] = {}  # id(<a>) -> key of its note
        self.notes: dict[str, Note] = {}
        self.hidden: set[int] = set()  # note bodies and their containers: not body text
        bodies: dict[int, tuple[str, Node, Doc]] = {}  # typed note bodies, by id(node)
        for doc in docs:
            for node in doc.root.iter():
                if _note_container(node) or _is_note(node):
                    self.hidden.add(id(node))
                if (
                    (_is_note(node) or node.tag == "li")
                    and node.get("id")
                    and (_is_note(node) or any(_note_container(a) for a in node.ancestors()))
                ):
                    bodies[id(node)] = (f"{doc.path}#{node.get('id')}", node, doc)
        found: dict[str, tuple[str, Node, Doc]] = {}
        ref_ids: set[str] = set()
        for doc in docs:
            for node in doc.root.iter():
                if node.tag == "a" and node.get("href") and not _is_backlink(node):
                    ref = self._ref(doc, node, bodies)
                    if ref is not None:
                        key, label, target, target_doc = ref
                        self.refs[id(node)] = key
                        self.hidden.add(id(target))
                        found.setdefault(key, (label, target, target_doc))
                        if node.get("id"):
                            ref_ids.add(f"{doc.path}#{node.get('id')}")
        for key, node, doc in bodies.values():  # notes nothing points at: read all the same
            found.setdefault(key, ("", node, doc))
        for key, (label, node, doc) in found.items():
            text = _note_text(node, doc, label, ref_ids)
            if text:
                self.notes[key] = Note(label, text)

    def _ref(
        self, doc: Doc, a: Node, bodies: dict[int, tuple[str, Node, Doc]]
    ) -> tuple[str, str, Node, Doc] | None:
        """(note key, label, note body, its document) when link `a` is a note reference."""
        path, frag = split_href(a.get("href"), doc.path)
        target_doc = self.docs.get(path)
        if not frag or target_doc is None or frag not in target_doc.ids:
            return None
        target = target_doc.ids[frag]
        if target.tag == "a" and not target.text().strip() and target.parent is not None:
            target = target.parent  # <p><a id="n1"/>1. text</p>
        label_text = squash(a.text())
        typed = (
            "noteref" in attr_type(a)
            or "doc-noteref" in a.tokens("role")
            or bool(a.tokens("class") & NOTEREF_TOKENS)
        )
        in_sup = (a.parent is not None and a.parent.tag == "sup") or any(
            isinstance(c, Node) and c.tag == "sup" for c in a.children
        )
        short = bool(LABEL_RE.match(label_text)) or label_text in {"*", "**", "†", "‡"}
        small = target.tag not in GENERIC_NOT_NOTES and len(target.text()) < GENERIC_NOTE_CHARS
        if not (typed or id(target) in bodies or (in_sup and short and small)):
            return None
        m = LABEL_RE.match(label_text)
        return f"{path}#{frag}", (m.group(1) if m else ""), target, target_doc


GENERIC_NOT_NOTES = {"html", "body", "main", "article", "section", *HEADINGS}
GENERIC_NOTE_CHARS = 3000  # a link in <sup> to a longer block is a cross-reference


def _note_text(node: Node, doc: Doc, label: str, ref_ids: set[str]) -> str:
    """A note's words, without its back link and its own label."""
    parts: list[str] = []

    def walk(n: Node) -> None:
        for c in n.children:
            if isinstance(c, str):
                parts.append(c)
                continue
            if _is_backlink(c) or c.tag in SKIP - {"aside", "footer"}:
                continue
            if c.tag == "a" and "#" in c.get("href"):
                path, frag = split_href(c.get("href"), doc.path)
                if f"{path}#{frag}" in ref_ids:  # the number links back to the reference
                    continue
            block = c.tag in BLOCKS or c.tag == "br"
            if block:
                parts.append(" ")
            walk(c)
            if block:
                parts.append(" ")

    walk(node)
    text = squash("".join(parts))
    if label:  # "1. Text" / "[1] Text": "Note 1." says the label
        text = re.sub(rf"^[\[(]?{re.escape(label)}[\]).:]*(?!\w)\s*", "", text, count=1)
    return re.sub(r"^[\s.:)\]]+", "", text).strip()


def is_pagebreak(node: Node) -> bool:
    """An EPUB/DPUB page-break marker: where a page of the print source begins."""
    return "pagebreak" in attr_type(node) or "doc-pagebreak" in node.tokens("role")


def pagebreak_label(node: Node) -> str:
    """The page's number: its title, else its aria-label, else its text, else the digits of
    its id ("page12", "p12")."""
    for value in (node.get("title"), node.get("aria-label"), node.text()):
        if squash(value):
            return page_label(value)
    m = re.search(r"(\d+)$", node.get("id") or node.get("xml:id"))
    return m.group(1) if m else ""


def _skipped(node: Node, total: int = 0) -> bool:
    """Not to be read: scripts, navigation, forms, hidden parts, page-break markers, and
    blocks whose class names say boilerplate (sidebar, share, cookie...) when they hold
    less than a third of the page's text."""
    if node.tag in SKIP or "hidden" in node.attrs or node.get("aria-hidden") == "true":
        return True
    if node.tokens("role") & SKIP_ROLES or attr_type(node) & SKIP_TYPES:
        return True
    if re.search(r"display\s*:\s*none", node.get("style")):
        return True
    tokens = set(re.split(r"[-_\s]+", (node.get("class") + " " + node.get("id")).lower()))
    if not tokens & SKIP_TOKENS or node.tag in {"main", "article", "body", "html"}:
        return False
    return not total or len(node.text()) < total / 3


class _Walker:
    def __init__(self, notes: Notes, marks: dict[int, str], total: int) -> None:
        self.notes = notes
        self.total = total  # characters in the page, to size up boilerplate
        self.marks = marks  # id(node) -> chapter title starting there
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.refs: list[str] = []
        self.mark: str | None = None
        self.breaks = 0
        self.page_marks: list[tuple[int, str]] = []  # (offset in buf's text, label)
        self.waiting: list[str] = []  # pages met before any text of the next block

    def flush(self, last: bool = False) -> None:
        """The text gathered so far as a paragraph; a chapter mark waits for content."""
        raw = "".join(self.buf)
        text = squash(raw)
        pages = [(word_at(raw, at), label) for at, label in self.page_marks]
        self.page_marks = []
        if text or self.refs or (last and (self.mark is not None or self.waiting or pages)):
            pages = [(0, label) for label in self.waiting] + pages
            self.blocks.append(Block(text, 0, self.refs, self.mark, pages))
            self.refs, self.mark, self.waiting = [], None, []
        else:
            self.waiting += [label for _, label in pages]
        self.buf = []

    def _pages_now(self) -> list[tuple[int, str]]:
        """The pages waiting, for a block that starts now."""
        pages = [(0, label) for label in self.waiting]
        self.waiting = []
        return pages

    def walk(self, node: Node, in_header: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                if not in_header and child.strip():
                    self.breaks = 0
                if not in_header:
                    self.buf.append(child)
                continue
            if id(child) in self.marks:
                self.flush()
                self.mark = self.marks[id(child)]
            if id(child) in self.notes.hidden:
                continue
            if id(child) in self.notes.refs:
                self.refs.append(self.notes.refs[id(child)])
                continue
            if is_pagebreak(child):
                label = pagebreak_label(child)
                if label:
                    self.page_marks.append((sum(len(b) for b in self.buf), label))
                continue
            if _skipped(child, self.total):
                continue
            if child.tag in HEADINGS:
                self.flush()
                text = squash(self._inline(child))
                if text:
                    level = HEADINGS[child.tag]
                    block = Block(text, level, self.refs, self.mark, self._pages_now())
                    self.blocks.append(block)
                    self.refs, self.mark = [], None
                continue
            if child.tag == "br":
                self.breaks += 1
                if self.breaks >= 2:  # <br><br>: a paragraph break in saved pages
                    self.flush()
                else:
                    self.buf.append(" ")
                continue
            if child.tag == "header":  # keep a section's heading, not its byline
                self.walk(child, in_header=True)
                continue
            if child.tag in BLOCKS:
                self.flush()
                self.walk(child, in_header)
                self.flush()
            else:
                self.walk(child, in_header)

    def _inline(self, node: Node) -> str:
        parts: list[str] = []
        for c in node.children:
            if isinstance(c, str):
                parts.append(c)
            elif id(c) in self.notes.refs:
                self.refs.append(self.notes.refs[id(c)])
            elif not _skipped(c) and id(c) not in self.notes.hidden:
                parts.append(" " if c.tag == "br" else self._inline(c))
        return "".join(parts)


def blocks_of(doc: Doc, notes: Notes, marks: dict[int, str] | None = None) -> list[Block]:
    """The readable blocks of a document, in order (notes and boilerplate left out)."""
    root = content_root(doc.root)
    walker = _Walker(notes, marks or {}, len(root.text()))
    walker.walk(root)
    walker.flush(last=True)
    return walker.blocks


def content_root(root: Node) -> Node:
    """<main>, else the one <article> (the longest when several), else <body>."""
    mains = [n for n in root.iter() if n.tag == "main" or n.get("role") == "main"]
    if mains:
        return mains[0]
    articles = [
        n
        for n in root.iter()
        if n.tag == "article" and not any(a.tag == "article" for a in n.ancestors())
    ]
    if articles:
        return max(articles, key=lambda n: len(n.text()))
    return first(root, "body") or root


def html_lang(root: Node) -> str:
    html = first(root, "html")
    if html is None:
        return ""
    return language_tag(html.get("lang") or html.get("xml:lang"))


# --- zip containers (EPUB, DOCX, ODT) ----------------------------------------------------

MEMBER_MAX_BYTES = 256 * 1024 * 1024  # a member that inflates past this is refused


def open_zip(path: Path, kind: str, what_to_do: str) -> zipfile.ZipFile:
    data = read_bytes(path)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(
            f"{path} is not a readable {kind} (damaged or not a zip archive). {what_to_do}"
        ) from None


def member(zf: zipfile.ZipFile, name: str, path: Path, kind: str) -> bytes:
    """A member's bytes; a damaged or oversized member is an InputError."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise InputError(f"{path} is not a valid {kind}: {name} is missing.") from None
    if info.file_size > MEMBER_MAX_BYTES:
        raise InputError(f"{path}: {name} is too large ({info.file_size >> 20} MB unpacked).")
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        raise InputError(f"{path} is damaged: {name} cannot be unpacked ({exc}).") from None


def parse_xml(data: bytes, name: str, path: Path) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(f"{path} is damaged: {name} is not valid XML ({exc}).") from None
