"""Plain text and Markdown: blank lines separate paragraphs, top-level headings start
chapters."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..model import BookInfo
from .base import Section, Source, decode, read_bytes

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
SUFFIXES = (".txt", ".text", ".md", ".markdown")


def split_headings(text: str, default_title: str) -> list[Section]:
    """Markdown headings of the top level used in the text start chapters."""
    levels = [len(m.group(1)) for m in HEADING_RE.finditer(text)]
    if not levels:
        return [Section(default_title, text, titled=False)]
    top = min(levels)
    sections: list[Section] = []
    title, start = default_title, 0
    for m in HEADING_RE.finditer(text):
        if len(m.group(1)) != top:
            continue
        if text[start : m.start()].strip():
            sections.append(Section(title, text[start : m.start()], titled=start > 0))
        title, start = m.group(2).strip(), m.end()
    sections.append(Section(title, text[start:], titled=start > 0))
    # Lower-level headings inside a chapter stay as their own paragraphs, without the marks.
    return [replace(s, text=HEADING_RE.sub(r"\n\n\2.\n\n", s.text)) for s in sections]


def title_from_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or "Sans titre"


def read(path: Path) -> Source:
    """A text file's chapters; its title is its only heading, else its file name."""
    text, warnings = decode(read_bytes(path), str(path))
    sections = split_headings(text, title_from_name(path))
    title = title_from_name(path)
    m = HEADING_RE.search(text)
    if m and len(sections) == 1 and not text[: m.start()].strip():
        title = sections[0].title
    return Source(
        BookInfo(title=title, source=path.name), tuple(sections), warnings=tuple(warnings)
    )
