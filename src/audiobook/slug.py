"""File-name slugs for books and chapters."""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX_CHARS = 60


def slugify(text: str, fallback: str = "book") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX_CHARS].rstrip("-") or fallback
