"""EPUB reader: pandoc's EPUB 3 and EPUB 2 of the ground truth, read back word for word;
DRM and damaged archives refused in one line."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from test_readers_corpus import AUTHOR, DATE, PUBLISHER, TITLE, check_reading, pandoc

from audiobook.errors import InputError
from audiobook.readers import epub, read_source
from audiobook.text.chapters import build_document

ENCRYPTION = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
  </enc:EncryptedData>
</encryption>"""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("epub")


@pytest.fixture(scope="module")
def cover(made: Path) -> Path:
    """A cover picture, drawn by Typst."""
    typst = pytest.importorskip("typst")
    src = made / "cover.typ"
    src.write_text(
        '#set page(width: 6cm, height: 9cm, fill: rgb("#803030"))\n#text(white)[Bulletin]\n'
    )
    out = made / "cover.png"
    typst.compile(str(src), output=str(out), format="png", ppi=72)
    return out


@pytest.fixture(scope="module")
def epub3(made: Path, cover: Path) -> Path:
    return pandoc(made / "livre.epub", f"--epub-cover-image={cover}")


@pytest.fixture(scope="module")
def epub2(made: Path) -> Path:
    return pandoc(made / "livre2.epub", "-t", "epub2")


def test_epub3_reads_as_the_ground_truth(epub3: Path, cover: Path) -> None:
    source = epub.read(epub3)
    assert check_reading(source) == 1.0
    info = source.info
    assert (info.title, info.author, info.date, info.publisher, info.language) == (
        TITLE, AUTHOR, DATE, PUBLISHER, "fr",
    )  # fmt: skip
    assert info.cover is not None and info.cover.read_bytes() == cover.read_bytes()
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "audiobook" / "covers"
    assert info.cover.parent == cache and info.cover.suffix == ".png"


def test_epub2_reads_as_the_ground_truth(epub2: Path) -> None:
    """EPUB 2: no epub:type, notes linked by class only, chapters from the NCX."""
    source = epub.read(epub2)
    assert check_reading(source) == 1.0
    assert source.info.cover is None


def test_notes_are_numbered_as_printed(epub3: Path) -> None:
    """pandoc numbers an EPUB's notes chapter by chapter; they are read so."""
    doc = build_document(epub.read(epub3))
    assert [n[:7] for n in doc.chapters[1].notes] == ["Note 1.", "Note 2."]


def _rezip(src: Path, out: Path, extra: dict[str, str]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item))
        for name, text in extra.items():
            zout.writestr(name, text)
    return out


def test_drm_is_refused_in_one_line(epub3: Path, tmp_path: Path) -> None:
    adept = _rezip(epub3, tmp_path / "adept.epub", {"META-INF/rights.xml": "<rights/>"})
    with pytest.raises(InputError, match="DRM-protected \\(Adobe ADEPT\\).*DRM-free") as err:
        epub.read(adept)
    assert "\n" not in str(err.value)
    aes = ENCRYPTION.format(
        algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="EPUB/text/ch001.xhtml"
    )
    locked = _rezip(epub3, tmp_path / "locked.epub", {"META-INF/encryption.xml": aes})
    with pytest.raises(InputError, match="DRM-protected"):
        epub.read(locked)
    fonts = ENCRYPTION.format(
        algorithm="http://www.idpf.org/2008/embedding", uri="EPUB/fonts/font.otf"
    )
    obfuscated = _rezip(epub3, tmp_path / "fonts.epub", {"META-INF/encryption.xml": fonts})
    assert check_reading(epub.read(obfuscated)) == 1.0  # font obfuscation is no DRM


def test_damaged_or_wrong_archives(epub3: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.epub"
    cut.write_bytes(epub3.read_bytes()[:3000])
    with pytest.raises(InputError, match="not a readable EPUB"):
        epub.read(cut)
    other = tmp_path / "other.epub"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hello.txt", "bonjour")
    with pytest.raises(InputError, match="not an EPUB"):
        epub.read(other)


def test_through_the_registry_and_a_book_toml(epub3: Path, tmp_path: Path) -> None:
    assert check_reading(read_source(epub3)) == 1.0
    (tmp_path / "livre.epub").write_bytes(epub3.read_bytes())
    (tmp_path / "book.toml").write_text('title = "Mon livre"\nsource = "livre.epub"\n')
    source = read_source(tmp_path / "book.toml")
    assert source.info.title == "Mon livre"
    doc = build_document(source)
    assert len(doc.chapters) == 3 and sum(len(c.notes) for c in doc.chapters) == 5
