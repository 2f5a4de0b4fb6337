"""Property tests of the French normaliser: it never raises, leaves no digit or symbol
behind, and never drops a word it did not expand."""

from __future__ import annotations

import re
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.text import normalize_data as data
from audiobook.text.normalize import normalize, normalize_traced

FAST = settings(max_examples=200, deadline=None)

LETTERS = r"[^\W\d_]+"
WORD = re.compile(rf"{LETTERS}(?:['’-]{LETTERS})*")
PUNCTUATION = ".,;:!?«»\"“”()[]…—–-'’"
ROMAN_LIKE = re.compile(r"[IVXLCDM]+(?:er|re|ère|e|ème|eme|es|èmes|emes|ers|res|ères)?")
SUPERSCRIPT = re.compile("[" + "".join(data.SUPERSCRIPTS) + "]")
FORBIDDEN = re.compile(r"[0-9%&§°]|n°")


def _key_words(keys: Iterable[str]) -> set[str]:
    """The words inside abbreviation/unit keys: "p. ex." -> {"p", "ex"}."""
    words = set()
    for key in keys:
        for token in key.split():
            words |= {t for t in (token.strip(".°/"), token.strip(".°/²³")) if WORD.fullmatch(t)}
    return words


# Tokens the rules may expand: they need not survive.
EXPANDABLE = (
    _key_words(data.ABBREVIATIONS)
    | _key_words(data.TITLES)
    | _key_words(data.NUMBER_ABBREVIATIONS)
    | _key_words(data.PLURAL_NUMBER_ABBREVIATIONS)
    | _key_words(data.UNITS)
    | _key_words(["km/h", "h", "C", "F"])
)


def kept_words(text: str) -> list[str]:
    """Letter runs of the input's plain words that no rule expands, in order."""
    runs: list[str] = []
    for token in text.split():
        token = token.strip(PUNCTUATION)
        if not WORD.fullmatch(token) or token in EXPANDABLE or SUPERSCRIPT.search(token):
            continue
        # "A-av." is "A" then the abbreviation "av.": check only the plain parts.
        parts = re.findall(LETTERS, token)
        runs += [p for p in parts if p not in EXPANDABLE and not ROMAN_LIKE.fullmatch(p)]
    return runs


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(word == candidate for candidate in remaining) for word in needles)


# ---------------------------------------------------------------- French-looking text

PLAIN_WORDS = [
    "la", "le", "les", "de", "des", "du", "d'octobre", "l'homme", "révolution", "Lénine",
    "ouvriers", "paysans", "grève", "guerre", "siècle", "chapitre", "tome", "partie",
    "acte", "scène", "article", "livre", "volume", "Louis", "Henri", "François",
    "Nicolas", "Pie", "décembre", "mai", "novembre", "octobre-novembre", "entre", "en",
    "vers", "à", "et", "heure", "heures", "pages", "fois", "euros", "francs", "numéro",
    "Il", "Elle", "Durand", "Curie", "Paris", "Saint-Denis", "midi", "minuit", "lettre",
    "vitamine", "aujourd'hui", "Ce", "De", "Le", "Me", "année", "an", "depuis", "rien",
    "œuvre", "été", "Écoute", "ÉTAT", "peut-être", "S.", "D.", "I", "V",
]  # fmt: skip
SPECIAL_TOKENS = [
    *data.ABBREVIATIONS, *data.TITLES, *data.NUMBER_ABBREVIATIONS,
    *data.PLURAL_NUMBER_ABBREVIATIONS, *data.UNITS, *data.SYMBOLS, "XIV", "XIXe", "IIe",
    "Ier", "Ire", "1er", "1re", "2e", "2nd", "3es", "21e", "1ᵉʳ", "XIXᵉ", "+", "-", "−",
    "/", ":", "h", "1°", "°C", "№",
]  # fmt: skip
PUNCTUATION_TOKENS = [",", ".", ";", ":", "!", "?", "«", "»", "—", "–", " - ", "(", ")",
                      "“", "”", '"', "…", "'"]  # fmt: skip
SEPARATORS = [" ", " ", " ", "", "\u00a0", "\u202f", "\n", "  "]


def _number_text(n: int, style: int) -> str:
    text = str(n)
    grouped = f"{n:,}"
    styles = [
        text,
        grouped.replace(",", " "),
        grouped.replace(",", "\u00a0"),
        grouped.replace(",", "\u202f"),
        grouped.replace(",", "."),
        f"{text},{n % 100}",
        f"-{text}",
        f"{text} %",
        f"{text}%",
        f"{text} €",
        f"€{text}",
        f"{text},5 €",
        f"{text} km",
        f"{text} km/h",
        f"{text} °C",
        f"{text}°",
        f"{text}e",
        f"{text}er",
        f"{text}-{n + 3}",
        f"{text}–{n + 3}",
        f"{text}/{n + 1}",
        f"{n % 24} h {n % 60:02d}",
        f"{n % 24}h{n % 60:02d}",
        f"{n % 24}:{n % 60:02d}",
        f"{n % 24} h",
        f"{n % 28 + 1}/{n % 12 + 1}/{1900 + n % 120}",
        f"{n % 28 + 1} décembre {1900 + n % 120}",
        f"{text} + {text}",
        f"{text} = {text}",
        f"n° {text}",
        f"p. {text}",
    ]
    return styles[style % len(styles)]


numbers = st.builds(_number_text, st.integers(0, 10**9), st.integers(0, 100)) | st.builds(
    str, st.integers(1000, 2100)
)
tokens = st.one_of(
    st.sampled_from(PLAIN_WORDS),
    st.sampled_from(SPECIAL_TOKENS),
    st.sampled_from(PUNCTUATION_TOKENS),
    numbers,
)
french_text = st.lists(st.tuples(tokens, st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda parts: "".join(token + sep for token, sep in parts)
)
any_text = st.text() | french_text


# ---------------------------------------------------------------- properties


@FAST
@given(any_text)
def test_never_raises_and_leaves_no_digit_or_symbol(text: str) -> None:
    spoken = normalize(text)
    assert not FORBIDDEN.search(spoken), (text, spoken)


@FAST
@given(french_text)
def test_keeps_every_word_it_does_not_expand(text: str) -> None:
    spoken = normalize(text)
    assert is_subsequence(kept_words(text), re.findall(LETTERS, spoken)), (text, spoken)


@FAST
@given(st.text())
def test_keeps_every_word_of_arbitrary_text(text: str) -> None:
    spoken = normalize(text)
    assert is_subsequence(kept_words(text), re.findall(LETTERS, spoken)), (text, spoken)


@FAST
@given(any_text)
def test_traced_agrees_with_normalize(text: str) -> None:
    spoken, changes = normalize_traced(text)
    assert spoken == normalize(text)
    assert all(change.written != change.spoken for change in changes)


@FAST
@given(french_text, st.lists(st.integers(0xF0000, 0xF00FF), max_size=5))
def test_keeps_private_use_placeholders(text: str, codes: list[int]) -> None:
    # The lexicon hides its entries behind private-use characters during normalising.
    placeholders = "".join(chr(c) for c in codes)
    spoken = normalize(placeholders + " " + text + " " + placeholders)
    assert sorted(c for c in spoken if 0xF0000 <= ord(c) <= 0xF00FF) == sorted(placeholders * 2)


@FAST
@given(french_text)
def test_no_doubled_or_leading_commas(text: str) -> None:
    spoken = normalize(text)
    assert not re.search(r",\s*,", spoken), (text, spoken)
    assert not re.search(r"(?m)^\s*,", spoken), (text, spoken)
