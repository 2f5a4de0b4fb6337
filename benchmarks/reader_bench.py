"""Figure 8: reading sources (issue 13). Typeset PDFs of about 30, 100 and 300 A5 pages, read
the way a build reads them, against a cold Pico build; and word accuracy of what is read,
against the ground truth, for the 300-page PDF and for every test fixture format.

Run by `script/bench --only 8` (or directly: .venv/bin/python benchmarks/reader_bench.py; add
--measure-300-build to build the 300-page book instead of extrapolating its build time).
Writes the section "## Reading sources" of benchmarks/results.md (bench.py keeps it when it
rewrites the rest) and prints it.

The books and the fixtures come from tests/test_readers_corpus.py, the readers' ground truth
and its producers (Typst, pandoc, LibreOffice); the words are compared as the tests compare
them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sections

ROOT = Path(__file__).resolve().parents[1]
SRC, TESTS = ROOT / "src", ROOT / "tests"
sys.path[:0] = [str(SRC), str(TESTS)]  # this tree's audiobook, and the tests' ground truth

import pytest  # noqa: E402  (the producers skip through pytest when a tool is missing)
import test_readers_corpus as corpus  # noqa: E402

from audiobook.readers import read_source  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"
SECTION = sections.READING
PAGES = (30, 100, 300)  # book sizes, A5
PAPER = 'paper: "a5"'
RUNS = 3  # reading: median of 3
ENGINE = "pico"  # the default offline voice (figure 5)
READ_FRACTION_MAX = 0.10  # issue 13: reading under 10% of the cold build's time
RSS_FLAT_MAX = 1.5  # "flat in page count": the 300-page peak at most 1.5x the 30-page peak
AUDIO_RE = re.compile(r"Built .*?: ([\d:]+) of audio")

# A fresh process that reads a source the way a build does (read_source, then build_document)
# and says what it took; with "-" it only imports, for the interpreter's own memory. Its peak
# RSS is VmHWM, its own memory's: ru_maxrss would carry over the bench's peak through exec.
CHILD = """
import json, re, sys, time
from pathlib import Path
t0 = time.perf_counter()
from audiobook.readers import read_source
from audiobook.text.chapters import build_document
t1 = time.perf_counter()
out = {"import_s": t1 - t0}
if sys.argv[1] != "-":
    source = read_source(Path(sys.argv[1]))
    t2 = time.perf_counter()
    doc = build_document(source)
    out.update(read_s=t2 - t1, document_s=time.perf_counter() - t2, chapters=len(doc.chapters),
               chars=sum(len(c.title) + sum(map(len, c.paragraphs)) + sum(map(len, c.notes))
                         for c in doc.chapters))
status = Path("/proc/self/status").read_text()
out["maxrss_kb"] = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))
print(json.dumps(out))
"""


def child_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(SRC) + (os.pathsep + path if path else "")}


def run(cmd: list[str]) -> tuple[float, str]:
    """(wall s, stdout); a failure stops the bench."""
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=child_env())
    wall = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return wall, done.stdout


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def make_books(folder: Path) -> list[dict[str, Any]]:
    """The ground truth, marked so that no text repeats, typeset by Typst in as many copies as
    make about 30, 100 and 300 A5 pages (copies counted from the pages one copy takes)."""
    folder.mkdir(parents=True)
    one = page_count(corpus.typst_pdf(folder / "one.pdf", repeat=1, marked=True, paper=PAPER))
    books = []
    for target in PAGES:
        copies = max(1, round(target / one))
        started = time.monotonic()
        path = corpus.typst_pdf(
            folder / f"book-{target}.pdf", repeat=copies, marked=True, paper=PAPER
        )
        typeset_s = time.monotonic() - started
        books.append(
            {"target": target, "path": path, "copies": copies, "pages": page_count(path),
             "bytes": path.stat().st_size, "typeset_s": typeset_s}
        )  # fmt: skip
    return books


def read_in_child(pdf: Path | None) -> dict[str, Any]:
    wall, out = run([sys.executable, "-c", CHILD, str(pdf) if pdf else "-"])
    m: dict[str, Any] = json.loads(out)
    m["wall_s"] = wall
    return m


def cold_build(pdf: Path, work: Path) -> dict[str, Any]:
    """A cold build with the default offline voice: fresh cache, MP3s and chapters only."""
    out, cache = work / f"out-{pdf.stem}", work / f"cache-{pdf.stem}"
    wall, stdout = run(
        [sys.executable, "-m", "audiobook.cli", "build", str(pdf), "-o", str(out),
         "--engine", ENGINE, "--cache-dir", str(cache), "--format", "chapters"]
    )  # fmt: skip
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    audio = AUDIO_RE.search(stdout)
    return {"wall_s": wall, "audio": audio.group(1) if audio else "?"}


def scored(path: Path, truth: list[list[str]]) -> dict[str, Any]:
    """Words read (what build_document keeps: titles, paragraphs, notes) against the truth,
    chapter by chapter when there are as many chapters as in the truth (a word moved to
    another chapter then counts; and difflib, quadratic in a word's repeats, takes seconds
    instead of minutes on 300 pages), else over the whole book."""
    try:
        got = corpus.chapter_words(read_source(path))
    except AssertionError as exc:  # a note read without its "Note N." prefix
        return {"error": f"not read as the tests expect: {exc}"}
    if len(got) == len(truth):
        pairs, by = list(zip(got, truth, strict=True)), "chapter"
    else:
        pairs, by = [([w for c in got for w in c], [w for c in truth for w in c])], "book"
    errors, diff = 0, []
    for read, want in pairs:
        score, spans = corpus.accuracy(read, want)
        errors += round((1 - score) * max(1, len(want)))
        diff += [
            f"in '{' '.join(want[:6])}...', {span}" if by == "chapter" else span for span in spans
        ]
    total = sum(map(len, truth))
    return {
        "score": 1 - errors / total,
        "words": total,
        "read": sum(map(len, got)),
        "diff": diff,
        "by": f"{by} by {by} ({len(got)} chapters read, {len(truth)} in the truth)",
    }


def structure(path: Path) -> str:
    """The tests' other checks: chapters, paragraphs, each note after its paragraph."""
    try:
        corpus.check_reading(read_source(path))
    except AssertionError as exc:
        return "**no**: " + (str(exc).splitlines() or ["?"])[0][:120]
    return "yes"


# (label, producer): each writes one fixture of the ground truth, as the tests make it.
FIXTURES: list[tuple[str, Callable[[Path], Path]]] = [
    ("PDF, Typst", lambda d: corpus.typst_pdf(d / "typst.pdf")),
    ("PDF, LibreOffice", lambda d: corpus.libreoffice_pdf(d / "libreoffice.pdf")),
    ("EPUB 3, pandoc", lambda d: corpus.pandoc(d / "livre.epub")),
    ("EPUB 2, pandoc", lambda d: corpus.pandoc(d / "livre2.epub", "-t", "epub2")),
    ("DOCX, pandoc", lambda d: corpus.pandoc(d / "livre.docx")),
    ("ODT, pandoc", lambda d: corpus.pandoc(d / "livre.odt")),
    ("HTML, pandoc -s", lambda d: corpus.pandoc(d / "page.html", "-s")),
]


def fixtures(folder: Path) -> list[dict[str, Any]]:
    truth = corpus.truth_chapter_words()
    out = []
    for n, (label, produce) in enumerate(FIXTURES):
        made = folder / f"fixture-{n}"
        made.mkdir(parents=True)
        try:
            path = produce(made)
        except pytest.skip.Exception as exc:  # the producer is not installed
            out.append({"label": label, "skipped": str(exc)})
            continue
        out.append({"label": label, **scored(path, truth), "structure": structure(path)})
    return out


def measure(work: Path, measure_300_build: bool) -> dict[str, Any]:
    started_all = time.monotonic()
    books = make_books(work / "books")
    baseline = read_in_child(None)
    for book in books:
        book["runs"] = [read_in_child(book["path"]) for _ in range(RUNS)]
    small, big = books[0], books[-1]
    pico = shutil.which("pico2wave") is not None
    build_small = cold_build(small["path"], work) if pico else None
    build_big = cold_build(big["path"], work) if pico and measure_300_build else None
    started = time.monotonic()
    big_score = scored(big["path"], corpus.truth_chapter_words(big["copies"], marked=True))
    big_score["seconds"] = time.monotonic() - started
    return {
        "books": books,
        "baseline": baseline,
        "build_small": build_small,
        "build_big": build_big,
        "big_score": big_score,
        "fixtures": fixtures(work / "fixtures"),
        "load": os.getloadavg(),
        "total_s": time.monotonic() - started_all,
    }


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def series(runs: list[dict[str, Any]], key: str) -> str:
    return "/".join(f"{r[key]:.2f}" for r in runs)


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def accuracy_row(label: str, s: dict[str, Any]) -> str:
    if "error" in s:
        return f"| {label} | {s['error'][:160]} | | | 100% of words, in order | **no** |"
    errors = len(s["diff"])
    got = (
        f"100% of {s['words']:,} words, in order"
        if not errors
        else f"{s['score']:.2%} of {s['words']:,} words ({errors} differing spans; read "
        f"{s['read']:,})"
    )
    return (
        f"| {label} | {got} | ground truth {s['words']:,} words | {s['score']:.4f} "
        f"| 100% of words, in order | {yes(not errors)} |"
    )


def section(m: dict[str, Any]) -> str:
    books, small, big = m["books"], m["books"][0], m["books"][-1]
    read_big = median(big["runs"], "wall_s")
    rss_small, rss_big = median(small["runs"], "maxrss_kb"), median(big["runs"], "maxrss_kb")
    chars_ratio = big["runs"][0]["chars"] / small["runs"][0]["chars"]
    rows = []
    if m["build_small"] is None:
        build_note = f"- Fig. 8a skipped: {ENGINE} (pico2wave) is not installed."
    else:
        if m["build_big"] is not None:
            build_s = m["build_big"]["wall_s"]
            how = f"measured, {m['build_big']['audio']} of audio"
        else:
            build_s = m["build_small"]["wall_s"] * chars_ratio
            how = (
                f"extrapolated: the {small['pages']}-page build's "
                f"{m['build_small']['wall_s']:.1f} s x {chars_ratio:.2f}, the ratio of "
                "characters read"
            )
        fraction = read_big / build_s
        rows.append(
            f"| 8a. Reading {big['pages']} pages (Typst PDF, A5): a fresh process's "
            f"read_source + build_document (median of {RUNS}) vs a cold {ENGINE} build "
            f"| {read_big:.1f} s | cold {ENGINE} build {build_s:,.0f} s ({how}) "
            f"| {fraction:.1%} | < {READ_FRACTION_MAX:.0%} | {yes(fraction < READ_FRACTION_MAX)} |"
        )
        build_note = (
            f"- Fig. 8a: cold build = `audiobook build BOOK.pdf --engine {ENGINE} --cache-dir "
            f"<fresh> --format chapters` (MP3s, manifest and chapters; it reads the PDF itself), "
            f"1 run: {small['pages']} pages {m['build_small']['wall_s']:.1f} s "
            f"({m['build_small']['audio']} of audio)"
            + (
                f", {big['pages']} pages {m['build_big']['wall_s']:.1f} s "
                f"({m['build_big']['audio']} of audio)"
                if m["build_big"]
                else f"; the {big['pages']}-page build was not run (about "
                f"{m['build_small']['wall_s'] * chars_ratio / 60:.0f} min): its time is "
                f"the {small['pages']}-page one's scaled by the characters read "
                f"({big['runs'][0]['chars']:,} / {small['runs'][0]['chars']:,}), which also "
                "scales the build's fixed start-up cost (run reader_bench.py "
                "--measure-300-build to build it)"
            )
            + "."
        )
    rss_ratio = rss_big / rss_small
    rows.append(
        f"| 8b. Peak memory reading {big['pages']} vs {small['pages']} pages (max RSS of the "
        f"reading process, median of {RUNS}) | {mb(rss_big)} | {mb(rss_small)} "
        f"| {rss_ratio:.2f}x | <= {RSS_FLAT_MAX:g}x (flat in page count) "
        f"| {yes(rss_ratio <= RSS_FLAT_MAX)} |"
    )
    rows.append(
        accuracy_row(
            f"8c. Accuracy, {big['pages']}-page Typst PDF: words read vs the ground truth",
            m["big_score"],
        )
    )
    skipped = []
    for n, f in enumerate(m["fixtures"]):
        label = f"8{chr(ord('d') + n)}. Accuracy, test fixture {f['label']}"
        if "skipped" in f:
            skipped.append(f"Fig. 8{chr(ord('d') + n)} skipped ({f['label']}): {f['skipped']}")
        else:
            rows.append(accuracy_row(label, f))
    per_book = [
        f"{b['pages']} pages ({b['copies']} copies, {b['bytes'] / 1e6:.1f} MB, "
        f"{b['runs'][0]['chars']:,} characters, {b['runs'][0]['chapters']} chapters, "
        f"typeset in {b['typeset_s']:.1f} s): wall {series(b['runs'], 'wall_s')} s, of which "
        f"read_source {series(b['runs'], 'read_s')} s and build_document "
        f"{series(b['runs'], 'document_s')} s; max RSS "
        f"{'/'.join(mb(r['maxrss_kb']) for r in b['runs'])}"
        for b in books
    ]
    per_page = [median(b["runs"], "wall_s") / b["pages"] * 1000 for b in books]
    checks = [f"{f['label']}: {f['structure']}" for f in m["fixtures"] if "structure" in f]
    letters = [f"8{chr(ord('c') + n)}" for n in range(1 + len(m["fixtures"]))]
    last = letters[-1][1:]
    lines = [
        SECTION,
        "",
        f"Generated by benchmarks/reader_bench.py on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at the end "
        f"{' '.join(f'{x:.2f}' for x in m['load'])}; this figure took {m['total_s']:.0f} s.",
        "",
        "| figure | ours | baseline | ratio | target | met? |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "- Fig. 8 input: the readers' ground truth (tests/test_readers_corpus.py: the sample "
        "article in 3 chapters, a sub-heading, 5 footnotes) typeset by Typst "
        f"{typst_version()} on A5 as the tests typeset it (French hyphenation, justified, "
        "running heads and page numbers, the third chapter on two columns), copied until the "
        "book has about 30, 100 and 300 pages; every paragraph, sub-heading and note of copy r "
        "says 'Partie r' and its number, so no text repeats. Headings every "
        f"{big['pages'] / (3 * big['copies']):.1f} pages, a footnote every "
        f"{big['pages'] / (5 * big['copies']):.1f}.",
        *[f"- Fig. 8a-b, {line}." for line in per_book],
        f"- Fig. 8a-b: the interpreter and the imports alone: {baseline_line(m['baseline'])}; "
        "median wall time per page: "
        + ", ".join(f"{b['pages']} pages {t:.0f} ms" for b, t in zip(books, per_page, strict=True))
        + ".",
        build_note,
        f"- Fig. 8c-{last}: words are compared as the tests compare them (test_readers_corpus.py "
        "words/read_words/accuracy: lower case, apostrophes and ellipses normalised, hyphens "
        "kept; titles, paragraphs and notes in reading order; accuracy = 1 - (substitutions + "
        f"deletions + insertions) / words), {m['big_score'].get('by', '')} for the "
        f"{big['pages']}-page book ({m['big_score']['seconds']:.0f} s with its reading). "
        "Fixtures as the tests make them; the "
        f"tests' structure checks (chapters, paragraphs, each note after its paragraph): "
        + "; ".join(checks)
        + ".",
        *[f"- {s}" for s in skipped],
        *[
            f"- Fig. {row} differences (the first 5 of {len(f['diff'])}): "
            + "; ".join(f["diff"][:5])
            for row, f in zip(letters, [m["big_score"], *m["fixtures"]], strict=True)
            if f.get("diff")
        ],
        "",
    ]
    return "\n".join(lines)


def baseline_line(b: dict[str, Any]) -> str:
    return f"{b['wall_s']:.2f} s, max RSS {mb(b['maxrss_kb'])}"


def typst_version() -> str:
    from importlib.metadata import version

    return version("typst")


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument(
        "--measure-300-build",
        action="store_true",
        help="build the 300-page book cold too (several minutes) instead of extrapolating",
    )
    args = p.parse_args(argv)
    sections.measure_and_write(
        RESULTS, SECTION, "reader", lambda work: section(measure(work, args.measure_300_build))
    )


if __name__ == "__main__":
    main()
