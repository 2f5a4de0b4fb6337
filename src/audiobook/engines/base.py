"""The engine interface. An engine turns (spoken text, language) into a WAV file, and
says what it can do as data (Capabilities) so that no other module tests its name."""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar


@dataclass(frozen=True)
class EngineOptions:
    """What the user chose; each engine reads the options it has and ignores the rest."""

    voice: str | None = None  # engine-specific voice name (espeak: fr, fr-be, fr-ch)
    rate_wpm: int | None = None  # speaking rate, words per minute (espeak)
    tld: str = "fr"  # gTTS accent: fr (France), ca (Canada)
    timeout_s: float = 10.0  # gTTS: per request
    retries: int = 5  # gTTS: tries per request
    concurrency: int = 2  # gTTS: requests in flight
    voice_model: Path | None = None  # Piper: the .onnx voice (its .onnx.json beside it)
    length_scale: float | None = None  # Piper: > 1 speaks slower [default: the voice's own]


@dataclass(frozen=True)
class Capabilities:
    """What the rest of the pipeline needs to know about an engine."""

    summary: str  # one line for `audiobook engines`
    licence: str  # of the voice the user gets
    max_chars: int  # spoken characters per synthesize() call
    languages: frozenset[str]  # it can switch to these inside a French book
    sample_rate: int  # of the WAV it writes (the chapter is stitched at this rate)
    phonemes: str | None = None  # inline phoneme alphabet it reads (lexicon.PHONEME_ALPHABET)
    packs_sentences: bool = False  # reads a chapter as one stream, across sentence ends
    network: bool = False  # network-bound: extra threads overlap decoding with requests
    calls_at_once: int | None = None  # synthesize() calls at once; None: as many as jobs
    voices: tuple[str, ...] = ()  # what --voice takes (the first is the default)
    install: str = ""  # what makes it usable when it is not


class Engine(ABC):
    NAME: ClassVar[str]
    CAPS: ClassVar[Capabilities]

    def __init__(self, options: EngineOptions) -> None:
        self.options = options

    @property
    def caps(self) -> Capabilities:
        """CAPS, or what the chosen voice can do (an engine whose voice is a model file)."""
        return self.CAPS

    @property
    def max_concurrency(self) -> int | None:
        """At most this many synthesize() calls at once (None: as many as jobs)."""
        return self.caps.calls_at_once

    @abstractmethod
    def unavailable_reason(self) -> str | None:
        """Why this engine cannot run here, or None when it can."""

    def auto_reason(self) -> str | None:
        """Why `--engine auto` should pass this engine by, or None to take it."""
        return self.unavailable_reason()

    @abstractmethod
    def version(self) -> str: ...

    @abstractmethod
    def settings(self) -> dict[str, Any]:
        """Voice and options that change the audio: part of the cache key and the manifest."""

    @abstractmethod
    def synthesize(self, text: str, lang: str, out: Path) -> None:
        """Write mono 16-bit WAV speech for text to out (at CAPS.sample_rate or any rate).
        The audio must depend on (text, lang, settings) only, never on earlier calls."""

    def cache_key(self, spoken: str, lang: str) -> str:
        blob = json.dumps(
            [self.NAME, self.version(), self.settings(), lang, spoken],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def describe(self) -> dict[str, Any]:
        return {"name": self.NAME, "version": self.version(), **self.settings()}
