"""The command line. The only module that imports click; it turns errors into exit codes."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .audio.loudness import PROFILES
from .engines import (
    AUTO_PREFERENCE,
    ENGINE_NAMES,
    Engine,
    EngineOptions,
    engine_class,
    measured_figures,
)
from .errors import AudiobookError, Interrupted
from .events import Events
from .model import ChapterAudio, Chunk, Document
from .pipeline import BuildOptions, build, default_jobs, preview
from .readers.pdf import parse_pages
from .text.chapters import reading_pages
from .text.chunk import Pauses
from .writers import DEFAULT_FORMATS, FORMATS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def reported() -> Iterator[None]:
    """AudiobookError -> one line on stderr and exit 1 (Ctrl-C: 130); never a traceback."""
    try:
        yield
    except Interrupted as exc:
        click.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Stopped: the previous output is unchanged; re-run to resume.", err=True)
        sys.exit(Interrupted.exit_code)
    except AudiobookError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="audiobook")
def cli() -> None:
    """Turn French text into a chaptered, tagged audiobook."""


def parse_pauses(values: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for value in values:
        name, sep, ms = value.partition("=")
        if not sep or not ms.isdigit() or name not in Pauses.names():
            raise click.BadParameter(
                f"'{value}': expected NAME=MS with NAME one of {', '.join(Pauses.names())}.",
                param_hint="'--pause'",
            )
        out[name] = int(ms)
    return out


ENGINE_OPTIONS = [
    click.option(
        "--engine",
        type=click.Choice(["auto", *ENGINE_NAMES]),
        help="Speech engine [default: book.toml's, else auto: the first ready of "
        f"{', '.join(AUTO_PREFERENCE)}].",
    ),
    click.option(
        "--voice", help="The engine's voice (see `audiobook engines`) [default: book.toml's]."
    ),
    click.option(
        "--rate", type=click.IntRange(80, 450),
        help="espeak/mbrola words per minute [default: 165].",
    ),
    click.option(
        "--voice-model", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Piper voice model (.onnx, its .onnx.json beside it) [default: book.toml's].",
    ),
    click.option(
        "--length-scale", type=click.FloatRange(0.5, 2.0),
        help="Piper speed: above 1 is slower [default: the voice's].",
    ),
    click.option(
        "--tld", default="fr", show_default=True,
        help="gTTS accent: Google domain, e.g. fr (France), ca (Canada).",
    ),
    click.option(
        "--retries", type=click.IntRange(1, 20), default=5, show_default=True,
        help="gTTS: tries per request (backoff with jitter on 429/5xx).",
    ),
    click.option(
        "--split-minutes", type=click.FloatRange(min=1, min_open=False),
        help="Split a text without headings into parts of about N minutes.",
    ),
    click.option(
        "--pause", "pauses", multiple=True, metavar="NAME=MS",
        help=f"Override a pause ({', '.join(Pauses.names())}), e.g. sentence=700.",
    ),
]  # fmt: skip


def engine_options(fn: F) -> F:
    """The engine and text options build and preview share, given to fn as one `plan`
    dict of BuildOptions fields."""

    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> Any:
        names = ("engine", "voice", "rate", "tld", "retries", "split_minutes", "pauses",
                 "voice_model", "length_scale")  # fmt: skip
        got = {name: kwargs.pop(name) for name in names}
        kwargs["plan"] = {
            "engine": got["engine"],
            "engine_options": EngineOptions(
                voice=got["voice"],
                rate_wpm=got["rate"],
                tld=got["tld"],
                retries=got["retries"],
                voice_model=got["voice_model"],
                length_scale=got["length_scale"],
            ),  # fmt: skip
            "split_minutes": got["split_minutes"],
            "pauses": parse_pauses(got["pauses"]),
        }
        return fn(**kwargs)

    for option in reversed(ENGINE_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def output_options(fn: F) -> F:
    """What build and batch write, and whether they keep a cache, given to fn as one
    `written` dict of BuildOptions fields."""

    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> Any:
        formats, m4b = kwargs.pop("formats"), kwargs.pop("m4b")
        kwargs["written"] = {
            "use_cache": not kwargs.pop("no_cache"),
            "cache_url": kwargs.pop("cache_url"),
            "profile": kwargs.pop("profile"),
            "formats": tuple(
                dict.fromkeys([*(formats or DEFAULT_FORMATS), *(["m4b"] if m4b else [])])
            ),
        }
        return fn(**kwargs)

    options = [
        click.option("--no-cache", is_flag=True, help="Synthesize everything again; keep nothing."),
        click.option(
            "--cache-url", metavar="URL",
            help="Also share the cache through object storage, e.g. s3://bucket/prefix "
            "(credentials and AWS_ENDPOINT_URL from the environment; needs audiobook[s3]).",
        ),
        click.option(
            "--profile", type=click.Choice(list(PROFILES)), default="podcast",
            show_default=True, help="Loudness and encoding target.",
        ),
        click.option(
            "--format", "formats", type=click.Choice(FORMATS), multiple=True,
            help=f"Output to write besides the MP3s and manifest.json; repeat for several "
            f"[default: {', '.join(DEFAULT_FORMATS)}].",
        ),
        click.option(
            "--m4b", is_flag=True, help="Also write <book-slug>.m4b (same as --format m4b)."
        ),
    ]  # fmt: skip
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


PAGES_OPTION = click.option("--pages", metavar="N-M", help="PDF only: read pages N-M (e.g. 3-40).")


def _pages(text: str | None) -> tuple[int, int] | None:
    """--pages as a range; a bad one raises InputError (one line, exit 1, like a bad PDF)."""
    return None if text is None else parse_pages(text)


class CliEvents(Events):
    def __init__(self) -> None:
        self.bar: Any = None

    def engine_chosen(self, engine: Engine, reason: str) -> None:
        click.echo(f"Engine: {engine.NAME} {engine.version()} ({reason})", err=True)

    def warning(self, message: str) -> None:
        click.echo(f"Warning: {message}", err=True)

    def start(self, total_chunks: int, cached_chunks: int) -> None:
        click.echo(f"{total_chunks} chunks, {cached_chunks} already cached.", err=True)
        self.bar = click.progressbar(
            length=total_chunks, label="Synthesizing", file=sys.stderr, show_pos=True
        )
        self.bar.__enter__()

    def chunk_done(self, chunk: Chunk, reused: bool) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def chapter_done(self, chapter: ChapterAudio) -> None:
        pass

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _minutes(ms: float) -> str:
    s = int(round(ms / 1000))
    return (
        f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


@cli.command("build", context_settings=CONTEXT)
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
    show_default=True, help="Folder that receives <book-slug>/.",
)  # fmt: skip
@engine_options
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=default_jobs(), show_default=True,
    help="Chunks synthesized and chapters encoded at once.",
)  # fmt: skip
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path),
    help="Chunk cache folder [default: $XDG_CACHE_HOME/audiobook or ~/.cache/audiobook].",
)  # fmt: skip
@output_options
@PAGES_OPTION
def build_cmd(
    source: Path,
    output: Path,
    plan: dict[str, Any],
    jobs: int,
    cache_dir: Path | None,
    written: dict[str, Any],
    pages: str | None,
) -> None:
    """Build the audiobook of SOURCE (a .txt/.md file or a book.toml).

    \b
    Example:
      audiobook build samples/book.toml -o output --engine espeak --format vtt --format m4b
    """
    with reported():
        page_range = _pages(pages)
    options = BuildOptions(
        output_root=output,
        jobs=jobs,
        cache_dir=cache_dir,
        pages=page_range,
        **plan,
        **written,
    )
    events = CliEvents()
    try:
        with reported():
            result = build(source, options, events)
    finally:
        events.close()
    size = sum(p.stat().st_size for p in result.files)
    click.echo(
        f"Built {result.out_dir}/: {_minutes(result.duration_ms)} of audio, "
        f"{_count(result.chapters, 'chapter')}, {len(result.files)} files ({size / 1e6:.1f} MB) "
        f"in {result.seconds:.1f} s; chunks made {result.chunks_made}, "
        f"reused {result.chunks_reused}."
    )


@cli.command("batch", context_settings=CONTEXT)
@click.argument("catalog", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
    show_default=True, help="Folder that receives each <book-slug>/ and batch-report.json.",
)  # fmt: skip
@engine_options
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
    help="Chunks synthesized and chapters encoded at once within one book.",
)  # fmt: skip
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path),
    help="Chunk cache, shared by every worker (on a cluster: a shared folder, same path) "
    "[default: $XDG_CACHE_HOME/audiobook or ~/.cache/audiobook].",
)  # fmt: skip
@output_options
@click.option(
    "--scheduler", metavar="tcp://HOST:8786",
    help="An existing Dask scheduler [default: a LocalCluster on this machine].",
)  # fmt: skip
@click.option(
    "--workers", type=click.IntRange(1, 1024),
    help="LocalCluster worker processes [default: cores].",
)  # fmt: skip
@click.option(
    "--threads-per-worker", type=click.IntRange(1, 64), default=1, show_default=True,
    help="Books one LocalCluster worker builds at once.",
)  # fmt: skip
@click.option(
    "--dashboard", default="127.0.0.1:8787", show_default=True,
    help="LocalCluster dashboard address ('none': no dashboard).",
)  # fmt: skip
def batch_cmd(
    catalog: tuple[Path, ...],
    output: Path,
    plan: dict[str, Any],
    jobs: int,
    cache_dir: Path | None,
    written: dict[str, Any],
    scheduler: str | None,
    workers: int | None,
    threads_per_worker: int,
    dashboard: str,
) -> None:
    """Build every book of CATALOG (folders of sources, CSV or TOML lists of them, or
    single sources) on Dask; a book's own book.toml (or its list row) wins over these
    options. Books already built and current are skipped; exit 1 if any book failed.

    \b
    Example:
      audiobook batch books/ -o output --engine espeak
      audiobook batch books.csv -o /shared/out --cache-dir /shared/cache \\
        --scheduler tcp://10.0.0.5:8786
    """
    from .batch import BatchEvents, BatchOptions, Outcome, book_line, run_batch, summary

    class Printer(BatchEvents):
        def info(self, message: str) -> None:
            click.echo(message, err=True)

        def book_done(self, outcome: Outcome, finished: int, total: int) -> None:
            click.echo(book_line(outcome, finished, total))
            for warning in outcome.warnings:
                click.echo(f"  Warning: {warning}", err=True)

    build_options = BuildOptions(
        output_root=output, jobs=jobs, cache_dir=cache_dir, **plan, **written
    )
    options = BatchOptions(
        build=build_options,
        scheduler=scheduler,
        workers=workers,
        threads_per_worker=threads_per_worker,
        dashboard_address=None if dashboard.lower() == "none" else dashboard,
    )
    with reported():
        report = run_batch(list(catalog), options, Printer())
    click.echo(summary(report))
    if report.exit_code:
        sys.exit(report.exit_code)


@cli.command("preview", context_settings=CONTEXT)
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@engine_options
@click.option("--json", "as_json", is_flag=True, help="Print chapters and chunks as JSON.")
@PAGES_OPTION
def preview_cmd(source: Path, plan: dict[str, Any], as_json: bool, pages: str | None) -> None:
    """Show chapters and chunks with the text each engine will speak; no audio.

    \b
    Example:
      audiobook preview samples/book.toml --engine gtts
    """
    with reported():
        the_plan, eng = preview(source, BuildOptions(pages=_pages(pages), **plan), CliEvents())
    doc = the_plan.document
    page_lists = [_page_list(doc, i) for i in range(len(doc.chapters))]
    if as_json:
        data = {
            "title": doc.info.title,
            "engine": eng.NAME,
            "chapters": [
                {
                    "index": i + 1,
                    "title": ch.title,
                    "pages": page_lists[i],
                    "chunks": [
                        {
                            "id": c.id,
                            "kind": c.kind,
                            "text": c.text,
                            "spoken": c.spoken,
                            "lang": c.lang,
                            "pause_after_ms": c.pause_after_ms,
                            "changes": list(c.changes),
                        }
                        for c in the_plan.chapters[i]
                    ],
                }
                for i, ch in enumerate(doc.chapters)
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    total = sum(len(c) for c in the_plan.chapters)
    click.echo(
        f"{doc.info.title}: {_count(len(doc.chapters), 'chapter')}, {total} chunks ({eng.NAME})."
    )
    for i, ch in enumerate(doc.chapters):
        click.secho(f"\n## {i + 1}. {ch.title}", bold=True)
        if page_lists[i]:
            listed = " · ".join(f"{p['label']} «{p['text']}»" for p in page_lists[i])
            click.echo(f"Pages ({len(page_lists[i])}): {listed}")
        for c in the_plan.chapters[i]:
            lang = "" if c.lang == "fr" else f" [{c.lang}]"
            click.echo(f"{c.id}{lang} +{c.pause_after_ms}ms  {c.text}")
            if c.spoken != c.text:
                click.echo(f"{'':>12} -> {c.spoken}")
                for change in c.changes:
                    click.echo(f"{'':>15} {change}")


def _page_list(doc: Document, index: int) -> list[dict[str, Any]]:
    """Chapter `index`'s page targets: label, paragraph (as in chunk ids), word, and the
    words the page begins with."""
    chapter = doc.chapters[index]
    out = []
    for shown, page in zip(chapter.pages, reading_pages(doc, index), strict=True):
        words = chapter.paragraphs[shown.paragraph].split()[shown.word : shown.word + 3]
        out.append(
            {"label": page.label, "paragraph": page.paragraph, "word": page.word,
             "text": " ".join(words)}
        )  # fmt: skip
    return out


@cli.command(context_settings=CONTEXT)
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--write", type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a starter hints.toml there (never overwrites).",
)  # fmt: skip
@click.option(
    "--limit", type=click.IntRange(min=0), default=40, show_default=True,
    help="Rows to show (0: all).",
)  # fmt: skip
def hints(source: Path, write: Path | None, limit: int) -> None:
    """List words a listener is likely to hear wrong: foreign names and phrases,
    acronyms, rare words, anything left unexpanded. Words the book's hints.toml covers
    are skipped.

    \b
    Example:
      audiobook hints samples/bulletin-communiste-1920.txt --write hints.toml
    """
    from .hints import find_hints, format_findings, write_starter  # wordfreq loads slowly

    with reported():
        findings = find_hints(source)
        click.echo(format_findings(findings, limit))
        if write is not None:
            write_starter(write, findings)
            click.echo(f"Wrote {write} ({len(findings)} entries to review).")


@cli.command(context_settings=CONTEXT)
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--profile", type=click.Choice(sorted(PROFILES)),
    help="Profile to check against [default: the one the book was built with].",
)  # fmt: skip
def check(output_dir: Path, profile: str | None) -> None:
    """Measure every MP3 of a built book (loudness, peaks, rate, bitrate, silences,
    tags, chapters) against a profile; exit 1 if any check fails.

    \b
    Example:
      audiobook check output/bulletin-communiste-1920 --profile audiobook
    """
    from .check import check_output, format_table

    with reported():
        report = check_output(output_dir, PROFILES[profile] if profile else None)
    click.echo(format_table(report))
    if not report.ok:
        raise SystemExit(1)


@cli.command(context_settings=CONTEXT)
@click.argument(
    "output_dirs", nargs=-1, required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)  # fmt: skip
@click.option(
    "--base-url", required=True,
    help="Public URL of the feed's folder; enclosures are this plus each file's path from it.",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("output/feed.xml"), show_default=True,
    help="Feed file; an existing one is updated (other books' items kept).",
)  # fmt: skip
@click.option("--per-chapter", is_flag=True, help="One item per chapter instead of per book.")
@click.option("--title", help="Channel title [default: the first book's].")
@click.option("--author", help="Channel author [default: the first book's].")
@click.option("--image-url", help="Channel artwork URL (itunes:image).")
@click.option("--explicit", is_flag=True, help="Mark the channel explicit.")
def feed(
    output_dirs: tuple[Path, ...],
    base_url: str,
    output: Path,
    per_chapter: bool,
    title: str | None,
    author: str | None,
    image_url: str | None,
    explicit: bool,
) -> None:
    """Write or update an RSS podcast feed (itunes and Podcasting 2.0 tags, chapters,
    transcripts) for built books; a batch's OUT folder stands for every book it built.

    \b
    Example:
      audiobook feed output/bulletin-communiste-1920 --base-url https://example.org/pod \\
        -o output/feed.xml
    """
    from .feed import ChannelInfo, write_feed

    channel = ChannelInfo(
        title=title, author=author, image_url=image_url, explicit=explicit or None
    )
    with reported():
        result = write_feed(list(output_dirs), base_url, output, per_chapter=per_chapter,
                            channel=channel)  # fmt: skip
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(
        f"Wrote {result.path}: {result.items} items "
        f"({len(result.written)} written, {len(result.kept)} kept)."
    )


@cli.command(context_settings=CONTEXT)
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--model", "model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A faster-whisper model folder [default: Whisper base from audiobook[proof]].",
)  # fmt: skip
@click.option("--chapter", "chapters", type=click.IntRange(min=1), multiple=True,
              help="Proof only this chapter (repeatable).")  # fmt: skip
@click.option("--worst", type=click.IntRange(min=0), default=10, show_default=True,
              help="Sentences to list, the worst first.")  # fmt: skip
@click.option(
    "--max-wer", type=click.FloatRange(min=0), help="Exit 1 when the book's WER is above."
)
@click.option("--write-hints", type=click.Path(dir_okay=False, path_type=Path),
              help="Write words heard wrong more than once as a starter hints.toml.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def proof(
    output_dir: Path, model_dir: Path | None, chapters: tuple[int, ...], worst: int,
    max_wer: float | None, write_hints: Path | None, as_json: bool,
) -> None:  # fmt: skip
    """Listen to a built book with a machine listener (Whisper) and report, per sentence,
    chapter and book, the words heard wrong: a way to compare voices and find suspects
    (Whisper hears worse than a person; it does not certify).

    \b
    Example:
      audiobook proof output/bulletin-communiste-1920 --max-wer 0.25 --write-hints hints.toml
    """
    from . import proof as listener  # faster-whisper loads only here

    bar: Any = click.progressbar(length=1000, label="Listening", file=sys.stderr)

    def progress(done_s: float, total_s: float) -> None:
        bar.update(int(1000 * done_s / total_s) - bar.pos if total_s else 0)

    with reported(), bar:
        report = listener.proof_book(
            output_dir, model_dir, progress, chapters=set(chapters) or None, worst=worst
        )
    click.echo(json.dumps(listener.report_json(report), ensure_ascii=False, indent=2)
               if as_json else listener.format_report(report))  # fmt: skip
    if write_hints is not None:
        with reported():
            listener.write_hints(write_hints, report)
        click.echo(f"Wrote {write_hints} ({len(report.mishearings)} entries to review).", err=True)
    if max_wer is not None and report.score.wer > max_wer:
        click.echo(f"WER {report.score.wer:.3f} is above --max-wer {max_wer:g}.", err=True)
        raise SystemExit(1)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--voice-model", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A Piper voice model to check.",
)  # fmt: skip
def engines(voice_model: Path | None) -> None:
    """List the speech engines: usable here or why not (and what to install), voices,
    languages they switch to, licence, and the speed and intelligibility measured by
    script/bench.

    \b
    Example:
      audiobook engines --voice-model fr_FR-siwis-medium.onnx
    """
    measured = measured_figures()
    for name in ENGINE_NAMES:
        eng = engine_class(name)(EngineOptions(voice_model=voice_model))
        reason = eng.auto_reason()
        caps = eng.caps
        click.echo(f"{name:8} {'usable' if reason is None else 'not usable'}: {caps.summary}")
        if reason is not None:
            click.echo(f"{'':8} why: {reason}")
            if caps.install:
                click.echo(f"{'':8} install: {caps.install}")
        voices = f"voices {', '.join(caps.voices)}; " if caps.voices else ""
        others = sorted(caps.languages - {"fr"})
        switch = f"switches to {', '.join(others)}" if others else "French only"
        click.echo(f"{'':8} {voices}{switch}; max {caps.max_chars} chars/chunk")
        click.echo(f"{'':8} licence: {caps.licence}")
        click.echo(f"{'':8} measured: {measured.get(name, 'not measured (script/bench --only 5)')}")


M_MMAP_THRESHOLD = -3


def _return_big_buffers_to_the_os() -> None:
    """glibc raises its mmap threshold after large frees and then keeps chapter-sized
    buffers in its heap, so a long build's memory creeps up; pin it at 1 MiB."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to tune
        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, 1 << 20)


def main() -> None:
    _return_big_buffers_to_the_os()
    cli(prog_name="audiobook")


if __name__ == "__main__":
    main()
