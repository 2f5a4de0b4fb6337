"""book.toml [[chapters]] from structured files: a DOCX's sections, paragraphs and
footnotes survive being one chapter of a book, every word once and each note after its
paragraph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_readers_corpus import NOTE_PREFIX_RE, NOTES, chapters, expected_text, pandoc, words

from audiobook.model import BookInfo
from audiobook.readers import Section, Source, book
from audiobook.text.chapters import build_document

POSTSCRIPT = "Le journal parut encore deux fois.\n\nPuis l'imprimerie ferma ses portes.\n"


@pytest.fixture(scope="module")
def two_chapters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("book")
    pandoc(made / "bulletin.docx")
    (made / "ps.txt").write_text(POSTSCRIPT, encoding="utf-8")
    toml = made / "book.toml"
    toml.write_text(
        'title = "Recueil"\n\n[[chapters]]\ntitle = "Le bulletin"\nsource = "bulletin.docx"\n\n'
        '[[chapters]]\ntitle = "Post-scriptum"\nsource = "ps.txt"\n',
        encoding="utf-8",
    )
    return toml


def test_a_docx_chapter_keeps_its_sections_and_notes(two_chapters: Path) -> None:
    source = book.read(two_chapters)
    doc = build_document(source)
    assert [c.title for c in doc.chapters] == ["Le bulletin", "Post-scriptum"]
    first, second = doc.chapters
    truth = [w for title, body, _ in expected_text() for p in [title, *body] for w in words(p)]
    assert [w for p in first.paragraphs for w in words(p)] == truth  # notes not in the body
    assert [w for p in second.paragraphs for w in words(p)] == words(POSTSCRIPT)
    notes = [NOTE_PREFIX_RE.sub("", n) for n in first.notes]
    want = [NOTES[int(n)] for _, paras in chapters() for p in paras
            for n in re.findall(r"\{(\d+)\}", p.text)]  # fmt: skip
    assert [words(n) for n in notes] == [words(n) for n in want]
    assert not second.notes
    labels = [m.group(1) for n in first.notes if (m := NOTE_PREFIX_RE.match(n))]
    assert len(labels) == len(first.notes) == len(set(labels))  # one "Note 1." per chapter


def test_each_note_follows_the_paragraph_that_refers_to_it(two_chapters: Path) -> None:
    section = book.read(two_chapters).sections[0]
    assert section.structured
    flat = []
    for title, paras in chapters():
        flat += [title, *(p.text for p in paras)]
    want = [(i, NOTES[int(n)]) for i, p in enumerate(flat) for n in re.findall(r"\{(\d+)\}", p)]
    got = [(i, NOTE_PREFIX_RE.sub("", n)) for i, n in section.notes]
    assert [(i, words(n)) for i, n in got] == [(i, words(n)) for i, n in want]
    paragraphs = section.text.split("\n\n")
    assert len(paragraphs) == len(flat)
    assert all(
        words(p) == words(re.sub(r"\{\d+\}", "", t)) for p, t in zip(paragraphs, flat, strict=True)
    )


def test_notes_numbered_per_section_are_numbered_again_in_one_chapter() -> None:
    """Two sections that each counted their notes from 1 make one chapter: 1 and 2, each
    still after its paragraph (the second shifted past the first section and its title)."""
    parts = tuple(
        Section(t, f"Premier de {t}.\n\nSecond de {t}.", structured=True,
                notes=((1, f"Note 1. Sur {t}."),))
        for t in ("Un", "Deux")
    )  # fmt: skip
    merged = book._chapter("Tout", Source(BookInfo(title="Livre"), parts))
    assert merged.title == "Tout" and merged.structured
    assert merged.text.split("\n\n") == [
        "Un.", "Premier de Un.", "Second de Un.", "Deux.", "Premier de Deux.", "Second de Deux."
    ]  # fmt: skip
    assert merged.notes == ((2, "Note 1. Sur Un."), (5, "Note 2. Sur Deux."))
