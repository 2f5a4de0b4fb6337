"""A book's pronunciation lexicon (hints.toml): whole-word respellings, espeak phonemes,
and foreign-language spans. Applied before the normaliser; only engines see the result."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..readers.base import read_toml

PHONEME_ALPHABET = "espeak"  # what an entry's `phonemes` are written in
PLACEHOLDER_BASE = 0xF0000  # private-use code points stand in for entries during normalising


@dataclass(frozen=True)
class Entry:
    text: str
    say: str = ""  # respelling for engines without phonemes (and the default for all)
    phonemes: str = ""  # espeak-ng phonemes, used by engines that read that alphabet
    case_sensitive: bool = True
    lang: str = ""  # a language span ("en"): spoken in that language where the engine can

    def pattern(self) -> re.Pattern[str]:
        body = r"\s+".join(re.escape(w) for w in self.text.split())
        flags = 0 if self.case_sensitive else re.IGNORECASE
        return re.compile(rf"(?<![\w]){body}(?![\w])", flags)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...] = ()

    def __post_init__(self) -> None:
        # Longest first so "Hands off Russia" wins over "Russia".
        ordered = sorted(self.entries, key=lambda e: -len(e.text))
        object.__setattr__(self, "_compiled", [(e, e.pattern()) for e in ordered])

    def _matches(self, text: str) -> list[tuple[int, int, Entry]]:
        found: list[tuple[int, int, Entry]] = []
        for entry, rx in self._compiled:  # type: ignore[attr-defined]
            for m in rx.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b, _ in found):
                    found.append((m.start(), m.end(), entry))
        return sorted(found, key=lambda f: f[0])

    def segment(
        self, sentence: str, languages: frozenset[str]
    ) -> list[tuple[str, str, Sequence[tuple[int, int]]]]:
        """Split out language spans the engine can speak; each piece carries the ranges of
        lexicon entries in it, which the chunker must not cut."""
        pieces: list[tuple[str, str, Sequence[tuple[int, int]]]] = []
        pos = 0
        for start, end, entry in self._matches(sentence):
            if entry.lang and entry.lang != "fr" and entry.lang in languages:
                before = sentence[pos:start].strip()
                if before:
                    pieces.append(self._piece(before, "fr"))
                pieces.append((sentence[start:end], entry.lang, [(0, end - start)]))
                pos = end
        rest = sentence[pos:].strip()
        if rest:
            pieces.append(self._piece(rest, "fr"))
        return pieces or [(sentence, "fr", [])]

    def _piece(self, text: str, lang: str) -> tuple[str, str, Sequence[tuple[int, int]]]:
        return text, lang, [(a, b) for a, b, _ in self._matches(text)]

    def protect(
        self, text: str, phonemes: str | None, lang: str
    ) -> tuple[str, dict[str, str], list[str]]:
        """Replace entries by placeholders; returns the text, placeholder -> spoken form,
        and a description of each replacement (for preview). phonemes: the inline phoneme
        alphabet the engine reads (PHONEME_ALPHABET), if any."""
        if lang != "fr":
            return text, {}, []
        out, pos = [], 0
        table: dict[str, str] = {}
        notes: list[str] = []
        for start, end, entry in self._matches(text):
            if entry.lang and not entry.say:
                continue  # a span left in French: nothing to respell
            spoken = entry.say or entry.text
            if phonemes == PHONEME_ALPHABET and entry.phonemes:
                spoken = f"[[{entry.phonemes}]]"
            key = chr(PLACEHOLDER_BASE + len(table))
            table[key] = spoken
            notes.append(f"lexicon: {text[start:end]} -> {spoken}")
            out += [text[pos:start], key]
            pos = end
        out.append(text[pos:])
        return "".join(out), table, notes


def load_lexicon(path: Path | None) -> Lexicon:
    if path is None:
        return Lexicon()
    data = read_toml(path)
    entries: list[Entry] = []
    for table, is_span in (("word", False), ("lang", True)):
        items = data.get(table, [])
        if not isinstance(items, list):
            raise InputError(f"{path}: [[{table}]] must be an array of tables.")
        for n, item in enumerate(items, 1):
            where = f"{path}: [[{table}]] entry {n}"
            if not isinstance(item, dict) or not str(item.get("text", "")).strip():
                raise InputError(f"{where} needs a 'text' string.")
            if not isinstance(item["text"], str):
                raise InputError(f"{where} needs a 'text' string.")
            unknown = sorted(set(item) - {"text", "say", "phonemes", "case_sensitive", "lang"})
            if unknown:
                raise InputError(f"{where}: unknown key(s) {', '.join(unknown)}.")
            if is_span and not isinstance(item.get("lang"), str):
                raise InputError(f"{where} needs a 'lang' (e.g. \"en\").")
            if not is_span and not (item.get("say") or item.get("phonemes")):
                raise InputError(f"{where} needs 'say' or 'phonemes'.")
            for key, kind in (
                ("say", str),
                ("phonemes", str),
                ("lang", str),
                ("case_sensitive", bool),
            ):
                if key in item and not isinstance(item[key], kind):
                    raise InputError(
                        f"{where}: '{key}' must be a {'boolean' if kind is bool else 'string'}."
                    )
            entries.append(
                Entry(
                    text=item["text"].strip(),
                    say=str(item.get("say", "")),
                    phonemes=str(item.get("phonemes", "")),
                    case_sensitive=bool(item.get("case_sensitive", True)),
                    lang=str(item.get("lang", "")),
                )
            )
    unknown_tables = sorted(set(data) - {"word", "lang"})
    if unknown_tables:
        raise InputError(f"{path}: unknown table(s) {', '.join(unknown_tables)}.")
    return Lexicon(tuple(entries))
