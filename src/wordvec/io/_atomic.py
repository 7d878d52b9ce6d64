"""Atomic writes: a reader sees the old content or the new, never half a file.

Files are written to a temporary file in the destination's directory, flushed and
fsync'ed, then moved over the destination with :func:`os.replace` (atomic on POSIX and
Windows when both names are on the same file system, which the same directory ensures).
The directory entry is fsync'ed afterwards so the rename itself survives a crash.

Directories cannot be swapped atomically with portable calls, so
:func:`atomic_directory` builds the new directory next to the old one, moves the old one
aside, moves the new one in, and only then deletes the old one. If the second move fails
the old directory is moved back; at every moment one complete copy exists on disk.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "atomic_directory"]

# Read once at import (os.umask can only be read by setting it); temporary files are
# created 0600 and are given the mode an ordinary open() would have given them.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _fsync_dir(path: Path) -> None:
    """fsync a directory entry (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _check_parent(path: Path) -> Path:
    parent = _parent(path)
    if not parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: directory {parent} does not exist")
    return parent


@contextmanager
def atomic_write(path: str | os.PathLike[str], *, compress: bool = False) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing; the content replaces ``path`` only on a clean exit.

    With ``compress=True`` the bytes written are gzip-compressed (the gzip header records
    the destination's name without ``.gz`` and a zero timestamp, so output is reproducible).
    If the body raises, the temporary file is removed and ``path`` is left untouched.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; give a file name")
    _check_parent(path)
    fd, tmp_name = tempfile.mkstemp(dir=_parent(path), prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            if compress:
                inner = path.name[:-3] if path.name.endswith(".gz") else path.name
                with gzip.GzipFile(filename=inner, mode="wb", fileobj=raw, mtime=0) as gz:
                    yield gz  # type: ignore[misc]
            else:
                yield raw
            raw.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(raw.fileno(), 0o666 & ~_UMASK)
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(_parent(path))


@contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temporary directory; on a clean exit it becomes ``path``.

    An existing directory at ``path`` is replaced (callers decide whether that is safe);
    an existing file at ``path`` is an error. Every regular file written into the
    temporary directory is fsync'ed before the swap. If the body raises, the temporary
    directory is deleted and ``path`` is left untouched.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise FileExistsError(f"{path} exists and is not a directory")
    parent = _check_parent(path)
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        os.chmod(tmp, 0o777 & ~_UMASK)
        yield tmp
        for child in tmp.iterdir():
            if child.is_file():
                with open(child, "rb+") as f:
                    os.fsync(f.fileno())
        _fsync_dir(tmp)
        _swap_in(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(parent)


def _swap_in(new: Path, dest: Path) -> None:
    """Move directory ``new`` to ``dest``, replacing an existing ``dest`` without a gap in which
    no complete copy exists (the old copy is renamed aside, then deleted)."""
    if not dest.exists():
        os.rename(new, dest)
        return
    old = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:12]}.old")
    os.rename(dest, old)
    try:
        os.rename(new, dest)
    except BaseException:
        os.rename(old, dest)
        raise
    shutil.rmtree(old, ignore_errors=True)
