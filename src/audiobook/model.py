"""Frozen dataclasses passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .audio.loudness import Profile


@dataclass(frozen=True)
class BookInfo:
    title: str
    author: str = ""
    date: str = ""
    publisher: str = ""
    description: str = ""
    language: str = "fr"
    genre: str = "Audiobook"
    source: str = ""
    cover: Path | None = None


@dataclass(frozen=True)
class PageTarget:
    """Where a page of the print source begins: at word `word` (an index into
    `paragraphs[paragraph].split()`) of a chapter's body paragraph `paragraph`. `label` is
    the page's number as printed ("17", "xii")."""

    label: str
    paragraph: int
    word: int


@dataclass(frozen=True)
class Chapter:
    title: str
    paragraphs: tuple[str, ...]
    notes: tuple[str, ...] = ()
    pages: tuple[PageTarget, ...] = ()  # in reading order


@dataclass(frozen=True)
class Document:
    info: BookInfo
    chapters: tuple[Chapter, ...]


class Break(NamedTuple):
    """A sentence that starts inside a chunk (request-bound engines read across them)."""

    paragraph: int
    sentence: int
    offset: int  # in the chunk's written text
    pause_ms: int  # the silence put before it, in place of the engine's own


@dataclass(frozen=True)
class Chunk:
    """One engine request: written text for the transcript, spoken text for the engine."""

    id: str
    chapter: int
    paragraph: int
    sentence: int
    text: str
    spoken: str
    lang: str
    pause_after_ms: int
    kind: str = "body"  # credit | title | body | note | closing
    changes: tuple[str, ...] = field(default=(), compare=False)
    # Sentences that start after the chunk's first one. Their times are found in the audio,
    # at the pause the engine made before each.
    breaks: tuple[Break, ...] = ()

    def sentences(self) -> list[tuple[tuple[int, int], str]]:
        """((paragraph, sentence), written text) of each sentence (or piece of one) carried."""
        starts = [((self.paragraph, self.sentence), 0)]
        starts += [((b.paragraph, b.sentence), b.offset) for b in self.breaks]
        ends = [b.offset for b in self.breaks] + [len(self.text)]
        return [(key, self.text[a:b].strip()) for (key, a), b in zip(starts, ends, strict=True)]


@dataclass(frozen=True)
class ChunkTiming:
    chunk: Chunk
    start_ms: float
    end_ms: float
    # For a chunk with breaks: where each of its sentences starts and ends, in order.
    parts: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class ChapterAudio:
    """A chapter encoded to MP3, with chunk times relative to the chapter start."""

    index: int
    title: str
    path: Path
    duration_ms: float  # the chapter's own audio, head room tone to tail
    mp3_samples: int  # samples in its MP3 frames: its length inside the book MP3
    sample_rate: int  # of the MP3
    timings: tuple[ChunkTiming, ...]


@dataclass(frozen=True)
class PlacedChapter:
    """A chapter with its place in the book MP3."""

    audio: ChapterAudio
    file: str  # relative to the book's folder, POSIX separators
    start_ms: float  # where its audio begins in the book
    end_ms: float  # where the next chapter begins (or the book ends)
    # The print source's page starts in this chapter. Here `paragraph` counts every
    # paragraph the chapter reads (credit and title first), as sentence ids do.
    pages: tuple[PageTarget, ...] = ()


@dataclass(frozen=True)
class RenderedBook:
    """The whole book's audio, in one place: what every writer reads."""

    info: BookInfo
    folder: Path  # where the files are (the staging folder during a build)
    book_file: str  # the whole-book MP3, relative to folder
    chapters: tuple[PlacedChapter, ...]
    engine: dict[str, Any]  # name, version, voice and options
    settings: dict[str, Any]  # profile, pauses, split, why the engine was chosen
    profile: Profile
    book_id: str = ""  # the same for every build of this book: a folder is replaced only by it
    chunks_made: int = 0
    chunks_reused: int = 0

    @property
    def slug(self) -> str:
        return Path(self.book_file).stem

    @property
    def book_path(self) -> Path:
        return self.folder / self.book_file

    @property
    def duration_ms(self) -> float:
        last = self.chapters[-1]
        return last.start_ms + last.audio.duration_ms
