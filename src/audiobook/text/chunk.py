"""Paragraphs -> sentences -> chunks that fit the engine, each with the pause that follows it.

Text is cut where it costs least: as few pieces (engine requests) as the spoken-length
limit allows, each cut at the best boundary it can take: sentence end, then ; : — , then
a comma, then a space; never inside a word, a number or a lexicon entry, never after an
abbreviation or an initial.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace

from ..model import Break, Chunk

CLAUSE_PAUSE_MS = 300
COMMA_PAUSE_MS = 150
SENTENCE_PAUSE_MS = 550
PARAGRAPH_PAUSE_MS = 1000
CHAPTER_PAUSE_MS = 2500
HEAD_ROOM_TONE_MS = 750

# Tokens after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "M",
        "MM",
        "Mme",
        "Mmes",
        "Mlle",
        "Mlles",
        "Dr",
        "Pr",
        "St",
        "Ste",
        "cf",
        "p",
        "pp",
        "vol",
        "t",
        "env",
        "av",
        "apr",
        "ex",
        "éd",
        "chap",
        "art",
        "fig",
        "c.-à-d",
        "Cie",
        "Me",
        "Mgr",
        "No",
        "n°",
        # References and addresses (Lexique des règles typographiques de l'Imprimerie
        # nationale): alinéa, siècle/seconde, et suivante(s), boulevard, place, recto,
        # opus/op. cit., idem, ibidem, traduction, veuve, versus.
        "al",
        "s",
        "sq",
        "sqq",
        "bd",
        "pl",
        "r",
        "op",
        "id",
        "ibid",
        "trad",
        "Vve",
        "vs",
    ]
)
SENTENCE_END_RE = re.compile(r"([.!?…]+[»\")\]]*)(\s+)(?=[«\"(—–-]?\s*[A-ZÀ-ÖØ-Þ0-9«\"(—–])")
TOKEN_BEFORE_RE = re.compile(r"(\S+)$")
CLAUSE_CHARS = ";:—–"
SPACES_RE = re.compile(r"\s*")


@dataclass(frozen=True)
class Pauses:
    """Silence after each kind of boundary, in ms (clause < sentence < paragraph < chapter)."""

    comma_ms: int = COMMA_PAUSE_MS
    clause_ms: int = CLAUSE_PAUSE_MS
    sentence_ms: int = SENTENCE_PAUSE_MS
    paragraph_ms: int = PARAGRAPH_PAUSE_MS
    chapter_ms: int = CHAPTER_PAUSE_MS
    head_ms: int = HEAD_ROOM_TONE_MS

    @classmethod
    def names(cls) -> list[str]:
        return [f.name.removesuffix("_ms") for f in fields(cls)]

    def with_overrides(self, overrides: dict[str, int]) -> Pauses:
        unknown = sorted(set(overrides) - set(self.names()))
        if unknown:
            raise ValueError(f"unknown pause '{unknown[0]}' (known: {', '.join(self.names())})")
        return replace(self, **{f"{k}_ms": v for k, v in overrides.items()})


def _is_abbreviation(before: str) -> bool:
    m = TOKEN_BEFORE_RE.search(before)
    if not m:
        return False
    token = re.split(r"['’]", m.group(1).rstrip(".").lstrip('«("'))[-1]  # l'art. -> art
    # A single capital is an initial ("S. D."), never a sentence end; "Ibid." and "Art."
    # open sentences capitalised.
    known = token in ABBREVIATIONS or token.lower() in ABBREVIATIONS
    return known or bool(re.fullmatch(r"[A-ZÀ-Þ]|[A-Z]\.-?[A-Z]", token))


def split_sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in SENTENCE_END_RE.finditer(paragraph):
        if m.group(1) == "." and _is_abbreviation(paragraph[: m.start()]):
            continue
        sentences.append(paragraph[start : m.end(1)].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def _cut_candidates(text: str, protected: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(position, priority) of each space where a cut may go; the cut keeps the space out."""
    for m in re.finditer(r" +", text):
        pos, end = m.start(), m.end()
        if pos == 0 or end >= len(text):
            continue
        if any(a < pos < b for a, b in protected):
            continue
        before, after = text[max(0, pos - 40) : pos], text[end : end + 1]
        prev_char, next_char = before[-1], after[0]
        if prev_char.isdigit() and (next_char.isdigit() or not next_char.isalpha()):
            continue
        if next_char in "%€$£°§»!?;:,.)":
            continue
        if prev_char in "«(" or (prev_char == "." and _is_abbreviation(before)):
            continue
        if prev_char in CLAUSE_CHARS or next_char in "—–" or prev_char in ".!?…»":
            priority = 3
        elif prev_char == ",":
            priority = 2
        else:
            priority = 1
        yield pos, priority


# What a cut costs, in requests: a sentence end is free, a cut between two words almost
# costs a request of its own (the engine's intonation falls at the end of each request).
CUT_COST = {4: 0.0, 3: 0.2, 2: 0.4, 1: 0.9, 0: 0.9}


def _hard_pieces(text: str, a: int, b: int, fits: Callable[[str], bool]) -> list[int]:
    """Cut positions inside text[a:b] (one word longer than the limit), each latest that fits."""
    cuts = []
    while not fits(text[a:b]):
        lo, hi = a + 1, b  # text[a:lo] fits (one character always does), text[a:hi] does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if fits(text[a:mid]) else (lo, mid)
        cuts.append(lo)
        a = lo
    return cuts


class _Atoms:
    """A text measured once, in atoms (the stretches between two possible cuts); a piece
    is sized by its atoms' spoken lengths and then measured whole. A piece longer whole than
    in atoms (a rule reading across a cut) is ruled out and the cuts are chosen again.
    Linear in the text, however long the paragraph."""

    def __init__(
        self, text: str, max_chars: int, measure: Callable[[str], int],
        cands: list[tuple[int, int]], first: int, last: int,
    ) -> None:  # fmt: skip
        self.text, self.max_chars, self.measure, self.cands = text, max_chars, measure, cands
        self.starts = [first] + [SPACES_RE.match(text, pos).end() for pos, _ in cands]  # type: ignore[union-attr]
        self.ends = [pos for pos, _ in cands] + [last]
        self.n = len(self.starts)
        # Cached per instance (a cache on the class would keep every text alive).
        self.exact = functools.cache(self._exact)
        self.hard = functools.cache(self._hard)
        self.prefix = [0]
        for a, b in zip(self.starts, self.ends, strict=True):
            self.prefix.append(self.prefix[-1] + self.exact(a, b))
        self.too_long: dict[int, int] = {}  # first atom i -> least last atom j found too long
        self.costs = [CUT_COST[priority] for _, priority in cands] + [0.0]  # of the cut after j

    def _exact(self, a: int, b: int) -> int:
        return self.measure(self.text[a:b].strip())

    def fits(self, piece: str) -> bool:
        return self.measure(piece.strip()) <= self.max_chars

    def _hard(self, a: int, b: int) -> list[int]:
        return _hard_pieces(self.text, a, b, self.fits)

    def cut_cost(self, j: int) -> float:
        return self.costs[j]

    def reach(self, i: int) -> int:
        """The last atom a piece from atom i may end with (i - 1: atom i alone is too long)."""
        limit = self.max_chars + self.prefix[i] + i  # prefix[j + 1] + j <= limit
        lo, hi = i, min(self.n, self.too_long.get(i, self.n))  # i..lo-1 fit; hi may not
        while lo < hi:
            mid = (lo + hi) // 2
            if self.prefix[mid + 1] + mid <= limit:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def choose(self) -> list[tuple[int, int]]:
        """(first atom, last atom) of each piece, at the least requests + cut cost."""
        n = self.n
        best = [0.0] * (n + 1)
        choice = [0] * n
        for i in range(n - 1, -1, -1):
            top = self.reach(i)
            if top < i:  # one word too long: hard pieces of its own
                pieces_needed = len(self.hard(self.starts[i], self.ends[i])) + 1
                best[i], choice[i] = pieces_needed + self.cut_cost(i) + best[i + 1], i
                continue
            best[i] = math.inf
            costs = self.costs
            for j in range(i, top + 1):
                cost = 1 + costs[j] + best[j + 1]
                if cost <= best[i]:  # ties: the later cut
                    best[i], choice[i] = cost, j
        pieces: list[tuple[int, int]] = []
        i = 0
        while i < n:
            pieces.append((i, choice[i]))
            i = choice[i] + 1
        return pieces

    def too_long_pieces(self, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [
            (i, j)
            for i, j in pieces
            if i < j and self.exact(self.starts[i], self.ends[j]) > self.max_chars
        ]

    def spans(self, pieces: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        spans: list[tuple[int, int, int]] = []
        for i, j in pieces:
            a, b = self.starts[i], self.ends[j]
            priority = self.cands[j][1] if j < self.n - 1 else 0
            if i == j and self.exact(a, b) > self.max_chars:
                for cut in self.hard(a, b):
                    spans.append((a, cut, 0))
                    a = cut
            spans.append((a, b, priority))
        return spans


def split_spans(
    text: str,
    max_chars: int,
    measure: Callable[[str], int],
    protected: Sequence[tuple[int, int]] = (),
    strong: Collection[int] = (),
) -> list[tuple[int, int, int]]:
    """Cut text into pieces whose measured (spoken) length fits max_chars: (start, end,
    priority of the cut after it), the last piece with priority 0.

    The cuts minimise requests plus CUT_COST (a space in strong, a sentence end, is the
    best cut; between two words the worst). A word longer than the limit is cut hard.
    """
    cands = [(pos, 4 if pos in strong else pri) for pos, pri in _cut_candidates(text, protected)]
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip())
    if first >= last:
        return []
    atoms = _Atoms(text, max_chars, measure, cands, first, last)
    while True:
        pieces = atoms.choose()
        bad = atoms.too_long_pieces(pieces)
        if not bad:
            return atoms.spans(pieces)
        for i, j in bad:
            atoms.too_long[i] = min(atoms.too_long.get(i, atoms.n), j)


def pause_for_cut(priority: int, pauses: Pauses) -> int:
    return {3: pauses.clause_ms, 2: pauses.comma_ms}.get(priority, 0)


@dataclass(frozen=True)
class Paragraph:
    """A unit the chunker reads: kind is credit | title | body | notes-heading | note | closing."""

    kind: str
    text: str


Segmenter = Callable[[str], list[tuple[str, str, Sequence[tuple[int, int]]]]]
Speaker = Callable[[str, str], tuple[str, tuple[str, ...]]]


@dataclass
class _Run:
    """Consecutive text of one language, read in as few requests as fit: one segment, or
    (for an engine that packs) a chapter's sentences run together, across paragraphs."""

    lang: str
    pieces: list[str] = field(default_factory=list)  # joined by one space
    length: int = 0  # of the joined text
    protected: list[tuple[int, int]] = field(default_factory=list)
    starts: list[tuple[int, int, int]] = field(default_factory=list)  # paragraph, sentence, offset
    ends_sentence: bool = True  # False: a segment in another language follows, same sentence

    def add(
        self, paragraph: int, sentence: int, text: str, protected: Sequence[tuple[int, int]]
    ) -> None:
        if self.pieces:  # one space between pieces, whatever the previous one ended with
            last = self.pieces[-1]
            self.pieces[-1] = last.rstrip()
            self.length += len(self.pieces[-1]) - len(last) + 1
        offset = self.length
        if not self.starts or self.starts[-1][:2] != (paragraph, sentence):
            self.starts.append((paragraph, sentence, offset))
        self.protected += [(a + offset, b + offset) for a, b in protected]
        self.pieces.append(text)
        self.length += len(text)

    def text(self) -> str:
        return " ".join(self.pieces)

    def sentence_ends(self) -> set[int]:
        """Positions of the spaces between two sentences of the run."""
        return {offset - 1 for _, _, offset in self.starts[1:]}


def _runs(paragraphs: Sequence[Paragraph], segment: Segmenter, pack: bool) -> list[_Run]:
    runs: list[_Run] = []
    for p_index, para in enumerate(paragraphs):
        sentences = split_sentences(para.text) if para.kind != "title" else [para.text]
        for s_index, sentence in enumerate(sentences):
            segments = segment(sentence)
            for g_index, (seg_text, lang, protected) in enumerate(segments):
                joins = pack and g_index == 0 and runs and runs[-1].lang == lang
                if not joins:
                    runs.append(_Run(lang))
                runs[-1].add(p_index, s_index, seg_text, protected)
                runs[-1].ends_sentence = g_index == len(segments) - 1
    return runs


def _pause_before(pauses: Pauses, starts: Sequence[tuple[int, int, int]], k: int) -> int:
    """Pause before the sentence that starts at starts[k] (k > 0)."""
    return pauses.paragraph_ms if starts[k][0] != starts[k - 1][0] else pauses.sentence_ms


def _pause_after(
    pauses: Pauses, run: _Run, offsets: Sequence[int], spans: Sequence[tuple[int, int, int]],
    k: int, next_paragraph: bool,
) -> int:  # fmt: skip
    """The pause after piece k of a run: by the cut it ends at, or by what follows the run."""
    _, b, priority = spans[k]
    if k < len(spans) - 1:
        if priority == 4:  # a sentence end: the next sentence starts after the space
            return _pause_before(pauses, run.starts, bisect.bisect_right(offsets, b))
        return pause_for_cut(priority, pauses)
    if next_paragraph:
        return pauses.paragraph_ms
    if run.ends_sentence:
        return pauses.sentence_ms
    return pauses.comma_ms if run.text()[b - 1] in ",;:" else 0


def chunk_chapter(
    chapter_index: int,
    paragraphs: Sequence[Paragraph],
    *,
    max_chars: int,
    pauses: Pauses,
    segment: Segmenter,
    speak: Speaker,
    last_pause_ms: int,
    pack: bool = False,
) -> list[Chunk]:
    """Chunks of one chapter, in reading order.

    segment(sentence) -> [(text, lang, protected spans)] splits out foreign-language spans;
    speak(text, lang) -> (spoken text, names of the rules that changed it).

    With pack (each request costs a round trip), the chapter is read as one stream: a chunk
    may end one sentence or paragraph and begin the next (`breaks` say where, with pauses).
    """
    runs = _runs(paragraphs, segment, pack)
    chunks: list[Chunk] = []
    per_sentence: dict[tuple[int, int], int] = {}
    for r_index, run in enumerate(runs):
        text = run.text()
        measure = functools.partial(_spoken_length, speak, run.lang)
        spans = split_spans(text, max_chars, measure, run.protected, run.sentence_ends())
        offsets = [offset for _, _, offset in run.starts]
        next_paragraph = _ends_paragraph(runs, r_index)
        for k, (a, b, _) in enumerate(spans):
            piece = text[a:b].strip()
            spoken, changes = speak(piece, run.lang)
            if not spoken.strip(" ,.;:!?…«»—–-\"'()"):
                continue  # punctuation alone: nothing to say
            a += len(text[a:b]) - len(text[a:b].lstrip())
            first = bisect.bisect_right(offsets, a)  # the sentences after the chunk's first
            p_index, s_index, _ = run.starts[first - 1]
            breaks = tuple(
                Break(*run.starts[i][:2], offsets[i] - a, _pause_before(pauses, run.starts, i))
                for i in range(first, bisect.bisect_left(offsets, b))
            )
            n = per_sentence[p_index, s_index] = per_sentence.get((p_index, s_index), -1) + 1
            # fmt: off
            chunks.append(Chunk(
                id=f"{chapter_index + 1:02d}-{p_index:03d}-{s_index:03d}-{n:02d}",
                chapter=chapter_index, paragraph=p_index, sentence=s_index, text=piece,
                spoken=spoken, lang=run.lang,
                pause_after_ms=_pause_after(pauses, run, offsets, spans, k, next_paragraph),
                kind=paragraphs[p_index].kind, changes=changes, breaks=breaks,
            ))
            # fmt: on
    if chunks:
        chunks[-1] = replace(chunks[-1], pause_after_ms=last_pause_ms)
    return chunks


def _ends_paragraph(runs: Sequence[_Run], r_index: int) -> bool:
    last = runs[r_index].starts[-1][0]
    return r_index + 1 == len(runs) or runs[r_index + 1].starts[0][0] != last


def _spoken_length(speak: Speaker, lang: str, text: str) -> int:
    return len(speak(text, lang)[0])
