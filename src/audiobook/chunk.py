"""Paragraphs -> sentences -> chunks that fit the engine, each with the pause that follows it.

A cut is made at the best boundary that keeps the spoken text under the engine's
limit: sentence end, then ; : — , then a comma, then a space; never inside a word,
a number or a lexicon entry, never after an abbreviation or an initial.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace

from .model import Chunk

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
    ]
)
SENTENCE_END_RE = re.compile(r"([.!?…]+[»\")\]]*)(\s+)(?=[«\"(—–-]?\s*[A-ZÀ-ÖØ-Þ0-9«\"(—–])")
TOKEN_BEFORE_RE = re.compile(r"(\S+)$")
CLAUSE_CHARS = ";:—–"


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
    token = m.group(1).rstrip(".").lstrip('«("')
    # A single capital is an initial ("S. D."), never a sentence end.
    return token in ABBREVIATIONS or bool(re.fullmatch(r"[A-ZÀ-Þ]|[A-Z]\.-?[A-Z]", token))


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


def split_to_fit(
    text: str,
    max_chars: int,
    measure: Callable[[str], int],
    protected: Sequence[tuple[int, int]] = (),
) -> list[tuple[str, int]]:
    """Cut text into pieces whose measured (spoken) length fits max_chars.

    As few pieces as possible (each is one engine request); among the cuts that keep
    that number, the best boundary kind, then the latest. Returns (piece, priority of
    the cut after it); the last piece has priority 0. A single word longer than the
    limit is cut hard: an engine cannot take it whole.
    """
    # Spoken text is rarely under half the written length, so only a window of twice the
    # limit is ever measured: linear in the text, however long the paragraph.
    window = 2 * max_chars
    cands = list(_cut_candidates(text, protected))
    positions = [c[0] for c in cands]

    @functools.cache
    def fits(a: int, b: int) -> bool:
        return b - a <= window and measure(text[a:b].strip()) <= max_chars

    def next_start(cut: int) -> int:
        return len(text) - len(text[cut:].lstrip())

    def options(a: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_right(positions, a)
        hi = bisect.bisect_right(positions, a + window)
        return [c for c in cands[lo:hi] if fits(a, c[0])]

    def hard_cut(a: int) -> int:
        b = a + max(max_chars // 2, 1)
        while b > a + 1 and not fits(a, b):
            b = a + (b - a) // 2
        return b

    @functools.cache
    def fewest(a: int) -> int:
        """Pieces the rest needs when each cut is the latest that fits."""
        count = 1
        while not fits(a, len(text)):
            opts = options(a)
            a = next_start(max(opts)[0] if opts else hard_cut(a))
            count += 1
        return count

    pieces: list[tuple[str, int]] = []
    a = next_start(0)
    while not fits(a, len(text)):
        need = fewest(a)
        opts = [c for c in options(a) if 1 + fewest(next_start(c[0])) == need]
        if opts:
            cut, priority = max(
                opts, key=lambda c: (c[1] if c[0] - a >= max_chars // 3 else 0, c[0])
            )
        else:
            cut, priority = hard_cut(a), 0
        piece = text[a:cut].strip()
        if piece:
            pieces.append((piece, priority))
        a = next_start(cut)
    if text[a:].strip():
        pieces.append((text[a:].strip(), 0))
    return pieces


def pause_for_cut(priority: int, pauses: Pauses) -> int:
    return {3: pauses.clause_ms, 2: pauses.comma_ms}.get(priority, 0)


@dataclass(frozen=True)
class Paragraph:
    """A unit the chunker reads: kind is credit | title | body | notes-heading | note | closing."""

    kind: str
    text: str


Segmenter = Callable[[str], list[tuple[str, str, Sequence[tuple[int, int]]]]]
Speaker = Callable[[str, str], tuple[str, tuple[str, ...]]]


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
    """
    chunks: list[Chunk] = []
    for p_index, para in enumerate(paragraphs):
        sentences = split_sentences(para.text) if para.kind != "title" else [para.text]
        for s_index, sentence in enumerate(sentences):
            pieces: list[tuple[str, str, int]] = []
            segments = segment(sentence)
            for g_index, (seg_text, lang, protected) in enumerate(segments):
                cut = split_to_fit(
                    seg_text,
                    max_chars,
                    lambda t, lang=lang: len(speak(t, lang)[0]),  # type: ignore[misc]
                    protected,
                )
                for k, (piece, priority) in enumerate(cut):
                    last_of_segment = k == len(cut) - 1
                    pause = pause_for_cut(priority, pauses)
                    if last_of_segment and g_index < len(segments) - 1:
                        pause = pauses.comma_ms if piece[-1] in ",;:" else 0
                    pieces.append((piece, lang, pause))
            for k, (piece, lang, pause) in enumerate(pieces):
                if k == len(pieces) - 1:
                    pause = pauses.sentence_ms
                    if s_index == len(sentences) - 1:
                        pause = pauses.paragraph_ms
                spoken, changes = speak(piece, lang)
                if not spoken.strip(" ,.;:!?…«»—–-\"'()"):
                    continue  # punctuation alone: nothing to say
                chunks.append(
                    Chunk(
                        id=f"{chapter_index + 1:02d}-{p_index:03d}-{s_index:03d}-{k:02d}",
                        chapter=chapter_index,
                        paragraph=p_index,
                        sentence=s_index,
                        text=piece,
                        spoken=spoken,
                        lang=lang,
                        pause_after_ms=pause,
                        kind=para.kind,
                        changes=changes,
                    )
                )
    if pack:
        chunks = pack_sentences(chunks, max_chars, speak)
    if chunks:
        chunks[-1] = replace(chunks[-1], pause_after_ms=last_pause_ms)
    return chunks


def pack_sentences(chunks: Sequence[Chunk], max_chars: int, speak: Speaker) -> list[Chunk]:
    """Join the start of a sentence to the chunk before it (same paragraph) while it fits: for an
    engine where every request costs a round trip, fewer requests matter more than our
    own pause between two sentences (the engine pauses at the full stop itself)."""
    out: list[Chunk] = []
    for i, c in enumerate(chunks):
        prev = out[-1] if out else None
        starts_sentence = i == 0 or chunks[i - 1].sentence != c.sentence
        if (
            prev is not None
            and starts_sentence
            and prev.paragraph == c.paragraph
            and prev.kind == c.kind
            and prev.lang == c.lang == "fr"
            and (prev.breaks[-1][0] if prev.breaks else prev.sentence) == c.sentence - 1
        ):
            text = f"{prev.text} {c.text}"
            spoken, changes = speak(text, c.lang)
            if len(spoken) <= max_chars:
                out[-1] = replace(
                    prev,
                    text=text,
                    spoken=spoken,
                    changes=changes,
                    pause_after_ms=c.pause_after_ms,
                    breaks=(*prev.breaks, (c.sentence, len(prev.text) + 1)),
                )
                continue
        out.append(c)
    return out
