"""Speech engines behind one small interface. The registry names each engine's class
without importing it: an engine's module (and its libraries) loads when it is used."""

from __future__ import annotations

import importlib

from ..errors import EngineError
from .base import Capabilities, Engine, EngineOptions

ENGINE_CLASSES = {
    "espeak": "audiobook.engines.espeak:EspeakEngine",
    "gtts": "audiobook.engines.gtts:GttsEngine",
}
ENGINE_NAMES = tuple(ENGINE_CLASSES)
# `--engine auto` takes the first engine here that is ready: Google's voice when it
# answers, else the offline one.
AUTO_PREFERENCE = ("gtts", "espeak")


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
]
