#!/usr/bin/env python3
"""Benchmark harness: how far `audiobook build` is from the floor set by its own tools.

Four figures, each the median of --runs runs (see benchmarks/README.md):
  1. offline floor: a cold espeak build vs plain `espeak-ng | ffmpeg` on the same text;
  2. warm rebuilds: unchanged source, and one edited word (how many chunks are re-made);
  3. gTTS path: our build vs `gtts-cli`, both against the local fake of Google's endpoint;
  4. scale: synthetic 1-hour and 10-hour books, peak RSS and wall time.

It prints a Markdown table and writes it to benchmarks/results.md. Missed targets are
results, not errors: the exit status is non-zero only when a run fails.
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
) -> Measured:
    """Run cmd, time it (wall clock); with memory, also its peak RSS two ways."""
    argv = list(cmd)
    time_out: Path | None = None
    if memory and TIME_BIN.exists():
        fd_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-time-{os.getpid()}.txt"
        time_out = fd_path
        argv = [str(TIME_BIN), "-v", "-o", str(time_out), *argv]
    rusage_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = 0
    peak_split: dict[str, tuple[int, int]] = {}
    started = time.monotonic()
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env or clean_env(),
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
) -> Build:
    cmd = [*audiobook_cmd(), "build", str(book), "--engine", engine, "-o", str(out)]
    cmd += ["--cache-dir", str(cache)]
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
        ffmpeg = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(d / "x.wav")]
        ffmpeg += ["-ar", "44100", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k"]
        run([*ffmpeg, str(d / "x.mp3")], "ffmpeg")
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


def scale(cfg: Config, plan: dict[str, Any], sizes: tuple[int, int], report: Report) -> None:
    """Figure 4: cold espeak builds of synthetic books; peak RSS and wall time."""
    small_n, large_n = sizes
    books = {n: scale_book(cfg.work / f"scale-{n}", plan, n) for n in sizes}
    results: dict[int, list[Build]] = {small_n: [], large_n: []}
    done = 0
    why = ""
    for i in range(cfg.runs):
        if i:
            last = results[small_n][-1].seconds + results[large_n][-1].seconds
            if elapsed() + last > cfg.budget_s:
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


def write_results(path: Path, cfg: Config, report: Report, machine_lines: list[str]) -> None:
    """results.md: a generated-by line, the machine, the table, the notes."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick mode (smoke test)" if cfg.quick else f"--runs {cfg.runs}"
    text = "\n".join(
        [
            f"Generated by script/bench on {now} ({mode}); re-run `script/bench` to refresh.",
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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=3, help="runs per figure (median), default 3")
    p.add_argument("--quick", action="store_true", help="tiny input, 1 run: the smoke test")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file (Markdown)")
    p.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch folder")
    p.add_argument(
        "--budget-min",
        type=float,
        default=15.0,
        help="wall-time budget; repeats of the slow figures are dropped to fit (default 15)",
    )
    p.add_argument("--keep-work", action="store_true", help="keep the scratch files")
    p.add_argument(
        "--only",
        default="1,2,3,4",
        help="comma-separated figures to run (1 and 2 run together), for development",
    )
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    contention = Contention()
    only = {s.strip() for s in args.only.split(",")}
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
        if "3" in only:
            gtts_path(cfg, books, report, reserve)
        if "4" in only:
            scale(cfg, preview(books.book), sizes, report)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
    total = elapsed()
    report.notes.append(contention.describe() + ".")
    report.notes.append(f"Total wall time of this bench run: {fmt_s(total)}.")
    table = report.table()
    print(table)
    print()
    for note in report.notes:
        print(f"- {note}")
    write_results(args.out, cfg, report, machine())
    log(f"bench: done in {fmt_s(total)}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
