"""The ground truth the format readers are tested against, and the third-party producers
(Typst, pandoc, LibreOffice) that typeset it into PDF, EPUB, HTML, DOCX and ODT.

The text is the sample article (samples/bulletin-communiste-1920.txt) cleaned by hand
rules, cut into three chapters with a sub-heading and five footnotes, one of them the
article's own note. Fixtures are never written by our code: only the markup each producer
reads (Markdown, Typst) is.
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import SAMPLE_TEXT

from audiobook.readers.base import Source
from audiobook.text.chapters import build_document

TITLE = "Bulletin communiste, 1920"
AUTHOR = "Marie Durand"
DATE = "1920-12-09"
PUBLISHER = "Bulletin communiste"
RUNNING_HEAD = "Bulletin communiste — anniversaire"

NOTES = {
    1: "Article paru dans le numéro 47/48 (première année) du Bulletin communiste, "
    "9 décembre 1920. D'après les mots « Aujourd'hui, c'est le troisième anniversaire de "
    "notre révolution prolétarienne. », le texte date du 7 novembre 1920.",
    2: "Le traité de Brest-Litovsk, signé le 3 mars 1918 entre la Russie des Soviets et "
    "les empires centraux.",
    3: "Philipp Scheidemann, social-démocrate, proclama la république allemande le "
    "9 novembre 1918.",
    4: "« Bas les pattes devant la Russie » : campagne des syndicats britanniques contre "
    "l'intervention, en 1919 et 1920.",
    5: "Le Congrès des peuples de l'Orient se tint à Bakou du 1er au 8 septembre 1920.",
}
# (text after which the reference mark stands, note number): marks end a word, mid-sentence
# for 3 and 5, so a note read in place would cut a sentence.
MARKS = [
    ("anniversaire de notre révolution prolétarienne.", 1),
    ("les fers du traité de Brest", 2),
    ("les partisans de Scheidemann", 3),
    ("le « Hands off Russia ! »", 4),
    ("Le Congrès de Bakou", 5),
]
CHAPTERS = [
    ("L'anniversaire de la révolution", range(0, 9), None),
    ("L'Allemagne et l'Europe", range(9, 12), (10, "Le type allemand")),
    ("De la défensive à l'offensive", range(12, 18), None),
]


@dataclass(frozen=True)
class Para:
    text: str  # the words, with {n} where note n's mark stands
    heading: int = 0  # 2 for the sub-heading


def _sample_paragraphs() -> list[str]:
    """The sample's paragraphs, unwrapped; its page-foot note taken out of the paragraph
    it cut; its two known extraction faults fixed by hand."""
    text = SAMPLE_TEXT.read_text(encoding="utf-8")
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("1 Article paru"):
            paragraphs[-1] += " " + " ".join(lines[2:])
            continue
        paragraphs.append(" ".join(lines))
    fixed = [" ".join(p.split()) for p in paragraphs]
    fixed = [
        p.replace("fondement,la", "fondement, la").replace("d enfant", "d'enfant") for p in fixed
    ]
    return fixed


def chapters() -> list[tuple[str, list[Para]]]:
    """The ground truth: chapters of paragraphs (and one sub-heading), note marks in place."""
    paragraphs = _sample_paragraphs()
    assert len(paragraphs) == 18, len(paragraphs)
    for anchor, n in MARKS:
        hits = [i for i, p in enumerate(paragraphs) if anchor in p]
        assert len(hits) == 1, anchor
        paragraphs[hits[0]] = paragraphs[hits[0]].replace(anchor, f"{anchor}{{{n}}}", 1)
    out = []
    for title, span, sub in CHAPTERS:
        paras = [Para(paragraphs[i]) for i in span]
        if sub:
            paras.insert(sub[0] - span.start, Para(sub[1], heading=2))
        out.append((title, paras))
    return out


def notes_by_chapter() -> list[list[int]]:
    return [
        [int(n) for p in paras for n in re.findall(r"\{(\d+)\}", p.text)] for _, paras in chapters()
    ]


# --- what is read, compared with the ground truth -------------------------------------

WORD_RE = re.compile(r"[\w]+(?:[-'][\w]+)*")


def words(text: str) -> list[str]:
    """Lower-case words; apostrophes, ellipses and spaces normalised; hyphens kept."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("…", "...")
    return WORD_RE.findall(text.casefold())


def copies(repeat: int = 1, marked: bool = False) -> list[tuple[str, list[Para], dict[int, str]]]:
    """The ground truth's chapters `repeat` times (titles numbered when more than once), each
    with the note texts its marks stand for. marked: every paragraph, sub-heading and note of
    copy r also names "Partie r" and its place, so that no text repeats in a long book."""
    out = []
    for r in range(repeat):
        k = 0
        for title, paras in chapters():
            if marked:
                paras = [
                    Para(f"{p.text} ({r + 1})", p.heading)
                    if p.heading
                    else Para(f"Partie {r + 1}, paragraphe {(k := k + 1)}. {p.text}")
                    for p in paras
                ]
            notes = {n: f"Partie {r + 1}, note {n}. {t}" if marked else t for n, t in NOTES.items()}
            out.append((title if repeat == 1 else f"{title} ({r + 1})", paras, notes))
    return out


def expected_text(
    heading_suffix: str = ".", repeat: int = 1, marked: bool = False
) -> list[tuple[str, list[str], list[str]]]:
    """(title, body paragraphs, note texts) per chapter, as they should be read."""
    out = []
    for title, paras, texts in copies(repeat, marked):
        body = [
            p.text + heading_suffix if p.heading else re.sub(r"\{\d+\}", "", p.text) for p in paras
        ]
        notes = [texts[int(m)] for p in paras for m in re.findall(r"\{(\d+)\}", p.text)]
        out.append((title, body, notes))
    return out


NOTE_PREFIX_RE = re.compile(r"^Note (\d+)\. ")


def read_words(source: Source) -> list[str]:
    """What build_document reads, chapter after chapter: title, body, then its notes."""
    return [w for chapter in chapter_words(source) for w in chapter]


def chapter_words(source: Source) -> list[list[str]]:
    """read_words, chapter by chapter."""
    out: list[list[str]] = []
    for chapter in build_document(source).chapters:
        got = words(chapter.title)
        for p in chapter.paragraphs:
            got += words(p)
        for n in chapter.notes:
            assert NOTE_PREFIX_RE.match(n), n
            got += words(NOTE_PREFIX_RE.sub("", n))
        out.append(got)
    return out


def truth_words(repeat: int = 1, marked: bool = False) -> list[str]:
    """The ground truth's words as read, of the book typst_source(repeat, marked) writes."""
    return [w for chapter in truth_chapter_words(repeat, marked) for w in chapter]


def truth_chapter_words(repeat: int = 1, marked: bool = False) -> list[list[str]]:
    """truth_words, chapter by chapter."""
    return [
        [w for text in [title, *body, *notes] for w in words(text)]
        for title, body, notes in expected_text(repeat=repeat, marked=marked)
    ]


def page_texts(pdf: Path) -> list[str]:
    """Each page's raw text as PDFium extracts it (to check what a fixture contains)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def accuracy(got: list[str], want: list[str]) -> tuple[float, list[str]]:
    """Word accuracy (1 - (substitutions + deletions + insertions) / words), and the diff."""
    sm = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    errors = 0
    diff: list[str] = []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op != "equal":
            errors += max(a1 - a0, b1 - b0)
            diff.append(f"{op}: {' '.join(want[a0:a1])!r} -> {' '.join(got[b0:b1])!r}")
    return 1 - errors / max(1, len(want)), diff


def check_reading(source: Source, *, notes_in_place: bool = True) -> float:
    """Every word once and in order; chapters as in the ground truth; every note once,
    after the paragraph that refers to it, never inside a sentence. Returns the accuracy."""
    got, want = read_words(source), truth_words()
    score, diff = accuracy(got, want)
    assert not diff, "\n".join(diff[:20])
    doc = build_document(source)
    truth = expected_text()
    assert [words(c.title) for c in doc.chapters] == [words(t) for t, _, _ in truth]
    for chapter, (_, body, notes) in zip(doc.chapters, truth, strict=True):
        assert len(chapter.paragraphs) == len(body), (chapter.title, chapter.paragraphs)
        assert [words(NOTE_PREFIX_RE.sub("", n)) for n in chapter.notes] == [
            words(n) for n in notes
        ]
    if notes_in_place:
        check_note_places(source)
    return score


def check_note_places(source: Source) -> None:
    """Each note follows the paragraph holding its reference mark."""
    for section, (title, paras) in zip(
        [s for s in source.sections if s.text.strip()], chapters(), strict=True
    ):
        body = [p for p in paras]
        want = [i for i, p in enumerate(body) for _ in re.findall(r"\{\d+\}", p.text)]
        assert [i for i, _ in section.notes] == want, (title, section.notes)


# --- producers ---------------------------------------------------------------------------


def need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.skip(f"{program} is not installed (script/bootstrap installs it)")
    return path


def markdown() -> str:
    """The ground truth in pandoc's Markdown, with a title block and footnotes."""
    lines = [
        "---",
        f'title: "{TITLE}"',
        f"author: {AUTHOR}",
        f"date: {DATE}",
        f"publisher: {PUBLISHER}",
        "lang: fr",
        "---",
        "",
    ]
    for title, paras in chapters():
        lines += [f"# {title}", ""]
        for p in paras:
            if p.heading:
                lines += [f"{'#' * p.heading} {p.text}", ""]
            else:
                lines += [re.sub(r"\{(\d+)\}", r"[^\1]", p.text.replace("*", r"\*")), ""]
    lines += [f"[^{n}]: {text}" for n, text in NOTES.items()]
    return "\n".join(lines) + "\n"


def pandoc(out: Path, *args: str) -> Path:
    need("pandoc")
    md = out.with_suffix(".md")
    md.write_text(markdown(), encoding="utf-8")
    subprocess.run(["pandoc", str(md), "-o", str(out), *args], check=True, timeout=60)
    return out


TYPST_SPECIAL = re.compile(r"([\\#*_$<>@\[\]`~=+/])")


def _typst_escape(text: str) -> str:
    return TYPST_SPECIAL.sub(r"\\\1", text)


def typst_source(
    repeat: int = 1,
    two_columns: bool = True,
    bookmarks: bool = True,
    marked: bool = False,
    paper: str = "width: 11cm, height: 15.5cm",
) -> str:
    """The ground truth in Typst: French hyphenation, justified, running heads (two kinds,
    on even and odd pages) and page numbers, footnotes, the last chapter on two columns.
    repeat, marked: as copies() gives them (a long book); paper: Typst's page size, e.g.
    'paper: "a5"'."""
    out = [
        f'#set document(title: "{TITLE}", author: "{AUTHOR}")',
        '#set text(lang: "fr", hyphenate: true, size: 10pt)',
        "#set par(justify: true)",
        f'#set page({paper}, margin: (x: 1.4cm, y: 1.6cm), numbering: "1",',
        "  header: context { let n = counter(page).get().first()",
        f"    if n > 1 {{ if calc.even(n) [{TITLE} #h(1fr) {AUTHOR}] else [#h(1fr) {RUNNING_HEAD}] }} }})",
        "#show heading.where(level: 1): it => { pagebreak(weak: true); it }",
        "" if bookmarks else "#set heading(bookmarked: false)",
        "",
    ]
    for i, (title, paras, texts) in enumerate(copies(repeat, marked)):
        c = i % len(CHAPTERS)
        if two_columns and c == 2:
            out += ["#set page(columns: 2)", "#set text(size: 9pt)"]
        elif c == 0 and i:
            out += ["#set page(columns: 1)", "#set text(size: 10pt)"]
        out += [f"= {_typst_escape(title)}", ""]
        for p in paras:
            if p.heading:
                out += [f"{'=' * p.heading} {_typst_escape(p.text)}", ""]
                continue
            text = _typst_escape(p.text)
            text = re.sub(
                r"\{(\d+)\}",
                lambda m, texts=texts: f"#footnote[{_typst_escape(texts[int(m.group(1))])}]",
                text,
            )
            out += [text, ""]
    return "\n".join(out) + "\n"


def typst_pdf(out: Path, **kwargs: object) -> Path:
    typst = pytest.importorskip("typst")
    src = out.with_suffix(".typ")
    src.write_text(typst_source(**kwargs), encoding="utf-8")  # type: ignore[arg-type]
    typst.compile(str(src), output=str(out))
    return out


HEADER_FOOTER = (
    '<style:header><text:p text:style-name="Header">{head}</text:p></style:header>'
    '<style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current">1'
    "</text:page-number></text:p></style:footer>"
)


LO_FONT = "DejaVu Serif"  # has fi/fl ligatures, which LibreOffice reports twice


def libreoffice_pdf(out: Path, *, export: str = "pdf") -> Path:
    """The ground truth as pandoc's ODT, given a small page with a running head and page
    numbers in its master page, then typeset by LibreOffice into PDF."""
    soffice = need("soffice")
    odt = pandoc(out.with_suffix(".odt"))
    with zipfile.ZipFile(odt) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    styles = parts["styles.xml"].decode("utf-8")
    styles = re.sub(r'fo:page-width="[^"]*"', 'fo:page-width="11cm"', styles)
    styles = re.sub(r'fo:page-height="[^"]*"', 'fo:page-height="15.5cm"', styles)
    head = HEADER_FOOTER.format(head=RUNNING_HEAD)
    styles, n = re.subn(
        r'(<style:master-page style:name="Standard"[^>]*?)\s*/>',
        r"\1>" + head + "</style:master-page>",
        styles,
    )
    if not n:
        styles, n = re.subn(
            r'(<style:master-page style:name="Standard"[^>]*>)', r"\1" + head, styles
        )
    assert n, "pandoc's reference ODT has no Standard master page"
    standard = (
        '<style:style style:class="text" style:family="paragraph" style:name="Standard">'
        '<style:paragraph-properties fo:text-align="justify" />'
        f'<style:text-properties fo:font-family="{LO_FONT}" fo:font-size="11pt" '
        'fo:language="fr" fo:country="FR" fo:hyphenate="true" '
        'fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="2" />'
        "</style:style>"
    )
    styles, n = re.subn(
        r'<style:style style:class="text" style:family="paragraph" '
        r'style:name="Standard"\s*/>',
        standard,
        styles,
    )
    assert n, "pandoc's reference ODT has no Standard paragraph style"
    parts["styles.xml"] = styles.encode("utf-8")
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), parts.pop("mimetype"))
        for name, data in parts.items():
            zf.writestr(name, data, zipfile.ZIP_DEFLATED)
    profile = out.parent / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            export,
            "--outdir",
            str(out.parent),
            str(odt),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    made = out.parent / (odt.stem + ".pdf")
    if made != out:
        made.rename(out)
    return out


# --- the ground truth itself -------------------------------------------------------------


def test_ground_truth_is_whole() -> None:
    """The sample's words are all there: its page-foot note out of the sentence it cut."""
    body = [re.sub(r"\{\d+\}", "", p.text) for _, ps in chapters() for p in ps if not p.heading]
    truth = [w for p in body for w in words(p)]
    sample = SAMPLE_TEXT.read_text(encoding="utf-8")
    sample = sample.replace("fondement,la", "fondement, la").replace("d enfant", "d'enfant")
    note_lines = [line for line in sample.split("\n") if "Article paru" in line]
    note_lines.append(sample.split("\n")[sample.split("\n").index(note_lines[0]) + 1])
    for line in note_lines:
        sample = sample.replace(line, "")
    assert accuracy(truth, words(sample)) == (1.0, [])
    assert sorted(n for ns in notes_by_chapter() for n in ns) == sorted(NOTES)


def test_accuracy_counts_every_kind_of_error() -> None:
    want = ["a", "b", "c", "d"]
    assert accuracy(want, want) == (1.0, [])
    assert accuracy(["a", "c", "d"], want)[0] == 0.75
    assert accuracy(["a", "b", "x", "c", "d"], want)[0] == 0.75
    assert accuracy(["a", "b", "c", "d", "c"], want)[0] == 0.75


def test_a_marked_long_book_repeats_no_text() -> None:
    """The bench's long books (benchmarks/reader_bench.py): no title, paragraph, sub-heading
    or note twice, and every one of the ground truth's in each copy."""
    once = [t for title, body, notes in expected_text() for t in [title, *body, *notes]]
    texts = [
        t
        for title, body, notes in expected_text(repeat=3, marked=True)
        for t in [title, *body, *notes]
    ]
    assert len(set(texts)) == len(texts) == 3 * len(once)
