"""A saved co-occurrence matrix read a chunk of entries at a time, never whole.

:meth:`Cooccurrence.save` writes the entries as stored (uncompressed) ``.npy`` members of an
``.npz``; their bytes sit at fixed offsets in the file, so :class:`CooccurrenceFile` reads any
range of entries with one positioned read, checking each chunk as :meth:`Cooccurrence.load`
checks the whole (sorted, in range, finite). GloVe trains from such a file in bounded memory
(Stanford GloVe's tools likewise never hold the matrix). Reads go through the page cache, not a
memory map, so the process's resident memory does not grow with the file.
"""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from wordvec.cooccur.matrix import (_ARCHIVE_ERRORS, CHECK_CHUNK, ENTRY_MEMBERS, Cooccurrence, check_entries,
                                    read_header)
from wordvec.exceptions import FormatError
from wordvec.vocab import Vocab

__all__ = ["CooccurrenceFile", "open_cooccurrence"]

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., file name length, extra field length


class _CompressedEntries(Exception):
    """The entry members are compressed: the file cannot be read in place (load it whole)."""


class CooccurrenceFile:
    """The vocabulary and settings of a saved matrix in memory; its entries read on demand.

    >>> from wordvec.cooccur import build_cooccurrence
    >>> build_cooccurrence([["the", "king"], ["the", "queen"]], window=1, min_count=1, progress=False).save("m.npz")
    >>> f = CooccurrenceFile("m.npz")
    >>> f, f.keys
    (CooccurrenceFile('m.npz', 3 words, 4 non-zero entries), ['the', 'king', 'queen'])
    >>> [(r.tolist(), c.tolist()) for r, c, v in f.iter_entries(chunk=3)]      # 3 entries, then 1
    [([0, 0, 1], [1, 2, 0]), ([2], [0])]

    Raises :class:`FormatError` (naming the file, the member and its offset) for a damaged file,
    and when a chunk read breaks the rules of the format (unsorted or out-of-range entries).
    A file whose entry members are compressed cannot be read in place:
    :func:`open_cooccurrence` loads those whole.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        with open(self.path, "rb") as fh:  # a missing file stays a FileNotFoundError
            size = os.fstat(fh.fileno()).st_size
            try:
                with zipfile.ZipFile(fh) as archive:
                    self.keys, self.counts, self.settings, self._fail = read_header(self.path, archive, size)
                    self._members = {name: self._locate(fh, archive, name) for name in ENTRY_MEMBERS}
            except FormatError:
                raise
            except _ARCHIVE_ERRORS as exc:
                raise FormatError(self.path, f"not a readable co-occurrence file (.npz): {type(exc).__name__}: {exc}",
                                  offset=0) from None
        counts = {name: count for name, (_, _, count) in self._members.items()}
        if len(set(counts.values())) != 1:
            raise self._fail("data", f"row, col and data differ in length ({counts['row']}, {counts['col']}, "
                                     f"{counts['data']})")
        self.nnz = counts["row"]

    def _locate(self, fh, archive: zipfile.ZipFile, name: str) -> tuple[int, np.dtype, int]:
        """``(byte offset of the data, dtype, count)`` of a stored 1-D member."""
        info = archive.getinfo(name + ".npy")
        if info.compress_type != zipfile.ZIP_STORED:
            raise _CompressedEntries(f"{self.path}: member {name!r} is compressed")
        fh.seek(info.header_offset)
        signature, name_len, extra_len = _LOCAL_HEADER.unpack(fh.read(_LOCAL_HEADER.size))
        if signature != b"PK\x03\x04":
            raise self._fail(name, "no local file header where the archive's directory points")
        start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
        fh.seek(start)
        version = np.lib.format.read_magic(fh)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read(fh)
        data = fh.tell()
        if data + shape[0] * dtype.itemsize > start + info.compress_size:
            raise self._fail(name, "truncated: the member is shorter than its header announces")
        return data, dtype, int(shape[0])

    def __repr__(self) -> str:
        return f"CooccurrenceFile({os.fspath(self.path)!r}, {len(self.keys)} words, {self.nnz:,} non-zero entries)"

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.keys), len(self.keys))

    @property
    def vocab(self) -> Vocab:
        return Vocab(self.keys, self.counts, total_words=self.settings.get("total_words"),
                     min_count=self.settings.get("min_count", 1),
                     max_vocab_size=self.settings.get("max_vocab_size"))

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries ``start:stop`` as (rows int32, cols int32, values float32), unchecked."""
        out = []
        for name in ENTRY_MEMBERS:
            offset, dtype, _ = self._members[name]
            try:
                part = np.fromfile(self.path, dtype=dtype, count=stop - start, offset=offset + start * dtype.itemsize)
            except (OSError, ValueError) as exc:
                raise FormatError(self.path, f"member {name!r}: cannot read entries {start}:{stop} ({exc})") from None
            if part.size != stop - start:
                raise self._fail(name, f"truncated: entries {start}:{stop} run past the end of the file")
            out.append(part)
        rows, cols, values = out
        return rows, cols, values

    def iter_entries(self, chunk: int = CHECK_CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Every entry in order, ``chunk`` at a time, each chunk checked (and rows/cols as int32)."""
        last = -1
        for start in range(0, self.nnz, chunk):
            rows, cols, values = self.read(start, min(start + chunk, self.nnz))
            last = check_entries(rows, cols, values, len(self.keys), last, self._fail)
            yield rows.astype(np.int32, copy=False), cols.astype(np.int32, copy=False), values.astype(np.float32,
                                                                                                       copy=False)


def open_cooccurrence(path: str | os.PathLike) -> CooccurrenceFile | Cooccurrence:
    """A saved matrix read in place when its entries are stored uncompressed (as wordvec and
    ``np.savez`` write them), else loaded whole (``np.savez_compressed``, scipy's default).

    >>> from wordvec.cooccur import build_cooccurrence
    >>> build_cooccurrence([["a", "b"]], window=1, min_count=1, progress=False).save("ab.npz")
    >>> type(open_cooccurrence("ab.npz")).__name__
    'CooccurrenceFile'
    """
    try:
        return CooccurrenceFile(path)
    except _CompressedEntries:
        return Cooccurrence.load(path)
