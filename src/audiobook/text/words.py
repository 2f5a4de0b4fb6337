"""Word frequencies (wordfreq's Zipf scale), one cached lookup for every text rule."""

from __future__ import annotations

import functools
import math
import unicodedata

ZIPF_ZERO_FREQ = 1e-9  # a word's frequency (per word) at Zipf 0: once per billion words
ZIPF_CACHE_ENTRIES = 1 << 17  # (word, language) lookups kept; a 1 MB book has ~30k words


@functools.cache
def _frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict  # loads slowly: only when a rule needs it

    # Same arguments as zipf_frequency passes, so wordfreq's own cache loads it once.
    table: dict[str, float] = get_frequency_dict(lang, "best")
    return table


@functools.lru_cache(maxsize=ZIPF_CACHE_ENTRIES)
def zipf(word: str, lang: str = "fr") -> float:
    """wordfreq's zipf_frequency(word, lang): log10 of occurrences per billion words.

    A word of letters only is looked up in wordfreq's table directly, with its own
    folding (NFC, casefold) and rounding: the same value, six times faster, which is what
    keeps a 1 MB book within seconds. Anything else goes through wordfreq's tokeniser."""
    if not word.isalpha():
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, lang))
    freq = _frequencies(lang).get(unicodedata.normalize("NFC", word).casefold(), 0.0)
    if freq == 0.0:
        return 0.0
    freq = max(freq, ZIPF_ZERO_FREQ)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)  # 3 significant digits
    return round(math.log(freq, 10) + 9, 2)
