"""A failure anywhere stops the whole build quickly: no thread stays blocked, the error
says how to resume. (A chapter that failed before its join used to leak its memory slot,
and a book with three or more chapters left hung forever.)"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fake_google import FakeGoogle

from audiobook.engines.espeak import EspeakEngine
from audiobook.errors import AudioError, EngineError
from audiobook.pipeline import BuildOptions, build
from audiobook.render import chapter as chapter_module
from audiobook.render.runner import Aborted, Runner

CITIES = ["Ajaccio", "Bordeaux", "Cherbourg", "Dunkerque", "Fougères", "Grenoble"]
SECONDS_TO_FAIL = 30  # a hang would last forever; a clean failure takes a few seconds


def six_chapters(path: Path, sentences: int) -> Path:
    """A book of six chapters; chapter n names CITIES[n] in every sentence."""
    text = []
    for n, city in enumerate(CITIES, 1):
        body = " ".join(
            f"Le train de {city} partit à l'heure, la phrase {k} le dit." for k in range(sentences)
        )
        text.append(f"# Chapitre {n}\n\n{body}\n\n{body}\n")
    path.write_text("\n".join(text), encoding="utf-8")
    return path


def audiobook(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "audiobook.cli", *args]
    return subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, **env}, timeout=SECONDS_TO_FAIL
    )


@pytest.mark.parametrize("failing", range(1, 7))
def test_gtts_failure_in_any_chapter_exits_1_with_the_resume_hint(
    tmp_path: Path, failing: int
) -> None:
    source = six_chapters(tmp_path / "six.md", sentences=4)
    with FakeGoogle(latency=0.02) as fake:
        fake.fail_text(CITIES[failing - 1], 429)
        env = {"AUDIOBOOK_GTTS_ENDPOINT": fake.url, "XDG_CACHE_HOME": str(tmp_path / "c")}
        for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env[var] = ""
        done = audiobook(
            "build", str(source), "-o", str(tmp_path / "out"), "--engine", "gtts",
            "--retries", "1", env=env,
        )  # fmt: skip
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: Google TTS answered 429 Too Many Requests after 1 try.")
    assert "Re-run the same command to resume: " in last and " chunks are cached." in last
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "six").exists()


def fail_in(stage: str, chapter: int, monkeypatch: pytest.MonkeyPatch) -> type[Exception]:
    """Make `stage` fail for chapter `chapter` (1-based); the error type it raises."""
    city = CITIES[chapter - 1]
    prefix = f"{chapter:02d}-"
    if stage == "synthesize":
        real = EspeakEngine.synthesize

        def synthesize(self: EspeakEngine, text: str, lang: str, out: Path) -> None:
            if city in text:
                raise EngineError(f"espeak-ng crashed on {city}.")
            real(self, text, lang, out)

        monkeypatch.setattr(EspeakEngine, "synthesize", synthesize)
        return EngineError
    target = {"encode": "encode_mp3", "join": "concat_mp3"}[stage]
    real_call = getattr(chapter_module.ffmpeg, target)

    def failing(*args: object, **kwargs: object) -> None:
        paths = [a for a in args if isinstance(a, Path)]
        if any(p.name.lstrip(".").startswith(prefix) for p in paths):
            raise AudioError(f"ffmpeg failed: injected in {stage} of chapter {chapter}.")
        real_call(*args, **kwargs)

    monkeypatch.setattr(chapter_module.ffmpeg, target, failing)
    return AudioError


@pytest.mark.parametrize("stage", ["synthesize", "encode", "join"])
@pytest.mark.parametrize("chapter", [1, 3, 6])
def test_a_failure_in_any_stage_stops_every_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str, chapter: int
) -> None:
    # Long enough chapters that "join" has several segments to join (45 s each).
    source = six_chapters(tmp_path / "six.md", sentences=14 if stage == "join" else 2)
    error = fail_in(stage, chapter, monkeypatch)
    before = set(threading.enumerate())
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            build(source, BuildOptions(output_root=tmp_path / "out", engine="espeak", jobs=2))
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(SECONDS_TO_FAIL)
    assert not worker.is_alive(), f"build hung after a failure in {stage} of chapter {chapter}"
    assert len(outcome) == 1 and isinstance(outcome[0], error), outcome
    assert "injected" in str(outcome[0]) or "crashed" in str(outcome[0])
    assert set(threading.enumerate()) - before == set(), "threads left running"
    assert not list((tmp_path / "out").glob(".*")) and not (tmp_path / "out" / "six").exists()


def test_runner_wakes_a_wait_on_a_slot_and_keeps_the_first_error() -> None:
    semaphore = threading.BoundedSemaphore(1)
    with pytest.raises(ValueError, match="first"), Runner() as runner:
        runner.pool("a", 2)
        held = runner.acquire(semaphore)  # never released: a leak must not hang the build
        waiting = runner.submit("a", runner.acquire, semaphore)
        runner.submit("a", _raise, ValueError("first"))
        with pytest.raises(Aborted):
            runner.wait(waiting)
        runner.fail(RuntimeError("second"))
    assert held is not None


def _raise(exc: BaseException) -> None:
    raise exc
