"""Engines that run a program per chunk: the program, its arguments, its errors; and the
espeak-ng fork server, which stands in for `espeak-ng -w` without its start-up."""

from __future__ import annotations

import functools
import json
import queue
import shutil
import subprocess
import sys
import threading
import weakref
from pathlib import Path
from typing import IO, Any

from ..errors import EngineError

TIMEOUT_S = 120  # a chunk is a few sentences: seconds of work at most


def missing_program(program: str, install: str) -> str | None:
    """Why the engine cannot run, when `program` is not on PATH."""
    return None if shutil.which(program) else f"{program} is not installed ({install})."


def run_program(cmd: list[str], out: Path, what: str) -> None:
    """Run cmd, which writes the WAV file out; a failure is an EngineError naming what."""
    try:
        # Its own session: Ctrl-C stops the build, which lets running chunks finish.
        proc = subprocess.run(
            cmd, capture_output=True, timeout=TIMEOUT_S, check=False, start_new_session=True
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"{what} could not run: {exc}.") from None
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit {proc.returncode}"
        raise EngineError(f"{what} failed ({detail}).")


@functools.cache
def package_version(package: str) -> str:
    """The installed Debian package's version (part of the cache key), or "unknown"."""
    try:
        proc = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    except OSError:
        return "unknown"
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "unknown"


FORKSERVER_SCRIPT = Path(__file__).with_name("espeak_forkserver.py")


class _Server:
    """One espeak_forkserver.py process: one request at a time."""

    def __init__(self) -> None:
        # -I -S: the script needs the standard library only, and starts in milliseconds.
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", str(FORKSERVER_SCRIPT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", start_new_session=True,
        )  # fmt: skip
        hello = self._read()
        if not hello.get("ready"):
            self.close()
            raise OSError(str(hello.get("error") or "the espeak-ng fork server did not start"))

    def _read(self) -> dict[str, Any]:
        stdout: IO[str] | None = self.proc.stdout
        line = stdout.readline() if stdout is not None else ""
        if not line:
            raise OSError(f"the espeak-ng fork server stopped (exit {self.proc.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def speak(self, voice: str, rate: int, text: str, out: Path) -> dict[str, Any]:
        assert self.proc.stdin is not None
        request = {"voice": voice, "rate": rate, "text": text, "out": str(out)}
        self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        try:
            self.proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _close_all(idle: queue.SimpleQueue[_Server]) -> None:
    while True:
        try:
            idle.get_nowait().close()
        except queue.Empty:
            return


class EspeakRunner:
    """`espeak-ng -v voice -s rate -w out -- text`, the same audio to the byte, through
    fork servers (espeak_forkserver.py: one fresh, forked process per chunk, without the
    program's start-up); one server per call at once, started when first needed. Where
    libespeak-ng cannot be loaded the program itself runs, as before."""

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[_Server] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._broken: str | None = None  # why the servers cannot run (then: the program)
        weakref.finalize(self, _close_all, self._idle)

    def _server(self) -> _Server | None:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._broken is not None:
                return None
        try:
            return _Server()
        except (OSError, ValueError) as exc:
            with self._lock:
                self._broken = str(exc)
            return None

    def speak(self, program: str, voice: str, rate: int, text: str, out: Path, what: str) -> None:
        server = self._server()
        if server is None:
            cmd = [program, "-v", voice, "-s", str(rate), "-w", str(out), "--", text]
            run_program(cmd, out, what)
            return
        try:
            answer = server.speak(voice, rate, text, out)
        except (OSError, ValueError) as exc:  # the server died: the next call starts another
            server.close()
            raise EngineError(f"{what} could not run: {exc}.") from None
        self._idle.put(server)
        code = int(answer.get("code", -1))
        if code != 0 or not out.is_file() or out.stat().st_size <= 44:
            lines = str(answer.get("stderr", "")).strip().splitlines()
            detail = lines[-1] if lines else f"exit {code}"
            raise EngineError(f"{what} failed ({detail}).")

    def close(self) -> None:
        _close_all(self._idle)


@functools.cache
def espeak_runner() -> EspeakRunner:
    """The process's one EspeakRunner (its idle servers serve every engine and build)."""
    return EspeakRunner()
