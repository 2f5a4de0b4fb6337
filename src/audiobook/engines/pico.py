"""SVOX Pico: the clearest offline French voice installable from Debian (non-free).

One `pico2wave` process per chunk: faster here than driving libttspico in-process with
ctypes (54 against 69 ms for a 150-character chunk: the library hands its audio back a
few hundred bytes per call), byte-identical from run to run, and chunks run on every
core. Text never reaches it as an option (`--`), and its markup (`<speed>`, `<genfile>`,
`<spell>`, which crashes it) is taken out first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..audio.wav import write_wav
from .base import Capabilities, Engine
from .process import missing_program, package_version, run_program

PROGRAM = "pico2wave"
INSTALL = "sudo apt-get install libttspico-utils (Debian non-free, Ubuntu multiverse)"
LINGWARE_DIR = Path("/usr/share/pico/lang")
VOICE_FOR_LANG = {"fr": "fr-FR", "en": "en-GB", "de": "de-DE", "es": "es-ES", "it": "it-IT"}
MARKUP_RE = re.compile(r"[<>]")  # pico reads <tag ...> as commands, even from the text
MAX_INPUT_BYTES = 32766  # pico2wave refuses more (a 16-bit size with the closing NUL)


class PicoEngine(Engine):
    NAME = "pico"
    CAPS = Capabilities(
        summary="SVOX Pico fr-FR, offline; clear, steady",
        licence="Apache-2.0 code; lingware without source (Debian non-free), free to use",
        max_chars=600,
        languages=frozenset(VOICE_FOR_LANG),
        sample_rate=16000,
        voices=("fr-FR",),
        install=INSTALL,
    )

    @property
    def voice(self) -> str:
        return self.options.voice or "fr-FR"

    def unavailable_reason(self) -> str | None:
        if self.voice not in self.CAPS.voices:
            return f"voice '{self.voice}' is not a Pico French voice (fr-FR)."
        missing = missing_program(PROGRAM, INSTALL)
        if missing is None and not (LINGWARE_DIR / "fr-FR_ta.bin").is_file():
            return f"the Pico French lingware is missing ({INSTALL.replace('utils', 'data')})."
        return missing

    def version(self) -> str:
        return package_version("libttspico0")

    def settings(self) -> dict[str, Any]:
        return {"voice": self.voice}

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        clean = " ".join(MARKUP_RE.sub(" ", text).split())
        if not clean.strip(" .,;:!?…-"):
            write_wav(out, bytes(2 * self.CAPS.sample_rate // 10), self.CAPS.sample_rate)
            return
        data = clean.encode()[:MAX_INPUT_BYTES].decode(errors="ignore")
        language = VOICE_FOR_LANG.get(lang, self.voice)
        run_program([PROGRAM, "-l", language, "-w", str(out), "--", data], out, "pico2wave")
