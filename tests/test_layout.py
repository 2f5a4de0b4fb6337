"""What the architecture promises users: book.toml's engine and voice are honoured or
refused, --format chooses the writers, an engine's libraries load only when it is used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import cli_runner

from audiobook.cli import cli

TEXT = "# Un\n\nLe vieux port sentait le sel.\n\n# Deux\n\nLa mer était grise.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def book(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "text.md").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "book.toml"
    path.write_text(f'title = "Le port"\nsource = "text.md"\n{extra}\n', encoding="utf-8")
    return path


def test_book_toml_engine_and_voice_are_used(tmp_path: Path) -> None:
    source = book(tmp_path, 'engine = "espeak"\nvoice = "fr-be"')
    code, _, err = run("build", str(source), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert "Engine: espeak" in err and "(--engine espeak)" in err
    manifest = json.loads((tmp_path / "out" / "le-port" / "manifest.json").read_text())
    assert manifest["engine"]["name"] == "espeak" and manifest["engine"]["voice"] == "fr-be"


def test_the_command_line_wins_over_book_toml(tmp_path: Path) -> None:
    source = book(tmp_path, 'engine = "gtts"\nvoice = "fr-be"')
    out = tmp_path / "out"
    code, _, err = run(
        "build", str(source), "-o", str(out), "--engine", "espeak", "--voice", "fr-ch"
    )
    assert code == 0, err
    manifest = json.loads((out / "le-port" / "manifest.json").read_text())
    assert manifest["engine"]["name"] == "espeak" and manifest["engine"]["voice"] == "fr-ch"


def test_book_toml_unknown_engine_is_refused(tmp_path: Path) -> None:
    source = book(tmp_path, 'engine = "festival"')
    code, _, err = run("build", str(source), "-o", str(tmp_path / "out"))
    assert code == 1
    assert err == (
        f"Error: {source}: engine 'festival' is unknown (known: auto, gtts, piper, pico, mbrola, espeak).\n"
    )


def test_book_toml_voice_the_engine_lacks_is_refused(tmp_path: Path) -> None:
    source = book(tmp_path, 'engine = "espeak"\nvoice = "xx"')
    code, _, err = run("build", str(source), "-o", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith("Error: engine 'espeak' cannot run here: voice 'xx' is not a French")


def test_format_chooses_the_files(tmp_path: Path) -> None:
    source = book(tmp_path, "")
    args = ["build", str(source), "-o", str(tmp_path / "out"), "--engine", "espeak"]
    code, _, err = run(*args, "--format", "srt")
    assert code == 0, err
    names = {p.name for p in (tmp_path / "out" / "le-port").iterdir()}
    assert names == {"le-port.mp3", "chapters", "manifest.json", "transcript.srt"}
    code, _, err = run(*args, "--format", "nope")
    assert code == 2 and "Invalid value for '--format'" in err


def test_engines_load_only_when_used() -> None:
    """gTTS (and requests) cost a third of the start-up: `audiobook --help` must not load
    them, and asking the registry for espeak must not either."""
    code = (
        "import sys, audiobook.cli;"
        "from audiobook.engines import engine_class; engine_class('espeak');"
        "print(sorted(m for m in ('gtts', 'requests') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
