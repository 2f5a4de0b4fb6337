"""Issue acceptance on the sample: what the engine is given to say."""

from __future__ import annotations

import json
import re

import pytest
from support import SAMPLE_BOOK, cli_runner

from audiobook.cli import cli


@pytest.fixture(scope="module", params=["espeak", "gtts"])
def chunks(request: pytest.FixtureRequest) -> list[dict[str, str]]:
    result = cli_runner().invoke(
        cli, ["preview", str(SAMPLE_BOOK), "--engine", request.param, "--json"]
    )
    assert result.exit_code == 0, result.stderr
    return [c for ch in json.loads(result.stdout)["chapters"] for c in ch["chunks"]]


def spoken_of(chunks: list[dict[str, str]], written: str) -> str:
    return " ".join(c["spoken"] for c in chunks if written in c["text"])


def test_no_digit_or_symbol_is_left_to_the_engine(chunks: list[dict[str, str]]) -> None:
    for c in chunks:
        assert not re.search(r"[0-9%&§°]|n°", c["spoken"]), c


def test_years_and_ranges_are_words(chunks: list[dict[str, str]]) -> None:
    stream = " ".join(c["spoken"] for c in chunks)  # gTTS cuts this sentence at its comma
    assert re.search(r"En mille neuf cent dix-sept,? la révolution russe", stream)
    assert "de mille neuf cent dix-sept à mille neuf cent vingt" in spoken_of(chunks, "1917-1920")


def test_lexicon_entries_are_applied(chunks: list[dict[str, str]]) -> None:
    assert "le milieu social-démocrate un rôle" in spoken_of(chunks, "milieu S. D.")
    assert "Dite-mane" in spoken_of(chunks, "Dittmann") and "Dittmann" not in spoken_of(
        chunks, "Dittmann"
    )
    assert "Chaille-de-mane" in spoken_of(chunks, "Scheidemann")


def test_the_slogan_is_its_own_english_chunk(chunks: list[dict[str, str]]) -> None:
    slogan = [c for c in chunks if c["text"] == "Hands off Russia"]
    assert len(slogan) == 1 and slogan[0]["lang"] == "en"
    assert slogan[0]["spoken"] == "Hands off Russia"


def test_written_text_is_kept(chunks: list[dict[str, str]]) -> None:
    assert any("1917-1920" in c["text"] for c in chunks)
    assert any("S. D." in c["text"] for c in chunks)
