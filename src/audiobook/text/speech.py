"""Written text -> spoken text for one engine: the book's lexicon, then the French normaliser."""

from __future__ import annotations

import functools
import re

from .chunk import Speaker
from .lexicon import PHONEME_ALPHABET, Lexicon
from .normalize import normalize_traced

FOREIGN_STRIP_RE = re.compile(r"[«»“”\"—–]")
BRACKETS_AS_TEXT = str.maketrans("[]", "()")  # only the lexicon's phonemes use [[...]]


def make_speaker(lexicon: Lexicon, phonemes: str | None) -> Speaker:
    """speak(text, lang) for an engine that reads inline phonemes of that alphabet (or
    None): the lexicon's respellings or phonemes, then the French normaliser."""

    @functools.lru_cache(maxsize=65536)
    def speak(text: str, lang: str) -> tuple[str, tuple[str, ...]]:
        if phonemes == PHONEME_ALPHABET:  # the book's own "[[...]]" is text, never phonemes
            text = text.translate(BRACKETS_AS_TEXT)
        if lang != "fr":
            return " ".join(FOREIGN_STRIP_RE.sub(" ", text).split()), ()
        protected, table, notes = lexicon.protect(text, phonemes, lang)
        spoken, changes = normalize_traced(protected)
        for key, value in table.items():
            spoken = spoken.replace(key, value)
        return spoken, (
            *notes,
            *(f'{c.rule}: "{c.written.strip()}" -> "{c.spoken.strip()}"' for c in changes),
        )

    return speak
