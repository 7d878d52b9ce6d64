"""The word2vec.c vector formats, text and binary, as word2vec.c and gensim 4.4 write them.

Both start with a header line ``"<count> <dimensions>\\n"``. Then, per word (word2vec.c
``main()``, the ``// Save the word vectors`` block; gensim ``KeyedVectors.save_word2vec_format``):

* text:   ``word v1 v2 ... vd\\n`` (word2vec.c prints ``%lf `` with a trailing space)
* binary: ``word `` then d little-endian float32 (4*d bytes) then ``\\n``
  (gensim omits the ``\\n``; readers skip it: word2vec.c's ``distance.c`` with
  ``fscanf("%s")``, gensim's ``_add_bytes_to_kv`` with ``word.lstrip('\\n')``)

Reading mirrors gensim's ``_load_word2vec_format``: the word is everything up to the first
space; ``limit=N`` reads the first N entries; text values are parsed as decimal → float64 →
float32, exactly like gensim's ``np.float32(str)``, so loaded matrices are bit-identical.
Departures, all in the direction of reporting instead of guessing:

* every malformed or truncated record raises :class:`FormatError` with the line (text) or
  byte offset (binary); data after the announced number of vectors is an error too (gensim
  ignores it), unless ``limit`` asks for fewer vectors.
* truncation: fewer vectors than the header announces is an error. A header that announces
  more than the file can hold (at least ``2 * dim + 1`` bytes per text row, ``4 * dim + 2``
  per binary row), or the header of a compressed file, whose size is unknown, is not trusted
  for the allocation: the matrix grows as rows arrive, and the lie is reported where the data
  ends, never as an allocation of terabytes.
  In a text file a cut inside the last number ("0.2318" from "0.23180827") still parses, so
  it can only be seen from the missing line end: a last line without ``\\n`` is accepted only
  when its last value is followed by whitespace (word2vec.c writes ``"%lf "``) and it has all
  its values; otherwise it is an error naming the line. A cut exactly at a line end is caught
  by the count in the header. A damaged or truncated ``.gz``/``.bz2``/``.xz`` stream is an
  error naming the line (text) or decompressed byte offset (binary) reached.
* NaN and infinity (and text values beyond float32's range) are refused, naming the first bad
  row, unless ``allow_nonfinite=True``.
* a file that does not start with a ``"<count> <dimensions>"`` header (a plain text corpus,
  say) is reported as not looking like a word2vec file, with the line found.
* numbers on a text line may be separated by any run of spaces or tabs (gensim needs single
  spaces); trailing whitespace and ``\\r\\n`` line ends are accepted, as in gensim.
* duplicate words: ``duplicates="warn"`` (default) keeps the first occurrence like gensim and
  emits one warning with the count and the first example; ``"error"`` raises.
* no fabricated counts: without ``vocab_path`` the result has ``counts=None``.

Writing uses the shortest decimal that round-trips each float32 (``str(np.float32)``, the
same text gensim writes), so text files reload bit-identical, unlike word2vec.c's ``%lf``.
Keys are written in index order (gensim re-sorts by count). A path ending in ``.gz`` is
written gzip'ed; ``.gz``, ``.bz2`` and ``.xz`` files are decompressed when read. What this
format shares with GloVe's (key checks, the duplicate-word policy, vocabulary files) is in
:mod:`wordvec.io._text`.
"""

from __future__ import annotations

import os

import numpy as np

from wordvec._files import open_binary

from wordvec._saving import atomic_write
from wordvec.exceptions import FormatError
from wordvec.io._text import (DECOMPRESS_ERRORS, Duplicates, KeyCollector, RowBuffer, Source, attach_counts,
                              check_dtype, check_finite, check_keys, check_limit, check_line_end, decode_word, encode_keys,
                              is_compressed, looks_numeric, open_source, parse_values, write_text_rows,
                              write_vocab_file)
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["save_word2vec", "load_word2vec"]

_CHUNK = 1 << 20


# ------------------------------------------------------------------------------------- reading
def _read_header(f: Source, path) -> tuple[int, int, int]:
    raw = f.readline(4096)
    hint = ""
    if raw.startswith(b"\xba\x16\x4f\x2f"):
        hint = " (this is a fastText .bin model, not word2vec vectors)"
    elif raw.startswith(b"\x80"):
        hint = " (a Python pickle, e.g. a gensim .model? wordvec does not read pickles)"
    if not raw:
        raise FormatError(path, "empty file; expected a header 'count dimensions'", line=1)
    fields = raw.split()
    try:
        n, dim = (int(x) for x in fields)
        if n < 0 or dim < 1:
            raise ValueError
    except ValueError:
        if not hint:
            if len(fields) > 2 and all(looks_numeric(x) for x in fields[1:]):
                hint = " (a header-less GloVe file? use load_glove)"
            else:
                hint = (" (a word2vec file starts with a line 'COUNT DIM', e.g. '400000 300', then one "
                        "'word v1 ... vd' line per vector; a GloVe file has only the 'word v1 ... vd' lines)")
        shown = raw.rstrip(b"\r\n")[:40]
        raise FormatError(
            path,
            f"expected a header 'count dimensions', found {shown!r}: this does not look like a "
            f"word2vec vectors file{hint}",
            line=1,
        ) from None
    return n, dim, len(raw)


def _fits(f: Source, want: int, dim: int, binary: bool, header_len: int) -> bool:
    """Whether the file is large enough for the ``want`` rows the header announces (plain files
    only): a text row needs at least ``2 * dim + 1`` bytes (a word and ``dim`` one-character
    values, each after a separator), a binary row ``4 * dim + 2`` (a word, a space, ``dim``
    float32). Only then is the matrix allocated up front; otherwise (a compressed file, whose
    size is unknown, or a header that claims too much) it grows as rows arrive, so a header
    announcing 10^12 rows fails where the data ends instead of allocating terabytes."""
    if f.size is None:
        return False
    per_row = 4 * dim + 2 if binary else 2 * dim + 1
    return want * per_row <= f.size - header_len


def _read_text(f: Source, path, n, dim, limit, encoding, errors, collector: KeyCollector, trusted, dtype=np.float32):
    want = n if limit is None else min(n, limit)
    rows = RowBuffer(want, dim, trusted, dtype)
    line_no = 1
    for line_no in range(2, want + 2):
        raw = f.readline()
        if not raw:
            raise FormatError(
                path,
                f"file ends after {line_no - 2} vector(s); the header announces {n}",
                line=line_no,
            )
        stripped = raw.rstrip()
        space = stripped.find(b" ")
        fields = [] if space < 0 else stripped[space + 1 :].split()
        if not stripped:
            if not raw.endswith(b"\n"):
                raise FormatError(
                    path,
                    f"file ends after {line_no - 2} vector(s); the header announces {n}",
                    line=line_no,
                )
            raise FormatError(path, f"empty line; expected a word and {dim} values", line=line_no)
        if len(fields) != dim:
            found = len(fields) + 1
            if not raw.endswith(b"\n"):
                raise FormatError(
                    path,
                    f"the file ends inside this line, after {found} of its {dim + 1} fields (a word and "
                    f"the {dim} values the header announces): the file looks truncated",
                    line=line_no,
                )
            hint = ""
            if b"\0" in raw or any(b >= 0x80 for b in stripped[space + 1 :][:16]):
                hint = "; this looks like a binary file: pass binary=True"
            raise FormatError(
                path,
                f"expected {dim + 1} fields (a word and the {dim} values the header announces), "
                f"found {found}{hint}",
                line=line_no,
            )
        if raw[-1:] != b"\n":
            check_line_end(raw, path, line_no)
        values = parse_values(fields, path, line_no, 2, dtype)
        word = decode_word(stripped[:space], encoding, errors, path, line=line_no)
        if collector.add(word, line_no):
            rows.slot()[:] = values
    if limit is None or limit >= n:
        for extra_no, raw in enumerate(f, start=line_no + 1):
            if raw.strip():
                raise FormatError(
                    path,
                    f"unexpected data after the {n} vectors the header announces",
                    line=extra_no,
                )
    return rows.result()


class _BinaryRows:
    """:class:`RowBuffer`'s policy (one matrix up front only when the file is known to hold the
    rows; otherwise blocks as data arrives), filled a block of rows at a time."""

    def __init__(self, want: int, dim: int, trusted: bool):
        self.dim = dim
        self.out = np.empty((want, dim), dtype=np.float32) if trusted else None
        self.blocks: list[np.ndarray] = []
        self.fill = 0

    def extend(self, block: np.ndarray) -> None:
        if self.out is not None:
            self.out[self.fill:self.fill + len(block)] = block
        else:
            self.blocks.append(block.astype(np.float32))  # a writable copy of the bytes
        self.fill += len(block)

    def result(self) -> np.ndarray:
        if self.out is not None:
            return self.out if self.fill == len(self.out) else self.out[:self.fill].copy()
        if not self.blocks:
            return np.empty((0, self.dim), dtype=np.float32)
        return np.concatenate(self.blocks) if len(self.blocks) > 1 else self.blocks[0]


#: Encodings in which every word's bytes decode on their own when the words are joined by b"\n"
#: (ASCII-compatible, and "\n" never inside a character): the mapped reader decodes them in one call.
_JOINABLE = frozenset({"utf-8", "ascii", "latin-1", "iso8859-1", "cp1252"})


def _read_binary_mapped(f: Source, n, dim, limit, encoding, errors, collector: KeyCollector, header_len: int):
    """The whole file read in one compiled pass over its memory map (``wordvec._kernels.records``):
    the matrix, or ``None`` when anything needs the careful reader — a malformed or truncated
    record, data after the last vector, a word that does not decode, a repeated word — which then
    reads the file again and names what and where. A plain file only, once the header is trusted."""
    import codecs

    from wordvec._kernels.records import SCAN_OK, join_words, scan_word2vec_binary

    try:
        if codecs.lookup(encoding).name not in _JOINABLE:
            return None
    except LookupError:
        return None
    buf = f.view()
    if buf is None:
        return None
    want = n if limit is None else min(n, limit)
    vectors = np.empty((want, dim), dtype="<f4")
    starts, ends = np.empty(want, dtype=np.int64), np.empty(want, dtype=np.int64)
    status, pos, _ = scan_word2vec_binary(buf, header_len, want, vectors.view(np.uint8).reshape(want, 4 * dim),
                                          starts, ends)
    if status != SCAN_OK:
        return None
    if limit is None or limit >= n:
        rest = buf[pos:]
        if rest.shape[0] and not np.isin(rest, np.frombuffer(b" \t\n\r\x0b\x0c", dtype=np.uint8)).all():
            return None
    try:
        words = join_words(buf, starts, ends, 10).tobytes().decode(encoding, errors).split("\n")
    except UnicodeDecodeError:
        return None
    rows = dict(zip(words, range(want)))
    if len(words) != want or len(rows) != want:
        return None
    collector.keys, collector.rows = words, rows
    collector.positions.frombytes(starts.tobytes())
    return vectors


def _read_binary(
    f: Source, path, n, dim, limit, encoding, errors, collector: KeyCollector, header_len: int, trusted
):
    want = n if limit is None else min(n, limit)
    if trusted and want:
        vectors = _read_binary_mapped(f, n, dim, limit, encoding, errors, collector, header_len)
        if vectors is not None:
            return vectors
        f.seek(header_len)
    rows = _BinaryRows(want, dim, trusted)
    nbytes = 4 * dim
    # The vectors' bytes are gathered as bytes slices and turned into rows a few thousand at a
    # time (one np.frombuffer per batch instead of one per row: the loop is per word, in Python).
    pending: list[bytes] = []
    batch = max(1, (1 << 22) // nbytes)

    def flush() -> None:
        if pending:
            block = np.frombuffer(b"".join(pending), dtype="<f4").reshape(len(pending), dim)
            rows.extend(block)
            pending.clear()

    # KeyCollector.add, inlined for the common case (a new word); a repeated word goes through
    # add() itself, which applies the duplicates policy.
    add, seen, keys, positions = collector.add, collector.rows, collector.keys, collector.positions
    buf = b""
    pos = 0  # read position in buf
    base = header_len  # file offset of buf[0]
    for i in range(want):
        space = buf.find(b" ", pos)
        if space < 0 or len(buf) - space - 1 < nbytes:
            while True:
                space = buf.find(b" ", pos)
                if space >= 0 and len(buf) - space - 1 >= nbytes:
                    break
                chunk = f.read(_CHUNK)
                if not chunk:
                    raise FormatError(
                        path,
                        f"file ends inside vector {i + 1} of the {n} the header announces "
                        f"({dim} float32 values each)",
                        offset=base + pos,
                    )
                buf = buf[pos:] + chunk
                base += pos
                pos = 0
        start = pos
        raw_word = buf[pos:space]
        skipped = 0
        if raw_word[:1] == b"\n":
            skipped = len(raw_word) - len(raw_word.lstrip(b"\n"))
            raw_word = raw_word[skipped:]
        offset = base + start + skipped
        if not raw_word or b"\n" in raw_word:
            raise FormatError(
                path,
                f"malformed word {raw_word[:40]!r} in entry {i + 1}; "
                f"is the vector size in the header ({dim}) right?",
                offset=offset,
            )
        try:
            word = raw_word.decode(encoding, errors)
        except UnicodeDecodeError:
            word = decode_word(raw_word, encoding, errors, path, offset=offset)  # raises, naming the place
        pos = space + 1 + nbytes
        if word not in seen:
            seen[word] = len(keys)
            keys.append(word)
            positions.append(offset)
        elif not add(word, offset):
            continue
        pending.append(buf[space + 1:pos])
        if len(pending) == batch:
            flush()
    flush()
    if limit is None or limit >= n:
        rest = buf[pos:]
        while True:
            stripped = rest.lstrip()
            if stripped:
                raise FormatError(
                    path,
                    f"unexpected data after the {n} vectors the header announces",
                    offset=base + pos + len(rest) - len(stripped),
                )
            base, pos = base + pos + len(rest), 0
            rest = f.read(_CHUNK)
            if not rest:
                break
    return rows.result()


def load_word2vec(
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    limit: int | None = None,
    vocab_path: str | os.PathLike[str] | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    duplicates: Duplicates = "warn",
    allow_nonfinite: bool = False,
    dtype: str | np.dtype | type = np.float32,
) -> KeyedVectors:
    """Read a word2vec.c text (``binary=False``) or binary file, like gensim's
    ``KeyedVectors.load_word2vec_format``.

    >>> with open("vectors.txt", "w", encoding="utf-8") as f:
    ...     print("2 3", file=f)
    ...     print("king 0.1 0.2 0.3", file=f)
    ...     print("queen 0.4 0.5 0.6", file=f)
    ...
    >>> wv = load_word2vec("vectors.txt")
    >>> wv, wv["queen"]
    (KeyedVectors(2 keys, 3 dimensions), array([0.4, 0.5, 0.6], dtype=float32))
    >>> with open("broken.txt", "w", encoding="utf-8") as f:
    ...     print("1 3", file=f)
    ...     print("king 0.1 0.2", file=f)
    ...
    >>> load_word2vec("broken.txt")
    Traceback (most recent call last):
        ...
    wordvec.exceptions.FormatError: broken.txt, line 2: expected 4 fields (a word and the 3 ...

    ``dtype`` (gensim's ``datatype``): ``float16``, ``float32`` (default) or ``float64``, the
    dtype of ``kv.vectors``. Text values are parsed as float64 and cast to it once, binary
    values (float32 in the file) cast, exactly as gensim does; a value beyond float16's range
    becomes infinity and is refused like any other (gensim keeps it).

    ``limit=N`` reads only the first N entries. ``vocab_path`` names a ``word count`` file
    (word2vec.c ``-save-vocab``, gensim ``fvocab``) that supplies ``counts``; every loaded
    word must appear in it. ``unicode_errors`` is passed to ``bytes.decode`` (``"replace"`` or
    ``"ignore"`` help with word2vec.c files whose words were cut inside a UTF-8 character).
    A vector holding NaN or infinity (or a text value beyond float32's range) is refused unless
    ``allow_nonfinite=True``. Malformed input raises :class:`FormatError` naming the line or
    byte offset.
    """
    limit = check_limit(limit)
    dtype = check_dtype(dtype)
    collector = KeyCollector(path, duplicates, "byte" if binary else "line")
    with open_source(path, "byte" if binary else "line") as f:
        n, dim, header_len = _read_header(f, path)
        want = n if limit is None else min(n, limit)
        trusted = _fits(f, want, dim, binary, header_len)
        if binary:
            vectors = _read_binary(
                f, path, n, dim, limit, encoding, unicode_errors, collector, header_len, trusted
            )
        else:
            vectors = _read_text(f, path, n, dim, limit, encoding, unicode_errors, collector, trusted, dtype)
    if vectors.dtype != dtype:  # binary rows are float32 in the file
        with np.errstate(over="ignore"):
            vectors = vectors.astype(dtype)
    if not allow_nonfinite:
        unit = "offset" if binary else "line"
        check_finite(vectors, path, lambda row: {unit: collector.positions[row]}, text=not binary)
    collector.finish()
    counts = None
    if vocab_path is not None:
        counts = attach_counts(collector, vocab_path, encoding, unicode_errors)
    if vectors.dtype == np.float32 and vectors.flags.c_contiguous and len(collector.rows) == len(collector.keys):
        kv = KeyedVectors._from_checked(collector.keys, vectors, counts, collector.rows)
    else:
        kv = KeyedVectors(collector.keys, vectors, counts)
    if dtype != np.float32:
        kv.vectors = vectors  # KeyedVectors keeps float32; the caller asked for another dtype
    return kv


# ------------------------------------------------------------------------------------- writing
def save_word2vec(
    kv: KeyedVectors,
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    vocab_path: str | os.PathLike[str] | None = None,
    encoding: str = "utf-8",
) -> None:
    """Write ``kv`` in word2vec.c text or binary format, atomically, in index order.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen"], np.array([[0.5, -1], [2, 0.25]]), counts=np.array([10, 5]))
    >>> save_word2vec(wv, "vectors.bin", binary=True, vocab_path="vocab.txt")
    >>> load_word2vec("vectors.bin", binary=True, vocab_path="vocab.txt").counts.tolist()
    [10, 5]

    ``vocab_path`` also writes ``word count`` lines (gensim ``fvocab``); it needs
    ``kv.counts``. Keys must be non-empty and free of whitespace.
    """
    keys = list(kv.index_to_key)
    check_keys(keys, "word2vec")
    words = encode_keys(keys, encoding)
    if vocab_path is not None and kv.counts is None:
        raise ValueError("vocab_path needs counts, but these vectors have none (kv.counts is None)")
    vectors = np.ascontiguousarray(kv.vectors, dtype="<f4")
    n, dim = vectors.shape
    with atomic_write(path, compress=is_compressed(path)) as f:
        f.write(f"{n} {dim}\n".encode("ascii"))
        if binary:
            for i in range(0, n, 4096):
                rows = zip(words[i : i + 4096], vectors[i : i + 4096], strict=True)
                f.write(b"".join(w + b" " + row.tobytes() + b"\n" for w, row in rows))
        else:
            write_text_rows(f, words, vectors)
    if vocab_path is not None:
        write_vocab_file(vocab_path, words, kv.counts.tolist())


def sniff_word2vec(path: str | os.PathLike[str]) -> str | None:
    """``"word2vec-text"`` or ``"word2vec-binary"`` if ``path`` starts with a word2vec header
    (``"<int> <int>"``), else ``None``. Text vs binary is decided by whether the bytes after
    the first word look like decimal numbers."""
    try:
        with open_binary(path) as f:
            header = f.readline(256)
            sample = f.read(4096)
    except DECOMPRESS_ERRORS:
        return None
    fields = header.split()
    if len(fields) != 2 or not all(x.isdigit() for x in fields):
        return None
    space = sample.find(b" ")
    tokens = sample[space + 1 :].split(b"\n", 1)[0].split() if space >= 0 else []
    for token in tokens:
        try:
            float(token)
        except ValueError:
            return "word2vec-binary"
    return "word2vec-text"
