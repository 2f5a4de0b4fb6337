"""The espeak-ng fork server: `espeak-ng -v VOICE -s RATE -w OUT -- TEXT` without the
program's start-up, and still one fresh process per chunk.

Run as a script (stdlib only, nothing of audiobook is imported, so it starts in tens of
milliseconds). It loads libespeak-ng, initializes it exactly as the espeak-ng program does
(data path, synchronous output, the voice list), and then never synthesizes anything
itself: for each request it forks, and the child selects the voice, sets the rate,
synthesizes the text with the program's flags, writes the WAV and exits. Every child
starts from the same just-initialized state, so a chunk's audio depends on its text and
settings alone, never on what was said before (libespeak-ng keeps state between calls:
that is why no call is ever made twice in one process). The program's own start-up
(loading some forty shared libraries, reading the voice files) is what this saves: about
20 ms of CPU per chunk. For an MBROLA voice libespeak-ng starts the `mbrola` program
itself, as a separate process, in the child, as the espeak-ng program does.

Protocol, one JSON object per line: the server first writes {"ready": true} (or
{"error": "..."} when libespeak-ng cannot be loaded); then for each request
{"voice", "rate", "text", "out"} it answers {"code": exit status of the child, "stderr":
what the child wrote there}. It exits when its stdin closes.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import tempfile
import wave
from typing import Any

LIBRARY = "libespeak-ng.so.1"
ENOUTPUT_MODE_SYNCHRONOUS = 0x0001
ESPEAK_RATE = 1  # espeak_PARAMETER espeakRATE
POS_CHARACTER = 1
SYNTH_FLAGS = 0x0100 | 0x1000  # what the program passes: CHARS_AUTO | PHONEMES | ENDPAUSE
TIMEOUT_S = 120  # a child still running after this is killed by its alarm
EXIT_NO_VOICE = 2  # the program's own exit status for a voice it cannot load
EXIT_FAILED = 3

SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class Espeak:
    """libespeak-ng, initialized as the espeak-ng program initializes it for `-w`."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL(LIBRARY)
        self.samples: list[bytes] = []
        self._callback = SynthCallback(self._collect)  # kept alive: C holds the pointer
        lib = self.lib
        lib.espeak_ng_InitializePath(None)
        context = ctypes.c_void_p()
        status = lib.espeak_ng_Initialize(ctypes.byref(context))
        if status != 0:
            raise OSError(f"espeak_ng_Initialize failed (status {status:#x})")
        status = lib.espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, None)
        if status != 0:
            raise OSError(f"espeak_ng_InitializeOutput failed (status {status:#x})")
        lib.espeak_SetSynthCallback(self._callback)
        lib.espeak_ListVoices(None)  # read once here, not in every child
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if wav and count > 0:
            self.samples.append(ctypes.string_at(wav, 2 * count))
        return 0

    def speak(self, voice: str, rate: int, text: str, out: str) -> int:
        """In the child: what `espeak-ng -v voice -s rate -w out -- text` does."""
        lib = self.lib
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            print("Error: The specified espeak-ng voice does not exist.", file=sys.stderr)
            return EXIT_NO_VOICE
        lib.espeak_SetParameter(ESPEAK_RATE, rate, 0)
        data = text.encode()
        lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, SYNTH_FLAGS, None, None)
        if lib.espeak_Synchronize() != 0:
            print("Error: espeak_Synchronize() failed.", file=sys.stderr)
            return EXIT_FAILED
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(lib.espeak_ng_GetSampleRate())
            w.writeframes(b"".join(self.samples))
        return 0


def serve_one(espeak: Espeak, request: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child: one chunk, then gone (no cleanup, no atexit)
            code = EXIT_FAILED
            try:
                os.dup2(err.fileno(), 2)
                signal.alarm(TIMEOUT_S)
                code = espeak.speak(
                    str(request["voice"]), int(request["rate"]), str(request["text"]),
                    str(request["out"]),
                )  # fmt: skip
            except BaseException as exc:  # noqa: BLE001 - reported through the exit status
                print(f"Error: {exc}", file=sys.stderr)
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    return {"code": code, "stderr": stderr}


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build decides when to stop
    out = sys.stdout
    try:
        espeak = Espeak()
    except (OSError, AttributeError) as exc:
        out.write(json.dumps({"error": f"cannot load {LIBRARY}: {exc}"}) + "\n")
        out.flush()
        return 1
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        out.write(json.dumps(serve_one(espeak, json.loads(line))) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
