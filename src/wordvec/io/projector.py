"""The TensorFlow Embedding Projector's files: ``vecs.tsv`` + ``meta.tsv`` + a projector config.

Mirrors what the projector (projector.tensorflow.org, the standalone
``tensorflow/embedding-projector-standalone`` and TensorBoard's projector plugin) reads:

* ``vecs.tsv``: one row per point, values separated by tabs, no header (the "Load" dialog's
  tensor file; TensorBoard's ``tensor_path``).
* ``meta.tsv``: one row per point. With a single column (the word) there is **no** header;
  with more than one column the first row holds the column names (the projector's rule:
  "if there's more than one column, the first row will be parsed as column labels").
* ``projector_config.pbtxt``: TensorBoard's ``ProjectorConfig`` text proto
  (``embeddings { tensor_name tensor_path metadata_path tensor_shape }``); point
  ``tensorboard --logdir OUTDIR`` at the folder.
* ``projector_config.json``: the standalone projector's config
  (``{"embeddings": [{"tensorName", "tensorShape", "tensorPath", "metadataPath"}]}``), the
  file given to it with ``?config=`` or published for projector.tensorflow.org.

TSV cells cannot hold tabs or line breaks, so a key containing one is an error (never
silently altered).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wordvec._saving import atomic_write
from wordvec.exceptions import FormatError
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["CONFIG_JSON", "CONFIG_PBTXT", "META_TSV", "VECS_TSV", "load_projector", "save_projector"]

VECS_TSV = "vecs.tsv"
META_TSV = "meta.tsv"
CONFIG_PBTXT = "projector_config.pbtxt"
CONFIG_JSON = "projector_config.json"
METADATA_COLUMNS = ("count",)


def _check_cell(value: str, what: str) -> str:
    if any(c in value for c in "\t\n\r"):
        raise ValueError(f"{what} {value!r} holds a tab or a line break, which a TSV cell cannot hold")
    return value


def _pbtxt_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_projector(
    kv: KeyedVectors,
    outdir: str | os.PathLike[str],
    *,
    limit: int | None = None,
    metadata: Sequence[str] = (),
    tensor_name: str = "wordvec",
) -> dict[str, Path]:
    """Write the first ``limit`` keys (all by default) of ``kv`` as projector files into ``outdir``.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> paths = save_projector(KeyedVectors(["king", "queen", "pawn"], np.eye(3)), "projector/", limit=2)
    >>> sorted(paths)
    ['json', 'meta', 'pbtxt', 'vecs']
    >>> print(open(paths["vecs"]).read().strip())
    1    0    0
    0    1    0

    ``metadata`` names extra columns of ``meta.tsv``; ``"count"`` (the corpus count, needs
    ``kv.counts``) is the one known column. ``outdir`` is created if needed; each file is
    written atomically. Returns the written paths by role (``vecs``, ``meta``, ``pbtxt``, ``json``).
    """
    for column in metadata:
        if column not in METADATA_COLUMNS:
            raise ValueError(f"unknown metadata column {column!r}; choose from {', '.join(METADATA_COLUMNS)}")
    if "count" in metadata and kv.counts is None:
        raise ValueError("metadata column 'count' asked for, but these vectors have no counts")
    n = len(kv) if limit is None else int(limit)
    if n < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    n = min(n, len(kv))
    if n == 0:
        raise ValueError("no vectors to export: the vocabulary is empty")
    keys = kv.index_to_key[:n]
    for key in keys:
        _check_cell(key, "key")
    _check_cell(tensor_name, "tensor name")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)

    paths = {"vecs": out / VECS_TSV, "meta": out / META_TSV, "pbtxt": out / CONFIG_PBTXT, "json": out / CONFIG_JSON}
    vectors = np.asarray(kv.vectors[:n], dtype=np.float32)
    with atomic_write(paths["vecs"]) as f:
        # repr-exact float32 text ("%.9g" round-trips every float32).
        for start in range(0, n, 4096):
            block = vectors[start:start + 4096]
            f.write("".join("\t".join(f"{v:.9g}" for v in row) + "\n" for row in block.tolist()).encode("utf-8"))
    columns = ["word", *metadata]
    with atomic_write(paths["meta"]) as f:
        rows = []
        if len(columns) > 1:
            rows.append("\t".join(columns))
        counts = kv.counts
        for i, key in enumerate(keys):
            cells = [key]
            for column in metadata:
                if column == "count":
                    cells.append(str(int(counts[i])))
            rows.append("\t".join(cells))
        f.write(("\n".join(rows) + "\n").encode("utf-8"))
    shape = [n, int(vectors.shape[1])]
    pbtxt = (
        "embeddings {\n"
        f"  tensor_name: {_pbtxt_string(tensor_name)}\n"
        f"  tensor_path: {_pbtxt_string(VECS_TSV)}\n"
        f"  metadata_path: {_pbtxt_string(META_TSV)}\n"
        f"  tensor_shape: {shape[0]}\n"
        f"  tensor_shape: {shape[1]}\n"
        "}\n"
    )
    with atomic_write(paths["pbtxt"]) as f:
        f.write(pbtxt.encode("utf-8"))
    config = {"embeddings": [{"tensorName": tensor_name, "tensorShape": shape,
                              "tensorPath": VECS_TSV, "metadataPath": META_TSV}]}
    with atomic_write(paths["json"]) as f:
        f.write((json.dumps(config, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return paths


def load_projector(path: str | os.PathLike[str], metadata_path: str | os.PathLike[str] | None = None) -> KeyedVectors:
    """Read projector TSVs back: ``path`` is a folder holding vecs.tsv + meta.tsv, or a vecs file.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> _ = save_projector(KeyedVectors(["king", "queen"], np.eye(2), counts=np.array([10, 5])), "projector/",
    ...                    metadata=["count"])
    >>> wv = load_projector("projector/")
    >>> wv.index_to_key, wv.counts.tolist()
    (['king', 'queen'], [10, 5])

    Keys come from the ``word`` column (or the first column) of the metadata; a ``count``
    column becomes ``kv.counts``. Without metadata, keys are the row numbers ``"0"``, ``"1"``...
    Malformed rows raise :class:`FormatError` naming the file and line.
    """
    p = Path(path)
    if p.is_dir():
        vecs_path, meta_path = p / VECS_TSV, p / META_TSV
        if metadata_path is not None:
            meta_path = Path(metadata_path)
        if not meta_path.exists() and metadata_path is None:
            meta_path = None
    else:
        vecs_path, meta_path = p, (Path(metadata_path) if metadata_path is not None else None)
    if not vecs_path.exists():
        raise FileNotFoundError(f"{vecs_path}: no such file")
    rows: list[list[float]] = []
    with open(vecs_path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            try:
                row = [float(v) for v in line.split("\t")]
            except ValueError as exc:
                raise FormatError(vecs_path, f"not a row of numbers ({exc})", line=lineno) from None
            if rows and len(row) != len(rows[0]):
                raise FormatError(vecs_path, f"{len(row)} values, expected {len(rows[0])}", line=lineno)
            rows.append(row)
    if not rows:
        raise FormatError(vecs_path, "no vectors")
    vectors = np.asarray(rows, dtype=np.float32)
    if meta_path is None:
        return KeyedVectors([str(i) for i in range(len(rows))], vectors)
    with open(meta_path, encoding="utf-8") as f:
        lines = [ln.rstrip("\r\n") for ln in f]
    while lines and lines[-1] == "":
        lines.pop()
    header: list[str] | None = None
    if len(lines) == len(rows) + 1 and "\t" in lines[0]:
        header, lines = lines[0].split("\t"), lines[1:]
    if len(lines) != len(rows):
        raise FormatError(meta_path, f"{len(lines)} metadata rows for {len(rows)} vectors in {vecs_path}")
    cells = [ln.split("\t") for ln in lines]
    word_col = header.index("word") if header and "word" in header else 0
    keys = [c[word_col] for c in cells]
    counts = None
    if header and "count" in header:
        col = header.index("count")
        try:
            counts = np.asarray([int(c[col]) for c in cells], dtype=np.int64)
        except (ValueError, IndexError):
            raise FormatError(meta_path, "the count column holds a value that is not an integer") from None
    return KeyedVectors(keys, vectors, counts=counts)
