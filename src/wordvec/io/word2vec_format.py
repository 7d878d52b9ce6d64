"""The word2vec.c vector formats, text and binary, as word2vec.c and gensim 4.4 write them.

Both start with a header line ``"<count> <dimensions>\\n"``. Then, per word (word2vec.c
``main()``, the ``// Save the word vectors`` block; gensim ``KeyedVectors.save_word2vec_format``):

* text:   ``word v1 v2 ... vd\\n`` (word2vec.c prints ``%lf `` with a trailing space)
* binary: ``word `` then d little-endian float32 (4*d bytes) then ``\\n``
  (gensim omits the ``\\n``; readers skip it: word2vec.c's ``distance.c`` with
  ``fscanf("%s")``, gensim's ``_add_bytes_to_kv`` with ``word.lstrip('\\n')``)

Reading mirrors gensim's ``_load_word2vec_format``: the word is everything up to the first
space; ``limit=N`` reads the first N entries; text values are parsed as decimal → float64 →
float32, exactly like gensim's ``np.float32(str)``, so loaded matrices are bit-identical.
Departures, all in the direction of reporting instead of guessing:

* every malformed or truncated record raises :class:`FormatError` with the line (text) or
  byte offset (binary); data after the announced number of vectors is an error too (gensim
  ignores it), unless ``limit`` asks for fewer vectors.
* numbers on a text line may be separated by any run of spaces or tabs (gensim needs single
  spaces); trailing whitespace and ``\\r\\n`` line ends are accepted, as in gensim.
* duplicate words: ``duplicates="warn"`` (default) keeps the first occurrence like gensim and
  emits one warning with the count and the first example; ``"error"`` raises.
* no fabricated counts: without ``vocab_path`` the result has ``counts=None``.

Writing uses the shortest decimal that round-trips each float32 (``str(np.float32)``, the
same text gensim writes), so text files reload bit-identical, unlike word2vec.c's ``%lf``.
Keys are written in index order (gensim re-sorts by count). Paths ending in ``.gz`` or
``.bz2`` are (de)compressed on the fly.
"""

from __future__ import annotations

import bz2
import gzip
import operator
import os
import warnings
from array import array
from collections.abc import Iterable
from typing import BinaryIO, Literal

import numpy as np

from wordvec.io._atomic import atomic_write
from wordvec.exceptions import FormatError
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["save_word2vec", "load_word2vec"]

Duplicates = Literal["warn", "error"]
_WHITESPACE = " \t\n\r\v\f"
_CHUNK = 1 << 20


# ---------------------------------------------------------------- shared helpers (also GloVe)
def open_read(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a file for binary reading, decompressing ``.gz`` / ``.bz2`` by suffix."""
    name = os.fspath(path).lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".bz2"):
        return bz2.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def is_compressed(path: str | os.PathLike[str]) -> bool:
    """Whether a path to write names a gzip file (``.bz2`` is read but not written)."""
    name = os.fspath(path).lower()
    if name.endswith(".bz2"):
        raise ValueError(f"{os.fspath(path)}: writing .bz2 is not supported; use .gz or no suffix")
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
    batch: list[bytes] = []
    for word, row in zip(words, vectors, strict=True):
        batch.append(word + b" " + format_vector(row).encode("ascii") + b"\n")
        if len(batch) >= 1024:
            f.write(b"".join(batch))
            batch.clear()
    f.write(b"".join(batch))


def decode_word(raw: bytes, encoding: str, errors: str, path, *, line=None, offset=None) -> str:
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


def parse_values(fields: list[bytes], path, line: int, first_field: int) -> np.ndarray:
    """Parse decimal fields to float32 via float64 (as gensim does); name the bad field."""
    try:
        return np.array(fields, dtype=np.float64).astype(np.float32)
    except ValueError:
        for j, field in enumerate(fields):
            try:
                float(field)
            except ValueError:
                raise FormatError(
                    path,
                    f"field {first_field + j} is not a number: {field.decode('latin-1')!r}",
                    line=line,
                ) from None
        raise


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


def check_limit(limit: int | None) -> int | None:
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
def _read_vocab_file(vocab_path, encoding: str, errors: str) -> dict[str, tuple[int, int]]:
    """gensim-style ``fvocab`` / word2vec.c ``-save-vocab``: ``word count`` per line."""
    counts: dict[str, tuple[int, int]] = {}
    with open_read(vocab_path) as f:
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
    table = _read_vocab_file(vocab_path, encoding, errors)
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


# ------------------------------------------------------------------------------------- reading
def _read_header(f: BinaryIO, path) -> tuple[int, int, int]:
    raw = f.readline(4096)
    hint = ""
    if raw.startswith(b"\xba\x16\x4f\x2f"):
        hint = " (this is a fastText .bin model, not word2vec vectors)"
    elif raw.startswith(b"\x80"):
        hint = " (a Python pickle, e.g. a gensim .model? wordvec does not read pickles)"
    if not raw:
        raise FormatError(path, "empty file; expected a header 'count dimensions'", line=1)
    fields = raw.split()
    try:
        n, dim = (int(x) for x in fields)
        if n < 0 or dim < 1:
            raise ValueError
    except ValueError:
        if len(fields) > 2 and not hint:
            hint = " (a header-less GloVe file? use load_glove)"
        shown = raw.rstrip(b"\r\n")[:40]
        raise FormatError(
            path, f"expected a header 'count dimensions', found {shown!r}{hint}", line=1
        ) from None
    return n, dim, len(raw)


def _read_text(f, path, n, dim, limit, encoding, errors, collector: KeyCollector):
    want = n if limit is None else min(n, limit)
    vectors = np.empty((want, dim), dtype=np.float32)
    row = 0
    line_no = 1
    for line_no in range(2, want + 2):
        raw = f.readline()
        if not raw:
            raise FormatError(
                path,
                f"file ends after {line_no - 2} vector(s); the header announces {n}",
                line=line_no,
            )
        stripped = raw.rstrip()
        space = stripped.find(b" ")
        fields = [] if space < 0 else stripped[space + 1 :].split()
        if not stripped:
            raise FormatError(path, f"empty line; expected a word and {dim} values", line=line_no)
        if len(fields) != dim:
            found = len(fields) + 1
            hint = ""
            if b"\0" in raw or any(b >= 0x80 for b in stripped[space + 1 :][:16]):
                hint = "; this looks like a binary file: pass binary=True"
            raise FormatError(
                path,
                f"expected {dim + 1} fields (a word and the {dim} values the header announces), "
                f"found {found}{hint}",
                line=line_no,
            )
        values = parse_values(fields, path, line_no, 2)
        word = decode_word(stripped[:space], encoding, errors, path, line=line_no)
        if collector.add(word, line_no):
            vectors[row] = values
            row += 1
    if limit is None or limit >= n:
        for extra_no, raw in enumerate(f, start=line_no + 1):
            if raw.strip():
                raise FormatError(
                    path,
                    f"unexpected data after the {n} vectors the header announces",
                    line=extra_no,
                )
    return vectors if row == want else vectors[:row].copy()


def _read_binary(
    f, path, n, dim, limit, encoding, errors, collector: KeyCollector, header_len: int
):
    want = n if limit is None else min(n, limit)
    vectors = np.empty((want, dim), dtype=np.float32)
    nbytes = 4 * dim
    buf = b""
    pos = 0  # read position in buf
    base = header_len  # file offset of buf[0]
    row = 0
    for i in range(want):
        while True:
            space = buf.find(b" ", pos)
            if space >= 0 and len(buf) - space - 1 >= nbytes:
                break
            chunk = f.read(_CHUNK)
            if not chunk:
                raise FormatError(
                    path,
                    f"file ends inside vector {i + 1} of the {n} the header announces "
                    f"({dim} float32 values each)",
                    offset=base + pos,
                )
            buf = buf[pos:] + chunk
            base += pos
            pos = 0
        start = pos
        raw_word = buf[pos:space]
        skipped = len(raw_word) - len(raw_word.lstrip(b"\n"))
        raw_word = raw_word[skipped:]
        offset = base + start + skipped
        if not raw_word or b"\n" in raw_word:
            raise FormatError(
                path,
                f"malformed word {raw_word[:40]!r} in entry {i + 1}; "
                f"is the vector size in the header ({dim}) right?",
                offset=offset,
            )
        word = decode_word(raw_word, encoding, errors, path, offset=offset)
        pos = space + 1 + nbytes
        if collector.add(word, offset):
            vectors[row] = np.frombuffer(buf, dtype="<f4", count=dim, offset=space + 1)
            row += 1
    if limit is None or limit >= n:
        rest = buf[pos:]
        while True:
            stripped = rest.lstrip()
            if stripped:
                raise FormatError(
                    path,
                    f"unexpected data after the {n} vectors the header announces",
                    offset=base + pos + len(rest) - len(stripped),
                )
            base, pos = base + pos + len(rest), 0
            rest = f.read(_CHUNK)
            if not rest:
                break
    return vectors if row == want else vectors[:row].copy()


def load_word2vec(
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    limit: int | None = None,
    vocab_path: str | os.PathLike[str] | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    duplicates: Duplicates = "warn",
) -> KeyedVectors:
    """Read a word2vec.c text (``binary=False``) or binary file, like gensim's
    ``KeyedVectors.load_word2vec_format``.

    ``limit=N`` reads only the first N entries. ``vocab_path`` names a ``word count`` file
    (word2vec.c ``-save-vocab``, gensim ``fvocab``) that supplies ``counts``; every loaded
    word must appear in it. ``unicode_errors`` is passed to ``bytes.decode`` (``"replace"`` or
    ``"ignore"`` help with word2vec.c files whose words were cut inside a UTF-8 character).
    Malformed input raises :class:`FormatError` naming the line or byte offset.
    """
    limit = check_limit(limit)
    collector = KeyCollector(path, duplicates, "byte" if binary else "line")
    with open_read(path) as f:
        n, dim, header_len = _read_header(f, path)
        if binary:
            vectors = _read_binary(
                f, path, n, dim, limit, encoding, unicode_errors, collector, header_len
            )
        else:
            vectors = _read_text(f, path, n, dim, limit, encoding, unicode_errors, collector)
    collector.finish()
    counts = None
    if vocab_path is not None:
        counts = attach_counts(collector, vocab_path, encoding, unicode_errors)
    return KeyedVectors(collector.keys, vectors, counts)


# ------------------------------------------------------------------------------------- writing
def save_word2vec(
    kv: KeyedVectors,
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    vocab_path: str | os.PathLike[str] | None = None,
    encoding: str = "utf-8",
) -> None:
    """Write ``kv`` in word2vec.c text or binary format, atomically, in index order.

    ``vocab_path`` also writes ``word count`` lines (gensim ``fvocab``); it needs
    ``kv.counts``. Keys must be non-empty and free of whitespace.
    """
    keys = list(kv.index_to_key)
    check_keys(keys, "word2vec")
    words = encode_keys(keys, encoding)
    if vocab_path is not None and kv.counts is None:
        raise ValueError("vocab_path needs counts, but these vectors have none (kv.counts is None)")
    vectors = np.ascontiguousarray(kv.vectors, dtype="<f4")
    n, dim = vectors.shape
    with atomic_write(path, compress=is_compressed(path)) as f:
        f.write(f"{n} {dim}\n".encode("ascii"))
        if binary:
            for i in range(0, n, 4096):
                rows = zip(words[i : i + 4096], vectors[i : i + 4096], strict=True)
                f.write(b"".join(w + b" " + row.tobytes() + b"\n" for w, row in rows))
        else:
            write_text_rows(f, words, vectors)
    if vocab_path is not None:
        _write_vocab_file(vocab_path, words, kv.counts.tolist())


def _write_vocab_file(vocab_path, words: list[bytes], counts: Iterable[int]) -> None:
    with atomic_write(vocab_path, compress=is_compressed(vocab_path)) as f:
        f.write(
            b"".join(
                w + b" " + str(c).encode("ascii") + b"\n"
                for w, c in zip(words, counts, strict=True)
            )
        )


def sniff_word2vec(path: str | os.PathLike[str]) -> str | None:
    """``"word2vec-text"`` or ``"word2vec-binary"`` if ``path`` starts with a word2vec header
    (``"<int> <int>"``), else ``None``. Text vs binary is decided by whether the bytes after
    the first word look like decimal numbers."""
    try:
        with open_read(path) as f:
            header = f.readline(256)
            sample = f.read(4096)
    except (OSError, EOFError):
        return None
    fields = header.split()
    if len(fields) != 2 or not all(x.isdigit() for x in fields):
        return None
    space = sample.find(b" ")
    tokens = sample[space + 1 :].split(b"\n", 1)[0].split() if space >= 0 else []
    for token in tokens:
        try:
            float(token)
        except ValueError:
            return "word2vec-binary"
    return "word2vec-text"
