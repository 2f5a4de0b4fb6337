"""Speech engines behind one small interface. The registry names each engine's class
without importing it: an engine's module (and its libraries) loads when it is used."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from ..errors import EngineError
from .base import Capabilities, Engine, EngineOptions

ENGINE_CLASSES = {
    "gtts": "audiobook.engines.gtts:GttsEngine",
    "piper": "audiobook.engines.piper:PiperEngine",
    "pico": "audiobook.engines.pico:PicoEngine",
    "mbrola": "audiobook.engines.mbrola:MbrolaEngine",
    "espeak": "audiobook.engines.espeak:EspeakEngine",
}
ENGINE_NAMES = tuple(ENGINE_CLASSES)
# `--engine auto` takes the first engine here that is ready. Google's voice when it
# answers; Piper when the user gave a voice model; then the offline voices from the most
# intelligible down, as `script/bench` measures them (figure 5, machine-listener WER on
# the sample's chapter 1, benchmarks/results.md): pico, then mbrola, then espeak.
AUTO_PREFERENCE = ("gtts", "piper", "pico", "mbrola", "espeak")


MEASURED = Path(__file__).with_name("measured.json")  # written by script/bench (figure 5)


def measured_figures() -> dict[str, str]:
    """Each engine's last measured intelligibility and speed, as one line to show."""
    try:
        data = json.loads(MEASURED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    lines = {}
    for name, row in data.get("engines", {}).items():
        score = (
            f"WER {row['wer']:.2f}, CER {row['cer']:.2f}" if row.get("wer") is not None
            else "not scored"
        )  # fmt: skip
        lines[name] = (
            f"{score} (Whisper base on the sample's chapter 1, voice {row['voice']}), "
            f"{row['x_realtime']:.0f}x real time on {data.get('cores', '?')} cores "
            f"({data.get('date', '?')})"
        )
    return lines


def engine_class(name: str) -> type[Engine]:
    try:
        module, _, attr = ENGINE_CLASSES[name].partition(":")
    except KeyError:
        raise EngineError(f"unknown engine '{name}' (known: {', '.join(ENGINE_NAMES)}).") from None
    cls: type[Engine] = getattr(importlib.import_module(module), attr)
    return cls


def make_engine(name: str, options: EngineOptions) -> Engine:
    """The engine, checked to run here."""
    engine = engine_class(name)(options)
    reason = engine.unavailable_reason()
    if reason:
        raise EngineError(f"engine '{name}' cannot run here: {reason}")
    return engine


def choose_engine(
    name: str, options: EngineOptions, *, must_run: bool = True
) -> tuple[Engine, str]:
    """The engine `--engine name` means, and why it was taken. With must_run False (a
    preview makes no audio) an engine that cannot run here is still returned."""
    if name != "auto":
        engine = make_engine(name, options) if must_run else engine_class(name)(options)
        return engine, f"--engine {name}"
    passed: list[str] = []
    for candidate in AUTO_PREFERENCE:
        engine = engine_class(candidate)(options)
        reason = engine.auto_reason()
        if reason is None:
            why = f"; {'; '.join(passed)}" if passed else ""
            return engine, f"auto: the first ready of {', '.join(AUTO_PREFERENCE)}{why}"
        passed.append(f"{candidate}: {reason.rstrip('.')}")
    if not must_run:
        return engine_class(AUTO_PREFERENCE[-1])(options), "auto: no engine is ready here"
    raise EngineError(f"no engine can run here ({'; '.join(passed)}).")


__all__ = [
    "AUTO_PREFERENCE",
    "ENGINE_NAMES",
    "Capabilities",
    "Engine",
    "EngineOptions",
    "choose_engine",
    "engine_class",
    "make_engine",
    "measured_figures",
]
