"""File-name slugs for books and chapters: safe on every file system, distinct for
distinct titles."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SLUG_MAX_CHARS = 60
HASH_CHARS = 8  # added when the title is cut or has no Latin letters, to keep it distinct


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]


def slugify(text: str, fallback: str = "book") -> str:
    """ASCII letters, digits and hyphens. A title cut at SLUG_MAX_CHARS, or one with no
    Latin letter or digit (Arabic, Hebrew, punctuation), ends with a hash of the whole title,
    so two such titles never share a folder."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:
        return f"{fallback}-{_digest(text)}" if text.strip() else fallback
    if len(slug) > SLUG_MAX_CHARS:
        return f"{slug[: SLUG_MAX_CHARS - HASH_CHARS - 1].rstrip('-')}-{_digest(text)}"
    return slug
