"""Piper: neural voices (PyPI piper-tts, GPL-3.0, the optional extra audiobook[piper]).

The user gives the voice: a .onnx model with its .onnx.json beside it (French voices such
as fr_FR-siwis-medium come from the Piper voices repository; nothing is downloaded here).
Noise is off (noise_scale and noise_w 0) so the same text always gives the same audio: a
resumed build equals an uninterrupted one. Speed is the voice's length_scale unless
--length-scale says otherwise; pauses are ours (Piper's sentence pieces are joined as
they come, our pauses go between chunks).

Each synthesis worker has its own copy of the voice, an onnxruntime session on one
thread that does not spin: on 2 cores, two single-threaded sessions side by side take
about two thirds of the CPU time of one session on both cores (whose threads also spin
while they wait, against the encoder). The thread count changes the last bits of the
audio (onnxruntime splits its sums by thread), so it is fixed, the same on every
machine, and part of the settings (the cache key).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import queue
from importlib import metadata
from pathlib import Path
from typing import Any

from ..audio.wav import write_wav
from ..errors import EngineError
from .base import Capabilities, Engine, EngineOptions

INSTALL = "pip install 'audiobook[piper]', then give --voice-model VOICE.onnx"
NOISE_OFF = 0.0
SESSION_THREADS = 1  # per voice copy: one copy per synthesis worker


def _config_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


@functools.cache
def _voice_config(model: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(_config_path(model).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EngineError(
            f"cannot read the Piper voice config {_config_path(model)}: {exc}."
        ) from None
    return data


@functools.cache
def _digest_of(model: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with model.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _digest(model: Path) -> str:
    """The model's content hash (in the cache key: another voice under the same name is
    another voice), computed once per file version."""
    stat = model.stat()
    return _digest_of(model.resolve(), stat.st_size, stat.st_mtime_ns)


class PiperEngine(Engine):
    NAME = "piper"
    CAPS = Capabilities(
        summary="Piper neural voice, offline, from a voice model you give (--voice-model)",
        licence="piper-tts GPL-3.0 (optional extra); the voice's own licence (see its model card)",
        max_chars=600,
        languages=frozenset({"fr"}),
        sample_rate=22050,
        install=INSTALL,
    )

    def __init__(self, options: EngineOptions) -> None:
        super().__init__(options)
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()  # loaded voice copies

    @property
    def model(self) -> Path | None:
        return self.options.voice_model

    @property
    def caps(self) -> Capabilities:
        if self.model is None or not _config_path(self.model).is_file():
            return self.CAPS
        config = _voice_config(self.model)
        family = str(config.get("language", {}).get("family") or "fr")
        return dataclasses.replace(
            self.CAPS,
            languages=frozenset({family}),
            sample_rate=int(config.get("audio", {}).get("sample_rate") or 22050),
            voices=(self.model.stem,),
        )

    def unavailable_reason(self) -> str | None:
        try:
            metadata.version("piper-tts")
        except metadata.PackageNotFoundError:
            return f"piper-tts is not installed ({INSTALL})."
        if self.model is None:
            return "no voice model given (--voice-model VOICE.onnx, or voice_model in book.toml)."
        if not self.model.is_file():
            return f"the voice model {self.model} does not exist."
        if not _config_path(self.model).is_file():
            config = _config_path(self.model)
            return f"the voice model's config {config} is missing (it comes with the .onnx)."
        return None

    def version(self) -> str:
        try:
            return metadata.version("piper-tts")
        except metadata.PackageNotFoundError:
            return "unknown"

    def settings(self) -> dict[str, Any]:
        model = self.model
        return {
            "voice": model.stem if model else None,
            "voice_model_sha256": _digest(model) if model and model.is_file() else None,
            "length_scale": self._length_scale(),
            "session_threads": SESSION_THREADS,
        }

    def _length_scale(self) -> float:
        if self.options.length_scale is not None:
            return self.options.length_scale
        if self.model is None or not _config_path(self.model).is_file():
            return 1.0
        return float(_voice_config(self.model).get("inference", {}).get("length_scale") or 1.0)

    def _load(self) -> Any:
        """A copy of the voice for one worker: its own single-threaded session."""
        import onnxruntime  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from piper import PiperVoice  # type: ignore[import-not-found,unused-ignore]
        from piper.config import PiperConfig  # type: ignore[import-not-found,unused-ignore]

        assert self.model is not None  # unavailable_reason() said so
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = SESSION_THREADS
        options.inter_op_num_threads = SESSION_THREADS
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(
            str(self.model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return PiperVoice(session=session, config=PiperConfig.from_dict(_voice_config(self.model)))

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        from piper import SynthesisConfig  # type: ignore[import-not-found,unused-ignore]

        try:
            voice = self._idle.get_nowait()
        except queue.Empty:
            voice = self._load()
        config = SynthesisConfig(
            length_scale=self._length_scale(),
            noise_scale=NOISE_OFF,
            noise_w_scale=NOISE_OFF,
            normalize_audio=False,  # one gain per chapter, never per sentence
        )
        try:
            pcm = b"".join(c.audio_int16_bytes for c in voice.synthesize(text, syn_config=config))
        finally:
            self._idle.put(voice)
        rate = self.caps.sample_rate
        write_wav(out, pcm or bytes(2 * rate // 10), rate)
