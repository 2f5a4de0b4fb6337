"""espeak-ng: the offline engine. Fast, robotic, always here.

It runs in-process through libespeak-ng (ctypes): one process per chunk would cost more
than the synthesis itself. The library holds one global state, so calls are serialized.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from pathlib import Path
from typing import Any

from ..audio.wav import write_wav
from ..errors import EngineError
from ..text.lexicon import PHONEME_ALPHABET
from .base import Capabilities, Engine

LIBRARY = "libespeak-ng.so.1"
FRENCH_VOICES = ("fr", "fr-be", "fr-ch")
DEFAULT_RATE_WPM = 165
VOICE_FOR_LANG = {"en": "en", "de": "de", "es": "es", "it": "it", "ru": "ru", "la": "la"}

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
CHARS_UTF8 = 0x1
PHONEMES = 0x100  # read [[...]] as espeak phoneme mnemonics (the lexicon's `phonemes`)
POS_CHARACTER = 1
PARAMETER_RATE = 1

Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """The process-wide libespeak-ng, initialised on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lib = ctypes.CDLL(LIBRARY)
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.lib.espeak_Info.argtypes = [ctypes.c_void_p]
        self.rate = self.lib.espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, 0, None, INITIALIZE_DONT_EXIT
        )
        if self.rate <= 0:
            raise OSError("espeak_Initialize failed (espeak-ng-data missing?)")
        self.version = (self.lib.espeak_Info(None) or b"unknown").decode()
        self.samples: list[bytes] = []
        self._callback = Callback(self._collect)  # kept referenced: C holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if count > 0 and wav:
            self.samples.append(ctypes.string_at(wav, count * 2))
        return 0

    def speak(self, text: str, voice: str, rate_wpm: int) -> bytes:
        data = text.encode() + b"\0"
        with self.lock:
            self.samples = []
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise EngineError(f"espeak-ng has no voice '{voice}'.")
            self.lib.espeak_SetParameter(PARAMETER_RATE, rate_wpm, 0)
            err = self.lib.espeak_Synth(
                data, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8 | PHONEMES, None, None
            )
            if err != 0:
                raise EngineError(f"espeak-ng failed (error {err}) on {text[:40]!r}.")
            return b"".join(self.samples)


@functools.cache
def library() -> _Library:
    return _Library()


def library_error() -> str | None:
    try:
        library()
    except OSError as exc:
        return f"libespeak-ng cannot be loaded ({exc}); install the Debian package espeak-ng."
    return None


class EspeakEngine(Engine):
    NAME = "espeak"
    CAPS = Capabilities(
        summary="espeak-ng, offline (Debian package espeak-ng); robotic, hard to follow for long",
        licence="GPL-3.0-or-later (espeak-ng); the audio it makes is yours",
        max_chars=600,
        languages=frozenset({"fr", *VOICE_FOR_LANG}),
        sample_rate=22050,
        phonemes=PHONEME_ALPHABET,
        calls_at_once=1,  # one library state per process; a second thread would only wait
    )

    @property
    def voice(self) -> str:
        return self.options.voice or "fr"

    @property
    def rate(self) -> int:
        return self.options.rate_wpm or DEFAULT_RATE_WPM

    def unavailable_reason(self) -> str | None:
        if self.voice not in FRENCH_VOICES:
            voices = ", ".join(FRENCH_VOICES)
            return f"voice '{self.voice}' is not a French espeak-ng voice ({voices})."
        return library_error()

    def version(self) -> str:
        return "unknown" if library_error() else library().version

    def settings(self) -> dict[str, Any]:
        return {"voice": self.voice, "rate_wpm": self.rate}

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        voice = self.voice if lang == "fr" else VOICE_FOR_LANG.get(lang, self.voice)
        lib = library()
        write_wav(out, lib.speak(text, voice, self.rate), lib.rate)
