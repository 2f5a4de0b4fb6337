"""What players and podcast apps read, read back by independent parsers: transcript.vtt by
webvtt-py, transcript.srt by srt, chapters.json by jsonschema against the Podcasting 2.0
chapters schema; their times against manifest.json and the book MP3 (real espeak-ng)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import srt
import webvtt
from support import probe_duration_s

from audiobook.pipeline import BuildOptions, BuildResult, build

SCHEMA = Path(__file__).with_name("podcast_chapters.schema.json")
CUE_TOLERANCE_MS = 1  # the files and the manifest both round to the millisecond
BOOK_TOLERANCE_MS = 50
TITLES = ["Le port", "La conquête", "Le vent"]
# Over espeak's 600 characters: one sentence, two chunks, still one cue.
LONG_SENTENCE = (
    "Le vent soufflait fort sur la jetée du vieux port, où les pêcheurs, revenus avant "
    "l'aube, réparaient leurs filets en silence, tandis que les femmes, assises sur les "
    "caisses vides, comptaient les paniers de sardines, que les enfants couraient entre les "
    "cordages, que les mouettes tournaient au-dessus des barques, que le patron de la "
    "coopérative, un vieil homme au visage tanné, notait les prix dans un carnet noir, que "
    "le curé, sorti de l'église pour voir la mer, regardait l'horizon gris où se perdaient "
    "les voiles, et que personne, sur ce quai battu par les embruns, ne songeait encore à la "
    "tempête qui venait du large."
)
SOURCES = {
    "un.txt": "Le vieux port sentait le sel. Les bateaux rentraient au soir.\n\n"
    "La mer était grise, et le ciel aussi ; personne ne parlait.\n",
    "deux.txt": "Il vint. Il vit. Il vainquit.\n",
    "trois.txt": f"{LONG_SENTENCE} Puis tout se tut.\n",
}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("outputs")
    toml = 'title = "Trois courts chapitres"\nauthor = "Jeanne Autrice"\n'
    toml += 'publisher = "Les Éditions"\ndate = "1920-12-09"\nlanguage = "fr"\n'
    toml += 'description = "Trois chapitres pour les tests."\n'
    for (name, text), title in zip(SOURCES.items(), TITLES, strict=True):
        (root / name).write_text(text, encoding="utf-8")
        toml += f'[[chapters]]\ntitle = "{title}"\nsource = "{name}"\n'
    (root / "book.toml").write_text(toml, encoding="utf-8")
    return build(
        root / "book.toml",
        BuildOptions(output_root=root / "out", engine="espeak", cache_dir=root / "cache"),
    )


@pytest.fixture(scope="module")
def manifest(book: BuildResult) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((book.out_dir / "manifest.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def sentences(manifest: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start ms, end ms, written text) of each sentence, from the manifest's chunks: the
    pieces of one sentence share their id but for the last field (chapter-paragraph-
    sentence-piece)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for chapter in manifest["chapters"]:
        for chunk in chapter["chunks"]:
            groups.setdefault(chunk["id"].rsplit("-", 1)[0], []).append(chunk)
    assert any(len(g) > 1 for g in groups.values()), "the long sentence is cut in pieces"
    return [
        (g[0]["start_ms"], g[-1]["end_ms"], " ".join(c["text"] for c in g)) for g in groups.values()
    ]


def assert_cues_match(cues: list[tuple[float, float, str]], sentences: list) -> None:
    assert len(cues) == len(sentences)
    for (start, end, text), (want_start, want_end, want_text) in zip(cues, sentences, strict=True):
        assert abs(start - want_start) <= CUE_TOLERANCE_MS, text
        assert abs(end - want_end) <= CUE_TOLERANCE_MS, text
        assert text == want_text
        assert start < end, text
    for (_, end, text), (start, _, _) in pairwise(cues):
        assert end <= start, f"{text!r} overlaps the next cue"


def test_vtt_read_by_webvtt_py(book: BuildResult, sentences: list) -> None:
    captions = webvtt.read(str(book.out_dir / "transcript.vtt")).captions
    assert [c.identifier for c in captions] == [str(n) for n in range(1, len(captions) + 1)]
    cues = [
        (c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.text) for c in captions
    ]
    assert_cues_match(cues, sentences)
    assert any(LONG_SENTENCE in text for _, _, text in cues)


def test_srt_read_by_srt(book: BuildResult, sentences: list) -> None:
    text = (book.out_dir / "transcript.srt").read_text(encoding="utf-8")
    subs = list(srt.parse(text))
    assert [s.index for s in subs] == list(range(1, len(subs) + 1))
    cues = [(s.start.total_seconds() * 1000, s.end.total_seconds() * 1000, s.content) for s in subs]
    assert_cues_match(cues, sentences)
    # srt.parse also takes "." before the milliseconds; players need ",", as srt writes it.
    assert srt.compose(subs, reindex=False).rstrip("\n") == text.rstrip("\n")


def test_chapters_json_meets_the_podcasting_2_schema(book: BuildResult) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = json.loads((book.out_dir / "chapters.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    assert doc["version"] == "1.2.0"
    for bad in (
        {"chapters": []},
        {"version": "1.2.0", "chapters": [{"title": "no start"}]},
        {"version": "1.2.0", "chapters": [{"startTime": "0"}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)


def test_chapters_json_times(book: BuildResult, manifest: dict[str, Any]) -> None:
    chapters = json.loads((book.out_dir / "chapters.json").read_text("utf-8"))["chapters"]
    assert [c["title"] for c in chapters] == TITLES
    assert chapters[0]["startTime"] == 0
    for c, m in zip(chapters, manifest["chapters"], strict=True):
        assert c["endTime"] > c["startTime"], c
        assert abs(c["startTime"] * 1000 - m["start_ms"]) <= CUE_TOLERANCE_MS
    for a, b in pairwise(chapters):
        assert a["endTime"] == pytest.approx(b["startTime"], abs=0.001)
    book_ms = probe_duration_s(book.book_path) * 1000
    assert abs(chapters[-1]["endTime"] * 1000 - book_ms) <= BOOK_TOLERANCE_MS


def test_every_cue_lies_in_its_chapter(book: BuildResult) -> None:
    chapters = json.loads((book.out_dir / "chapters.json").read_text("utf-8"))["chapters"]
    captions = webvtt.read(str(book.out_dir / "transcript.vtt")).captions
    spans = [(c["startTime"] * 1000, c["endTime"] * 1000) for c in chapters]
    for cue in captions:
        start, end = cue.start_time.in_milliseconds(), cue.end_time.in_milliseconds()
        assert any(a <= start < end <= b for a, b in spans), cue.text
    titles = {cue.text for cue in captions}
    assert set(TITLES) <= titles, "each chapter title is read aloud and has its cue"


def test_metadata_reaches_the_manifest_and_chapters_json(
    book: BuildResult, manifest: dict[str, Any]
) -> None:
    """What feeds, players and check read back: every field under its own key."""
    expected = {
        "title": "Trois courts chapitres", "author": "Jeanne Autrice",
        "publisher": "Les Éditions", "date": "1920-12-09", "language": "fr",
        "description": "Trois chapitres pour les tests.",
    }  # fmt: skip
    assert {k: manifest[k] for k in expected} == expected
    assert all(c["lang"] == "fr" for ch in manifest["chapters"] for c in ch["chunks"])
    chapters = json.loads((book.out_dir / "chapters.json").read_text("utf-8"))
    assert (chapters["title"], chapters["author"]) == ("Trois courts chapitres", "Jeanne Autrice")
    last = chapters["chapters"][-1]
    assert abs(last["endTime"] * 1000 - manifest["duration_ms"]) <= 50
