"""The Stanford GloVe text format: no header, one ``word v1 ... vd`` line per word.

This is what Stanford GloVe's ``glove.c`` writes in ``save_params`` (``fprintf "%s"`` for the
word, then ``" %lf"`` per value, then ``"\\n"``) and what the published ``glove.6B`` /
``glove.840B`` files contain. gensim reads it with ``load_word2vec_format(no_header=True)``.

Reading infers the dimension from the first line; every later line must have that many
values, else :class:`FormatError` names the line. Two tolerances, both needed for the
published files:

* the vector is the **last** d fields of a line, and the word is whatever precedes them, so
  words containing spaces (``glove.840B.300d`` has e.g. ``". . ."`` and
  ``"at name@domain.com"``) load intact. A line whose would-be word ends in a number
  (``"cat 0.1 0.2 0.3"`` in a 2-d file) is reported as having too many fields instead.
* values may be separated by runs of spaces or tabs; trailing whitespace and ``\\r\\n`` are fine.

Truncation. With no header, a file cut exactly at a line end cannot be told from a shorter
file; every other cut is refused with the line: a line with fewer values than line 1, and a
last line without its ``\\n`` whose last value is not followed by whitespace (a cut number,
"0.2318" from "0.23180827", still parses). A file whose only line has no line end is refused
too, since its dimension, read from that line, cannot be checked. glove.c ends every line with
``\\n``. A damaged or truncated ``.gz``/``.bz2``/``.xz`` stream is refused at the line reached.

NaN and infinity (and values beyond float32's range) are refused with the first bad line,
unless ``allow_nonfinite=True``. A first line that is not a word followed by numbers (a text
corpus given where vectors were expected) is reported as not looking like a vectors file.

Writing uses the shortest round-trip decimal for each float32 (as
:mod:`wordvec.io.word2vec_format` does, with the helpers both share in :mod:`wordvec.io._text`)
instead of glove.c's lossy ``%lf``.
"""

from __future__ import annotations

import os
import sys

import numpy as np

from wordvec._saving import atomic_write
from wordvec.exceptions import FormatError
from wordvec.io._text import (Duplicates, KeyCollector, RowBuffer, check_dtype, check_finite, check_keys, check_limit,
                              check_line_end, decode_word, encode_keys, is_compressed, looks_numeric, open_source,
                              parse_values, write_text_rows)
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["save_glove", "load_glove"]

def _not_vectors(path, stripped: bytes, why: str) -> FormatError:
    shown = stripped[:60].decode("utf-8", "replace")
    return FormatError(
        path,
        f"{why}, found {shown!r}: this does not look like a vectors file. A GloVe file has lines "
        "'word v1 v2 ... vd' (a word, then numbers); a word2vec text file starts with a header "
        "'COUNT DIM' (e.g. '400000 300')",
        line=1,
    )


def load_glove(
    path: str | os.PathLike[str],
    *,
    limit: int | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    duplicates: Duplicates = "warn",
    allow_nonfinite: bool = False,
    dtype: str | np.dtype | type = np.float32,
) -> KeyedVectors:
    """Read a GloVe text file (no header; dimension inferred from the first line).

    >>> with open("glove.txt", "w", encoding="utf-8") as f:
    ...     print("the 0.1 0.2 0.3", file=f)
    ...     print("king 0.4 0.5 0.6", file=f)
    ...
    >>> wv = load_glove("glove.txt")
    >>> wv, wv["king"]
    (KeyedVectors(2 keys, 3 dimensions), array([0.4, 0.5, 0.6], dtype=float32))

    ``dtype`` (gensim's ``datatype``): ``float16``, ``float32`` (default) or ``float64``; values
    are parsed as float64 and cast to it once, as gensim does. ``unicode_errors`` is passed to
    ``bytes.decode`` for the words.

    ``limit=N`` reads the first N lines. ``duplicates="warn"`` keeps the first occurrence of
    a repeated word and warns once; ``"error"`` raises. ``.gz`` / ``.bz2`` / ``.xz`` are
    decompressed. A vector holding NaN or infinity (or a value beyond float32's range) is
    refused unless ``allow_nonfinite=True``. Malformed input raises :class:`FormatError` naming
    the line; see the module docstring for what counts as a truncated file.
    """
    limit = check_limit(limit)
    dtype = check_dtype(dtype)
    collector = KeyCollector(path, duplicates, "line")
    rows: RowBuffer | None = None
    dim = 0
    blank = 0  # first blank line seen; allowed only at the end of the file
    with open_source(path, "line") as f:
        for line_no, raw in enumerate(f, start=1):
            if limit is not None and line_no > limit and dim:
                break
            stripped = raw.rstrip()
            if not stripped:
                blank = blank or line_no
                continue
            if blank:
                raise FormatError(path, "empty line; expected a word and its values", line=blank)
            ended = raw.endswith(b"\n")
            if line_no == 1:
                first = stripped.split()
                dim = len(first) - 1
                if dim < 1:
                    raise _not_vectors(path, stripped, "expected a word followed by at least one value")
                if len(first) == 2 and first[0].isdigit() and first[1].isdigit():
                    raise FormatError(
                        path,
                        f"line looks like a word2vec header {stripped.decode('ascii')!r}, "
                        "not a GloVe entry; use load_word2vec",
                        line=1,
                    )
                if not all(looks_numeric(x) for x in first[1:]):
                    raise _not_vectors(path, stripped, "expected a word followed by numbers")
                if not ended:
                    raise FormatError(
                        path,
                        "the file's only line has no line end, so it may have been cut short (a GloVe "
                        "file's dimension is read from its first line, so a cut cannot be told from a "
                        "shorter vector): the file looks truncated. glove.c ends every line with a "
                        "newline; if the file is complete, add one",
                        line=1,
                    )
                rows = RowBuffer(sys.maxsize if limit is None else max(limit, 1), dim, trusted=False, dtype=dtype)
                if limit == 0:  # the first line was read only for the dimension
                    break
            parts = stripped.rsplit(None, dim)
            word_tokens = parts[0].split()
            if len(parts) != dim + 1 or (len(word_tokens) > 1 and looks_numeric(word_tokens[-1])):
                found = len(word_tokens) + len(parts) - 1
                if not ended:
                    raise FormatError(
                        path,
                        f"the file ends inside this line, after {found} of its {dim + 1} fields (a word "
                        f"and {dim} values, as on line 1): the file looks truncated",
                        line=line_no,
                    )
                raise FormatError(
                    path,
                    f"expected {dim + 1} fields (a word and {dim} values, as on line 1), "
                    f"found {found}",
                    line=line_no,
                )
            if not ended:
                check_line_end(raw, path, line_no)
            values = parse_values(parts[1:], path, line_no, len(word_tokens) + 1, dtype)
            word = decode_word(parts[0], encoding, unicode_errors, path, line=line_no)
            if collector.add(word, line_no):
                rows.slot()[:] = values
    if dim == 0:
        raise FormatError(path, "empty file; expected 'word v1 ... vd' lines", line=1)
    vectors = rows.result()
    if not allow_nonfinite:
        check_finite(vectors, path, lambda row: {"line": collector.positions[row]}, text=True)
    collector.finish()
    if vectors.dtype == np.float32 and vectors.flags.c_contiguous and len(collector.rows) == len(collector.keys):
        kv = KeyedVectors._from_checked(collector.keys, vectors, None, collector.rows)  # the map already built
    else:
        kv = KeyedVectors(collector.keys, vectors)
    if dtype != np.float32:
        kv.vectors = vectors  # KeyedVectors keeps float32; the caller asked for another dtype
    return kv


def save_glove(kv: KeyedVectors, path: str | os.PathLike[str], *, encoding: str = "utf-8") -> None:
    """Write ``kv`` as a GloVe text file (no header, no counts), atomically, in index order.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> save_glove(KeyedVectors(["the", "king"], np.array([[0.5, -1], [2, 0.25]])), "glove.txt")
    >>> print(open("glove.txt").read().strip())
    the 0.5 -1.0
    king 2.0 0.25

    Keys must be non-empty and free of whitespace, so that every GloVe reader (gensim's
    ``no_header=True`` included) splits the lines the same way.
    """
    keys = list(kv.index_to_key)
    check_keys(keys, "GloVe")
    words = encode_keys(keys, encoding)
    vectors = np.ascontiguousarray(kv.vectors, dtype=np.float32)
    with atomic_write(path, compress=is_compressed(path)) as f:
        write_text_rows(f, words, vectors)
