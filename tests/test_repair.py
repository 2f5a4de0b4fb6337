"""PDF-extraction repair: input/output pairs per rule, then the sample as a whole."""

from __future__ import annotations

import pytest
from support import SAMPLE_TEXT

from audiobook.text.repair import (
    blocks_of,
    collapse_spaces,
    drop_soft_hyphens,
    fix_missing_space,
    fix_mojibake,
    join_page_breaks,
    repair_text,
    restore_elision,
    split_footnotes,
    unwrap,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Est-ce que  vraiment  la  Russie", "Est-ce que vraiment la Russie"),
        ("  tous,  unanimement,  ", "tous, unanimement,"),
        ("un total de 3\u00a0000 hommes", "un total de 3\u00a0000 hommes"),
        ("le mot\u00a0: « oui »", "le mot : « oui »"),
        ("fin.\u202f»", "fin. »"),
    ],
)
def test_collapse_spaces(raw: str, expected: str) -> None:
    assert collapse_spaces(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cette solidarité est le fondement,la base de la révolution.", "Cette solidarité est le fondement, la base de la révolution."),
        ("Il avait 3,5 kilos.", "Il avait 3,5 kilos."),
        ("Vraiment?Oui.", "Vraiment? Oui."),
        ("la révolution persane, etc.L'Orient a répondu.", "la révolution persane, etc. L'Orient a répondu."),
        ("Voir www.exemple.fr pour tout.", "Voir www.exemple.fr pour tout."),
    ],
)  # fmt: skip
def test_fix_missing_space(raw: str, expected: str) -> None:
    assert fix_missing_space(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("La révolution de 1905 a été pour ainsi dire un jeu d enfant.", "La révolution de 1905 a été pour ainsi dire un jeu d'enfant."),
        ("Il parle de l histoire.", "Il parle de l'histoire."),
        ("Je crois qu il viendra.", "Je crois qu'il viendra."),
        ("S il le faut, j irai.", "S'il le faut, j'irai."),
        ("Le point d de la figure.", "Le point d de la figure."),
        ("dans le milieu S. D. un rôle", "dans le milieu S. D. un rôle"),
        ("a-t il dit", "a-t il dit"),
    ],
)  # fmt: skip
def test_restore_elision(raw: str, expected: str) -> None:
    assert restore_elision(raw) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Lorsqu'on interrogera les", "historiens futurs"], "Lorsqu'on interrogera les historiens futurs"),
        (["une révolu-", "tion d'octobre"], "une révolution d'octobre"),
        (["les tendances contre-", "révolutionnaires"], "les tendances contre-révolutionnaires"),
        (["le gouvernement ouvrier-", "paysan de la Russie"], "le gouvernement ouvrier-paysan de la Russie"),
    ],
)  # fmt: skip
def test_unwrap(lines: list[str], expected: str) -> None:
    assert unwrap(lines) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a compound cut before a capital or a digit keeps its hyphen, loses the break
        (["la ligne Paris-", "Lyon-Méditerranée est longue"], "la ligne Paris-Lyon-Méditerranée est longue"),
        (["le pacte germano-", "Soviétique fut signé"], "le pacte germano-Soviétique fut signé"),
        (["la guerre de 1914-", "1918 a tout changé"], "la guerre de 1914-1918 a tout changé"),
        (["la ligne Paris\u2010", "Lyon"], "la ligne Paris\u2010Lyon"),
        (["la ligne Paris\u00ad", "Lyon"], "la ligne Paris-Lyon"),
        # every hyphen character at a line end: U+2010, U+2011, soft hyphen
        (["une révolu\u2010", "tion d'octobre"], "une révolution d'octobre"),
        (["une révolu\u2011", "tion d'octobre"], "une révolution d'octobre"),
        (["une révolu\u00ad", "tion d'octobre"], "une révolution d'octobre"),
        (["les tendances contre\u2010", "révolutionnaires"], "les tendances contre\u2010révolutionnaires"),
        (["les tendances contre\u00ad", "révolutionnaires"], "les tendances contre-révolutionnaires"),
        # a dash at a line end is not a hyphen
        (["il hésita -", "Puis il partit"], "il hésita - Puis il partit"),
    ],
)  # fmt: skip
def test_unwrap_line_end_hyphens(lines: list[str], expected: str) -> None:
    assert unwrap(lines) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("la révo\u00adlution", "la révolution"),
        ("rien à ôter", "rien à ôter"),
    ],
)
def test_drop_soft_hyphens(raw: str, expected: str) -> None:
    assert drop_soft_hyphens(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Le dÃ©marrage est lent.", "Le démarrage est lent."),
        ("Il a dit Â« non Â».", "Il a dit « non »."),
        ("Il a dit Â«\u00a0nonÂ\u00a0Â».", "Il a dit «\u00a0non\u00a0»."),
        ("lâ€™Ã©cole est fermÃ©e", "l’école est fermée"),
        ("une Å“uvre complÃ¨te", "une œuvre complète"),
        ("Ã€ Paris, Ã§a va.", "À Paris, ça va."),
        ("Il a payÃ© 5 â‚¬.", "Il a payé 5 €."),
        ("le cafÃ© et le thÃ©", "le café et le thé"),
        ("Ligne juste : café.\nLigne cassÃ©e : thÃ©.", "Ligne juste : café.\nLigne cassée : thé."),
        ("l’Ã®le et la forÃªt", "l’île et la forêt"),
    ],
)
def test_fix_mojibake(raw: str, expected: str) -> None:
    fixed, warning = fix_mojibake(raw)
    assert fixed == expected
    assert warning is not None and "\n" not in warning and "mojibake" in warning


@pytest.mark.parametrize(
    "clean",
    ["Le café à Paris.", "São Paulo, Ãgua", "À l’œuvre, naïve « élève »", "ASCII only"],
)
def test_clean_text_has_no_mojibake(clean: str) -> None:
    assert fix_mojibake(clean) == (clean, None)


def test_mojibake_warning_names_an_example() -> None:
    _, warning = fix_mojibake("Le dÃ©marrage Â« rapide Â».")
    assert warning is not None and "“dÃ©marrage”" in warning and "“démarrage”" in warning


def test_decoding_repairs_mojibake_once_with_a_warning() -> None:
    """Readers decode and repair; repair_text then gets clean text (and leaves it alone)."""
    from audiobook.readers.base import decode

    text, warnings = decode("Le dÃ©marrage\nrapide de la ligne Paris-\nLyon.".encode(), "a.txt")
    assert repair_text(text)[0] == ["Le démarrage rapide de la ligne Paris-Lyon."]
    assert len(warnings) == 1 and warnings[0].startswith("a.txt: the text holds mojibake")


def test_page_numbers_are_dropped() -> None:
    assert blocks_of("fin de page\n\n12\n\ndébut de page") == [["fin de page"], ["début de page"]]
    assert blocks_of("ligne\n- 7 -\nsuite") == [["ligne"], ["suite"]]


def test_page_break_mid_sentence_rejoins_paragraph() -> None:
    blocks, where = join_page_breaks([["la Russie des Soviets est le"], ["défenseur naturel."]])
    assert blocks == [["la Russie des Soviets est le", "défenseur naturel."]]
    assert where == [0, 0]


def test_new_paragraph_after_a_full_stop_stays_separate() -> None:
    blocks, _ = join_page_breaks([["Fin de phrase."], ["Nouvelle phrase."]])
    assert len(blocks) == 2


def test_footnote_inside_a_block_is_moved_out() -> None:
    blocks = [
        ["mais la Russie des Soviets est le"],
        [
            "1 Article paru dans le numéro 47/48.",
            "Suite de la note, fin.",
            " défenseur naturel de tous.",
        ],
    ]
    body, notes = split_footnotes(blocks)
    assert body == [["mais la Russie des Soviets est le", " défenseur naturel de tous."]]
    assert notes == [(0, "Note 1. Article paru dans le numéro 47/48. Suite de la note, fin.")]


def test_numbered_paragraph_after_full_sentence_is_not_a_footnote() -> None:
    body, notes = split_footnotes([["Voici la liste."], ["1 Premier point."]])
    assert notes == [] and len(body) == 2


def test_sample_repair() -> None:
    paragraphs, notes = repair_text(SAMPLE_TEXT.read_text(encoding="utf-8"))
    assert len(paragraphs) == 18
    joined = "\n".join(paragraphs)
    assert "la Russie des Soviets est le défenseur naturel de tous les opprimés" in joined
    assert "Article paru" not in joined
    assert len(notes) == 1 and notes[0][1].startswith("Note 1. Article paru dans le numéro 47/48")
    assert notes[0][1].endswith("le texte date du 7 novembre 1920.")
    assert "le fondement, la base" in joined
    assert "un jeu d'enfant" in joined
    assert "  " not in joined
    assert paragraphs[0].startswith("Lorsqu'on interrogera les historiens futurs")
