"""Speech engines behind one small interface, keyed by NAME in a registry."""

from .base import ENGINES, Engine, EngineOptions, make_engine, resolve_auto
from .espeak import EspeakEngine
from .gtts import GttsEngine

__all__ = [
    "ENGINES",
    "Engine",
    "EngineOptions",
    "EspeakEngine",
    "GttsEngine",
    "make_engine",
    "resolve_auto",
]
