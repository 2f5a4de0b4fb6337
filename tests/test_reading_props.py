"""Property: whatever Unicode text a user gives, reading, repair, chapters and chunking
either succeed or raise one of our documented errors, and no letter of the body is lost
(repair joins, moves notes and drops bare page numbers: letters always survive)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.engines.espeak import EspeakEngine
from audiobook.engines.gtts import GttsEngine
from audiobook.errors import AudiobookError
from audiobook.readers import read_source
from audiobook.text.chapters import reading_order
from audiobook.text.plan import plan_book
from audiobook.text.repair import fix_mojibake

WORD = st.text(
    alphabet=st.characters(categories=("Ll", "Lu", "Lo", "Nd", "Mn")), min_size=1, max_size=12
)
SEP = st.sampled_from([" ", " ", " ", ", ", ". ", " ; ", " — ", "\n", "\n\n", "-\n", " « ", " » ",
                       "… ", "  ", "\t", "\f", "* * *", "\n12\n", "'", "’", " ( ", ") "])  # fmt: skip
TEXT = st.lists(st.tuples(WORD, SEP), min_size=1, max_size=60).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


def letters(text: str) -> Counter[str]:
    return Counter(ch for ch in text.casefold() if ch.isalpha())


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT, packs=st.booleans())
def test_any_text_reads_without_losing_a_letter(tmp_path: Path, text: str, packs: bool) -> None:
    path = tmp_path / "livre.txt"
    path.write_text(text, encoding="utf-8")
    caps = (GttsEngine if packs else EspeakEngine).CAPS
    try:
        plan = plan_book(read_source(path), caps)
    except AudiobookError:
        return  # documented errors only: empty, binary, nothing readable
    made = Counter[str]()  # what the book adds: credit, titles, "Notes.", "Note N.", closing
    notes = 0
    for i in range(len(plan.document.chapters)):
        for paragraph in reading_order(plan.document, i):
            if paragraph.kind not in ("body", "note"):
                made += letters(paragraph.text)
            notes += paragraph.kind == "note"
    made += Counter({"n": notes, "o": notes, "t": notes, "e": notes})
    said = letters("".join(c.text for c in plan.chunks))
    assert said == letters(fix_mojibake(text)[0]) + made  # mojibake is repaired on purpose
