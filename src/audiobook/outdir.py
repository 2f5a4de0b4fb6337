"""The output folder: one build of a book at a time (a lock naming its holder), a private
staging folder, and a swap that never loses the previous book.

Everything this module makes in the output root is named `.audiobook-<slug>.*`; clean-up
touches nothing else, and nothing another live build holds.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import InputError

PREFIX = ".audiobook-"
MANIFEST = "manifest.json"


def _ours(root: Path, slug: str, what: str) -> Path:
    return root / f"{PREFIX}{slug}.{what}"


def _locked(path: Path) -> IO[str]:
    """path opened and locked (flock), checked to be the file still at path: a releasing
    holder removes it, and a lock on a removed file would guard nothing."""
    while True:
        f = path.open("a+")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            f.seek(0)
            holder = f.read().strip() or "another process"
            f.close()
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise InputError(
                f"{path.parent / path.name.removeprefix(PREFIX).removesuffix('.lock')} is "
                f"being built by process {holder}; wait for it to finish."
            ) from None
        try:
            if os.stat(path).st_ino == os.fstat(f.fileno()).st_ino:
                return f
        except FileNotFoundError:
            pass
        f.close()  # removed or replaced while we waited for it: take the new one


@contextlib.contextmanager
def book_lock(root: Path, slug: str) -> Iterator[None]:
    """Held for a whole build; a second build of the same book is told who holds it. The
    kernel drops the lock when its holder dies, even by SIGKILL."""
    path = _ours(root, slug, "lock")
    f = _locked(path)
    try:
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        yield
    finally:
        path.unlink(missing_ok=True)  # before the unlock: nobody locks a file being removed
        f.close()


def recover(root: Path, slug: str) -> None:
    """Undo what a killed build left (we hold the lock): a previous book moved aside but
    not replaced goes back; staging folders are removed."""
    final, previous = root / slug, _ours(root, slug, "previous")
    if previous.is_dir() and not final.exists():
        previous.rename(final)
    elif previous.is_dir():
        shutil.rmtree(previous, ignore_errors=True)
    for stale in root.glob(f"{PREFIX}{slug}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def staging_folder(root: Path, slug: str) -> Iterator[Path]:
    """A private folder beside the final one; removed whatever happens."""
    staging = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{slug}.staging-", dir=root))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _our_files(book: Path) -> set[str]:
    try:
        files = json.loads((book / MANIFEST).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return set()
    return {str(f) for f in files} if isinstance(files, list) else set()


def keep_user_files(final: Path, staging: Path) -> list[str]:
    """Files a user put in the book's folder (not in its manifest's file list) move into
    the new book, unless the new book has a file of that name."""
    if not final.is_dir() or not (final / MANIFEST).is_file():
        return []
    ours = _our_files(final)
    if not ours:
        return []
    kept = []
    for path in sorted(final.rglob("*")):
        name = path.relative_to(final).as_posix()
        if path.is_file() and name not in ours and not (staging / name).exists():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, staging / name)
            kept.append(name)
    return kept


def swap_into_place(staging: Path, root: Path, slug: str) -> Path:
    """Replace the previous book in two renames. A kill between them leaves the previous
    book under `.audiobook-<slug>.previous`, which the next build puts back."""
    final, previous = root / slug, _ours(root, slug, "previous")
    staging.chmod(0o755)  # mkdtemp makes it private
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
    return final


def _same_book(folder: Path, book_id: str, title: str) -> bool | None:
    """Whether folder holds this book; None when it holds nothing (free to use)."""
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # a folder of the user's, or not a book: never replaced
    if not isinstance(manifest, dict):
        return False
    if manifest.get("book_id"):
        return bool(manifest["book_id"] == book_id)
    return bool(manifest.get("title") == title)  # built before books had an id


def folder_for(root: Path, slug: str, book_id: str, title: str) -> str:
    """The folder name for this book: its slug, unless another book lives there, then
    slug-2, slug-3... (the one this book already has, else the first free)."""
    candidates = [slug, *(f"{slug}-{n}" for n in range(2, 100))]
    same = [_same_book(root / name, book_id, title) for name in candidates]
    for name, verdict in zip(candidates, same, strict=True):
        if verdict:
            return name
    for name, verdict in zip(candidates, same, strict=True):
        if verdict is None:
            return name
    raise InputError(f"{root} holds 99 other books named {slug}; choose another -o.")
