"""Nothing lost, nothing hung: Ctrl-C and SIGKILL at random moments, two builds at once,
books that share a folder name, files a user keeps beside a book."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import cli_runner

from audiobook import outdir
from audiobook.cli import cli

BOOK_TEXT = (
    "# Le port\n\n"
    + " ".join(f"Le vieux port sentait le sel, dit la phrase {n}." for n in range(12))
    + "\n\n# La mer\n\n"
    + " ".join(f"La mer était grise ce soir-là, dit la phrase {n}." for n in range(12))
    + "\n"
)
KILL_POINTS = int(os.environ.get("AUDIOBOOK_KILL_POINTS", "5"))  # the bench runs 20
KILL_SEED = int(os.environ.get("AUDIOBOOK_KILL_SEED", "1920"))


def source(tmp_path: Path, name: str = "port.md", text: str = BOOK_TEXT) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def command(src: Path, out: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "audiobook.cli", "build", str(src), "-o", str(out),
            "--cache-dir", str(cache), "--engine", "espeak"]  # fmt: skip


def summary(out: Path, cache: Path) -> tuple[list[tuple[str, int, int]], set[str]]:
    """(chunk id, start, end) of every chunk in the manifest, and the hashes of the cached
    chunk audio."""
    manifest = json.loads((out / "port" / "manifest.json").read_text())
    times = [
        (k["id"], k["start_ms"], k["end_ms"]) for c in manifest["chapters"] for k in c["chunks"]
    ]
    audio = {hashlib.sha256(p.read_bytes()).hexdigest() for p in cache.glob("??/*.wav")}
    return times, audio


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, set, float]:
    tmp = tmp_path_factory.mktemp("reference")
    src = source(tmp)
    started = time.monotonic()
    subprocess.run(command(src, tmp / "out", tmp / "cache"), check=True, capture_output=True)
    times, audio = summary(tmp / "out", tmp / "cache")
    return src, times, audio, time.monotonic() - started


def test_sigkill_at_random_moments_then_resume_equals_an_uninterrupted_build(
    tmp_path: Path, reference: tuple[Path, list, set, float]
) -> None:
    src, times, audio, seconds = reference
    rng = random.Random(KILL_SEED)
    points = sorted(rng.uniform(0.3, seconds) for _ in range(KILL_POINTS))
    print(f"kill points (seed {KILL_SEED}): {[round(p, 2) for p in points]}")
    for n, after in enumerate(points):
        out, cache = tmp_path / f"out{n}", tmp_path / f"cache{n}"
        proc = subprocess.Popen(command(src, out, cache), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(after)
        proc.kill()
        proc.wait()
        done = subprocess.run(command(src, out, cache), capture_output=True, text=True)
        assert done.returncode == 0, f"resume after a kill at {after:.2f} s: {done.stderr}"
        got_times, got_audio = summary(out, cache)
        assert got_times == times, f"kill at {after:.2f} s"
        assert got_audio == audio, f"kill at {after:.2f} s"
        assert [p.name for p in out.iterdir()] == ["port"], "nothing of ours is left beside it"


def test_ctrl_c_says_how_much_is_cached_and_exits_130(
    tmp_path: Path, reference: tuple[Path, list, set, float]
) -> None:
    src, times, audio, _ = reference
    out, cache = tmp_path / "out", tmp_path / "cache"
    proc = subprocess.Popen(command(src, out, cache), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 30
    while not list(cache.glob("??/*.wav")) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    last = err.strip().splitlines()[-1]
    assert re.fullmatch(r"Stopped: \d+ of \d+ chunks are cached; re-run to resume\.", last), err
    assert "Aborted!" not in err and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []
    subprocess.run(command(src, out, cache), check=True, capture_output=True)
    assert summary(out, cache) == (times, audio)


def test_a_second_build_of_the_same_book_is_told_who_holds_it(tmp_path: Path) -> None:
    src = source(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with outdir.book_lock(out, "port"):
        result = cli_runner().invoke(cli, ["build", str(src), "-o", str(out), "--engine", "espeak"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {out / 'port'} is being built by process {os.getpid()}; wait for it to finish."
    )


def test_a_kill_between_the_two_renames_never_loses_the_previous_book(tmp_path: Path) -> None:
    src = source(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    subprocess.run(command(src, out, cache), check=True, capture_output=True)
    before = (out / "port" / "port.mp3").read_bytes()
    (out / "port").rename(out / ".audiobook-port.previous")  # killed right after rename 1
    outdir.recover(out, "port")
    assert (out / "port" / "port.mp3").read_bytes() == before
    assert not (out / ".audiobook-port.previous").exists()


def test_clean_up_spares_what_is_not_ours_and_user_files_survive(tmp_path: Path) -> None:
    src = source(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    (out / ".port.backup").mkdir(parents=True)
    (out / ".port.backup" / "keep.txt").write_text("mine")
    subprocess.run(command(src, out, cache), check=True, capture_output=True)
    (out / "port" / "cover.png").write_bytes(b"\x89PNG user cover")
    src.write_text(BOOK_TEXT.replace("grise", "bleue"), encoding="utf-8")
    subprocess.run(command(src, out, cache), check=True, capture_output=True)
    assert (out / ".port.backup" / "keep.txt").read_text() == "mine"
    assert (out / "port" / "cover.png").read_bytes() == b"\x89PNG user cover"
    assert "bleue" in (out / "port" / "transcript.vtt").read_text()


@pytest.mark.parametrize(
    "titles",
    [
        ("Histoire de la révolution russe, tome premier : la chute du tsarisme",
         "Histoire de la révolution russe, tome premier : la chute du tsarisme (suite)"),
        ("الثورة الروسية", "המהפכה הרוסית"),
        ("« ! »", "« ? »"),
    ],
)  # fmt: skip
def test_books_never_replace_each_other(tmp_path: Path, titles: tuple[str, str]) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    for n, title in enumerate(titles):
        book_dir = tmp_path / f"book{n}"
        book_dir.mkdir()
        (book_dir / "t.txt").write_text("Le vieux port sentait le sel.", encoding="utf-8")
        (book_dir / "book.toml").write_text(
            f'title = "{title}"\nsource = "t.txt"\n', encoding="utf-8"
        )
        done = subprocess.run(
            command(book_dir / "book.toml", out, cache), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    books = sorted(p for p in out.iterdir() if not p.name.startswith("."))
    assert len(books) == 2
    titles_found = {json.loads((b / "manifest.json").read_text())["title"] for b in books}
    assert titles_found == set(titles)


def test_same_slug_other_book_goes_to_a_numbered_folder_and_says_so(tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    for n in (1, 2, 1):  # book 1 rebuilt last: it keeps its own folder
        book_dir = tmp_path / f"book{n}"
        book_dir.mkdir(exist_ok=True)
        (book_dir / "t.txt").write_text(f"Texte numéro {n}.", encoding="utf-8")
        (book_dir / "book.toml").write_text(
            'title = "Le port"\nsource = "t.txt"\n', encoding="utf-8"
        )
        done = subprocess.run(
            command(book_dir / "book.toml", out, cache), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        if n == 2:
            assert (
                f"Warning: {out / 'le-port'} holds another book; this one goes to {out / 'le-port-2'}."
                in done.stderr
            )
    assert "numéro 1" in (out / "le-port" / "transcript.vtt").read_text()
    assert "numéro 2" in (out / "le-port-2" / "transcript.vtt").read_text()
