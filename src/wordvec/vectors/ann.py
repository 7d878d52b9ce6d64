"""Approximate nearest-neighbour index for :class:`~wordvec.vectors.KeyedVectors` (extra ``ann``).

An HNSW graph (Malkov & Yashunin 2016) over the unit vectors, built and searched by `usearch
<https://github.com/unum-cloud/usearch>`_, inner-product metric. The index only proposes
candidates: :meth:`KeyedVectors.most_similar` rescoring them with the exact cosine of the
vectors, so the scores it prints are exactly the exact search's, the query keys are left out and
``restrict_vocab`` / ``topn`` mean the same thing (see ``KeyedVectors._ann_search``).

Why usearch (benchmarks/RESULTS.md, "Queries at scale (issue 14)" and the session 11 section;
benchmarks/bench_ann.py): hnswlib, usearch and faiss-cpu (``IndexHNSWFlat``) build the same HNSW
graph and reach the same recall at the same search width; pynndescent's single queries pay Python
and numba overhead per call and it saves only by pickling, which the native format refuses. On an
idle machine hnswlib answered 2.2x and faiss 1.75x faster than usearch at the same width (usearch's
own search loop; its binding adds ~25 us), and built 2x and 1.5x faster. usearch is kept for what
the other two lack: (1) it memory-maps a saved index (``Index.restore(path, view=True)``: opening
takes milliseconds, the pages are shared between processes and RSS grows only with the pages
touched), where hnswlib reads the whole file and faiss maps the vectors but reads the graph;
(2) it installs as a small binary wheel on every platform (hnswlib 0.8.0 is a source package that
needs a C++ compiler; faiss-cpu is a ~30 MB wheel with OpenMP); (3) it is actively released
(hnswlib's last release is from 2023). Its speed is enough for the target (p50 <= 1 ms at
recall@10 >= 0.95): on the bench's 400,000 x 100 skip-gram vectors trained at the benchmark's 5
epochs, ef 64 / 128 gave recall 0.979 / 0.987 at 0.48 / 0.73 ms a query; on a harder set (1
epoch: 4 in 10 query keys seen fewer than 5 times, vectors near their random start) ef 128 / 192 /
256 gave 0.944 / 0.955 / 0.962. Storing the vectors as f16 or i8 in the index searched no faster
at the same recall.

Layout of a saved index, next to the native vectors it was built for::

    vectors/            a native directory (wordvec.save)
      ann/
        index.usearch   the usearch file (graph + vectors)
        config.json     {"format_version": 1, "library": "usearch", "count": n, "vector_size": d,
                         "fingerprint": "...", "params": {...}}

``fingerprint`` hashes the keys (SHA-256) and the vector bytes (CRC-32): an index whose vectors
or keys have changed since it was built is refused (:class:`StaleIndexError`) instead of
returning neighbours of other vectors. The check reads the whole matrix (about 30 ms for
400,000 x 100), so it runs once, on the first search, not when the vectors are loaded.

``import wordvec`` never imports usearch: it is imported when an index is built or first searched;
a missing extra raises ``ImportError`` naming ``pip install 'wordvec[ann]'``.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from wordvec._saving import atomic_directory, recover_interrupted_save
from wordvec.exceptions import FormatError

__all__ = ["ANN_HINT", "AnnIndex", "INDEX_DIR", "StaleIndexError", "fingerprint", "require_usearch"]

LIBRARY = "usearch"
#: The index's directory inside the native vectors directory.
INDEX_DIR = "ann"
INDEX_FILE = "index.usearch"
CONFIG_FILE = "config.json"
FORMAT_VERSION = 1
ANN_HINT = "pip install 'wordvec[ann]'"

#: Build and search parameters (chosen from benchmarks/bench_ann.py's figures).
#: connectivity: graph edges per node ("M"); expansion_add: candidate list while building
#: ("efConstruction"); expansion_search: candidate list while searching ("ef"; more is slower
#: and more accurate, and can be changed after building); dtype: how the index stores the
#: vectors ("f32", "f16", "i8": the candidates are rescored exactly either way).
DEFAULTS: dict[str, Any] = {"connectivity": 48, "expansion_add": 300, "expansion_search": 128, "dtype": "f32"}
_DTYPES = ("f32", "f16", "i8")


class StaleIndexError(ValueError):
    """The index was built for other vectors (keys or vectors changed since).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["a", "b", "c"], np.eye(3))
    >>> index = wv.build_index()
    >>> other = KeyedVectors(["a", "b", "d"], np.eye(3))
    >>> index.check(other)
    Traceback (most recent call last):
        ...
    wordvec.vectors.ann.StaleIndexError: the index was built for other vectors (the keys or ...
    """


def require_usearch():
    """usearch's ``Index`` class, or an ImportError that says how to install the extra.

    >>> require_usearch().__name__       # without usearch: an ImportError naming pip install 'wordvec[ann]'
    'Index'
    """
    try:
        from usearch.index import Index
    except ImportError as exc:
        raise ImportError(f"the approximate nearest-neighbour index needs usearch, which is not installed: "
                          f"{ANN_HINT}") from exc
    return Index


def fingerprint(keys: list[str], vectors: np.ndarray) -> str:
    """A digest of ``keys`` (SHA-256) and of the bytes of ``vectors`` (CRC-32, ~6 GB/s).

    >>> import numpy as np
    >>> a = fingerprint(["a", "b"], np.eye(2, dtype=np.float32))
    >>> a == fingerprint(["a", "b"], np.eye(2, dtype=np.float32)), a == fingerprint(["a", "c"],
    ...                  np.eye(2, dtype=np.float32))
    (True, False)
    """
    h = hashlib.sha256(f"{len(keys)} {vectors.shape[1]}\n".encode())
    h.update("\x00".join(keys).encode("utf-8", "surrogatepass"))
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    flat = memoryview(data).cast("B") if data.size else b""
    crc = 0
    step = 1 << 26
    for start in range(0, len(flat), step):
        crc = zlib.crc32(flat[start:start + step], crc)
    return f"{h.hexdigest()[:32]}-{crc:08x}"


def _check_params(params: dict[str, Any]) -> dict[str, Any]:
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown index parameter(s) {', '.join(sorted(unknown))}; "
                        f"the index takes {', '.join(DEFAULTS)}")
    out = {**DEFAULTS, **params}
    for name in ("connectivity", "expansion_add", "expansion_search"):
        value = out[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            raise ValueError(f"{name} must be an integer >= 2, got {value!r}")
    if out["dtype"] not in _DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(_DTYPES)}, got {out['dtype']!r}")
    return out


class AnnIndex:
    """An HNSW index over the unit vectors of one :class:`KeyedVectors` (usearch).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors([f"w{i}" for i in range(50)], np.random.default_rng(0).normal(size=(50, 8)))
    >>> index = wv.build_index()                  # needs the [ann] extra (usearch)
    >>> [k for k, _ in wv.most_similar("w0", topn=3, index="ann")] == [k for k, _ in wv.most_similar("w0", topn=3)]
    True
    >>> from wordvec import save
    >>> save(wv, "vectors/")
    >>> path = index.save("vectors/")             # next to the native vectors; wordvec.load attaches it
    >>> AnnIndex.exists("vectors/")
    True

    Build it with ``kv.build_index(...)`` (or :meth:`build`), save it next to native vectors
    with :meth:`save`; ``wordvec.load`` attaches a saved one, memory-mapped. Rows holding NaN or
    infinity are left out of the graph (the exact search skips them too).
    """

    def __init__(self, count: int, vector_size: int, fingerprint: str, params: dict[str, Any], *,
                 native=None, path: Path | None = None, mmap: bool = True):
        self.count = int(count)
        self.vector_size = int(vector_size)
        self.fingerprint = fingerprint
        self.params = dict(params)
        self.path = path
        self._native = native
        self._mmap = mmap

    def __repr__(self) -> str:
        where = f", {self.path}" if self.path is not None else ""
        return f"AnnIndex({LIBRARY}, {self.count} keys, {self.vector_size} dimensions{where})"

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, kv, *, threads: int | None = None, **params: Any) -> AnnIndex:
        """An index over ``kv``'s unit vectors; ``params`` override :data:`DEFAULTS`.

        ``threads`` builds in that many threads (None: one per core)."""
        params = _check_params(params)
        Index = require_usearch()
        unit = kv.unit_vectors
        finite = np.isfinite(unit).all(axis=1)
        ids = np.flatnonzero(finite).astype(np.uint64)
        native = Index(ndim=kv.vector_size, metric="ip", dtype=params["dtype"],
                       connectivity=params["connectivity"], expansion_add=params["expansion_add"],
                       expansion_search=params["expansion_search"])
        if ids.size:
            rows = unit if ids.size == len(kv) else unit[finite]
            native.add(ids, rows, threads=0 if threads is None else int(threads))
        return cls(len(kv), kv.vector_size, fingerprint(kv.index_to_key, kv.vectors), params, native=native)

    # ----------------------------------------------------------------- searching
    @property
    def expansion_search(self) -> int:
        """The search's candidate list ("ef"): raise it for recall, lower it for speed."""
        return int(self.params["expansion_search"])

    @expansion_search.setter
    def expansion_search(self, value: int) -> None:
        self.params["expansion_search"] = _check_params({"expansion_search": value})["expansion_search"]
        if self._native is not None:
            self._native.expansion_search = self.params["expansion_search"]

    def _index(self):
        if self._native is None:
            Index = require_usearch()
            file = self.path / INDEX_FILE
            try:
                native = Index.restore(os.fspath(file), view=self._mmap)
            except (RuntimeError, ValueError, OSError) as exc:
                raise FormatError(file, f"not a readable usearch index: {exc}", offset=0) from None
            if native is None:
                raise FormatError(file, "not a usearch index file", offset=0)
            native.expansion_search = self.expansion_search
            self._native = native
        return self._native

    def search(self, query: np.ndarray, k: int) -> np.ndarray:
        """Row indexes of (about) the ``k`` rows of largest inner product with the unit vector
        ``query``, best first (int64)."""
        index = self._index()
        k = min(int(k), self.count)
        if k < 1 or len(index) == 0:
            return np.empty(0, dtype=np.int64)
        found = index.search(np.ascontiguousarray(query, dtype=np.float32), k)
        return np.asarray(found.keys, dtype=np.int64)

    def check(self, kv) -> None:
        """Raise :class:`StaleIndexError` unless this index was built for ``kv``'s keys and vectors."""
        where = f" in {self.path}" if self.path is not None else ""
        if (self.count, self.vector_size) != (len(kv), kv.vector_size):
            raise StaleIndexError(f"the index{where} was built for {self.count} x {self.vector_size} vectors, these are "
                                  f"{len(kv)} x {kv.vector_size}; {self._rebuild_hint()}")
        if fingerprint(kv.index_to_key, kv.vectors) != self.fingerprint:
            raise StaleIndexError(f"the index{where} was built for other vectors (the keys or vectors changed since); "
                                  f"{self._rebuild_hint()}")

    def _rebuild_hint(self) -> str:
        if self.path is not None:
            return f"rebuild it (wordvec index {self.path.parent}) or delete {self.path}"
        return "rebuild it with kv.build_index()"

    # -------------------------------------------------------------------- saving
    def save(self, vectors_dir: str | os.PathLike[str]) -> Path:
        """Save into ``vectors_dir/ann/`` (``vectors_dir`` is the native directory of the vectors
        it was built for), atomically; returns that path."""
        vectors_dir = Path(vectors_dir)
        if not (vectors_dir / "config.json").is_file():
            raise FileNotFoundError(f"{vectors_dir} is not a native vectors directory (no config.json); save the "
                                    f"vectors with wordvec.save(kv, path) first, then the index next to them")
        native = self._index()
        config = {"format_version": FORMAT_VERSION, "library": LIBRARY, "count": self.count,
                  "vector_size": self.vector_size, "fingerprint": self.fingerprint, "params": self.params}
        target = vectors_dir / INDEX_DIR
        with atomic_directory(target) as tmp:
            native.save(os.fspath(tmp / INDEX_FILE))
            (tmp / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        self.path = target
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, mmap: bool = True) -> AnnIndex:
        """The index saved at ``path`` (a vectors directory, or its ``ann/``), memory-mapped
        unless ``mmap=False``. Only ``config.json`` is read here; usearch opens the file on the
        first search."""
        path = Path(path)
        if (path / INDEX_DIR / CONFIG_FILE).is_file() or not (path / CONFIG_FILE).is_file():
            path = path / INDEX_DIR
        recover_interrupted_save(path)
        file = path / CONFIG_FILE
        try:
            config = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path}: no index here (build one with `wordvec index` or kv.build_index())") from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise FormatError(file, f"not a valid index configuration: {exc}", line=1) from None
        if not isinstance(config, dict) or config.get("library") != LIBRARY:
            raise FormatError(file, f"not a wordvec {LIBRARY} index configuration", line=1)
        version = config.get("format_version")
        if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
            raise FormatError(file, f"index format_version {version!r}; this wordvec reads 1 to {FORMAT_VERSION}",
                              line=1)
        try:
            params = _check_params(config.get("params") or {})
            return cls(int(config["count"]), int(config["vector_size"]), str(config["fingerprint"]), params,
                       path=path, mmap=mmap)
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(file, f"invalid index configuration: {exc}", line=1) from None

    @staticmethod
    def exists(vectors_dir: str | os.PathLike[str]) -> bool:
        """Whether ``vectors_dir`` holds a saved index."""
        return (Path(vectors_dir) / INDEX_DIR / CONFIG_FILE).is_file()
