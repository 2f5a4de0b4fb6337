"""`audiobook batch` on a real Dask LocalCluster (2 worker processes, 1 thread each) with
real espeak-ng and ffmpeg: the same books as sequential builds, a bad book failing alone,
re-runs skipping what is current, a worker killed mid-batch, and the shared caches under
concurrent writers."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from support import cli_runner, dask_client

from audiobook.batch import BatchEvents, BatchOptions, BatchReport, Outcome, read_catalog, run_batch
from audiobook.batch.catalog import scan_folder
from audiobook.batch.state import fingerprint
from audiobook.errors import InputError
from audiobook.pipeline import BuildOptions, build
from audiobook.render.cache import ChapterCache, ChunkCache

distributed = pytest.importorskip("distributed")

FORMATS = ("chapters", "vtt", "srt")
TIMING_MS = 1

BOOKS: dict[str, str] = {
    "alpha.txt": "Le chat dort sur le canapé. Il fait beau, et la ville est calme.\n\n"
    "Nous partirons demain matin, avant le lever du jour.\n",
    "beta.md": "# Premier chapitre\n\nLa rivière coule lentement vers la mer. Les oiseaux "
    "chantent.\n\n# Second chapitre\n\nLe soir tombe sur les collines. Tout se tait.\n",
    "gamma/book.toml": 'title = "Gamma"\nauthor = "Anne Auteur"\nsource = "texte.txt"\n',
    "gamma/texte.txt": "Le boulanger ouvre sa boutique à six heures. Le pain est chaud.\n",
    "delta/book.toml": 'title = "Delta"\nvoice = "fr-be"\n\n[[chapters]]\ntitle = "Un"\n'
    'source = "un.txt"\n\n[[chapters]]\ntitle = "Deux"\nsource = "deux.txt"\n',
    "delta/un.txt": "La gare est pleine de voyageurs pressés.\n",
    "delta/deux.txt": "Le train de nuit arrive enfin à Lyon.\n",
    "epsilon/book.toml": 'title = "Epsilon"\nsource = "e.txt"\n\n[pauses]\nsentence = 900\n',
    "epsilon/e.txt": "Les enfants jouent dans la cour. La cloche sonne. Ils rentrent en classe.\n",
    "epsilon/hints.toml": '[[word]]\ntext = "Lyon"\nsay = "Lion"\n',
    "zeta/notes.txt": "Un marché se tient chaque jeudi sur la place. On y vend des fruits.\n",
}


PRODUCED: dict[str, tuple[str, str]] = {  # name: (title, text), made by pandoc and Typst
    "theta.epub": ("Theta", "Le phare veille sur la côte. Les vagues frappent les rochers."),
    "iota.docx": ("Iota", "Le jardin est en fleurs. Les abeilles vont de rose en rose."),
    "kappa.odt": ("Kappa", "La forêt est profonde. Un renard traverse le sentier."),
    "lambda.pdf": ("Lambda", "Le fleuve déborde au printemps. Les barques restent au port."),
    "mu/source.docx": ("Mu", "La neige couvre les toits. Les enfants font un bonhomme."),
}
HTML_BOOK = (  # a saved article, with the navigation a reader leaves out
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Eta</title></head>'
    "<body><nav><a href='/'>Accueil</a></nav><article><h1>Eta</h1><p>Le train part à "
    "midi. Les voyageurs se pressent sur le quai.</p></article></body></html>"
)


def write_produced(folder: Path) -> None:
    """Six more books, in the other formats: HTML, and EPUB, DOCX, ODT, PDF from real
    producers (pandoc, Typst); one of them named by a book.toml."""
    import shutil
    import subprocess

    typst = pytest.importorskip("typst")
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (script/bootstrap installs it)")
    (folder / "eta.html").write_text(HTML_BOOK, encoding="utf-8")
    for name, (title, text) in PRODUCED.items():
        out = folder / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix == ".pdf":
            src = out.with_suffix(".typ")
            src.write_text(
                f'#set document(title: "{title}")\n#set text(lang: "fr")\n= {title}\n\n{text}\n',
                encoding="utf-8",
            )
            typst.compile(str(src), output=str(out))
            src.unlink()
        else:
            md = f"---\ntitle: {title}\nlang: fr\n---\n\n# {title}\n\n{text}\n"
            subprocess.run(["pandoc", "-f", "markdown", "-o", str(out)], input=md.encode(),
                           check=True, timeout=60)  # fmt: skip
    (folder / "mu/book.toml").write_text('title = "Mu"\nsource = "source.docx"\n')


def write_catalog(folder: Path, books: dict[str, str] = BOOKS) -> Path:
    for name, text in books.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with dask_client() as c:
        yield c


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_catalog(tmp_path_factory.mktemp("catalog"))
    write_produced(folder)
    return folder


def options(out: Path, cache: Path, **kwargs: Any) -> BatchOptions:
    build_options = BuildOptions(
        output_root=out, engine="espeak", cache_dir=cache, jobs=1, formats=FORMATS
    )
    return BatchOptions(build=build_options, **kwargs)


class Recorded(BatchEvents):
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.done: list[Outcome] = []

    def info(self, message: str) -> None:
        self.lines.append(message)

    def book_done(self, outcome: Outcome, finished: int, total: int) -> None:
        self.done.append(outcome)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory, catalog: Path, client: Any) -> BatchReport:
    root = tmp_path_factory.mktemp("batch")
    return run_batch([catalog], options(root / "out", root / "cache"), client=client)


def chunk_audio(cache: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in cache.glob("??/*.wav")}


def timings(manifest: dict[str, Any]) -> list[tuple[str, int, int]]:
    rows = [("book", 0, manifest["duration_ms"])]
    for ch in manifest["chapters"]:
        rows.append((ch["title"], ch["start_ms"], ch["end_ms"]))
        rows += [(c["id"], c["start_ms"], c["end_ms"]) for c in ch["chunks"]]
    return rows


def test_folder_catalogue_rules(catalog: Path) -> None:
    found = [p.relative_to(catalog).as_posix() for p in scan_folder(catalog)]
    assert found == [
        "alpha.txt", "beta.md", "delta/book.toml", "epsilon/book.toml", "eta.html",
        "gamma/book.toml", "iota.docx", "kappa.odt", "lambda.pdf", "mu/book.toml",
        "theta.epub", "zeta/notes.txt",
    ]  # fmt: skip


def test_csv_and_toml_lists_with_overrides(tmp_path: Path, catalog: Path) -> None:
    (tmp_path / "list.csv").write_text(
        f"source,engine,split_minutes\n{catalog / 'alpha.txt'},espeak,\n"
        f"{catalog / 'gamma/book.toml'},,5\n",
        encoding="utf-8",
    )
    (tmp_path / "list.toml").write_text(
        f'[[book]]\nsource = "{catalog / "beta.md"}"\nprofile = "audiobook"\n\n'
        f'[[book]]\nsource = "{catalog / "alpha.txt"}"\n',
        encoding="utf-8",
    )
    entries = read_catalog([tmp_path / "list.csv", tmp_path / "list.toml"])
    assert [(e.source.name, dict(e.overrides)) for e in entries] == [
        ("alpha.txt", {"engine": "espeak"}),  # the first mention wins
        ("book.toml", {"split_minutes": 5.0}),
        ("beta.md", {"profile": "audiobook"}),
    ]
    (tmp_path / "bad.csv").write_text("source,speed\nalpha.txt,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown column"):
        read_catalog([tmp_path / "bad.csv"])


def test_batch_matches_sequential_builds(first: BatchReport, catalog: Path, tmp_path: Path) -> None:
    assert first.exit_code == 0, first.failed
    assert first.count("done") == 12 and first.workers == 2
    assert len({o.worker for o in first.outcomes}) == 2, "both workers built books"
    out, cache = first.output, first.output.parent / "cache"
    seq_cache = tmp_path / "cache"
    seq = [
        build(p, BuildOptions(output_root=tmp_path / "out", engine="espeak",
                              cache_dir=seq_cache, jobs=1, formats=FORMATS))
        for p in scan_folder(catalog)
    ]  # fmt: skip
    assert {r.out_dir.name for r in seq} == {o.folder for o in first.outcomes}
    for r in seq:
        ours = json.loads((out / r.out_dir.name / "manifest.json").read_text())
        theirs = json.loads((r.out_dir / "manifest.json").read_text())
        assert ours["book_id"] == theirs["book_id"]
        for a, b in zip(timings(ours), timings(theirs), strict=True):
            assert a[0] == b[0] and abs(a[1] - b[1]) <= TIMING_MS and abs(a[2] - b[2]) <= TIMING_MS
    assert chunk_audio(cache) == chunk_audio(seq_cache) != {}
    data = json.loads((out / "batch-report.json").read_text())
    assert data["books"] == {"total": 12, "done": 12, "failed": 0, "skipped": 0}
    assert data["finished"] and data["chunks"]["made"] > 0 and data["audio_hours"]["built"] > 0
    assert not list(out.glob(".audiobook-*")), "no staging folder or lock is left"


def test_rerun_skips_current_books_and_rebuilds_a_changed_one(
    first: BatchReport, catalog: Path, client: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out, cache = first.output, first.output.parent / "cache"
    again = run_batch([catalog], options(out, cache), client=client)
    assert again.count("skipped") == 12 and again.exit_code == 0
    assert sum(o.chunks_made + o.chunks_reused for o in again.outcomes) == 0
    # One changed sentence: that book alone is built again, from the cache but one chunk.
    changed = write_catalog(tmp_path_factory.mktemp("changed"))
    (changed / "epsilon/e.txt").write_text(
        BOOKS["epsilon/e.txt"].replace("La cloche sonne.", "La cloche sonne fort."),
        encoding="utf-8",
    )
    out2 = first.output.parent / "out-changed"
    run_batch([changed], options(out2, cache), client=client)
    (changed / "epsilon/e.txt").write_text(BOOKS["epsilon/e.txt"], encoding="utf-8")
    third = run_batch([changed], options(out2, cache), client=client)
    statuses = {Path(o.source).parent.name + "/" + Path(o.source).name: o for o in third.outcomes}
    rebuilt = statuses["epsilon/book.toml"]
    assert rebuilt.status == "done" and rebuilt.chunks_made == 0 and rebuilt.chunks_reused > 0
    assert [o.status for o in third.outcomes].count("skipped") == 5
    # A book whose output was touched is built again.
    (out2 / "gamma/manifest.json").unlink()
    fourth = run_batch([changed], options(out2, cache), client=client)
    assert [o.title for o in fourth.outcomes if o.status == "done"] == ["Gamma"]


def test_a_bad_book_fails_alone_with_its_message(
    first: BatchReport, catalog: Path, client: Any, tmp_path: Path
) -> None:
    bad = write_catalog(tmp_path / "cat")
    (bad / "vide.txt").write_text("", encoding="utf-8")
    (bad / "broken").mkdir()
    (bad / "broken/book.toml").write_text('title = "Cassé"\nsource = "absent.txt"\n')
    events = Recorded()
    report = run_batch(
        [bad], options(tmp_path / "out", first.output.parent / "cache"), events, client=client
    )
    assert report.exit_code == 1
    assert report.count("done") == 6 and report.count("failed") == 2
    errors = {Path(o.source).name: o.error for o in report.failed}
    assert "is empty: there is no text to read." in errors["vide.txt"]
    assert "absent.txt" in errors["book.toml"]
    data = json.loads((tmp_path / "out/batch-report.json").read_text())
    assert len(data["errors"]) == 2 and data["books"]["failed"] == 2
    assert len(events.done) == 8


def test_an_engine_failure_in_a_worker_fails_that_book_alone(
    first: BatchReport, client: Any, tmp_path: Path
) -> None:
    books = {"a.txt": BOOKS["alpha.txt"], "b/book.toml": 'title = "B"\nsource = "b.txt"\n'
             'voice = "en"\n', "b/b.txt": "Une phrase.\n"}  # fmt: skip
    report = run_batch(
        [write_catalog(tmp_path / "cat", books)],
        options(tmp_path / "out", first.output.parent / "cache"),
        client=client,
    )
    assert [o.status for o in report.outcomes] == ["done", "failed"]
    assert "voice 'en' is not" in report.failed[0].error and report.failed[0].worker


def test_books_of_one_name_are_built_one_after_the_other(
    first: BatchReport, client: Any, tmp_path: Path
) -> None:
    """Same title, same folder name: the second waits for the first (a build holds the
    name's lock) and goes to notes-2/."""
    books = {"a/notes.txt": "Le premier carnet est bleu.\n", "b/notes.txt": "Le second est vert.\n"}
    report = run_batch(
        [write_catalog(tmp_path / "cat", books)],
        options(tmp_path / "out", first.output.parent / "cache"),
        client=client,
    )
    assert report.exit_code == 0, [o.error for o in report.failed]
    assert [o.folder for o in report.outcomes] == ["notes", "notes-2"]


def test_the_fingerprint_follows_sources_and_shaping_options(catalog: Path) -> None:
    book = catalog / "gamma/book.toml"
    base = options(Path("out"), Path("cache")).build
    assert fingerprint(book, base) == fingerprint(book, replace(base, jobs=4, cache_dir=None))
    assert fingerprint(book, base) != fingerprint(book, replace(base, profile="audiobook"))
    assert fingerprint(book, base) != fingerprint(book, replace(base, formats=("vtt",)))
    assert fingerprint(book, base) != fingerprint(catalog / "alpha.txt", base)


def _store_many(root: str, kind: str, rounds: int, payload: bytes) -> None:
    for _ in range(rounds):
        if kind == "chunk":
            ChunkCache(Path(root)).store("ab" + "0" * 62, payload, 22050)
        else:
            mp3 = Path(root) / f"src-{os.getpid()}.mp3"
            mp3.write_bytes(payload)
            ChapterCache(Path(root)).store("cd" + "0" * 62, mp3, {"samples": len(payload)})


@pytest.mark.parametrize("kind", ["chunk", "chapter"])
def test_two_processes_storing_one_cache_entry_never_corrupt_it(tmp_path: Path, kind: str) -> None:
    """Content-addressed: both write the same bytes; a reader meanwhile sees the entry
    whole or not at all, and it is whole at the end."""
    payload = os.urandom(2 * 22050)
    ctx = multiprocessing.get_context("spawn")
    writers = [
        ctx.Process(target=_store_many, args=(str(tmp_path), kind, 150, payload)) for _ in range(2)
    ]
    for w in writers:
        w.start()
    seen = 0
    while any(w.is_alive() for w in writers):
        if kind == "chunk":
            hit = ChunkCache(tmp_path).lookup("ab" + "0" * 62)
            if hit:
                assert hit[1] == len(payload) // 2
                seen += 1
        else:
            hit2 = ChapterCache(tmp_path).lookup("cd" + "0" * 62)
            if hit2:
                assert hit2[0].read_bytes() == payload
                seen += 1
    for w in writers:
        w.join()
        assert w.exitcode == 0
    assert seen > 0, "the reader saw the entry while it was being written again"
    if kind == "chunk":
        entry = ChunkCache(tmp_path).lookup("ab" + "0" * 62)
        assert entry is not None and entry[0].read_bytes()[44 : 44 + len(payload)] == payload
    else:
        got = ChapterCache(tmp_path).lookup("cd" + "0" * 62)
        assert got is not None and got[0].read_bytes() == payload
    assert not [p for p in tmp_path.rglob("*.tmp")], "no temporary file is left"


def test_the_cli_command_if_pasted(first: BatchReport, catalog: Path) -> None:
    from audiobook import cli

    result = cli_runner().invoke(
        cli.cli,
        ["batch", str(catalog), "-o", str(first.output), "--engine", "espeak",
         "--cache-dir", str(first.output.parent / "cache"), "--workers", "1",
         *(a for f in FORMATS for a in ("--format", f))],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 done, 0 failed, 12 skipped" in result.output


def test_a_batch_is_published_as_one_podcast(first: BatchReport, tmp_path: Path) -> None:
    """`audiobook feed OUT` on a batch's OUT: one item per built book, read by feedparser."""
    import feedparser

    from audiobook import cli

    feed = first.output / "feed.xml"
    args = ["feed", str(first.output), "--base-url", "https://example.org/pod", "-o", str(feed)]
    result = cli_runner().invoke(cli.cli, args)
    assert result.exit_code == 0, result.output
    assert "Wrote " in result.output and ": 12 items (12 written, 0 kept)." in result.output
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo
    built = {o.title for o in first.outcomes}
    assert {e.title for e in parsed.entries} == built
    urls = {e.enclosures[0].href for e in parsed.entries}
    assert urls == {f"https://example.org/pod/{o.folder}/{o.folder}.mp3" for o in first.outcomes}
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "batch-report.json").write_text('{"entries": []}', encoding="utf-8")
    result = cli_runner().invoke(cli.cli, [*args[:1], str(empty), *args[2:]])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {empty / 'batch-report.json'} lists no built book; run `audiobook batch` first."
    )


def test_a_worker_killed_mid_batch_leaves_nothing_half_written(
    catalog: Path, client: Any, tmp_path: Path
) -> None:
    """SIGKILL one worker process while books are being built: the scheduler runs its
    book again elsewhere; every book ends complete and no staging folder stays."""
    out = tmp_path / "out"
    result: dict[str, BatchReport] = {}
    runner = threading.Thread(
        target=lambda: result.update(
            r=run_batch([catalog], options(out, tmp_path / "c"), client=client)
        )  # fmt: skip
    )
    runner.start()
    killed, lost = None, set()
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline:
        if list(out.glob(".audiobook-*.staging-*")):  # a build is writing its staging folder
            processing = client.processing()
            busy = [addr for addr, keys in processing.items() if keys]
            if busy:
                lost = {str(k).split("-", 2)[2] for k in processing[busy[0]]}
                info = client.scheduler_info()["workers"][busy[0]]  # "pid" in older versions
                killed = info.get("pid") or client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(killed, signal.SIGKILL)
        time.sleep(0.01)
    runner.join(timeout=120)
    assert killed is not None, "no build was seen under way"
    report = result["r"]
    assert report.count("done") == 12, [o.error for o in report.failed]
    assert not list(out.glob(".audiobook-*")), "no staging folder, lock or previous book left"
    for o in report.outcomes:
        manifest = json.loads((out / o.folder / "manifest.json").read_text())
        assert all((out / o.folder / f).is_file() for f in manifest["files"])
    rerun = [o for o in report.outcomes if o.folder in lost]
    assert rerun and all(o.worker != f"{o.worker.split(':')[0]}:{killed}" for o in rerun)


def test_ctrl_c_stops_a_local_cluster_batch_in_one_line(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the terminal's group: the batch stops with its one
    line and exit 130; the workers neither print tracebacks nor log the cancelled tasks."""
    import subprocess
    import sys

    books = {f"livre{n}.txt": "Une phrase assez longue pour durer un peu. " * 40 for n in range(4)}
    catalog = write_catalog(tmp_path / "catalog", books)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "audiobook"), "batch", str(catalog), "-o", str(tmp_path / "out"),
         "--engine", "espeak", "--no-cache", "--dashboard", "none", "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert proc.stderr is not None
    first = proc.stderr.readline()  # printed once the cluster's workers are up
    assert first.startswith("Cluster: local, 2 worker processes"), first
    time.sleep(1.0)  # the books are being built
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 130, err
    assert err.splitlines() == [
        f"Stopped: 0 of 4 books finished (see {tmp_path / 'out' / 'batch-report.json'}); "
        "re-run to resume."
    ], err
    for folder in (tmp_path / "out").glob("livre*"):  # finished as the workers were stopped
        manifest = json.loads((folder / "manifest.json").read_text())
        assert all((folder / f).is_file() for f in manifest["files"]), "whole, or not there"


def test_two_batches_at_once_share_one_cache(
    first: BatchReport, catalog: Path, client: Any, tmp_path: Path
) -> None:
    """The catalogue twice at the same time, on 2 and on 3 worker processes, into one new
    cache: both complete with the books of the first batch, every cache entry is whole,
    and the later batch reuses chunks the other one made."""
    cache = tmp_path / "cache"
    results: dict[str, BatchReport] = {}

    def run(name: str, dask: Any) -> None:
        results[name] = run_batch([catalog], options(tmp_path / name, cache), client=dask)

    with dask_client(3) as three:
        a = threading.Thread(target=run, args=("a", client))
        b = threading.Thread(target=run, args=("b", three))
        a.start()
        time.sleep(3.0)  # b starts while a is under way
        b.start()
        for t in (a, b):
            t.join(timeout=300)
    ra, rb = results["a"], results["b"]
    assert ra.count("done") == rb.count("done") == 12, [o.error for o in ra.failed + rb.failed]
    assert rb.workers == 3
    assert sum(o.chunks_reused for o in rb.outcomes) > 0, "b reused what a had made"
    for r in (ra, rb):
        for o in r.outcomes:
            ours = json.loads((r.output / o.folder / "manifest.json").read_text())
            theirs = json.loads((first.output / o.folder / "manifest.json").read_text())
            for x, y in zip(timings(ours), timings(theirs), strict=True):
                assert (
                    x[0] == y[0] and abs(x[1] - y[1]) <= TIMING_MS and abs(x[2] - y[2]) <= TIMING_MS
                )
    entries = list(cache.glob("??/*.wav"))
    assert entries and all(ChunkCache(cache).lookup(p.stem) for p in entries), "all whole"
    earlier = chunk_audio(first.output.parent / "cache")
    assert all(earlier[k] == v for k, v in chunk_audio(cache).items()), "the same audio"


def test_a_long_book_is_spread_over_the_workers_chapter_by_chapter(
    first: BatchReport, client: Any, tmp_path: Path
) -> None:
    """One book of four chapters: each chapter is a task the scheduler places (on both
    workers here); the book then copies them, and equals a build on one machine."""
    chapters = "".join(
        f"# Chapitre {n}\n\n" + f"Le chapitre {n} raconte une histoire assez longue. " * 12 + "\n\n"
        for n in range(1, 5)
    )
    catalog = write_catalog(tmp_path / "cat", {"long.md": chapters})
    with distributed.get_task_stream(client=client) as stream:
        report = run_batch([catalog], options(tmp_path / "out", tmp_path / "cache"), client=client)
    assert report.exit_code == 0, [o.error for o in report.failed]
    ran = [t for t in stream.data if str(t["key"]).startswith("chapter-")]
    assert len({str(t["key"]) for t in ran}) == 4
    assert len({t["worker"] for t in ran}) == 2, "the chapters ran on both workers"
    seq = build(
        catalog / "long.md",
        BuildOptions(output_root=tmp_path / "seq", engine="espeak", cache_dir=tmp_path / "c2",
                     jobs=1, formats=FORMATS),
    )  # fmt: skip
    (book,) = report.outcomes
    assert (book.chunks_made, book.chunks_reused) == (seq.chunks_made, 0)
    ours = json.loads((tmp_path / "out" / book.folder / "manifest.json").read_text())
    theirs = json.loads((seq.out_dir / "manifest.json").read_text())
    for x, y in zip(timings(ours), timings(theirs), strict=True):
        assert x[0] == y[0] and abs(x[1] - y[1]) <= TIMING_MS and abs(x[2] - y[2]) <= TIMING_MS
