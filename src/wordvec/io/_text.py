"""What the word-per-line vector formats share: word2vec.c text and binary, and Stanford GloVe.

* keys: :func:`check_keys` refuses what a space-separated format cannot store, :func:`encode_keys`
  encodes them, naming the key that fails;
* reading: :func:`open_source` opens a file and turns a damaged or truncated compressed stream into
  a :class:`FormatError` at the line or byte reached; :func:`decode_word` and :func:`parse_values`
  (decimal -> float64 -> float32, as gensim's ``np.float32(str)``) name the line or byte offset of a
  bad field; :func:`check_line_end` refuses a last line that may have been cut; :class:`KeyCollector`
  gathers the words in file order under the duplicate-word policy; :class:`RowBuffer` collects the
  rows without trusting a header's count; :func:`check_finite` refuses NaN and infinity, naming the
  first bad row; :func:`check_limit` checks ``limit=``;
* writing: :func:`write_text_rows` writes ``word v1 ... vd`` lines with the shortest decimal that
  round-trips each float32 (what gensim writes); :func:`is_compressed` says whether to gzip;
* vocabulary files: ``word count`` lines (word2vec.c ``-save-vocab``, gensim's ``fvocab``), read by
  :func:`read_vocab_file` / :func:`attach_counts` and written by :func:`write_vocab_file`.

Files are opened with :func:`open_source` over :func:`wordvec._files.open_binary` (``.gz``, ``.bz2``,
``.xz`` decompressed) and written with :func:`wordvec._saving.atomic_write`.
"""

from __future__ import annotations

import lzma
import operator
import os
import stat
import warnings
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, Literal

import numpy as np

from wordvec._files import COMPRESSED_SUFFIXES, open_binary

from wordvec._saving import atomic_write
from wordvec.exceptions import FormatError

__all__ = ["DECOMPRESS_ERRORS", "Duplicates", "KeyCollector", "RowBuffer", "Source", "attach_counts", "check_finite",
           "check_dtype", "check_keys", "check_limit", "check_line_end", "decode_word", "encode_keys", "first_nonfinite_row",
           "format_vector", "is_compressed", "looks_numeric", "nonfinite_hint", "open_source", "parse_values", "read_vocab_file",
           "with_dtype", "write_text_rows", "write_vocab_file", "DTYPES"]

Duplicates = Literal["warn", "error"]
_WHITESPACE = " \t\n\r\v\f"


def is_compressed(path: str | os.PathLike[str]) -> bool:
    """Whether a path to write names a gzip file; ``.bz2`` and ``.xz`` are read but not written
    (an error, rather than plain text under a name that every reader would decompress)."""
    name = os.fspath(path).lower()
    for suffix in (".bz2", ".xz"):
        if name.endswith(suffix):
            raise ValueError(f"{os.fspath(path)}: writing {suffix} is not supported; use .gz or no suffix")
    return name.endswith(".gz")


def check_keys(keys: list[str], fmt: str) -> None:
    """Reject keys that the space-separated formats cannot represent (or that word2vec.c's
    ``ReadWord`` would split): empty keys and keys containing ASCII whitespace."""
    for i, key in enumerate(keys):
        if not key:
            raise ValueError(f"key #{i} is the empty string, which the {fmt} format cannot store")
        for ch in _WHITESPACE:
            if ch in key:
                raise ValueError(
                    f"key #{i} {key!r} contains whitespace {ch!r}; the {fmt} format separates "
                    "fields with spaces and cannot store it (replace it, e.g. with '_')"
                )


def encode_keys(keys: list[str], encoding: str) -> list[bytes]:
    """The keys encoded as ``encoding``; a ValueError names the first key that cannot be."""
    out = []
    for i, key in enumerate(keys):
        try:
            out.append(key.encode(encoding))
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"key #{i} {key!r} cannot be encoded as {encoding}: {exc.reason}"
            ) from None
    return out


def format_vector(row: np.ndarray) -> str:
    """Shortest decimal strings that round-trip each float32 (what gensim writes)."""
    return " ".join(map(str, row))


def write_text_rows(f: BinaryIO, words: list[bytes], vectors: np.ndarray) -> None:
    """Write one ``word v1 ... vd`` line per row (:func:`format_vector`), 1024 lines a write."""
    batch: list[bytes] = []
    for word, row in zip(words, vectors, strict=True):
        batch.append(word + b" " + format_vector(row).encode("ascii") + b"\n")
        if len(batch) >= 1024:
            f.write(b"".join(batch))
            batch.clear()
    f.write(b"".join(batch))


def decode_word(raw: bytes, encoding: str, errors: str, path, *, line=None, offset=None) -> str:
    """``raw.decode(encoding, errors)``; a :class:`FormatError` at ``line`` or byte ``offset`` if it fails."""
    try:
        return raw.decode(encoding, errors)
    except UnicodeDecodeError as exc:
        if offset is not None:
            offset += exc.start
        raise FormatError(
            path,
            f"word {raw!r} is not valid {encoding} ({exc.reason}); pass unicode_errors='replace' "
            "or 'ignore' to load it anyway",
            line=line,
            offset=offset,
        ) from None


def looks_numeric(token: bytes) -> bool:
    """Whether ``token`` reads as a number (text formats tell a header or a vector from words by it)."""
    try:
        float(token)
    except ValueError:
        return False
    return True


def parse_values(fields: list[bytes], path, line: int, first_field: int, dtype=np.float32) -> np.ndarray:
    """Parse decimal fields to ``dtype`` (float32 by default) via float64, as gensim's
    ``datatype(str)`` does; name the bad field.

    Values beyond the dtype's range become infinity here (no warning); :func:`check_finite` then
    refuses them, unless the caller allows non-finite values.
    """
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            return np.array(fields, dtype=np.float64).astype(dtype, copy=False)
    except (ValueError, OverflowError):
        for j, field in enumerate(fields):
            try:
                np.float64(field)
            except (ValueError, OverflowError):
                raise FormatError(
                    path,
                    f"field {first_field + j} is not a number: {field[:40].decode('latin-1')!r}",
                    line=line,
                ) from None
        raise FormatError(path, "the values are not numbers", line=line) from None


# ------------------------------------------------------------------------ reading: the stream
# What a decompressor raises for damaged or truncated input (gzip: BadGzipFile, an OSError, or
# zlib.error, EOFError; bz2: OSError, EOFError; xz: LZMAError, EOFError).
DECOMPRESS_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError)


class Source:
    """A binary stream over a vector file. For a compressed file it counts what it has handed out,
    ``lines`` (text readers use :meth:`readline` and iteration) and ``offset`` (decompressed
    bytes), so that a damaged or truncated stream becomes a :class:`FormatError` naming the next
    line (``unit="line"``) or the decompressed byte offset (``unit="byte"``) where reading stopped.

    ``size`` is the file's size in bytes for a plain regular file (a bound on what a header may
    announce), ``None`` for a compressed file or a stream.
    """

    def __init__(self, f: BinaryIO, path, unit: str, size: int | None, compressed: bool):
        self._f, self.path, self.unit, self.size, self.compressed = f, path, unit, size, compressed
        self.lines = 0
        self.offset = 0

    def _fail(self, exc: BaseException):
        kind = os.path.splitext(os.fspath(self.path))[1] or "compressed"
        where = {"line": self.lines + 1} if self.unit == "line" else {"offset": self.offset}
        raise FormatError(self.path, f"the {kind} data is damaged or truncated ({exc})", **where) from None

    def readline(self, size: int = -1) -> bytes:
        try:
            raw = self._f.readline(size)
        except DECOMPRESS_ERRORS as exc:
            if not self.compressed:
                raise
            self._fail(exc)
        if raw:
            self.lines += 1
            self.offset += len(raw)
        return raw

    def read(self, size: int = -1) -> bytes:
        try:
            raw = self._f.read(size)
        except DECOMPRESS_ERRORS as exc:
            if not self.compressed:
                raise
            self._fail(exc)
        self.offset += len(raw)
        return raw

    def view(self) -> np.ndarray | None:
        """The whole plain file, memory-mapped, as a read-only uint8 array; ``None`` for a
        compressed file, a stream or an empty file (read those with :meth:`read`)."""
        if self.compressed or not self.size:
            return None
        import mmap

        try:
            return np.frombuffer(mmap.mmap(self._f.fileno(), 0, access=mmap.ACCESS_READ), dtype=np.uint8)
        except (OSError, ValueError, AttributeError):
            return None

    def seek(self, offset: int) -> None:
        """Go back to byte ``offset`` of a plain file (after :meth:`view` found something to report)."""
        self._f.seek(offset)
        self.offset = offset

    def __iter__(self) -> Iterator[bytes]:
        if not self.compressed:  # nothing to translate: the file's own (faster) line iterator
            return iter(self._f)
        return self._counted_lines()

    def _counted_lines(self) -> Iterator[bytes]:
        while True:
            raw = self.readline()
            if not raw:
                return
            yield raw


@contextmanager
def open_source(path, unit: str) -> Iterator[Source]:
    """Open ``path`` for reading (``.gz``, ``.bz2``, ``.xz`` decompressed) as a :class:`Source`."""
    compressed = os.fspath(path).lower().endswith(COMPRESSED_SUFFIXES)
    with open_binary(path) as f:
        size = None
        if not compressed:
            st = os.fstat(f.fileno())
            # a pipe's or standard input's size says nothing: no bound, like a compressed file
            size = st.st_size if stat.S_ISREG(st.st_mode) else None
        yield Source(f, path, unit, size, compressed)


def check_line_end(raw: bytes, path, line: int) -> None:
    """Refuse a last line (one without ``\\n``) whose last value is not followed by whitespace.

    Such a file may have been cut inside its last number, and a cut number ("0.2318" from
    "0.23180827") still parses: it cannot be told from a shorter number, so it is refused. A last
    line ending in whitespace (word2vec.c writes ``"%lf "`` per value) has all its values whole;
    the caller still checks that it has as many as the other lines.
    """
    if raw[-1:].isspace():
        return
    raise FormatError(
        path,
        "the file ends inside this line (no line end after its last value), so the last value may "
        "have been cut short: the file looks truncated. Every writer (word2vec.c, gensim, glove.c, "
        "fastText) ends each line with a newline; if the file is complete, add one",
        line=line,
    )


class RowBuffer:
    """Collects ``want`` rows of ``dim`` float32 values without trusting ``want``.

    With ``trusted=True`` (the caller has checked that the file is large enough to hold ``want``
    rows) one ``(want, dim)`` matrix is allocated up front; otherwise blocks of at most 16 MiB are
    allocated as rows arrive, so a header announcing 10^12 rows fails when the data runs out,
    not with an allocation of terabytes.
    """

    _BLOCK_BYTES = 1 << 24

    def __init__(self, want: int, dim: int, trusted: bool, dtype=np.float32):
        self.want, self.dim, self.dtype = want, dim, np.dtype(dtype)
        self._blocks: list[np.ndarray] = []
        self._fill = 0
        self.rows = 0
        if trusted:
            self._blocks.append(np.empty((want, dim), dtype=self.dtype))

    def slot(self) -> np.ndarray:
        """The (writable) row for the next vector."""
        block = self._blocks[-1] if self._blocks else None
        if block is None or self._fill == block.shape[0]:
            size = max(1, min(self.want - self.rows, self._BLOCK_BYTES // (self.dtype.itemsize * self.dim)))
            block = np.empty((size, self.dim), dtype=self.dtype)
            self._blocks.append(block)
            self._fill = 0
        self._fill += 1
        self.rows += 1
        return block[self._fill - 1]

    def result(self) -> np.ndarray:
        if not self._blocks:
            return np.empty((0, self.dim), dtype=self.dtype)
        last = self._blocks[-1]
        if self._fill < last.shape[0]:
            self._blocks[-1] = last[: self._fill]
        if len(self._blocks) > 1:
            return np.concatenate(self._blocks)
        block = self._blocks[0]
        return block if block.base is None else block.copy()


def nonfinite_hint() -> str:
    return "pass allow_nonfinite=True to load it anyway (queries then skip such rows)"


def first_nonfinite_row(vectors: np.ndarray) -> int | None:
    """Index of the first row holding NaN or infinity (read in blocks: fine on a memory map)."""
    n, dim = vectors.shape
    step = max(1, (1 << 22) // max(dim, 1))
    for start in range(0, n, step):
        bad = ~np.isfinite(vectors[start : start + step]).all(axis=1)
        if bad.any():
            return start + int(np.argmax(bad))
    return None


def check_finite(vectors: np.ndarray, path, where: Callable[[int], dict], *, text: bool = False) -> None:
    """Refuse NaN and infinity: a :class:`FormatError` at ``where(row)`` (``{"line": ...}`` or
    ``{"offset": ...}``) for the first row that holds one. ``text``: the values were decimals, so
    an infinity may be a number beyond float32's range."""
    row = first_nonfinite_row(vectors)
    if row is None:
        return
    values = vectors[row]
    bad = values[~np.isfinite(values)]
    kind = "NaN" if np.isnan(bad).any() else "infinity"
    if text and kind == "infinity":
        kind = f"infinity (or a number beyond {vectors.dtype.name}'s range, about {float(np.finfo(vectors.dtype).max):.3g})"
    elif kind == "infinity" and vectors.dtype.itemsize < 4:
        kind = f"infinity (or a value beyond {vectors.dtype.name}'s range, {float(np.finfo(vectors.dtype).max):.6g})"
    raise FormatError(
        path,
        f"the vector holds {kind} (value {int(np.flatnonzero(~np.isfinite(values))[0]) + 1} of {len(values)}); "
        f"{nonfinite_hint()}",
        **where(row),
    )


class KeyCollector:
    """Gathers words in file order, applying the duplicate-word policy.

    ``unit`` is ``"line"`` or ``"byte"``: how positions passed to :meth:`add` are reported.
    Positions are kept in a compact ``array('q')`` so huge vocabularies stay cheap.
    """

    def __init__(self, path, duplicates: Duplicates, unit: str):
        if duplicates not in ("warn", "error"):
            raise ValueError(f"duplicates must be 'warn' or 'error', got {duplicates!r}")
        self.path, self.policy, self.unit = path, duplicates, unit
        self.keys: list[str] = []
        self.rows: dict[str, int] = {}
        self.positions = array("q")
        self.n_dup = 0
        self.example = ""

    def place(self, row: int) -> str:
        return f"{self.unit} {self.positions[row]}"

    def add(self, word: str, position: int) -> bool:
        """Record ``word`` found at ``position``; return False for a duplicate to skip."""
        first = self.rows.get(word)
        if first is None:
            self.rows[word] = len(self.keys)
            self.keys.append(word)
            self.positions.append(position)
            return True
        kwargs = {"line": position} if self.unit == "line" else {"offset": position}
        if self.policy == "error":
            raise FormatError(
                self.path,
                f"duplicate word {word!r} (first at {self.place(first)}); pass duplicates='warn' "
                "to keep the first occurrence",
                **kwargs,
            )
        if not self.n_dup:
            self.example = f"{word!r} at {self.unit} {position}, first at {self.place(first)}"
        self.n_dup += 1
        return False

    def finish(self) -> None:
        if self.n_dup:
            warnings.warn(
                f"{os.fspath(self.path)}: skipped {self.n_dup} duplicate word(s), keeping the "
                f"first occurrence of each (e.g. {self.example}); pass duplicates='error' to "
                "reject such files",
                UserWarning,
                stacklevel=3,
            )


#: The dtypes ``load(..., dtype=)`` takes (gensim's ``datatype``).
DTYPES = ("float16", "float32", "float64")


def check_dtype(dtype) -> np.dtype:
    """``dtype`` as a NumPy dtype; a ValueError unless it is float16, float32 or float64."""
    try:
        value = np.dtype(dtype)
    except TypeError:
        value = None
    if value is None or value.name not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    return value


def with_dtype(kv, dtype):
    """``kv`` with its matrices (``vectors``, and a SubwordVectors' ``word_rows`` and
    ``ngram_rows``) held as ``dtype``: float32 leaves ``kv`` as it is (a memory map stays one);
    float16 or float64 makes in-memory copies. The keys, counts and queries are unchanged
    (queries compute in float32 whatever the storage)."""
    dtype = check_dtype(dtype)
    if dtype == np.float32:
        return kv
    kv.vectors = np.ascontiguousarray(kv.vectors, dtype=dtype)
    for name in ("word_rows", "ngram_rows"):
        if hasattr(kv, name):
            setattr(kv, name, np.ascontiguousarray(getattr(kv, name), dtype=dtype))
    return kv


def check_limit(limit: int | None) -> int | None:
    """``limit`` as an int (None: no limit); a TypeError or ValueError if it is not one >= 0."""
    if limit is None:
        return None
    try:
        value = operator.index(limit)
    except TypeError:
        raise TypeError(f"limit must be an int or None, got {limit!r}") from None
    if value < 0:
        raise ValueError(f"limit must be >= 0, got {value}")
    return value


# ---------------------------------------------------------------------------------- vocab file
def read_vocab_file(vocab_path, encoding: str, errors: str) -> dict[str, tuple[int, int]]:
    """gensim-style ``fvocab`` / word2vec.c ``-save-vocab``: ``word count`` per line."""
    counts: dict[str, tuple[int, int]] = {}
    with open_source(vocab_path, "line") as f:
        for line_no, raw in enumerate(f, start=1):
            fields = raw.split()
            if not fields:
                continue
            if len(fields) != 2:
                raise FormatError(
                    vocab_path, f"expected 'word count', found {len(fields)} fields", line=line_no
                )
            word = decode_word(fields[0], encoding, errors, vocab_path, line=line_no)
            try:
                count = int(fields[1])
            except ValueError:
                raise FormatError(
                    vocab_path, f"count is not an integer: {fields[1]!r}", line=line_no
                ) from None
            counts.setdefault(word, (count, line_no))
    return counts


def attach_counts(collector: KeyCollector, vocab_path, encoding: str, errors: str) -> np.ndarray:
    """The counts of the collected keys (int64, in key order) from the vocabulary file; every key
    must be in it."""
    table = read_vocab_file(vocab_path, encoding, errors)
    counts = np.empty(len(collector.keys), dtype=np.int64)
    for i, key in enumerate(collector.keys):
        entry = table.get(key)
        if entry is None:
            raise FormatError(
                vocab_path,
                f"no count for word {key!r} ({os.fspath(collector.path)}, {collector.place(i)})",
            )
        counts[i] = entry[0]
    return counts


def write_vocab_file(vocab_path, words: list[bytes], counts: Iterable[int]) -> None:
    """Write ``word count`` lines (gzip'ed for a ``.gz`` path), atomically."""
    with atomic_write(vocab_path, compress=is_compressed(vocab_path)) as f:
        f.write(
            b"".join(
                w + b" " + str(c).encode("ascii") + b"\n"
                for w, c in zip(words, counts, strict=True)
            )
        )
