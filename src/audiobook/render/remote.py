"""A cache shared through object storage (`--cache-url s3://bucket/prefix`, any fsspec URL).

The local cache folder stays the working copy: an entry missing there is fetched from the
remote store (into a temporary file, renamed once whole), and an entry made here is put
there after it is stored locally. Keys are content hashes, so two workers putting the same
entry put the same bytes; an object store shows an object whole or not at all, and other
filesystems get a temporary name and a rename. Whatever is fetched is verified by the
local cache before use, like any local entry."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from ..errors import AudiobookError, InputError
from ..files import atomic_path

# fsspec protocols whose writes are atomic per object (PUT): no temporary name needed.
OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "abfs", "az", "memory"})
EXTRAS = {"s3": "s3", "s3a": "s3"}  # protocol -> the audiobook extra that installs it


class RemoteError(AudiobookError):
    """The shared cache could not be read or written."""


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class Remote:
    """An fsspec filesystem and a root under it; paths below are relative to the root."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        try:
            import fsspec
        except ImportError:  # pragma: no cover - fsspec comes with the batch extra
            raise InputError("--cache-url needs fsspec: pip install 'audiobook[s3]'.") from None
        protocol = url.split("://", 1)[0] if "://" in url else ""
        if not protocol:
            raise InputError(
                f"--cache-url {url}: give a URL such as s3://bucket/prefix "
                "(a shared folder goes to --cache-dir)."
            )
        try:
            self.fs, self.root = fsspec.core.url_to_fs(self.url)
        except ImportError:
            extra = EXTRAS.get(protocol, protocol)
            raise InputError(
                f"--cache-url {url}: the {protocol}:// filesystem is not installed "
                f"(pip install 'audiobook[{extra}]')."
            ) from None
        except ValueError as exc:
            raise InputError(f"--cache-url {url}: {_reason(exc)}.") from None
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        self.atomic_put = any(p in OBJECT_STORES for p in protocols)

    def _path(self, rel: str) -> str:
        return f"{self.root}/{rel}" if self.root else rel

    def check(self) -> None:
        """Before any work: the store answers and lets us write (a probe, then removed)."""
        probe = self._path(f".probe-{uuid.uuid4().hex}")
        try:
            self.fs.pipe_file(probe, b"audiobook")
            self.fs.rm_file(probe)
        except Exception as exc:  # s3fs, botocore and aiohttp raise many kinds
            raise InputError(f"cannot use the cache at {self.url}: {_reason(exc)}.") from None

    def get(self, rel: str, dest: Path) -> bool:
        """Copy rel into dest (atomically); False when the store has no such entry."""
        try:
            with atomic_path(dest) as tmp:
                self.fs.get_file(self._path(rel), str(tmp))
        except FileNotFoundError:
            return False
        except Exception as exc:
            raise RemoteError(f"cannot read {self.url}/{rel}: {_reason(exc)}.") from None
        return True

    def put(self, src: Path, rel: str) -> None:
        target = self._path(rel)
        try:
            if self.atomic_put:
                self.fs.put_file(str(src), target)
                return
            tmp = f"{target}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
            self.fs.makedirs(self.fs._parent(target), exist_ok=True)
            self.fs.put_file(str(src), tmp)
            self.fs.mv(tmp, target)
        except Exception as exc:
            raise RemoteError(f"cannot write {self.url}/{rel}: {_reason(exc)}.") from None

    def exists(self, rel: str) -> bool:
        try:
            return bool(self.fs.exists(self._path(rel)))
        except Exception as exc:
            raise RemoteError(f"cannot read {self.url}/{rel}: {_reason(exc)}.") from None
