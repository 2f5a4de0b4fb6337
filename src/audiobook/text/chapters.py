"""Sections -> chapters (repaired, optionally split by length) -> what is read in each.

Besides the body, a chapter reads its title first; the first chapter opens with a short
credit, chapters with notes end with them, and the last one closes the book.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import replace

from ..model import BookInfo, Chapter, Document, PageTarget
from ..readers.base import Source
from .chunk import Paragraph
from .repair import repair_text

CHARS_PER_MINUTE = 950  # a French narrator's pace, to size parts before any audio exists
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def build_document(source: Source, split_minutes: float | None = None) -> Document:
    chapters: list[Chapter] = []
    waiting: list[str] = []  # pages whose text went with a chapter that has none left
    for section in source.sections:
        pages: list[PageTarget] = []
        if section.structured:
            paragraphs = [" ".join(p.split()) for p in section.text.split("\n\n") if p.strip()]
            notes = list(section.notes)
            pages = list(section.pages)
        else:
            paragraphs, notes = repair_text(section.text)  # plain text has no pages
        paragraphs, notes, pages = _without_scene_breaks(paragraphs, notes, pages)
        if not paragraphs:
            waiting += [p.label for p in pages]
            continue
        pages = [PageTarget(label, 0, 0) for label in waiting] + pages
        waiting = []
        if split_minutes:
            chapters += split_by_length(section.title, paragraphs, notes, split_minutes, pages)
        else:
            chapters.append(
                Chapter(section.title, tuple(paragraphs), tuple(n for _, n in notes), tuple(pages))
            )
    return Document(source.info, tuple(chapters))


def _without_scene_breaks(
    paragraphs: list[str], notes: list[tuple[int, str]], pages: Sequence[PageTarget] = ()
) -> tuple[list[str], list[tuple[int, str]], list[PageTarget]]:
    """A scene break ("* * *", "---") is a pause between paragraphs, not words to read.
    Notes keep pointing at the paragraph they follow; a page that began in a scene break
    begins with the next paragraph read (a page at the end, with no text after it, goes)."""
    kept = [i for i, p in enumerate(paragraphs) if readable(p)]
    moved = [(max(0, bisect.bisect_right(kept, where) - 1), n) for where, n in notes]
    placed: list[PageTarget] = []
    for page in pages:
        k = bisect.bisect_left(kept, page.paragraph)
        if k == len(kept):
            continue
        word = page.word if kept[k] == page.paragraph else 0
        placed.append(PageTarget(page.label, k, word))
    return [paragraphs[i] for i in kept], [(w, n) for w, n in moved if readable(n)], placed


def readable(text: str) -> bool:
    """Has a letter or a digit: something to say."""
    return any(ch.isalnum() for ch in text)


def split_by_length(
    title: str,
    paragraphs: list[str],
    notes: list[tuple[int, str]],
    minutes: float,
    pages: list[PageTarget] | None = None,
) -> list[Chapter]:
    """Parts of about `minutes` each, cut at paragraph boundaries, sized evenly. A page
    goes with the part that holds its paragraph."""
    pages = pages or []
    total = sum(len(p) for p in paragraphs)
    parts = max(1, round(total / (minutes * CHARS_PER_MINUTE)))
    if parts == 1:
        return [Chapter(title, tuple(paragraphs), tuple(n for _, n in notes), tuple(pages))]
    target = math.ceil(total / parts)
    groups: list[list[int]] = [[]]
    size = 0
    for i, p in enumerate(paragraphs):
        # Close a part when this paragraph would carry it further past the target than before.
        if groups[-1] and len(groups) < parts and abs(size + len(p) - target) > abs(size - target):
            groups.append([])
            size = 0
        groups[-1].append(i)
        size += len(p)
    return [
        Chapter(
            f"Partie {n}",
            tuple(paragraphs[i] for i in group),
            tuple(text for where, text in notes if where in group),
            _pages_in(pages, group),
        )
        for n, group in enumerate(groups, 1)
    ]


def _pages_in(pages: Sequence[PageTarget], group: list[int]) -> tuple[PageTarget, ...]:
    """The pages of a part (consecutive paragraphs), their paragraphs counted in it."""
    first, last = group[0], group[-1]
    return tuple(
        replace(p, paragraph=p.paragraph - first) for p in pages if first <= p.paragraph <= last
    )


def spoken_date(date: str) -> str:
    try:
        d = dt.date.fromisoformat(date)
    except ValueError:
        return date
    return f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}"


def credit(info: BookInfo) -> str:
    parts = [f"« {info.title} »" + (f", de {info.author}." if info.author else ".")]
    if info.publisher and info.date:
        parts.append(f"Paru dans {info.publisher}, le {spoken_date(info.date)}.")
    elif info.publisher:
        parts.append(f"Paru dans {info.publisher}.")
    elif info.date:
        parts.append(f"Daté du {spoken_date(info.date)}.")
    parts.append("Livre audio lu par une voix de synthèse.")
    return " ".join(parts)


def closing(info: BookInfo) -> str:
    return f"Fin de « {info.title} »."


def _opening(doc: Document, index: int) -> list[Paragraph]:
    """What chapter `index` reads before its body: the credit (first chapter), its title."""
    chapter = doc.chapters[index]
    out: list[Paragraph] = []
    if index == 0:
        out.append(Paragraph("credit", credit(doc.info)))
    if not (index == 0 and chapter.title == doc.info.title):  # the credit said it already
        out.append(Paragraph("title", chapter.title))
    return out


def reading_pages(doc: Document, index: int) -> tuple[PageTarget, ...]:
    """Chapter `index`'s page targets, their paragraphs counted in its reading order (the
    index sentence ids carry)."""
    shift = len(_opening(doc, index))
    return tuple(replace(p, paragraph=p.paragraph + shift) for p in doc.chapters[index].pages)


def reading_order(doc: Document, index: int) -> list[Paragraph]:
    """Everything chapter `index` reads aloud, in order, with the kind of each paragraph."""
    chapter = doc.chapters[index]
    out = _opening(doc, index)
    out += [Paragraph("body", p) for p in chapter.paragraphs]
    if len(chapter.notes) > 1:  # a single note announces itself ("Note 1. ...")
        out.append(Paragraph("notes-heading", "Notes."))
    out += [Paragraph("note", n) for n in chapter.notes]
    if index == len(doc.chapters) - 1:
        out.append(Paragraph("closing", closing(doc.info)))
    return out
