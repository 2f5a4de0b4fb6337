"""ffmpeg and ffprobe: encoding, decoding, stream-copy joins, probing. One argument prefix."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AudioError

FFMPEG = ("ffmpeg", "-nostdin", "-loglevel", "error", "-y")  # quiet, never asks, overwrites
DECODE_BLOCK_S = 10.0  # PCM read per block when decoding: 0.9 MB at 44.1 kHz


def require_ffmpeg() -> None:
    for tool in ("ffmpeg", "ffprobe"):
        if not shutil.which(tool):
            raise AudioError(
                f"{tool} is not installed (Debian package ffmpeg). Run script/bootstrap."
            )


def _last_line(stderr: bytes, code: int) -> str:
    lines = stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else f"exit {code}"


def run(cmd: list[str], stdin: bytes | memoryview | None = None) -> bytes:
    try:
        # Its own session: Ctrl-C stops the build, which lets running encodes finish.
        proc = subprocess.run(
            cmd, input=stdin, capture_output=True, check=False, start_new_session=True
        )
    except OSError as exc:
        raise AudioError(f"{cmd[0]} could not run: {exc.strerror}.") from None
    if proc.returncode != 0:
        raise AudioError(f"{cmd[0]} failed: {_last_line(proc.stderr, proc.returncode)}.")
    return proc.stdout


def encode_mp3(
    pcm: bytes | memoryview, rate: int, out: Path, *, out_rate: int, bitrate_kbps: int
) -> None:
    """Mono 16-bit PCM -> CBR MP3 (LAME), resampled to out_rate."""
    run(
        [*FFMPEG, "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
         "-ar", str(out_rate), "-ac", "1", "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k",
         "-f", "mp3", str(out)],
        stdin=pcm,
    )  # fmt: skip


def mp3_to_wav(mp3: bytes, out: Path, rate: int) -> None:
    """MP3 bytes -> mono 16-bit WAV at rate."""
    try:
        run([*FFMPEG, "-f", "mp3", "-i", "pipe:0", "-ac", "1", "-ar", str(rate),
             "-c:a", "pcm_s16le", "-f", "wav", str(out)], stdin=mp3)  # fmt: skip
    except AudioError as exc:
        out.unlink(missing_ok=True)
        raise AudioError(f"ffmpeg could not decode {len(mp3)} bytes of MP3: {exc}") from None


def concat_mp3(parts: Sequence[Path], out: Path) -> None:
    """Join MP3s by stream copy: no re-encoding; each part starts on a frame boundary."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=out.parent, delete=False) as f:
        f.write("".join(f"file '{p.resolve()}'\n" for p in parts))
    try:
        run([*FFMPEG, "-f", "concat", "-safe", "0", "-i", f.name, "-map", "0:a",
             "-c", "copy", "-f", "mp3", str(out)])  # fmt: skip
    finally:
        Path(f.name).unlink(missing_ok=True)


def decode_blocks(path: Path, rate: int, block_s: float = DECODE_BLOCK_S) -> Iterator[np.ndarray]:
    """Mono int16 PCM of an audio file at rate, block_s at a time; the process dies with
    the loop, so a ten-hour book costs no more memory than a minute."""
    cmd = [*FFMPEG[:-1], "-i", str(path), "-map", "0:a:0", "-f", "s16le",
           "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(rate), "pipe:1"]  # fmt: skip
    block_bytes = int(rate * block_s) * 2
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        except OSError as exc:
            raise AudioError(f"ffmpeg could not run: {exc.strerror}.") from None
        assert proc.stdout is not None  # stdout=PIPE
        stdout = proc.stdout
        try:
            while data := stdout.read(block_bytes):
                yield np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")
            code = proc.wait()
        finally:
            stdout.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if code != 0:
            err.seek(0)
            raise AudioError(f"{path}: ffmpeg cannot decode it ({_last_line(err.read(), code)}).")


def ffprobe(path: Path, *args: str) -> dict[str, Any]:
    out = run(["ffprobe", "-v", "error", "-of", "json", *args, str(path)])
    result: dict[str, Any] = json.loads(out)
    return result


def duration_ms(path: Path) -> float:
    return float(ffprobe(path, "-show_entries", "format=duration")["format"]["duration"]) * 1000
