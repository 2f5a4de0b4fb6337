"""Written text and Whisper's transcript, brought to the same words before they are compared.

Both sides go through the same steps, so a difference left is a difference heard:

1. the book's own written -> spoken normaliser (`audiobook.text.normalize`): numbers,
   dates, ordinals, roman numerals, abbreviations ("M." -> "monsieur"), symbols ("%").
   Whisper writes "1917" or "mille neuf cent dix-sept" as it likes: both become words.
2. words are runs of letters and digits; hyphens and every other punctuation mark
   separate words ("dix-sept" = "dix sept", "pourrait-on" = "pourrait on").
3. an apostrophe joins (elision): "l'an" = "lan", "aujourd'hui" = "aujourdhui"; the
   typographic ’ ʼ ‘ count as '.
4. the key of a word is lower case, without accents (à/a, où/ou, é/e sound alike and
   are a spelling matter, not an intelligibility one), œ -> oe, æ -> ae.
5. digits the normaliser left are read with num2words(lang="fr").

Each word keeps its surface form (case, accents, apostrophe) for display and hints.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from num2words import num2words  # type: ignore[import-untyped,unused-ignore]

from ..text.normalize import normalize

APOSTROPHES = "’ʼ‘′`´"
_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# A word: letters/digits, possibly joined by apostrophes (no underscore, no hyphen).
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_DIGITS_RE = re.compile(r"\d+")
# An elided article or pronoun glued to the word: "l'Allemagne", "jusqu'à".
ELISION_RE = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'(?=\w)", re.I)


@dataclass(frozen=True)
class Word:
    surface: str  # as written or heard: "l'Allemagne", "Dittmann", "dix"
    key: str  # what is compared: "lallemagne", "dittmann", "dix"


def fold(text: str) -> str:
    """Lower case, no accents, ligatures spelt out, no apostrophes."""
    text = text.translate(_LIGATURES).lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c != "'" and not unicodedata.combining(c))


def _spell_digits(digits: str) -> list[str]:
    words: str = num2words(int(digits), lang="fr")
    return words.replace("-", " ").split()


def words(text: str) -> list[Word]:
    """The words of a text, normalised for scoring (see the module docstring)."""
    spoken = normalize(text.translate(_APOSTROPHE_TABLE)).translate(_APOSTROPHE_TABLE)
    out: list[Word] = []
    for m in _WORD_RE.finditer(spoken):
        surface = m.group()
        if not _DIGITS_RE.search(surface):
            out.append(Word(surface, fold(surface)))
            continue
        # Digits the normaliser left ("3e" glued, "n°12" in a heard text): spell them.
        for part in re.split(r"(\d+)", surface):
            if part.isdigit():
                out.extend(Word(w, fold(w)) for w in _spell_digits(part))
            elif part.strip("'"):
                out.append(Word(part.strip("'"), fold(part)))
    return [w for w in out if w.key]


def keys(text: str) -> list[str]:
    return [w.key for w in words(text)]


def headword(surface: str) -> str:
    """The word without an elided article: "l'Allemagne" -> "Allemagne"."""
    return ELISION_RE.sub("", surface)
