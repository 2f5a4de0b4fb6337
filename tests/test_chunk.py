"""Sentences and chunks: where text is cut, and the pause after each piece."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from audiobook.text.chunk import (
    Paragraph,
    Pauses,
    chunk_chapter,
    split_sentences,
    split_spans,
)


def split_to_fit(
    text: str,
    max_chars: int,
    measure: Callable[[str], int],
    protected: Sequence[tuple[int, int]] = (),
) -> list[tuple[str, int]]:
    """split_spans as (piece text, priority of the cut after it)."""
    return [(text[a:b].strip(), p) for a, b, p in split_spans(text, max_chars, measure, protected)]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Il vint. Il vit. Il vainquit.", ["Il vint.", "Il vit.", "Il vainquit."]),
        ("Où est-elle ? » nous leur pourrions répondre. Oui.", ["Où est-elle ? » nous leur pourrions répondre.", "Oui."]),
        ("Dittmann jouait alors dans le milieu S. D. un rôle prépondérant. Puis il partit.", ["Dittmann jouait alors dans le milieu S. D. un rôle prépondérant.", "Puis il partit."]),
        ("M. Durand est venu. Mme Martin aussi.", ["M. Durand est venu.", "Mme Martin aussi."]),
        ("la révolution persane, etc. L'Orient a répondu.", ["la révolution persane, etc.", "L'Orient a répondu."]),
        ("Combien vite ! Il y a trois ans, nous étions seuls.", ["Combien vite !", "Il y a trois ans, nous étions seuls."]),
        ("« La voici devant vous. Cette révolution s'accomplit. »", ["« La voici devant vous.", "Cette révolution s'accomplit. »"]),
        ("Voir p. 12 et suivantes.", ["Voir p. 12 et suivantes."]),
        ("Texte sans point final", ["Texte sans point final"]),
        ("Voir l'art. 4, al. 2 du décret. Il s'applique.", ["Voir l'art. 4, al. 2 du décret.", "Il s'applique."]),
        ("Au XIXe s. Paris grandit.", ["Au XIXe s. Paris grandit."]),
        ("Voir p. 12 sq. Tout y est.", ["Voir p. 12 sq. Tout y est."]),
        ("Voir p. 12 sqq. Tout y est.", ["Voir p. 12 sqq. Tout y est."]),
        ("Il habite 12 bd. Voltaire à Paris.", ["Il habite 12 bd. Voltaire à Paris."]),
        ("Rendez-vous pl. Clichy demain.", ["Rendez-vous pl. Clichy demain."]),
        ("Le folio 3 r. Le verso est blanc.", ["Le folio 3 r. Le verso est blanc."]),
        ("Marx, op. Cit. p. 3.", ["Marx, op. Cit. p. 3."]),
        ("Id. Ibid. p. 4. Fin.", ["Id. Ibid. p. 4.", "Fin."]),
        ("Goethe, trad. Nerval, 1828. Puis vint la suite.", ["Goethe, trad. Nerval, 1828.", "Puis vint la suite."]),
        ("Chez la Vve. Clicquot on boit. Puis on rentre.", ["Chez la Vve. Clicquot on boit.", "Puis on rentre."]),
        ("Paris vs. Lyon ce soir. Le match commence.", ["Paris vs. Lyon ce soir.", "Le match commence."]),
        ("Elle partit. Sa sœur resta.", ["Elle partit.", "Sa sœur resta."]),
    ],
)  # fmt: skip
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_short_sentence_is_one_piece() -> None:
    assert split_to_fit("Il vint.", 100, len) == [("Il vint.", 0)]


def test_cut_prefers_clause_punctuation_over_comma_and_space() -> None:
    text = (
        "Trois années se sont écoulées depuis notre révolution d'octobre ; mais combien "
        "facilement, en vérité, on oublie le mal et la peine des jours passés !"
    )
    pieces = split_to_fit(text, 100, len)
    assert pieces[0] == ("Trois années se sont écoulées depuis notre révolution d'octobre ;", 3)
    assert all(len(p) <= 100 for p, _ in pieces)
    assert " ".join(p for p, _ in pieces) == text


def test_cut_never_inside_a_word_nor_after_an_abbreviation() -> None:
    text = "Nous avons rencontré hier soir M. Durand qui revenait de la campagne avec ses enfants et ses amis."
    pieces = split_to_fit(text, 40, len)
    assert all(len(p) <= 40 for p, _ in pieces)
    assert not any(p.endswith(" M.") for p, _ in pieces)
    assert " ".join(p for p, _ in pieces) == text


def test_cut_never_splits_a_grouped_number_or_protected_span() -> None:
    text = "Il y avait exactement 3 000 ouvriers dans le milieu S. D. de la ville ce jour-là."
    protected = [(text.index("S. D."), text.index("S. D.") + 5)]
    for limit in range(25, 60):
        pieces = [p for p, _ in split_to_fit(text, limit, len, protected)]
        assert all(not p.endswith(" 3") and not p.startswith("000") for p in pieces)
        assert all(not p.endswith(" S.") for p in pieces)


def test_paragraph_of_20000_characters_without_punctuation() -> None:
    text = " ".join(["révolution"] * 1819)  # 20 k characters, no punctuation
    pieces = split_to_fit(text, 100, len)
    assert all(len(p) <= 100 for p, _ in pieces)
    assert " ".join(p for p, _ in pieces) == text
    assert len(pieces) == pytest.approx(20000 / 100, rel=0.15)


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    pieces = split_to_fit("x" * 250, 100, len)
    assert all(len(p) <= 100 for p, _ in pieces)
    assert "".join(p for p, _ in pieces) == "x" * 250


def test_spoken_length_decides_the_cut() -> None:
    def spoken_len(t: str) -> int:
        return len(t.replace("1917", "mille neuf cent dix-sept"))

    text = "En 1917, en 1917, en 1917, en 1917, la révolution russe a commencé."
    pieces = split_to_fit(text, 50, spoken_len)
    assert all(spoken_len(p) <= 50 for p, _ in pieces)


def test_a_rule_reading_across_a_cut_still_fits() -> None:
    """Pieces are sized from their words' spoken lengths; a piece that speaks longer whole
    (here "Louis XIV" -> "Louis quatorze") is measured again and cut elsewhere."""

    def spoken_len(t: str) -> int:
        return len(t.replace("Louis XIV", "Louis quatorze de France"))

    text = " ".join(["Le roi Louis XIV régnait sur la France entière."] * 6)
    for limit in range(30, 90, 7):
        pieces = split_to_fit(text, limit, spoken_len)
        assert all(spoken_len(p) <= limit for p, _ in pieces), limit
        assert " ".join(p for p, _ in pieces) == text


def test_measures_grow_linearly_with_the_text() -> None:
    calls = 0

    def counting_len(t: str) -> int:
        nonlocal calls
        calls += 1
        return len(t)

    sentence = "Les ouvriers du port, las d'attendre, cessèrent le travail ce matin-là ; puis ils partirent."
    split_to_fit(" ".join([sentence] * 50), 100, counting_len)
    small = calls
    calls = 0
    split_to_fit(" ".join([sentence] * 500), 100, counting_len)
    assert calls <= 11 * small


def test_a_sentence_end_is_the_best_cut() -> None:
    text = "Il pleuvait, et le vent soufflait fort. La mer était grise, les bateaux au port."
    end = text.index(". ") + 1
    spans = split_spans(text, 60, len, strong={end})
    assert [(text[a:b], p) for a, b, p in spans] == [
        ("Il pleuvait, et le vent soufflait fort.", 4),
        ("La mer était grise, les bateaux au port.", 0),
    ]


def test_a_cut_between_words_costs_about_a_request() -> None:
    # Two pieces either way; the comma is a better place than between two words.
    text = "Les ouvriers de la ville, avec leurs femmes et leurs enfants nombreux, marchaient."
    pieces = split_to_fit(text, 60, len)
    assert [p for p, _ in pieces][0] == "Les ouvriers de la ville,"


def test_packed_paragraph_reads_as_one_stream() -> None:
    """For a request-bound engine, a chunk may end one sentence and begin the next; its
    breaks say where each sentence starts, and every sentence is carried exactly once."""
    text = (
        "Il vint. Il vit. Il vainquit. La mer était grise et le ciel aussi, et les "
        "bateaux restaient au port depuis trois jours. Personne ne parlait."
    )
    chunks = chunk_chapter(
        0,
        [Paragraph("body", text)],
        max_chars=60,
        pauses=Pauses(),
        segment=lambda s: [(s, "fr", [])],
        speak=lambda t, lang: (t, ()),
        last_pause_ms=0,
        pack=True,
    )
    assert len(chunks) == 3
    assert all(len(c.spoken) <= 60 for c in chunks)
    carried = [item for c in chunks for item in c.sentences()]
    assert [key for key, _ in carried] == [(0, 0), (0, 1), (0, 2), (0, 3), (0, 3), (0, 4)]
    assert " ".join(t for _, t in carried) == text
    assert len({c.id for c in chunks}) == 3


def _chunks(paragraphs: list[Paragraph], max_chars: int = 100) -> list:
    return chunk_chapter(
        0,
        paragraphs,
        max_chars=max_chars,
        pauses=Pauses(),
        segment=lambda s: [(s, "fr", [])],
        speak=lambda t, lang: (t, ()),
        last_pause_ms=Pauses().chapter_ms,
    )


def test_pauses_grow_with_the_boundary() -> None:
    p = Pauses()
    assert p.comma_ms < p.clause_ms < p.sentence_ms < p.paragraph_ms < p.chapter_ms
    chunks = _chunks(
        [
            Paragraph("title", "Partie 1"),
            Paragraph("body", "Première phrase. Seconde phrase, avec une virgule."),
            Paragraph("body", "Dernier paragraphe."),
        ]
    )
    assert [c.pause_after_ms for c in chunks] == [
        p.paragraph_ms,
        p.sentence_ms,
        p.paragraph_ms,
        p.chapter_ms,
    ]
    assert [c.id for c in chunks] == [
        "01-000-000-00",
        "01-001-000-00",
        "01-001-001-00",
        "01-002-000-00",
    ]


def test_pause_after_a_cut_depends_on_its_punctuation() -> None:
    text = "Un long début de phrase qui parle de tout et de rien ; puis une suite, et enfin la fin de tout."
    chunks = _chunks([Paragraph("body", text)], max_chars=60)
    assert len(chunks) >= 2 and chunks[0].text.endswith(";")
    assert chunks[0].pause_after_ms == Pauses().clause_ms


def test_pause_overrides() -> None:
    assert Pauses().with_overrides({"sentence": 900}).sentence_ms == 900
    with pytest.raises(ValueError, match="unknown pause 'breath'"):
        Pauses().with_overrides({"breath": 10})


def test_punctuation_only_text_makes_no_chunk() -> None:
    assert _chunks([Paragraph("body", "— … —")]) == []
