"""MBROLA diphone voices read by espeak-ng's French front end (Debian mbrola + mbrola-frN).

One fresh espeak-ng process per chunk, the audio of `espeak-ng -v mb-frN -s RATE -w OUT
-- TEXT` to the byte: byte-identical from run to run (in-process, libespeak-ng keeps
state between calls), and chunks run on every core. The processes are forked from an
espeak-ng fork server that loaded and initialized libespeak-ng once (process.EspeakRunner):
the program's start-up cost more CPU than the synthesis. libespeak-ng runs `mbrola` (AGPL)
as a separate program, as the espeak-ng program does. English spans are read by the same
voice with English rules (`mb-fr1-en`), so the book keeps one voice.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
import wave
from pathlib import Path
from typing import Any

from ..audio.wav import write_wav
from ..errors import EngineError
from ..text.lexicon import PHONEME_ALPHABET
from .base import Capabilities, Engine
from .process import espeak_runner, missing_program, package_version, run_program

PROGRAM = "espeak-ng"
VOICE_DIR = Path("/usr/share/mbrola")
VOICES = ("fr1", "fr4", "fr2", "fr3", "fr5", "fr6", "fr7", "ca1", "ca2")
WITH_ENGLISH = frozenset({"fr1", "fr4"})  # espeak-ng has mb-fr1-en and mb-fr4-en
DEFAULT_RATE_WPM = 165
INSTALL = "sudo apt-get install mbrola mbrola-fr1 (Debian contrib/non-free, Ubuntu multiverse)"
LICENCE = (
    "MBROLA voices: free for non-commercial use only; they may not be sold or put in a "
    "product that is sold. mbrola program AGPL-3.0, run as a separate program; "
    "libespeak-ng GPL-3.0, loaded by a helper process of its own"
)


@functools.cache
def _voice_rate(voice: str) -> int:
    """The sample rate the voice database speaks at (16 kHz for fr1, 22.05 for fr4)."""
    with tempfile.TemporaryDirectory(prefix="audiobook-mbrola-") as tmp:
        out = Path(tmp) / "probe.wav"
        run_program([PROGRAM, "-v", f"mb-{voice}", "-w", str(out), "--", "a"], out, "mbrola")
        with wave.open(str(out)) as w:
            return int(w.getframerate())


class MbrolaEngine(Engine):
    NAME = "mbrola"
    CAPS = Capabilities(
        summary="espeak-ng + MBROLA diphone voice, offline; clear, a little dry",
        licence=LICENCE,
        max_chars=600,
        languages=frozenset({"fr", "en"}),
        sample_rate=16000,
        phonemes=PHONEME_ALPHABET,
        voices=VOICES,
        install=INSTALL,
    )

    @property
    def voice(self) -> str:
        return (self.options.voice or "fr1").removeprefix("mb-")

    @property
    def rate(self) -> int:
        return self.options.rate_wpm or DEFAULT_RATE_WPM

    @property
    def caps(self) -> Capabilities:
        """The voice's own rate (fr1 16 kHz, fr4 22.05 kHz) and languages."""
        if self.unavailable_reason() is not None:
            return self.CAPS
        languages = self.CAPS.languages if self.voice in WITH_ENGLISH else frozenset({"fr"})
        return dataclasses.replace(
            self.CAPS, sample_rate=_voice_rate(self.voice), languages=languages
        )

    def unavailable_reason(self) -> str | None:
        if self.voice not in VOICES:
            return f"voice '{self.voice}' is not a French MBROLA voice ({', '.join(VOICES)})."
        missing = missing_program(PROGRAM, "sudo apt-get install espeak-ng") or missing_program(
            "mbrola", INSTALL
        )
        if missing is None and not (VOICE_DIR / self.voice / self.voice).is_file():
            install = INSTALL.replace("fr1", self.voice)
            return f"the MBROLA voice {self.voice} is not installed ({install})."
        return missing

    def version(self) -> str:
        return f"{package_version('mbrola')}/{package_version(f'mbrola-{self.voice}')}"

    def settings(self) -> dict[str, Any]:
        return {"voice": self.voice, "rate_wpm": self.rate}

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        voice = (
            f"mb-{self.voice}-en"
            if lang == "en" and self.voice in WITH_ENGLISH
            else f"mb-{self.voice}"
        )
        if not text.strip(" .,;:!?…-"):
            rate = self.caps.sample_rate
            write_wav(out, bytes(2 * rate // 10), rate)
            return
        what = f"espeak-ng with the MBROLA voice {self.voice}"
        espeak_runner().speak(PROGRAM, voice, self.rate, text, out, what)
        if not out.is_file():
            raise EngineError(f"MBROLA wrote no audio for {text[:40]!r}.")
