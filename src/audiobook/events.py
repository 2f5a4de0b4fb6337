"""What a long build reports as it goes; the CLI draws it, the library stays silent."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engines import Engine
    from .model import ChapterAudio, Chunk


class Events:
    def engine_chosen(self, engine: Engine, reason: str) -> None: ...
    def warning(self, message: str) -> None: ...
    def start(self, total_chunks: int, cached_chunks: int) -> None: ...
    def chunk_done(self, chunk: Chunk, reused: bool) -> None: ...
    def chapter_done(self, chapter: ChapterAudio) -> None: ...
