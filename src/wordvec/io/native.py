"""The native format: a versioned directory that loads by memory-mapping.

Layout (``format_version`` 1)::

    vectors/
      vectors.npy   the (count, vector_size) float32 matrix, written by ``np.save``
                    (never pickled; loaded with ``mmap_mode="r"`` by default)
      vocab.tsv     one key per line, in index order; ``key<TAB>count`` when counts are stored
                    (UTF-8, lines end with ``\\n``; keys may not contain tab or line breaks)
      config.json   {"format_version": 1, "kind": "keyed_vectors", "vector_size": d,
                     "count": n, "dtype": "float32", "has_counts": true, "extra": {...}}

``SubwordVectors`` (FastText) are stored as ``"kind": "subword_vectors"``: ``vectors.npy`` holds
the composed vocabulary vectors as above, plus ``word_rows.npy`` (the words' own input rows),
``ngrams.npy`` (the ``(bucket, d)`` n-gram rows, memory-mapped on load) and ``"min_n"``,
``"max_n"``, ``"bucket"``, ``"jamo"`` (n-grams over the jamo of Hangul syllables; a directory
written before the field existed has none and loads as ``false``) in ``config.json``; loading
rebuilds the ``SubwordVectors`` from them. Jamo directories are written as ``format_version`` 2,
so a wordvec that predates the option refuses them instead of building syllable n-grams; every
other directory is still written as version 1.

``extra`` is a JSON object the caller may store alongside (e.g. the model configuration);
:func:`read_native_config` returns it without touching the matrix. The layout is DESIGN.md §8:
plain ``.npy`` (NumPy's documented, pickle-free array format, readable with ``mmap_mode``)
plus text and JSON that any tool can read. Saving is atomic: the directory is built next to
its destination and then renamed into place (see :func:`wordvec._files.atomic_directory`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from wordvec._files import atomic_directory, check_replaceable_directory
from wordvec.exceptions import FormatError
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

__all__ = ["FORMAT_VERSION", "save_native", "load_native", "read_native_config"]

FORMAT_VERSION = 2  # the newest version read; 2 = subword vectors with jamo n-grams
KIND = "keyed_vectors"
SUBWORD_KIND = "subword_vectors"
WORD_ROWS_FILE = "word_rows.npy"
NGRAMS_FILE = "ngrams.npy"
VECTORS_FILE = "vectors.npy"
VOCAB_FILE = "vocab.tsv"
CONFIG_FILE = "config.json"

_FORBIDDEN = ("\t", "\n", "\r")


def _check_keys(keys: list[str]) -> None:
    joined = "".join(keys)
    if not any(ch in joined for ch in _FORBIDDEN):
        return
    for i, key in enumerate(keys):
        for ch in _FORBIDDEN:
            if ch in key:
                raise ValueError(
                    f"key #{i} {key!r} contains {ch!r}; the native format stores one key per line "
                    "of a tab-separated file, so keys cannot contain tabs or line breaks"
                )


def _encode_vocab(keys: list[str], counts: np.ndarray | None) -> bytes:
    if counts is None:
        lines = [k + "\n" for k in keys]
    else:
        lines = [f"{k}\t{c}\n" for k, c in zip(keys, counts.tolist(), strict=True)]
    text = "".join(lines)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        for i, key in enumerate(keys):
            try:
                key.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(
                    f"key #{i} {key!r} cannot be written as UTF-8: {exc.reason}"
                ) from None
        raise


def save_native(
    kv: KeyedVectors,
    path: str | os.PathLike[str],
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Save ``kv`` as a native vectors directory at ``path``, atomically.

    ``extra`` is stored verbatim under ``"extra"`` in ``config.json`` and must be
    JSON-serialisable. An existing native directory at ``path`` is replaced; any other
    existing directory or file is left alone and reported (``FileExistsError``), so a
    mistyped path never deletes unrelated data.
    """
    path = Path(path)
    keys = list(kv.index_to_key)
    _check_keys(keys)
    vectors = np.asarray(kv.vectors)
    if vectors.ndim != 2 or vectors.shape[0] != len(keys):
        raise ValueError(f"vectors of shape {vectors.shape} do not match {len(keys)} keys")
    counts = None if kv.counts is None else np.asarray(kv.counts, dtype=np.int64)
    subword = isinstance(kv, SubwordVectors)
    config = {
        "format_version": 2 if subword and kv.jamo else 1,
        "kind": SUBWORD_KIND if subword else KIND,
        "vector_size": int(vectors.shape[1]),
        "count": len(keys),
        "dtype": "float32",
        "has_counts": counts is not None,
        "extra": dict(extra) if extra is not None else {},
    }
    if subword:
        config.update(min_n=kv.min_n, max_n=kv.max_n, bucket=kv.bucket, jamo=kv.jamo)
    try:
        config_text = json.dumps(config, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise ValueError(f"extra must be a JSON-serialisable dict: {exc}") from None
    vocab_bytes = _encode_vocab(keys, counts)

    check_native_target(path)
    with atomic_directory(path) as tmp:
        with open(tmp / VECTORS_FILE, "wb") as f:
            np.save(f, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
        if subword:
            for name, array in ((WORD_ROWS_FILE, kv.word_rows), (NGRAMS_FILE, kv.ngram_rows)):
                with open(tmp / name, "wb") as f:
                    np.save(f, np.ascontiguousarray(array, dtype=np.float32), allow_pickle=False)
        (tmp / VOCAB_FILE).write_bytes(vocab_bytes)
        (tmp / CONFIG_FILE).write_text(config_text, encoding="utf-8")


def check_native_target(path: str | os.PathLike[str]) -> None:
    """Raise ``FileExistsError`` if :func:`save_native` would refuse ``path``, without writing.

    A new path, an empty directory and an existing wordvec directory (which a save replaces)
    pass; a file, or a non-empty directory that holds no wordvec model, are refused, so a
    mistyped path never deletes unrelated data. The command line calls this before training.
    """
    check_replaceable_directory(path, "native model")


def read_native_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check ``config.json`` of a native directory (the matrix is not touched).

    Returns the whole configuration; the caller's own data is under ``["extra"]``.
    Raises :class:`FormatError` for a missing or malformed file or a ``format_version``
    newer than this version of wordvec understands.
    """
    path = Path(path)
    if not path.is_dir():
        if path.exists():
            raise FormatError(path, "not a native vectors directory (it is a file)")
        raise FileNotFoundError(f"{path}: no such directory")
    config_path = path / CONFIG_FILE
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(path, f"no {CONFIG_FILE}; not a wordvec native directory") from None
    try:
        config = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(config_path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    if not isinstance(config, dict):
        raise FormatError(config_path, "expected a JSON object")
    version = config.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise FormatError(config_path, f"missing or invalid format_version: {version!r}")
    if version > FORMAT_VERSION:
        raise FormatError(
            config_path,
            f"format_version {version} was written by a newer wordvec; this version reads "
            f"format_version {FORMAT_VERSION} and older. Upgrade wordvec to load it",
        )
    if version < 1:
        raise FormatError(config_path, f"invalid format_version {version}")
    for field in ("vector_size", "count"):
        value = config.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FormatError(config_path, f"missing or invalid {field!r}: {value!r}")
    config.setdefault("extra", {})
    return config


def _read_vocab(
    path: Path, n: int, has_counts: bool | None, limit: int
) -> tuple[list[str], np.ndarray | None]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(path.parent, f"missing {VOCAB_FILE}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(path, f"not valid UTF-8: {exc.reason}", line=line) from None
    if n and not text.endswith("\n"):
        raise FormatError(
            path, "file is truncated (last line has no line end)", line=text.count("\n") + 1
        )
    lines = text.split("\n")
    lines.pop()  # the empty string after the final "\n"
    if len(lines) != n:
        raise FormatError(
            path,
            f"{len(lines)} lines but {VECTORS_FILE} has {n} rows; the directory is inconsistent",
        )
    lines = lines[:limit]
    if has_counts is None:  # hand-written directory without the flag: keys never hold tabs
        has_counts = bool(lines) and "\t" in lines[0]
    if not has_counts:
        return lines, None
    keys: list[str] = []
    counts = np.empty(len(lines), dtype=np.int64)
    for i, line in enumerate(lines):
        key, sep, count = line.rpartition("\t")
        if not sep:
            raise FormatError(path, "expected 'key<TAB>count', found no tab", line=i + 1)
        try:
            counts[i] = int(count)
        except (ValueError, OverflowError):
            raise FormatError(path, f"count is not an integer: {count!r}", line=i + 1) from None
        keys.append(key)
    return keys, counts


def load_native(
    path: str | os.PathLike[str],
    mmap: bool = True,
    limit: int | None = None,
) -> KeyedVectors:
    """Load a native vectors directory written by :func:`save_native`.

    With ``mmap=True`` (default) the matrix is a read-only ``np.memmap``: loading is
    instant and pages are read on demand and shared between processes. ``mmap=False``
    reads it into (writable) memory. ``limit=N`` keeps the first N keys.
    """
    path = Path(path)
    config = read_native_config(path)
    kind = config.get("kind", KIND)
    if kind not in (KIND, SUBWORD_KIND):
        raise FormatError(path / CONFIG_FILE, f"holds {kind!r}, not {KIND!r} or {SUBWORD_KIND!r}")
    n, dim = config["count"], config["vector_size"]
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    keep = n if limit is None else min(limit, n)

    vectors = _load_matrix(path / VECTORS_FILE, (n, dim), mmap)
    keys, counts = _read_vocab(path / VOCAB_FILE, n, config.get("has_counts"), keep)
    if kind == KIND:
        return KeyedVectors(keys, vectors[:keep] if keep < n else vectors, counts)
    params = {}
    for field in ("min_n", "max_n", "bucket"):
        value = config.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FormatError(path / CONFIG_FILE, f"missing or invalid {field!r}: {value!r}")
        params[field] = value
    jamo = config.get("jamo", False)  # absent in directories saved before the jamo option
    if not isinstance(jamo, bool):
        raise FormatError(path / CONFIG_FILE, f"invalid 'jamo': {jamo!r} (expected true or false)")
    params["jamo"] = jamo
    word_rows = _load_matrix(path / WORD_ROWS_FILE, (n, dim), mmap)
    ngrams = _load_matrix(path / NGRAMS_FILE, (params["bucket"], dim), mmap)
    try:
        return SubwordVectors(keys, word_rows[:keep], ngrams, counts=counts, **params)
    except ValueError as exc:
        raise FormatError(path / CONFIG_FILE, f"inconsistent subword vectors: {exc}") from None


def _load_matrix(file: Path, shape: tuple[int, int], mmap: bool) -> np.ndarray:
    if not file.is_file():
        raise FormatError(file.parent, f"missing {file.name}")
    try:
        # np.load cannot memory-map a file holding zero bytes of data.
        matrix = np.load(file, mmap_mode="r" if mmap and shape[0] * shape[1] else None, allow_pickle=False)
    except ValueError as exc:
        raise FormatError(file, f"not a readable .npy array: {exc}") from None
    if matrix.shape != shape:
        raise FormatError(file, f"matrix has shape {matrix.shape}, {CONFIG_FILE} says {shape}")
    if matrix.dtype.kind != "f":
        raise FormatError(file, f"matrix has dtype {matrix.dtype}, expected float32")
    return matrix
