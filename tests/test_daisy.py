"""--format daisy: a DAISY 2.02 full-text, full-audio talking book, built with real espeak-ng.

Checked against the DTDs (xmllint, Debian's w3c-sgml-lib catalog, no network), against the
rules of the DAISY 2.02 specification (references, timing, headings, metadata, skippable
notes), against the decoded MP3s (ffprobe) and, where it runs, against Debian's
daisy-player."""

from __future__ import annotations

import dataclasses
import grp
import os
import re
import shlex
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import HINTS_EN, probe_duration_s

from audiobook.model import RenderedBook
from audiobook.pipeline import BuildOptions, BuildResult, build
from audiobook.writers import WRITERS, daisy

XHTML = "{http://www.w3.org/1999/xhtml}"
CATALOG = Path("/usr/share/xml/w3c-sgml-lib/schema/dtd/catalog.xml")  # Debian w3c-sgml-lib
TITLE = 'Contes & "histoires" <de> la mer'
CHAPTERS = ["Premier chapitre", "Second chapitre"]
NOTE = "Cette ville existe encore aujourd'hui, sur la côte bretonne."
SOURCE = f"""# {CHAPTERS[0]}

Il était une fois une petite ville au bord de la mer. Les pêcheurs y vivaient
heureux & tranquilles, loin des <villes> bruyantes.

Un matin, le vent se leva et la mer devint grise. Personne ne savait pourquoi le

1 {NOTE}
ciel avait changé de couleur si vite.

# {CHAPTERS[1]}

Le soir venu, tout le monde se retrouva sur le port. On chanta « Hands off Russia » et d'autres airs.

La nuit tomba enfin sur la ville endormie.
"""
BOOK_TOML = """title = 'Contes & "histoires" <de> la mer'
author = "Jeanne Essai"
date = "1920-12-09"
publisher = "Éditions d'essai"
language = "fr"
source = "livre.md"
hints = "hints.toml"
"""


@dataclass(frozen=True)
class Built:
    result: BuildResult
    book: RenderedBook  # as the writer saw it, with folder set to the final one

    @property
    def folder(self) -> Path:
        return self.result.out_dir / daisy.FOLDER

    @property
    def zip_path(self) -> Path:
        return self.result.out_dir / f"{self.book.slug}-daisy.zip"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("daisy")
    src = root / "src"
    src.mkdir()
    (src / "livre.md").write_text(SOURCE, encoding="utf-8")
    (src / "hints.toml").write_text(HINTS_EN, encoding="utf-8")
    (src / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    seen: list[RenderedBook] = []

    def keep(book: RenderedBook) -> None:
        seen.append(book)
        daisy.write(book)

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(WRITERS, "daisy", dataclasses.replace(WRITERS["daisy"], write=keep))
        result = build(
            src / "book.toml",
            BuildOptions(
                output_root=root / "out",
                engine="espeak",
                cache_dir=root / "cache",
                formats=("daisy",),
            ),
        )
    return Built(result, dataclasses.replace(seen[0], folder=result.out_dir))


def parse(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def metas(root: ET.Element, ns: str = "") -> dict[str, str]:
    return {m.get("name", ""): m.get("content", "") for m in root.iter(f"{ns}meta")}


def ncc_headings(built: Built) -> list[ET.Element]:
    body = parse(built.folder / "ncc.html").find(f"{XHTML}body")
    assert body is not None
    return [e for e in body if re.fullmatch(rf"{re.escape(XHTML)}h[1-6]", e.tag)]


def smil_files(built: Built) -> list[str]:
    """In reading order: the order of the NCC headings that open them."""
    files: list[str] = []
    for h in ncc_headings(built):
        a = h.find(f"{XHTML}a")
        assert a is not None
        name = a.get("href", "").split("#")[0]
        if name not in files:
            files.append(name)
    return files


def npt_ms(value: str) -> float:
    m = re.fullmatch(r"npt=(\d+(?:\.\d+)?)s", value)
    assert m, value
    return float(m.group(1)) * 1000


def clock_ms(value: str) -> float:
    m = re.fullmatch(r"(\d+):(\d\d):(\d\d(?:\.\d+)?)", value)
    assert m, value
    return (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) * 1000


def clips(smil: ET.Element) -> list[tuple[str, float, float]]:
    return [
        (a.get("src", ""), npt_ms(a.get("clip-begin", "")), npt_ms(a.get("clip-end", "")))
        for a in smil.iter("audio")
    ]


def seq_dur_ms(smil: ET.Element) -> float:
    seq = smil.find("body/seq")
    assert seq is not None
    return float(seq.get("dur", "").removesuffix("s")) * 1000


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_folder_zip_and_audio_copied_not_reencoded(built: Built) -> None:
    names = sorted(p.name for p in built.folder.iterdir())
    assert names == [
        "a001.mp3", "a002.mp3", "content.html", "ncc.html", "s000.smil", "s001.smil",
        "s002.smil",
    ]  # fmt: skip
    with zipfile.ZipFile(built.zip_path) as zf:
        assert zf.testzip() is None
        assert sorted(zf.namelist()) == names
        for name in names:
            assert zf.read(name) == (built.folder / name).read_bytes(), name
    for n, chapter in enumerate(built.book.chapters, 1):
        copy = built.folder / f"a{n:03d}.mp3"
        original = built.result.out_dir / chapter.file
        assert copy.read_bytes() == original.read_bytes()
        assert copy.stat().st_ino == original.stat().st_ino, "a hard link on one file system"
    leftovers = [p.name for p in built.result.out_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_rewrite_replaces_folder_and_zip_in_place(built: Built) -> None:
    def files() -> dict[str, bytes]:  # the production date aside (midnight may pass)
        return {
            p.name: re.sub(rb'content="\d{4}-\d\d-\d\d"', b"", p.read_bytes())
            for p in built.folder.iterdir()
        }

    before = files()
    daisy.write(built.book)  # over the existing daisy/ and zip
    assert files() == before
    assert [p.name for p in built.result.out_dir.iterdir() if p.name.startswith(".")] == []
    assert oct(built.folder.stat().st_mode & 0o777) == "0o755"


def xmllint_or_skip() -> str:
    xmllint = shutil.which("xmllint")
    if not xmllint or not CATALOG.exists():
        pytest.skip(
            "needs xmllint and Debian's DTD catalog: apt-get install libxml2-utils w3c-sgml-lib"
        )
    return xmllint


def test_every_file_is_valid_against_its_dtd(built: Built) -> None:
    xmllint = xmllint_or_skip()
    files = ["ncc.html", "content.html", *smil_files(built)]
    env = {**os.environ, "XML_CATALOG_FILES": str(CATALOG)}
    for name in files:
        run = subprocess.run(
            [xmllint, "--valid", "--noout", "--nonet", str(built.folder / name)],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        assert run.returncode == 0 and run.stderr == "", f"{name}: {run.stderr}"


def test_validation_catches_an_invalid_smil(built: Built, tmp_path: Path) -> None:
    """The DTD is really loaded from the catalog: a wrong attribute fails."""
    xmllint = xmllint_or_skip()
    bad = tmp_path / "bad.smil"
    text = (built.folder / "s001.smil").read_text(encoding="utf-8")
    bad.write_text(text.replace("<seq ", '<seq clip-begin="0" ', 1), encoding="utf-8")
    env = {**os.environ, "XML_CATALOG_FILES": str(CATALOG)}
    run = subprocess.run(
        [xmllint, "--valid", "--noout", "--nonet", str(bad)], capture_output=True, text=True,
        env=env,
    )  # fmt: skip
    assert run.returncode != 0 and "clip-begin" in run.stderr


def test_ncc_metadata_title_and_headings(built: Built) -> None:
    root = parse(built.folder / "ncc.html")
    meta = metas(root, XHTML)
    headings = ncc_headings(built)
    assert meta["dc:title"] == TITLE
    assert meta["dc:creator"] == "Jeanne Essai"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", meta["dc:date"])
    assert meta["dc:format"] == "Daisy 2.02"
    assert meta["dc:identifier"]
    assert meta["dc:language"] == "fr"
    assert meta["dc:publisher"]
    assert meta["ncc:charset"] == "utf-8"
    assert meta["ncc:generator"].startswith("audiobook")
    assert meta["ncc:multimediaType"] == "audioFullText"
    assert "espeak" in meta["ncc:narrator"]
    assert meta["ncc:setInfo"] == "1 of 1"
    assert (meta["ncc:pageFront"], meta["ncc:pageNormal"], meta["ncc:pageSpecial"]) == ("0",) * 3
    assert not [s for s in root.iter(f"{XHTML}span") if s.get("class", "").startswith("page")]
    assert int(meta["ncc:tocItems"]) == len(headings) == 1 + len(CHAPTERS)
    assert int(meta["ncc:files"]) == len(list(built.folder.iterdir()))
    assert re.fullmatch(r"\d\d:\d\d:\d\d", meta["ncc:totalTime"])
    http_equiv = [m for m in root.iter(f"{XHTML}meta") if m.get("http-equiv")]
    assert [m.get("content") for m in http_equiv] == ["text/html; charset=utf-8"]
    # The title first, as h1 class="title"; then the chapters; no level skipped.
    first = headings[0]
    assert first.tag == f"{XHTML}h1" and first.get("class") == "title"
    assert "".join(first.itertext()) == TITLE
    assert ["".join(h.itertext()) for h in headings[1:]] == CHAPTERS
    levels = [int(h.tag[-1]) for h in headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert int(meta["ncc:depth"]) == max(levels)
    assert len({h.get("id") for h in headings}) == len(headings)


def test_every_reference_resolves(built: Built) -> None:
    folder = built.folder
    content = parse(folder / "content.html")
    content_ids = {e.get("id"): e for e in content.iter() if e.get("id")}
    smils = {name: parse(folder / name) for name in smil_files(built)}
    smil_ids = {n: {e.get("id"): e for e in s.iter() if e.get("id")} for n, s in smils.items()}
    pars = {(n, p.get("id")): p for n, s in smils.items() for p in s.iter("par")}
    # ncc -> smil: each heading points to a par or a text element of a SMIL in the folder.
    for h in ncc_headings(built):
        a = h.find(f"{XHTML}a")
        assert a is not None
        name, _, frag = a.get("href", "").partition("#")
        assert frag in smil_ids[name] and smil_ids[name][frag].tag in ("par", "text")
    # Each SMIL opens at the par its heading points to.
    for h, name in zip(ncc_headings(built), smil_files(built), strict=True):
        a = h.find(f"{XHTML}a")
        assert a is not None
        first = next(smils[name].iter("par"))
        assert a.get("href", "").split("#")[1] in (first.get("id"), first[0].get("id"))
    # smil -> content, and content -> the very par that points to it.
    linked_pars = set()
    for (name, pid), par in pars.items():
        text, audio = list(par)
        assert text.tag == "text" and audio.tag == "audio"
        file, _, frag = text.get("src", "").partition("#")
        assert file == "content.html" and frag in content_ids
        link = content_ids[frag].find(f"{XHTML}a")
        assert link is not None and link.get("href") == f"{name}#{pid}"
        assert (folder / audio.get("src", "")).is_file()
        linked_pars.add((name, pid))
    # content -> smil: every link lands on a par, and every par is linked once.
    hrefs = [a.get("href", "") for a in content.iter(f"{XHTML}a")]
    assert len(hrefs) == len(set(hrefs)) == len(pars)
    assert {tuple(h.split("#")) for h in hrefs} == linked_pars


def test_timing_adds_up(built: Built) -> None:
    folder = built.folder
    elapsed = 0.0
    ends: dict[str, float] = {}  # where the previous clip of each MP3 ended
    for name in smil_files(built):
        smil = parse(folder / name)
        meta = metas(smil)
        dur = seq_dur_ms(smil)
        spans = clips(smil)
        assert abs(dur - sum(end - begin for _, begin, end in spans)) <= 1
        assert abs(clock_ms(meta["ncc:timeInThisSmil"]) - dur) <= 1
        assert abs(clock_ms(meta["ncc:totalElapsedTime"]) - elapsed) <= 1
        assert meta["dc:format"] == "Daisy 2.02"
        assert meta["dc:identifier"] == metas(parse(folder / "ncc.html"), XHTML)["dc:identifier"]
        assert meta["ncc:generator"].startswith("audiobook")
        for src, begin, end in spans:  # contiguous, from 0, in order
            assert begin == ends.get(src, 0.0) and end >= begin, (name, src, begin)
            ends[src] = end
        elapsed += dur
    total = clock_ms(metas(parse(folder / "ncc.html"), XHTML)["ncc:totalTime"])
    assert abs(total - elapsed) <= 1000
    for src, end in ends.items():  # clips end with the chapter: within the decoded MP3
        decoded = probe_duration_s(folder / src) * 1000
        assert end <= decoded and decoded - end < 100, (src, end, decoded)
    assert len(ends) == len(CHAPTERS)


def test_content_has_every_written_word(built: Built) -> None:
    content = parse(built.folder / "content.html")
    body = content.find(f"{XHTML}body")
    assert body is not None
    text = " ".join(body.itertext())
    assert "heureux & tranquilles, loin des <villes> bruyantes." in text  # escaped, read back
    start = SOURCE.index(f"1 {NOTE}")
    written = SOURCE[:start] + SOURCE[start + len(NOTE) + 3 :]
    it = iter(words(text))
    assert [w for w in words(written) if w not in it] == []
    assert "".join(parse(built.folder / "ncc.html").itertext()).count(TITLE) >= 2
    english = [s for s in content.iter(f"{XHTML}span") if s.get("lang") == "en"]
    assert ["".join(s.itertext()) for s in english] == ["Hands off Russia"]
    assert english[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert content.get("lang") == "fr"


def test_notes_are_skippable_pars(built: Built) -> None:
    content = parse(built.folder / "content.html")
    note_ids = {
        span.get("id")
        for p in content.iter(f"{XHTML}p")
        if p.get("class") in ("footnote", "notes-heading")
        for span in p.iter(f"{XHTML}span")
        if span.get("id")
    }
    note_text = " ".join(
        "".join(p.itertext()) for p in content.iter(f"{XHTML}p") if p.get("class") == "footnote"
    )
    assert words(note_text) == ["note", "1", *words(NOTE)]
    skippable, others = set(), set()
    for name in smil_files(built):
        for par in parse(built.folder / name).iter("par"):
            target = par[0].get("src", "").split("#")[1]
            (skippable if par.get("system-required") else others).add(target)
            assert par.get("system-required") in (None, "footnote-on")
    assert skippable == note_ids and skippable and not skippable & others


# daisy-player stops at once without /proc/asound/cards, which a container has not, and
# keeps bookmarks in the passwd home (not $HOME). So it runs as root in a private mount
# namespace (unshare -m) where this script lays the test's folder over that home and, when
# there is no sound card, a /proc with one fake card over the real /proc.
PRIVATE_MOUNTS = r"""set -e
home=$1
shift
mount --bind "$home" "$(getent passwd "$(id -u)" | cut -d: -f6)"
if [ ! -e /proc/asound/cards ]; then
  real=$(mktemp -d)
  mount --rbind /proc "$real"
  mount -t tmpfs none /proc
  for e in "$real"/*; do ln -s "$e" "/proc/${e##*/}"; done
  mkdir /proc/asound
  printf ' 0 [Dummy          ]: Dummy - Dummy\n                      Dummy 1\n' >/proc/asound/cards
fi
exec "$@"
"""


def player_command(book: Path, tmp_path: Path) -> list[str]:
    if not (shutil.which("daisy-player") and shutil.which("tmux")):
        pytest.skip("needs daisy-player and tmux: apt-get install daisy-player tmux")
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip(
            "daisy-player runs here as root under unshare -m: it needs /proc/asound/cards "
            "(a sound card) and writes bookmarks to the passwd home"
        )
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -m is not allowed here (daisy-player needs a private /proc)")
    try:
        grp.getgrnam("audio")
    except KeyError:
        pytest.skip("daisy-player wants a member of the group audio, and there is none")
    script = tmp_path / "private-mounts.sh"
    script.write_text(PRIVATE_MOUNTS)
    home = tmp_path / "home"
    home.mkdir()
    player = shlex.join(["daisy-player", "-i", str(book)])
    return ["unshare", "-m", "sh", str(script), str(home), "sg", "audio", "-c", player]


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[list[str]]:
    """tmux on a private server (its own socket), killed at the end."""
    base = ["tmux", "-S", str(tmp_path / "tmux.sock")]
    yield base
    subprocess.run([*base, "kill-server"], capture_output=True)


def screen_until(tmux: list[str], needle: str, timeout_s: float = 15) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", "d"], capture_output=True, text=True
        ).stdout
        if needle in screen or time.monotonic() > deadline:
            return screen
        time.sleep(0.2)


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_daisy_player_lists_chapters_and_durations(
    built: Built, form: str, tmp_path: Path, tmux: list[str]
) -> None:
    cmd = player_command(built.folder if form == "folder" else built.zip_path, tmp_path)
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "d", "-x", "100", "-y", "30",
         f"{shlex.join(cmd)}; sleep 60"],
        check=True,
    )  # fmt: skip
    screen = screen_until(tmux, "Select a soundcard")
    assert "Select a soundcard" in screen, screen
    subprocess.run([*tmux, "send-keys", "-t", "d", "Enter"], check=True)
    screen = screen_until(tmux, "total length")
    assert "total length" in screen, screen
    items = re.findall(r"^\s+(\S.*?)[ .]+\s(\d+):(\d\d)\s*$", screen, re.M)
    assert [label.strip() for label, _, _ in items] == [TITLE, *CHAPTERS], screen
    durations = [seq_dur_ms(parse(built.folder / n)) / 1000 for n in smil_files(built)]
    shown = [int(m) * 60 + int(s) for _, m, s in items]
    assert all(abs(a - b) <= 1 for a, b in zip(shown, durations, strict=True)), (shown, durations)
    m = re.search(r"total length: (\d+):(\d\d):(\d\d)", screen)
    assert m, screen
    total = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    assert abs(total - sum(durations)) <= 1
    assert "level: 1 of 1" in screen


def test_a_text_without_headings_is_one_section_under_the_title(tmp_path: Path) -> None:
    """An article: its one chapter is named like the book, so the title heads all of it."""
    source = tmp_path / "article.txt"
    source.write_text("Le vieux port sentait le sel.\n\nLa mer était grise.\n", encoding="utf-8")
    options = BuildOptions(
        output_root=tmp_path / "out", engine="espeak", cache_dir=tmp_path / "c", formats=("daisy",)
    )
    folder = build(source, options).out_dir / daisy.FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [
        "a001.mp3", "content.html", "ncc.html", "s000.smil",
    ]  # fmt: skip
    ncc = parse(folder / "ncc.html")
    headings = [e for e in ncc.iter() if re.fullmatch(rf"{re.escape(XHTML)}h[1-6]", e.tag)]
    assert [(h.get("class"), "".join(h.itertext())) for h in headings] == [("title", "Article")]
    assert metas(ncc, XHTML)["ncc:tocItems"] == "1"
    spans = clips(parse(folder / "s000.smil"))
    assert spans[0][1] == 0 and all(a[2] == b[1] for a, b in zip(spans, spans[1:], strict=False))
    assert abs(probe_duration_s(folder / "a001.mp3") * 1000 - spans[-1][2]) < 100
    text = " ".join(parse(folder / "content.html").itertext())
    assert "Le vieux port sentait le sel." in text and "La mer était grise." in text
    if shutil.which("xmllint") and CATALOG.exists():
        for name in ("ncc.html", "content.html", "s000.smil"):
            run = subprocess.run(
                ["xmllint", "--valid", "--noout", "--nonet", str(folder / name)],
                capture_output=True, text=True,
                env={**os.environ, "XML_CATALOG_FILES": str(CATALOG)},
            )  # fmt: skip
            assert run.returncode == 0 and run.stderr == "", run.stderr
