"""Cooccurrence: a sparse word-word co-occurrence matrix with its vocabulary and settings.

Saved as one ``.npz`` file laid out as ``scipy.sparse.save_npz`` writes a COO matrix
(``row``, ``col``, ``data``, ``shape``, ``format=b"coo"``), so ``scipy.sparse.load_npz``
reads it directly; the vocabulary (UTF-8 keys, counts) and the settings (JSON) ride along
as extra uint8/int64 arrays, which scipy ignores. No pickle is written or read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wordvec._files import atomic_write
from wordvec.vocab import Vocab

__all__ = ["Cooccurrence", "COOCCURRENCE_FORMAT_VERSION"]

COOCCURRENCE_FORMAT_VERSION = 1


@dataclass(frozen=True, eq=False)
class Cooccurrence:
    """Non-zero entries ``(rows[e], cols[e]) -> values[e]``, sorted by (row, col), no duplicates.

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
        """Read a file written by :meth:`save` (allow_pickle=False)."""
        with np.load(path, allow_pickle=False) as z:
            missing = {"row", "col", "data", "wordvec_key_bytes", "wordvec_key_offsets",
                       "wordvec_counts", "wordvec_meta"} - set(z.files)
            if missing:
                raise ValueError(f"{os.fspath(path)} is not a wordvec co-occurrence file "
                                 f"(missing {', '.join(sorted(missing))})")
            meta = json.loads(z["wordvec_meta"].tobytes().decode("utf-8"))
            if meta.get("format_version", 0) > COOCCURRENCE_FORMAT_VERSION:
                raise ValueError(f"{os.fspath(path)}: co-occurrence format version "
                                 f"{meta['format_version']} is newer than this wordvec reads "
                                 f"({COOCCURRENCE_FORMAT_VERSION}); upgrade wordvec")
            raw = z["wordvec_key_bytes"].tobytes()
            offs = z["wordvec_key_offsets"]
            keys = [raw[offs[i]:offs[i + 1]].decode("utf-8") for i in range(len(offs) - 1)]
            return cls(rows=z["row"].astype(np.int32, copy=False), cols=z["col"].astype(np.int32, copy=False),
                       values=z["data"], keys=keys, counts=z["wordvec_counts"],
                       settings=meta.get("settings", {}))
