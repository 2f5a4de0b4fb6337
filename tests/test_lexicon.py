"""The book lexicon (hints.toml): language spans, protected ranges, respellings and
phonemes through the speaker, matching rules, and load_lexicon's error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SAMPLES

from audiobook.engines.espeak import EspeakEngine
from audiobook.engines.gtts import GttsEngine
from audiobook.errors import InputError
from audiobook.text.lexicon import Entry, Lexicon, load_lexicon
from audiobook.text.speech import make_speaker

FRENCH_ONLY = frozenset({"fr"})
WITH_ENGLISH = frozenset({"fr", "en"})

HANDS_OFF = "Jusqu'à aujourd'hui le « Hands off Russia ! » a été le mot d'ordre."
# Sentences of the sample (samples/bulletin-communiste-1920.txt), as repaired.
DITTMANN = (
    "(soit dit entre parenthèses, Dittmann, le « fameux » Dittmann d'aujourd'hui jouait "
    "alors dans le milieu S. D. un rôle prépondérant ; il était « délégué populaire » "
    "dudit gouvernement « révolutionnaire »."
)
SCHEIDEMANN = (
    "La révolution en Autriche, de même que la révolution en Allemagne, n'étaient pas des "
    "révolutions socialistes à proprement parler, encore que dès le début de cette "
    "dernière les partisans de Scheidemann aient appelé l'Allemagne une « république "
    "socialiste »."
)

SAMPLE_LEXICON = Lexicon(
    (
        Entry("Dittmann", say="Dite-mane", phonemes="dItman"),
        Entry("Scheidemann", say="Chaille-de-mane"),
        Entry("S. D.", say="social-démocrate"),
        Entry("Hands off Russia", say="Hanndz off Reucha", lang="en"),
    )
)


GTTS, ESPEAK = GttsEngine.CAPS.phonemes, EspeakEngine.CAPS.phonemes  # what the speaker sees


def spoken(lexicon: Lexicon, engine: str, text: str) -> str:
    return make_speaker(lexicon, {"gtts": GTTS, "espeak": ESPEAK}[engine])(text, "fr")[0]


# ---------------------------------------------------------------- segment


def test_segment_splits_out_a_language_the_engine_speaks() -> None:
    assert SAMPLE_LEXICON.segment(HANDS_OFF, WITH_ENGLISH) == [
        ("Jusqu'à aujourd'hui le «", "fr", []),
        ("Hands off Russia", "en", [(0, 16)]),
        ("! » a été le mot d'ordre.", "fr", []),
    ]


@pytest.mark.parametrize("languages", [GttsEngine.CAPS.languages, EspeakEngine.CAPS.languages])
def test_segment_with_the_real_engines_languages(languages: frozenset[str]) -> None:
    assert [lang for _, lang, _ in SAMPLE_LEXICON.segment(HANDS_OFF, languages)] == [
        "fr",
        "en",
        "fr",
    ]


def test_segment_keeps_one_french_piece_otherwise() -> None:
    start = HANDS_OFF.index("Hands")
    assert SAMPLE_LEXICON.segment(HANDS_OFF, FRENCH_ONLY) == [
        (HANDS_OFF, "fr", [(start, start + len("Hands off Russia"))]),
    ]


def test_segment_without_entries_is_the_sentence() -> None:
    assert Lexicon().segment(HANDS_OFF, WITH_ENGLISH) == [(HANDS_OFF, "fr", [])]


def test_protected_ranges_cover_the_initials() -> None:
    ((text, lang, ranges),) = SAMPLE_LEXICON.segment(DITTMANN, FRENCH_ONLY)
    assert (text, lang) == (DITTMANN, "fr")
    assert [text[a:b] for a, b in ranges] == ["Dittmann", "Dittmann", "S. D."]


# ---------------------------------------------------------------- the speaker


def test_gtts_says_the_respelling() -> None:
    out = spoken(SAMPLE_LEXICON, "gtts", DITTMANN)
    assert out.count("Dite-mane") == 2
    assert "social-démocrate un rôle" in out
    assert "Dittmann" not in out and "S. D." not in out
    assert "Chaille-de-mane aient appelé" in spoken(SAMPLE_LEXICON, "gtts", SCHEIDEMANN)


def test_espeak_says_the_phonemes_when_given() -> None:
    out = spoken(SAMPLE_LEXICON, "espeak", DITTMANN)
    assert out.count("[[dItman]]") == 2
    assert "Dite-mane" not in out
    assert "social-démocrate" in out  # no phonemes: the respelling, as for gtts
    assert "Chaille-de-mane" in spoken(SAMPLE_LEXICON, "espeak", SCHEIDEMANN)


def test_phonemes_only_entry_keeps_the_word_for_gtts() -> None:
    lexicon = Lexicon((Entry("Dittmann", phonemes="dItman"),))
    assert spoken(lexicon, "gtts", "le fameux Dittmann.") == "le fameux Dittmann."
    assert spoken(lexicon, "espeak", "le fameux Dittmann.") == "le fameux [[dItman]]."


def test_speaker_notes_each_replacement() -> None:
    _, changes = make_speaker(SAMPLE_LEXICON, GTTS)("le milieu S. D. un rôle", "fr")
    assert changes[0] == "lexicon: S. D. -> social-démocrate"


def test_language_span_respelt_where_the_engine_cannot_switch() -> None:
    assert spoken(SAMPLE_LEXICON, "gtts", HANDS_OFF) == (
        "Jusqu'à aujourd'hui le Hanndz off Reucha ! a été le mot d'ordre."
    )


def test_foreign_piece_is_spoken_as_written() -> None:
    speak = make_speaker(SAMPLE_LEXICON, GTTS)
    assert speak("« Hands off Russia »", "en") == ("Hands off Russia", ())


def test_protect_leaves_foreign_pieces_alone() -> None:
    assert SAMPLE_LEXICON.protect("Dittmann", GTTS, "en") == ("Dittmann", {}, [])


# ---------------------------------------------------------------- matching rules


def test_case_sensitive_by_default() -> None:
    assert "DITTMANN" in spoken(SAMPLE_LEXICON, "gtts", "le fameux DITTMANN.")


def test_case_insensitive_entry_matches_capitals() -> None:
    lexicon = Lexicon((Entry("Dittmann", say="Dite-mane", case_sensitive=False),))
    assert spoken(lexicon, "gtts", "le fameux DITTMANN.") == "le fameux Dite-mane."
    assert spoken(lexicon, "gtts", "le fameux dittmann.") == "le fameux Dite-mane."


@pytest.mark.parametrize(
    "text",
    ["la Dittmannia du nord.", "le néo-Dittmannisme.", "les XDittmann."],
)
def test_whole_words_only(text: str) -> None:
    assert spoken(SAMPLE_LEXICON, "gtts", text) == text


def test_initials_match_across_any_spacing() -> None:
    assert spoken(SAMPLE_LEXICON, "gtts", "le milieu S.\u00a0D. un rôle") == (
        "le milieu social-démocrate un rôle"
    )


def test_longest_entry_wins() -> None:
    lexicon = Lexicon(
        (
            Entry("Russia", say="Reussia"),
            Entry("off", say="ofe"),
            Entry("Hands off Russia", say="Hanndz off Reucha", lang="en"),
        )
    )
    assert spoken(lexicon, "gtts", "le « Hands off Russia ! » et la Russia") == (
        "le Hanndz off Reucha ! et la Reussia"
    )
    ((_, _, ranges),) = lexicon.segment("Hands off Russia", FRENCH_ONLY)
    assert ranges == [(0, 16)]


# ---------------------------------------------------------------- load_lexicon


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hints.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_hints_file_is_an_empty_lexicon() -> None:
    assert load_lexicon(None) == Lexicon()


def test_sample_hints_load() -> None:
    lexicon = load_lexicon(SAMPLES / "hints.toml")
    assert [(e.text, e.say, e.lang) for e in lexicon.entries] == [
        ("Dittmann", "Dite-mane", ""),
        ("Scheidemann", "Chaille-de-mane", ""),
        ("S. D.", "social-démocrate", ""),
        ("Hands off Russia", "Hanndz off Reucha", "en"),
    ]


def test_entry_fields_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[word]]\ntext = "  Dittmann "\nphonemes = "dItman"\ncase_sensitive = false\n'
        '[[lang]]\ntext = "Hands off Russia"\nlang = "en"\n',
    )
    assert load_lexicon(path).entries == (
        Entry("Dittmann", phonemes="dItman", case_sensitive=False),
        Entry("Hands off Russia", lang="en"),
    )


def test_bad_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "[[word]]\ntext = \n")
    with pytest.raises(InputError) as err:
        load_lexicon(path)
    assert str(err.value) == f"{path} is not valid TOML: Invalid value (at line 2, column 8)."


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(InputError) as err:
        load_lexicon(path)
    assert str(err.value) == f"cannot read {path}: No such file or directory."


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[word]]\ntext = "Dittmann"\n', "[[word]] entry 1 needs 'say' or 'phonemes'."),
        (
            '[[word]]\ntext = "A"\nsay = "a"\n[[word]]\ntext = "Dittmann"\nsay = ""\n',
            "[[word]] entry 2 needs 'say' or 'phonemes'.",
        ),
        (
            '[[word]]\ntext = "Dittmann"\nsay = "Dite-mane"\nspeak = "x"\nvoice = "y"\n',
            "[[word]] entry 1: unknown key(s) speak, voice.",
        ),
        ('[[lang]]\ntext = "Hands off Russia"\n', "[[lang]] entry 1 needs a 'lang' (e.g. \"en\")."),
        (
            '[[lang]]\ntext = "Hands off Russia"\nlang = 1\n',
            "[[lang]] entry 1 needs a 'lang' (e.g. \"en\").",
        ),
        ('[[word]]\nsay = "Dite-mane"\n', "[[word]] entry 1 needs a 'text' string."),
        ('[[word]]\ntext = 3\nsay = "trois"\n', "[[word]] entry 1 needs a 'text' string."),
        ('word = "Dittmann"\n', "[[word]] must be an array of tables."),
        ('[[words]]\ntext = "Dittmann"\n', "unknown table(s) words."),
    ],
)
def test_load_errors(tmp_path: Path, toml: str, message: str) -> None:
    path = write(tmp_path, toml)
    with pytest.raises(InputError) as err:
        load_lexicon(path)
    assert str(err.value) == f"{path}: {message}"


def test_empty_text_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, '[[word]]\ntext = ""\nsay = "X"\n')
    with pytest.raises(InputError, match="needs a 'text' string"):
        load_lexicon(path)


def test_case_sensitive_must_be_a_boolean(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[[word]]\ntext = "Dittmann"\nsay = "Dite-mane"\ncase_sensitive = "false"\n'
    )
    with pytest.raises(InputError, match="'case_sensitive' must be a boolean"):
        load_lexicon(path)
