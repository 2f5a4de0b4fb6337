"""PDF reader: the ground truth typeset by Typst (French hyphenation, footnotes, running
heads, page numbers, a two-column chapter) and by LibreOffice, read back word for word."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from test_readers_corpus import (
    AUTHOR,
    NOTE_PREFIX_RE,
    NOTES,
    RUNNING_HEAD,
    TITLE,
    accuracy,
    check_reading,
    expected_text,
    libreoffice_pdf,
    need,
    page_texts,
    read_words,
    truth_words,
    typst_pdf,
    words,
)

from audiobook.errors import InputError
from audiobook.readers import pdf, read_source
from audiobook.readers.pdf import Glyph, dedupe, dehyphenate, parse_pages
from audiobook.text.chapters import build_document

pytest.importorskip("pypdfium2")

SOFT = "\ufffe"  # what PDFium reports for a line-end hyphenation point


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def typst_book(made: Path) -> Path:
    return typst_pdf(made / "typst.pdf")


@pytest.fixture(scope="module")
def typst_plain(made: Path) -> Path:
    """No bookmarks: chapters come from heading sizes alone."""
    return typst_pdf(made / "typst-no-outline.pdf", bookmarks=False)


@pytest.fixture(scope="module")
def lo_book(made: Path) -> Path:
    return libreoffice_pdf(made / "libreoffice.pdf")


def test_typst_pdf_reads_as_the_ground_truth(typst_book: Path) -> None:
    source = pdf.read(typst_book)
    assert check_reading(source) == 1.0
    assert (source.info.title, source.info.author, source.info.language) == (TITLE, AUTHOR, "fr")
    assert all(s.structured for s in source.sections)


def test_typst_fixture_has_the_hard_cases(typst_book: Path) -> None:
    """What the reader is tested against is really in the PDF: a soft hyphen where the
    compound has a real one, a word cut across a page whose foot holds a note, and a
    page number and running head on every page but the first."""
    pages = page_texts(typst_book)
    text = "\n".join(pages)
    compounds = {f"{a}-{b}" for a, b in re.findall(rf"(\w+){SOFT}(\w+)", text)}
    assert compounds & {"socialistes-démocrates", "social-démocrate", "contre-révolutionnaires"}
    cut = [p for p in pages if re.search(rf"{SOFT}\s*\d\w", p)]  # a hyphen, then a note
    assert cut, "no page ends inside a word above its footnotes"
    assert all(RUNNING_HEAD in p or TITLE in p for p in pages[1:])
    assert all(re.search(rf"\n{n + 1}\s*$", p) for n, p in enumerate(pages))


def test_no_running_head_nor_page_number_is_read(typst_book: Path, lo_book: Path) -> None:
    for path in (typst_book, lo_book):
        doc = build_document(pdf.read(path))
        body = [p for c in doc.chapters for p in c.paragraphs]
        assert not any(RUNNING_HEAD in p or AUTHOR in p for p in body)
        assert not any(re.fullmatch(r"\d+", p) for p in body)


def test_headings_by_size_without_an_outline(typst_plain: Path) -> None:
    assert check_reading(pdf.read(typst_plain)) == 1.0


def test_libreoffice_pdf_reads_as_the_ground_truth(lo_book: Path) -> None:
    """A second producer: ragged page foot, footnote numbers before a space, hyphenation
    with hyphen-fr, DejaVu ligatures, a title page, a page number in the footer."""
    source = pdf.read(lo_book)
    assert check_reading(source) == 1.0
    assert source.info.title == TITLE


def test_a_note_that_cuts_a_sentence_at_a_page_break(typst_book: Path) -> None:
    """As in the sample: the sentence goes on after the page foot's note; the note is read
    after its paragraph, the sentence whole."""
    doc = build_document(pdf.read(typst_book))
    paragraphs = [p for c in doc.chapters for p in c.paragraphs]
    joined = "socialistes-démocrates et de trois indépendants"
    assert any(joined in p for p in paragraphs)
    note = next(n for c in doc.chapters for n in c.notes if "Brest-Litovsk" in n)
    assert not any(words(note)[2:6] == words(p)[:4] for p in paragraphs)


def test_a_page_range(typst_book: Path) -> None:
    """Pages 3-5 only: their text, a run of the whole with nothing else (no running head),
    and the notes of those pages."""
    whole = [w for _, body, _ in expected_text() for p in body for w in words(p)]
    source = read_source(typst_book, pages=(3, 5))
    doc = build_document(source)
    part = [w for c in doc.chapters for p in c.paragraphs for w in words(p)]
    assert 0.15 < len(part) / len(whole) < 0.5
    part = part[1:]  # page 3 opens with the end of a word hyphenated on page 2
    assert any(whole[i : i + len(part)] == part for i in range(1, len(whole)))
    notes = [NOTE_PREFIX_RE.sub("", n) for c in doc.chapters for n in c.notes]
    assert notes and all(words(n) in [words(t) for t in NOTES.values()] for n in notes)
    with pytest.raises(InputError, match="has 11 page"):
        pdf.read(typst_book, pages=(10, 40))
    with pytest.raises(InputError, match="not a .pdf"):
        read_source(typst_book.with_suffix(".typ"), pages=(1, 2))
    assert parse_pages("3-40") == (3, 40)
    assert parse_pages("7") == (7, 7)
    for bad in ("0-3", "5-2", "abc"):
        with pytest.raises(InputError, match="--pages"):
            parse_pages(bad)


def _scan(made: Path, name: str, text_pages: int) -> Path:
    """Typst's page images put back into a PDF as pictures: a scan, no text layer."""
    typst = pytest.importorskip("typst")
    src = made / f"{name}.typ"
    src.write_text("#set page(width: 10cm, height: 8cm)\nUne page imprimée puis scannée.\n")
    png = made / f"{name}.png"
    typst.compile(str(src), output=str(png), format="png", ppi=72)
    body = "".join(f"Page de texte {i}.\n#pagebreak()\n" for i in range(text_pages))
    src.write_text(f'#set page(width: 10cm, height: 8cm)\n{body}#image("{png.name}")\n')
    out = made / f"{name}.pdf"
    typst.compile(str(src), output=str(out))
    return out


def test_a_scanned_pdf_says_it_needs_ocr(made: Path) -> None:
    with pytest.raises(InputError, match="no text layer.*OCR") as err:
        pdf.read(_scan(made, "scan", 0))
    assert "\n" not in str(err.value)
    mixed = pdf.read(_scan(made, "mixed", 2))
    assert any("page(s) 3 have no text layer" in w and "OCR" in w for w in mixed.warnings)


def test_an_encrypted_pdf_is_refused(made: Path) -> None:
    soffice = need("soffice")
    odt = made / "secret.odt"
    if not odt.exists():
        libreoffice_pdf(made / "secret-plain.pdf")
        (made / "secret-plain.odt").rename(odt)
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{made}/lo-profile", "--headless",
         "--convert-to", options, "--outdir", str(made), str(odt)],
        check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    with pytest.raises(InputError, match="encrypted.*decrypt it first"):
        pdf.read(made / "secret.pdf")


def test_damaged_and_wrong_files(tmp_path: Path, typst_book: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(typst_book.read_bytes()[:2000])
    with pytest.raises(InputError, match="damaged"):
        pdf.read(cut)
    fake = tmp_path / "fake.pdf"
    fake.write_text("Bonjour.\n")
    with pytest.raises(InputError, match="not a PDF"):
        pdf.read(fake)


def test_a_long_book_is_read_quickly_and_whole(made: Path) -> None:
    path = typst_pdf(made / "long.pdf", repeat=8)
    pages = len(page_texts(path))
    started = time.monotonic()
    source = pdf.read(path)
    seconds = time.monotonic() - started
    assert accuracy(read_words(source), truth_words(repeat=8)) == (1.0, [])
    assert pages >= 80 and seconds < pages * 0.1, (pages, seconds)


def test_a_book_toml_can_name_a_pdf(tmp_path: Path, typst_book: Path) -> None:
    (tmp_path / "livre.pdf").write_bytes(typst_book.read_bytes())
    (tmp_path / "book.toml").write_text('title = "Mon livre"\nsource = "livre.pdf"\n')
    doc = build_document(read_source(tmp_path / "book.toml"))
    assert [c.title for c in doc.chapters][0] == "L'anniversaire de la révolution"
    assert sum(len(c.notes) for c in doc.chapters) == len(NOTES)


# --- the rules, one at a time ------------------------------------------------------------


def _glyph(ch: str, x0: float, x1: float, space: bool = False) -> Glyph:
    return Glyph(ch, x0, x1, 0.0, 7.0, 0.0, 10.0, False, space)


def test_a_ligature_reported_twice_is_read_once() -> None:
    """LibreOffice can map one 'fi' glyph twice ('fifi'); a ligature's own letters ('ffi',
    one box) are all kept, and so are real double letters."""
    twice = [_glyph("e", 0, 5), *(_glyph(c, 5, 11) for c in "fifi"), _glyph("n", 11, 16)]
    assert "".join(g.ch for g in dedupe(twice)) == "efin"
    ligature = [_glyph("o", 0, 5), *(_glyph(c, 5, 13) for c in "ffi"), _glyph("c", 13, 17)]
    assert "".join(g.ch for g in dedupe(ligature)) == "offic"
    double = [_glyph("l", 0, 3), _glyph("l", 3, 6)]
    assert len(dedupe(double)) == 2
    bold = [_glyph("T", 0, 6), _glyph("T", 0.3, 6.3)]  # overprinted to look bold
    assert len(dedupe(bold)) == 1


@pytest.mark.parametrize(
    ("first", "second", "soft", "joined"),
    [
        ("révolu", "tion.", True, True),
        ("indépen", "dants", True, True),
        ("sur", "passe", True, True),
        ("pré", "face", True, True),
        ("Schei", "demann", True, True),  # a name: unknown either way, joined
        ("socialistes", "démocrates", True, False),
        ("contre", "révolutionnaires", True, False),
        ("est", "elle", True, False),
        ("celui", "ci", True, False),
        ("Brest", "Litovsk", True, False),
        ("porte", "parole", True, False),
        ("peut", "être", False, False),  # a hard hyphen stays unless clearly wrong
        ("révolu", "tion", False, True),
    ],
)
def test_dehyphenation(first: str, second: str, soft: bool, joined: bool) -> None:
    assert dehyphenate(first, second, soft) is joined


def _line(page: int, text: str, base: float, size: float = 11.0, bold: bool = False) -> pdf.Line:
    return pdf.Line(page, text, 72.0, 240.0, base, size, bold, 20.0)


def test_a_footnote_continued_on_a_page_with_no_note_of_its_own() -> None:
    """LibreOffice carries a long footnote over to the foot of the next page: those small
    lines end that note, even when no new note opens on the page."""
    one = [_line(0, "le texte de la page", 300), _line(0, "1 Article paru dans le", 110, 10)]
    two = [_line(1, "la suite du texte courant de la page", 300 - 13 * k) for k in range(3)]
    two.append(_line(1, "numéro 47/48 du Bulletin.", 110, 10))
    notes = pdf.find_notes([one, two], 11.0)
    assert [[ln.text for ln in n] for n in notes] == [
        ["1 Article paru dans le", "numéro 47/48 du Bulletin."]
    ]
    assert two[0].kind == "body"


def test_a_line_of_digits_alone_is_not_bold_and_ends_a_title_heading() -> None:
    glyphs = [
        Glyph(ch, 10.0 * i, 10.0 * i + 9, 0.0, 10.0, 0.0, 28.0, False, False)
        for i, ch in enumerate("1920")
    ]
    assert pdf.make_line(0, glyphs).bold is False
    title = [_line(0, "Bulletin communiste,", 300, 28), _line(0, "1920", 267, 28)]
    body = [_line(1, "Un texte courant assez long pour la page. " * 10, 300 - k) for k in range(3)]
    lines = title + [_line(0, "Marie Durand", 240)] + body
    pdf.find_headings(lines)
    assert [ln.kind for ln in lines[:3]] == ["heading", "heading", "body"]


def test_a_number_wrapped_under_a_bold_heading_stays_in_it() -> None:
    head = [_line(0, "De la défensive à l'offensive", 300, bold=True), _line(0, "(2)", 287)]
    body = [
        _line(0, "Un texte courant assez long pour la page. " * 10, 270 - 13 * k) for k in range(3)
    ]
    lines = head + body
    pdf.find_headings(lines)
    assert [ln.kind for ln in lines[:3]] == ["heading", "heading", "body"]
    assert lines[0].level == lines[1].level
    assert [
        text
        for group, kind in pdf.paragraphs(lines)
        if kind == "h"
        for text in [" ".join(ln.text for ln in group)]
    ] == ["De la défensive à l'offensive (2)"]
