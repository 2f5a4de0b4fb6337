"""`audiobook m4b` on a real build: AAC, chapter marks that match chapters.json and the
audio itself, the book's length, tags and the cover, written without leftovers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support import ffprobe, probe_duration_s

from audiobook.errors import InputError
from audiobook.pipeline import BuildOptions, BuildResult, build
from audiobook.writers.m4b import make_m4b

TOLERANCE_MS = 50
RATE = 44100

TEXT = """# Premier chapitre

Il était une fois une petite maison au bord de la rivière. Les enfants y jouaient chaque été.
Le soir, on entendait les grenouilles chanter près de l'eau.

# Deuxième chapitre

L'hiver arriva très tôt cette année-là. La neige couvrit les champs et les chemins.

# Troisième chapitre

Au printemps, la rivière déborda. Tout le monde aida à rentrer le foin.
"""

BOOK_TOML = """title = "Contes de la rivière"
author = "Jean Dupont"
date = "2024-03-01"
cover = "cover.jpg"
source = "contes.md"
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("m4b")
    (root / "contes.md").write_text(TEXT, encoding="utf-8")
    (root / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x64",
         "-frames:v", "1", str(root / "cover.jpg")],
        check=True,
    )  # fmt: skip
    return build(
        root / "book.toml",
        BuildOptions(output_root=root / "out", engine="espeak", cache_dir=root / "cache"),
    )


@pytest.fixture(scope="module")
def m4b(book: BuildResult) -> Path:
    return make_m4b(book.out_dir)


@pytest.fixture(scope="module")
def probe(m4b: Path) -> dict[str, Any]:
    return ffprobe(m4b, "-show_chapters", "-show_streams", "-show_format")


def test_chapter_marks_match_chapters_json(
    book: BuildResult, m4b: Path, probe: dict[str, Any]
) -> None:
    assert m4b == book.out_dir / f"{book.out_dir.name}.m4b"
    podcast = json.loads((book.out_dir / "chapters.json").read_text(encoding="utf-8"))
    marks = probe["chapters"]
    assert [c["tags"]["title"] for c in marks] == [c["title"] for c in podcast["chapters"]]
    assert [c["title"] for c in podcast["chapters"]] == [
        "Premier chapitre",
        "Deuxième chapitre",
        "Troisième chapitre",
    ]
    for mark, ch in zip(marks, podcast["chapters"], strict=True):
        assert abs(float(mark["start_time"]) - ch["startTime"]) * 1000 <= TOLERANCE_MS
    assert abs(float(marks[-1]["end_time"]) - float(probe["format"]["duration"])) < 0.1


def test_codec_length_tags_cover(book: BuildResult, probe: dict[str, Any]) -> None:
    streams = probe["streams"]
    (sound,) = [s for s in streams if s["codec_type"] == "audio"]
    assert sound["codec_name"] == "aac"
    assert sound["channels"] == 1 and sound["sample_rate"] == "44100"
    length_s = float(probe["format"]["duration"])
    assert abs(length_s - probe_duration_s(book.book_path)) * 1000 <= 100
    tags = probe["format"]["tags"]
    assert tags["title"] == tags["album"] == "Contes de la rivière"
    assert tags["artist"] == "Jean Dupont"
    assert tags["date"] == "2024-03-01" and tags["genre"] == "Audiobook"
    assert tags["major_brand"].strip() == "M4B"
    pictures = [s for s in streams if s.get("disposition", {}).get("attached_pic") == 1]
    assert len(pictures) == 1 and pictures[0]["codec_name"] == "mjpeg"


def decoded(path: Path) -> np.ndarray:
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a", "-f", "s16le",
         "-ac", "1", "-ar", str(RATE), "-"],
        capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768


def first_sound_ms(x: np.ndarray, from_ms: float = 0.0) -> float:
    start = int(from_ms * RATE / 1000)
    return (start + int(np.flatnonzero(np.abs(x[start:]) > 0.01)[0])) * 1000 / RATE


def test_chapter_marks_agree_with_the_audio(
    book: BuildResult, m4b: Path, probe: dict[str, Any]
) -> None:
    """Each chapter's first word comes as long after its mark as it does in its own MP3."""
    whole = decoded(m4b)
    manifest = json.loads((book.out_dir / "manifest.json").read_text(encoding="utf-8"))
    for mark, ch in zip(probe["chapters"], manifest["chapters"], strict=True):
        start_ms = float(mark["start_time"]) * 1000
        lead_ms = first_sound_ms(decoded(book.out_dir / ch["file"]))
        assert abs(first_sound_ms(whole, start_ms) - start_ms - lead_ms) <= TOLERANCE_MS


def test_nothing_left_behind(book: BuildResult, m4b: Path) -> None:
    assert not [p.name for p in book.out_dir.iterdir() if p.name.startswith(".")]


def test_errors(tmp_path: Path, book: BuildResult) -> None:
    with pytest.raises(InputError, match="has no manifest.json"):
        make_m4b(tmp_path)
    with pytest.raises(InputError) as err:
        make_m4b(book.out_dir, bitrate_kbps=8)
    assert str(err.value) == "the M4B bitrate must be 16..320 kbps (got 8)."
