"""The command line: help, exact error text and exit codes, bad inputs, resume."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fake_google import FakeGoogle
from support import SAMPLE_BOOK, cli_runner

from audiobook.cli import cli

SHORT_TEXT = (
    "# Premier chapitre\n\nLe vieux port sentait le sel. Les bateaux rentraient au soir.\n\n"
    "# Second chapitre\n\nLa mer était grise, et le ciel aussi ; personne ne parlait.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["build", "preview", "engines", "hints", "check", "feed"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "-h")
    assert code == 0
    assert "Example:" in out and f"audiobook {command}" in out


def test_top_level_help_lists_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("build", "preview", "engines"):
        assert command in out


def test_empty_file(tmp_path: Path) -> None:
    src = tmp_path / "empty.txt"
    src.write_text("  \n\n ")
    code, _, err = run("build", str(src), "-o", str(tmp_path / "out"), "--engine", "espeak")
    assert code == 1
    assert err == f"Error: {src} is empty: there is no text to read.\n"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_binary_file(tmp_path: Path) -> None:
    src = tmp_path / "image.txt"
    src.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    code, _, err = run("build", str(src), "-o", str(tmp_path / "out"), "--engine", "espeak")
    assert code == 1
    assert err == f"Error: {src} looks binary (it contains NUL bytes). Give a UTF-8 text file.\n"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("build", str(tmp_path / "nope.txt"))
    assert code == 2
    assert (
        f"Error: Invalid value for 'SOURCE': File '{tmp_path / 'nope.txt'}' does not exist." in err
    )


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("build", str(tmp_path))
    assert code == 2
    assert f"Error: Invalid value for 'SOURCE': File '{tmp_path}' is a directory." in err


def test_unknown_pause_is_a_usage_error() -> None:
    code, _, err = run("preview", str(SAMPLE_BOOK), "--pause", "breath=3")
    assert code == 2
    assert "Invalid value for '--pause': 'breath=3': expected NAME=MS" in err


def test_cp1252_text_builds_with_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "ancien.txt"
    src.write_bytes("Un été à la mer. Les élèves étaient là.\n".encode("cp1252"))
    code, out, err = run(
        "build", str(src), "-o", str(tmp_path / "out"), "--engine", "espeak",
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert code == 0, err
    assert f"Warning: {src} is not UTF-8; read it as cp1252 (Windows-1252).\n" in err
    cues = (tmp_path / "out" / "ancien" / "transcript.vtt").read_text(encoding="utf-8")
    assert "Un été à la mer." in cues


def test_mojibake_is_repaired_with_a_one_line_warning(tmp_path: Path) -> None:
    src = tmp_path / "abime.txt"
    src.write_text("Le dÃ©marrage fut rapide. Â« Bravo Â», dit-il.\n", encoding="utf-8")
    code, out, err = run(
        "build", str(src), "-o", str(tmp_path / "out"), "--engine", "espeak",
        "--cache-dir", str(tmp_path / "cache"), "--format", "vtt",
    )  # fmt: skip
    assert code == 0, err
    warning = [line for line in err.splitlines() if "mojibake" in line]
    assert warning == [
        f"Warning: {src}: the text holds mojibake (UTF-8 once read as Latin-1/cp1252), "
        "3 sequence(s) such as “dÃ©marrage”; repaired (“démarrage”)."
    ]
    cues = (tmp_path / "out" / "abime" / "transcript.vtt").read_text(encoding="utf-8")
    assert "Le démarrage fut rapide." in cues and "« Bravo »" in cues and "Ã" not in cues


def test_long_paragraph_without_punctuation_is_cut_for_gtts(tmp_path: Path) -> None:
    src = tmp_path / "long.txt"
    src.write_text(" ".join(["révolution"] * 1819), encoding="utf-8")
    code, out, err = run("preview", str(src), "--engine", "gtts", "--json")
    assert code == 0, err
    chunks = [c for ch in json.loads(out)["chapters"] for c in ch["chunks"]]
    assert all(len(c["spoken"]) <= 100 for c in chunks)
    assert src.read_text(encoding="utf-8") in " ".join(c["text"] for c in chunks)


def test_preview_json_has_id_text_spoken() -> None:
    code, out, _ = run("preview", str(SAMPLE_BOOK), "--engine", "espeak", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["chapters"]) == 3
    chunk = data["chapters"][0]["chunks"][0]
    assert {"id", "text", "spoken"} <= set(chunk)


def test_engines_says_why_gtts_cannot_run() -> None:
    code, out, _ = run("engines")
    assert code == 0
    assert "espeak   usable: espeak-ng" in out
    assert "gtts     not usable" in out and "why: Google TTS did not answer a probe" in out


def test_build_summary_and_warm_rebuild(tmp_path: Path) -> None:
    src = tmp_path / "conte.md"
    src.write_text(SHORT_TEXT, encoding="utf-8")
    args = ["build", str(src), "-o", str(tmp_path / "out"), "--engine", "espeak",
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    code, out, err = run(*args)
    assert code == 0, err
    assert "Engine: espeak" in err
    assert "2 chapters" in out and "chunks made 8, reused 0." in out
    manifest = tmp_path / "out" / "conte" / "manifest.json"
    first = manifest.read_text()
    code, out, _ = run(*args)
    assert code == 0 and "chunks made 0, reused 8." in out
    assert manifest.read_text() == first  # chapters from the chapter cache: same times
    src.write_text(SHORT_TEXT.replace("personne ne parlait", "tout le monde chantait"))
    code, out, _ = run(*args)
    assert code == 0 and "chunks made 1, reused 7." in out


def test_gtts_failure_stops_and_says_how_to_resume(tmp_path: Path, fake_google: FakeGoogle) -> None:
    src = tmp_path / "conte.md"
    src.write_text(SHORT_TEXT, encoding="utf-8")
    args = ["build", str(src), "-o", str(tmp_path / "out"), "--engine", "gtts", "--retries", "2",
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    code, out, err = run(*args)
    assert code == 0, err
    src.write_text(SHORT_TEXT.replace("personne ne parlait", "tout le monde chantait"))
    fake_google.fail_next(500, 1000)
    code, _, err = run(*args)
    assert code == 1
    m = re.search(
        r"Error: Google TTS answered 500 Internal Server Error after 2 tries \(a problem on "
        r"Google's side\)\. Re-run the same command to resume: (\d+) of (\d+) chunks are cached\.\n$",
        err,
    )
    assert m, err
    assert (m.group(1), m.group(2)) == ("2", "3")  # gTTS reads the text in 3 requests
    vtt = tmp_path / "out" / "conte" / "transcript.vtt"
    assert "personne ne parlait" in vtt.read_text()  # the previous book is left as it was
    fake_google.reset()
    code, out, err = run(*args)
    assert code == 0, err
    assert out.endswith("chunks made 1, reused 2.\n")
    assert "tout le monde chantait" in vtt.read_text()


def test_hints_lists_the_sample_names_and_refuses_to_overwrite(tmp_path: Path) -> None:
    from support import SAMPLE_TEXT

    target = tmp_path / "hints.toml"
    code, out, err = run("hints", str(SAMPLE_TEXT), "--write", str(target))
    assert code == 0, err
    for word in ("Hands off Russia", "Dittmann", "Scheidemann", "S. D."):
        assert word in out
    assert target.exists()
    code, _, err = run("hints", str(SAMPLE_TEXT), "--write", str(target))
    assert code == 1
    assert err == f"Error: {target} exists; not overwriting it. Remove it or choose another path.\n"
