"""Rendering: the only package with threads. Synthesis through the content-addressed
cache, chapter stitching and encoding, the book join; one runner aborts it all on the
first error."""

from .book import RenderOptions, cache_chapters, render_book

__all__ = ["RenderOptions", "cache_chapters", "render_book"]
