"""What the word-per-line vector formats share: word2vec.c text and binary, and Stanford GloVe.

* keys: :func:`check_keys` refuses what a space-separated format cannot store, :func:`encode_keys`
  encodes them, naming the key that fails;
* reading: :func:`decode_word` and :func:`parse_values` (decimal -> float64 -> float32, as gensim's
  ``np.float32(str)``) name the line or byte offset of a bad field; :class:`KeyCollector` gathers the
  words in file order under the duplicate-word policy; :func:`check_limit` checks ``limit=``;
* writing: :func:`write_text_rows` writes ``word v1 ... vd`` lines with the shortest decimal that
  round-trips each float32 (what gensim writes); :func:`is_compressed` says whether to gzip;
* vocabulary files: ``word count`` lines (word2vec.c ``-save-vocab``, gensim's ``fvocab``), read by
  :func:`read_vocab_file` / :func:`attach_counts` and written by :func:`write_vocab_file`.

Files are opened with :func:`wordvec._files.open_binary` (``.gz``, ``.bz2``, ``.xz`` decompressed)
and written with :func:`wordvec._files.atomic_write`.
"""

from __future__ import annotations

import operator
import os
import warnings
from array import array
from collections.abc import Iterable
from typing import BinaryIO, Literal

import numpy as np

from wordvec._files import atomic_write, open_binary
from wordvec.exceptions import FormatError

__all__ = ["Duplicates", "KeyCollector", "attach_counts", "check_keys", "check_limit", "decode_word",
           "encode_keys", "format_vector", "is_compressed", "parse_values", "read_vocab_file",
           "write_text_rows", "write_vocab_file"]

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
    with open_binary(vocab_path) as f:
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
