"""Find the words an engine (or a listener) is likely to get wrong, and draft a hints.toml.

``audiobook hints SOURCE`` reads what the book says aloud (after PDF repair: titles,
body, notes) and reports, per distinct word or phrase:

- foreign-phrase: 2+ adjacent words each far more frequent in English/German than in
  French ("Hands off Russia"); a French voice would mangle them, a [[lang]] entry lets
  the engine switch language.
- foreign-name: a capitalised word, rare in French, spelt in a non-French way
  ("Scheidemann": sch, nn$) or much more frequent in English/German ("Dittmann").
- acronym: initials and all-capital words ("S. D.", "C.G.T.", "URSS"): read as a word,
  spelt out or expanded, the engine cannot know which.
- rare: rare in French (word frequency), and so is its whole family: an engine reads
  "offrions" like "offrir" and "soviétiste" like "soviétique", so an inflected or
  derived form of a common word is not reported (see FAMILY_ENDINGS); what is left is
  a word whose spelling no common word vouches for.
- unexpanded: a digit or symbol (%, &, §, °, n°...) that normalize() left in, or a
  character it dropped as "unhandled": an engine reads these badly, so it is a
  normaliser bug to report.

Words the book's hints.toml already covers, and words the normaliser rewrites (numbers,
"Mme", "N.B.", roman numerals), are not reported. Frequencies come from wordfreq's
Zipf scale: log10 of occurrences per billion words (3.0 = once per million words).

Public API: find_hints(source_path) -> findings; format_findings(findings, limit) -> a
table for the terminal; starter_toml(findings) -> hints.toml text to review;
write_starter(path, findings) writes it without ever overwriting a file. All raise
InputError (a usage error) for what the user must fix. The CLI command is, in short:

    findings = find_hints(source)            # SOURCE: a text/Markdown file or book.toml
    click.echo(format_findings(findings, limit))   # --limit N, default DEFAULT_LIMIT
    if write is not None:                    # --write hints.toml
        write_starter(write, findings)
"""

from __future__ import annotations

import functools
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import InputError
from .model import Document
from .readers import read_source
from .text.chapters import build_document, reading_order
from .text.chunk import split_sentences
from .text.lexicon import Lexicon, load_lexicon
from .text.normalize import UNHANDLED, normalize_traced, speakable
from .text.words import zipf

Kind = Literal["unexpanded", "foreign-phrase", "foreign-name", "acronym", "rare"]

# Report order: a normaliser leftover is a bug; then what an engine gets wrong for sure.
KIND_ORDER: tuple[Kind, ...] = ("unexpanded", "foreign-phrase", "foreign-name", "acronym", "rare")

RARE_MAX_ZIPF_FR = 2.0  # below: under once per 10 million French words -> "rare"
NAME_MAX_ZIPF_FR = 2.5  # a capitalised word below this may be a foreign name
NAME_MARGIN_ZIPF = 1.0  # en/de frequency this far above fr (10x) marks a name as foreign
PHRASE_MARGIN_ZIPF = 1.5  # each word of a foreign phrase: en/de this far above fr (~30x)
MIN_WORD_LETTERS = 3  # shorter words are left out (spec: words of 1-2 letters)
MIN_ACRONYM_LETTERS = 2  # "SD" is an acronym, "A" is a word
MIN_PHRASE_WORDS = 2  # a lone foreign word is a name or a rare word, not a phrase
FOREIGN_LANGS: tuple[str, ...] = ("en", "de")  # languages a phrase or name is compared with
CONTEXT_MAX_CHARS = 80  # context line: the sentence, cut to about this many characters
WORD_CACHE_ENTRIES = 1 << 17  # distinct words kept; a 1 MB book has ~30k
TEXT_COLUMN_MAX_CHARS = 32  # format_findings: longer words/phrases are cut in the table
DEFAULT_LIMIT = 40  # format_findings: rows shown unless told otherwise (for the CLI)

# Spellings French does not use (checked on the lower-cased word): German "sch", "nn$",
# "tt" before a consonant, "ff$"; w, k, "th" inside a word; letters outside French.
FOREIGN_SPELLING_RE = re.compile(
    r"sch|nn$|tt(?![aeiouyàâéèêëîïôûœ])|ff$|w|k|(?<=\w)th|cz|sz|tz|cht|ck|gh|aa|ee|oo|v$"
    r"|[^a-zàâæçéèêëîïôœùûÿ'’-]"
)
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A French elided article/pronoun glued to the word: "l'Allemagne", "jusqu'à".
ELISION_RE = re.compile(r"(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]", re.I)
# "S. D.", "C.G.T.", "C.G.T": two or more single capitals each followed by a dot.
DOTTED_INITIALS_RE = re.compile(r"(?<![\w.])[A-ZÀ-Þ]\.(?:[ \u00a0\u202f]?[A-ZÀ-Þ]\.)+(?!\w)")
DOTTED_INITIALS_NO_FINAL_DOT_RE = re.compile(r"(?<![\w.])[A-Z](?:\.[A-Z])+(?![\w.])")
ROMAN_RE = re.compile(
    r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
    r"(?:e|er|re|es|ers|res|ème|èmes|ᵉ|ᵉʳ)?"
)
PHRASE_GAP_RE = re.compile(r"[ \u00a0\u202f]+|-")  # what may separate words of one phrase
# Before a word, these mean it starts a sentence or a quotation (a capital is expected).
OPENERS = '«“"(—–-:[.!?…'
# Characters an engine reads badly if the normaliser leaves them: digits of any script
# (including ² and ₂), and the symbols it is meant to expand.
LEFTOVER_SYMBOLS = "%&§°‰€$£"
LEFTOVER_RE = re.compile(
    r"[\d\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u2079\u2080-\u2089\u2150-\u218b"
    r"\u2460-\u249b\u2776-\u2793" + re.escape(LEFTOVER_SYMBOLS) + "]"
)
# Characters that may be neither speakable nor read by a rule: not plain French letters,
# pauses, nor the quotes and dashes the normaliser turns into pauses.
UNSPEAKABLE_CANDIDATE_RE = re.compile(r"[^\sa-zA-ZÀ-ÖØ-öø-ÿœŒ.,;:!?…()'’«»“”„‹›\"—–―‐‑\[\]-]")
TOKEN_PUNCTUATION = ",;:.!?…()[]«»\"“”'’"
MASK = "\ufffc"  # stands in for text already covered (book hints, initials): not a letter


@dataclass(frozen=True)
class Finding:
    """One word or phrase to review, with what to put in hints.toml for it."""

    text: str  # as written in the book (the most frequent spelling)
    kind: Kind
    count: int  # occurrences in the text, not counting those the book's hints cover
    context: str  # the first sentence it is in, cut to about CONTEXT_MAX_CHARS
    lang: str = ""  # likely language ("en", "de") of a foreign phrase or name
    case_sensitive: bool = True  # rare words match at a sentence start too

    @property
    def suggestion(self) -> str:
        """The entry to add, on one line (for the table)."""
        if self.kind == "foreign-phrase":
            return f"[[lang]] lang = {_toml_str(self.lang)}"
        flags = "" if self.case_sensitive else ", case_sensitive = false"
        return f"[[word]] say = ?{flags}"

    def entry(self) -> str:
        """The hints.toml entry, after a comment with the kind, count and context. A
        [[word]] gets a placeholder `say` (the text itself, marked TODO) because
        load_lexicon requires one; a [[lang]] gets its language, `say` commented out."""
        head = f"# {self.kind}, {self.count}x" + (f", likely {self.lang}" if self.lang else "")
        lines = [f"{head}: {_comment(self.context)}"]
        if self.kind == "foreign-phrase":
            lines += [
                "[[lang]]",
                f"text = {_toml_str(self.text)}",
                f"lang = {_toml_str(self.lang)}  # TODO: check the language",
                f"# say = {_toml_str(self.text)}  # for engines without {self.lang}: a "
                "French respelling",
            ]
        else:
            lines += [
                "[[word]]",
                f"text = {_toml_str(self.text)}",
                f"say = {_toml_str(self.text)}  # TODO: French respelling (or add phonemes)",
            ]
            if not self.case_sensitive:
                lines.append("case_sensitive = false")
        return "\n".join(lines)


# ---------------------------------------------------------------- word frequencies


def _key(word: str) -> str:
    return word.lower().replace("’", "'")


@functools.lru_cache(maxsize=WORD_CACHE_ENTRIES)
def _foreign_margins(word: str) -> tuple[float, ...]:
    """How much more frequent (in Zipf units) the word is in each of FOREIGN_LANGS."""
    fr = zipf(word, "fr")
    return tuple(zipf(word, lang) - fr for lang in FOREIGN_LANGS)


def _likely_language(word: str, margin: float) -> str:
    """The foreign language where the word is at least `margin` more frequent, or ""."""
    margins = _foreign_margins(word)
    best = max(range(len(FOREIGN_LANGS)), key=lambda i: margins[i])
    return FOREIGN_LANGS[best] if margins[best] >= margin else ""


# ---------------------------------------------------------------- word families

# A word's family, for the rare check: (ending, the endings that replace it in other
# members of the family). An inflected verb, adjective or noun gives its lemma and its
# other forms ("offrions" -> offrir, "oubliâmes" -> oublier, "dît" -> dit, "poltronne"
# -> poltron); a derived word its neighbours ("soviétiste" -> soviétique, "giration" ->
# giratoire). Two steps are taken ("soviétistes" -> soviétiste -> soviétique); every
# ending that matches is tried. The endings are the regular ones of French grammar
# (Grevisse, Le Bon Usage: conjugation tables, feminine and plural of nouns and
# adjectives, the productive suffixes -iste, -isme, -ique, -ation, -ement, -eur).
FAMILY_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # passé simple and imperfect subjunctive
    ("âmes", ("er", "a")), ("âtes", ("er", "a")), ("èrent", ("er", "a")),
    ("îmes", ("ir", "re", "it", "i")), ("îtes", ("ir", "re", "it", "i")),
    ("irent", ("ir", "re", "it", "i")), ("ûmes", ("oir", "re", "ut", "u")),
    ("ûtes", ("oir", "re", "ut", "u")), ("urent", ("oir", "re", "ut", "u")),
    ("ât", ("a", "er")), ("ît", ("it", "ir", "ire", "re")), ("ût", ("ut", "u", "oir", "re")),
    ("assions", ("er",)), ("assiez", ("er",)), ("assent", ("er",)), ("asses", ("er",)),
    ("asse", ("er",)), ("issions", ("ir", "re")), ("issiez", ("ir", "re")),
    ("issent", ("ir", "re", "it")), ("isses", ("ir", "re")), ("isse", ("ir", "re", "it")),
    ("ussions", ("oir", "re", "u")), ("ussent", ("oir", "re", "u")), ("usse", ("oir", "re", "u")),
    # second group (finir: finissons, finissaient)
    ("issaient", ("ir",)), ("issait", ("ir",)), ("issais", ("ir",)), ("issons", ("ir",)),
    ("issez", ("ir",)), ("issant", ("ir",)),
    # future and conditional
    ("eraient", ("er",)), ("erions", ("er",)), ("eriez", ("er",)), ("erais", ("er",)),
    ("erait", ("er",)), ("erons", ("er",)), ("eront", ("er",)), ("erez", ("er",)),
    ("erai", ("er",)), ("eras", ("er",)), ("era", ("er",)),
    ("iraient", ("ir",)), ("irions", ("ir",)), ("irais", ("ir",)), ("irait", ("ir",)),
    ("irons", ("ir",)), ("iront", ("ir",)), ("irez", ("ir",)), ("irai", ("ir",)),
    ("raient", ("re",)), ("rions", ("re",)), ("rais", ("re",)), ("rait", ("re",)),
    ("rons", ("re",)), ("ront", ("re",)), ("rai", ("re",)),
    # imperfect, present, participles
    ("aient", ("er", "ir", "re", "e")), ("ait", ("er", "ir", "re", "e")),
    ("ais", ("er", "ir", "re", "e")), ("ions", ("er", "ir", "re", "oir", "e")),
    ("iez", ("er", "ir", "re", "e")), ("ons", ("er", "ir", "re", "e")),
    ("ez", ("er", "ir", "re", "e")), ("ent", ("er", "ir", "re", "e")),
    ("antes", ("ant", "er", "ir", "re")), ("ante", ("ant", "er", "ir", "re")),
    ("ants", ("ant", "er", "ir", "re")), ("ant", ("er", "ir", "re", "e")),
    ("ées", ("er", "é")), ("ée", ("er", "é")), ("és", ("er", "é")), ("é", ("er",)),
    ("ies", ("ir", "i", "ie")), ("ie", ("ir", "i")), ("is", ("ir", "i", "re")),
    ("ues", ("re", "oir", "u")), ("ue", ("re", "oir", "u")), ("us", ("re", "oir", "u")),
    ("ites", ("it", "ire")), ("ite", ("it", "ire")), ("its", ("it", "ire")),
    ("ises", ("is", "ir", "re")), ("ise", ("is", "ir", "re")),
    # feminine and plural of nouns and adjectives
    ("onnes", ("on",)), ("onne", ("on",)), ("ennes", ("en",)), ("enne", ("en",)),
    ("ettes", ("et",)), ("ette", ("et",)), ("elles", ("el", "eau")), ("elle", ("el", "eau")),
    ("euses", ("eur", "eux")), ("euse", ("eur", "eux")), ("rices", ("eur",)),
    ("rice", ("eur",)), ("ives", ("if",)), ("ive", ("if",)), ("ères", ("er",)),
    ("ère", ("er",)), ("eaux", ("eau",)), ("aux", ("al", "ail")), ("es", ("e", "")),
    ("s", ("",)), ("x", ("",)), ("e", ("",)),
    # derivation
    ("istes", ("isme", "ique", "iste")), ("iste", ("isme", "ique", "e", "")),
    ("ismes", ("isme",)), ("isme", ("iste", "ique", "e", "")), ("ique", ("isme", "iste", "")),
    ("ations", ("ation",)), ("ation", ("er", "atoire", "ateur", "atif", "ant")),
    ("ateurs", ("ateur",)), ("ateur", ("ation", "er")), ("atrice", ("ation", "ateur", "er")),
    ("ements", ("ement",)), ("ement", ("er", "e", "é", "")), ("ment", ("",)),
    ("eurs", ("eur",)), ("eur", ("er", "ir", "re")), ("ages", ("age",)), ("age", ("er",)),
    ("ables", ("able",)), ("able", ("er",)), ("ibles", ("ible",)), ("ible", ("ir", "re")),
    ("ités", ("ité",)), ("ité", ("e", "")), ("eries", ("erie",)), ("erie", ("er", "")),
    ("esses", ("esse",)), ("esse", ("e", "")), ("ures", ("ure",)), ("ure", ("er", "ir")),
)  # fmt: skip
FAMILY_STEPS = 2  # an inflection, then a derivation
FAMILY_MIN_STEM = 1  # "dît" -> "d" + "it"


def _family(word: str) -> set[str]:
    """Other members of the word's family, as FAMILY_ENDINGS builds them."""
    forms: set[str] = set()
    frontier = {word}
    for _ in range(FAMILY_STEPS):
        found: set[str] = set()
        for form in frontier:
            for ending, replacements in FAMILY_ENDINGS:
                if form.endswith(ending) and len(form) - len(ending) >= FAMILY_MIN_STEM:
                    stem = form[: len(form) - len(ending)]
                    found.update(stem + r for r in replacements)
        frontier = found - forms - {word}
        forms |= frontier
    return forms


@functools.lru_cache(maxsize=WORD_CACHE_ENTRIES)
def family_zipf(word: str) -> float:
    """The Zipf frequency of the word's most frequent relative (0 when it has none)."""
    return max((zipf(form, "fr") for form in _family(word)), default=0.0)


# ---------------------------------------------------------------- scanning


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    at_start: bool  # first word of the sentence or of a quotation
    near_digit: bool  # "1er", "XIXe" after a number: the normaliser's business


@dataclass
class _Tally:
    """Occurrences of one finding so far."""

    kind: Kind
    count: int = 0
    context: str = ""
    lang: str = ""
    mid_sentence: bool = False  # seen at least once away from a sentence start
    order: int = 0  # first-seen rank, for stable output


@dataclass
class _Scan:
    """What the whole book has shown so far, keyed by kind and text."""

    tallies: dict[tuple[str, str], _Tally] = field(default_factory=dict)

    def add(
        self, kind: Kind, text: str, context: str, lang: str = "", at_start: bool = False
    ) -> None:
        tally = self.tallies.get((kind, text))
        if tally is None:
            tally = _Tally(kind, context=context, lang=lang, order=len(self.tallies))
            self.tallies[(kind, text)] = tally
        tally.count += 1
        tally.mid_sentence = tally.mid_sentence or not at_start


def _hint_patterns(lexicon: Lexicon) -> list[re.Pattern[str]]:
    """The book's entries, longest first as Lexicon applies them."""
    return [e.pattern() for e in sorted(lexicon.entries, key=lambda e: -len(e.text))]


def _mask(sentence: str, hints: Sequence[re.Pattern[str]]) -> str:
    """Blank out what the book's hints already cover, keeping every offset."""
    for rx in hints:
        sentence = rx.sub(lambda m: MASK * len(m.group(0)), sentence)
    return sentence


def _starts_sentence(text: str, pos: int) -> bool:
    """Is the word at `pos` the first of the sentence or of a quotation? ("Est-ce",
    "Jean-Baptiste": after a joining hyphen it is not.)"""
    if pos > 0 and text[pos - 1] == "-" and pos > 1 and text[pos - 2].isalpha():
        return False
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in OPENERS


def _tokens(text: str) -> list[_Token]:
    """Words with their offsets; an elided "l'", "d'", "jusqu'" is dropped from the word."""
    tokens: list[_Token] = []
    for m in WORD_RE.finditer(text):
        word, start = m.group(0), m.start()
        elided = ELISION_RE.match(word)
        if elided and elided.end() < len(word):
            word, start = word[elided.end() :], start + elided.end()
        at_start = _starts_sentence(text, m.start())
        near_digit = (
            (m.start() > 0 and text[m.start() - 1].isdigit())
            or (m.end() < len(text) and text[m.end()].isdigit())
            # "H₂O": \w takes ² and ₂ for letters
            or not word.replace("'", "").replace("’", "").isalpha()
        )
        tokens.append(_Token(word, start, m.end(), at_start, near_digit))
    return tokens


def _foreign_runs(tokens: Sequence[_Token], text: str) -> list[tuple[int, int, str]]:
    """(first, last token index, language) of runs of adjacent words that are each far
    more frequent in one foreign language than in French."""
    margins = [_foreign_margins(_key(tok.text)) for tok in tokens]
    runs: list[tuple[int, int, str, float]] = []
    for n, lang in enumerate(FOREIGN_LANGS):
        first, total = -1, 0.0
        for i, tok in enumerate([*tokens, None]):
            margin = margins[i][n] if tok else 0.0
            joined = (
                tok is not None
                and first >= 0
                and PHRASE_GAP_RE.fullmatch(text[tokens[i - 1].end : tok.start]) is not None
            )
            if tok is not None and margin >= PHRASE_MARGIN_ZIPF and (joined or first < 0):
                first = i if first < 0 else first
                total += margin
                continue
            if first >= 0 and i - first >= MIN_PHRASE_WORDS:
                runs.append((first, i - 1, lang, total))
            first, total = -1, 0.0
            if tok is not None and margin >= PHRASE_MARGIN_ZIPF:  # starts a new run
                first, total = i, margin
    # Longest first, then the language the words lean to most; runs never overlap.
    runs.sort(key=lambda r: (r[0] - r[1], -r[3], r[0]))
    chosen: list[tuple[int, int, str]] = []
    for first, last, lang, _ in runs:
        if all(last < a or b < first for a, b, _l in chosen):
            chosen.append((first, last, lang))
    return sorted(chosen)


@functools.lru_cache(maxsize=WORD_CACHE_ENTRIES)
def _whole(text: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(w) for w in text.split()).replace("'", "['’]")
    return re.compile(rf"(?<![\w.]){body}(?!\w)")


def _survives(text: str, spoken: str) -> bool:
    """Is `text` still in the normaliser's output? (If not, the normaliser handles it.)"""
    return _whole(text).search(spoken) is not None


def _context(sentence: str, start: int, end: int) -> str:
    """The sentence around [start, end), cut at word boundaries to ~CONTEXT_MAX_CHARS."""
    if len(sentence) > CONTEXT_MAX_CHARS:
        lo = max(0, (start + end - CONTEXT_MAX_CHARS) // 2)
        hi = min(len(sentence), lo + CONTEXT_MAX_CHARS)
        lo = max(0, min(lo, hi - CONTEXT_MAX_CHARS, start))
        hi = max(hi, end)
        if lo > 0:
            space = sentence.find(" ", lo, start)
            lo = space + 1 if space >= 0 else lo
        if hi < len(sentence):
            space = sentence.rfind(" ", end, hi + 1)
            hi = space if space >= 0 else hi
        cut = sentence[lo:hi].strip()
        sentence = ("…" if lo > 0 else "") + cut + ("…" if hi < len(sentence) else "")
    return " ".join(sentence.replace(MASK, " ").split())


def _is_caps_sentence(text: str) -> bool:
    """A heading or shouted line in capitals: its all-capital words are not acronyms."""
    upper = sum(1 for c in text if c.isupper())
    lower = sum(1 for c in text if c.islower())
    return upper > lower


def _scan_sentence(sentence: str, hints: Sequence[re.Pattern[str]], scan: _Scan) -> None:
    covered = _mask(sentence, hints)  # what reaches the normaliser
    masked = covered  # and, for the word scan, without the initials found first
    # (kind, text, start, end, lang, at_start): candidates before the normaliser check.
    hits: list[tuple[Kind, str, int, int, str, bool]] = []
    for rx in (DOTTED_INITIALS_RE, DOTTED_INITIALS_NO_FINAL_DOT_RE):
        for m in rx.finditer(masked):
            hits.append(("acronym", " ".join(m.group(0).split()), m.start(), m.end(), "", False))
            masked = masked[: m.start()] + MASK * (m.end() - m.start()) + masked[m.end() :]
    tokens = _tokens(masked)
    in_phrase: set[int] = set()
    for first, last, lang in _foreign_runs(tokens, masked):
        start, end = tokens[first].start, tokens[last].end
        text = " ".join(masked[start:end].split())
        hits.append(("foreign-phrase", text, start, end, lang, tokens[first].at_start))
        in_phrase.update(range(first, last + 1))
    caps_sentence: bool | None = None  # computed at the first all-capital word
    for i, tok in enumerate(tokens):
        if i in in_phrase or tok.near_digit or ROMAN_RE.fullmatch(tok.text):
            continue
        letters = len(tok.text) - tok.text.count("'") - tok.text.count("’")
        acronym = tok.text.isupper() and letters >= MIN_ACRONYM_LETTERS
        if acronym and caps_sentence is None:
            caps_sentence = _is_caps_sentence(masked)
        if acronym and not caps_sentence:
            hits.append(("acronym", tok.text, tok.start, tok.end, "", tok.at_start))
        elif letters >= MIN_WORD_LETTERS and zipf(_key(tok.text), "fr") < NAME_MAX_ZIPF_FR:
            # Rare or foreign-name: decided once the whole book is seen (see _findings).
            hits.append(("rare", tok.text, tok.start, tok.end, "", tok.at_start))
    leftovers = LEFTOVER_RE.search(covered) is not None or any(
        not speakable(m.group(0)) for m in UNSPEAKABLE_CANDIDATE_RE.finditer(covered)
    )
    if not hits and not leftovers:
        return
    spoken, changes = normalize_traced(covered)
    for kind, text, start, end, lang, at_start in hits:
        if _survives(text, spoken):
            scan.add(kind, text, _context(sentence, start, end), lang, at_start)
    if leftovers:
        _scan_leftovers(sentence, spoken, scan)
        for change in changes:
            if change.rule == UNHANDLED and change.written.strip(MASK + " "):
                written = change.written.strip()
                where = sentence.find(written)
                start, end = (where, where + len(written)) if where >= 0 else (0, 0)
                scan.add("unexpanded", written, _context(sentence, start, end))


def _scan_leftovers(sentence: str, spoken: str, scan: _Scan) -> None:
    """Report each whitespace-separated piece of normalize() output that still holds a
    digit or a symbol; its context is found in the written sentence when it is there."""
    for piece in re.split(rf"[\s{MASK}]+", spoken):  # never a piece of a hint
        piece = piece.strip(TOKEN_PUNCTUATION) or piece
        elided = ELISION_RE.match(piece)
        piece = piece[elided.end() :] if elided and elided.end() < len(piece) else piece
        if LEFTOVER_RE.search(piece):
            where = sentence.find(piece)
            start, end = (where, where + len(piece)) if where >= 0 else (0, 0)
            scan.add("unexpanded", piece, _context(sentence, start, end))


def _spoken_sentences(doc: Document) -> Iterable[str]:
    """Everything read aloud, sentence by sentence, as the chunker splits it."""
    for index in range(len(doc.chapters)):
        for para in reading_order(doc, index):
            yield from [para.text] if para.kind == "title" else split_sentences(para.text)


def _findings(scan: _Scan) -> list[Finding]:
    """Turn tallies into findings: decide name or rare now that every use of a
    capitalised word is known, and merge a rare word's spellings ("Giration", "giration")."""
    out: list[tuple[int, Finding]] = []
    rare: dict[str, list[tuple[str, _Tally]]] = {}
    for (_, text), t in scan.tallies.items():
        if t.kind != "rare":
            out.append((t.order, Finding(text, t.kind, t.count, t.context, t.lang)))
            continue
        word = _key(text)
        fr = zipf(word, "fr")
        lang = _likely_language(word, NAME_MARGIN_ZIPF)
        name_like = text[0].isupper() and (t.mid_sentence or fr < RARE_MAX_ZIPF_FR)
        foreign = lang or FOREIGN_SPELLING_RE.search(word)
        if name_like and fr < NAME_MAX_ZIPF_FR and foreign:
            out.append((t.order, Finding(text, "foreign-name", t.count, t.context, lang)))
        elif fr < RARE_MAX_ZIPF_FR and family_zipf(word) < RARE_MAX_ZIPF_FR:
            rare.setdefault(word, []).append((text, t))
    for spellings in rare.values():
        # The most used spelling; on a tie the lower-case one (a capital may be a start).
        text, _ = max(spellings, key=lambda s: (s[1].count, s[0].islower(), -s[1].order))
        first = min((t for _, t in spellings), key=lambda t: t.order)
        count = sum(t.count for _, t in spellings)
        out.append((first.order, Finding(text, "rare", count, first.context, case_sensitive=False)))
    findings = [f for _, f in sorted(out, key=lambda p: p[0])]
    return sorted(findings, key=lambda f: (KIND_ORDER.index(f.kind), -f.count))


def find_hints(source_path: Path) -> list[Finding]:
    """Words and phrases of a text file or book.toml that an engine may misread.

    Reads what the book says aloud after PDF repair; for a book.toml with `hints = ...`,
    whatever that file already covers is skipped. Sorted by kind (KIND_ORDER: unexpanded,
    foreign-phrase, foreign-name, acronym, rare), then most frequent first, then in order
    of appearance. Raises InputError when the source or its hints cannot be read.
    """
    source = read_source(source_path)
    hints = _hint_patterns(load_lexicon(source.hints_path))
    doc = build_document(source)
    scan = _Scan()
    for sentence in _spoken_sentences(doc):
        _scan_sentence(sentence, hints, scan)
    return _findings(scan)


# ---------------------------------------------------------------- output


def format_findings(findings: Sequence[Finding], limit: int | None = DEFAULT_LIMIT) -> str:
    """A table for the terminal: kind, count, text, suggested entry, then the context on
    its own line. Shows the first `limit` findings (None or 0: all) and says how many
    more there are, so a long book does not flood the screen."""
    if not findings:
        return "No word or phrase likely to be misread was found."
    shown = list(findings if not limit or limit <= 0 else findings[:limit])
    texts = [_cut(f.text, TEXT_COLUMN_MAX_CHARS) for f in shown]
    kind_w = max(len("kind"), *(len(f.kind) for f in shown))
    count_w = max(len("count"), *(len(str(f.count)) for f in shown))
    text_w = max(len("text"), *(len(t) for t in texts))
    indent = " " * (kind_w + count_w + 4)
    lines = [
        f"{'kind':<{kind_w}}  {'count':>{count_w}}  {'text':<{text_w}}  suggested entry",
    ]
    for f, text in zip(shown, texts, strict=True):
        lang = f" ({f.lang}?)" if f.lang and f.kind == "foreign-name" else ""
        lines.append(
            f"{f.kind:<{kind_w}}  {f.count:>{count_w}}  {text:<{text_w}}  {f.suggestion}{lang}"
        )
        lines.append(f"{indent}“{f.context}”")
    hidden = len(findings) - len(shown)
    summary = f"{len(findings)} finding(s)"
    if hidden:
        summary += f"; {hidden} more not shown (raise --limit to see them)"
    return "\n".join([*lines, "", summary + "."])


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def starter_toml(findings: Sequence[Finding]) -> str:
    """A hints.toml draft: one entry per finding, each `say` a placeholder (the text
    itself) marked TODO. It loads with load_lexicon as is: [[word]] entries read as
    before until someone writes the respellings; [[lang]] entries already switch the
    language where the engine can (their French `say` is left commented out)."""
    header = [
        "# Pronunciation hints generated by `audiobook hints`. REVIEW BEFORE USE:",
        "# every `say` below is a placeholder (the word itself), marked TODO. Replace it with",
        '# a French respelling ("Dite-mane"), or add `phonemes` for espeak, and delete the',
        "# entries that read well already. [[lang]] entries are spoken in that language by",
        '# engines that can; check the language. See README: "Pronunciation hints".',
    ]
    if not findings:
        header.append("# Nothing to review was found.")
    return "\n\n".join(["\n".join(header), *(f.entry() for f in findings)]) + "\n"


def write_starter(path: Path, findings: Sequence[Finding]) -> None:
    """Write starter_toml(findings) to `path`, never over an existing file (it may hold
    reviewed respellings): through a temporary file and os.replace, so a crash leaves
    either nothing or the whole file. Raises InputError if `path` exists or on I/O errors."""
    if path.exists() or path.is_symlink():
        raise InputError(f"{path} exists; not overwriting it. Remove it or choose another path.")
    data = starter_toml(findings).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}.") from None


# ---------------------------------------------------------------- TOML text


def _toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset TOML accepts)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")  # TOML bans DEL


def _comment(text: str) -> str:
    """Text safe inside a TOML comment: one line, no control characters."""
    return "".join(c if c.isprintable() else " " for c in text)
