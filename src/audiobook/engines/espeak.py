"""espeak-ng: the offline engine. Fast, robotic, always here."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ..errors import EngineError
from .base import Engine, register

FRENCH_VOICES = ("fr", "fr-be", "fr-ch")
DEFAULT_RATE_WPM = 165
VOICE_FOR_LANG = {"en": "en", "de": "de", "es": "es", "it": "it", "ru": "ru", "la": "la"}


@functools.cache
def espeak_version() -> str:
    try:
        out = subprocess.run(
            ["espeak-ng", "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    m = re.search(r"(\d+\.\d+(?:\.\d+)?)", out)
    return m.group(1) if m else "unknown"


@register
class EspeakEngine(Engine):
    NAME = "espeak"
    MAX_CHARS = 600
    LANGUAGES = frozenset({"fr", *VOICE_FOR_LANG})
    SAMPLE_RATE = 22050
    DESCRIPTION = "espeak-ng, offline (Debian package espeak-ng)"

    @property
    def voice(self) -> str:
        return self.options.voice or "fr"

    @property
    def rate(self) -> int:
        return self.options.rate_wpm or DEFAULT_RATE_WPM

    def unavailable_reason(self) -> str | None:
        if not shutil.which("espeak-ng"):
            return "espeak-ng is not installed (Debian package espeak-ng)."
        if self.voice not in FRENCH_VOICES:
            voices = ", ".join(FRENCH_VOICES)
            return f"voice '{self.voice}' is not a French espeak-ng voice ({voices})."
        return None

    def version(self) -> str:
        return espeak_version()

    def settings(self) -> dict[str, Any]:
        return {"voice": self.voice, "rate_wpm": self.rate}

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        voice = self.voice if lang == "fr" else VOICE_FOR_LANG.get(lang, self.voice)
        cmd = ["espeak-ng", "-v", voice, "-s", str(self.rate), "-w", str(out), "--stdin"]
        try:
            proc = subprocess.run(cmd, input=text.encode(), capture_output=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"espeak-ng failed to run: {exc}.") from None
        if proc.returncode != 0 or not out.exists():
            err = proc.stderr.decode(errors="replace").strip().splitlines()
            raise EngineError(
                f"espeak-ng exited {proc.returncode} on {text[:40]!r}: "
                f"{err[-1] if err else 'no message'}."
            )
