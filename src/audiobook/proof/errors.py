"""The one error type of `audiobook proof`."""

from __future__ import annotations

from ..errors import AudiobookError

INSTALL_HINT = "pip install 'audiobook[proof]'"


class ProofError(AudiobookError):
    """The machine listener cannot run (faster-whisper or its model missing or broken), or
    its result cannot be written."""
