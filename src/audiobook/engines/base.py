"""The engine interface and registry. An engine turns (spoken text, language) into a WAV file."""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..errors import EngineError


@dataclass(frozen=True)
class EngineOptions:
    voice: str | None = None  # engine-specific voice name (espeak: fr, fr-be, fr-ch)
    rate_wpm: int | None = None  # speaking rate, words per minute (espeak)
    tld: str = "fr"  # gTTS accent: fr (France), ca (Canada)
    timeout_s: float = 10.0  # gTTS: per request
    retries: int = 5  # gTTS: tries per request
    concurrency: int = 2  # gTTS: requests in flight


class Engine(ABC):
    NAME: ClassVar[str]
    MAX_CHARS: ClassVar[int]
    LANGUAGES: ClassVar[frozenset[str]]
    SAMPLE_RATE: ClassVar[int]
    DESCRIPTION: ClassVar[str]
    # Network-bound engines get extra threads: decoding one answer overlaps the next request.
    IO_BOUND: ClassVar[bool] = False
    # Request-bound engines read a paragraph as one stream, across sentence ends (chunk.py).
    PACK_SENTENCES: ClassVar[bool] = False

    def __init__(self, options: EngineOptions) -> None:
        self.options = options

    @property
    def max_concurrency(self) -> int | None:
        """At most this many synthesize() calls at once (None: as many as jobs)."""
        return None

    @abstractmethod
    def unavailable_reason(self) -> str | None:
        """Why this engine cannot run here, or None when it can."""

    @abstractmethod
    def version(self) -> str: ...

    @abstractmethod
    def settings(self) -> dict[str, Any]:
        """Voice and options that change the audio: part of the cache key and the manifest."""

    @abstractmethod
    def synthesize(self, text: str, lang: str, out: Path) -> None:
        """Write mono 16-bit WAV speech for text to out (any sample rate)."""

    def cache_key(self, spoken: str, lang: str) -> str:
        blob = json.dumps(
            [self.NAME, self.version(), self.settings(), lang, spoken],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def describe(self) -> dict[str, Any]:
        return {"name": self.NAME, "version": self.version(), **self.settings()}


ENGINES: dict[str, type[Engine]] = {}


def register(cls: type[Engine]) -> type[Engine]:
    ENGINES[cls.NAME] = cls
    return cls


def make_engine(name: str, options: EngineOptions) -> Engine:
    try:
        cls = ENGINES[name]
    except KeyError:
        raise EngineError(f"unknown engine '{name}' (known: {', '.join(ENGINES)}).") from None
    engine = cls(options)
    reason = engine.unavailable_reason()
    if reason:
        raise EngineError(f"engine '{name}' cannot run here: {reason}")
    return engine


def resolve_auto(options: EngineOptions, probe: Callable[[], bool]) -> tuple[Engine, str]:
    """gTTS when its endpoint answers a quick probe, otherwise espeak; returns why."""
    if probe():
        return make_engine("gtts", options), "Google TTS answered the probe"
    return make_engine("espeak", options), "Google TTS did not answer; using espeak-ng offline"
