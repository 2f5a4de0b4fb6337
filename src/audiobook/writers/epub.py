"""<slug>.epub: an EPUB 3 read-along book. The chapter MP3s (stored as they are, not
re-encoded), one XHTML document per chapter with one element per sentence, and a SMIL 3.0
media overlay per chapter that plays each sentence's clip while the reading system
highlights it. The navigation document has an overlay of its own: each entry speaks its
chapter's title (clips taken from the chapter MP3s). Accessibility metadata follows EPUB
Accessibility 1.1 for synchronized text and audio.

EPUB/
  package.opf          metadata, manifest, spine
  nav.xhtml            table of contents, landmarks (smil/nav.smil speaks them) and, when
                       the source had pages, the page list
  style.css            layout and the overlay's active class
  text/chNN.xhtml      one per chapter
  smil/chNN.smil       one per chapter, and smil/nav.smil
  audio/NN-<name>.mp3  the chapter MP3s
  images/cover.<ext>   the book.toml cover, if any

Notes have no reference marks in our text: they come at the end of their chapter, so they
are endnotes (a list in a `section epub:type="endnotes"`), never footnote asides, which
reading systems may hide until a reference is followed.

A source with pages (a PDF's page numbers, an EPUB's page breaks, a document's explicit
page breaks) gets a page-break marker at the word where each page begins, listed in the
navigation document's page list."""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..files import atomic_path
from ..model import RenderedBook
from .manifest import GENERATED_BY
from .sentences import ChapterText, Sentence, book_text, clock, page_ids, seconds

# sentence id -> word index -> (element id, label) of the page breaks before that word
PageMarks = Mapping[str, Mapping[int, Sequence[tuple[str, str]]]]

MIMETYPE = "application/epub+zip"
ROOT = "EPUB"
ACTIVE_CLASS = "-epub-media-overlay-active"
NOTE_KINDS = frozenset({"notes-heading", "note"})
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
FEATURES = ("synchronizedAudioText", "tableOfContents", "readingOrder", "structuralNavigation")
PAGE_FEATURES = ("pageBreakMarkers", "pageNavigation")  # when the source had pages
NS_XHTML = "http://www.w3.org/1999/xhtml"
NS_OPS = "http://www.idpf.org/2007/ops"
NS_SMIL = "http://www.w3.org/ns/SMIL"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

CSS = f"""\
body {{ margin: 0 5%; line-height: 1.5; }}
h1 {{ font-size: 1.6em; margin: 1.2em 0 0.8em; }}
h2 {{ font-size: 1.25em; margin: 1.5em 0 0.6em; }}
p {{ margin: 0 0 0.8em; }}
.credit, .closing {{ font-style: italic; }}
.titlepage {{ margin-bottom: 2em; }}
.endnotes {{ margin-top: 2em; font-size: 0.95em; }}
.endnotes ol {{ list-style: none; padding: 0; }}
nav ol {{ list-style: none; padding-left: 0; }}
.{ACTIVE_CLASS} {{ background: #ff0; color: #000; }}
"""

COVER_TYPES = (  # leading bytes -> (media type, extension): EPUB core media types only
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_W3CDTF = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _x(text: str) -> str:
    """Text, or an attribute value (always in double quotes here), escaped for XML and
    without the characters XML 1.0 cannot hold."""
    text = _NOT_XML.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _lang(lang: str) -> str:
    return f'lang="{_x(lang)}" xml:lang="{_x(lang)}"'


@dataclass(frozen=True)
class Clip:
    """One par: a text element and its audio, in whole milliseconds."""

    text: str  # href of the element, relative to the overlay
    audio: str  # href of the MP3, relative to the overlay
    begin: int
    end: int
    id: str
    kind: str = "title"  # the sentence's

    @property
    def ms(self) -> int:
        return self.end - self.begin


@dataclass(frozen=True)
class Part:
    """A chapter's files inside the EPUB."""

    chapter: ChapterText
    n: int  # 1-based
    xhtml: str  # paths relative to ROOT
    smil: str
    audio: str
    source: Path  # the chapter MP3 in the book folder

    @property
    def key(self) -> str:
        return f"ch{self.n:02d}"


def _clip_of(s: Sentence, text_href: str, audio_href: str) -> Clip:
    begin, end = int(round(s.clip_start_ms)), int(round(s.clip_end_ms))
    return Clip(f"{text_href}#{s.id}", audio_href, begin, end, f"par-{s.id}", s.kind)


def chapter_clips(part: Part) -> list[Clip]:
    """One clip per sentence, back to back; a clip shorter than a millisecond has no par
    (SMIL forbids clipBegin == clipEnd)."""
    text = f"../{part.xhtml}"
    audio = f"../{part.audio}"
    clips = [_clip_of(s, text, audio) for s in part.chapter.sentences]
    return [c for c in clips if c.ms > 0]


def _heading_sentence(ch: ChapterText) -> Sentence | None:
    """What the chapter's title sounds like: its title sentence or, for a first chapter
    named like the book, the credit's first sentence (the book's title)."""
    for kind in ("title", "credit"):
        found = next((s for s in ch.sentences if s.kind == kind), None)
        if found is not None:
            return found
    return ch.sentences[0] if ch.sentences else None


def nav_clips(parts: Sequence[Part]) -> list[Clip]:
    out: list[Clip] = []
    for part in parts:
        s = _heading_sentence(part.chapter)
        if s is None:
            continue
        begin, end = int(round(s.clip_start_ms)), int(round(s.clip_end_ms))
        if end > begin:
            entry = f"toc-{part.n:02d}"
            out.append(
                Clip(f"../nav.xhtml#{entry}", f"../{part.audio}", begin, end, f"par-{entry}")
            )
    return out


# --- pages -------------------------------------------------------------------------------


def page_marks(parts: Sequence[Part]) -> dict[int, dict[str, dict[int, list[tuple[str, str]]]]]:
    """Per chapter (its n), the page-break markers to write: an id unique in the book for
    each page ("page-12", "page-12-2" for a label met again)."""
    ids = page_ids(page.label for part in parts for page in part.chapter.pages)
    out: dict[int, dict[str, dict[int, list[tuple[str, str]]]]] = {}
    for part in parts:
        marks: dict[str, dict[int, list[tuple[str, str]]]] = {}
        for page in part.chapter.pages:
            marks.setdefault(page.sentence, {}).setdefault(page.word, []).append(
                (next(ids), page.label)
            )
        out[part.n] = marks
    return out


def _page_span(ident: str, label: str) -> str:
    return (
        f'<span epub:type="pagebreak" role="doc-pagebreak" id="{_x(ident)}" '
        f'aria-label="{_x(label)}"></span>'
    )


def _marked(text: str, first: int, marks: Mapping[int, Sequence[tuple[str, str]]]) -> str:
    """`text` escaped, with the page-break markers of its words (counted from `first`)."""
    if not marks:
        return _x(text)
    out: list[str] = []
    n = first
    for token in re.split(r"(\s+)", text):
        if token and not token.isspace():
            out += [_page_span(ident, label) for ident, label in marks.get(n, ())]
            n += 1
        out.append(_x(token))
    return "".join(out)


# --- XHTML -------------------------------------------------------------------------------


def _sentence_html(
    s: Sentence, doc_lang: str, with_id: bool = True, pages: PageMarks | None = None
) -> str:
    marks = (pages or {}).get(s.id, {})
    pieces = []
    first = 0
    for p in s.pieces:
        text = _marked(p.text, first, marks)
        first += len(p.text.split())
        pieces.append(text if p.lang == doc_lang else f"<span {_lang(p.lang)}>{text}</span>")
    inner = " ".join(pieces)
    return f'<span id="{_x(s.id)}">{inner}</span>' if with_id else inner


def _block(
    tag: str, run: Sequence[Sentence], lang: str, cls: str = "", pages: PageMarks | None = None
) -> tuple[str, str]:
    """(html, element id) of a heading or paragraph; a one-sentence heading carries the
    sentence's id itself."""
    attr = f' class="{cls}"' if cls else ""
    if tag != "p" and len(run) == 1:
        s = run[0]
        inner = _sentence_html(s, lang, False, pages)
        return f'<{tag} id="{_x(s.id)}"{attr}>{inner}</{tag}>', s.id
    ident = f"h-{run[0].id[2:]}"
    id_attr = f' id="{ident}"' if tag != "p" else ""
    inner = " ".join(_sentence_html(s, lang, True, pages) for s in run)
    return f"<{tag}{id_attr}{attr}>{inner}</{tag}>", ident


def _runs(sentences: Sequence[Sentence]) -> list[tuple[str, list[Sentence]]]:
    """Sentences grouped by kind and paragraph, in reading order. The book's first sentence,
    when it is the credit's (the book's title), is a run of its own: "book-title"."""
    runs: list[tuple[str, list[Sentence]]] = []
    for i, s in enumerate(sentences):
        kind = "book-title" if i == 0 and s.kind == "credit" else s.kind
        last = runs[-1] if runs else None
        if last and kind == last[0] != "book-title" and s.paragraph == last[1][0].paragraph:
            last[1].append(s)
        else:
            runs.append((kind, [s]))
    return runs


class _Body:
    """The body of a chapter document, written in reading order: a title page (the book's
    title and credit, when the chapter has a title of its own), the chapter's section, in it
    its endnotes' section."""

    def __init__(self, n: int, title: str, lang: str, pages: PageMarks | None = None) -> None:
        self.n, self.title, self.lang = n, title, lang
        self.pages = pages or {}
        self.lines: list[str] = []
        self.heading_id = ""  # the chapter section's heading: the TOC's target
        self.titlepage = self.chapter = self.notes = self.list = False

    def open_titlepage(self, labelled_by: str) -> None:
        self.lines.append(
            '<section id="titlepage" class="titlepage" epub:type="titlepage" '
            f'aria-labelledby="{_x(labelled_by)}">'
        )
        self.titlepage = True

    def open_chapter(self, heading_id: str = "") -> None:
        if self.titlepage:
            self.lines.append("</section>")
            self.titlepage = False
        label = (
            f'aria-labelledby="{_x(heading_id)}"'
            if heading_id
            else f'aria-label="{_x(self.title)}"'
        )
        self.lines.append(
            f'<section id="chapter-{self.n:02d}" class="chapter" epub:type="chapter" '
            f'role="doc-chapter" {label}>'
        )
        self.chapter = True
        self.heading_id = heading_id or f"chapter-{self.n:02d}"

    def open_notes(self, heading_id: str = "") -> None:
        if not self.chapter:
            self.open_chapter()
        label = f'aria-labelledby="{_x(heading_id)}"' if heading_id else 'aria-label="Notes"'
        self.lines.append(
            f'<section id="notes-{self.n:02d}" class="endnotes" epub:type="endnotes" '
            f'role="doc-endnotes" {label}>'
        )
        self.notes = True

    def close_list(self) -> None:
        if self.list:
            self.lines.append("</ol>")
            self.list = False

    def close_notes(self) -> None:
        self.close_list()
        if self.notes:
            self.lines.append("</section>")
            self.notes = False

    def add(self, kind: str, run: Sequence[Sentence], has_title: bool) -> None:
        lang = self.lang
        if kind == "book-title":
            tag_html, ident = _block("h1", run, lang, "book-title", self.pages)
            if has_title:  # a title page, then the chapter under its own heading
                self.open_titlepage(ident)
            else:  # the book's title is the chapter's heading too
                self.open_chapter(ident)
            self.lines.append(tag_html)
        elif kind == "credit":
            self.lines.append(_block("p", run, lang, "credit", self.pages)[0])
        elif kind == "title" and not self.chapter:
            tag_html, ident = _block("h1", run, lang, "", self.pages)
            self.open_chapter(ident)
            self.lines.append(tag_html)
        elif kind == "notes-heading":
            tag_html, ident = _block("h2", run, lang, "", self.pages)
            self.close_notes()
            self.open_notes(ident)
            self.lines.append(tag_html)
        elif kind == "note":
            if not self.notes:
                self.open_notes()
            if not self.list:
                self.lines.append("<ol>")
                self.list = True
            note_id = f"note-{self.n:02d}-{run[0].paragraph:03d}"
            # A list item of the endnotes' section: the markup EPUB 3.3 keeps (its epub:type
            # "endnote" is deprecated in content documents; the overlay's pars carry it).
            item = _block("p", run, lang, "", self.pages)[0]
            self.lines.append(f'<li id="{note_id}">{item}</li>')
        else:
            self.close_notes()
            if not self.chapter:
                self.open_chapter()
            cls = "closing" if kind == "closing" else ""
            self.lines.append(_block("p", run, lang, cls, self.pages)[0])

    def close(self) -> list[str]:
        self.close_notes()
        if self.chapter:
            self.lines.append("</section>")
        return self.lines


def chapter_xhtml(part: Part, lang: str, pages: PageMarks | None = None) -> tuple[str, str]:
    """The chapter's document (in the book's language) and the id of its heading (the
    TOC's target); `pages`: the page-break markers to write in it."""
    ch = part.chapter
    has_title = any(s.kind == "title" for s in ch.sentences)
    body = _Body(part.n, ch.title, lang, pages)
    for kind, run in _runs(ch.sentences):
        body.add(kind, run, has_title)
    if not body.chapter:
        body.open_chapter()
    lines = body.close()
    return _xhtml_doc(ch.title, lang, "../style.css", lines), body.heading_id


def _xhtml_doc(title: str, lang: str, css: str, body: Sequence[str]) -> str:
    lines = [
        XML_DECL.rstrip("\n"),
        "<!DOCTYPE html>",
        f'<html xmlns="{NS_XHTML}" xmlns:epub="{NS_OPS}" {_lang(lang)}>',
        "<head>",
        '<meta charset="utf-8"/>',
        f"<title>{_x(title)}</title>",
        f'<link rel="stylesheet" type="text/css" href="{css}"/>',
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


def nav_xhtml(
    book: RenderedBook,
    parts: Sequence[Part],
    targets: Sequence[str],
    pages: Mapping[int, PageMarks] | None = None,
) -> str:
    lang = book.info.language
    toc = [
        f'<li><a id="toc-{p.n:02d}" href="{p.xhtml}#{_x(t)}">{_x(p.chapter.title)}</a></li>'
        for p, t in zip(parts, targets, strict=True)
    ]
    first = f"{parts[0].xhtml}#{_x(targets[0])}"
    has_titlepage = any(s.kind == "title" for s in parts[0].chapter.sentences) and any(
        s.kind == "credit" for s in parts[0].chapter.sentences
    )
    marks = ['<li><a epub:type="toc" href="#toc">Table des matières</a></li>']
    if has_titlepage:
        marks.append(
            f'<li><a epub:type="titlepage" href="{parts[0].xhtml}#titlepage">Page de titre</a></li>'
        )
    marks.append(f'<li><a epub:type="bodymatter" href="{first}">Début du texte</a></li>')
    body = [
        '<nav id="toc" epub:type="toc" role="doc-toc" aria-labelledby="toc-title">',
        '<h1 id="toc-title">Table des matières</h1>',
        "<ol>",
        *toc,
        "</ol>",
        "</nav>",
        '<nav id="landmarks" epub:type="landmarks" aria-labelledby="landmarks-title" hidden="">',
        '<h2 id="landmarks-title">Repères</h2>',
        "<ol>",
        *marks,
        "</ol>",
        "</nav>",
    ]
    entries = [
        f'<li><a href="{p.xhtml}#{_x(ident)}">{_x(label)}</a></li>'
        for p in parts
        for page in p.chapter.pages
        for ident, label in _page_entry((pages or {}).get(p.n, {}), page.sentence, page.word)
    ]
    if entries:
        body += [
            '<nav id="page-list" epub:type="page-list" role="doc-pagelist" '
            'aria-labelledby="page-list-title" hidden="">',
            '<h2 id="page-list-title">Pages</h2>',
            "<ol>",
            *dict.fromkeys(entries),  # a sentence word with two pages lists each once
            "</ol>",
            "</nav>",
        ]
    return _xhtml_doc(book.info.title, lang, "style.css", body)


def _page_entry(marks: PageMarks, sentence: str, word: int) -> Sequence[tuple[str, str]]:
    return marks.get(sentence, {}).get(word, ())


# --- SMIL --------------------------------------------------------------------------------


def _par(c: Clip) -> str:
    typ = ' epub:type="endnote"' if c.kind == "note" else ""  # skippable
    return (
        f'<par id="{_x(c.id)}"{typ}><text src="{_x(c.text)}"/>'
        f'<audio src="{_x(c.audio)}" clipBegin="{seconds(c.begin)}" '
        f'clipEnd="{seconds(c.end)}"/></par>'
    )


def chapter_smil(part: Part, clips: Sequence[Clip]) -> str:
    text = f"../{part.xhtml}"
    lines = [
        XML_DECL.rstrip("\n"),
        f'<smil xmlns="{NS_SMIL}" xmlns:epub="{NS_OPS}" version="3.0">',
        f'<body epub:textref="{text}">',
    ]
    in_notes = False
    for c in clips:
        note = c.kind in NOTE_KINDS
        if note and not in_notes:
            notes = f"notes-{part.n:02d}"
            lines.append(
                f'<seq id="seq-{notes}" epub:type="endnotes" epub:textref="{text}#{notes}">'
            )
        elif in_notes and not note:
            lines.append("</seq>")
        in_notes = note
        lines.append(_par(c))
    if in_notes:
        lines.append("</seq>")
    lines += ["</body>", "</smil>", ""]
    return "\n".join(lines)


def nav_smil(clips: Sequence[Clip]) -> str:
    lines = [
        XML_DECL.rstrip("\n"),
        f'<smil xmlns="{NS_SMIL}" xmlns:epub="{NS_OPS}" version="3.0">',
        '<body epub:textref="../nav.xhtml">',
        '<seq id="seq-toc" epub:type="toc" epub:textref="../nav.xhtml#toc">',
        *(_par(c) for c in clips),
        "</seq>",
        "</body>",
        "</smil>",
        "",
    ]
    return "\n".join(lines)


# --- package -----------------------------------------------------------------------------


def identifier(book: RenderedBook) -> str:
    """The same for every build of a book: from its slug and title."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'audiobook:{book.slug}:{book.info.title}')}"


def _modified() -> float:
    """Now, or SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return float(epoch) if epoch.isdigit() else time.time()


def narrator(book: RenderedBook) -> str:
    engine = book.engine
    name = " ".join(str(engine.get(k) or "") for k in ("name", "version")).strip()
    voice = engine.get("voice") or engine.get("voice_model")
    if voice:
        name += f", voix {PurePosixPath(str(voice)).name}"
    return f"{name} (voix de synthèse)"


def summary(book: RenderedBook, pages: int = 0) -> str:
    """The accessibility summary; `pages`: how many print pages the book marks."""
    paging = (
        f"Les {pages} pages de l'édition imprimée sont repérées dans le texte et listées "
        "pour y aller directement."
        if pages
        else "Pas de numéros de page."
    )
    return (
        "Livre numérique au texte et à l'audio synchronisés (EPUB 3 Media Overlays) : "
        "chaque phrase est mise en évidence pendant sa lecture. La voix est une voix de "
        f"synthèse ({narrator(book).removesuffix(' (voix de synthèse)')}), et non celle d'un "
        "lecteur humain. Le texte seul suffit à la lecture, l'audio seul aussi. Table des "
        "matières lue à voix haute, titres structurés, ordre de lecture logique, notes "
        f"regroupées en fin de chapitre. {paging} Aucun danger connu."
    )


def page_source(book: RenderedBook) -> str:
    """What the page numbers are those of: the source file's print edition."""
    info = book.info
    name = f"« {info.title} »" + (f", {info.author}" if info.author else "")
    return f"{name} ({info.source})" if info.source else name


def _cover(book: RenderedBook) -> tuple[Path, str, str] | None:
    """(source, path inside ROOT, media type) of the cover, when it is a core image type."""
    cover = book.info.cover
    if cover is None or not cover.is_file():
        return None
    with cover.open("rb") as f:
        head = f.read(16)
    for magic, media_type, ext in COVER_TYPES:
        if head.startswith(magic):
            return cover, f"images/cover{ext}", media_type
    return None


def package_opf(
    book: RenderedBook,
    parts: Sequence[Part],
    durations: Sequence[int],
    nav_ms: int,
    cover: tuple[Path, str, str] | None,
) -> str:
    info = book.info
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(_modified()))
    total = sum(durations) + nav_ms
    pages = sum(len(p.chapter.pages) for p in parts)
    features = FEATURES + (PAGE_FEATURES if pages else ())
    meta = [
        f'<dc:identifier id="uid">{_x(identifier(book))}</dc:identifier>',
        f'<dc:title id="title">{_x(info.title)}</dc:title>',
        f"<dc:language>{_x(info.language)}</dc:language>",
    ]
    if info.author:
        meta.append(f'<dc:creator id="creator">{_x(info.author)}</dc:creator>')
    if info.publisher:
        meta.append(f"<dc:publisher>{_x(info.publisher)}</dc:publisher>")
    if info.date and _W3CDTF.fullmatch(info.date):
        meta.append(f"<dc:date>{_x(info.date)}</dc:date>")
    if info.description:
        meta.append(f"<dc:description>{_x(info.description)}</dc:description>")
    if pages:  # the edition the page numbers come from
        meta.append(f'<dc:source id="page-source">{_x(page_source(book))}</dc:source>')
    meta += [
        f'<meta property="dcterms:modified">{modified}</meta>',
        f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>',
        f'<meta property="a11y:certifiedBy">{_x(GENERATED_BY)}</meta>',
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessModeSufficient">textual</meta>',
        '<meta property="schema:accessModeSufficient">auditory</meta>',
        *(f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features),
        *(
            [
                '<meta refines="#page-source" property="source-of">pagination</meta>',
                f'<meta property="pageBreakSource">{_x(page_source(book))}</meta>',
            ]
            if pages
            else []
        ),
        '<meta property="schema:accessibilityHazard">none</meta>',
        '<meta property="schema:accessibilitySummary" xml:lang="fr">'
        f"{_x(summary(book, pages))}</meta>",
        f'<meta property="media:narrator">{_x(narrator(book))}</meta>',
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
        f'<meta property="media:duration">{clock(total)}</meta>',
        f'<meta property="media:duration" refines="#smil-nav">{clock(nav_ms)}</meta>',
        *(
            f'<meta property="media:duration" refines="#smil-{p.key}">{clock(ms)}</meta>'
            for p, ms in zip(parts, durations, strict=True)
        ),
    ]
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav" '
        'media-overlay="smil-nav"/>',
        '<item id="smil-nav" href="smil/nav.smil" media-type="application/smil+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    if cover is not None:
        items.append(
            f'<item id="cover" href="{cover[1]}" media-type="{cover[2]}" properties="cover-image"/>'
        )
    for p in parts:
        items += [
            f'<item id="{p.key}" href="{p.xhtml}" media-type="application/xhtml+xml" '
            f'media-overlay="smil-{p.key}"/>',
            f'<item id="smil-{p.key}" href="{p.smil}" media-type="application/smil+xml"/>',
            f'<item id="audio-{p.key}" href="{_x(p.audio)}" media-type="audio/mpeg"/>',
        ]
    # The navigation document is a spine item (the landmarks link to its table of contents)
    # out of the reading order: reading starts with the book's title.
    spine = ['<itemref idref="nav" linear="no"/>', *(f'<itemref idref="{p.key}"/>' for p in parts)]
    lines = [
        XML_DECL.rstrip("\n"),
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{_x(info.language)}">',
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
        *meta,
        "</metadata>",
        "<manifest>",
        *items,
        "</manifest>",
        "<spine>",
        *spine,
        "</spine>",
        "</package>",
        "",
    ]
    return "\n".join(lines)


CONTAINER = f"""{XML_DECL}<container version="1.0" \
xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="{ROOT}/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


def parts_of(book: RenderedBook) -> list[Part]:
    out = []
    for n, (placed, ch) in enumerate(zip(book.chapters, book_text(book), strict=True), 1):
        name = PurePosixPath(placed.file).name
        out.append(Part(ch, n, f"text/ch{n:02d}.xhtml", f"smil/ch{n:02d}.smil",
                        f"audio/{name}", book.folder / placed.file))  # fmt: skip
    return out


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5]))
    info.external_attr = 0o644 << 16  # rw-r--r-- once unzipped
    return info


def write(book: RenderedBook) -> None:
    parts = parts_of(book)
    clips = [chapter_clips(p) for p in parts]
    durations = [sum(c.ms for c in cs) for cs in clips]
    marks = page_marks(parts)
    docs = [chapter_xhtml(p, book.info.language, marks[p.n]) for p in parts]
    toc_clips = nav_clips(parts)
    cover = _cover(book)
    stamp = max(time.gmtime(_modified())[:6], (1980, 1, 1, 0, 0, 0))  # ZIP dates start in 1980
    texts: list[tuple[str, str]] = [
        ("META-INF/container.xml", CONTAINER),
        (f"{ROOT}/package.opf",
         package_opf(book, parts, durations, sum(c.ms for c in toc_clips), cover)),
        (f"{ROOT}/nav.xhtml", nav_xhtml(book, parts, [target for _, target in docs], marks)),
        (f"{ROOT}/smil/nav.smil", nav_smil(toc_clips)),
        (f"{ROOT}/style.css", CSS),
    ]  # fmt: skip
    for p, (doc, _), cs in zip(parts, docs, clips, strict=True):
        texts += [(f"{ROOT}/{p.xhtml}", doc), (f"{ROOT}/{p.smil}", chapter_smil(p, cs))]
    with atomic_path(book.folder / f"{book.slug}.epub") as tmp, zipfile.ZipFile(tmp, "w") as z:
        # The mimetype first, stored, with no extra field: how a reading system knows an EPUB.
        z.writestr(_entry("mimetype", stamp), MIMETYPE, zipfile.ZIP_STORED)
        for name, text in texts:
            z.writestr(_entry(name, stamp), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        binaries = [(p.source, p.audio) for p in parts]
        if cover is not None:
            binaries.append((cover[0], cover[1]))
        for source, name in binaries:  # MP3 and images do not compress: stored as they are
            with source.open("rb") as src, z.open(_entry(f"{ROOT}/{name}", stamp), "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
