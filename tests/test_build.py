"""End to end with real espeak-ng, ffmpeg, ffprobe and mutagen: the sample becomes a book."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from support import SAMPLE_BOOK, SAMPLE_TEXT, ffprobe, probe_duration_s

from audiobook.pipeline import BuildOptions, BuildResult, build

TOLERANCE_MS = 50


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("sample")
    return build(
        SAMPLE_BOOK,
        BuildOptions(output_root=root / "out", engine="espeak", cache_dir=root / "cache"),
    )


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def vtt_cues(path: Path) -> list[tuple[float, float, str]]:
    cues = []
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        lines = block.strip().splitlines()
        stamp = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if stamp is None:
            continue
        start, end = (
            sum(float(x) * m for x, m in zip(t.strip().split(":"), (3600, 60, 1), strict=True))
            for t in lines[stamp].split("-->")
        )
        cues.append((start * 1000, end * 1000, " ".join(lines[stamp + 1 :])))
    return cues


def test_output_contract_files(sample: BuildResult) -> None:
    out = sample.out_dir
    assert out.name == "bulletin-communiste-1920"
    names = {p.relative_to(out).as_posix() for p in sample.files}
    assert {
        "bulletin-communiste-1920.mp3",
        "manifest.json",
        "chapters.json",
        "transcript.vtt",
        "transcript.srt",
    } <= names
    chapter_files = sorted(n for n in names if n.startswith("chapters/"))
    assert chapter_files == [
        "chapters/01-partie-1.mp3",
        "chapters/02-partie-2.mp3",
        "chapters/03-partie-3.mp3",
    ]
    assert not list(out.parent.glob(".*")), "no staging folder is left behind"


def test_book_chapters_read_back_by_ffprobe_and_mutagen(sample: BuildResult) -> None:
    manifest = json.loads((sample.out_dir / "manifest.json").read_text())
    podcast = json.loads((sample.out_dir / "chapters.json").read_text())
    probed = ffprobe(sample.book_path, "-show_chapters")["chapters"]
    assert [c["tags"]["title"] for c in probed] == ["Partie 1", "Partie 2", "Partie 3"]
    assert podcast["version"] == "1.2.0"
    for p, j, m in zip(probed, podcast["chapters"], manifest["chapters"], strict=True):
        assert abs(float(p["start_time"]) * 1000 - j["startTime"] * 1000) <= TOLERANCE_MS
        assert abs(float(p["start_time"]) * 1000 - m["start_ms"]) <= TOLERANCE_MS
        assert p["tags"]["title"] == j["title"] == m["title"]
    tags = ID3(sample.book_path)
    assert str(tags["TIT2"]) == "Bulletin communiste, 1920"
    assert str(tags["TALB"]) == "Bulletin communiste, 1920"
    assert str(tags["TDRC"]) == "1920-12-09"
    assert str(tags["TLAN"]) == "fre"
    assert str(tags["TCON"]) == "Audiobook"
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp1", "chp2", "chp3"]
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == ["Partie 1", "Partie 2", "Partie 3"]
    assert [c.element_id for c in chaps] == ["chp1", "chp2", "chp3"]


def test_chapter_files_tags_and_durations(sample: BuildResult) -> None:
    manifest = json.loads((sample.out_dir / "manifest.json").read_text())
    for n, ch in enumerate(manifest["chapters"], 1):
        path = sample.out_dir / ch["file"]
        tags = ID3(path)
        assert str(tags["TRCK"]) == f"{n}/3"
        assert str(tags["TIT2"]) == ch["title"]
        assert str(tags["TALB"]) == "Bulletin communiste, 1920"
        assert abs(probe_duration_s(path) * 1000 - ch["duration_ms"]) <= TOLERANCE_MS
        stream = ffprobe(path, "-show_streams")["streams"][0]
        assert stream["sample_rate"] == "44100" and stream["channels"] == 1
    book_ms = probe_duration_s(sample.book_path) * 1000
    assert abs(book_ms - manifest["duration_ms"]) <= TOLERANCE_MS
    assert 8 * 60_000 < manifest["duration_ms"] < 16 * 60_000
    assert manifest["engine"]["name"] == "espeak"


def test_transcript_has_every_body_word_in_order(sample: BuildResult) -> None:
    raw = SAMPLE_TEXT.read_text(encoding="utf-8")
    note_start = raw.index("1 Article paru")
    note_end = raw.index(" défenseur naturel")
    body = words(raw[:note_start] + raw[note_end:])
    note = words(raw[note_start:note_end])
    cues = vtt_cues(sample.out_dir / "transcript.vtt")
    spoken = words(" ".join(text for _, _, text in cues))
    it = iter(spoken)
    missing = [w for w in body if w not in it]
    assert missing == []
    joined = " ".join(text for _, _, text in cues)
    assert "la Russie des Soviets est le défenseur naturel de tous les opprimés" in joined
    assert joined.count("Article paru dans le numéro 47/48") == 1
    first = next(i for i, c in enumerate(cues) if c[2].startswith("Note 1."))
    note_words = words(" ".join(c[2] for c in cues[first : first + 3]))
    assert note_words[: len(note) + 1] == ["note", *note]
    srt = (sample.out_dir / "transcript.srt").read_text(encoding="utf-8")
    assert srt.count(" --> ") == len(cues)


def decoded(path: Path, rate: int = 16000) -> np.ndarray:
    pcm = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(path),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(rate),
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768


def test_cue_times_agree_with_the_decoded_audio(sample: BuildResult) -> None:
    """Before each cue there is silence; speech starts within 50 ms after its start."""
    rate = 16000
    pcm = decoded(sample.book_path, rate)
    frame = rate // 100  # 10 ms windows
    energy = np.sqrt(np.mean(pcm[: len(pcm) // frame * frame].reshape(-1, frame) ** 2, axis=1))
    speech = energy > 10 ** (-40 / 20)
    cues = vtt_cues(sample.out_dir / "transcript.vtt")
    for start, end, text in cues:
        s = int(start / 10)
        assert not speech[max(0, s - 8) : s - 1].any(), f"speech before cue {text[:40]!r}"
        assert speech[s : s + 5 + 1].any(), f"no speech within 60 ms of cue {text[:40]!r}"
        e = int(end / 10)
        assert speech[e - 6 : e].any() and not speech[e + 1 : e + 5].any(), text[:40]


def test_book_toml_with_chapter_files_cover_and_pauses(tmp_path: Path) -> None:
    (tmp_path / "un.txt").write_text("Le vieux port sentait le sel.\n", encoding="utf-8")
    (tmp_path / "deux.txt").write_text(
        "La mer était grise. Personne ne parlait.\n", encoding="utf-8"
    )
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=red:s=32x32", "-frames:v", "1",
         str(tmp_path / "cover.jpg")],
        check=True,
    )  # fmt: skip
    (tmp_path / "book.toml").write_text(
        'title = "Le Port & la Mer"\nauthor = "Anonyme"\ncover = "cover.jpg"\n'
        '[[chapters]]\ntitle = "Le port"\nsource = "un.txt"\n'
        '[[chapters]]\ntitle = "La mer"\nsource = "deux.txt"\n'
        "[pauses]\nsentence = 900\n",
        encoding="utf-8",
    )
    result = build(
        tmp_path / "book.toml",
        BuildOptions(output_root=tmp_path / "out", engine="espeak", cache_dir=tmp_path / "c"),
    )
    assert result.out_dir.name == "le-port-la-mer"
    tags = ID3(result.book_path)
    assert tags.getall("APIC")[0].mime == "image/jpeg"
    assert str(tags["TPE1"]) == "Anonyme"
    titles = [c["tags"]["title"] for c in ffprobe(result.book_path, "-show_chapters")["chapters"]]
    assert titles == ["Le port", "La mer"]
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    assert manifest["settings"]["pauses_ms"]["sentence_ms"] == 900
    chunks = manifest["chapters"][1]["chunks"]
    gap = next(
        b["start_ms"] - a["end_ms"]
        for a, b in zip(chunks, chunks[1:], strict=False)
        if a["text"] == "La mer était grise."
    )
    assert abs(gap - 900) <= TOLERANCE_MS


def test_gtts_reads_across_sentences_and_paragraphs_with_our_pauses(
    tmp_path: Path, fake_google: object
) -> None:
    """Several sentences, and paragraphs, in one request: each cue still starts where its
    speech starts, and the engine's pause at each break is replaced by ours."""
    (tmp_path / "court.txt").write_text(
        "Il vint. Il vit. Il vainquit. La mer était grise et le ciel aussi.\n\n"
        "Personne ne parlait. Le vent soufflait fort sur la jetée du vieux port.\n",
        encoding="utf-8",
    )
    result = build(
        tmp_path / "court.txt",
        BuildOptions(output_root=tmp_path / "out", engine="gtts", cache_dir=tmp_path / "c"),
    )
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    chunks = [c for ch in manifest["chapters"] for c in ch["chunks"]]
    spoken = len(" ".join(c["spoken"] for c in chunks))
    assert len(chunks) == -(-spoken // 100)  # as few requests as 100 characters each allow
    assert any("aussi. Personne" in c["text"] for c in chunks)  # a paragraph break inside
    cues = vtt_cues(result.out_dir / "transcript.vtt")
    texts = [t for _, _, t in cues]
    for sentence in ("Il vint.", "Il vit.", "Il vainquit.", "Personne ne parlait."):
        assert sentence in texts
    rate = 16000
    pcm = decoded(result.book_path, rate)
    frame = rate // 100
    energy = np.sqrt(np.mean(pcm[: len(pcm) // frame * frame].reshape(-1, frame) ** 2, axis=1))
    speech = energy > 10 ** (-40 / 20)
    for start, end, text in cues:
        s, e = int(start / 10), int(end / 10)
        assert speech[s : s + 6].any(), f"no speech within 60 ms of {text!r}"
        assert speech[max(0, e - 6) : e].any(), f"no speech just before the end of {text!r}"
        assert not speech[max(0, s - 4) : max(0, s - 1)].any(), f"speech before {text!r}"
    by_text = {t: (a, b) for a, b, t in cues}
    sentence_gap = by_text["Il vit."][0] - by_text["Il vint."][1]
    paragraph_gap = (
        by_text["Personne ne parlait."][0] - by_text["La mer était grise et le ciel aussi."][1]
    )
    assert abs(sentence_gap - 550) <= 25
    assert abs(paragraph_gap - 1000) <= 25
    assert not speech[
        int(by_text["Il vint."][1] / 10) + 1 : int(by_text["Il vit."][0] / 10) - 1
    ].any()


def test_encoding_early_with_an_estimated_gain_matches_the_whole_chapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long chapter is encoded before its last chunk, with the gain estimated on its first
    minute: same times and length as leveling the whole chapter first, loudness within the
    tolerance; an estimate that is off is thrown away and the chapter re-encoded."""
    from audiobook.audio.loudness import measure
    from audiobook.render import chapter as pipeline

    paragraphs = SAMPLE_TEXT.read_text(encoding="utf-8").split("\n\n")[2:]
    text, size = [], 0
    while size < 2600:  # about two and a half minutes of espeak
        text.append(paragraphs.pop(0))
        size += len(text[-1])
    src = tmp_path / "long.txt"
    src.write_text("\n\n".join(text), encoding="utf-8")

    cache = tmp_path / "cache"

    def made(name: str) -> tuple[dict, bytes, float]:
        for cached_chapter in [*cache.rglob("*.mp3"), *cache.rglob("*.json")]:
            cached_chapter.unlink()  # same chunks (from the cache), chapters made again
        result = build(
            src, BuildOptions(output_root=tmp_path / name, engine="espeak", cache_dir=cache)
        )
        manifest = json.loads((result.out_dir / "manifest.json").read_text())
        chapter = result.out_dir / manifest["chapters"][0]["file"]
        lufs = measure(decoded(chapter, 24000), 24000, peaks=False).integrated_lufs
        return manifest["chapters"][0], chapter.read_bytes(), lufs

    tolerance_db = pipeline.GAIN_ESTIMATE_TOLERANCE_DB
    early, early_mp3, early_lufs = made("early")
    monkeypatch.setattr(pipeline, "GAIN_ESTIMATE_AFTER_S", float("inf"))
    whole, whole_mp3, whole_lufs = made("whole")
    monkeypatch.setattr(pipeline, "GAIN_ESTIMATE_AFTER_S", 60.0)
    monkeypatch.setattr(pipeline, "GAIN_ESTIMATE_TOLERANCE_DB", -1.0)  # always off
    redone, redone_mp3, _ = made("redone")

    assert whole["duration_ms"] > 120_000
    assert early == whole == redone  # chunk times, durations, files
    assert redone_mp3 == whole_mp3
    assert early_mp3 != whole_mp3  # the estimate was used...
    assert abs(early_lufs - whole_lufs) <= tolerance_db  # ...and was close
