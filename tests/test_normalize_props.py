"""Property tests of the French normaliser: it never raises, leaves no digit or symbol
behind (nothing but letters, spaces and the punctuation engines read as pauses, or the
character is reported as "unhandled"), and never drops a word it did not expand."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import test_normalize as normalize_cases
import test_normalize_reading as reading_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from support import SAMPLE_TEXT

from audiobook.text import normalize_data as data
from audiobook.text.chunk import split_sentences
from audiobook.text.normalize import UNHANDLED, normalize, normalize_traced, speakable
from audiobook.text.repair import repair_text

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
    | _key_words(data.ORDINAL_ABBREVIATIONS)
    | _key_words(data.COUNT_ABBREVIATIONS)
    | _key_words(data.FOLLOWING_PAGES)
    | _key_words(data.ADDRESS_ABBREVIATIONS)
    | _key_words(data.ADDRESS_ABBREVIATIONS_AFTER_NUMBER)
    | _key_words(data.CURRENCY_ABBREVIATIONS)
    | _key_words(data.KEY_MODIFIERS)
    | _key_words(data.KEY_NAMES)
    | _key_words(data.COMPASS_POINTS)
    | _key_words(["km/h", "h", "C", "F", "éd.", "x"])
)
# Tokens read piece by piece (addresses, paths, options, identifiers): their letters are
# spelt or kept, but never as the same word.
TECHNICAL = re.compile(rf"[@/\\_<>]|\(\)|^--?\w|\w\.\w|\w\+\w|^(?:{'|'.join(data.KEY_MODIFIERS)})-")


def kept_words(text: str) -> list[str]:
    """Letter runs of the input's plain words that no rule expands, in order."""
    runs: list[str] = []
    for token in text.split():
        if TECHNICAL.search(token):
            continue
        token = token.strip(PUNCTUATION)
        if not WORD.fullmatch(token) or token in EXPANDABLE or SUPERSCRIPT.search(token):
            continue
        if not all(c.isalpha() or c in "'’-" for c in token):
            continue  # "½", "²": \w, but numbers
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
    *data.ORDINAL_ABBREVIATIONS, *data.COUNT_ABBREVIATIONS, *data.FOLLOWING_PAGES,
    *data.ADDRESS_ABBREVIATIONS, *data.ADDRESS_ABBREVIATIONS_AFTER_NUMBER,
    *data.CURRENCY_ABBREVIATIONS, *data.FRACTION_CHARACTERS, *data.SYMBOLS_BETWEEN_NUMBERS,
    *data.SYMBOLS_BEFORE_NUMBERS, *data.SILENT_MARKS, *data.TECH_NAMES, *data.TECH_CHARACTERS,
    "Vatican", "Apollo", "II", "XIII", "X", "V", "C.", "V.", "MIDI", "CV", "éd.", "′", "″",
    "¹", "²", "³", "₂", "jean.dupont@exemple.fr", "www.exemple.fr", "https://exemple.org/a?b=1",
    "lemonde.fr", "/etc/passwd", "~/bin", "sys/types.h", "<sys/types.h>", "README.md",
    "--all", "ls", "-l", "pid_t", "getpid()", "__init__", "2.6.32", "v1.2.3", "Ctrl+C",
    "Alt-F4", "C:\\Windows", "et/ou", "<<", ">>", "[", "]", "☺", "\u00ad", "\u200b", "٣",
    "①", "Ⅳ", "½", "l´homme",
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
        f"{text} t",
        f"{n % 60} s",
        f"{text} q",
        f"{text} ½",
        f"{n % 10}½ kg",
        f"{text} ± {n % 7}",
        f"{text} × {n % 9}",
        f"{text} x {n % 9}",
        f"≈ {text}",
        f"~{text}",
        f"#{text}",
        f"{n % 90}° {n % 60}′ {n % 60}″ N",
        f"{n % 100}²",
        f"{n % 40 + 1}e s.",
        f"p. {n % 400 + 1} sq.",
        f"{n % 9 + 1} vol.,",
        f"{n % 12}.{n % 7}.{n % 50}",
        f"{n % 300}.{n % 256}.{n % 10}.{n % 99}",
        f"{text} F",
        f"{n % 60}/{n % 7 + 1}",
        f"{text} → {n + 1}",
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


# ---------------------------------------------------------------- what reaches an engine


def _unspeakable(spoken: str) -> list[str]:
    return [c for c in spoken if not speakable(c)]


@FAST
@given(any_text)
def test_spoken_text_holds_only_letters_spaces_and_pauses(text: str) -> None:
    spoken, changes = normalize_traced(text)
    assert not re.search(r"\d", spoken), (text, spoken)
    assert _unspeakable(spoken) == [], (text, spoken)
    # Invisible characters (soft hyphens, zero-width spaces) go without a trace.
    dropped = [c for c in text if not speakable(c) and unicodedata.category(c) != "Cf"]
    if dropped and not changes:  # every character dropped or read was some rule's doing
        raise AssertionError((text, spoken, dropped))


def _sample_sentences() -> list[str]:
    paragraphs, notes = repair_text(SAMPLE_TEXT.read_text(encoding="utf-8"))
    return [s for p in [*paragraphs, *(n for _, n in notes)] for s in split_sentences(p)]


# The sample, and every sentence the normaliser's tests write, as a French chunk would be.
CORPUS = [
    *_sample_sentences(),
    *(written for written, _ in normalize_cases.CASES),
    *(written for written, _ in reading_cases.ALL_CASES),
]
# Corpus sentences that hold a character no rule reads, on purpose.
KNOWN_UNHANDLED = {written for written, _ in reading_cases.UNHANDLED_CASES}


def test_corpus_reaches_the_engine_as_letters_and_pauses() -> None:
    for written in CORPUS:
        spoken, changes = normalize_traced(written)
        assert not re.search(r"\d", spoken), (written, spoken)
        assert _unspeakable(spoken) == [], (written, spoken)
        unhandled = [c for c in changes if c.rule == UNHANDLED]
        assert bool(unhandled) == (written in KNOWN_UNHANDLED), (written, unhandled)


@FAST
@given(st.sampled_from(CORPUS), french_text, st.sampled_from(CORPUS))
def test_corpus_with_generated_text_reaches_the_engine_clean(
    before: str, middle: str, after: str
) -> None:
    text = f"{before} {middle} {after}"
    spoken, _ = normalize_traced(text)
    assert not re.search(r"\d", spoken), (text, spoken)
    assert _unspeakable(spoken) == [], (text, spoken)
