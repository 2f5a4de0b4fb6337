"""--pages on the command line: build and preview read exactly the pages asked for; a
part is its own book; a bad range or a source that is not a PDF fails in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import cli_runner
from test_readers_corpus import words

from audiobook.cli import cli

pytest.importorskip("pypdfium2")

PAGES = [
    "Le renard traversa la plaine avant l'aube.",
    "Les moulins tournaient encore au bord du canal.",
    "Une barque attendait sous le pont de pierre.",
    "Le marché ouvrit ses volets vers sept heures.",
    "Personne ne vit passer le facteur ce matin-là.",
]


@pytest.fixture(scope="module")
def five_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five pages of one known sentence each, typeset by Typst."""
    typst = pytest.importorskip("typst")
    made = tmp_path_factory.mktemp("pages")
    src = made / "cinq.typ"
    body = "\n#pagebreak()\n".join(PAGES)
    src.write_text(
        '#set document(title: "Cinq pages")\n#set text(lang: "fr")\n'
        f"#set page(width: 12cm, height: 8cm)\n{body}\n",
        encoding="utf-8",
    )
    typst.compile(str(src), output=str(made / "cinq.pdf"))
    return made / "cinq.pdf"


def run(*args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def spoken_body(preview_json: str) -> list[str]:
    data = json.loads(preview_json)
    return [c["text"] for ch in data["chapters"] for c in ch["chunks"] if c["kind"] == "body"]


def test_preview_reads_exactly_the_pages_asked_for(five_pages: Path) -> None:
    code, out, err = run("preview", str(five_pages), "--engine", "espeak", "--json",
                         "--pages", "2-4")  # fmt: skip
    assert code == 0, err
    assert words(" ".join(spoken_body(out))) == words(" ".join(PAGES[1:4]))
    code, out, err = run("preview", str(five_pages), "--engine", "espeak", "--json",
                         "--pages", "5")  # fmt: skip
    assert code == 0, err
    assert words(" ".join(spoken_body(out))) == words(PAGES[4])


def test_build_of_a_part_is_recorded_and_kept_apart(five_pages: Path, tmp_path: Path) -> None:
    out_root, cache = tmp_path / "out", tmp_path / "cache"
    base = ["build", str(five_pages), "-o", str(out_root), "--engine", "espeak",
            "--cache-dir", str(cache)]  # fmt: skip
    code, _, err = run(*base)
    assert code == 0, err
    code, _, err = run(*base, "--pages", "3-4")
    assert code == 0, err
    assert f"{out_root / 'cinq-pages'} holds another book" in err
    whole = json.loads((out_root / "cinq-pages" / "manifest.json").read_text())
    part = json.loads((out_root / "cinq-pages-2" / "manifest.json").read_text())
    assert "pages" not in whole["settings"] and part["settings"]["pages"] == [3, 4]
    assert whole["book_id"] != part["book_id"]
    read = [c["text"] for ch in part["chapters"] for c in ch["chunks"] if c["kind"] == "body"]
    assert words(" ".join(read)) == words(" ".join(PAGES[2:4]))


def test_a_range_beyond_the_document(five_pages: Path, tmp_path: Path) -> None:
    for command in ("build", "preview"):
        code, _, err = run(command, str(five_pages), "--engine", "espeak", "--pages", "4-9")
        assert code == 1
        assert err == (
            f"Error: --pages 4-9: {five_pages} has 5 page(s); give a range within 1-5.\n"
        )


def test_pages_on_a_source_that_is_not_a_pdf(tmp_path: Path) -> None:
    src = tmp_path / "conte.txt"
    src.write_text("Il était une fois un port.\n", encoding="utf-8")
    for command in ("build", "preview"):
        code, _, err = run(command, str(src), "--engine", "espeak", "--pages", "1-2",
                           "-o" if command == "build" else "--json",
                           *([str(tmp_path / "out")] if command == "build" else []))  # fmt: skip
        assert code == 1
        assert err == "Error: --pages applies to PDF sources only; conte.txt is not a .pdf file.\n"
    assert not (tmp_path / "out").exists()


def test_a_malformed_range(five_pages: Path) -> None:
    code, _, err = run("preview", str(five_pages), "--pages", "4-2")
    assert code == 1
    assert err == "Error: --pages 4-2: give a page or a range of pages, e.g. 3-40.\n"
