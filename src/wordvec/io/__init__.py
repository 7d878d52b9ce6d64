"""Reading and writing vectors: the native directory format and foreign formats.

``save(kv, path, format=...)`` / ``load(path)`` cover the common case; the per-format
functions take format-specific options. Formats:

==================  ==========================================  ==========================
name                what                                        module
==================  ==========================================  ==========================
``native``          directory: vectors.npy + vocab.tsv + json    :mod:`.native`
``word2vec-text``   word2vec.c / gensim text (``.txt``, ``.vec``)  :mod:`.word2vec_format`
``word2vec-binary`` word2vec.c / gensim binary (``.bin``)         :mod:`.word2vec_format`
``glove``           Stanford GloVe text, no header               :mod:`.glove_format`
``fasttext-bin``    Facebook fastText model (``.bin``, ``.ftz``)  :mod:`.fasttext_format`
==================  ==========================================  ==========================

A ``SubwordVectors`` saved as ``native`` keeps its n-gram rows (out-of-vocabulary lookups
survive the round trip); ``fasttext-bin`` loads as ``SubwordVectors`` (the output matrix and
arguments are dropped: use :func:`load_fasttext_bin` for them) from a ``.bin``, a quantized
``.ftz`` (rows reconstructed) or a ``.bin`` older than fastText's magic number.
fastText's ``.vec`` files are ``word2vec-text``. :mod:`.quantize` writes ``.ftz`` files.

Every format takes ``dtype=`` (``float16``, ``float32``, ``float64``: gensim's ``datatype``)
and ``unicode_errors=`` (``bytes.decode``'s error handler for the words: ``"strict"``, the
default, refuses a word that does not decode with a FormatError naming it; ``"replace"``,
``"ignore"``, ``"backslashreplace"`` load it anyway).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wordvec._files import strip_compression
from wordvec._saving import recover_interrupted_save
from wordvec.config import VECTOR_FORMATS
from wordvec.exceptions import FormatError
from wordvec.io._text import DTYPES, check_dtype, with_dtype
from wordvec.io.fasttext_format import (
    FastTextBin,
    FastTextModel,
    is_fasttext_bin,
    load_fasttext_bin,
    read_fasttext_model,
    save_fasttext_bin,
    save_fasttext_vec,
)
from wordvec.io.glove_format import load_glove, save_glove
from wordvec.io.native import check_native_target, load_native, read_native_config, save_native
from wordvec.io.word2vec_format import load_word2vec, save_word2vec, sniff_word2vec
from wordvec.vectors.ann import AnnIndex
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

__all__ = [
    "DTYPES",
    "FORMATS",
    "FastTextBin",
    "FastTextModel",
    "FormatError",
    "check_save_target",
    "detect_format",
    "load",
    "load_fasttext_bin",
    "load_glove",
    "load_native",
    "load_word2vec",
    "read_fasttext_model",
    "read_native_config",
    "save",
    "save_fasttext_bin",
    "save_fasttext_vec",
    "save_glove",
    "save_native",
    "save_word2vec",
]

FORMATS = VECTOR_FORMATS


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")


def detect_format(path: str | os.PathLike[str]) -> str:
    """Guess the format of ``path``: a directory is ``native``; a file whose first 4 bytes are
    fastText's magic number (``.bin``, ``.ftz``), or that starts with the header of a fastText
    model older than the magic number (:func:`is_fasttext_bin`), is ``fasttext-bin``; any other
    name ending in ``.bin`` (optionally ``.gz``/``.bz2``/``.xz``) is ``word2vec-binary``; a file whose first line is
    ``"<int> <int>"`` is word2vec (text, or binary if the data after the header is not
    decimal text); anything else is ``glove`` (whose loader reports a file that does not
    look like vectors at all). A compressed file that cannot be decompressed is left to the
    loader too, which reports where it is damaged.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen"], np.eye(2))
    >>> save(wv, "vectors/")
    >>> save(wv, "vectors.txt", format="word2vec-text")
    >>> save(wv, "glove.txt", format="glove")
    >>> detect_format("vectors/"), detect_format("vectors.txt"), detect_format("glove.txt")
    ('native', 'word2vec-text', 'glove')
    """
    p = Path(path)
    if p.is_dir():
        return "native"
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or directory")
    if is_fasttext_bin(p):
        return "fasttext-bin"
    if strip_compression(p.name).lower().endswith(".bin"):
        return "word2vec-binary"
    return sniff_word2vec(p) or "glove"


def save(
    kv: KeyedVectors, path: str | os.PathLike[str], format: str = "native", **options: Any
) -> None:
    """Save ``kv`` to ``path`` in ``format`` (one of :data:`FORMATS`), atomically.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen"], np.eye(2), counts=np.array([10, 5]))
    >>> save(wv, "vectors.txt", format="word2vec-text", vocab_path="vocab.txt")
    >>> print(open("vectors.txt").read().strip())
    2 2
    king 1.0 0.0
    queen 0.0 1.0

    ``options`` go to the format's function: ``extra=`` for :func:`save_native`;
    ``vocab_path=``, ``encoding=`` for :func:`save_word2vec`; ``encoding=`` for
    :func:`save_glove`; ``output=``, ``args=``, ``ntokens=``, ``quantization=`` (a ``.ftz``'s
    codes, see :mod:`wordvec.io.quantize`) for :func:`save_fasttext_bin` (which needs
    ``SubwordVectors``; any word but one holding a NUL byte, the empty word included). A path ending in ``.gz`` is gzip-compressed (text/binary formats).
    """
    _check_format(format)
    if format == "native":
        save_native(kv, path, **options)
    elif format == "word2vec-text":
        save_word2vec(kv, path, binary=False, **options)
    elif format == "word2vec-binary":
        save_word2vec(kv, path, binary=True, **options)
    elif format == "fasttext-bin":
        if not isinstance(kv, SubwordVectors):
            raise TypeError("the fasttext-bin format stores SubwordVectors (with n-gram rows), "
                            f"not {type(kv).__name__}; use word2vec-text for a .vec file")
        save_fasttext_bin(path, kv, **options)
    else:
        save_glove(kv, path, **options)


def check_save_target(path: str | os.PathLike[str], format: str = "native") -> None:
    """Raise what :func:`save` would raise for ``path`` and ``format``, without writing anything.

    >>> import os
    >>> os.mkdir("notes")
    >>> _ = open("notes/todo.txt", "w").write("keep me")
    >>> check_save_target("vectors/")                 # fine: nothing there yet
    >>> check_save_target("notes/")                   # an unrelated non-empty directory is never replaced
    Traceback (most recent call last):
        ...
    FileExistsError: refusing to replace notes: it is a non-empty directory without a wordvec ...

    Training commands call it first, so a run of hours is not lost to a path the save refuses:
    ``FileExistsError`` for a file or an unrelated non-empty directory where a native directory
    goes, ``IsADirectoryError`` for a directory where a file goes.
    """
    _check_format(format)
    if format == "native":
        check_native_target(path)
    elif Path(path).is_dir():
        raise IsADirectoryError(f"{os.fspath(path)} is a directory; the {format} format writes a file")


def load(
    path: str | os.PathLike[str],
    format: str | None = None,
    limit: int | None = None,
    *,
    dtype: Any = "float32",
    unicode_errors: str = "strict",
    **options: Any,
) -> KeyedVectors:
    """Load vectors from ``path``; ``format=None`` detects it (see :func:`detect_format`).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> save(KeyedVectors(["king", "queen", "pawn"], np.eye(3)), "vectors.bin", format="word2vec-binary")
    >>> load("vectors.bin")                           # the format is detected
    KeyedVectors(3 keys, 3 dimensions)
    >>> load("vectors.bin", limit=2, dtype="float16").vectors.dtype
    dtype('float16')

    ``limit=N`` reads only the first N keys. ``dtype`` (gensim's ``datatype``): ``float16``,
    ``float32`` (default) or ``float64``, the dtype of the loaded matrices (``kv.vectors``, and a
    SubwordVectors' rows); decimal text is parsed as float64 and cast once, as gensim does, binary
    data (float32) is cast; anything but float32 is read into memory (a native directory is no
    longer memory-mapped, and an ANN index saved with it is not attached). Queries compute in
    float32 whatever the dtype. ``unicode_errors``:
    how words that do not decode are handled (``bytes.decode``'s error handlers; ``"strict"``
    refuses them with a FormatError naming the word and its place). A native directory's
    ``vocab.tsv`` is UTF-8 written by wordvec and read strictly.

    ``options`` go to the format's function (``mmap=`` for native; ``duplicates=``,
    ``vocab_path=``, ``encoding=`` for the text and binary formats; ``encoding=`` for
    fasttext-bin), and so does ``allow_nonfinite=True``, which every format takes: by default
    vectors holding NaN or infinity are refused, naming the first bad row.

    A native directory holding an approximate nearest-neighbour index (``PATH/ann/``, saved by
    ``kv.index.save(PATH)`` or ``wordvec index PATH``) gets it attached as ``kv.index``,
    memory-mapped and opened on the first search (unless ``limit`` keeps fewer keys than it
    covers); an index built for other vectors is refused on that first search.

    Every malformed, truncated or damaged file (compressed or not) raises
    :class:`FormatError` naming the file and the line or byte offset; a file that is not a
    vectors file at all (a text corpus, say) is detected as ``glove`` and reported as not
    looking like a vectors file.
    """
    dtype = check_dtype(dtype)
    _check_unicode_errors(unicode_errors)
    recover_interrupted_save(path)  # a save killed between its renames is finished or undone first
    if format is None:
        format = detect_format(path)
    _check_format(format)
    if format == "native":
        kv = load_native(path, limit=limit, unicode_errors=unicode_errors, **options)
        if AnnIndex.exists(path) and dtype == "float32":
            index = AnnIndex.load(path, mmap=options.get("mmap", True))
            if limit is None or index.count == len(kv):  # a limit that kept fewer keys leaves it out
                kv.index = index
        return with_dtype(kv, dtype)
    if format == "word2vec-text":
        return load_word2vec(path, binary=False, limit=limit, dtype=dtype, unicode_errors=unicode_errors, **options)
    if format == "word2vec-binary":
        return load_word2vec(path, binary=True, limit=limit, dtype=dtype, unicode_errors=unicode_errors, **options)
    if format == "fasttext-bin":
        sv = load_fasttext_bin(path, unicode_errors=unicode_errors, **options).vectors
        if limit is not None and limit < len(sv):  # the n-gram rows are kept whole
            counts = None if sv.counts is None else sv.counts[:limit]
            sv = SubwordVectors(sv.index_to_key[:limit], sv.word_rows[:limit], sv.ngram_rows,
                                min_n=sv.min_n, max_n=sv.max_n, bucket=sv.bucket, counts=counts)
        return with_dtype(sv, dtype)
    return load_glove(path, limit=limit, dtype=dtype, unicode_errors=unicode_errors, **options)


def _check_unicode_errors(errors: str) -> None:
    """A ValueError now, rather than a LookupError deep in a loader, for an unknown handler."""
    import codecs

    try:
        codecs.lookup_error(errors)
    except (LookupError, TypeError):
        raise ValueError(f"unicode_errors must be an error handler of bytes.decode ('strict', 'replace', "
                         f"'ignore', 'backslashreplace', ...), got {errors!r}") from None
