"""espeak-ng: the offline voice that is always there. Fast, robotic.

One `espeak-ng` process per chunk, chunks on every core. In-process (libespeak-ng) is
faster per call but not repeatable: the library keeps state between calls (its pitch
flutter counter, pauses after long sentences), so the same sentence came out up to 36
samples longer or shorter depending on what was said before, and a resumed build
differed from an uninterrupted one. A process per chunk depends on its text alone.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path
from typing import Any

from ..audio.wav import write_wav
from ..text.lexicon import PHONEME_ALPHABET
from .base import Capabilities, Engine
from .process import missing_program, run_program

PROGRAM = "espeak-ng"
INSTALL = "sudo apt-get install espeak-ng"
FRENCH_VOICES = ("fr", "fr-be", "fr-ch")
DEFAULT_RATE_WPM = 165
SAMPLE_RATE = 22050
VOICE_FOR_LANG = {"en": "en", "de": "de", "es": "es", "it": "it", "ru": "ru", "la": "la"}


@functools.cache
def _program_version() -> str:
    try:
        out = subprocess.run([PROGRAM, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    words = out.stdout.split()  # "eSpeak NG text-to-speech: 1.51  Data at: ..."
    return words[3] if len(words) > 3 else "unknown"


class EspeakEngine(Engine):
    NAME = "espeak"
    CAPS = Capabilities(
        summary="espeak-ng, offline (Debian package espeak-ng); robotic, hard to follow for long",
        licence="GPL-3.0-or-later (espeak-ng, run as a separate program); the audio is yours",
        max_chars=600,
        languages=frozenset({"fr", *VOICE_FOR_LANG}),
        sample_rate=SAMPLE_RATE,
        phonemes=PHONEME_ALPHABET,
        voices=FRENCH_VOICES,
        install=INSTALL,
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
        return missing_program(PROGRAM, INSTALL)

    def version(self) -> str:
        return _program_version()

    def settings(self) -> dict[str, Any]:
        return {"voice": self.voice, "rate_wpm": self.rate}

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        if not text.strip(" .,;:!?…-"):
            write_wav(out, bytes(2 * SAMPLE_RATE // 10), SAMPLE_RATE)
            return
        voice = self.voice if lang == "fr" else VOICE_FOR_LANG.get(lang, self.voice)
        cmd = [PROGRAM, "-v", voice, "-s", str(self.rate), "-w", str(out), "--", text]
        run_program(cmd, out, f"espeak-ng (voice {voice})")
