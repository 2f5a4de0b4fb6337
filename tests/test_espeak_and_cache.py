"""The offline engine (real libespeak-ng) and the content-addressed cache."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from audiobook.cache import ChunkCache, wav_frames
from audiobook.engines import EngineOptions, make_engine
from audiobook.errors import EngineError
from audiobook.model import Chunk
from audiobook.synthesize import EDGE_MARGIN_MS, Synthesizer, rendered, trim_silence


def seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return w.getnframes() / w.getframerate()


def test_espeak_speaks_french_and_rate_changes_duration(tmp_path: Path) -> None:
    text = "La révolution russe a été le commencement de la révolution internationale."
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    make_engine("espeak", EngineOptions(rate_wpm=120)).synthesize(text, "fr", slow)
    make_engine("espeak", EngineOptions(rate_wpm=240)).synthesize(text, "fr", fast)
    assert 3.0 < seconds(slow) < 8.0
    assert seconds(fast) < seconds(slow) * 0.7


def test_espeak_reads_phonemes_and_switches_language(tmp_path: Path) -> None:
    engine = make_engine("espeak", EngineOptions())
    engine.synthesize("[[h'andz 0f r'VS@]]", "fr", tmp_path / "ph.wav")
    engine.synthesize("Hands off Russia", "en", tmp_path / "en.wav")
    assert 0.5 < seconds(tmp_path / "ph.wav") < 3 and 0.5 < seconds(tmp_path / "en.wav") < 3


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


def test_truncated_cache_entry_is_made_again(tmp_path: Path) -> None:
    engine = make_engine("espeak", EngineOptions())
    cache = ChunkCache(tmp_path / "cache")
    c = chunk("Le vieux port sentait le sel.")
    synth = Synthesizer(engine, cache, jobs=2)
    first = rendered(c, synth.submit(c))
    synth.shutdown()
    assert not first.reused and wav_frames(first.audio_path) is not None
    size = first.audio_path.stat().st_size
    with first.audio_path.open("r+b") as f:
        f.truncate(size // 2)
    assert wav_frames(first.audio_path) is None
    synth = Synthesizer(engine, cache, jobs=2)
    again = rendered(c, synth.submit(c))
    synth.shutdown()
    assert not again.reused and abs(again.audio_path.stat().st_size - size) < 200
    synth = Synthesizer(engine, cache, jobs=2)
    third = rendered(c, synth.submit(c))
    synth.shutdown()
    assert third.reused and third.duration_ms == pytest.approx(again.duration_ms)
    assert synth.reused == 1 and synth.made == 0


def test_engine_silence_is_trimmed_to_a_margin() -> None:
    rate = 22050
    tone = (np.sin(np.arange(rate) / 5) * 10000).astype(np.int16)
    padded = np.concatenate([np.zeros(rate, np.int16), tone, np.zeros(2 * rate, np.int16)])
    trimmed = trim_silence(padded, rate)
    margin = int(rate * EDGE_MARGIN_MS / 1000)
    assert abs(trimmed.size - (tone.size + 2 * margin)) < 10
