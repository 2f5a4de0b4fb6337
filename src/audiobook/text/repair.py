"""Undo PDF-extraction damage: wrapped lines, page breaks, footnotes, hyphens, spacing,
and mojibake (UTF-8 that was once read as Latin-1/cp1252).

Block-level rules work on lists of lines (a block is a run of non-blank lines);
inline rules are small str -> str functions, each tested with input/output pairs.
``fix_mojibake(text) -> (text, warning or None)`` is for readers: readers.base.decode calls
it on the decoded text (before control characters are stripped: a few cp1252 bytes decode
to them) and shows the warning; repair_text takes text that went through it.
"""

from __future__ import annotations

import re

from .words import zipf

PAGE_NUMBER_RE = re.compile(r"^\s*(?:-\s*)?\d{1,4}(?:\s*-)?\s*$")
FOOTNOTE_START_RE = re.compile(r"^\s*(\d{1,3})\s+(?=[A-ZÀ-ÖØ-Þ«\"(])")
ENDS_SENTENCE_RE = re.compile(r"[.!?…:;»\")\]]\s*$")
STARTS_LOWER_RE = re.compile(r"^\s*[a-zà-öø-ÿœæ]")
# Hyphens a line may end with: hyphen-minus, hyphen (U+2010), non-breaking hyphen
# (U+2011), soft hyphen (U+00AD, which PDF extractors leave where a word was broken).
LINE_END_HYPHENS = "-\u2010\u2011\u00ad"
SOFT_HYPHEN = "\u00ad"
HYPHEN_END_RE = re.compile(rf"([A-Za-zÀ-ÖØ-öø-ÿœŒæÆ]+)([{LINE_END_HYPHENS}])$")
WORD_START_RE = re.compile(r"^([a-zà-öø-ÿœæ]+)")
# "Paris-" then "Lyon-Méditerranée", "1914-" then "1918": a compound cut after its hyphen.
COMPOUND_END_RE = re.compile(rf"(?<=[^\W_])[{LINE_END_HYPHENS}]$")
CAPITAL_OR_DIGIT_START_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ0-9]")
SOFT_HYPHEN_RE = re.compile(SOFT_HYPHEN)
ELISION_RE = re.compile(r"(?<![\w'’.-])(qu|[dljmnstc]) (?=[aeiouyhàâäéèêëîïôöûùüœ][\w])", re.I)
MISSING_SPACE_RE = re.compile(r"(?<=[a-zà-öø-ÿœ])([,;!?])(?=[A-Za-zÀ-ÖØ-öø-ÿœŒ«])")
MISSING_SPACE_DOT_RE = re.compile(r"(?<=[a-zà-öø-ÿœ]{2})\.(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’])")
SPACES_RE = re.compile(r"[ \t\u00a0\u202f\u2009]+")
DIGIT_GROUP_SPACE_RE = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}\b)")


def ends_sentence(text: str) -> bool:
    return bool(ENDS_SENTENCE_RE.search(text))


def starts_lower(text: str) -> bool:
    return bool(STARTS_LOWER_RE.match(text))


def blocks_of(text: str) -> list[list[str]]:
    """Runs of non-blank lines; bare page numbers and form feeds are dropped."""
    blocks: list[list[str]] = [[]]
    for line in text.replace("\f", "\n\n").split("\n"):
        if PAGE_NUMBER_RE.match(line):
            if blocks[-1]:
                blocks.append([])
            continue
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def split_footnotes(blocks: list[list[str]]) -> tuple[list[list[str]], list[tuple[int, str]]]:
    """A block that opens with "N Capitalised..." right after a sentence cut mid-way is a
    footnote from the page foot: take it out and rejoin the sentence around it.
    Each note comes with the index of the block it interrupted."""
    body: list[list[str]] = []
    notes: list[tuple[int, str]] = []
    for block in blocks:
        m = FOOTNOTE_START_RE.match(block[0])
        if body and m and not ends_sentence(body[-1][-1]):
            end = len(block)
            for i in range(1, len(block)):
                if ends_sentence(block[i - 1]) and starts_lower(block[i]):
                    end = i
                    break
            text = unwrap(block[:end])[m.end(1) :].strip()
            notes.append((len(body) - 1, f"Note {m.group(1)}. {text}"))
            if end < len(block):
                body[-1].extend(block[end:])
            continue
        body.append(list(block))
    return body, notes


def join_page_breaks(blocks: list[list[str]]) -> tuple[list[list[str]], list[int]]:
    """A block cut mid-sentence that the next block continues in lower case is one paragraph.
    Also returns, for each input block, the index of the paragraph it ended up in."""
    out: list[list[str]] = []
    where: list[int] = []
    for block in blocks:
        if out and not ends_sentence(out[-1][-1]) and starts_lower(block[0]):
            out[-1].extend(block)
        else:
            out.append(list(block))
        where.append(len(out) - 1)
    return out, where


COMMON_WORD_ZIPF = 2.0


def should_dehyphenate(first: str, second: str) -> bool:
    """ "révolu-|tion" joins; "contre-|révolutionnaires" and "grand-|mère" keep their hyphen:
    join when the joined word is common, or known while a half is not a word at all."""
    joined = zipf((first + second).lower())
    if joined >= COMMON_WORD_ZIPF:
        return True
    return joined > 0 and (zipf(first.lower()) == 0 or zipf(second.lower()) == 0)


def _kept_hyphen(hyphen: str) -> str:
    """The hyphen a joined line keeps: a soft hyphen shows as a plain one."""
    return "-" if hyphen == SOFT_HYPHEN else hyphen


def unwrap(lines: list[str]) -> str:
    """Join wrapped lines; a word hyphenated at a line end is rejoined when the joined
    form is a known word (so "contre-\\nrévolution" keeps its hyphen), and a compound
    cut before a capital or a digit keeps its hyphen without a space ("Paris-\\nLyon").
    Every hyphen of LINE_END_HYPHENS counts."""
    text = ""
    for line in lines:
        line = line.strip()
        if not text:
            text = line
            continue
        hy = HYPHEN_END_RE.search(text)
        nxt = WORD_START_RE.match(line)
        if hy and nxt:
            joined = should_dehyphenate(hy.group(1), nxt.group(1))
            text = text[:-1] + ("" if joined else _kept_hyphen(hy.group(2))) + line
            continue
        if COMPOUND_END_RE.search(text) and CAPITAL_OR_DIGIT_START_RE.match(line):
            text = text[:-1] + _kept_hyphen(text[-1]) + line
            continue
        text += " " + line
    return text


def collapse_spaces(text: str) -> str:
    """Runs of spaces become one; a no-break space between digit groups is kept."""
    text = DIGIT_GROUP_SPACE_RE.sub("\x00", text)
    return SPACES_RE.sub(" ", text).replace("\x00", "\u00a0").strip()


def fix_missing_space(text: str) -> str:
    """ "fondement,la base" -> "fondement, la base"; digits ("3,5") are left alone."""
    text = MISSING_SPACE_RE.sub(r"\1 ", text)
    return MISSING_SPACE_DOT_RE.sub(". ", text)


def restore_elision(text: str) -> str:
    """ "un jeu d enfant" -> "un jeu d'enfant": a lone elidable letter before a vowel."""
    return ELISION_RE.sub(lambda m: m.group(1) + "'", text)


def drop_soft_hyphens(text: str) -> str:
    """A soft hyphen inside a line is invisible: "révo\u00adlution" -> "révolution"."""
    return SOFT_HYPHEN_RE.sub("", text)


INLINE_RULES = (drop_soft_hyphens, collapse_spaces, fix_missing_space, restore_elision)

# UTF-8 read as cp1252 or Latin-1: the lead byte of "é" (C3 A9) shows as "Ã", of "«"
# (C2 AB) as "Â", of "’" (E2 80 99) as "â", of "œ" (C5 93) as "Å", each followed by a
# character that a continuation byte (80-BF) becomes in cp1252.
MOJIBAKE_RE = re.compile(
    "[ÂÃÅâ][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122\u0080-\u009f]"
)
MOJIBAKE_WORD_RE = re.compile(r"\S*" + MOJIBAKE_RE.pattern + r"\S*")


def fix_mojibake(text: str) -> tuple[str, str | None]:
    """Repair UTF-8 that was read as cp1252/Latin-1 ("dÃ©marrage", "Â«"), with ftfy
    (its encoding fixes only: quotes, ligatures, widths and HTML entities are left as
    they are). Returns the text and a one-line warning, or None when nothing was wrong."""
    found = MOJIBAKE_RE.findall(text)
    if not found:
        return text, None
    import ftfy  # imported only for damaged text

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    fixed = ftfy.fix_text(text, config)
    if fixed == text:
        return text, None
    example = MOJIBAKE_WORD_RE.search(text)
    shown = example.group(0) if example else found[0]
    warning = (
        f"the text holds mojibake (UTF-8 once read as Latin-1/cp1252), {len(found)} "
        f"sequence(s) such as “{shown}”; repaired (“{ftfy.fix_text(shown, config)}”)."
    )
    return fixed, warning


def repair_paragraph(text: str) -> str:
    for rule in INLINE_RULES:
        text = rule(text)
    return text


def repair_text(raw: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Raw extracted text (decoded, mojibake repaired) -> (paragraphs, notes as
    (paragraph index, text)), repaired."""
    blocks, notes = split_footnotes(blocks_of(raw))
    blocks, where = join_page_breaks(blocks)
    paragraphs = [repair_paragraph(unwrap(b)) for b in blocks]
    return paragraphs, [(where[i] if i >= 0 else 0, repair_paragraph(n)) for i, n in notes]
