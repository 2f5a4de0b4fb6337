"""The book as sentences with their times: what transcripts, read-along books and the web
player are made of. One place groups chunks into sentences and times them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..model import PageTarget, PlacedChapter, RenderedBook

_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class Piece:
    """Written text in one language (a sentence may hold an English span)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a title, a note) of a chapter. Times are in the chapter's MP3.

    start_ms..end_ms is the speech; clip_start_ms..clip_end_ms tiles the chapter with no
    gap (a SMIL player plays clips back to back): a clip ends where the next begins, the
    pause after a sentence belongs to it, the first clip starts at 0 and the last ends
    with the chapter's audio."""

    id: str  # stable: s-CC-PPP-SSS (chapter, paragraph, sentence)
    chapter: int
    paragraph: int
    kind: str  # credit | title | body | notes-heading | note | closing
    pieces: tuple[Piece, ...]
    start_ms: float
    end_ms: float
    clip_start_ms: float
    clip_end_ms: float

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)

    @property
    def langs(self) -> set[str]:
        return {p.lang for p in self.pieces}


@dataclass(frozen=True)
class PagePlace:
    """Where a page of the print source begins: before word `word` (an index into
    `text.split()`) of the sentence whose id is `sentence`."""

    label: str
    sentence: str
    word: int


@dataclass(frozen=True)
class ChapterText:
    index: int  # 0-based
    title: str
    file: str  # the chapter MP3, relative to the book's folder
    start_ms: float  # where it starts in the book MP3
    duration_ms: float  # its decoded audio
    sentences: tuple[Sentence, ...]
    pages: tuple[PagePlace, ...] = ()  # in reading order


def place_pages(
    sentences: Sequence[Sentence], pages: Sequence[PageTarget]
) -> tuple[PagePlace, ...]:
    """Each page target (paragraph in reading order, word of that paragraph) as a sentence
    and a word of it, counting the words of the paragraph's sentences in turn. A target
    past its paragraph's words begins the next sentence; one with no sentence left goes."""
    first: dict[int, int] = {}  # paragraph -> index of its first sentence
    for i, s in enumerate(sentences):
        first.setdefault(s.paragraph, i)
    out: list[PagePlace] = []
    for page in pages:
        left = page.word
        start = first.get(page.paragraph)
        if start is None:  # no sentence of its own: the next paragraph read, if any
            start = next((i for p, i in first.items() if p > page.paragraph), len(sentences))
        for s in sentences[start:]:
            if s.paragraph > page.paragraph:  # past its paragraph's words
                out.append(PagePlace(page.label, s.id, 0))
                break
            count = len(s.text.split())
            if left < count:
                out.append(PagePlace(page.label, s.id, left))
                break
            left -= count
    return tuple(out)


def page_ids(labels: Iterable[str]) -> Iterator[str]:
    """An XML id for each page of a book, unique in it: "page-12", then "page-12-2" for a
    label met again. The EPUB and the DAISY book name their pages alike."""
    used: set[str] = set()
    for label in labels:
        base = f"page-{_NOT_ID.sub('_', label)}"
        ident, k = base, 1
        while ident in used:
            k += 1
            ident = f"{base}-{k}"
        used.add(ident)
        yield ident


def _groups(ch: PlacedChapter) -> dict[tuple[int, int], list[tuple[float, float, Piece, str]]]:
    """(start, end, piece, kind) of each sentence's parts, in reading order."""
    groups: dict[tuple[int, int], list[tuple[float, float, Piece, str]]] = {}
    for t in ch.audio.timings:
        c = t.chunk
        if t.parts:  # several sentences in one chunk
            for (key, text), (a, b) in zip(c.sentences(), t.parts, strict=True):
                groups.setdefault(key, []).append((a, b, Piece(text, c.lang), c.kind))
        else:
            groups.setdefault((c.paragraph, c.sentence), []).append(
                (t.start_ms, t.end_ms, Piece(c.text, c.lang), c.kind)
            )
    return groups


def chapter_text(ch: PlacedChapter) -> ChapterText:
    index = ch.audio.index
    groups = list(_groups(ch).items())
    starts = [0.0] + [parts[0][0] for _, parts in groups[1:]]
    ends = [*starts[1:], ch.audio.duration_ms]
    sentences = tuple(
        Sentence(
            id=f"s-{index + 1:02d}-{p:03d}-{s:03d}",
            chapter=index,
            paragraph=p,
            kind=parts[0][3],
            pieces=tuple(piece for _, _, piece, _ in parts),
            start_ms=parts[0][0],
            end_ms=parts[-1][1],
            clip_start_ms=clip_start,
            clip_end_ms=max(clip_end, clip_start),
        )
        for ((p, s), parts), clip_start, clip_end in zip(groups, starts, ends, strict=True)
    )
    pages = place_pages(sentences, ch.pages)
    return ChapterText(
        index, ch.audio.title, ch.file, ch.start_ms, ch.audio.duration_ms, sentences, pages
    )


def clock(ms: int) -> str:
    """A SMIL full clock value, hh:mm:ss.mmm (SMIL 1.0 and 3.0 alike)."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def seconds(ms: int) -> str:
    """A SMIL timecount in seconds with milliseconds: 12.345s."""
    return f"{ms // 1000}.{ms % 1000:03d}s"


def book_text(book: RenderedBook) -> list[ChapterText]:
    return [chapter_text(ch) for ch in book.chapters]


def all_sentences(chapters: Sequence[ChapterText]) -> list[Sentence]:
    return [s for ch in chapters for s in ch.sentences]
