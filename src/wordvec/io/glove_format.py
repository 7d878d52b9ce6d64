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

Writing uses the shortest round-trip decimal for each float32 (as
:mod:`wordvec.io.word2vec_format` does, with the helpers both share in :mod:`wordvec.io._text`)
instead of glove.c's lossy ``%lf``.
"""

from __future__ import annotations

import os

import numpy as np

from wordvec._files import atomic_write, open_binary
from wordvec.exceptions import FormatError
from wordvec.io._text import (Duplicates, KeyCollector, check_keys, check_limit, decode_word, encode_keys,
                              is_compressed, parse_values, write_text_rows)
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["save_glove", "load_glove"]

_BATCH = 4096


def _looks_numeric(token: bytes) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def load_glove(
    path: str | os.PathLike[str],
    *,
    limit: int | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    duplicates: Duplicates = "warn",
) -> KeyedVectors:
    """Read a GloVe text file (no header; dimension inferred from the first line).

    ``limit=N`` reads the first N lines. ``duplicates="warn"`` keeps the first occurrence of
    a repeated word and warns once; ``"error"`` raises. ``.gz`` / ``.bz2`` / ``.xz`` are decompressed.
    """
    limit = check_limit(limit)
    collector = KeyCollector(path, duplicates, "line")
    blocks: list[np.ndarray] = []
    block = np.empty((0, 0), dtype=np.float32)
    fill = 0
    dim = 0
    blank = 0  # first blank line seen; allowed only at the end of the file
    with open_binary(path) as f:
        for line_no, raw in enumerate(f, start=1):
            if limit is not None and line_no > limit and dim:
                break
            stripped = raw.rstrip()
            if not stripped:
                blank = blank or line_no
                continue
            if blank:
                raise FormatError(path, "empty line; expected a word and its values", line=blank)
            if line_no == 1:
                first = stripped.split()
                dim = len(first) - 1
                if dim < 1:
                    raise FormatError(
                        path, "expected a word followed by at least one value", line=1
                    )
                if len(first) == 2 and first[0].isdigit() and first[1].isdigit():
                    raise FormatError(
                        path,
                        f"line looks like a word2vec header {stripped.decode('ascii')!r}, "
                        "not a GloVe entry; use load_word2vec",
                        line=1,
                    )
                block = np.empty((_BATCH, dim), dtype=np.float32)
                if limit == 0:  # the first line was read only for the dimension
                    break
            parts = stripped.rsplit(None, dim)
            word_tokens = parts[0].split()
            if len(parts) != dim + 1 or (len(word_tokens) > 1 and _looks_numeric(word_tokens[-1])):
                raise FormatError(
                    path,
                    f"expected {dim + 1} fields (a word and {dim} values, as on line 1), "
                    f"found {len(word_tokens) + len(parts) - 1}",
                    line=line_no,
                )
            values = parse_values(parts[1:], path, line_no, len(word_tokens) + 1)
            word = decode_word(parts[0], encoding, unicode_errors, path, line=line_no)
            if collector.add(word, line_no):
                if fill == _BATCH:
                    blocks.append(block)
                    block = np.empty((_BATCH, dim), dtype=np.float32)
                    fill = 0
                block[fill] = values
                fill += 1
    if dim == 0:
        raise FormatError(path, "empty file; expected 'word v1 ... vd' lines", line=1)
    blocks.append(block[:fill])
    collector.finish()
    vectors = blocks[0].copy() if len(blocks) == 1 else np.concatenate(blocks)
    return KeyedVectors(collector.keys, vectors)


def save_glove(kv: KeyedVectors, path: str | os.PathLike[str], *, encoding: str = "utf-8") -> None:
    """Write ``kv`` as a GloVe text file (no header, no counts), atomically, in index order.

    Keys must be non-empty and free of whitespace, so that every GloVe reader (gensim's
    ``no_header=True`` included) splits the lines the same way.
    """
    keys = list(kv.index_to_key)
    check_keys(keys, "GloVe")
    words = encode_keys(keys, encoding)
    vectors = np.ascontiguousarray(kv.vectors, dtype=np.float32)
    with atomic_write(path, compress=is_compressed(path)) as f:
        write_text_rows(f, words, vectors)
