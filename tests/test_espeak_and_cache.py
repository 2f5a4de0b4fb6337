"""The offline engine (real libespeak-ng) and the content-addressed cache."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from audiobook.audio.silence import EDGE_MARGIN_MS, trim_silence
from audiobook.audio.wav import read_wav_mono16, wav_frames
from audiobook.engines import EngineOptions, make_engine
from audiobook.engines.base import Engine
from audiobook.errors import EngineError
from audiobook.model import Chunk
from audiobook.render.cache import ChunkCache
from audiobook.render.runner import Runner
from audiobook.render.synthesize import Rendered, Synthesizer


def seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return w.getnframes() / w.getframerate()


def speech_seconds(path: Path) -> float:
    """Length without the leading and trailing silence."""
    pcm, rate = read_wav_mono16(path)
    return trim_silence(pcm, rate).size / rate


def test_espeak_speaks_french_and_rate_changes_duration(tmp_path: Path) -> None:
    text = "La révolution russe a été le commencement de la révolution internationale."
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    make_engine("espeak", EngineOptions(rate_wpm=120)).synthesize(text, "fr", slow)
    make_engine("espeak", EngineOptions(rate_wpm=240)).synthesize(text, "fr", fast)
    assert 3.0 < seconds(slow) < 8.0
    assert seconds(fast) < seconds(slow) * 0.7


def espeak_cli_seconds(tmp_path: Path, voice: str, text: str) -> float:
    """The same text through the espeak-ng program (which reads [[...]] as phonemes)."""
    out = tmp_path / f"cli-{voice}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", str(out), text], check=True)
    return speech_seconds(out)


def test_espeak_reads_phonemes(tmp_path: Path) -> None:
    """[[...]] is spoken as phonemes (as the espeak-ng program does), not spelt out."""
    engine = make_engine("espeak", EngineOptions())
    engine.synthesize("[[h'andz 0f r'VS@]]", "fr", tmp_path / "ph.wav")
    cli = espeak_cli_seconds(tmp_path, "fr", "[[h'andz 0f r'VS@]]")
    assert speech_seconds(tmp_path / "ph.wav") == pytest.approx(cli, abs=0.05)
    assert speech_seconds(tmp_path / "ph.wav") < 1.5  # read as characters it lasts over 4 s


def test_espeak_switches_to_the_language_of_a_span(tmp_path: Path) -> None:
    engine = make_engine("espeak", EngineOptions())
    engine.synthesize("Hands off Russia", "en", tmp_path / "en.wav")
    engine.synthesize("Hands off Russia", "fr", tmp_path / "fr.wav")
    english = espeak_cli_seconds(tmp_path, "en", "Hands off Russia")
    french = espeak_cli_seconds(tmp_path, "fr", "Hands off Russia")
    assert abs(english - french) > 0.1  # the two voices read it differently
    assert speech_seconds(tmp_path / "en.wav") == pytest.approx(english, abs=0.05)
    assert speech_seconds(tmp_path / "fr.wav") == pytest.approx(french, abs=0.05)


def test_espeak_rejects_a_non_french_voice() -> None:
    with pytest.raises(EngineError, match="^engine 'espeak' cannot run here: voice 'en' is not"):
        make_engine("espeak", EngineOptions(voice="en"))


def test_cache_keys_depend_on_voice_rate_language_and_text() -> None:
    fr = make_engine("espeak", EngineOptions())
    keys = {
        fr.cache_key("Bonjour.", "fr"),
        fr.cache_key("Bonjour !", "fr"),
        fr.cache_key("Bonjour.", "en"),
        make_engine("espeak", EngineOptions(rate_wpm=200)).cache_key("Bonjour.", "fr"),
        make_engine("espeak", EngineOptions(voice="fr-be")).cache_key("Bonjour.", "fr"),
    }
    assert len(keys) == 5
    assert fr.cache_key("Bonjour.", "fr") == make_engine("espeak", EngineOptions()).cache_key(
        "Bonjour.", "fr"
    )


def chunk(text: str) -> Chunk:
    return Chunk("01-000-000-00", 0, 0, 0, text, text, "fr", 500)


def render(engine: Engine, cache: ChunkCache, *chunks: Chunk) -> tuple[list[Rendered], Synthesizer]:
    with Runner() as runner:
        synth = Synthesizer(engine, cache, runner, jobs=2)
        return [runner.wait(synth.submit(c)) for c in chunks], synth


def test_truncated_cache_entry_is_made_again(tmp_path: Path) -> None:
    engine = make_engine("espeak", EngineOptions())
    cache = ChunkCache(tmp_path / "cache")
    c = chunk("Le vieux port sentait le sel.")
    (first,), _ = render(engine, cache, c)
    assert not first.reused and wav_frames(first.path) is not None
    size = first.path.stat().st_size
    with first.path.open("r+b") as f:
        f.truncate(size // 2)
    assert wav_frames(first.path) is None
    (again,), _ = render(engine, cache, c)
    assert not again.reused and abs(again.path.stat().st_size - size) < 200
    (third,), synth = render(engine, cache, c)
    assert third.reused and third.duration_ms == pytest.approx(again.duration_ms)
    assert synth.reused == 1 and synth.made == 0


def test_identical_chunks_are_synthesized_once(tmp_path: Path) -> None:
    engine = make_engine("espeak", EngineOptions())
    same = [chunk("Vive la Commune !"), chunk("Vive la Commune !")]
    rendered, synth = render(engine, ChunkCache(tmp_path / "cache"), *same, chunk("Autre."))
    assert rendered[0] is rendered[1]  # one future for both
    assert (synth.made, synth.reused) == (2, 0)


def test_engine_silence_is_trimmed_to_a_margin() -> None:
    rate = 22050
    tone = (np.sin(np.arange(rate) / 5) * 10000).astype(np.int16)
    padded = np.concatenate([np.zeros(rate, np.int16), tone, np.zeros(2 * rate, np.int16)])
    trimmed = trim_silence(padded, rate)
    margin = int(rate * EDGE_MARGIN_MS / 1000)
    assert abs(trimmed.size - (tone.size + 2 * margin)) < 10


def test_espeak_audio_depends_on_its_text_alone(tmp_path: Path) -> None:
    """In-process libespeak-ng drifted by a few samples after other sentences; a resumed
    build must equal an uninterrupted one, so the same text must give the same samples."""
    engine = make_engine("espeak", EngineOptions())
    first, second = tmp_path / "1.wav", tmp_path / "2.wav"
    engine.synthesize(FRENCH_SENTENCE, "fr", first)
    for other in ("Une autre phrase, bien plus longue, avec des virgules, et encore.", "Oui."):
        engine.synthesize(other, "fr", tmp_path / "other.wav")
    engine.synthesize(FRENCH_SENTENCE, "fr", second)
    assert first.read_bytes() == second.read_bytes()


FRENCH_SENTENCE = "La révolution russe a été le commencement de la révolution internationale."
