"""The gTTS engine against a local fake of Google's endpoint (no network besides 127.0.0.1)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import wave
from pathlib import Path

import pytest
from fake_google import FakeGoogle
from gtts import __version__ as gtts_version
from gtts import gTTS
from gtts import tts as gtts_tts

from audiobook.engines import engine_class
from audiobook.engines.base import EngineOptions
from audiobook.engines.gtts import ENDPOINT_ENV, GttsEngine, probe
from audiobook.errors import EngineError

# 95 characters, four commas: one chunk as our chunker would make it.
TEXT_95 = (
    "Le vieux port, au matin, sentait le sel, le goudron et le pain chaud, "
    "disait souvent mon oncle."
)
# 100 characters with tone marks: gTTS's pre-processors push it over 100 and it would split.
TEXT_TONES = (
    "Tu viens ? Non ! Pourquoi pas ? Parce que la mer est grise ! "
    "Et alors ? Alors je reste là, au chaud."
)


def make_engine(sleeps: list[float] | None = None, **options: object) -> GttsEngine:
    """An engine whose backoff sleeps are recorded (not slept) and equal to their cap."""
    record = sleeps if sleeps is not None else []
    return GttsEngine(
        EngineOptions(**options),  # type: ignore[arg-type]
        sleep=record.append,
        jitter=lambda cap: cap,
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wav_info(path: Path) -> tuple[int, int, int, float]:
    with wave.open(str(path)) as w:
        return (
            w.getframerate(),
            w.getnchannels(),
            w.getsampwidth(),
            w.getnframes() / w.getframerate(),
        )


def ffprobe_duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out.strip())


def test_registered_and_configured_by_its_options() -> None:
    assert engine_class("gtts") is GttsEngine
    engine = GttsEngine(EngineOptions(tld="ca", concurrency=3))
    assert engine.unavailable_reason() is None
    assert engine.version() == gtts_version
    assert engine.settings() == {"tld": "ca", "voice": "gtts-ca"}
    assert engine.max_concurrency == 3


def test_chunk_becomes_24k_mono_wav_in_one_request(fake_google: FakeGoogle, tmp_path: Path) -> None:
    engine = make_engine()
    out = tmp_path / "c.wav"
    engine.synthesize(TEXT_95, "fr", out)
    rate, channels, width, seconds = wav_info(out)
    assert (rate, channels, width) == (24000, 1, 2)
    assert seconds > 0.5
    assert ffprobe_duration(out) == pytest.approx(seconds, abs=0.05)
    assert fake_google.requests == 1 == engine.requests_made
    assert fake_google.texts == [TEXT_95]


def test_gtts_own_splitting_is_disabled(fake_google: FakeGoogle, tmp_path: Path) -> None:
    assert len(gTTS(TEXT_TONES, lang="fr", lang_check=False).get_bodies()) > 1
    engine = make_engine()
    engine.synthesize(TEXT_TONES, "fr", tmp_path / "t.wav")
    assert fake_google.texts == [TEXT_TONES]


def test_text_over_the_limit_is_cut_at_spaces(fake_google: FakeGoogle, tmp_path: Path) -> None:
    text = f"{TEXT_95} {TEXT_95}"
    make_engine().synthesize(text, "fr", tmp_path / "long.wav")
    assert fake_google.requests == 2
    assert all(len(t) <= 100 for t in fake_google.texts)
    assert " ".join(fake_google.texts) == text


def test_nothing_to_say_is_short_silence_without_request(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    out = tmp_path / "s.wav"
    make_engine().synthesize(" … ", "fr", out)
    assert wav_info(out)[:3] == (24000, 1, 2)
    assert fake_google.requests == 0


def test_429_twice_then_success_with_growing_backoff(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    fake_google.fail_next(429, 2)
    sleeps: list[float] = []
    engine = make_engine(sleeps, retries=5)
    engine.synthesize("Bonjour tout le monde.", "fr", tmp_path / "r.wav")
    assert fake_google.requests == 3 == engine.requests_made
    assert fake_google.answered == [429, 429, 200]
    assert sleeps == [0.5, 1.0]


def test_backoff_caps_and_full_jitter(fake_google: FakeGoogle, tmp_path: Path) -> None:
    engine = GttsEngine(EngineOptions())
    assert [engine.backoff_cap(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 8, 8]
    fake_google.fail_next(503, 3)
    sleeps: list[float] = []
    jittered = GttsEngine(EngineOptions(), sleep=sleeps.append, backoff_base_s=0.01)
    jittered.synthesize("Encore.", "fr", tmp_path / "j.wav")
    assert len(sleeps) == 3
    assert all(0 <= s <= cap for s, cap in zip(sleeps, [0.01, 0.02, 0.04], strict=True))


def test_500_on_every_try(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google.fail_next(500, 10)
    engine = make_engine(retries=3)
    with pytest.raises(EngineError) as err:
        engine.synthesize("Bonjour.", "fr", tmp_path / "x.wav")
    assert str(err.value) == (
        "Google TTS answered 500 Internal Server Error after 3 tries (a problem on Google's side)."
    )
    assert fake_google.requests == 3
    assert not (tmp_path / "x.wav").exists()


def test_429_on_every_try(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google.fail_next(429, 10)
    with pytest.raises(EngineError) as err:
        make_engine(retries=5).synthesize("Bonjour.", "fr", tmp_path / "x.wav")
    assert str(err.value) == "Google TTS answered 429 Too Many Requests after 5 tries."
    assert fake_google.requests == 5


def test_403_is_not_retried(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google.fail_next(403, 10)
    sleeps: list[float] = []
    with pytest.raises(EngineError) as err:
        make_engine(sleeps, retries=5).synthesize("Bonjour.", "fr", tmp_path / "x.wav")
    assert str(err.value) == (
        "Google TTS answered 403 Forbidden after 1 try "
        "(request refused: a change in Google's API; try a newer gTTS)."
    )
    assert fake_google.requests == 1
    assert sleeps == []


def test_404_is_not_retried(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google.fail_next(404, 10)
    with pytest.raises(EngineError) as err:
        make_engine(tld="xx").synthesize("Bonjour.", "fr", tmp_path / "x.wav")
    assert str(err.value) == (
        "Google TTS answered 404 Not Found after 1 try "
        "(no TTS service at translate.google.xx: check the tld)."
    )
    assert fake_google.requests == 1


def test_hang_once_is_retried(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google._audio("Bonjour.", "fr")  # made now: the retry's answer must beat the timeout
    fake_google.fail_next("hang", 1)
    engine = make_engine(timeout_s=0.3, retries=3)
    engine.synthesize("Bonjour.", "fr", tmp_path / "h.wav")
    assert fake_google.requests == 2


def test_hang_on_every_try_says_no_answer_within_timeout(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    fake_google.fail_next("hang", 2)
    engine = make_engine(timeout_s=0.3, retries=2)
    started = time.monotonic()
    with pytest.raises(EngineError) as err:
        engine.synthesize("Bonjour.", "fr", tmp_path / "h.wav")
    assert time.monotonic() - started < 1.5
    assert str(err.value) == "Google TTS did not answer within 0.3 s after 2 tries."
    assert fake_google.requests == 2


@pytest.mark.parametrize("kind", ["noaudio", "empty"])
def test_200_without_audio_is_retried(fake_google: FakeGoogle, tmp_path: Path, kind: str) -> None:
    fake_google.fail_next(kind, 1)
    out = tmp_path / "n.wav"
    make_engine().synthesize("Bonjour.", "fr", out)
    assert fake_google.requests == 2
    assert wav_info(out)[3] > 0.3


def test_200_without_audio_every_time(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google.fail_next("noaudio", 10)
    with pytest.raises(EngineError) as err:
        make_engine(retries=2).synthesize("Bonjour.", "fr", tmp_path / "n.wav")
    assert str(err.value) == (
        "Google TTS answered without audio after 2 tries "
        "(language 'fr' refused or a change in Google's API)."
    )


def test_connection_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENDPOINT_ENV, f"http://127.0.0.1:{closed_port()}")
    engine = make_engine(retries=2)
    with pytest.raises(EngineError) as err:
        engine.synthesize("Bonjour.", "fr", tmp_path / "x.wav")
    assert str(err.value) == (
        "Google TTS could not be reached after 2 tries (no network, DNS failure or a firewall)."
    )
    assert engine.requests_made == 2


def test_at_most_concurrency_requests_in_flight(fake_google: FakeGoogle, tmp_path: Path) -> None:
    fake_google.latency = 0.2
    engine = make_engine(concurrency=2)
    assert engine.max_concurrency == 2
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            engine.synthesize(f"Phrase numéro {i}, dite en parallèle.", "fr", tmp_path / f"{i}.wav")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert fake_google.requests == 8 == engine.requests_made
    assert fake_google.max_in_flight == 2
    assert all((tmp_path / f"{i}.wav").exists() for i in range(8))


def test_endpoint_routing_leaves_other_gtts_calls_alone(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    make_engine().synthesize("Bonjour.", "fr", tmp_path / "b.wav")
    assert gtts_tts._translate_url(tld="fr", path="p") == "https://translate.google.fr/p"
    body = gTTS("Salut", lang="fr", tld="fr", lang_check=False)._prepare_requests()[0]
    assert body.url.startswith("https://translate.google.fr/_/")


def test_probe_true_against_the_fake(fake_google: FakeGoogle) -> None:
    assert probe() is True
    assert fake_google.texts == ["Bonjour"]


def test_probe_false_on_a_closed_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENDPOINT_ENV, f"http://127.0.0.1:{closed_port()}")
    started = time.monotonic()
    assert probe() is False
    assert time.monotonic() - started < 2.5


def test_probe_false_when_the_endpoint_hangs(fake_google: FakeGoogle) -> None:
    fake_google.fail_next("hang", 1)
    started = time.monotonic()
    assert probe(timeout_s=0.3) is False
    assert time.monotonic() - started < 1.0
