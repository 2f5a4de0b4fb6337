"""ffmpeg and ffprobe: encoding, stream-copy joins, MP3 frame counts, probing."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import AudioError

MP3_SAMPLES_PER_FRAME = 1152
FFMPEG = ("ffmpeg", "-nostdin", "-loglevel", "error", "-y")  # quiet, never asks, overwrites


def require_ffmpeg() -> None:
    for tool in ("ffmpeg", "ffprobe"):
        if not shutil.which(tool):
            raise AudioError(
                f"{tool} is not installed (Debian package ffmpeg). Run script/bootstrap."
            )


def run(cmd: list[str], stdin: bytes | memoryview | None = None) -> bytes:
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise AudioError(f"{cmd[0]} could not run: {exc.strerror}.") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        raise AudioError(
            f"{cmd[0]} failed: {lines[-1] if lines else 'exit ' + str(proc.returncode)}."
        )
    return proc.stdout


def encode_mp3(
    pcm: bytes | memoryview, rate: int, out: Path, *, out_rate: int, bitrate_kbps: int
) -> None:
    """Mono 16-bit PCM -> CBR MP3 (LAME), resampled to out_rate."""
    run(
        [
            *FFMPEG,
            "-f",
            "s16le",
            "-ar",
            str(rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-ar",
            str(out_rate),
            "-ac",
            "1",
            "-c:a",
            "libmp3lame",
            "-b:a",
            f"{bitrate_kbps}k",
            "-f",
            "mp3",
            str(out),
        ],  # fmt: skip
        stdin=pcm,
    )


def concat_mp3(parts: Sequence[Path], out: Path, list_file: Path) -> None:
    """Join MP3s by stream copy: no re-encoding; each part starts on a frame boundary."""
    list_file.write_text("".join(f"file '{p.resolve()}'\n" for p in parts))
    run(
        [
            *FFMPEG,
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(list_file),
            "-map",
            "0:a",
            "-c",
            "copy",
            "-f",
            "mp3",
            str(out),
        ]  # fmt: skip
    )


def mp3_samples(path: Path) -> tuple[int, int]:
    """(samples in all audio frames, sample rate), from the Xing/Info header LAME writes.

    Parts joined by stream copy start exactly this many samples apart in the decoded book."""
    with path.open("rb") as f:
        head = f.read(64 * 1024)
    start = 0
    if head[:3] == b"ID3":
        size = head[6:10]
        start = 10 + ((size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3])
        with path.open("rb") as f:
            f.seek(start)
            head = f.read(4096)
            start = 0
    while start < len(head) - 4 and not (head[start] == 0xFF and head[start + 1] & 0xE0 == 0xE0):
        start += 1
    hdr = struct.unpack(">I", head[start : start + 4])[0]
    version_bits = (hdr >> 19) & 3
    rate_index = (hdr >> 10) & 3
    rates = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
    rate = rates[version_bits][rate_index]
    per_frame = MP3_SAMPLES_PER_FRAME if version_bits == 3 else MP3_SAMPLES_PER_FRAME // 2
    for tag in (b"Xing", b"Info"):
        pos = head.find(tag, start, start + 200)
        if pos >= 0:
            flags = struct.unpack(">I", head[pos + 4 : pos + 8])[0]
            if flags & 1:
                return struct.unpack(">I", head[pos + 8 : pos + 12])[0] * per_frame, rate
    raise AudioError(f"{path} has no Xing/Info header; cannot count its frames.")


def ffprobe(path: Path, *args: str) -> dict[str, Any]:
    out = run(["ffprobe", "-v", "error", "-of", "json", *args, str(path)])
    result: dict[str, Any] = json.loads(out)
    return result


def duration_ms(path: Path) -> float:
    return float(ffprobe(path, "-show_entries", "format=duration")["format"]["duration"]) * 1000
