"""Faults: a broken or cut-short answer is retried and never cached, Retry-After is
honoured, an altered cache entry is made again, unusable folders are one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fake_google import FakeGoogle
from support import cli_runner

from audiobook.audio.wav import wav_frames, write_wav_atomic
from audiobook.cli import cli
from audiobook.engines.base import EngineOptions
from audiobook.engines.gtts import GttsEngine
from audiobook.errors import EngineError

TEXT = "Le vieux port sentait le sel et le goudron."


def engine(sleeps: list[float], **options: object) -> GttsEngine:
    return GttsEngine(EngineOptions(**options), sleep=sleeps.append, jitter=lambda cap: cap)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kind", ["truncated", "tiny", "garbage", "noaudio", "empty", "drop", 500, 503]
)
def test_a_bad_answer_is_retried(fake_google: FakeGoogle, tmp_path: Path, kind: int | str) -> None:
    fake_google._audio(TEXT, "fr")
    fake_google.fail_next(kind, 1)
    sleeps: list[float] = []
    engine(sleeps, retries=3).synthesize(TEXT, "fr", tmp_path / "a.wav")
    assert fake_google.requests == 2 and len(sleeps) == 1


def test_cut_short_answers_every_time_fail_with_what_happened(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    fake_google.fail_next("truncated", 2)
    with pytest.raises(
        EngineError, match=r"^Google TTS sent a cut-short or broken MP3 after 2 tries\.$"
    ):
        engine([], retries=2).synthesize(TEXT, "fr", tmp_path / "a.wav")


def test_retry_after_is_honoured_within_a_cap(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google.fail_next("429+3", 1)
    fake_google.fail_next("429+3600", 1)
    sleeps: list[float] = []
    engine(sleeps, retries=3).synthesize(TEXT, "fr", tmp_path / "a.wav")
    assert sleeps == [3.0, 30.0]  # the first backoff (0.5 s) waits for Retry-After; capped at 30


def test_a_build_never_caches_a_cut_short_answer(fake_google: FakeGoogle, tmp_path: Path) -> None:
    src = tmp_path / "t.txt"
    src.write_text(TEXT, encoding="utf-8")
    fake_google.fail_next("truncated", 50)
    args = ["build", str(src), "-o", str(tmp_path / "out"), "--engine", "gtts", "--retries", "1",
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    result = cli_runner().invoke(cli, args)
    assert result.exit_code == 1
    assert "Re-run the same command to resume: 0 of" in result.stderr
    assert not list((tmp_path / "cache").glob("??/*.wav"))
    fake_google.reset()
    again = cli_runner().invoke(cli, args)
    assert again.exit_code == 0, again.stderr


def test_a_cache_entry_changed_at_the_same_size_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "ab" / "entry.wav"
    write_wav_atomic(path, bytes(range(200)) * 10, 22050)
    assert wav_frames(path) == (1000, 22050)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    assert wav_frames(path) is None


def build(*args: str) -> tuple[int, str]:
    result = cli_runner().invoke(cli, ["build", *args, "--engine", "espeak"])
    return result.exit_code, result.stderr


def test_an_output_path_under_a_file(tmp_path: Path) -> None:
    src = tmp_path / "t.txt"
    src.write_text(TEXT, encoding="utf-8")
    (tmp_path / "file").write_text("x")
    code, err = build(str(src), "-o", str(tmp_path / "file" / "out"))
    assert (code, err.splitlines()[-1]) == (
        1,
        f"Error: cannot use the output folder {tmp_path / 'file' / 'out'}: Not a directory.",
    )
    code, err = build(str(src), "-o", str(tmp_path / "file"))
    assert code == 2 and "is a file" in err.splitlines()[-1]


def test_a_read_only_output_folder(tmp_path: Path) -> None:
    """Mode 555 for a user; root writes through modes, so for root a read-only mount."""
    src = tmp_path / "t.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "ro"
    out.mkdir(mode=0o555)
    mounted = os.geteuid() == 0
    if mounted and os.system(f"mount -t tmpfs -o ro,size=64k tmpfs {out} 2>/dev/null") != 0:
        pytest.skip("root, and cannot mount a read-only tmpfs")
    try:
        code, err = build(str(src), "-o", str(out))
        assert (code, err.splitlines()[-1]) == (
            1,
            f"Error: cannot use the output folder {out}: it is not writable.",
        )
    finally:
        if mounted:
            os.system(f"umount {out}")


def test_a_cache_folder_that_cannot_be_made(tmp_path: Path) -> None:
    src = tmp_path / "t.txt"
    src.write_text(TEXT, encoding="utf-8")
    (tmp_path / "blocker").write_text("x")
    code, err = build(
        str(src), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "blocker" / "c")
    )
    assert code == 1
    assert err.splitlines()[-1].startswith(
        f"Error: cannot use the cache folder {tmp_path / 'blocker' / 'c'}"
    )


def test_a_full_disk_is_one_line_and_the_previous_book_stays(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = os.geteuid() == 0 and (
        os.system(f"mount -t tmpfs -o size=700k tmpfs {disk} 2>/dev/null") == 0
    )
    if not mounted:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        src = tmp_path / "t.txt"
        src.write_text(TEXT, encoding="utf-8")
        cache = str(tmp_path / "cache")
        code, err = build(str(src), "-o", str(disk), "--cache-dir", cache, "--format", "vtt")
        assert code == 0, err
        before = (disk / "t" / "t.mp3").read_bytes()
        src.write_text(" ".join([TEXT] * 40), encoding="utf-8")  # far more than fits
        code, err = build(str(src), "-o", str(disk), "--cache-dir", cache)
        assert code == 1
        last = err.splitlines()[-1]
        assert last.startswith("Error: cannot write ") and "No space left on device" in last
        assert "The previous output is unchanged" in last
        assert (disk / "t" / "t.mp3").read_bytes() == before
        assert sorted(p.name for p in disk.iterdir()) == ["t"]
    finally:
        os.system(f"umount {disk}")
