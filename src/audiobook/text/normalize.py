"""French written -> spoken normaliser: what the TTS engine should read.

Every rule is a (name, compiled regex, replacement) triple; ``_RULES`` applies them in
one fixed order, each over the whole text.  The order matters because a rule only sees
what the earlier ones left:

1. spacing: spaces of any kind are collapsed to one plain space, invisible characters
   (soft hyphens, zero-width spaces) dropped, digits of other scripts and subscripts made
   ASCII, superscripts ("1ᵉʳ") made plain first, so later patterns only know " " and "1er".
2. address, technical: e-mail and web addresses, paths, options, identifiers, versions
   and keys are read piece by piece (``normalize_data.TECH_CHARACTERS``) and their
   reading hidden behind a placeholder until the end, so that no later rule expands
   anything inside them ("/etc/passwd" keeps its "etc"); then inclusive writing
   ("étudiant·e·s" -> "étudiants et étudiantes") before anything reads its dots.
3. abbreviation: "p. 12", "t. II", "n° 47" decide how the following number is read,
   and "n°" must go before the degree sign does; "XIXe s." and "2e éd." before the
   ordinals are read.
4. roman: "XIXe", "Louis XIV", "chapitre III", "Vatican II" need the numerals still in
   letters.
5. date (9/12/1920) and time (14 h 30, 14:30) before ranges and fractions take their
   slashes, dashes and colons apart.
6. range, slash: "1917-1920" -> "de 1917 à 1920" and "47/48" -> "47, 48" only restructure
   and keep the digits, so the rules below still read "15 km" in "10-15 km".
7. date (9 décembre 1920, 1er mai) before ordinal (2e, 1re): a date's "1er" is read
   with its month.
8. symbol, fraction between or before numbers ("3 × 4", "±", "~300", "2 ½ kg") and
   angles ("48° 51′ N") while the digits are still there.
9. currency, percent, unit need the raw number with its decimals next to its sign.
10. year only labels the change: a year is read as a plain cardinal.
11. symbol: powers and note calls ("10³", "mot¹"), the "%", "&", "°", "€"... that no
    number rule took.
12. number (negatives, decimals) before cardinal, the catch-all that reads every digit
    run left, so that no ASCII digit survives.
13. pause, then unhandled, then spacing: quotes and silent marks go, dashes become
    commas; the hidden readings come back; any character an engine would not read as
    a letter, a space or a pause is dropped and recorded as "unhandled" (``preview``
    shows it); then doubled commas and spaces are tidied.

``normalize_traced`` records every change except the "spacing" ones.

French choices: the traditional spelling num2words writes ("vingt et un", "soixante et
onze", "quatre-vingts", "deux cents"; hyphens only below one hundred); years are read
as cardinals ("mille neuf cent dix-sept", never "dix-neuf cent dix-sept"); "un" becomes
"une" before the feminine nouns of ``normalize_data.FEMININE_NOUNS``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from num2words import num2words  # type: ignore[import-untyped,unused-ignore]

from . import normalize_data as data


@dataclass(frozen=True)
class Change:
    """One replacement made by a rule."""

    rule: str  # rule name, e.g. "year", "ordinal", "abbreviation"
    written: str  # the matched written text
    spoken: str  # what replaced it


Replace = Callable[[re.Match[str]], str]
Rule = tuple[str, re.Pattern[str], Replace]

MAX_DIGITS = 12  # longer digit runs (ids, phone numbers) are read digit by digit
_UNTRACED = "spacing"
UNHANDLED = "unhandled"  # the rule name of a character dropped because no rule reads it
_PROTECTED = frozenset({"address", "technical"})  # rules whose readings later rules skip
_RESTORE = "restore"
# Readings of protected rules wait behind these (plane 16 private use; the lexicon's
# placeholders are in plane 15) until the pause rules are done.
PROTECT_BASE = 0x100000
PROTECT_LAST = 0x10FFFD
# What an engine may be given: letters (and their combining marks), spaces, the
# punctuation it reads as pauses, apostrophes and hyphens inside words, and the lexicon's
# placeholders (plane 15 private use) that speech.py replaces after normalising.
PAUSE_PUNCTUATION = ".,;:!?…()"
WORD_JOINERS = "'’-"
LEXICON_PLACEHOLDERS = ("\U000f0000", "\U000ffffd")


def speakable(char: str) -> bool:
    """May this character reach an engine? (The property every spoken text has.)"""
    return (
        char.isalpha()
        or char.isspace()
        or char in PAUSE_PUNCTUATION
        or char in WORD_JOINERS
        or unicodedata.category(char).startswith("M")
        or LEXICON_PLACEHOLDERS[0] <= char <= LEXICON_PLACEHOLDERS[1]
    )


# ---------------------------------------------------------------- numbers as words


def _cardinal(n: int, feminine: bool = False) -> str:
    words: str = num2words(n, lang="fr")
    if feminine and (words == "un" or words.endswith((" un", "-un"))):
        words += "e"
    return words


def _digits(digits: str, feminine: bool = False) -> str:
    """Read ASCII digits: leading zeros as "zéro", very long runs digit by digit."""
    if len(digits) > MAX_DIGITS:
        return " ".join(data.DIGIT_NAMES[int(d)] for d in digits)
    significant = digits.lstrip("0")
    if not significant:
        return " ".join(["zéro"] * len(digits))
    zeros = ["zéro"] * (len(digits) - len(significant))
    return " ".join([*zeros, _cardinal(int(significant), feminine)])


def _ordinal(n: int, feminine: bool = False, plural: bool = False) -> str:
    if n == 1:
        word = "première" if feminine else "premier"
    else:
        word = re.sub(r"(vingt|cent|lion|liard)s$", r"\1", _cardinal(n))
        if word.endswith("cinq"):
            word += "uième"
        elif word.endswith("neuf"):
            word = word[:-1] + "vième"
        elif word.endswith("e"):
            word = word[:-1] + "ième"
        else:
            word += "ième"
    return word + "s" if plural else word


def _ordinal_digits(digits: str, feminine: bool = False, plural: bool = False) -> str:
    if len(digits) > MAX_DIGITS or not digits.strip("0"):
        return _digits(digits)
    return _ordinal(int(digits), feminine, plural)


def _day(digits: str) -> str:
    return "premier" if int(digits) == 1 else _cardinal(int(digits))


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


# ---------------------------------------------------------------- regex building blocks

_ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
# A roman numeral standing alone, but never a lone C, D, L or M (letters, initials).
_ROMAN_TOKEN = rf"(?<![\w'’.])(?![CDLM](?![\w'’]))(?:{_ROMAN})(?![\w'’])"
_REGNAL = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"  # 1 to 39: no monarch has more
_INT = r"(?:[0-9]{1,3}(?:[ .][0-9]{3})+(?![0-9])|[0-9]+)"  # "3 000" and "1.000" group
_START = r"(?<![\w.,])(?<![0-9][ .])"  # not inside a word, a decimal or "3 000"
_NUM = (
    rf"(?P<sign>(?<![\w.,-])[-−])?{_START}"
    rf"(?P<int>{_INT})(?:(?P<sep>[,.])(?P<frac>[0-9]+))?(?![0-9]|[.,][0-9])"
)
_SP = r"[^\S\n]"  # a space, but never a line break
_CAPITAL_AHEAD = re.compile(rf"{_SP}+[^\W\d_]")
_LINE_END_AHEAD = re.compile(rf"{_SP}*(?:»{_SP}*)?(?:\n|$)")
_NEXT_WORD = re.compile(r"[\s-]+([^\W\d_][\w'’-]*)")
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+['’]?)[^\S\n]*$")


def _alternation(keys: Iterable[str], whole_words: bool = False) -> str:
    """Regex alternation of literal keys, longest first; a space matches any spacing.
    With `whole_words`, a key ending in a letter must end a word ("Mme" but not "Mmex")."""
    ordered = sorted(keys, key=len, reverse=True)
    return "|".join(
        re.escape(k).replace(r"\ ", r"\s*") + (r"(?!\w)" if whole_words and k[-1].isalnum() else "")
        for k in ordered
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _next_word(m: re.Match[str]) -> str:
    nxt = _NEXT_WORD.match(m.string, m.end())
    return nxt.group(1) if nxt else ""


def _previous_word(m: re.Match[str]) -> str:
    prev = _PREVIOUS_WORD.search(m.string, max(0, m.start() - 40), m.start())
    return prev.group(1).lower() if prev else ""


def _number_words(m: re.Match[str], feminine: bool = False) -> str:
    """Read the _NUM groups of a match: sign, grouped integer, decimal part."""
    words = _digits(_squash(m["int"]).replace(".", ""), feminine and not m["frac"])
    if m["frac"]:
        words += (" virgule " if m["sep"] == "," else " point ") + _digits(m["frac"])
    return f"moins {words}" if m["sign"] else words


def _is_plural(m: re.Match[str]) -> bool:
    digits = _squash(m["int"]).replace(".", "")
    return len(digits) > MAX_DIGITS or int(digits) >= 2


# ---------------------------------------------------------------- 1. spacing (typography)

_SPACES = re.compile(r"[^\S\n]+")  # no-break and thin spaces too; collapsed at once
_SUPERSCRIPT = re.compile(r"(?<!\w)(?:[0-9]+|[IVXLCDM]+|[nN])[ᵉʳˢᵈᵒᵐˡⁿ]+(?!\w)")
_SUPERSCRIPT_TABLE = str.maketrans(data.SUPERSCRIPTS)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, zero-width
_PROTECTED_IN_INPUT = re.compile("[\U00100000-\U0010fffd]")  # would pass for our placeholders
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # "٣", "३": digits of other scripts
_SUBSCRIPT = re.compile("[" + "".join(data.SUBSCRIPT_DIGITS) + "]+")  # "H₂O", "CO₂"
_SUBSCRIPT_TABLE = str.maketrans(data.SUBSCRIPT_DIGITS)
# "①", "Ⅳ", "⑴": compatibility forms of numbers and numerals (NFKC: "1", "IV", "(1)").
_COMPATIBLE_NUMBER = re.compile("[\u2160-\u2188\u2460-\u24ff\u2776-\u2793]")
_FRACTION_SLASH = re.compile("(?<=[0-9])\u2044(?=[0-9])")  # "1⁄2"
_APOSTROPHE_LOOKALIKE = re.compile(r"(?<=[^\W\d_])[‘´`ʹ](?=[^\W\d_])")  # "l´homme"


def _other_digit(m: re.Match[str]) -> str:
    return str(unicodedata.decimal(m.group(0)))


def _compatible_number(m: re.Match[str]) -> str:
    plain = unicodedata.normalize("NFKC", m.group(0))
    return f" {plain} " if plain.isascii() else m.group(0)


# ---------------------------------------------------------------- 2. addresses, technical text

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿœæ")
_TECH_TOKEN = re.compile(r"\(\)|\[\]|\{\}|[^\W_]+|\S")
_ALNUM_RUN = re.compile(r"[0-9]+|[^\W\d_]+")


def _tech_word(word: str, spell_short: bool = False) -> str:
    """A piece of letters: a word, respelt (TECH_WORDS) or spelt letter by letter."""
    low = word.lower()
    if low in data.TECH_WORDS:
        return data.TECH_WORDS[low]
    if len(word) > 1 and word.isupper():
        return word  # an acronym: the engine knows whether to spell it
    short = len(word) <= 2 and (spell_short or low not in data.TECH_SHORT_WORDS)
    if short or not _VOWELS & set(low):
        return " ".join(word)
    return word


def _tech_piece(piece: str, spell_short: bool = False) -> str:
    """Letters and digits between separators: "utf8" -> "u t f huit"."""
    return " ".join(
        _digits(run) if run.isdigit() else _tech_word(run, spell_short)
        for run in _ALNUM_RUN.findall(piece)
    )


def _tech(text: str, last_spelt: bool = False) -> str:
    """Read a technical token piece by piece, each separator named (TECH_CHARACTERS).
    With `last_spelt`, a short last piece is spelt (a top-level domain: "f r", "d e")."""
    words: list[str] = []
    tokens = _TECH_TOKEN.findall(text)
    for i, token in enumerate(tokens):
        if token in data.TECH_PAIRS:
            words.append(data.TECH_PAIRS[token])
        elif _ALNUM_RUN.match(token):
            words.append(_tech_piece(token, last_spelt and i == len(tokens) - 1))
        elif token in data.TECH_CHARACTERS:
            words.append(data.TECH_CHARACTERS[token])
    return " ".join(w for w in words if w)


def _host(host: str) -> str:
    return _tech(host, last_spelt=True)


_ADDRESS_END = r"[^\s<>\"«»“”.,;:!?)\]}'’]"  # an address never ends on punctuation
_ADDRESS_CHAR = r"[^\s<>\"«»“”]"
_EMAIL = re.compile(
    r"(?<![\w.+@-])(?P<local>[\w%+-]+(?:\.[\w%+-]+)*)@"
    r"(?P<host>(?:[\w-]+\.)+[^\W\d_]{2,})(?![\w-]|\.[^\W\d_])"
)


_INCLUSIVE = re.compile(
    r"\b(?:" + "|".join(re.escape(w).replace("·", "[·⋅]") for w in data.INCLUSIVE_WORDS)
    + r")\b|\b(?P<base>[^\W\d_]{2,})[·⋅](?P<end>" + "|".join(sorted(data.INCLUSIVE_ENDINGS, key=len,
    reverse=True)) + r")(?:(?:[·⋅])?(?P<plural>s))?\b",
    re.IGNORECASE,
)  # fmt: skip


def _plural(word: str, s: str) -> str:
    return word if word.lower().endswith(("s", "x", "z")) else word + s


def _inclusive(m: re.Match[str]) -> str:
    """ "étudiant·e·s" -> "étudiants et étudiantes": both forms, as a narrator reads them."""
    word = data.INCLUSIVE_WORDS.get(m[0].replace("⋅", "·").lower())
    if word:
        return word[0].upper() + word[1:] if m[0][0].isupper() else word
    base, (strip, add) = m["base"], data.INCLUSIVE_ENDINGS[m["end"].lower()]
    stem = base[: len(base) - len(strip)] if strip and base.endswith(strip) else base
    masculine, feminine = base, stem + (add.upper() if m["end"].isupper() else add)
    if m["plural"]:
        masculine, feminine = _plural(masculine, m["plural"]), _plural(feminine, m["plural"])
    return f"{masculine} et {feminine}"


def _email(m: re.Match[str]) -> str:
    return f"{_tech(m['local'])} {data.TECH_CHARACTERS['@']} {_host(m['host'])}"


_URL = re.compile(
    rf"(?<![\w@/.-])(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://|(?=www\.))"
    rf"(?P<host>[\w-]+(?:\.[\w-]+)*)(?P<port>:[0-9]+)?"
    rf"(?P<path>[/?#](?:{_ADDRESS_CHAR}*{_ADDRESS_END})?)?"
)
_BARE_DOMAIN = re.compile(
    r"(?<![\w@./:-])(?P<host>(?:[a-z0-9][a-z0-9-]*[a-z0-9]\.)+"
    rf"(?:{'|'.join(data.DOMAIN_ENDINGS)}))(?![\w-]|\.\w)"
    rf"(?P<path>/(?:{_ADDRESS_CHAR}*{_ADDRESS_END})?)?"
)


def _url(m: re.Match[str]) -> str:
    words = []
    scheme = (m.groupdict().get("scheme") or "").lower()
    if scheme and scheme not in data.SILENT_SCHEMES:
        words.append(_tech(f"{scheme}://"))
    words.append(_host(m["host"]))
    if m.groupdict().get("port"):
        words.append(_tech(m["port"]))
    if m["path"]:
        words.append(_tech(m["path"]))
    return " ".join(words)


_KEY = (
    rf"(?:{_alternation([*data.KEY_MODIFIERS, *data.KEY_NAMES])}"
    r"|F[0-9]{1,2}|[A-Za-z0-9]|[^\w\s+-])"
)
_KEYS = re.compile(
    rf"(?<![\w+-])(?P<keys>(?:{_alternation(data.KEY_MODIFIERS)})"
    rf"(?:{_SP}?[+-]{_SP}?{_KEY}(?![\w]))+)(?![\w+])"
)
_KEY_SPLIT = re.compile(rf"(?<=[\w\S]){_SP}?[+-]{_SP}?(?=\S)")


def _keys(m: re.Match[str]) -> str:
    keys = _KEY_SPLIT.split(m["keys"])
    names = {**data.KEY_MODIFIERS, **data.KEY_NAMES}
    spoken = []
    for key in keys:
        if key in names:
            spoken.append(names[key])
        elif re.fullmatch(r"F[0-9]{1,2}", key):
            spoken.append("F " + _cardinal(int(key[1:])))
        elif key.isdigit():
            spoken.append(_cardinal(int(key)))
        elif key.isalpha():
            spoken.append(key.upper())
        else:
            spoken.append(data.TECH_CHARACTERS.get(key, key))
    return " plus ".join(spoken)


_PIECE = r"[\w+-]+(?:\.[\w+-]+)*"  # a path's piece: dots only inside ("passwd." ends it)
_EXTENSION = _alternation(data.FILE_EXTENSIONS)
_HEADER = re.compile(
    rf"(?:(?<![\w#])#{_SP}?(?P<directive>include|import){_SP}*)?"
    rf"<(?P<file>{_PIECE}(?:/{_PIECE})*\.(?:{_EXTENSION}))>"
)


def _header(m: re.Match[str]) -> str:
    directive = f"{data.TECH_CHARACTERS['#']} {m['directive']} " if m["directive"] else ""
    inner = _tech(m["file"])
    return f"{directive}{data.TECH_CHARACTERS['<']} {inner} {data.TECH_CHARACTERS['>']}"


_TECH_NAME = re.compile(rf"(?<![\w+#])(?:{_alternation(data.TECH_NAMES)})(?![\w+#])")
_PATH = re.compile(
    rf"(?<![\w/.:~\\@-])(?:"
    rf"(?:~|\.\.?)?/{_PIECE}(?:/{_PIECE})*/?"  # /etc/passwd, ~/bin, ./configure
    rf"|{_PIECE}(?:/{_PIECE})+\.(?:{_EXTENSION})"  # sys/types.h
    rf"|[A-Z]:\\(?:{_PIECE}(?:\\{_PIECE})*\\?)?"  # C:\Windows\System32
    rf"|[\w-]{{2,}}(?:\.[\w-]+)*\.(?:{_EXTENSION})"  # README.md, stdio.h
    rf")(?![\w/\\]|\.\w)"
)


def _path(m: re.Match[str]) -> str:
    pieces = [p for p in re.split(r"[/\\]", m.group(0)) if p]
    if len(pieces) == 1 and len(pieces[0]) < 3 and m.group(0).startswith("/"):
        return m.group(0)  # "/r/" is a phoneme
    return _tech(m.group(0))


_OPTION = re.compile(
    rf"(?<![\w-])(?:--[A-Za-z][\w-]*(?:=[^\s,;)]+)?|(?<={_SP})-[A-Za-z][\w-]*)(?![\w-])"
)
_PREVIOUS_TOKEN = re.compile(r"(\S+)[^\S\n]+$")


def _option(m: re.Match[str]) -> str:
    if not m.group(0).startswith("--"):  # "-l" is an option after a command or an option
        before = _PREVIOUS_TOKEN.search(m.string, max(0, m.start() - 40), m.start())
        token = before.group(1) if before else ""
        if token not in data.COMMANDS and not token.startswith("-"):
            return m.group(0)
    return _tech(m.group(0))


_IDENTIFIER = re.compile(
    r"(?<![\w.@/-])(?:"
    r"[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*(?:\(\))?"  # pid_t, MAX_DIGITS
    r"|__[A-Za-z0-9]\w*(?:\(\))?"  # __init__
    r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\(\)"  # getpid(), os.path.join()
    r")(?![\w(])"
)
_VERSION = re.compile(r"(?<![\w.,])v?[0-9]+(?:\.[0-9]+){2,}(?![\w]|\.[0-9])")
_GROUPED_OR_DATE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}")


def _version(m: re.Match[str]) -> str:
    text = m.group(0)
    if _GROUPED_OR_DATE.fullmatch(text):
        return text  # "1.000.000" is a number, "9.12.1920" a date
    lead = "version " if text.startswith("v") else ""
    return lead + _tech(text.lstrip("v"))


# ---------------------------------------------------------------- 3. abbreviations

_ABBREVIATION_TABLE = {_squash(k): v for k, v in data.ABBREVIATIONS.items()}
_ABBREVIATION = re.compile(rf"(?<![\w.])(?:{_alternation(data.ABBREVIATIONS, True)})")


def _starts_capital(text: str, pos: int) -> bool:
    ahead = _CAPITAL_AHEAD.match(text, pos)
    return ahead is not None and ahead.group(0)[-1].isupper()


_SENTENCE_FINAL = frozenset(_squash(k) for k in data.SENTENCE_FINAL_ABBREVIATIONS)


def _final_dot(m: re.Match[str], key: str) -> str:
    """The dot of a dotted abbreviation that also ends the sentence: at a line end, or
    before a capital for those of SENTENCE_FINAL_ABBREVIATIONS ("etc. Puis")."""
    if not key.endswith("."):
        return ""
    if _LINE_END_AHEAD.match(m.string, m.end()) is not None:
        return "."
    return "." if _squash(key) in _SENTENCE_FINAL and _starts_capital(m.string, m.end()) else ""


def _abbreviation(m: re.Match[str]) -> str:
    key = _squash(m.group(0))
    return _ABBREVIATION_TABLE[key] + _final_dot(m, key)


# "p. 12 sq.": the pages that follow. Before "p." is read, so that it is still there.
_FOLLOWING_PAGES = re.compile(
    rf"(?P<lead>(?<![\w.])(?:pp?\.|pages?){_SP}*[0-9]+(?:{_SP}*[-–]{_SP}*[0-9]+)?)"
    rf"{_SP}+(?P<abbr>{_alternation(data.FOLLOWING_PAGES)})(?!\w)"
)


def _following_pages(m: re.Match[str]) -> str:
    return f"{m['lead']} {data.FOLLOWING_PAGES_SPOKEN}{_final_dot(m, m['abbr'])}"


# "XIXe s.", "2e éd.", "XVIIe et XVIIIe s.": the abbreviation after ordinals.
_ORDINAL_SUFFIX = r"(?:èmes|ème|emes|eme|ères|ère|ers|er|res|re|es|e)"
_ORDINAL_WORD = rf"(?:{_ROMAN}|[0-9]{{1,4}}){_ORDINAL_SUFFIX}"
_ORDINAL_ABBREVIATION = re.compile(
    rf"(?<![\w.'’])(?P<ords>{_ORDINAL_WORD}(?:{_SP}*(?:,|et|ou|à|-|–){_SP}*{_ORDINAL_WORD})*)"
    rf"{_SP}+(?P<abbr>{_alternation(data.ORDINAL_ABBREVIATIONS)})(?!\w)"
)
_ORDINAL_WORD_RE = re.compile(rf"(?P<n>{_ROMAN}|[0-9]{{1,4}})(?P<s>{_ORDINAL_SUFFIX})")


def _ordinal_abbreviation(m: re.Match[str]) -> str:
    ordinals = list(_ORDINAL_WORD_RE.finditer(m["ords"]))
    if any(o["n"] in ("C", "D", "L", "M") for o in ordinals):
        return m.group(0)  # "Ce s." is a word
    singular, plural = data.ORDINAL_ABBREVIATIONS[m["abbr"]]
    many = len(ordinals) > 1 or ordinals[0]["s"].endswith("s")
    return f"{m['ords']} {plural if many else singular}{_final_dot(m, m['abbr'])}"


# "3 vol., Paris", "300 p.": a count of volumes, pages, copies in a reference.
_COUNT_ABBREVIATION = re.compile(
    rf"(?P<n>{_START}{_INT}){_SP}?(?P<abbr>{_alternation(data.COUNT_ABBREVIATIONS)})"
    rf"(?={_SP}*(?:[,;)]|\n|$))"
)


def _count_abbreviation(m: re.Match[str]) -> str:
    if m["abbr"] == "t." and _LINE_END_AHEAD.match(m.string, m.end()):
        return m.group(0)  # "Il pèse 5 t." is tonnes
    singular, plural = data.COUNT_ABBREVIATIONS[m["abbr"]]
    digits = _squash(m["n"]).replace(".", "")
    word = plural if len(digits) > MAX_DIGITS or int(digits) >= 2 else singular
    return f"{m['n']} {word}{_final_dot(m, m['abbr'])}"


# "bd Voltaire", "av. de la République", "12 r. de Rivoli": street types before a name.
_ADDRESS_NEXT = (
    rf"(?={_SP}+(?:[A-ZÀ-ÖØ-Þ]|(?:{_alternation(data.ADDRESS_NEXT_WORDS)})(?<=['’])"
    rf"|(?:{_alternation(data.ADDRESS_NEXT_WORDS)})(?![\w'’])))"
)
_ADDRESS = re.compile(
    rf"(?<![\w.])(?P<abbr>{_alternation(data.ADDRESS_ABBREVIATIONS, True)}){_ADDRESS_NEXT}"
    rf"|(?P<num>(?<![\w.,])[0-9]{{1,4}}(?:{_SP}?(?:bis|ter|quater))?,?{_SP}+)"
    rf"(?P<street>{_alternation(data.ADDRESS_ABBREVIATIONS_AFTER_NUMBER, True)}){_ADDRESS_NEXT}"
)
_ADDRESS_NOT_BEFORE = re.compile(
    rf"{_SP}+(?:{_alternation(data.ADDRESS_NOT_BEFORE)}|{_ROMAN_TOKEN}(?!{_SP}*[^\W\d_]))"
)


def _address(m: re.Match[str]) -> str:
    if _ADDRESS_NOT_BEFORE.match(m.string, m.end()):
        return m.group(0)  # "av. J.-C." is "avant"; "pl. III" a plate
    nxt = _NEXT_WORD.match(m.string, m.end())
    if nxt and nxt.group(1) in data.SENTENCE_STARTERS:
        return m.group(0)  # "n. f. pl. Les mots": a new sentence, not a name
    if m["abbr"] and _previous_word(m) in data.ADDRESS_NOT_AFTER:
        return m.group(0)  # "la bd de Hergé"
    if m["abbr"]:
        return data.ADDRESS_ABBREVIATIONS[m["abbr"]]
    return m["num"] + data.ADDRESS_ABBREVIATIONS_AFTER_NUMBER[m["street"]]


# "éd." not after an ordinal: "éd. Gallimard" éditions, "Dupont (éd.)" éditeur.
_EDITION = re.compile(r"(?<![\w.])éd\.(?!\w)")


def _edition(m: re.Match[str]) -> str:
    text, start, end = m.string, m.start(), m.end()
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return data.EDITION_READINGS["person"]
    nxt = _NEXT_WORD.match(text, end)
    if nxt and _CAPITAL_AHEAD.match(text, end) and nxt.group(1)[0].isupper():
        return data.EDITION_READINGS["publisher"]
    if nxt and nxt.group(1) in ("de", "du", "des") and _starts_capital(text, nxt.end()):
        return data.EDITION_READINGS["publisher"]
    return data.EDITION_READINGS["other"] + _final_dot(m, "éd.")


_TITLE = re.compile(rf"(?<![\w.])(?:{_alternation(data.TITLES)})(?=[\s-]+[^\W\d_])")


def _title(m: re.Match[str]) -> str:
    word = _next_word(m)
    if word == "le" or (word[:1].isupper() and word not in data.SENTENCE_STARTERS):
        return data.TITLES[m.group(0)]
    return m.group(0)


_NUMBER_ABBREVIATION = re.compile(
    rf"(?<![\w.])(?:{_alternation(data.NUMBER_ABBREVIATIONS)})"
    rf"(?=\s*(?:[0-9]|{_ROMAN_TOKEN}))"
)
_PLURAL_NUMBER_ABBREVIATION = re.compile(
    rf"(?<![\w.])(?:{_alternation(data.PLURAL_NUMBER_ABBREVIATIONS)})"
    r"(?=\s*[0-9]+\s*(?:,|et|à|-|–|/)\s*[0-9])"
)


def _number_abbreviation(m: re.Match[str]) -> str:
    key = m.group(0)
    return data.NUMBER_ABBREVIATIONS.get(key) or data.PLURAL_NUMBER_ABBREVIATIONS[key]


# ---------------------------------------------------------------- 4. roman numerals

_ROMAN_ORDINAL = re.compile(
    rf"(?<![\w.'’])(?P<r>{_ROMAN})(?P<s>èmes|ème|emes|eme|ères|ère|ers|er|res|re|es|e)"
    r"(?![\w'’])"
)


def _roman_ordinal(m: re.Match[str]) -> str:
    numeral, suffix = m["r"], m["s"]
    if numeral in ("C", "D", "L", "M") or (numeral != "I" and "r" in suffix):
        return m.group(0)  # "Ce", "De", "Le", "Me", "Ver" are words
    feminine = numeral == "I" and suffix.startswith(("r", "è")) and "m" not in suffix
    return _ordinal(_roman(numeral), feminine, suffix.endswith("s"))


_MONARCH = re.compile(
    rf"\b(?P<name>{_alternation(data.MONARCH_NAMES)}){_SP}+(?P<r>{_REGNAL})(?![\w'’])"
)


def _monarch(m: re.Match[str]) -> str:
    return f"{m['name']} {_cardinal(_roman(m['r']))}"


_CONTEXT = "|".join(data.ROMAN_CONTEXT_WORDS)
_ROMAN_TOKEN_RE = re.compile(_ROMAN_TOKEN)
_ROMAN_AFTER_WORD = re.compile(
    rf"(?P<word>\b(?i:{_CONTEXT})s?{_SP}+)"
    rf"(?P<list>{_ROMAN_TOKEN}(?:{_SP}*(?:,|et|à|ou|-|–){_SP}*{_ROMAN_TOKEN})*)"
)
_ROMAN_BEFORE_WORD = re.compile(rf"{_ROMAN_TOKEN}(?={_SP}+(?i:(?P<word>{_CONTEXT}))\b)")


def _roman_after_word(m: re.Match[str]) -> str:
    spoken = _ROMAN_TOKEN_RE.sub(lambda r: _cardinal(_roman(r.group(0))), m["list"])
    return m["word"] + spoken


def _roman_before_word(m: re.Match[str]) -> str:
    feminine = m["word"].lower() in ("partie", "scène")
    return _ordinal(_roman(m.group(0)), feminine)


# "Vatican II", "Apollo XIII", "Paris V": a numeral after a name is its number. One-letter
# numerals only after the names that take them (NUMBERED_NAMES): "Malcolm X" stays, and
# "C. Dupont", "V. Hugo" are initials.
_NAME = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)*"
_NAMED_NUMERAL = re.compile(rf"(?<![\w'’-])(?P<name>{_NAME}){_SP}+(?P<r>{_REGNAL})(?![\w'’-])")
_INITIAL_AHEAD = re.compile(rf"\.{_SP}*(?P<word>[A-ZÀ-ÖØ-Þ][\w'’-]*)")
_NUMBERED_NAMES = frozenset(data.NUMBERED_NAMES) | frozenset(data.MONARCH_NAMES)


def _named_numeral(m: re.Match[str]) -> str:
    name, numeral = m["name"], m["r"]
    if name in data.NOT_NAMES or name in data.SENTENCE_STARTERS:
        return m.group(0)
    if len(numeral) == 1:
        initial = _INITIAL_AHEAD.match(m.string, m.end())
        if name not in _NUMBERED_NAMES or (
            initial and initial["word"] not in data.SENTENCE_STARTERS
        ):
            return m.group(0)
    return f"{name} {_cardinal(_roman(numeral))}"


# ---------------------------------------------------------------- 5. numeric dates, times

_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/-])(?:(?P<d>[0-9]{1,2})(?P<s>[/.])(?P<m>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})"
    r"|(?P<iy>[0-9]{4})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2}))(?![\w/-]|[.,][0-9])"
)


def _numeric_date(m: re.Match[str]) -> str:
    day, month, year = (m["d"], m["m"], m["y"]) if m["d"] else (m["id"], m["im"], m["iy"])
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return m.group(0)
    return f"{_day(day)} {data.MONTH_NAMES[int(month) - 1]} {_digits(year)}"


_CLOCK = re.compile(
    rf"(?<![\w.,:])(?P<h>[0-9]{{1,2}})(?:{_SP}?h{_SP}?(?P<m>[0-9]{{2}})"
    rf"(?P<min>{_SP}?min)?|:(?P<cm>[0-9]{{2}}))(?![\w:]|[.,][0-9])"
)
_HOURS = re.compile(r"(?<![\w.,])(?P<h>[0-9]+)[^\S\n]?h(?![\w'’/])")


def _hours(hours: str) -> str:
    n = int(hours) if len(hours) <= MAX_DIGITS else 2
    return f"{_digits(hours.lstrip('0') or '0', True)} {'heure' if n < 2 else 'heures'}"


def _clock(m: re.Match[str]) -> str:
    minutes = m["m"] or m["cm"]
    if int(minutes) > 59 or (m["cm"] and int(m["h"]) > 24):
        return m.group(0)
    spoken = _hours(m["h"])
    if int(minutes):
        spoken += " " + _digits(minutes.lstrip("0"), True)
    if m["min"]:
        spoken += " minute" if int(minutes) < 2 else " minutes"
    return spoken


def _hours_only(m: re.Match[str]) -> str:
    return _hours(m["h"])


# ---------------------------------------------------------------- 6. ranges and slashes

_RANGE = re.compile(
    r"(?<![\w.,/-])(?P<a>[0-9]{1,4})(?P<dash>-|[^\S\n]?[–—][^\S\n]?|[^\S\n]-[^\S\n])"
    r"(?P<b>[0-9]{1,4})"
    r"(?![\w/-]|[.,][0-9])"
)


def _range(m: re.Match[str]) -> str:
    a, b, prev = m["a"], m["b"], _previous_word(m)
    if len(a) == 4 and len(b) == 2 and int(a[2:]) < int(b):
        b = a[:2] + b  # "1914-18"
    years = len(a) == 4 == len(b) and a[0] != "0" and int(a) < int(b)
    if m["dash"] == " - " and not years:
        return m.group(0)  # "5 - 3" is a subtraction
    if prev in data.RANGE_NUMBER_WORDS:
        return f"{a}, {b}"
    if prev in data.RANGE_BETWEEN_WORDS:
        return f"{a} et {b}"
    if not int(a) < int(b):
        return m.group(0)  # "121-1" (a law article), "3-2" (a score): no range
    if years and prev not in data.RANGE_FROM_WORDS | data.RANGE_PLAIN_WORDS:
        return f"de {a} à {b}"
    return f"{a} à {b}"


_SLASH = re.compile(r"(?<![\w.,/-])(?P<a>[0-9]{1,4})/(?P<b>[0-9]{1,4})(?![\w/-]|[.,][0-9])")


def _slash(m: re.Match[str]) -> str:
    a, b = int(m["a"]), int(m["b"])
    if _previous_word(m) in data.RANGE_NUMBER_WORDS:
        return f"{m['a']}, {m['b']}"
    if _previous_word(m) in data.DATE_LEAD_WORDS and 1 <= a <= 31 and 1 <= b <= 12:
        return f"{_day(m['a'])} {data.MONTH_NAMES[b - 1]}"  # "le 24/12"
    if b in data.FRACTIONS and 0 < a < b:
        singular, plural = data.FRACTIONS[b]
        return f"{_cardinal(a)} {singular if a == 1 else plural}"
    if len(m["a"]) == 4 == len(m["b"]) or b == a + 1:
        return f"{m['a']}, {m['b']}"
    return f"{m['a']} sur {m['b']}"


# ---------------------------------------------------------------- 7. dates and ordinals

_DATE = re.compile(
    rf"(?:(?<![\w.,])(?P<day>1er|[0-9]{{1,2}}){_SP}+)?"
    rf"\b(?P<month>(?i:{_alternation(data.MONTHS)}))\b"
    rf"(?:{_SP}+(?P<year>[0-9]{{1,4}})(?![\w]|[.,][0-9]))?"
)


def _date(m: re.Match[str]) -> str:
    if not (m["day"] or m["year"]):
        return m.group(0)
    day = "premier" if m["day"] == "1er" else _day(m["day"]) if m["day"] else ""
    year = _digits(m["year"]) if m["year"] else ""
    return " ".join(part for part in (day, m["month"], year) if part)


_ORDINAL = re.compile(
    rf"{_START}(?P<n>{_INT})"
    r"(?P<s>èmes|ème|emes|eme|ères|ère|ers|er|res|re|ndes|nde|nds|nd|des|de|ds|d|es|e|è)"
    r"(?![\w'’])"
)


def _ordinal_number(m: re.Match[str]) -> str:
    digits, suffix = _squash(m["n"]).replace(".", ""), m["s"]
    plural = suffix.endswith("s") and suffix != "s"
    if digits.lstrip("0") == "2" and suffix.startswith(("d", "nd")):
        return ("seconde" if "de" in suffix else "second") + ("s" if plural else "")
    feminine = suffix.startswith(("r", "è")) and "m" not in suffix
    return _ordinal_digits(digits, feminine, plural)


# "1° la paix ; 2° la terre": an enumeration, read "premièrement", "deuxièmement".
_ENUMERATION = re.compile(
    rf"(?m)(?P<lead>^{_SP}*|(?<=[:;,(]){_SP}?)(?P<n>[0-9]{{1,2}})°\)?(?={_SP}+(?![CF]\b))"
)


def _enumeration(m: re.Match[str]) -> str:
    if not 0 < int(m["n"]) <= 10:
        return m.group(0)  # "90° de latitude" is an angle
    return m["lead"] + _ordinal(int(m["n"]), feminine=True) + "ment"


# ---------------------------------------------------------------- 8. symbols next to numbers

_BETWEEN_NUMBERS = re.compile(
    rf"(?<=[0-9])(?:{_SP}*(?P<s>[×→<>±]){_SP}*|{_SP}+(?P<x>x){_SP}+)(?=[-−]?[0-9])"
)


def _between_numbers(m: re.Match[str]) -> str:
    return f" {data.SYMBOLS_BETWEEN_NUMBERS[m['s'] or m['x']]} "


_BEFORE_NUMBER = re.compile(
    rf"(?<![\w+~≈#±†])(?P<s>{_alternation(data.SYMBOLS_BEFORE_NUMBERS)}){_SP}*(?=[0-9])"
)


def _before_number(m: re.Match[str]) -> str:
    return data.SYMBOLS_BEFORE_NUMBERS[m["s"]] + " "


_FRACTION_CHARS = "".join(data.FRACTION_CHARACTERS)
_FRACTION_UNITS = {**data.UNITS, "h": ("heure", "heures", True)}  # "2 ½ h", "¾ h"
_FRACTION_CHAR = re.compile(
    rf"(?:(?P<n>{_START}[0-9]{{1,9}}){_SP}?)?(?P<f>[{_FRACTION_CHARS}])"
    rf"(?:{_SP}?(?P<unit>{_alternation(_FRACTION_UNITS)})(?![\w'’/²³]))?"
)


def _fraction_words(num: int, den: int) -> str:
    """ "un demi", "trois quarts", "un cinquième" (a vulgar fraction on its own)."""
    if den in data.FRACTIONS:
        singular, plural = data.FRACTIONS[den]
    else:
        singular, plural = _ordinal(den), _ordinal(den, plural=True)
    return f"{_cardinal(num)} {singular if num == 1 else plural}"


def _fraction_char(m: re.Match[str]) -> str:
    num, den = data.FRACTION_CHARACTERS[m["f"]]
    unit = _FRACTION_UNITS[_squash(m["unit"])] if m["unit"] else None
    if m["n"] is None:
        if unit is None:
            return _fraction_words(num, den)
        if (num, den) == (1, 2):
            return f"un demi-{unit[0]}"  # "½ l": un demi-litre
        of = "d'" if unit[0][0] in "aeiouyéh" else "de "
        return f"{_fraction_words(num, den)} {of}{unit[0]}"  # "¾ h": trois quarts d'heure
    whole = int(m["n"])
    feminine = unit[2] if unit else False
    part = ("demie" if feminine else "demi") if (num, den) == (1, 2) else _fraction_words(num, den)
    if unit is None:
        return f"{_digits(m['n'])} et {part}"
    noun = unit[1] if whole >= 2 else unit[0]
    return f"{_digits(m['n'], feminine)} {noun} et {part}"  # "2 ½ t": deux tonnes et demie


# "48° 51′ 24″ N", "45° 30'": degrees, arc minutes and seconds, a compass point.
_ARC_MINUTE = "[′'’]"
_ARC_SECOND = "(?:″|\"|''|′′|’’)"
_ANGLE = re.compile(
    rf"{_NUM}{_SP}?°(?:{_SP}?(?P<min>[0-9]{{1,2}}){_SP}?{_ARC_MINUTE}"
    rf"(?:{_SP}?(?P<sec>[0-9]{{1,2}}(?:,[0-9]+)?){_SP}?{_ARC_SECOND})?)?"
    rf"(?:{_SP}(?P<dir>[{''.join(data.COMPASS_POINTS)}])(?![\w'’]))?"
)


def _arc(digits: str, unit: str) -> str:
    singular, plural = data.ARC_UNITS[unit]
    whole = digits.split(",")[0]
    words = _digits(whole, feminine=True)
    if "," in digits:
        words += " virgule " + _digits(digits.split(",")[1])
    return f"{words} {plural if int(whole) >= 2 else singular}"


def _angle(m: re.Match[str]) -> str:
    if not (m["min"] or m["dir"]):
        return m.group(0)  # "45°" alone: the unit rule
    degrees = _number_words(m)
    words = [f"{degrees} {'degrés' if _is_plural(m) else 'degré'}"]
    if m["min"]:
        words.append(_arc(m["min"], "′"))
    if m["sec"]:
        words.append(_arc(m["sec"], "″"))
    if m["dir"]:
        words.append(data.COMPASS_POINTS[m["dir"]])
    return " ".join(words)


# ---------------------------------------------------------------- 9. currency, percent, units

_CURRENCY_WORD = _alternation(data.CURRENCY_WORDS)
_CURRENCY_SIGN = _alternation(data.CURRENCY_SYMBOLS)
_CURRENCY_SIGNS = {**data.CURRENCY_SYMBOLS, **data.CURRENCY_ABBREVIATIONS}
_CURRENCY_AFTER = re.compile(
    rf"{_NUM}{_SP}?(?P<cur>{_CURRENCY_SIGN}"
    rf"|(?:{_alternation(data.CURRENCY_ABBREVIATIONS)})(?![\w'’°])"
    rf"|(?i:{_CURRENCY_WORD})s?(?![\w'’]))"
)
_CURRENCY_BEFORE = re.compile(rf"(?P<cur>{_CURRENCY_SIGN}){_SP}?{_NUM}")


def _currency(m: re.Match[str]) -> str:
    return _currency_words(m) + _final_dot(m, m["cur"])


def _currency_words(m: re.Match[str]) -> str:
    symbol = m["cur"]
    word = None if symbol in _CURRENCY_SIGNS else symbol
    key = symbol if word is None else symbol.lower().rstrip("s")
    singular, plural, feminine = {**_CURRENCY_SIGNS, **data.CURRENCY_WORDS}[key]
    sign = "moins " if m["sign"] else ""
    frac = m["frac"]
    int_digits = _squash(m["int"]).replace(".", "")
    unit = word or (plural if _is_plural(m) else singular)
    if frac is None:
        amount = _digits(int_digits, feminine)
        if re.search(r"(?:million|milliard|billion)s?$", amount):
            unit = word or plural
            of = "d'" if unit[0] in "aeiouéh" else "de "
            return f"{sign}{amount} {of}{unit}"  # "un million d'euros"
        return f"{sign}{amount} {unit}"
    if len(frac) > 2:
        return f"{_number_words(m)} {word or plural}"
    cents = int(frac.ljust(2, "0"))
    if word is None and cents and not int_digits.strip("0"):
        return f"{sign}{_cardinal(cents)} {data.CENT_NAMES[1 if cents > 1 else 0]}"
    tail = f" {_cardinal(cents)}" if cents else ""
    return f"{sign}{_digits(int_digits, feminine)} {unit}{tail}"


_PERCENT = re.compile(rf"{_NUM}{_SP}?(?P<pct>[%‰])")


def _percent(m: re.Match[str]) -> str:
    return _number_words(m) + (" pour cent" if m["pct"] == "%" else " pour mille")


_UNIT = re.compile(rf"{_NUM}{_SP}?(?P<unit>{_alternation(data.UNITS)})(?![\w'’/²³])")


_UNIT_KEYS = {_squash(k): k for k in data.UNITS}


def _unit(m: re.Match[str]) -> str:
    key = _UNIT_KEYS[_squash(m["unit"])]
    if len(key) == 1 and key.isalpha() and _previous_word(m) in data.LETTER_COUNT_WORDS:
        return m.group(0)  # "s'écrit avec 2 t": letters, not tonnes
    singular, plural, feminine = data.UNITS[key]
    return f"{_number_words(m, feminine)} {plural if _is_plural(m) else singular}"


# "le prix du m²": an area or volume symbol without a number.
_UNIT_ALONE = re.compile(
    rf"(?<![\w/])(?P<unit>{_alternation(k for k in data.UNITS if k[-1] in '²³')})(?![\w'’/])"
)


def _unit_alone(m: re.Match[str]) -> str:
    return data.UNITS[m["unit"]][0]


# ---------------------------------------------------------------- 10. years

_YEAR = re.compile(
    rf"(?P<pre>\b(?i:{_alternation(data.YEAR_CONTEXT_WORDS)}){_SP}+)"
    r"(?P<y>1[0-9]{3}|20[0-9]{2})(?![0-9]|[.,][0-9])"
)


def _year(m: re.Match[str]) -> str:
    if _next_word(m).lower() in data.FEMININE_NOUNS:  # "de 1921 pages": a count
        return m.group(0)
    return m["pre"] + _digits(m["y"])


# ---------------------------------------------------------------- 11. symbols

_SUPERSCRIPT_NUMBER = re.compile("[" + "".join(data.SUPERSCRIPT_DIGITS) + "]+")
_SUPERSCRIPT_NUMBER_TABLE = str.maketrans(data.SUPERSCRIPT_DIGITS)
# A power follows a digit, a closing bracket or a one-letter variable ("10³", "x²").
# A power follows a number of at most three digits, a closing bracket or a one-letter
# variable ("10³", "(a+b)²", "x²"); "¹" alone, or after a year or a word, is a note call.
_SUPERSCRIPT_CLASS = "[" + "".join(data.SUPERSCRIPT_DIGITS) + "]"
_POWER = re.compile(
    r"(?:(?<=[0-9])(?<![0-9]{4})|(?<=\))|(?<=(?<![^\W\d_])[^\W\d_]))"
    rf"(?!¹(?!{_SUPERSCRIPT_CLASS})){_SUPERSCRIPT_CLASS}+"
)


def _power(m: re.Match[str]) -> str:
    digits = m.group(0).translate(_SUPERSCRIPT_NUMBER_TABLE)
    n = int(digits) if len(digits) <= MAX_DIGITS else 0
    return " " + data.POWER_WORDS.get(n, f"puissance {_digits(digits)}")


_SYMBOL = re.compile(_alternation(data.SYMBOLS))
_PLUS = re.compile(rf"(?<=[0-9]){_SP}*\+{_SP}*(?=[0-9])")
_MINUS = re.compile(rf"(?<=[0-9]){_SP}+[-−]{_SP}+(?=[0-9])")
_WORD_SLASH = re.compile(r"(?<![\w/])(?P<a>[^\W\d_]+)/(?P<b>[^\W\d_]+)(?![\w/])")
_SPACED_SLASH = re.compile(rf"{_SP}+/{_SP}+")  # "vers un / vers deux": a line break
_BEFORE_WORD = re.compile(
    rf"(?<![\w#@])(?P<s>{_alternation(data.SYMBOLS_BEFORE_WORDS)})(?=[^\W\d_])"
)


def _before_word(m: re.Match[str]) -> str:
    return data.SYMBOLS_BEFORE_WORDS[m["s"]] + " "


def _symbol(m: re.Match[str]) -> str:
    return f" {data.SYMBOLS[m.group(0)]} "


def _word_slash(m: re.Match[str]) -> str:
    """ "il/elle": il ou elle; "et/ou": et ou."""
    if m["b"].lower() == "ou" or m["a"].lower() == "ou":
        return f"{m['a']} {m['b']}"
    return f"{m['a']} ou {m['b']}"


# ---------------------------------------------------------------- 12. numbers

_NUMBER = re.compile(_NUM)
_CARDINAL = re.compile(_INT)


def _number(m: re.Match[str]) -> str:
    if not (m["sign"] or m["frac"]):
        return m.group(0)  # plain integers are left to the cardinal rule
    return _number_words(m)


def _cardinal_rule(m: re.Match[str]) -> str:
    feminine = _next_word(m).lower() in data.FEMININE_NOUNS
    return _digits(_squash(m.group(0)).replace(".", ""), feminine)


# ---------------------------------------------------------------- 13. pauses, unhandled, spacing

_QUOTE = re.compile(rf"(?:{_SP}*(?:[\"“”„«»‹›‘‚‛]|<<|>>))+{_SP}*")
_DASH_IN_WORD = re.compile(r"(?<=[^\W\d_])[–‑‐](?=[^\W\d_])")
_SILENT = re.compile(rf"{_SP}*[{re.escape(data.SILENT_MARKS)}]+{_SP}*")
_BRACKET = re.compile(r"[\[\]{}]")
_PLACEHOLDER = re.compile("[\U00100000-\U0010fffd]")
_UNHANDLED_CANDIDATE = re.compile(
    r"[^\sa-zA-ZÀ-ÖØ-öø-ÿœŒ" + re.escape(PAUSE_PUNCTUATION + WORD_JOINERS) + "]"
)


def _silent(m: re.Match[str]) -> str:
    return ", " if "|" in m.group(0) else " "


def _bracket(m: re.Match[str]) -> str:
    return "(" if m.group(0) in "[{" else ")"


def _unhandled(m: re.Match[str]) -> str:
    return m.group(0) if speakable(m.group(0)) else " "


_DASH = re.compile(rf"{_SP}*(?:[—–―]+|(?<!\S)-{{1,3}}(?!\S)){_SP}*")
_COMMA_RUN = re.compile(rf"(?:{_SP}*,)+{_SP}*")
_COMMA_AFTER_PAUSE = re.compile(rf"(?m)(^|[(\[:;.!?…]){_SP}*,{_SP}*")
_COMMA_BEFORE_PAUSE = re.compile(rf"{_SP}*,{_SP}*(?=([.;:!?)\]…]|$))")


def _comma_after_pause(m: re.Match[str]) -> str:
    return m[1] + (" " if m[1] and m[1] not in "([" else "")


def _comma_before_pause(m: re.Match[str]) -> str:
    return " " if m[1] and m[1] in ";:!?" else ""


def _constant(text: str) -> Replace:
    return lambda _m: text


_RULES: tuple[Rule, ...] = (
    (UNHANDLED, _PROTECTED_IN_INPUT, _constant(" ")),
    ("spacing", _SPACES, _constant(" ")),
    ("spacing", _INVISIBLE, _constant("")),
    ("spacing", _OTHER_DIGIT, _other_digit),
    ("spacing", _SUBSCRIPT, lambda m: m.group(0).translate(_SUBSCRIPT_TABLE)),
    ("spacing", _COMPATIBLE_NUMBER, _compatible_number),
    ("spacing", _FRACTION_SLASH, _constant("/")),
    ("apostrophe", _APOSTROPHE_LOOKALIKE, _constant("’")),
    ("spacing", _SUPERSCRIPT, lambda m: m.group(0).translate(_SUPERSCRIPT_TABLE)),
    ("address", _EMAIL, _email),
    ("address", _URL, _url),
    ("address", _BARE_DOMAIN, _url),
    ("technical", _TECH_NAME, lambda m: data.TECH_NAMES[m.group(0)]),
    ("technical", _KEYS, _keys),
    ("technical", _HEADER, _header),
    ("technical", _PATH, _path),
    ("technical", _OPTION, _option),
    ("technical", _IDENTIFIER, lambda m: _tech(m.group(0))),
    ("technical", _VERSION, _version),
    ("inclusive", _INCLUSIVE, _inclusive),
    ("abbreviation", _FOLLOWING_PAGES, _following_pages),
    ("abbreviation", _ORDINAL_ABBREVIATION, _ordinal_abbreviation),
    ("abbreviation", _ABBREVIATION, _abbreviation),
    ("abbreviation", _TITLE, _title),
    ("abbreviation", _COUNT_ABBREVIATION, _count_abbreviation),
    ("abbreviation", _PLURAL_NUMBER_ABBREVIATION, _number_abbreviation),
    ("abbreviation", _NUMBER_ABBREVIATION, _number_abbreviation),
    ("abbreviation", _ADDRESS, _address),
    ("abbreviation", _EDITION, _edition),
    ("ordinal", _ROMAN_ORDINAL, _roman_ordinal),
    ("roman", _MONARCH, _monarch),
    ("roman", _ROMAN_AFTER_WORD, _roman_after_word),
    ("roman", _ROMAN_BEFORE_WORD, _roman_before_word),
    ("roman", _NAMED_NUMERAL, _named_numeral),
    ("date", _NUMERIC_DATE, _numeric_date),
    ("time", _CLOCK, _clock),
    ("time", _HOURS, _hours_only),
    ("range", _RANGE, _range),
    ("slash", _SLASH, _slash),
    ("date", _DATE, _date),
    ("ordinal", _ORDINAL, _ordinal_number),
    ("ordinal", _ENUMERATION, _enumeration),
    ("symbol", _BETWEEN_NUMBERS, _between_numbers),
    ("symbol", _BEFORE_NUMBER, _before_number),
    ("fraction", _FRACTION_CHAR, _fraction_char),
    ("unit", _ANGLE, _angle),
    ("currency", _CURRENCY_AFTER, _currency),
    ("currency", _CURRENCY_BEFORE, _currency),
    ("percent", _PERCENT, _percent),
    ("unit", _UNIT, _unit),
    ("unit", _UNIT_ALONE, _unit_alone),
    ("year", _YEAR, _year),
    ("symbol", _POWER, _power),
    ("note", _SUPERSCRIPT_NUMBER, _constant("")),
    ("pause", _SPACED_SLASH, _constant(", ")),
    ("symbol", _BEFORE_WORD, _before_word),
    ("symbol", _SYMBOL, _symbol),
    ("symbol", _PLUS, _constant(" plus ")),
    ("symbol", _MINUS, _constant(" moins ")),
    ("symbol", _WORD_SLASH, _word_slash),
    ("number", _NUMBER, _number),
    ("cardinal", _CARDINAL, _cardinal_rule),
    ("pause", _QUOTE, _constant(" ")),
    ("pause", _DASH_IN_WORD, _constant("-")),
    ("pause", _DASH, _constant(", ")),
    ("pause", _SILENT, _silent),
    ("pause", _BRACKET, _bracket),
    (_RESTORE, _PLACEHOLDER, _constant("")),  # replaced by _apply with the hidden readings
    (UNHANDLED, _UNHANDLED_CANDIDATE, _unhandled),
    ("spacing", _SPACES, _constant(" ")),
    ("spacing", _COMMA_RUN, _constant(", ")),
    ("spacing", _COMMA_AFTER_PAUSE, _comma_after_pause),
    ("spacing", _COMMA_BEFORE_PAUSE, _comma_before_pause),
    ("spacing", re.compile(rf"{_SP}+(?=[,.)\]…])"), _constant("")),
    ("spacing", re.compile(rf"\({_SP}+"), _constant("(")),
    ("spacing", re.compile(rf"\({_SP}*\)"), _constant("")),
    ("spacing", re.compile(rf"(?m)^{_SP}+|{_SP}+$"), _constant("")),
)

# ---------------------------------------------------------------- public API


def _glued(written: str, spoken: str, neighbour: str) -> bool:
    """Would `spoken` stick to a neighbouring letter that `written` kept apart?"""
    return neighbour.isalpha() and spoken[:1].isalpha() and not written[:1].isalpha()


def _replacer(
    name: str, replace: Replace, changes: list[Change] | None, hidden: list[str]
) -> Replace:
    """Wrap a rule's replacement: keep it apart from letters around it, record it, and
    for the protected rules hide the reading behind a placeholder (see _apply)."""

    def run(m: re.Match[str]) -> str:
        written, spoken = m.group(0), replace(m)
        if spoken == written:
            return spoken
        if changes is not None and name != _UNTRACED:
            changes.append(Change(name, written, spoken.strip()))
        text, start, end = m.string, m.start(), m.end()
        before = start and _glued(written, spoken, text[start - 1])
        after = end < len(text) and _glued(written[::-1], spoken[::-1], text[end])
        if name in _PROTECTED and PROTECT_BASE + len(hidden) <= PROTECT_LAST:
            hidden.append(spoken.strip())
            spoken = chr(PROTECT_BASE + len(hidden) - 1)
        return (" " if before else "") + spoken + (" " if after else "")

    return run


def _trigger(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars) + "]")


# A rule whose matches all hold one of these characters is skipped, cheaply, in a text
# without any: most French prose has no "@", "/", "_" or "½", and each of these patterns
# would otherwise be tried at every position.
_TRIGGERS: dict[re.Pattern[str], re.Pattern[str]] = {
    _PROTECTED_IN_INPUT: _PROTECTED_IN_INPUT,
    _EMAIL: _trigger("@"),
    _URL: re.compile(r"://|www\."),
    _BARE_DOMAIN: re.compile(rf"\.(?:{'|'.join(data.DOMAIN_ENDINGS)})(?![\w-])"),
    _TECH_NAME: _trigger("+#"),
    _KEYS: re.compile(_alternation(data.KEY_MODIFIERS)),
    _HEADER: _trigger("<"),
    _PATH: re.compile(rf"(?<![\w/])[~.]{{0,2}}/[\w.+-]|[A-Z]:\\|\.(?:{_EXTENSION})(?![\w-])"),
    _OPTION: re.compile(r"(?<![\w-])-{1,2}[A-Za-z]"),
    _IDENTIFIER: re.compile(r"_|\(\)"),
    _VERSION: re.compile(r"[0-9]\.[0-9]+\."),
    _FOLLOWING_PAGES: re.compile(r"\b(?:s|sq|sqq|suiv)\."),
    _ORDINAL_ABBREVIATION: re.compile(r"\b(?:s|éd|arr|rég|div|cl)\."),
    _COUNT_ABBREVIATION: re.compile(r"\b(?:vol|t|p|ex)\."),
    _ADDRESS: re.compile(
        rf"(?<!\w)(?:{_alternation(data.ADDRESS_ABBREVIATIONS)}|r\.|sq\.|all\.|imp\.|chem\.)"
    ),
    _EDITION: re.compile(r"éd\."),
    _NAMED_NUMERAL: re.compile(r"(?<![\w'’-])[IVX]+(?![\w'’-])"),
    _BETWEEN_NUMBERS: re.compile(r"[×→<>±]|\sx\s"),
    _BEFORE_NUMBER: _trigger("".join(data.SYMBOLS_BEFORE_NUMBERS)),
    _FRACTION_CHAR: _trigger(_FRACTION_CHARS),
    _ANGLE: _trigger("°"),
    _UNIT_ALONE: _trigger("²³"),
    _POWER: _SUPERSCRIPT_NUMBER,
    _SUPERSCRIPT_NUMBER: _SUPERSCRIPT_NUMBER,
    _WORD_SLASH: _trigger("/"),
    _SPACED_SLASH: _trigger("/"),
    _BEFORE_WORD: _trigger("".join(data.SYMBOLS_BEFORE_WORDS)),
    _SILENT: _trigger(data.SILENT_MARKS),
    _BRACKET: _BRACKET,
}


def _apply(text: str, changes: list[Change] | None) -> str:
    hidden: list[str] = []  # readings of the protected rules, by placeholder
    for name, pattern, replace in _RULES:
        trigger = _TRIGGERS.get(pattern)
        if trigger is not None and trigger.search(text) is None:
            continue
        if name == _RESTORE:
            if hidden:
                text = pattern.sub(lambda m: hidden[ord(m.group(0)) - PROTECT_BASE], text)
        else:
            text = pattern.sub(_replacer(name, replace, changes, hidden), text)
    return text


def normalize_traced(text: str) -> tuple[str, list[Change]]:
    """Normalise `text` and list the changes made, in the order they were made."""
    changes: list[Change] = []
    return _apply(text, changes), changes


def normalize(text: str) -> str:
    """Turn written French into the text a TTS engine should read."""
    return _apply(text, None)
