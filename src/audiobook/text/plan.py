"""Source -> Document -> each chapter's chunks with their spoken text, for one engine.
No audio."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..engines import Capabilities
from ..errors import InputError
from ..model import Chunk, Document
from ..readers import Source
from .chapters import build_document, reading_order
from .chunk import Pauses, chunk_chapter
from .lexicon import load_lexicon
from .speech import make_speaker


@dataclass(frozen=True)
class Plan:
    document: Document
    pauses: Pauses
    split_minutes: float | None
    chapters: tuple[tuple[Chunk, ...], ...]  # each chapter's chunks, in reading order

    @property
    def chunks(self) -> list[Chunk]:
        return [c for chapter in self.chapters for c in chapter]


def plan_book(
    source: Source,
    caps: Capabilities,
    split_minutes: float | None = None,
    pauses: Mapping[str, int] | None = None,
) -> Plan:
    """split_minutes and pauses override the source's own settings."""
    split = split_minutes or source.split_minutes
    document = build_document(source, split)
    if not document.chapters:
        raise InputError(f"{source.info.source or source.info.title}: no readable text found.")
    try:
        chosen = Pauses().with_overrides({**source.pauses, **(pauses or {})})
    except ValueError as exc:
        raise InputError(f"{exc}.") from None
    lexicon = load_lexicon(source.hints_path)
    speak = make_speaker(lexicon, caps.phonemes)
    chapters = tuple(
        tuple(
            chunk_chapter(
                i,
                reading_order(document, i),
                max_chars=caps.max_chars,
                pauses=chosen,
                segment=lambda s: lexicon.segment(s, caps.languages),
                speak=speak,
                last_pause_ms=chosen.chapter_ms,
                pack=caps.packs_sentences,
            )
        )
        for i in range(len(document.chapters))
    )
    return Plan(document, chosen, split, chapters)
