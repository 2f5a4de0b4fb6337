"""`audiobook hints`: what it finds in the sample, what it must not report, the draft
hints.toml it writes (loadable, never over an existing file)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from support import SAMPLE_BOOK, SAMPLE_TEXT

from audiobook import hints
from audiobook.errors import InputError
from audiobook.hints import (
    CONTEXT_MAX_CHARS,
    KIND_ORDER,
    Finding,
    find_hints,
    format_findings,
    starter_toml,
    write_starter,
)
from audiobook.text.lexicon import load_lexicon

# Ordinary French words of the sample: none may be reported.
COMMON_SAMPLE_WORDS = [
    "révolution", "prolétariat", "bourgeoisie", "internationale", "Allemagne",
    "ouvriers", "socialistes", "gouvernement", "Russie", "Soviets", "Europe", "Amérique",
    "mondiale", "prolétarienne", "puissant", "neutralité", "Communiste", "aujourd'hui",
    "offensive", "impérialistes",
]  # fmt: skip


@pytest.fixture(scope="module")
def sample_findings() -> list[Finding]:
    return find_hints(SAMPLE_TEXT)


def by_text(findings: list[Finding]) -> dict[str, Finding]:
    return {f.text: f for f in findings}


def write_text(tmp_path: Path, text: str, name: str = "texte.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the sample


def test_sample_names_phrase_and_initials_are_found(sample_findings: list[Finding]) -> None:
    found = by_text(sample_findings)
    assert found["Dittmann"].kind == "foreign-name"
    assert found["Dittmann"].count == 2
    assert found["Scheidemann"].kind == "foreign-name"
    assert found["Scheidemann"].count == 1
    assert found["Hands off Russia"].kind == "foreign-phrase"
    assert found["Hands off Russia"].lang == "en"
    assert found["S. D."].kind == "acronym"
    # The phrase is reported whole, never word by word.
    assert not {"Hands", "off", "Russia"} & set(found)


def test_sample_does_not_flood(sample_findings: list[Finding]) -> None:
    assert 4 <= len(sample_findings) <= 40


@pytest.mark.parametrize("word", COMMON_SAMPLE_WORDS)
def test_no_common_french_word_is_reported(sample_findings: list[Finding], word: str) -> None:
    reported = {w.lower() for f in sample_findings for w in f.text.split()}
    assert word.lower() not in reported


def test_sample_has_no_normaliser_leftovers(sample_findings: list[Finding]) -> None:
    assert [f for f in sample_findings if f.kind == "unexpanded"] == []


def test_context_is_a_short_line_holding_the_word(sample_findings: list[Finding]) -> None:
    for f in sample_findings:
        assert f.text in f.context, f
        assert "\n" not in f.context
        assert len(f.context) <= CONTEXT_MAX_CHARS + 2, f  # + the two "…"


def test_sorted_by_kind_then_count(sample_findings: list[Finding]) -> None:
    keys = [(KIND_ORDER.index(f.kind), -f.count) for f in sample_findings]
    assert keys == sorted(keys)


def test_book_hints_are_skipped(tmp_path: Path) -> None:
    found = by_text(find_hints(SAMPLE_BOOK))
    for covered in ("Dittmann", "Scheidemann", "S. D.", "Hands off Russia"):
        assert covered not in found
    # What the hints do not cover is still reported.
    shutil.copy(SAMPLE_TEXT, tmp_path / SAMPLE_TEXT.name)
    (tmp_path / "hints.toml").write_text('[[word]]\ntext = "Dittmann"\nsay = "Dite-mane"\n')
    book = write_text(
        tmp_path, f'title = "T"\nsource = "{SAMPLE_TEXT.name}"\nhints = "hints.toml"\n', "book.toml"
    )
    found = by_text(find_hints(book))
    assert "Dittmann" not in found and found["Scheidemann"].kind == "foreign-name"


# The sample's findings a careful reader adds to hints.toml: all of them. Before words
# were judged by their family, the sample also listed 12 ordinary words (precision 4/16).
SAMPLE_WORTH_A_HINT = {"Hands off Russia", "Dittmann", "Scheidemann", "S. D."}


def test_sample_findings_are_all_worth_a_hint(sample_findings: list[Finding]) -> None:
    assert {f.text for f in sample_findings} == SAMPLE_WORTH_A_HINT


# Inflected or derived forms of common words, read as their family is read.
ORDINARY_FORMS = [
    "offrions", "oubliâmes", "dît", "rendîmes", "bafouaient", "calomniaient",
    "secondèrent", "neutralisèrent", "poltronne", "soviétiste", "giration", "zigzaguant",
    "abasourdîmes", "arguâmes", "aquarellistes",
]  # fmt: skip


@pytest.mark.parametrize("word", ORDINARY_FORMS)
def test_forms_of_common_families_are_not_rare(tmp_path: Path, word: str) -> None:
    path = write_text(tmp_path, f"Nous avons lu le mot {word} hier soir.\n")
    assert find_hints(path) == []


@pytest.mark.parametrize("word", ["coquecigrue", "zythum", "bréhaigne", "échauguette", "pensum"])
def test_rare_families_are_still_reported(tmp_path: Path, word: str) -> None:
    path = write_text(tmp_path, f"Nous avons lu le mot {word} hier soir.\n")
    assert [(f.text, f.kind) for f in find_hints(path)] == [(word, "rare")]


@pytest.mark.parametrize(
    ("word", "relative"),
    [("offrions", "offrir"), ("oubliâmes", "oublier"), ("dît", "dit"), ("rendîmes", "rendre"),
     ("soviétiste", "soviétique"), ("poltronne", "poltron"), ("giration", "giratoire"),
     ("finissaient", "finir"), ("prendraient", "prendre"), ("calomniaient", "calomnier")],
)  # fmt: skip
def test_family_holds_the_lemma(word: str, relative: str) -> None:
    assert relative in hints._family(word)


# ---------------------------------------------------------------- small texts


def test_acronyms_dotted_or_not(tmp_path: Path) -> None:
    path = write_text(tmp_path, "La C.G.T. a salué l'URSS. Puis la CGT a parlé à l'URSS.\n")
    found = by_text(find_hints(path))
    assert {t: (f.kind, f.count) for t, f in found.items()} == {
        "C.G.T.": ("acronym", 1),
        "URSS": ("acronym", 2),
        "CGT": ("acronym", 1),
    }


def test_text_without_rare_words_yields_nothing(tmp_path: Path) -> None:
    path = write_text(tmp_path, "Le chat dort sur le tapis. Il fait beau aujourd'hui.\n")
    assert find_hints(path) == []


def test_what_the_normaliser_rewrites_is_not_reported(tmp_path: Path) -> None:
    text = "Au XIXe siècle, Louis XIV et Mme Curie, N.B. le 1er mai 1920, p. 12.\n"
    assert find_hints(write_text(tmp_path, text)) == []


def test_german_phrase_and_names(tmp_path: Path) -> None:
    text = "Ils criaient « Hände weg von Russland » avec Liebknecht et Noske.\n"
    found = by_text(find_hints(write_text(tmp_path, text)))
    assert (found["Hände weg von Russland"].kind, found["Hände weg von Russland"].lang) == (
        "foreign-phrase",
        "de",
    )
    assert found["Liebknecht"].kind == found["Noske"].kind == "foreign-name"


def test_rare_word_spellings_are_merged(tmp_path: Path) -> None:
    text = "Coquecigrue lente. Puis la coquecigrue de la roue.\n"
    (finding,) = find_hints(write_text(tmp_path, text))
    assert (finding.text, finding.kind, finding.count) == ("coquecigrue", "rare", 2)
    assert not finding.case_sensitive  # so the entry also matches "Giration"


def test_capitals_heading_is_not_an_acronym(tmp_path: Path) -> None:
    text = "# LA RÉVOLUTION ALLEMANDE\n\nLe texte commence ici.\n"
    assert find_hints(write_text(tmp_path, text, "texte.md")) == []


def test_normaliser_leftovers_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A normaliser that does nothing.
    monkeypatch.setattr(hints, "normalize_traced", lambda text: (text, []))
    text = "Il avait 3 ans et 50 % des voix.\n"
    found = by_text(find_hints(write_text(tmp_path, text)))
    assert {t: f.kind for t, f in found.items()} == {
        "3": "unexpanded",
        "50": "unexpanded",
        "%": "unexpanded",
    }
    assert found["%"].context == "Il avait 3 ans et 50 % des voix."


def test_unhandled_characters_are_reported(tmp_path: Path) -> None:
    found = by_text(find_hints(write_text(tmp_path, "Il a souri ☺ puis il est parti.\n")))
    assert found["☺"].kind == "unexpanded"
    assert found["☺"].context == "Il a souri ☺ puis il est parti."


def test_missing_source_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        find_hints(tmp_path / "absent.txt")


def test_one_megabyte_in_seconds(tmp_path: Path) -> None:
    # One paragraph without a sentence end: any cost quadratic in its length would show.
    words = SAMPLE_TEXT.read_text(encoding="utf-8").replace(".", " ").split()
    text = " ".join(words * (1_000_000 // len(" ".join(words)) + 1))
    path = write_text(tmp_path, text)
    start = time.perf_counter()
    find_hints(path)
    assert time.perf_counter() - start < 20


# ---------------------------------------------------------------- output


def test_format_findings_table_and_limit(sample_findings: list[Finding]) -> None:
    table = format_findings(sample_findings, limit=3)
    lines = table.splitlines()
    assert lines[0].split() == ["kind", "count", "text", "suggested", "entry"]
    assert "Hands off Russia" in table and '[[lang]] lang = "en"' in table
    assert "Dittmann" in table and "[[word]] say = ?" in table
    assert "S. D." not in table  # past the limit
    assert (
        lines[-1]
        == f"{len(sample_findings)} finding(s); {len(sample_findings) - 3} more not shown (raise --limit to see them)."
    )
    assert "more not shown" not in format_findings(sample_findings, limit=None)
    assert format_findings([], limit=10) == "No word or phrase likely to be misread was found."


def test_starter_toml_round_trips(tmp_path: Path, sample_findings: list[Finding]) -> None:
    text = starter_toml(sample_findings)
    assert text.startswith("# Pronunciation hints generated by `audiobook hints`. REVIEW")
    path = tmp_path / "hints.toml"
    path.write_text(text, encoding="utf-8")
    entries = load_lexicon(path).entries
    assert len(entries) == len(sample_findings)
    assert sorted(e.text for e in entries) == sorted(f.text for f in sample_findings)
    for e in entries:
        if e.lang:
            assert e.text == "Hands off Russia" and e.lang == "en" and e.say == ""
        else:
            assert e.say == e.text  # a placeholder, marked TODO
    assert text.count("# TODO") == len(sample_findings)


def test_starter_toml_escapes_and_empty(tmp_path: Path) -> None:
    odd = Finding('Le "Quote" \\ x', "rare", 1, "ligne\navec\tcontrôle", case_sensitive=False)
    path = tmp_path / "hints.toml"
    path.write_text(starter_toml([odd]), encoding="utf-8")
    (entry,) = load_lexicon(path).entries
    assert (entry.text, entry.say, entry.case_sensitive) == (odd.text, odd.text, False)
    path.write_text(starter_toml([]), encoding="utf-8")
    assert load_lexicon(path).entries == ()


def test_write_starter_writes_once(tmp_path: Path, sample_findings: list[Finding]) -> None:
    path = tmp_path / "hints.toml"
    write_starter(path, sample_findings)
    assert path.read_text(encoding="utf-8") == starter_toml(sample_findings)
    assert os.listdir(tmp_path) == ["hints.toml"]  # no temporary file left behind
    assert len(load_lexicon(path).entries) == len(sample_findings)


def test_write_starter_refuses_to_overwrite(tmp_path: Path, sample_findings: list[Finding]) -> None:
    path = tmp_path / "hints.toml"
    path.write_text("# reviewed by hand\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        write_starter(path, sample_findings)
    assert str(err.value) == f"{path} exists; not overwriting it. Remove it or choose another path."
    assert path.read_text(encoding="utf-8") == "# reviewed by hand\n"


def test_write_starter_into_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "hints.toml"
    with pytest.raises(InputError) as err:
        write_starter(path, [])
    assert str(err.value) == f"cannot write {path}: No such file or directory."
