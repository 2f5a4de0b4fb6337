"""daisy/ and <slug>-daisy.zip: a DAISY 2.02 full-text, full-audio talking book (the format
of hardware players such as Victor Reader Stream or Plextalk, and of libraries for the
blind).

    ncc.html       the navigation centre: metadata, the book's title, one h1 per chapter,
                   and the print source's pages (span class="page-normal" and the like,
                   each pointing at the sentence where its page begins)
    content.html   the written text: every sentence a span linked to its SMIL par
    sNNN.smil      one per NCC heading (s000: the credit under the book's title), one par
                   per sentence: the span in content.html and a clip of the chapter MP3;
                   notes are skippable pars (system-required="footnote-on")
    aNNN.mp3       the chapter MP3s as they are (CBR): hard links where the file system
                   allows, else copies; never re-encoded

Clips tile each chapter MP3 (sentences.py): a SMIL player plays them back to back."""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..files import atomic_path
from ..model import RenderedBook
from .manifest import GENERATED_BY
from .sentences import ChapterText, Sentence, book_text, clock, page_ids, seconds

FOLDER = "daisy"
NCC = "ncc.html"
CONTENT = "content.html"
NOTE_KINDS = frozenset({"note", "notes-heading"})

XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
SMIL_DOCTYPE = (
    '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
)
XML_DECL = '<?xml version="1.0" encoding="utf-8"?>'
# Characters XML 1.0 forbids; extracted text may carry stray control characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NORMAL_PAGE_RE = re.compile(r"[1-9]\d*")


@dataclass(frozen=True)
class Page:
    """A page of the print source in the NCC: where it begins (a sentence) and its kind:
    page-front (before the body's numbering starts: roman numerals and the like),
    page-normal (a positive whole number, what players jump to) or page-special."""

    label: str
    kind: str
    id: str
    sentence: str


def pages(chapters: Sequence[ChapterText]) -> list[Page]:
    out: list[Page] = []
    normal_seen = False
    places = [place for ch in chapters for place in ch.pages]
    for place, ident in zip(places, page_ids(p.label for p in places), strict=True):
        if NORMAL_PAGE_RE.fullmatch(place.label):
            kind, normal_seen = "page-normal", True
        else:
            kind = "page-special" if normal_seen else "page-front"
        out.append(Page(place.label, kind, ident, place.sentence))
    return out


@dataclass(frozen=True)
class Section:
    """One NCC heading and the SMIL file it opens: a run of one chapter's sentences."""

    heading: str
    level: int  # 1..6
    is_title: bool  # the book's title (h1 class="title")
    smil: str
    audio: str  # the chapter MP3, in the daisy folder
    sentences: tuple[Sentence, ...]

    @property
    def clips_ms(self) -> list[tuple[int, int]]:
        """Each sentence's clip in whole milliseconds (as written: npt=s.mmm)."""
        return [(round(s.clip_start_ms), round(s.clip_end_ms)) for s in self.sentences]

    @property
    def duration_ms(self) -> int:
        return sum(end - start for start, end in self.clips_ms)


def _text(value: str) -> str:
    """Escaped for XML text and for a double-quoted attribute."""
    return html.escape(_NOT_XML.sub("", value), quote=False).replace('"', "&quot;")


def par_id(s: Sentence) -> str:
    return "p" + s.id[1:]


def text_id(s: Sentence) -> str:
    """The SMIL text element: where NCC headings point (players read its src)."""
    return "t" + s.id[1:]


def audio_id(s: Sentence) -> str:
    return "a" + s.id[1:]


def _npt(ms: int) -> str:
    return f"npt={seconds(ms)}"


def hms(ms: float) -> str:
    total = int(round(ms / 1000))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def audio_name(ch: ChapterText) -> str:
    return f"a{ch.index + 1:03d}.mp3"


def sections(book: RenderedBook, chapters: Sequence[ChapterText]) -> list[Section]:
    """The book's title over the credit, then one section per chapter. A first chapter named
    like the book (a text without headings) stays whole under the title."""
    out: list[Section] = []

    def add(heading: str, is_title: bool, ch: ChapterText, run: Sequence[Sentence]) -> None:
        if run:
            smil = f"s{len(out):03d}.smil"
            out.append(Section(heading, 1, is_title, smil, audio_name(ch), tuple(run)))

    for ch in chapters:
        run = ch.sentences
        if ch.index == 0:
            credit = 0
            while credit < len(run) - 1 and run[credit].kind == "credit":
                credit += 1
            if not credit or ch.title == book.info.title:
                add(book.info.title, True, ch, run)
                continue
            add(book.info.title, True, ch, run[:credit])
            run = run[credit:]
        add(ch.title, False, ch, run)
    return out


def _meta(name: str, content: str, scheme: str = "") -> str:
    extra = f' scheme="{_text(scheme)}"' if scheme else ""
    return f'<meta name="{_text(name)}" content="{_text(content)}"{extra} />'


def _production_date() -> str:
    """Today (UTC), or SOURCE_DATE_EPOCH's day for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    stamp = float(epoch) if epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%d", time.gmtime(stamp))


def identifier(book: RenderedBook) -> str:
    return f"audiobook-{book.slug}"


def narrator(book: RenderedBook) -> str:
    engine = book.engine
    parts = [str(engine.get("name", "")), str(engine.get("version", "") or "")]
    voice = engine.get("voice") or engine.get("voice_model")
    if voice:
        parts.append(f"voice {Path(str(voice)).name}")
    return " ".join(p for p in parts if p).strip() + " (synthetic voice)"


def _lang_attrs(lang: str) -> str:
    return f'lang="{_text(lang)}" xml:lang="{_text(lang)}"'


def _head(title: str, metas: Sequence[str]) -> list[str]:
    return [
        "<head>",
        f"<title>{_text(title)}</title>",
        '<meta http-equiv="Content-type" content="text/html; charset=utf-8" />',
        *metas,
        "</head>",
    ]


def ncc(
    book: RenderedBook, secs: Sequence[Section], files: int, paging: Sequence[Page] = ()
) -> str:
    info = book.info
    total_ms = sum(s.duration_ms for s in secs)
    date = _production_date()
    kinds = ("front", "normal", "special")
    count = {k: sum(1 for p in paging if p.kind == f"page-{k}") for k in kinds}
    highest = max((int(p.label) for p in paging if p.kind == "page-normal"), default=0)
    metas = [
        _meta("dc:title", info.title),
        _meta("dc:creator", info.author or "Anonyme"),
        _meta("dc:date", date, "yyyy-mm-dd"),
        _meta("dc:format", "Daisy 2.02"),
        _meta("dc:identifier", identifier(book)),
        _meta("dc:language", info.language, "ISO 639"),
        _meta("dc:publisher", info.publisher or GENERATED_BY),
        *([_meta("dc:description", info.description)] if info.description else []),
        _meta("ncc:charset", "utf-8"),
        _meta("ncc:generator", GENERATED_BY),
        _meta("ncc:producedDate", date, "yyyy-mm-dd"),
        _meta("ncc:narrator", narrator(book)),
        *([_meta("ncc:sourceDate", info.date)] if info.date else []),
        *([_meta("ncc:sourcePublisher", info.publisher)] if info.publisher else []),
        _meta("ncc:pageFront", str(count["front"])),
        _meta("ncc:pageNormal", str(count["normal"])),
        _meta("ncc:pageSpecial", str(count["special"])),
        _meta("ncc:maxPageNormal", str(highest)),
        _meta("ncc:tocItems", str(len(secs) + len(paging))),  # headings and pages
        _meta("ncc:depth", str(max(s.level for s in secs))),
        _meta("ncc:totalTime", hms(total_ms)),
        _meta("ncc:multimediaType", "audioFullText"),
        _meta("ncc:setInfo", "1 of 1"),
        _meta("ncc:files", str(files)),
    ]
    by_sentence: dict[str, list[Page]] = {}
    for page in paging:
        by_sentence.setdefault(page.sentence, []).append(page)
    body = []
    for n, sec in enumerate(secs):
        cls = ' class="title"' if sec.is_title else ""
        href = f"{sec.smil}#{text_id(sec.sentences[0])}"
        body.append(
            f'<h{sec.level}{cls} id="h{n:03d}"><a href="{_text(href)}">'
            f"{_text(sec.heading)}</a></h{sec.level}>"
        )
        for s in sec.sentences:  # the pages that begin in this section, in reading order
            for page in by_sentence.get(s.id, ()):
                body.append(
                    f'<span class="{page.kind}" id="{_text(page.id)}">'
                    f'<a href="{_text(f"{sec.smil}#{text_id(s)}")}">{_text(page.label)}</a></span>'
                )
    return _xhtml(book, info.title, metas, body)


def _xhtml(book: RenderedBook, title: str, metas: Sequence[str], body: Sequence[str]) -> str:
    lines = [
        XML_DECL,
        XHTML_DOCTYPE,
        f'<html xmlns="http://www.w3.org/1999/xhtml" {_lang_attrs(book.info.language)}>',
        *_head(title, metas),
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


def _sentence_span(book: RenderedBook, sec: Section, s: Sentence) -> str:
    parts = []
    for piece in s.pieces:
        text = _text(piece.text)
        if piece.lang and piece.lang != book.info.language:
            text = f"<span {_lang_attrs(piece.lang)}>{text}</span>"
        parts.append(text)
    href = f"{sec.smil}#{par_id(s)}"
    return f'<span id="{s.id}"><a href="{_text(href)}">{" ".join(parts)}</a></span>'


BLOCKS = {  # sentence kind -> the element its paragraph becomes in content.html
    "credit": ("p", ' class="credit"'),
    "title": ("h1", ""),
    "body": ("p", ""),
    "notes-heading": ("p", ' class="notes-heading"'),
    "note": ("p", ' class="footnote"'),
    "closing": ("p", ' class="closing"'),
}


def content(book: RenderedBook, chapters: Sequence[ChapterText], secs: Sequence[Section]) -> str:
    """The written text, one element per paragraph and one span per sentence."""
    section_of = {s.id: sec for sec in secs for s in sec.sentences}
    metas = [
        _meta("dc:title", book.info.title),
        _meta("dc:identifier", identifier(book)),
        _meta("dc:format", "Daisy 2.02"),
        _meta("ncc:generator", GENERATED_BY),
    ]
    body = [f'<h1 class="title">{_text(book.info.title)}</h1>']
    for ch in chapters:
        spoken_title = any(s.kind == "title" for s in ch.sentences)
        if not spoken_title and not (ch.index == 0 and ch.title == book.info.title):
            body.append(f"<h1>{_text(ch.title)}</h1>")  # a title not read aloud
        in_notes = False
        paragraphs: list[list[Sentence]] = []
        for s in ch.sentences:
            if paragraphs and paragraphs[-1][0].paragraph == s.paragraph:
                paragraphs[-1].append(s)
            else:
                paragraphs.append([s])
        for para in paragraphs:
            kind = para[0].kind
            if (kind in NOTE_KINDS) != in_notes:
                body.append('<div class="notes">' if not in_notes else "</div>")
                in_notes = not in_notes
            tag, attrs = BLOCKS.get(kind, ("p", ""))
            spans = " ".join(_sentence_span(book, section_of[s.id], s) for s in para)
            body.append(f"<{tag}{attrs}>{spans}</{tag}>")
        if in_notes:
            body.append("</div>")
    return _xhtml(book, book.info.title, metas, body)


def smil(book: RenderedBook, sec: Section, elapsed_ms: int) -> str:
    lines = [
        XML_DECL,
        SMIL_DOCTYPE,
        "<smil>",
        "<head>",
        _meta("dc:format", "Daisy 2.02"),
        _meta("dc:title", book.info.title),
        _meta("dc:identifier", identifier(book)),
        _meta("ncc:generator", GENERATED_BY),
        _meta("ncc:totalElapsedTime", clock(elapsed_ms)),
        _meta("ncc:timeInThisSmil", clock(sec.duration_ms)),
        _meta("title", sec.heading),
        '<layout><region id="txtView" /></layout>',
        "</head>",
        "<body>",
        f'<seq dur="{sec.duration_ms // 1000}.{sec.duration_ms % 1000:03d}s">',
    ]
    for s, (start, end) in zip(sec.sentences, sec.clips_ms, strict=True):
        skip = ' system-required="footnote-on"' if s.kind in NOTE_KINDS else ""
        lines += [
            f'<par endsync="last" id="{par_id(s)}"{skip}>',
            f'<text src="{CONTENT}#{s.id}" id="{text_id(s)}" />',
            f'<audio src="{sec.audio}" clip-begin="{_npt(start)}" clip-end="{_npt(end)}"'
            f' id="{audio_id(s)}" />',
            "</par>",
        ]
    lines += ["</seq>", "</body>", "</smil>", ""]
    return "\n".join(lines)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(src, dst)


def fill(book: RenderedBook, folder: Path) -> list[str]:
    """Write every file of the talking book into `folder`; their names in reading order."""
    chapters = book_text(book)
    secs = sections(book, chapters)
    audio = {audio_name(ch): book.folder / ch.file for ch in chapters}
    names = [NCC, CONTENT, *(s.smil for s in secs), *audio]
    (folder / NCC).write_text(ncc(book, secs, len(names), pages(chapters)), encoding="utf-8")
    (folder / CONTENT).write_text(content(book, chapters, secs), encoding="utf-8")
    elapsed = 0
    for sec in secs:
        (folder / sec.smil).write_text(smil(book, sec, elapsed), encoding="utf-8")
        elapsed += sec.duration_ms
    for name, src in audio.items():
        _link_or_copy(src, folder / name)
    return names


def write_zip(folder: Path, names: Sequence[str], path: Path) -> None:
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        for name in names:
            method = zipfile.ZIP_STORED if name.endswith(".mp3") else zipfile.ZIP_DEFLATED
            zf.write(folder / name, name, compress_type=method)


def write(book: RenderedBook) -> None:
    final = book.folder / FOLDER
    work = Path(tempfile.mkdtemp(prefix=f".{FOLDER}.", dir=book.folder))
    try:
        names = fill(book, work)
        write_zip(work, names, book.folder / f"{book.slug}-daisy.zip")
        work.chmod(0o755)  # mkdtemp makes it private
        old = None
        if final.exists():
            old = final.with_name(f".{FOLDER}.old-{os.getpid()}")
            final.rename(old)
        work.rename(final)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
