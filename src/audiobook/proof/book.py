"""proof_book: listen to a built book with Whisper, window by window, and score it."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from pathlib import Path

import numpy as np

from ..audio.ffmpeg import FFMPEG, require_ffmpeg, run
from ..errors import InputError
from ..writers.manifest import read_manifest
from .model import load_listener, model_path
from .report import DEFAULT_WORST, ProofReport, build_report
from .score import SentenceTally, Window, add_window, plan

SAMPLE_RATE = 16_000  # what Whisper listens at

Progress = Callable[[float, float], None]  # (seconds of audio done, seconds in all)


def decode_window(book: Path, start_ms: float, end_ms: float) -> np.ndarray:
    """Mono float32 PCM at 16 kHz of book[start_ms:end_ms] (ffmpeg's input seek is exact
    on these CBR MP3s: checked against a full decode, to the sample)."""
    pcm = run([*FFMPEG, "-ss", f"{max(0.0, start_ms) / 1000:.3f}",
               "-t", f"{max(0.0, end_ms - start_ms) / 1000:.3f}", "-i", str(book),
               "-map", "0:a:0", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le",
               "pipe:1"])  # fmt: skip
    return np.frombuffer(pcm, dtype="<f4").astype(np.float32)


def proof_book(
    out_dir: Path,
    model_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    chapters: Collection[int] | None = None,
    worst: int = DEFAULT_WORST,
    cache_root: Path | None = None,
) -> ProofReport:
    """Transcribe the book MP3 of a build folder with Whisper and score it against the
    manifest's written text. model_dir: any faster-whisper model folder (default: Whisper
    base, assembled once in the cache under cache_root). chapters: 1-based indexes to
    proof (default all). progress(done_s, total_s) is called before the first window and
    after each. Raises InputError for a folder that is not a build, ProofError when
    Whisper cannot run, AudioError when ffmpeg fails."""
    started = time.monotonic()
    manifest = read_manifest(out_dir)
    book = out_dir / str(manifest["file"])
    if not book.is_file():
        raise InputError(f"{book} is missing; rebuild the book.")
    windows, sentences = plan(manifest, chapters)
    require_ffmpeg()
    path = model_path(model_dir, cache_root)
    listener = load_listener(path)
    total_s = sum(w.duration_ms for w in windows) / 1000
    done_s = 0.0
    if progress:
        progress(done_s, total_s)
    tallies: dict[str, SentenceTally] = {}
    for window in windows:
        _listen(listener.transcribe, book, window, tallies)
        done_s += window.duration_ms / 1000
        if progress:
            progress(done_s, total_s)
    return build_report(
        manifest, out_dir, sentences, tallies, model=path, audio_ms=total_s * 1000,
        seconds=time.monotonic() - started, worst=worst,
    )  # fmt: skip


def _listen(
    transcribe: Callable[[np.ndarray], str],
    book: Path,
    window: Window,
    tallies: dict[str, SentenceTally],
) -> None:
    add_window(tallies, window, transcribe(decode_window(book, window.start_ms, window.end_ms)))
