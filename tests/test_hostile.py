"""Hostile and odd input: every output file still parses, nothing is injected, bad
settings are one-line errors naming the file."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import srt
import webvtt
from mutagen.id3 import ID3
from support import cli_runner

from audiobook.cli import cli

HOSTILE_TITLE = "../../etc/passwd\x00 CON <b>&\"'</b> --> 🙂 שלום \x1b[31m" + "x" * 500
BODY = (
    "-h n'est pas une option. Il dit [[bOnZuR]] <speak>et</speak> part --> loin & vite.\n\n"
    "* * *\n\nLa suite <script>alert(1)</script> arrive.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def book(tmp_path: Path, toml: str, body: str = BODY) -> Path:
    folder = tmp_path / "livre"
    folder.mkdir(exist_ok=True)
    (folder / "texte.md").write_text(body, encoding="utf-8")
    path = folder / "book.toml"
    path.write_text(toml, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    title = json.dumps(HOSTILE_TITLE, ensure_ascii=False)  # TOML takes these escapes
    src = book(tmp, f'title = {title}\nsource = "texte.md"\n')
    code, _, err = run("build", str(src), "-o", str(tmp / "out"), "--engine", "espeak",
                       "--cache-dir", str(tmp / "cache"))  # fmt: skip
    assert code == 0, err
    (folder,) = [p for p in (tmp / "out").iterdir() if not p.name.startswith(".")]
    return folder


def test_a_hostile_title_makes_a_safe_folder_and_file_names(hostile: Path) -> None:
    assert hostile.parent.name == "out" and len(hostile.name) <= 60
    for path in hostile.rglob("*"):
        assert path.resolve().is_relative_to(hostile.resolve())
        assert all(c.isalnum() or c in "-._" for c in path.name), path.name


def test_every_file_parses_and_holds_no_control_character(hostile: Path) -> None:
    manifest = json.loads((hostile / "manifest.json").read_text(encoding="utf-8"))
    assert "\x00" not in manifest["title"] and "\x1b" not in manifest["title"]
    assert manifest["title"].startswith("../../etc/passwd CON <b>&")
    json.loads((hostile / "chapters.json").read_text(encoding="utf-8"))
    cues = webvtt.read(str(hostile / "transcript.vtt"))
    texts = html.unescape(" ".join(c.text for c in cues))  # webvtt-py keeps the entities
    assert "--> loin & vite" in texts and "<script>alert(1)</script>" in texts
    subs = list(srt.parse((hostile / "transcript.srt").read_text(encoding="utf-8")))
    assert len(subs) == len(cues)
    tags = ID3(hostile / f"{hostile.name}.mp3")
    assert "\x00" not in str(tags["TIT2"]) and str(tags["TPE1"]) == "Anonyme"
    assert "* * *" not in texts  # a scene break is a pause, not words


def test_phoneme_syntax_and_markup_in_the_text_are_read_as_text(tmp_path: Path) -> None:
    src = book(tmp_path, 'title = "T"\nsource = "texte.md"\n')
    code, out, err = run("preview", str(src), "--engine", "espeak", "--json")
    assert code == 0, err
    spoken = " ".join(c["spoken"] for ch in json.loads(out)["chapters"] for c in ch["chunks"])
    assert "[[" not in spoken and "bOnZuR" in spoken


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('title = "T"\nsource = "../secret.txt"\n',
         "{book}: ../secret.txt is outside the book's folder; move it in, or set "
         "allow_outside = true in book.toml."),
        ('title = "T"\nsource = "texte.md"\ncover = "texte.md"\n',
         "{book}: cover {folder}/texte.md is not a JPEG or PNG image."),
        ('title = "T"\nsource = "texte.md"\nsplit_minutes = inf\n',
         "{book}: 'split_minutes' must be a number from 1 to 600."),
        ('title = "T"\nsource = "texte.md"\nsplit_minutes = nan\n',
         "{book}: 'split_minutes' must be a number from 1 to 600."),
        ('title = "T"\nsource = "texte.md"\n[pauses]\nsentence = 99999999\n',
         "{book}: [pauses] values must be whole milliseconds, 0 to 60000."),
        ('title = "T"\nsource = "texte.md"\nsplit_minutes = \n',
         "{book} is not valid TOML: Invalid value (at line 3, column 17)."),
    ],
)  # fmt: skip
def test_bad_book_settings_are_one_line_errors(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    src = book(tmp_path, toml)
    code, _, err = run("build", str(src), "-o", str(tmp_path / "out"), "--engine", "espeak")
    assert code == 1
    assert err == f"Error: {message.format(book=src, folder=src.parent)}\n"


def test_allow_outside_lets_a_book_read_a_shared_file(tmp_path: Path) -> None:
    (tmp_path / "shared.txt").write_text("Le vieux port.", encoding="utf-8")
    src = book(tmp_path, 'title = "T"\nsource = "../shared.txt"\nallow_outside = true\n')
    code, _, err = run("preview", str(src), "--engine", "espeak")
    assert code == 0, err


def test_a_book_toml_that_is_not_utf8_names_the_byte(tmp_path: Path) -> None:
    src = book(tmp_path, "")
    src.write_bytes('title = "Été"\nsource = "texte.md"\n'.encode("latin-1"))
    code, _, err = run("build", str(src), "--engine", "espeak", "-o", str(tmp_path / "o"))
    assert (code, err) == (1, f"Error: {src} is not UTF-8 (byte 9): save it as UTF-8.\n")


@pytest.mark.parametrize("text", ["* * *\n\n. . .\n\n—\n", "   \n\n\t\n", "# Un titre\n"])
def test_nothing_to_read_is_refused(tmp_path: Path, text: str) -> None:
    src = tmp_path / "vide.md"
    src.write_text(text, encoding="utf-8")
    code, _, err = run("build", str(src), "--engine", "espeak", "-o", str(tmp_path / "o"))
    assert code == 1
    assert err.splitlines()[-1] in (
        f"Error: {src} is empty: there is no text to read.",
        "Error: vide.md: no readable text found.",
    )


def test_no_author_then_the_publisher_is_the_artist(tmp_path: Path) -> None:
    src = book(tmp_path, 'title = "T"\nsource = "texte.md"\npublisher = "Les Éditions"\n',
               body="Le vieux port.\n")  # fmt: skip
    code, _, err = run("build", str(src), "-o", str(tmp_path / "out"), "--engine", "espeak")
    assert code == 0, err
    assert str(ID3(tmp_path / "out" / "t" / "t.mp3")["TPE1"]) == "Les Éditions"


def test_xml_is_not_needed_to_read_a_title_but_survives_one(hostile: Path) -> None:
    ET.fromstring(f"<t>{ET.tostring(ET.Element('x', title=hostile.name)).decode()}</t>")
