"""PDF-extraction repair: input/output pairs per rule, then the sample as a whole."""

from __future__ import annotations

import pytest
from support import SAMPLE_TEXT

from audiobook.text.repair import (
    blocks_of,
    collapse_spaces,
    fix_missing_space,
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
