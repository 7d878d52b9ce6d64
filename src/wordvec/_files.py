"""Files: opening plain and compressed text, listing a corpus's files, atomic writes.

The text readers open their input here (corpus files, the token cache, word2vec and GloVe
vectors, TSV/CSV tables), so ``.gz``, ``.bz2`` and ``.xz`` files (chosen by suffix, in any case)
are decompressed on the fly by all of them alike, and a corpus that is not valid in its encoding
is reported the same way: the file and the first line that does not decode.

Atomic writes: a reader sees the old content or the new, never half a file.
Files are written to a temporary file in the destination's directory, flushed and
fsync'ed, then moved over the destination with :func:`os.replace` (atomic on POSIX and
Windows when both names are on the same file system, which the same directory ensures).
The directory entry is fsync'ed afterwards so the rename itself survives a crash.

Directories cannot be swapped atomically with portable calls, so
:func:`atomic_directory` builds the new directory next to the old one, moves the old one
aside, moves the new one in, and only then deletes the old one. If the second move fails
the old directory is moved back; at every moment one complete copy exists on disk.

This module is the bottom layer: it imports nothing from wordvec.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["COMPRESSED_SUFFIXES", "atomic_directory", "atomic_write", "check_replaceable_directory", "corpus_files", "first_undecodable_line",
           "open_binary", "open_counting", "open_text", "strip_compression", "text_read_error"]

# ---------------------------------------------------------------------------------- reading
_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
#: The suffixes whose files are decompressed on the fly when read.
COMPRESSED_SUFFIXES = tuple(_OPENERS)


def _opener(path: str | os.PathLike):
    return _OPENERS.get(Path(path).suffix.lower())


def strip_compression(name: str) -> str:
    """``name`` without a trailing compression suffix: ``"train.csv.gz"`` -> ``"train.csv"``."""
    lowered = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def open_text(path: str | os.PathLike, encoding: str = "utf-8", errors: str = "strict",
              newline: str | None = None) -> io.TextIOBase:
    """Open a text file for reading; ``.gz``, ``.bz2`` and ``.xz`` files are decompressed on the fly.

    ``newline`` is :func:`open`'s: None (universal newlines) by default; ``""`` for the
    ``csv`` module, which handles line ends inside quoted fields itself.
    """
    opener = _opener(path)
    if opener is None:
        return open(path, "r", encoding=encoding, errors=errors, newline=newline)
    return opener(path, "rt", encoding=encoding, errors=errors, newline=newline)


def open_binary(path: str | os.PathLike) -> BinaryIO:
    """Open a file for binary reading, decompressing ``.gz``, ``.bz2`` and ``.xz`` by suffix."""
    opener = _opener(path)
    return open(path, "rb") if opener is None else opener(path, "rb")


def open_counting(path: str | os.PathLike, encoding: str) -> tuple[io.TextIOWrapper, BinaryIO]:
    """A text stream over ``path`` (decompressed like :func:`open_text`, universal newlines) and
    the raw file underneath, whose ``tell()`` gives the bytes read so far (for a progress bar).

    Close both: a decompressor does not close the file object it was given.
    """
    raw = open(path, "rb")
    try:
        opener = _opener(path)
        inner = opener(raw, "rb") if opener is not None else raw
        return io.TextIOWrapper(inner, encoding=encoding, errors="strict", newline=None), raw
    except BaseException:
        raw.close()
        raise


def first_undecodable_line(path: str | os.PathLike, encoding: str) -> int | None:
    """The number of the first line of ``path`` that is not valid ``encoding``; None if all are.

    Text streams decode in blocks, so a :class:`UnicodeDecodeError` does not tell the line;
    this reads the raw lines again to find it.
    """
    with open_binary(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                return lineno
    return None


def text_read_error(path: Path, encoding: str, exc: Exception, lineno: int) -> ValueError:
    """The error to raise when reading the text file ``path`` failed after line ``lineno``.

    A decoding error names the first line that does not decode (and the ``encoding=`` option);
    any other failure (``OSError``, ``EOFError``: a damaged or truncated compressed file)
    names the last line read. Raise it ``from None``.
    """
    if isinstance(exc, UnicodeDecodeError):
        bad = first_undecodable_line(path, encoding) or lineno + 1
        return ValueError(f"{path}, line {bad}: not valid {encoding} text ({exc.reason}); "
                          f"pass encoding=... to read it")
    return ValueError(f"{path}, after line {lineno}: cannot read the file ({exc})")


def corpus_files(paths: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """The files a corpus argument names: files as given, directories as their regular files
    (sorted by name, hidden ones skipped); a missing path or an empty directory is an error."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith("."))
            if not found:
                raise ValueError(f"corpus directory {p} holds no files")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"corpus file not found: {p}")
    if not files:
        raise ValueError("no corpus files given")
    return files


# ---------------------------------------------------------------------------------- writing
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


def check_replaceable_directory(path: str | os.PathLike[str], kind: str = "wordvec model") -> None:
    """Raise ``FileExistsError`` unless a directory may be written at ``path``: a new path, an
    empty directory, or a wordvec directory (``config.json`` with a ``format_version``)."""
    path = Path(path)
    if not path.exists():
        return
    if not path.is_dir():
        raise FileExistsError(f"{path} exists and is a file, not a directory; a {kind} is a directory")
    if any(path.iterdir()) and not _is_wordvec_directory(path):
        raise FileExistsError(f"refusing to replace {path}: it is a non-empty directory without a wordvec "
                              f"config.json; choose a new path or remove it first")


def _is_wordvec_directory(path: Path) -> bool:
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "format_version" in config


@contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temporary directory; on a clean exit it becomes ``path``.

    An existing wordvec directory at ``path`` (one whose ``config.json`` has a
    ``format_version``, as every directory wordvec writes) or an empty one is replaced; a
    file, or a non-empty directory that holds no wordvec model, is refused
    (:func:`check_replaceable_directory`), so a mistyped path never deletes unrelated data.
    Every regular file written into the temporary directory is fsync'ed before the swap. If
    the body raises, the temporary directory is deleted and ``path`` is left untouched.
    """
    path = Path(path)
    check_replaceable_directory(path)
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
