"""--cache-url: the chunk and chapter caches shared through S3, tested against moto's S3
server (a real HTTP server on this machine) with s3fs, real espeak-ng and ffmpeg: a second
machine (another local cache) reuses everything, a corrupt object is made again, concurrent
writers of one entry never corrupt it, a batch's workers share it, bad URLs are one line."""

from __future__ import annotations

import json
import logging
import os
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import cli_runner, dask_client

from audiobook.cli import cli
from audiobook.pipeline import BuildOptions, build
from audiobook.render.cache import ChunkCache
from audiobook.render.remote import Remote

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")
pytest.importorskip("s3fs")

BUCKET = "books"
TEXT = (
    "# Premier\n\nLe chat dort sur le canapé. Il fait beau ce matin.\n\n"
    "# Second\n\nLa rivière coule lentement vers la mer. Les oiseaux chantent.\n"
)
FORMATS = ("chapters",)


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    """An S3 endpoint in this process; the environment points s3fs (and any worker
    started from here) at it."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    try:
        yield client
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def keys(client: Any, prefix: str) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return sorted(o["Key"] for page in pages for o in page.get("Contents", []))


def book(tmp_path: Path) -> Path:
    path = tmp_path / "livre.md"
    path.write_text(TEXT, encoding="utf-8")
    return path


def options(tmp_path: Path, name: str, url: str) -> BuildOptions:
    return BuildOptions(
        output_root=tmp_path / f"out-{name}", engine="espeak", cache_dir=tmp_path / f"cache-{name}",
        cache_url=url, jobs=2, formats=FORMATS,
    )  # fmt: skip


def manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def test_another_machine_reuses_the_shared_cache(tmp_path: Path, s3: Any) -> None:
    url = f"s3://{BUCKET}/shared-a"
    src = book(tmp_path)
    first = build(src, options(tmp_path, "a", url))
    assert first.chunks_made > 0 and first.chunks_reused == 0
    stored = keys(s3, "shared-a/")
    chunks = [k for k in stored if k.endswith(".wav")]
    assert len(chunks) == first.chunks_made
    assert len([k for k in stored if k.startswith("shared-a/chapters/")]) == 2 * (
        first.chapters + 1  # each chapter MP3 and the joined book, each with its JSON
    )
    assert not [k for k in stored if ".probe-" in k], "the write probe is removed"

    second = build(src, options(tmp_path, "b", url))  # an empty local cache: all from S3
    assert (second.chunks_made, second.chunks_reused) == (0, first.chunks_made)
    a, b = manifest(first.out_dir), manifest(second.out_dir)
    assert [c["chunks"] for c in a["chapters"]] == [c["chunks"] for c in b["chapters"]]
    assert first.book_path.read_bytes() == second.book_path.read_bytes()


def test_a_corrupt_shared_entry_is_made_again_and_replaced(tmp_path: Path, s3: Any) -> None:
    url = f"s3://{BUCKET}/shared-c"
    src = book(tmp_path)
    first = build(src, options(tmp_path, "a", url))
    victim = next(k for k in keys(s3, "shared-c/") if k.endswith(".wav"))
    good = s3.get_object(Bucket=BUCKET, Key=victim)["Body"].read()
    s3.put_object(Bucket=BUCKET, Key=victim, Body=good[:30])  # a torn upload
    for k in keys(s3, "shared-c/chapters/"):
        s3.delete_object(Bucket=BUCKET, Key=k)  # so the chunks themselves are looked up
    again = build(src, options(tmp_path, "b", url))
    assert (again.chunks_made, again.chunks_reused) == (1, first.chunks_made - 1)
    assert s3.get_object(Bucket=BUCKET, Key=victim)["Body"].read() == good
    assert again.book_path.read_bytes() == first.book_path.read_bytes()


def test_concurrent_writers_of_one_entry_never_corrupt_it(tmp_path: Path, s3: Any) -> None:
    """Content-addressed: writers put the same bytes; a reader on another machine (its own
    local cache, emptied each time) sees the entry whole or not at all."""
    url = f"s3://{BUCKET}/shared-w"
    key = "ab" + "1" * 62
    pcm = os.urandom(2 * 16000)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            cache = ChunkCache(tmp_path / f"writer-{n}", Remote(url))
            for _ in range(15):
                cache.store(key, pcm, 16000)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for w in writers:
        w.start()
    seen = 0
    reader_root = tmp_path / "reader"
    while any(w.is_alive() for w in writers):
        reader = ChunkCache(reader_root, Remote(url))
        reader.path_for(key).unlink(missing_ok=True)
        hit = reader.lookup(key)
        if hit:
            with wave.open(str(hit[0])) as w:
                assert w.readframes(w.getnframes()) == pcm
            seen += 1
    for w in writers:
        w.join()
    assert not errors, errors
    assert seen > 0
    assert keys(s3, "shared-w/") == [f"shared-w/ab/{key}.wav"], "no temporary object is left"


def test_a_batch_shares_the_store_between_its_workers(tmp_path: Path, s3: Any) -> None:
    pytest.importorskip("distributed")
    from audiobook.batch import BatchOptions, run_batch

    url = f"s3://{BUCKET}/shared-batch"
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for name in ("un", "deux", "trois"):
        (catalog / f"{name}.txt").write_text(
            f"Le livre {name} commence ici. Il finit très vite.\n", encoding="utf-8"
        )
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path / "worker-home")  # each worker's local copy
    try:
        with dask_client() as client:
            base = BuildOptions(
                output_root=tmp_path / "out", engine="espeak", cache_url=url, jobs=1,
                formats=FORMATS,
            )  # fmt: skip
            report = run_batch([catalog], BatchOptions(build=base), client=client)
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    assert report.exit_code == 0
    made = sum(o.chunks_made for o in report.outcomes)
    stored = [k for k in keys(s3, "shared-batch/") if k.endswith(".wav")]
    assert 0 < len(stored) <= made  # two workers may both make a chunk their books share
    assert (tmp_path / "worker-home" / "audiobook").is_dir()
    again = build(catalog / "un.txt", options(tmp_path, "fresh", url))
    assert again.chunks_made == 0 and again.chunks_reused > 0


@pytest.mark.parametrize(
    ("url", "extra", "message"),
    [
        (
            "s3://no-such-bucket/x", [],
            "Error: cannot use the cache at s3://no-such-bucket/x: The specified bucket "
            "does not exist.",
        ),
        ("nope://bucket/x", [], "Error: --cache-url nope://bucket/x: Protocol not known: nope."),
        (
            "bucket/x", [],
            "Error: --cache-url bucket/x: give a URL such as s3://bucket/prefix (a shared "
            "folder goes to --cache-dir).",
        ),
        (
            f"s3://{BUCKET}/x", ["--no-cache"],
            "Error: --no-cache keeps nothing: it cannot be used with --cache-url.",
        ),
    ],
)  # fmt: skip
def test_an_unusable_cache_url_is_one_line_before_any_work(
    tmp_path: Path, s3: Any, url: str, extra: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = cli_runner().invoke(
        cli,
        ["build", str(book(tmp_path)), "-o", str(out), "--engine", "espeak", "--cache-dir",
         str(tmp_path / "c"), "--cache-url", url, *extra],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stderr == message + "\n"
    assert not out.exists() or not any(out.iterdir())
