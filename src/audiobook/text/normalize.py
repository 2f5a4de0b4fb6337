"""French written -> spoken normaliser: what the TTS engine should read.

Every rule is a (name, compiled regex, replacement) triple; ``_RULES`` applies them in
one fixed order, each over the whole text.  The order matters because a rule only sees
what the earlier ones left:

1. spacing: spaces of any kind are collapsed to one plain space and superscripts
   ("1ᵉʳ") made plain first, so later patterns only know " " and "1er".
2. abbreviation: "p. 12", "t. II", "n° 47" decide how the following number is read,
   and "n°" must go before the degree sign does.
3. roman: "XIXe", "Louis XIV", "chapitre III" need the numerals still in letters.
4. date (9/12/1920) and time (14 h 30, 14:30) before ranges and fractions take their
   slashes, dashes and colons apart.
5. range, slash: "1917-1920" -> "de 1917 à 1920" and "47/48" -> "47, 48" only restructure
   and keep the digits, so the rules below still read "15 km" in "10-15 km".
6. date (9 décembre 1920, 1er mai) before ordinal (2e, 1re): a date's "1er" is read
   with its month.
7. currency, percent, unit need the raw number with its decimals next to its sign.
8. year only labels the change: a year is read as a plain cardinal.
9. symbol: the "%", "&", "°", "€"... that no number rule took.
10. number (negatives, decimals) before cardinal, the catch-all that reads every digit
    run left, so that no ASCII digit survives.
11. pause, then spacing: quotes go, dashes become commas, then doubled commas and
    spaces are tidied.

``normalize_traced`` records every change except the "spacing" ones.

French choices: the traditional spelling num2words writes ("vingt et un", "soixante et
onze", "quatre-vingts", "deux cents"; hyphens only below one hundred); years are read
as cardinals ("mille neuf cent dix-sept", never "dix-neuf cent dix-sept"); "un" becomes
"une" before the feminine nouns of ``normalize_data.FEMININE_NOUNS``.
"""

from __future__ import annotations

import re
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

# ---------------------------------------------------------------- 2. abbreviations

_ABBREVIATION_TABLE = {_squash(k): v for k, v in data.ABBREVIATIONS.items()}
_ABBREVIATION = re.compile(rf"(?<![\w.])(?:{_alternation(data.ABBREVIATIONS, True)})")


def _starts_capital(text: str, pos: int) -> bool:
    ahead = _CAPITAL_AHEAD.match(text, pos)
    return ahead is not None and ahead.group(0)[-1].isupper()


def _abbreviation(m: re.Match[str]) -> str:
    key = _squash(m.group(0))
    spoken = _ABBREVIATION_TABLE[key]
    if key.endswith("."):
        ends = _LINE_END_AHEAD.match(m.string, m.end()) is not None
        if ends or (
            key in data.SENTENCE_FINAL_ABBREVIATIONS and _starts_capital(m.string, m.end())
        ):
            spoken += "."
    return spoken


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


# ---------------------------------------------------------------- 3. roman numerals

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


# ---------------------------------------------------------------- 4. numeric dates, times

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


# ---------------------------------------------------------------- 5. ranges and slashes

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


# ---------------------------------------------------------------- 6. dates and ordinals

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


# ---------------------------------------------------------------- 7. currency, percent, units

_CURRENCY_WORD = _alternation(data.CURRENCY_WORDS)
_CURRENCY_AFTER = re.compile(rf"{_NUM}{_SP}?(?P<cur>[€$£]|(?i:{_CURRENCY_WORD})s?(?![\w'’]))")
_CURRENCY_BEFORE = re.compile(rf"(?P<cur>[€$£]){_SP}?{_NUM}")


def _currency(m: re.Match[str]) -> str:
    symbol = m["cur"]
    word = None if symbol in data.CURRENCY_SYMBOLS else symbol
    key = symbol if word is None else symbol.lower().rstrip("s")
    singular, plural, feminine = {**data.CURRENCY_SYMBOLS, **data.CURRENCY_WORDS}[key]
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


def _unit(m: re.Match[str]) -> str:
    singular, plural, feminine = data.UNITS[m["unit"]]
    return f"{_number_words(m, feminine)} {plural if _is_plural(m) else singular}"


# ---------------------------------------------------------------- 8. years

_YEAR = re.compile(
    rf"(?P<pre>\b(?i:{_alternation(data.YEAR_CONTEXT_WORDS)}){_SP}+)"
    r"(?P<y>1[0-9]{3}|20[0-9]{2})(?![0-9]|[.,][0-9])"
)


def _year(m: re.Match[str]) -> str:
    if _next_word(m).lower() in data.FEMININE_NOUNS:  # "de 1921 pages": a count
        return m.group(0)
    return m["pre"] + _digits(m["y"])


# ---------------------------------------------------------------- 9. symbols

_SYMBOL = re.compile(_alternation(data.SYMBOLS))
_PLUS = re.compile(rf"(?<=[0-9]){_SP}*\+{_SP}*(?=[0-9])")
_MINUS = re.compile(rf"(?<=[0-9]){_SP}+[-−]{_SP}+(?=[0-9])")


def _symbol(m: re.Match[str]) -> str:
    return f" {data.SYMBOLS[m.group(0)]} "


# ---------------------------------------------------------------- 10. numbers

_NUMBER = re.compile(_NUM)
_CARDINAL = re.compile(_INT)


def _number(m: re.Match[str]) -> str:
    if not (m["sign"] or m["frac"]):
        return m.group(0)  # plain integers are left to the cardinal rule
    return _number_words(m)


def _cardinal_rule(m: re.Match[str]) -> str:
    feminine = _next_word(m).lower() in data.FEMININE_NOUNS
    return _digits(_squash(m.group(0)).replace(".", ""), feminine)


# ---------------------------------------------------------------- 11. pauses and spacing

_QUOTE = re.compile(rf"(?:{_SP}*[\"“”„«»‹›])+{_SP}*")
_DASH_IN_WORD = re.compile(r"(?<=[^\W\d_])[–‑](?=[^\W\d_])")
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
    ("spacing", _SPACES, _constant(" ")),
    ("spacing", _SUPERSCRIPT, lambda m: m.group(0).translate(_SUPERSCRIPT_TABLE)),
    ("abbreviation", _ABBREVIATION, _abbreviation),
    ("abbreviation", _TITLE, _title),
    ("abbreviation", _PLURAL_NUMBER_ABBREVIATION, _number_abbreviation),
    ("abbreviation", _NUMBER_ABBREVIATION, _number_abbreviation),
    ("ordinal", _ROMAN_ORDINAL, _roman_ordinal),
    ("roman", _MONARCH, _monarch),
    ("roman", _ROMAN_AFTER_WORD, _roman_after_word),
    ("roman", _ROMAN_BEFORE_WORD, _roman_before_word),
    ("date", _NUMERIC_DATE, _numeric_date),
    ("time", _CLOCK, _clock),
    ("time", _HOURS, _hours_only),
    ("range", _RANGE, _range),
    ("slash", _SLASH, _slash),
    ("date", _DATE, _date),
    ("ordinal", _ORDINAL, _ordinal_number),
    ("ordinal", _ENUMERATION, _enumeration),
    ("currency", _CURRENCY_AFTER, _currency),
    ("currency", _CURRENCY_BEFORE, _currency),
    ("percent", _PERCENT, _percent),
    ("unit", _UNIT, _unit),
    ("year", _YEAR, _year),
    ("symbol", _SYMBOL, _symbol),
    ("symbol", _PLUS, _constant(" plus ")),
    ("symbol", _MINUS, _constant(" moins ")),
    ("number", _NUMBER, _number),
    ("cardinal", _CARDINAL, _cardinal_rule),
    ("pause", _QUOTE, _constant(" ")),
    ("pause", _DASH_IN_WORD, _constant("-")),
    ("pause", _DASH, _constant(", ")),
    ("spacing", _SPACES, _constant(" ")),
    ("spacing", _COMMA_RUN, _constant(", ")),
    ("spacing", _COMMA_AFTER_PAUSE, _comma_after_pause),
    ("spacing", _COMMA_BEFORE_PAUSE, _comma_before_pause),
    ("spacing", re.compile(rf"{_SP}+(?=[,.)\]…])"), _constant("")),
    ("spacing", re.compile(rf"\({_SP}+"), _constant("(")),
    ("spacing", re.compile(rf"(?m)^{_SP}+|{_SP}+$"), _constant("")),
)

# ---------------------------------------------------------------- public API


def _glued(written: str, spoken: str, neighbour: str) -> bool:
    """Would `spoken` stick to a neighbouring letter that `written` kept apart?"""
    return neighbour.isalpha() and spoken[:1].isalpha() and not written[:1].isalpha()


def _replacer(name: str, replace: Replace, changes: list[Change] | None) -> Replace:
    """Wrap a rule's replacement: keep it apart from letters around it, record it."""

    def run(m: re.Match[str]) -> str:
        written, spoken = m.group(0), replace(m)
        if spoken == written:
            return spoken
        if changes is not None and name != _UNTRACED:
            changes.append(Change(name, written, spoken.strip()))
        text, start, end = m.string, m.start(), m.end()
        if start and _glued(written, spoken, text[start - 1]):
            spoken = " " + spoken  # "A4" -> "A quatre"
        if end < len(text) and _glued(written[::-1], spoken[::-1], text[end]):
            spoken += " "  # "etc.Puis" -> "et cetera Puis"
        return spoken

    return run


def _apply(text: str, changes: list[Change] | None) -> str:
    for name, pattern, replace in _RULES:
        text = pattern.sub(_replacer(name, replace, changes), text)
    return text


def normalize_traced(text: str) -> tuple[str, list[Change]]:
    """Normalise `text` and list the changes made, in the order they were made."""
    changes: list[Change] = []
    return _apply(text, changes), changes


def normalize(text: str) -> str:
    """Turn written French into the text a TTS engine should read."""
    return _apply(text, None)
