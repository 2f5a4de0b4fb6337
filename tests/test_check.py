"""`audiobook check` on real builds (espeak, ffmpeg): each profile's build meets its profile,
a chapter made 20 dB quieter is named in the table with its loudness, errors are one line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from support import SAMPLE_BOOK

from audiobook.audio.loudness import PROFILES
from audiobook.check import CheckReport, check_output, format_table, measure_mp3
from audiobook.errors import AudioError, InputError
from audiobook.pipeline import BuildOptions, BuildResult, build

TINY_TEXT = """# Premier chapitre

Il était une fois une petite maison au bord de la rivière. Les enfants y jouaient chaque été.
Le soir, on entendait les grenouilles chanter près de l'eau.

# Second chapitre

L'hiver arriva très tôt cette année-là. La neige couvrit les champs et les chemins.
Tout le village attendait le printemps avec impatience.
"""


def build_tiny(root: Path, profile: str) -> BuildResult:
    src = root / "conte.md"
    src.write_text(TINY_TEXT, encoding="utf-8")
    return build(
        src,
        BuildOptions(
            output_root=root / "out", engine="espeak", cache_dir=root / "cache", profile=profile
        ),
    )


@pytest.fixture(scope="module")
def podcast_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_tiny(tmp_path_factory.mktemp("podcast"), "podcast")


@pytest.fixture(scope="module")
def audiobook_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_tiny(tmp_path_factory.mktemp("audiobook"), "audiobook")


@pytest.fixture(scope="module")
def podcast_report(podcast_build: BuildResult) -> CheckReport:
    return check_output(podcast_build.out_dir)


def test_podcast_build_passes_the_podcast_profile(
    podcast_build: BuildResult, podcast_report: CheckReport
) -> None:
    report = podcast_report
    assert report.profile.name == "podcast", "the profile recorded in manifest.json is the default"
    assert report.ok, format_table(report)
    assert [f.file for f in report.files] == [
        "conte.mp3",
        "chapters/01-premier-chapitre.mp3",
        "chapters/02-second-chapitre.mp3",
    ]
    for f in report.files:
        assert f.stats is not None
        m = f.stats.loudness
        assert abs(m.integrated_lufs + 16) <= 1 and m.true_peak_db <= -1
        assert f.stats.sample_rate == 44100 and f.stats.channels == 1
        assert round(f.stats.bitrate_kbps) == 64 and f.stats.bitrate_mode == "CBR"
    checks = {(r.file, r.check) for r in report.rows}
    assert ("conte.mp3", "chapter markers") in checks
    assert ("chapters/02-second-chapitre.mp3", "track tag") in checks
    assert ("chapters/02-second-chapitre.mp3", "head silence") in checks
    assert ("conte.mp3", "head silence") not in checks, "silence rules are for chapter files"
    table = format_table(report).splitlines()
    assert len(table) == 4 and all("  PASS  " in line for line in table[:3])
    assert table[-1] == "PASS: all 3 files meet the podcast profile."


def test_audiobook_build_passes_acx(audiobook_build: BuildResult) -> None:
    report = check_output(audiobook_build.out_dir)
    assert report.profile.name == "audiobook"
    assert report.ok, format_table(report)
    for f in report.files:
        assert f.stats is not None
        m = f.stats.loudness
        assert -23 <= m.rms_db <= -18 and m.sample_peak_db <= -3 and m.noise_floor_db <= -60
        assert round(f.stats.bitrate_kbps) >= 192 and f.stats.bitrate_mode == "CBR"
        if f.kind == "chapter":
            assert 500 <= f.stats.head_silence_ms <= 1000
            assert 1000 <= f.stats.tail_silence_ms <= 5000
    checks = {r.check for r in report.rows}
    assert {"RMS", "peak", "noise floor", "bitrate mode", "length"} <= checks


def test_a_profile_can_be_forced(podcast_report: CheckReport, podcast_build: BuildResult) -> None:
    """A 64 kbps podcast build is not an ACX delivery."""
    report = check_output(podcast_build.out_dir, PROFILES["audiobook"])
    assert not report.ok
    failed = {(r.file, r.check) for r in report.failures}
    assert ("chapters/01-premier-chapitre.mp3", "bitrate") in failed
    assert "bitrate 64 kbps (want 192..320 kbps)" in format_table(report)


def quieten(path: Path) -> None:
    """Re-encode 20 dB quieter at the same bitrate over the original; keep its ID3 tag."""
    tags = ID3(path)
    kbps = round(measure_mp3(path).bitrate_kbps)
    tmp = path.with_suffix(".quiet.mp3")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(path), "-map_metadata", "-1",
         "-af", "volume=-20dB", "-c:a", "libmp3lame", "-b:a", f"{kbps}k", str(tmp)],
        check=True,
    )  # fmt: skip
    tmp.replace(path)
    tags.save(str(path), v2_version=3)


def test_a_quiet_chapter_fails_and_is_named(podcast_build: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / podcast_build.out_dir.name
    shutil.copytree(podcast_build.out_dir, out)
    quieten(out / "chapters/02-second-chapitre.mp3")
    report = check_output(out)
    assert not report.ok
    quiet = next(f for f in report.files if f.file == "chapters/02-second-chapitre.mp3")
    assert quiet.stats is not None
    lufs = quiet.stats.loudness.integrated_lufs
    assert -38.5 < lufs < -34.5
    assert {r.check for r in report.failures if r.file == quiet.file} == {"loudness"}
    assert {r.file for r in report.failures} == {quiet.file}, "tags survived the re-encode"
    lines = format_table(report).splitlines()
    line = next(x for x in lines if x.startswith("chapters/02-second-chapitre.mp3"))
    assert re.search(r"\bFAIL\b", line)
    shown = f"{lufs:.1f}".rstrip("0").rstrip(".")  # "-37.0" is shown as "-37"
    assert f"loudness {shown} LUFS (want -16 ±1)" in line
    assert all("PASS" in x for x in lines[:-1] if x is not line)
    assert lines[-1] == "FAIL: 1 of 3 files fail the podcast profile (1 failed check)."


def test_missing_manifest_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        check_output(tmp_path)
    assert str(err.value) == f"{tmp_path} has no manifest.json; is it an output folder of a build?"
    with pytest.raises(InputError) as err:
        check_output(tmp_path / "nope")
    assert str(err.value) == f"{tmp_path / 'nope'} does not exist."


def test_unreadable_mp3_is_an_audio_error(podcast_build: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / podcast_build.out_dir.name
    shutil.copytree(podcast_build.out_dir, out)
    (out / "chapters/01-premier-chapitre.mp3").write_bytes(b"not an mp3 at all" * 100)
    with pytest.raises(AudioError) as err:
        check_output(out)
    message = str(err.value)
    assert "01-premier-chapitre.mp3" in message and "\n" not in message


def test_sample_book_passes_the_podcast_profile(tmp_path: Path) -> None:
    result = build(
        SAMPLE_BOOK,
        BuildOptions(output_root=tmp_path / "out", engine="espeak", cache_dir=tmp_path / "c"),
    )
    report = check_output(result.out_dir)
    assert report.ok, format_table(report)
