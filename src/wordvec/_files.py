"""Files: opening plain and compressed text and streams, listing a corpus's files.

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

Saving atomically is :mod:`wordvec._saving`.

This module is the bottom layer: it imports nothing from wordvec.
"""

from __future__ import annotations

import bz2
import errno
import gzip
import io
import lzma
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

#: errno values of a full disk (or quota).
FULL_DISK = frozenset(e for e in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if e is not None)

__all__ = ["COMPRESSED_SUFFIXES", "FULL_DISK", "STDIN", "StreamSpool", "corpus_files", "first_undecodable_line",
           "is_stream", "open_binary", "open_counting", "open_text", "strip_compression", "text_read_error"]

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

    >>> import gzip
    >>> with gzip.open("corpus.txt.gz", "wt", encoding="utf-8") as f:
    ...     print("the king rules", file=f)
    ...
    >>> with open_text("corpus.txt.gz") as f:
    ...     print(f.readline().strip())
    ...
    the king rules

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
                    if isinstance(exc, OSError) and exc.errno in FULL_DISK:
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
