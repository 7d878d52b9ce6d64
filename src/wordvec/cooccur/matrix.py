"""Cooccurrence: a sparse word-word co-occurrence matrix with its vocabulary and settings.

Saved as one ``.npz`` file laid out as ``scipy.sparse.save_npz`` writes a COO matrix
(``row``, ``col``, ``data``, ``shape``, ``format=b"coo"``), so ``scipy.sparse.load_npz``
reads it directly; the vocabulary (UTF-8 keys, counts) and the settings (JSON) ride along
as extra uint8/int64 arrays, which scipy ignores. No pickle is written or read.
"""

from __future__ import annotations

import json
import math
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wordvec._saving import atomic_write
from wordvec.exceptions import FormatError
from wordvec.vocab import Vocab

__all__ = ["Cooccurrence", "COOCCURRENCE_FORMAT_VERSION"]

COOCCURRENCE_FORMAT_VERSION = 1


@dataclass(frozen=True, eq=False)
class Cooccurrence:
    """Non-zero entries ``(rows[e], cols[e]) -> values[e]``, sorted by (row, col), no duplicates.

    >>> from wordvec.cooccur import build_cooccurrence
    >>> matrix = build_cooccurrence([["the", "king"], ["the", "queen"]], window=1, min_count=1, progress=False)
    >>> matrix, matrix.shape
    (Cooccurrence(3 words, 4 non-zero entries), (3, 3))
    >>> list(zip(matrix.rows.tolist(), matrix.cols.tolist(), matrix.values.tolist()))
    [(0, 1, 1.0), (0, 2, 1.0), (1, 0, 1.0), (2, 0, 1.0)]
    >>> matrix.save("cooc.npz")                       # scipy-loadable; Cooccurrence.load reads it back
    >>> Cooccurrence.load("cooc.npz").keys
    ['the', 'king', 'queen']

    rows, cols: int32 word indexes into ``keys`` (most frequent first, as in Vocab).
    values: float32 (weighted) co-occurrence counts.
    keys, counts: the vocabulary the indexes refer to (int64 corpus counts).
    settings: how it was counted (CooccurrenceConfig.to_dict() plus corpus statistics).
    """

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    keys: list[str]
    counts: np.ndarray
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        n = len(self.keys)
        if not (self.rows.shape == self.cols.shape == self.values.shape) or self.rows.ndim != 1:
            raise ValueError(f"rows, cols and values must be 1-D arrays of one length, got "
                             f"{self.rows.shape}, {self.cols.shape}, {self.values.shape}")
        if np.asarray(self.counts).shape != (n,):
            raise ValueError(f"{n} keys but counts of shape {np.asarray(self.counts).shape}")
        if self.rows.size and (min(self.rows.min(), self.cols.min()) < 0
                               or max(self.rows.max(), self.cols.max()) >= n):
            raise ValueError(f"co-occurrence indexes must lie in [0, {n})")

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.keys), len(self.keys))

    @property
    def nnz(self) -> int:
        return int(self.values.shape[0])

    @property
    def vocab(self) -> Vocab:
        return Vocab(self.keys, self.counts, total_words=self.settings.get("total_words"),
                     min_count=self.settings.get("min_count", 1),
                     max_vocab_size=self.settings.get("max_vocab_size"))

    def __repr__(self) -> str:
        return f"Cooccurrence({len(self.keys)} words, {self.nnz:,} non-zero entries)"

    def iter_entries(self, chunk: int = 1 << 20):
        """The entries in order, ``chunk`` at a time: (rows, cols, values) views (as
        :meth:`wordvec.cooccur.stream.CooccurrenceFile.iter_entries` reads them from a file)."""
        for s in range(0, self.nnz, chunk):
            yield self.rows[s:s + chunk], self.cols[s:s + chunk], self.values[s:s + chunk]

    def to_scipy(self, format: str = "csr"):
        """The matrix as a scipy.sparse matrix (``"coo"``, ``"csr"`` or ``"csc"``); needs scipy."""
        from scipy import sparse

        coo = sparse.coo_matrix((self.values, (self.rows, self.cols)), shape=self.shape)
        return coo.asformat(format)

    def dense(self) -> np.ndarray:
        """A dense float64 copy (small vocabularies only: tests and examples)."""
        out = np.zeros(self.shape, dtype=np.float64)
        out[self.rows, self.cols] = self.values
        return out

    # ------------------------------------------------------------------ files
    def save(self, path: str | os.PathLike) -> None:
        """Write one ``.npz`` (atomically) that ``scipy.sparse.load_npz`` and :meth:`load` read."""
        encoded = [k.encode("utf-8") for k in self.keys]
        key_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=key_offsets[1:])
        key_bytes = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        meta = {"format_version": COOCCURRENCE_FORMAT_VERSION, "settings": self.settings}
        with atomic_write(path) as fh:
            np.savez(fh, row=self.rows, col=self.cols, data=self.values,
                     shape=np.array(self.shape, dtype=np.int64), format=np.array(b"coo"),
                     wordvec_key_bytes=key_bytes, wordvec_key_offsets=key_offsets,
                     wordvec_counts=np.asarray(self.counts, dtype=np.int64),
                     wordvec_meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8))

    @classmethod
    def load(cls, path: str | os.PathLike) -> Cooccurrence:
        """Read a file written by :meth:`save` (allow_pickle=False).

        A file that is not one, or is damaged or truncated, raises :class:`FormatError` naming
        the file and, for a damaged member, its byte offset in the archive: every member's
        ``.npy`` header is checked (dtype, shape, and a size the member can hold) before its data
        is read, and the vocabulary, settings and entries are checked against each other.
        """
        with open(path, "rb") as fh:  # a missing file stays a FileNotFoundError
            size = os.fstat(fh.fileno()).st_size
            try:
                with zipfile.ZipFile(fh) as archive:
                    return cls._from_archive(path, archive, size)
            except FormatError:
                raise
            except _ARCHIVE_ERRORS as exc:
                raise FormatError(path, f"not a readable co-occurrence file (.npz): {type(exc).__name__}: {exc}",
                                  offset=0) from None

    @classmethod
    def _from_archive(cls, path, archive: zipfile.ZipFile, size: int) -> Cooccurrence:
        keys, counts, settings, fail = read_header(path, archive, size)
        rows, cols, values = (_read_member(path, archive, name, size) for name in ENTRY_MEMBERS)
        if not rows.shape == cols.shape == values.shape:
            raise fail("data", f"row, col and data differ in length ({rows.size}, {cols.size}, {values.size})")
        last = -1
        for s in range(0, rows.size, CHECK_CHUNK):  # a chunk at a time: the sort key is 8 bytes an entry
            last = check_entries(rows[s:s + CHECK_CHUNK], cols[s:s + CHECK_CHUNK], values[s:s + CHECK_CHUNK],
                                 len(keys), last, fail)
        return cls(rows=rows.astype(np.int32, copy=False), cols=cols.astype(np.int32, copy=False),
                   values=values, keys=keys, counts=counts, settings=settings)


#: Entries checked at once when a matrix is read.
CHECK_CHUNK = 1 << 20
#: The members that hold the entries (the others are the vocabulary and the settings).
ENTRY_MEMBERS = ("row", "col", "data")


def read_header(path, archive: zipfile.ZipFile, size: int):
    """The vocabulary and settings of a saved matrix: ``(keys, counts, settings, fail)``.

    ``fail(member, reason)`` makes the FormatError that names the file, the member and its offset.
    Every member's ``.npy`` header is checked; the entries themselves are not read here.
    """
    names = {n[:-4] for n in archive.namelist() if n.endswith(".npy")}
    missing = set(_MEMBERS) - names
    if missing:
        raise FormatError(path, f"not a wordvec co-occurrence file (missing {', '.join(sorted(missing))})")
    at = {name: archive.getinfo(name + ".npy").header_offset for name in _MEMBERS}

    def fail(name: str, reason: str) -> FormatError:
        return FormatError(path, f"member {name!r}: {reason}", offset=at[name])

    for name in ENTRY_MEMBERS:
        shape, dtype = _member_header(path, archive, name, size)
        if len(shape) != 1 or dtype.kind not in _MEMBERS[name]:
            raise fail(name, f"expected a 1-D array of {_KIND_NAMES[_MEMBERS[name]]}, found {dtype} {shape}")
    arrays = {name: _read_member(path, archive, name, size) for name in _MEMBERS if name not in ENTRY_MEMBERS}
    for name, array in arrays.items():
        kinds = _MEMBERS[name]
        if array.ndim != 1 or array.dtype.kind not in kinds:
            raise fail(name, f"expected a 1-D array of {_KIND_NAMES[kinds]}, found {array.dtype} {array.shape}")
    try:
        meta = json.loads(arrays["wordvec_meta"].tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise fail("wordvec_meta", f"not UTF-8 JSON ({exc})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("settings", {}), dict):
        raise fail("wordvec_meta", "expected a JSON object with a 'settings' object")
    version = meta.get("format_version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise fail("wordvec_meta", f"invalid format_version {version!r}")
    if version > COOCCURRENCE_FORMAT_VERSION:
        raise FormatError(path, f"co-occurrence format version {version} is newer than this wordvec reads "
                                f"({COOCCURRENCE_FORMAT_VERSION}); upgrade wordvec")
    raw = arrays["wordvec_key_bytes"].tobytes()
    offs = arrays["wordvec_key_offsets"].astype(np.int64)  # uint64 would hide a decrease
    if offs.size == 0 or offs[0] != 0 or offs[-1] != len(raw) or (np.diff(offs) < 0).any():
        raise fail("wordvec_key_offsets", f"not the offsets of {len(raw)} bytes of keys")
    keys = []
    for i in range(len(offs) - 1):
        try:
            keys.append(raw[offs[i]:offs[i + 1]].decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise fail("wordvec_key_bytes", f"key #{i} is not valid UTF-8 ({exc.reason})") from None
    if len(set(keys)) != len(keys):
        seen: dict[str, int] = {}
        for i, key in enumerate(keys):
            first = seen.setdefault(key, i)
            if first != i:
                raise fail("wordvec_key_bytes", f"key #{i} {key!r} repeats key #{first}")
    n = len(keys)
    if arrays["wordvec_counts"].shape != (n,):
        raise fail("wordvec_counts", f"{arrays['wordvec_counts'].shape[0]} counts for {n} keys")
    return keys, arrays["wordvec_counts"].astype(np.int64, copy=False), meta.get("settings", {}), fail


def check_entries(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, last: int, fail) -> int:
    """Check a run of entries (indexes in ``[0, n)``, sorted by (row, col) after the key ``last``
    without repeats, finite non-negative values); returns the run's last key ``row * n + col``."""
    if rows.size == 0:
        return last
    for name, index in (("row", rows), ("col", cols)):
        if index.min() < 0 or index.max() >= n:
            raise fail(name, f"indexes must lie in [0, {n})")
    order = rows.astype(np.int64) * n + cols.astype(np.int64)
    if order[0] <= last or (np.diff(order) <= 0).any():
        raise fail("row", "entries are not sorted by (row, col) without repeats")
    if not np.isfinite(values).all() or (values < 0).any():
        raise fail("data", "values must be finite and non-negative counts")
    return int(order[-1])


_MEMBERS = {"row": "iu", "col": "iu", "data": "fiu", "wordvec_key_bytes": "u", "wordvec_key_offsets": "iu",
            "wordvec_counts": "iu", "wordvec_meta": "u"}
_KIND_NAMES = {"iu": "integers", "fiu": "numbers", "u": "bytes (uint8)"}
# What zipfile and numpy raise on a damaged archive or member.
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
                   RuntimeError, KeyError, zlib.error, struct.error, UnicodeDecodeError)
# deflate cannot expand data more than about 1032 times
_MAX_DEFLATE_RATIO = 1100


def _read_member(path, archive: zipfile.ZipFile, name: str, size: int) -> np.ndarray:
    """One ``.npy`` member: header and sizes checked before numpy allocates what it announces."""
    info = archive.getinfo(name + ".npy")
    _member_header(path, archive, name, size)
    with archive.open(info) as fh:
        try:
            return np.lib.format.read_array(fh, allow_pickle=False)
        except _ARCHIVE_ERRORS as exc:
            raise FormatError(path, f"member {name!r}: damaged or truncated ({type(exc).__name__}: {exc})",
                              offset=info.header_offset) from None


def _member_header(path, archive: zipfile.ZipFile, name: str, size: int) -> tuple[tuple[int, ...], np.dtype]:
    """The checked ``(shape, dtype)`` of one ``.npy`` member (its data not read)."""
    info = archive.getinfo(name + ".npy")

    def fail(reason: str) -> FormatError:
        return FormatError(path, f"member {name!r}: {reason}", offset=info.header_offset)

    if info.compress_type == zipfile.ZIP_STORED:
        limit = info.compress_size
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        limit = info.compress_size * _MAX_DEFLATE_RATIO
    else:
        raise fail(f"unsupported zip compression {info.compress_type} (numpy writes stored or deflated members)")
    if info.compress_size > size or info.file_size > limit:
        raise fail(f"the archive's directory claims {info.file_size} bytes in a {size}-byte file: it is damaged")
    with archive.open(info) as fh:
        try:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            else:
                raise fail(f"unsupported .npy version {version}")
        except FormatError:
            raise
        except zipfile.BadZipFile as exc:  # a CRC or size mismatch
            raise fail(f"damaged ({exc})") from None
        except Exception as exc:  # noqa: BLE001 - numpy parses the header with ast/tokenize: any failure
            # there (ValueError, SyntaxError, TokenError, RecursionError, ...) is a corrupt header
            raise fail(f"corrupt .npy header ({type(exc).__name__}: {exc})") from None
        if dtype.hasobject:
            raise fail("holds Python objects; wordvec never reads pickled data")
        need = math.prod(shape) * dtype.itemsize
        if need > info.file_size:
            raise fail(f"the header announces {shape} {dtype} ({need} bytes), the member holds {info.file_size}: "
                       "it is truncated or damaged")
    return shape, dtype
