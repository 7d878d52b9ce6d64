"""Files: opening plain and compressed text and streams, listing a corpus's files, atomic saves.

The text readers open their input here (corpus files, the token cache, word2vec and GloVe
vectors, TSV/CSV tables), so ``.gz``, ``.bz2`` and ``.xz`` files (chosen by suffix, in any case)
are decompressed on the fly by all of them alike, and a corpus that is not valid in its encoding
is reported the same way: the file and the first line that does not decode.

Streams: ``"-"`` (standard input), a FIFO (a named pipe, ``<(zcat big.gz)``) or a character
device can be read once, front to back (:func:`is_stream`). :func:`corpus_files` accepts them
and the ``open_*`` functions read them; opening the same pipe a second time is refused with a
message saying why, instead of reading nothing (stdin) or waiting forever (a FIFO). Whoever
reads its input more than once (training: the vocabulary, then each epoch) wraps a stream in a
:class:`StreamSpool`, which copies it once into an anonymous temporary file and reads the copy.

Atomic saves: a reader sees the old content or the new, never half of it, and a save killed at
any instant leaves ``PATH`` holding the old or the new copy; the next save or load of ``PATH``
finishes or undoes it (:func:`recover_interrupted_save`). The names a save uses are hidden
siblings of ``PATH`` tagged with the writer (``.NAME.<host>.<pid>.<random>.<state>``):

1. the content is written into ``.NAME.<tag>.tmp`` (a file, or a directory whose files are all
   flushed and fsync'ed);
2. a file is then moved over ``PATH`` with :func:`os.replace` (atomic on POSIX and Windows in
   one directory) and the save is done; a directory is renamed ``.NAME.<tag>.new``: complete;
3. holding a lock on the parent directory (``flock``; where none can be taken, e.g. Windows,
   without it), ``PATH`` is renamed ``.NAME.<tag>.old`` and ``.new`` renamed ``PATH``;
4. ``.old`` is renamed ``.NAME.<tag>.del`` and deleted.
Directory entries are fsync'ed after each step, so the renames survive a crash in order.

:func:`recover_interrupted_save` (every save calls it; loaders call it before looking at
``PATH``), under the same lock: if ``PATH`` is missing, a dead writer's newest complete ``.new``
is renamed to ``PATH`` (roll forward: the save was killed between the two renames, or before
its first one) or else its ``.old`` is renamed back (roll back); then every ``.tmp``, ``.new``,
``.old`` and ``.del`` of a dead writer is deleted. A writer is dead when its host is this host
and its pid no longer runs (``os.kill(pid, 0)``): a live writer's names, and those of another
host's, are never touched (on Windows, where a pid cannot be asked safely, no writer counts as
dead). The lock keeps a loader from seeing ``PATH`` between the renames of a live save. Names
left by wordvec 0.1 (``.NAME.<8 chars>.tmp``, ``.NAME.<12 hex>.old``) have no owner: such an
``.old`` is rolled back or deleted, such a ``.tmp`` deleted once it is a day old.

A full disk (``ENOSPC``, ``EDQUOT``) during a save is reported with the path being saved.

Test hook: with ``WORDVEC_TEST_PAUSE_AT`` set to a point of a save (``file-written``,
``dir-written``, ``dir-complete``, ``between-renames``, ``swapped``), a save that reaches it writes
the point's name to the file ``WORDVEC_TEST_PAUSE_FILE`` names and sleeps, so a test can kill it
exactly there (tests/test_save_recovery.py).

This module is the bottom layer: it imports nothing from wordvec.
"""

from __future__ import annotations

import bz2
import errno
import functools
import gzip
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["COMPRESSED_SUFFIXES", "STDIN", "StreamSpool", "atomic_directory", "atomic_write",
           "check_replaceable_directory", "corpus_files", "first_undecodable_line", "is_stream", "open_binary",
           "open_counting", "open_text", "recover_interrupted_save", "strip_compression", "text_read_error"]

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

#: The name of standard input as a corpus file.
STDIN = "-"
_READ_PIPES: set[tuple] = set()  # the pipes opened once in this process (see _source)
_READ_PIPES_LOCK = threading.Lock()


def is_stream(path: str | os.PathLike) -> bool:
    """True for what can be read only once, front to back: ``"-"`` (standard input), a FIFO
    (``/dev/stdin`` of a pipe, ``<(zcat big.gz)``) or a character device."""
    if os.fspath(path) == STDIN:
        return True
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _display(path: str | os.PathLike) -> str:
    return "standard input" if os.fspath(path) == STDIN else os.fspath(path)


def _pipe_key(path: str | os.PathLike) -> tuple | None:
    """What names one pipe under all its names ("-", /dev/stdin, /proc/self/fd/0); None for what
    can be opened again (a terminal, /dev/null, a regular file)."""
    is_stdin = os.fspath(path) == STDIN
    try:
        st = os.fstat(0) if is_stdin else os.stat(path)
    except (OSError, ValueError):
        return ("stdin",) if is_stdin else None
    if stat.S_ISFIFO(st.st_mode):
        return ("pipe", st.st_dev, st.st_ino)
    return ("stdin",) if is_stdin and not stat.S_ISCHR(st.st_mode) else None


def _source(path: str | os.PathLike) -> int | str | os.PathLike:
    """What to give :func:`open` for ``path``: file descriptor 0 for ``"-"``, else the path.

    A pipe is claimed first: opening it again would read nothing (stdin) or wait forever for a
    new writer (a FIFO), so the second time is an error that says why.
    """
    if not is_stream(path):
        return path
    key = _pipe_key(path)
    if key is not None:
        with _READ_PIPES_LOCK:
            if key in _READ_PIPES:
                raise ValueError(f"{_display(path)} is a stream and was already read: a stream can be read only "
                                 f"once (save it to a file and read the file to use it again)")
            _READ_PIPES.add(key)
    return 0 if os.fspath(path) == STDIN else path


def _open_source(path: str | os.PathLike, mode: str, **kwargs) -> io.IOBase:
    src = _source(path)
    return open(src, mode, closefd=not isinstance(src, int), **kwargs)


def open_text(path: str | os.PathLike, encoding: str = "utf-8", errors: str = "strict",
              newline: str | None = None) -> io.TextIOBase:
    """Open a text file for reading; ``.gz``, ``.bz2`` and ``.xz`` files are decompressed on the fly.

    ``newline`` is :func:`open`'s: None (universal newlines) by default; ``""`` for the
    ``csv`` module, which handles line ends inside quoted fields itself. ``"-"`` is standard
    input; a stream (:func:`is_stream`) can be opened once.
    """
    opener = _opener(path)
    if opener is None:
        return _open_source(path, "r", encoding=encoding, errors=errors, newline=newline)
    _source(path)
    return opener(path, "rt", encoding=encoding, errors=errors, newline=newline)


def open_binary(path: str | os.PathLike) -> BinaryIO:
    """Open a file for binary reading, decompressing ``.gz``, ``.bz2`` and ``.xz`` by suffix
    (``"-"`` is standard input; a stream can be opened once)."""
    opener = _opener(path)
    if opener is None:
        return _open_source(path, "rb")
    _source(path)
    return opener(path, "rb")


class _CountingReader(io.RawIOBase):
    """A raw reader over ``inner`` whose ``tell()`` counts the bytes read (a pipe has no offset)."""

    def __init__(self, inner: BinaryIO):
        self._inner, self._count = inner, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._inner.readinto(buffer) or 0
        self._count += n
        return n

    def tell(self) -> int:
        return self._count

    def close(self) -> None:
        self._inner.close()
        super().close()


def open_counting(path: str | os.PathLike, encoding: str) -> tuple[io.TextIOWrapper, BinaryIO]:
    """A text stream over ``path`` (decompressed like :func:`open_text`, universal newlines) and
    the raw file underneath, whose ``tell()`` gives the bytes read so far (for a progress bar;
    for a stream too).

    Close both: a decompressor does not close the file object it was given.
    """
    raw = _open_source(path, "rb")
    try:
        if is_stream(path):
            raw = _CountingReader(raw)
            buffered: BinaryIO = io.BufferedReader(raw)
        else:
            buffered = raw
        opener = _opener(path)
        inner = opener(buffered, "rb") if opener is not None else buffered
        return io.TextIOWrapper(inner, encoding=encoding, errors="strict", newline=None), raw
    except BaseException:
        raw.close()
        raise


def _first_undecodable(fh: BinaryIO, encoding: str) -> int | None:
    with fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                return lineno
    return None


def first_undecodable_line(path: str | os.PathLike, encoding: str) -> int | None:
    """The number of the first line of ``path`` that is not valid ``encoding``; None if all are,
    and for a stream, which cannot be read again (see :meth:`StreamSpool.read_error`).

    Text streams decode in blocks, so a :class:`UnicodeDecodeError` does not tell the line;
    this reads the raw lines again to find it.
    """
    if is_stream(path):
        return None
    return _first_undecodable(open_binary(path), encoding)


def _read_error(name: str, encoding: str, exc: Exception, lineno: int, bad: int | None) -> ValueError:
    if isinstance(exc, UnicodeDecodeError):
        where = f"line {bad}" if bad is not None else f"after line {lineno}"
        return ValueError(f"{name}, {where}: not valid {encoding} text ({exc.reason}); to read it in another "
                          f"encoding, pass --encoding CODEC (command line) or encoding=... (Python)")
    return ValueError(f"{name}, after line {lineno}: cannot read the file ({exc})")


def text_read_error(path: Path, encoding: str, exc: Exception, lineno: int) -> ValueError:
    """The error to raise when reading the text file ``path`` failed after line ``lineno``.

    A decoding error names the first line that does not decode (for a stream, which cannot be
    read again: the last line read) and the ``--encoding`` / ``encoding=`` options; any other
    failure (``OSError``, ``EOFError``: a damaged or truncated compressed file) names the last
    line read. Raise it ``from None``.
    """
    bad = None
    if isinstance(exc, UnicodeDecodeError) and not is_stream(path):
        bad = first_undecodable_line(path, encoding) or lineno + 1
    return _read_error(_display(path), encoding, exc, lineno, bad)


class _SpoolReader(io.RawIOBase):
    """One reader of a spool file, with its own position (readers share the file object)."""

    def __init__(self, file: BinaryIO, lock: threading.Lock):
        self._file, self._lock, self._pos = file, lock, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        with self._lock:
            self._file.seek(self._pos)
            n = self._file.readinto(buffer) or 0
        self._pos += n
        return n

    def tell(self) -> int:
        return self._pos


class StreamSpool:
    """A stream (:func:`is_stream`: ``"-"``, a FIFO) made readable any number of times.

    The first ``open_*`` call (or :attr:`size`) copies the whole stream into an anonymous
    temporary file in ``directory`` (default: the system's, ``$TMPDIR``); every ``open_*`` call
    then reads that copy from the start, decompressed by the stream's suffix like
    :func:`open_text`. The copy lives until :meth:`close` or until this object is collected; on
    POSIX it has no name, so nothing is left behind even by a killed process. It needs as much
    free space as the stream holds (a full disk is an error naming the directory).
    """

    def __init__(self, path: str | os.PathLike, directory: str | os.PathLike | None = None):
        self.path = Path(path)
        self.directory = directory
        self._file: BinaryIO | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The stream as messages name it (``"standard input"`` for ``"-"``)."""
        return _display(self.path)

    @property
    def size(self) -> int:
        """The bytes the stream held (as read: compressed if it was)."""
        return os.fstat(self._spooled().fileno()).st_size

    def _spooled(self) -> BinaryIO:
        with self._lock:
            if self._file is None:
                spool = tempfile.TemporaryFile(prefix="wordvec-stream-", dir=self.directory)
                try:
                    with _open_source(self.path, "rb") as fh:
                        shutil.copyfileobj(fh, spool, 1 << 20)
                    spool.flush()
                except BaseException as exc:
                    spool.close()
                    if isinstance(exc, OSError) and exc.errno in _FULL_DISK:
                        where = self.directory or tempfile.gettempdir()
                        raise OSError(exc.errno, f"{os.strerror(exc.errno)} while keeping a copy of {self.name} "
                                                 f"(it is read more than once) in {where}; set TMPDIR to a "
                                                 f"larger disk, or save the stream to a file and read that") from None
                    raise
                self._file = spool
            return self._file

    def _reader(self) -> tuple[BinaryIO, _SpoolReader]:
        raw = _SpoolReader(self._spooled(), self._lock)
        buffered = io.BufferedReader(raw, 1 << 16)
        opener = _opener(self.path)
        return (buffered if opener is None else opener(buffered, "rb")), raw

    def open_binary(self) -> BinaryIO:
        """A binary reader over the whole stream, from its start."""
        return self._reader()[0]

    def open_text(self, encoding: str = "utf-8", errors: str = "strict",
                  newline: str | None = None) -> io.TextIOWrapper:
        """A text reader over the whole stream, from its start (as :func:`open_text`)."""
        return io.TextIOWrapper(self.open_binary(), encoding=encoding, errors=errors, newline=newline)

    def open_counting(self, encoding: str) -> tuple[io.TextIOWrapper, BinaryIO]:
        """As :func:`open_counting`: a text reader and the raw reader whose ``tell()`` counts bytes."""
        inner, raw = self._reader()
        return io.TextIOWrapper(inner, encoding=encoding, errors="strict", newline=None), raw

    def read_error(self, encoding: str, exc: Exception, lineno: int) -> ValueError:
        """As :func:`text_read_error`, naming the first line of the copy that does not decode."""
        bad = None
        if isinstance(exc, UnicodeDecodeError) and self._file is not None:
            bad = _first_undecodable(self.open_binary(), encoding) or lineno + 1
        return _read_error(self.name, encoding, exc, lineno, bad)

    def close(self) -> None:
        """Delete the copy (a later ``open_*`` cannot read the stream again)."""
        with self._lock:
            if self._file is not None:
                self._file.close()

    def __repr__(self) -> str:
        return f"StreamSpool({os.fspath(self.path)!r})"


def corpus_files(paths: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """The files a corpus argument names: files as given, directories as their regular files
    (sorted by name, hidden ones skipped), streams as given (``"-"`` for standard input, a FIFO,
    a character device: see :class:`StreamSpool` to read one more than once); a missing path or
    an empty directory is an error."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if is_stream(p):
            if os.fspath(p) == STDIN and Path(STDIN) in files:
                raise ValueError("standard input (-) is named twice in the corpus; it can be read only once")
            files.append(p)
        elif p.is_dir():
            found = sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith("."))
            if not found:
                raise ValueError(f"corpus directory {p} holds no files")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        elif p.exists():
            raise ValueError(f"corpus path {p} is not a file, a directory or a stream")
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
_FULL_DISK = frozenset(e for e in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if e is not None)
#: wordvec 0.1's temporary names have no owner: such a .tmp is deleted once this old (seconds).
_LEGACY_TMP_AGE = 24 * 3600


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


def _full_disk_error(exc: BaseException, path: Path) -> OSError | None:
    """The error naming ``path`` for a save that ran out of space (None for other errors)."""
    if isinstance(exc, OSError) and exc.errno in _FULL_DISK:
        return OSError(exc.errno, f"{os.strerror(exc.errno)} while saving; nothing was replaced (free space "
                                  f"on that disk, or save elsewhere, and try again)", os.fspath(path))
    return None


def _pause(point: str) -> None:
    """Test hook (see the module docstring): stop here while a test kills this process."""
    if os.environ.get("WORDVEC_TEST_PAUSE_AT") != point:
        return
    sentinel = os.environ.get("WORDVEC_TEST_PAUSE_FILE")
    if sentinel:
        Path(sentinel).write_text(point, encoding="utf-8")
    time.sleep(600)


# ------------------------------------------------------------ save names, owners, recovery
@functools.cache
def _host_id() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _new_tag() -> str:
    """``<host>.<pid>.<random>``: who writes, so that another process can tell whether it still runs."""
    return f"{_host_id()}.{os.getpid()}.{os.urandom(4).hex()}"


def _hidden(path: Path, tag: str, state: str) -> Path:
    return path.with_name(f".{path.name}.{tag}.{state}")


def _writer_gone(host: str, pid: int) -> bool:
    """True only when the writer ran on this host and its process has ended."""
    if host != _host_id() or os.name != "posix":  # on Windows os.kill(pid, 0) would end the process
        return False
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):  # PermissionError: it runs, as another user
        return False
    try:  # Linux: a process that ended but is not reaped yet (a zombie) still answers os.kill
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2].split()[:1] in ([b"Z"], [b"X"])
    except OSError:
        return False


def _untouched_for(path: Path, seconds: float) -> bool:
    try:
        times = [path.lstat().st_mtime]
        if path.is_dir() and not path.is_symlink():
            times += [entry.stat(follow_symlinks=False).st_mtime for entry in os.scandir(path)]
    except OSError:
        return False
    return max(times) < time.time() - seconds


def _leftovers(path: Path) -> list[tuple[Path, str, bool, bool]]:
    """The hidden names saves of ``path`` use, as (name, state, whether its writer is gone,
    whether it is another process of this host that still runs)."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"(?:(?P<host>[0-9a-f]{8})\.(?P<pid>\d+)\.[0-9a-f]{8}\."
                         r"(?P<state>tmp|new|old|del)|(?P<legacy>[a-z0-9_]{8}\.tmp|[0-9a-f]{12}\.old))")
    try:
        names = os.listdir(_parent(path))
    except OSError:
        return []
    found = []
    for name in names:
        m = pattern.fullmatch(name)
        if m is None:
            continue
        sibling = path.with_name(name)
        if m["state"]:
            gone = _writer_gone(m["host"], int(m["pid"]))
            other = m["host"] == _host_id() and m["pid"] != str(os.getpid())
            found.append((sibling, m["state"], gone, other and not gone))
        else:  # wordvec 0.1 (no owner): an .old is left over; a .tmp may be written right now
            state = m["legacy"][-3:]
            found.append((sibling, state, state == "old" or _untouched_for(sibling, _LEGACY_TMP_AGE), False))
    return found


@contextmanager
def _parent_lock(parent: Path) -> Iterator[bool]:
    """An exclusive ``flock`` on the directory ``parent`` while the block runs, where one can be
    taken (POSIX, local file systems; yields True); elsewhere the block runs unlocked (False)."""
    fd, locked = None, False
    try:
        import fcntl

        fd = os.open(parent, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        locked = True
    except (ImportError, OSError):
        pass
    try:
        yield locked
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def _to_trash(sibling: Path, path: Path) -> Path | None:
    """Rename ``sibling`` to a ``.del`` name of this process (never rolled in, deleted by whoever
    finds it orphaned): the deletion that follows may itself be interrupted."""
    trash = _hidden(path, _new_tag(), "del")
    try:
        os.rename(sibling, trash)
    except OSError:
        return None
    return trash


def _delete(path: Path | None) -> None:
    if path is None:
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def recover_interrupted_save(path: str | os.PathLike[str]) -> str | None:
    """Finish or undo an interrupted save of ``path`` and delete what interrupted saves left.

    Every save calls it first; a loader calls it before it looks at ``path`` (cheap: one
    listing of the parent directory when there is nothing to do). If ``path`` is missing
    because a save was killed between its two renames (or before its first), the newest
    complete copy of a dead writer is renamed in ("rolled forward"), else the copy it had moved
    aside is renamed back ("rolled back"); then every temporary a dead writer left is deleted.
    Live writers (other processes or threads saving now) and other hosts' writers are never
    touched. Returns what was done: ``"rolled forward"``, ``"rolled back"`` or None.
    """
    path = Path(path)
    if not path.name or os.fspath(path) == STDIN or not _leftovers(path):
        return None
    parent = _parent(path)
    action, trash = None, []
    with _parent_lock(parent) as locked:
        found = _leftovers(path)
        if not os.path.lexists(path):
            # A writer moves path aside and back in while it holds this lock, so an .old of a
            # writer that still runs means it was killed there and is ending: wait for it.
            deadline = time.monotonic() + 5
            while locked and any(kind == "old" and running for _, kind, _, running in found) \
                    and time.monotonic() < deadline:
                time.sleep(0.01)
                found = _leftovers(path)
            for state, done in (("new", "rolled forward"), ("old", "rolled back")):
                copies = [sibling for sibling, kind, gone, _ in found if gone and kind == state]
                if copies:
                    copy = max(copies, key=_mtime)
                    try:
                        os.rename(copy, path)
                    except OSError as exc:
                        raise OSError(exc.errno, f"missing: an interrupted save left its complete copy at {copy}, "
                                                 f"which cannot be moved into place ({exc.strerror}); rename it to "
                                                 f"{path.name}", os.fspath(path)) from None
                    _fsync_dir(parent)
                    action = done
                    break
        for sibling, _, gone, _ in found:
            if gone and os.path.lexists(sibling):
                trash.append(_to_trash(sibling, path))
    for t in trash:
        _delete(t)
    if trash:
        _fsync_dir(parent)
    return action


# ---------------------------------------------------------------------------------- saving
@contextmanager
def atomic_write(path: str | os.PathLike[str], *, compress: bool = False) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing; the content replaces ``path`` only on a clean exit.

    With ``compress=True`` the bytes written are gzip-compressed (the gzip header records
    the destination's name without ``.gz`` and a zero timestamp, so output is reproducible).
    If the body raises, the temporary file is removed and ``path`` is left untouched. Temporary
    files of earlier saves of ``path`` that were killed are deleted first.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; give a file name")
    parent = _check_parent(path)
    recover_interrupted_save(path)
    tmp = _hidden(path, _new_tag(), "tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise (_full_disk_error(exc, path) or exc) from None
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
        _pause("file-written")
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        full = _full_disk_error(exc, path)
        if full is not None:
            raise full from exc
        raise
    _fsync_dir(parent)


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


def _fsync_tree(root: Path) -> None:
    """fsync every regular file under ``root``, then every directory (deepest first)."""
    for folder, _, names in os.walk(root, topdown=False):
        for name in names:
            file = Path(folder, name)
            if file.is_file() and not file.is_symlink():
                with open(file, "rb+") as f:
                    os.fsync(f.fileno())
        _fsync_dir(Path(folder))


@contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temporary directory; on a clean exit it becomes ``path``.

    An existing wordvec directory at ``path`` (one whose ``config.json`` has a
    ``format_version``, as every directory wordvec writes) or an empty one is replaced; a
    file, or a non-empty directory that holds no wordvec model, is refused
    (:func:`check_replaceable_directory`), so a mistyped path never deletes unrelated data.
    Every regular file written into the temporary directory is fsync'ed before the swap. If
    the body raises, the temporary directory is deleted and ``path`` is left untouched. An
    earlier save of ``path`` that was interrupted is finished or undone first (see the module
    docstring for the protocol).
    """
    path = Path(path)
    recover_interrupted_save(path)
    check_replaceable_directory(path)
    parent = _check_parent(path)
    tag = _new_tag()
    tmp, new = _hidden(path, tag, "tmp"), _hidden(path, tag, "new")
    try:
        os.mkdir(tmp, 0o700)
    except OSError as exc:
        raise (_full_disk_error(exc, path) or exc) from None
    try:
        os.chmod(tmp, 0o777 & ~_UMASK)
        yield tmp
        _fsync_tree(tmp)
        _pause("dir-written")
        os.rename(tmp, new)
        _fsync_dir(parent)
        _pause("dir-complete")
        _swap_in(new, path, tag)
    except BaseException as exc:
        for leftover in (tmp, new):
            shutil.rmtree(leftover, ignore_errors=True)
        full = _full_disk_error(exc, path)
        if full is not None:
            raise full from exc
        raise


def _swap_in(new: Path, dest: Path, tag: str) -> None:
    """Move the complete directory ``new`` to ``dest``; an existing ``dest`` is renamed aside
    first and deleted after, so that at every moment a complete copy exists under a name
    :func:`recover_interrupted_save` knows."""
    parent = _parent(dest)
    old = None
    with _parent_lock(parent):
        if not os.path.lexists(dest):
            os.rename(new, dest)
        else:
            old = _hidden(dest, tag, "old")
            os.rename(dest, old)
            try:
                _pause("between-renames")
                os.rename(new, dest)
            except BaseException:
                os.rename(old, dest)
                raise
        _fsync_dir(parent)
    if old is not None:
        _pause("swapped")
        _delete(_to_trash(old, dest))
        _fsync_dir(parent)
