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

A trained Word2Vec or FastText model saved with ``model.save`` also holds what continued
training needs (``Word2Vec.load`` / ``FastText.load`` read it back): ``output.npy``, the output
layer (``syn1neg``, one row per word, or hierarchical softmax's ``syn1``, one row per inner node
of the Huffman tree, which is rebuilt from the counts), with ``"has_output": true``,
``"output_rows"`` and ``"output"`` (``"negative"`` or ``"hierarchical"``) in ``config.json``;
the counts are ``vocab.tsv``'s and the settings are the model's ``extra``. Readers that predate
it ignore the file and load the vectors as before, so the format version does not change.
A word2vec, GloVe or ``.vec`` text file holds the vectors alone: no output layer, no counts, no
settings, so it can be queried but not trained further.

``extra`` is a JSON object the caller may store alongside (e.g. the model configuration);
:func:`read_native_config` returns it without touching the matrix. The layout is DESIGN.md §8:
plain ``.npy`` (NumPy's documented, pickle-free array format, readable with ``mmap_mode``)
plus text and JSON that any tool can read. Saving is atomic: the directory is built next to
its destination and then renamed into place (see :func:`wordvec._saving.atomic_directory`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from wordvec.config import MAX_NGRAM_LENGTH  # an absurd max_n from a damaged file would make huge tables
from wordvec._saving import atomic_directory, check_replaceable_directory, recover_interrupted_save
from wordvec.exceptions import FormatError
from wordvec.io._text import first_nonfinite_row, nonfinite_hint
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

__all__ = ["FORMAT_VERSION", "MAX_NGRAM_LENGTH", "save_native", "load_native", "read_native_config", "load_output"]

FORMAT_VERSION = 2  # the newest version read; 2 = subword vectors with jamo n-grams
KIND = "keyed_vectors"
SUBWORD_KIND = "subword_vectors"
WORD_ROWS_FILE = "word_rows.npy"
NGRAMS_FILE = "ngrams.npy"
VECTORS_FILE = "vectors.npy"
OUTPUT_FILE = "output.npy"
OUTPUT_KINDS = ("negative", "hierarchical")
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
    *,
    output: np.ndarray | None = None,
    output_kind: str = "negative",
) -> None:
    """Save ``kv`` as a native vectors directory at ``path``, atomically.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> save_native(KeyedVectors(["king", "queen"], np.eye(2), counts=np.array([10, 5])), "vectors/")
    >>> sorted(p.name for p in __import__("pathlib").Path("vectors").iterdir())
    ['config.json', 'vectors.npy', 'vocab.tsv']
    >>> print(open("vectors/vocab.tsv", encoding="utf-8").read().strip())
    king    10
    queen    5

    ``extra`` is stored verbatim under ``"extra"`` in ``config.json`` and must be
    JSON-serialisable. ``output``: a trained model's output layer, saved as ``output.npy`` for
    continued training; ``output_kind`` says which (``"negative"``: ``syn1neg``, one row per
    key; ``"hierarchical"``: ``syn1``, one row per inner node of the Huffman tree, at least one).
    An existing native directory at ``path`` is replaced; any other
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
    if output is not None:
        output = np.asarray(output)
        if output_kind not in OUTPUT_KINDS:
            raise ValueError(f"output_kind must be one of {OUTPUT_KINDS}, got {output_kind!r}")
        if output.ndim != 2 or output.shape != (_output_rows(output_kind, len(keys)), vectors.shape[1]):
            raise ValueError(f"an output layer of shape {output.shape} does not match {len(keys)} keys of "
                             f"{vectors.shape[1]} dimensions ({output_kind})")
        config.update(has_output=True, output=output_kind, output_rows=int(output.shape[0]))
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
        if output is not None:
            with open(tmp / OUTPUT_FILE, "wb") as f:
                np.save(f, np.ascontiguousarray(output, dtype=np.float32), allow_pickle=False)
        (tmp / VOCAB_FILE).write_bytes(vocab_bytes)
        (tmp / CONFIG_FILE).write_text(config_text, encoding="utf-8")


def _output_rows(kind: str, n_keys: int) -> int:
    """Rows of an output layer: one per word (negative sampling) or per inner node (at least one)."""
    return n_keys if kind == "negative" else max(n_keys - 1, 1)


def load_output(path: str | os.PathLike[str], *, mmap: bool = False) -> tuple[str, np.ndarray] | None:
    """``(kind, matrix)``: the output layer a trained model saved in the native directory ``path``
    (see :func:`save_native`'s ``output``), or None if it holds vectors alone.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen"], np.eye(2))
    >>> save_native(wv, "model/", output=np.zeros((2, 2), dtype=np.float32), output_kind="negative")
    >>> kind, matrix = load_output("model/")
    >>> kind, matrix.shape
    ('negative', (2, 2))
    >>> save_native(wv, "vectors/")
    >>> load_output("vectors/") is None
    True

    ``mmap=False`` (default) reads it into writable memory, as continued training needs. A
    missing, truncated or damaged ``output.npy``, a shape that does not match the vocabulary,
    or NaN or infinity in it, is a :class:`FormatError` naming the file.
    """
    path = Path(path)
    config = read_native_config(path)
    config_path = path / CONFIG_FILE
    has = config.get("has_output", False)
    if not isinstance(has, bool):
        raise _config_error(config_path, "has_output", f"invalid 'has_output': {has!r} (expected true or false)")
    if not has:
        return None
    kind = config.get("output")
    if kind not in OUTPUT_KINDS:
        raise _config_error(config_path, "output", f"invalid 'output': {kind!r} (expected one of {OUTPUT_KINDS})")
    rows = config.get("output_rows")
    expected = _output_rows(kind, config["count"])
    if not isinstance(rows, int) or isinstance(rows, bool) or rows != expected:
        raise _config_error(config_path, "output_rows", f"'output_rows' is {rows!r}; {config['count']} keys with "
                                                        f"{kind} output need {expected}")
    matrix, at = _load_matrix(path / OUTPUT_FILE, (rows, config["vector_size"]), mmap)
    row = _first_nonfinite(matrix)
    if row is not None:
        raise FormatError(path / OUTPUT_FILE, f"row {row} of the output layer holds NaN or infinity: the "
                                              f"model cannot be trained further", offset=at(row))
    return kind, matrix


def check_native_target(path: str | os.PathLike[str]) -> None:
    """Raise ``FileExistsError`` if :func:`save_native` would refuse ``path``, without writing.

    A new path, an empty directory and an existing wordvec directory (which a save replaces)
    pass; a file, or a non-empty directory that holds no wordvec model, are refused, so a
    mistyped path never deletes unrelated data. The command line calls this before training.
    """
    check_replaceable_directory(path, "native model")


def read_native_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check ``config.json`` of a native directory (the matrix is not touched).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> save_native(KeyedVectors(["king", "queen"], np.eye(2)), "vectors/", extra={"trained_on": "demo"})
    >>> config = read_native_config("vectors/")
    >>> config["format_version"], config["extra"]
    (1, {'trained_on': 'demo'})

    Returns the whole configuration; the caller's own data is under ``["extra"]``.
    Raises :class:`FormatError` for a missing or malformed file or a ``format_version``
    newer than this version of wordvec understands.
    """
    recover_interrupted_save(path)  # a save killed between its renames is finished or undone first
    path = Path(path)
    if not path.is_dir():
        if path.exists():
            raise FormatError(path, "not a native vectors directory (it is a file)")
        raise FileNotFoundError(f"{path}: no such directory")
    config_path = path / CONFIG_FILE
    try:
        data = config_path.read_bytes()
    except FileNotFoundError:
        raise FormatError(path, f"no {CONFIG_FILE}; not a wordvec native directory") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(config_path, f"not valid UTF-8 ({exc.reason}); wordvec writes it as UTF-8 JSON",
                          line=line) from None
    try:
        config = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(config_path, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4300 digits, deep nesting
        raise FormatError(config_path, f"invalid JSON: {exc}", line=1) from None
    if not isinstance(config, dict):
        raise FormatError(config_path, "expected a JSON object", line=1)
    version = config.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _config_error(config_path, "format_version", f"missing or invalid format_version: {version!r}")
    if version > FORMAT_VERSION:
        raise _config_error(
            config_path,
            "format_version",
            f"format_version {version} was written by a newer wordvec; this version reads "
            f"format_version {FORMAT_VERSION} and older. Upgrade wordvec to load it",
        )
    if version < 1:
        raise _config_error(config_path, "format_version", f"invalid format_version {version}")
    for field in ("vector_size", "count"):
        value = config.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _config_error(config_path, field, f"missing or invalid {field!r}: {value!r}")
    config.setdefault("extra", {})
    return config


def _config_error(config_path: Path, field: str, reason: str) -> FormatError:
    """A FormatError at the line of ``"field":`` in ``config.json`` (line 1 if it is missing)."""
    try:
        data = config_path.read_bytes()
    except OSError:
        data = b""
    found = re.search(b'"' + re.escape(field.encode()) + rb'"\s*:', data)
    line = data.count(b"\n", 0, found.start()) + 1 if found else 1
    return FormatError(config_path, reason, line=line)


def _read_vocab(
    path: Path, n: int, has_counts: bool | None, limit: int, unicode_errors: str = "strict"
) -> tuple[list[str], np.ndarray | None]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(path.parent, f"missing {VOCAB_FILE}") from None
    if has_counts and limit >= n > 0:
        fast = _read_key_counts(data, n, unicode_errors)
        if fast is not None:
            return fast
    try:
        text = data.decode("utf-8", errors=unicode_errors)
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
            line=min(len(lines), n) + 1,  # the first line missing, or the first one too many
        )
    lines = lines[:limit]
    if has_counts is None:  # hand-written directory without the flag: keys never hold tabs
        has_counts = bool(lines) and "\t" in lines[0]
    if not has_counts:
        return lines, None
    if lines and "\t".join(lines).count("\t") == 2 * len(lines) - 1:  # one tab a line: the fast way
        pairs = "\t".join(lines).split("\t")
        try:
            counts = np.array(list(map(int, pairs[1::2])), dtype=np.int64)
        except (ValueError, OverflowError):
            pass  # the loop below names the line
        else:
            return pairs[0::2], counts
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


def _read_key_counts(data: bytes, n: int, unicode_errors: str) -> tuple[list[str], np.ndarray] | None:
    """All ``n`` lines ``key<TAB>count`` of a vocab.tsv as written by :func:`save_native`, in one
    compiled pass (``wordvec._kernels.records``) and one decode: ``None`` when anything calls for
    the careful reader above, which names the line (or accepts what Python's ``int`` accepts)."""
    from wordvec._kernels.records import SCAN_OK, join_words, scan_key_count_lines

    if not data.endswith(b"\n") or data.count(b"\n") != n:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    starts, ends = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    counts = np.empty(n, dtype=np.int64)
    status, _ = scan_key_count_lines(buf, n, starts, ends, counts)
    if status != SCAN_OK:
        return None
    try:
        keys = join_words(buf, starts, ends, 10).tobytes().decode("utf-8", unicode_errors).split("\n")
    except UnicodeDecodeError:
        return None
    return (keys, counts) if len(keys) == n else None


def load_native(
    path: str | os.PathLike[str],
    mmap: bool = True,
    limit: int | None = None,
    *,
    allow_nonfinite: bool = False,
    unicode_errors: str = "strict",
) -> KeyedVectors:
    """Load a native vectors directory written by :func:`save_native`.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> save_native(KeyedVectors(["king", "queen"], np.eye(2)), "vectors/")
    >>> wv = load_native("vectors/")                  # memory-mapped, so read-only
    >>> wv, wv.vectors.flags.writeable
    (KeyedVectors(2 keys, 2 dimensions), False)
    >>> load_native("vectors/", mmap=False).vectors.flags.writeable
    True

    ``vocab.tsv`` is UTF-8; ``unicode_errors`` (``"strict"``, ``"replace"``, ``"ignore"``, ... as
    :meth:`bytes.decode` takes) says what to do with a key that is not: strict (the default)
    refuses the file naming the line.

    With ``mmap=True`` (default) the matrix is a read-only ``np.memmap``: pages are read on
    demand and shared between processes. ``mmap=False`` reads it into (writable) memory.
    ``limit=N`` keeps the first N keys.

    The matrices are read once, in blocks, to refuse NaN and infinity (a :class:`FormatError`
    naming the first bad row's key and byte offset); ``allow_nonfinite=True`` skips that check
    and loads them (queries then skip such rows). Every other defect (a missing, empty,
    truncated or corrupt ``.npy``, a ``config.json`` that is not UTF-8 JSON, a ``vocab.tsv``
    with a repeated key, absurd n-gram lengths) is a :class:`FormatError` naming the file.
    """
    path = Path(path)
    config = read_native_config(path)
    kind = config.get("kind", KIND)
    if kind not in (KIND, SUBWORD_KIND):
        raise _config_error(path / CONFIG_FILE, "kind", f"holds {kind!r}, not {KIND!r} or {SUBWORD_KIND!r}")
    n, dim = config["count"], config["vector_size"]
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    keep = n if limit is None else min(limit, n)

    vectors, vectors_at = _load_matrix(path / VECTORS_FILE, (n, dim), mmap)
    keys, counts = _read_vocab(path / VOCAB_FILE, n, config.get("has_counts"), keep, unicode_errors)
    if kind == KIND:
        vectors = vectors[:keep] if keep < n else vectors
        if not allow_nonfinite:
            _check_finite(path / VECTORS_FILE, vectors, vectors_at, keys)
        key_to_index = dict(zip(keys, range(len(keys))))  # keys are str: read from the file
        if len(key_to_index) == len(keys) and vectors.dtype == np.float32 and vectors.flags.c_contiguous:
            return KeyedVectors._from_checked(keys, vectors, counts, key_to_index)
        try:
            return KeyedVectors(keys, vectors, counts)
        except ValueError as exc:
            raise _vocab_error(path / VOCAB_FILE, keys, exc) from None
    params = {}
    for field in ("min_n", "max_n", "bucket"):
        value = config.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _config_error(path / CONFIG_FILE, field, f"missing or invalid {field!r}: {value!r}")
        params[field] = value
    if params["max_n"] > MAX_NGRAM_LENGTH:
        raise _config_error(path / CONFIG_FILE, "max_n", f"max_n = {params['max_n']} is beyond the "
                                                         f"{MAX_NGRAM_LENGTH} characters wordvec reads; the file is damaged")
    jamo = config.get("jamo", False)  # absent in directories saved before the jamo option
    if not isinstance(jamo, bool):
        raise _config_error(path / CONFIG_FILE, "jamo", f"invalid 'jamo': {jamo!r} (expected true or false)")
    params["jamo"] = jamo
    word_rows, word_rows_at = _load_matrix(path / WORD_ROWS_FILE, (n, dim), mmap)
    ngrams, ngrams_at = _load_matrix(path / NGRAMS_FILE, (params["bucket"], dim), mmap)
    word_rows = word_rows[:keep]
    if not allow_nonfinite:
        _check_finite(path / WORD_ROWS_FILE, word_rows, word_rows_at, keys)
        _check_finite(path / NGRAMS_FILE, ngrams, ngrams_at, None)
    try:
        sv = SubwordVectors(keys, word_rows, ngrams, counts=counts, **params)
    except ValueError as exc:
        if len(set(keys)) != len(keys):
            raise _vocab_error(path / VOCAB_FILE, keys, exc) from None
        raise _config_error(path / CONFIG_FILE, "min_n", f"inconsistent subword vectors: {exc}") from None
    if not allow_nonfinite:
        row = first_nonfinite_row(sv.vectors)
        if row is not None:
            raise FormatError(path / WORD_ROWS_FILE, f"the vector of key {keys[row]!r} (row {row}), the mean of "
                                                     f"its own and its n-gram rows, overflows; {nonfinite_hint()}",
                              offset=word_rows_at(row))
    return sv


def _vocab_error(vocab: Path, keys: list[str], exc: ValueError) -> FormatError:
    """The FormatError for a vocabulary the vectors refused: the repeated key and its lines."""
    seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        first = seen.setdefault(key, i)
        if first != i:
            return FormatError(vocab, f"duplicate key {key!r} (first on line {first + 1})", line=i + 1)
    return FormatError(vocab, f"inconsistent vocabulary: {exc}")


def _first_nonfinite(matrix: np.ndarray) -> int | None:
    """:func:`first_nonfinite_row`, faster on clean matrices: a block whose float32 sum is finite
    holds no NaN or infinity (either would make the sum NaN or infinite), and a sum is one
    vectorised pass without temporaries; only a block whose sum is not finite (or overflows)
    is searched row by row."""
    n, dim = matrix.shape
    step = max(1, (1 << 22) // max(dim, 1))
    for start in range(0, n, step):
        block = matrix[start:start + step]
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(block, axis=None, dtype=np.float32)
        if not np.isfinite(total):
            row = first_nonfinite_row(block)
            if row is not None:
                return start + row
    return None


def _check_finite(file: Path, matrix: np.ndarray, at, keys: list[str] | None) -> None:
    row = _first_nonfinite(matrix)
    if row is None:
        return
    what = f"row {row}" if keys is None else f"row {row} (key {keys[row]!r})"
    kind = "NaN" if np.isnan(matrix[row]).any() else "infinity"
    raise FormatError(file, f"{what} holds {kind}; {nonfinite_hint()}", offset=at(row))


def _npy_header(file: Path, fh) -> tuple[tuple, bool, np.dtype]:
    """``(shape, fortran_order, dtype)`` from an ``.npy`` header, or a FormatError at byte 0."""
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            return np.lib.format.read_array_header_1_0(fh)
        if version == (2, 0):
            return np.lib.format.read_array_header_2_0(fh)
        reason = f"unsupported .npy version {version[0]}.{version[1]} (wordvec writes 1.0)"
    except Exception as exc:  # noqa: BLE001 - numpy parses the header with ast/tokenize: any
        # failure there (ValueError, SyntaxError, TokenError, RecursionError, ...) is a corrupt header
        reason = f"not a readable .npy file: corrupt header ({type(exc).__name__}: {exc})"
    raise FormatError(file, reason, offset=0)


def _load_matrix(file: Path, shape: tuple[int, int], mmap: bool):
    """The matrix in ``file`` and a function giving the byte offset of its row ``i``.

    The header is checked (shape, a float dtype, no pickled objects) and the file's size
    compared with what the header announces before numpy reads the data, so an empty,
    truncated or corrupt file is a FormatError, never an EOFError or an attempted allocation
    of what a damaged header claims."""
    if not file.is_file():
        raise FormatError(file.parent, f"missing {file.name}")
    size = file.stat().st_size
    if size == 0:
        raise FormatError(file, "empty file; expected a .npy array", offset=0)
    with open(file, "rb") as fh:
        header_shape, fortran, dtype = _npy_header(file, fh)
        data_at = fh.tell()
    if tuple(header_shape) != shape:
        raise FormatError(file, f"matrix has shape {tuple(header_shape)}, {CONFIG_FILE} says {shape}", offset=0)
    if dtype.kind != "f" or dtype.hasobject:
        raise FormatError(file, f"matrix has dtype {dtype}, expected float32", offset=0)
    need = shape[0] * shape[1] * dtype.itemsize
    if size - data_at < need:
        raise FormatError(file, f"file is truncated: the {shape[0]} x {shape[1]} {dtype} matrix needs {need} bytes "
                                f"after the header, {size - data_at} are there", offset=size)
    try:
        # np.load cannot memory-map a file holding zero bytes of data.
        matrix = np.load(file, mmap_mode="r" if mmap and need else None, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise FormatError(file, f"not a readable .npy array: {exc}", offset=data_at) from None
    if matrix.dtype != np.float32:  # the vectors would convert it anyway; convert before the NaN check
        with np.errstate(over="ignore", invalid="ignore"):
            matrix = matrix.astype(np.float32)
    if fortran:
        def at(row: int) -> int:
            return data_at + row * dtype.itemsize
    else:
        def at(row: int) -> int:
            return data_at + row * shape[1] * dtype.itemsize
    return matrix, at
