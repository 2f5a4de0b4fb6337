"""DOCX and ODT readers: pandoc's files and LibreOffice's DOCX of the ground truth, read
back word for word; locked and damaged files refused in one line."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from test_readers_corpus import AUTHOR, DATE, PUBLISHER, TITLE, check_reading, need, pandoc

from audiobook.errors import InputError
from audiobook.readers import office, read_source
from audiobook.readers.office import W, _docx_styles
from audiobook.text.chapters import build_document


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("office")


@pytest.fixture(scope="module")
def docx(made: Path) -> Path:
    return pandoc(made / "livre.docx")


@pytest.fixture(scope="module")
def odt(made: Path) -> Path:
    return pandoc(made / "livre.odt")


def test_docx_reads_as_the_ground_truth(docx: Path) -> None:
    source = office.read_docx(docx)
    assert check_reading(source) == 1.0
    assert (source.info.title, source.info.author, source.info.language) == (TITLE, AUTHOR, "fr")


def test_odt_reads_as_the_ground_truth(odt: Path) -> None:
    source = office.read_odt(odt)
    assert check_reading(source) == 1.0
    info = source.info
    assert (info.title, info.author, info.date, info.publisher) == (TITLE, AUTHOR, DATE, PUBLISHER)


def test_libreoffice_docx_reads_as_the_ground_truth(made: Path, odt: Path) -> None:
    """A second producer: LibreOffice's own styles ('Heading 1', outline levels) and
    footnote numbering."""
    soffice = need("soffice")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{made}/lo-profile", "--headless",
         "--convert-to", "docx", "--outdir", str(made / "lo"), str(odt)],
        check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    source = read_source(made / "lo" / "livre.docx")
    assert check_reading(source) == 1.0


def test_heading_styles_by_name_or_outline_level() -> None:
    styles = ET.fromstring(
        f'<w:styles xmlns:w="{W[1:-1]}">'
        '<w:style w:styleId="Titre1"><w:name w:val="Titre 1"/></w:style>'
        '<w:style w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'
        '<w:style w:styleId="Chap"><w:name w:val="Chapitre"/><w:pPr><w:outlineLvl w:val="0"/>'
        "</w:pPr></w:style>"
        '<w:style w:styleId="ChapBis"><w:name w:val="Chapitre bis"/><w:basedOn w:val="Chap"/>'
        "</w:style>"
        '<w:style w:styleId="Titre"><w:name w:val="Title"/></w:style>'
        '<w:style w:styleId="Corps"><w:name w:val="Corps de texte"/></w:style>'
        "</w:styles>"
    )
    kind = _docx_styles(styles)
    assert [kind(s) for s in ("Titre1", "Heading2", "Chap", "ChapBis", "Titre", "Corps", "")] == [
        (1, ""), (2, ""), (1, ""), (1, ""), (0, "title"), (0, ""), (0, ""),
    ]  # fmt: skip


def test_locked_and_damaged_files(docx: Path, odt: Path, tmp_path: Path) -> None:
    ole = tmp_path / "verrou.docx"  # how Word stores a password-protected .docx
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError, match="password-protected") as err:
        read_source(ole)
    assert "\n" not in str(err.value)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(docx.read_bytes()[:1500])
    with pytest.raises(InputError, match="not a readable DOCX"):
        read_source(cut)
    locked = tmp_path / "verrou.odt"
    with zipfile.ZipFile(odt) as zin, zipfile.ZipFile(locked, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b'manifest:full-path="content.xml"',
                    b'manifest:full-path="content.xml"><manifest:encryption-data '
                    b'manifest:checksum="x"/></manifest:file-entry><manifest:file-entry '
                    b'manifest:media-type="" manifest:full-path="unused"',
                )
            zout.writestr(item, data)
    with pytest.raises(InputError, match="password-protected"):
        read_source(locked)


def test_a_book_toml_can_name_a_docx(docx: Path, tmp_path: Path) -> None:
    (tmp_path / "livre.docx").write_bytes(docx.read_bytes())
    (tmp_path / "book.toml").write_text('title = "Mon livre"\nsource = "livre.docx"\n')
    doc = build_document(read_source(tmp_path / "book.toml"))
    assert [c.title for c in doc.chapters][1] == "L’Allemagne et l’Europe"
