"""Facebook fastText binary models (``.bin``) and ``.vec`` text files.

The binary layout mirrors fastText (github.com/facebookresearch/fastText, src/):

* ``FastText::saveModel`` / ``loadModel`` / ``checkModel`` (fasttext.cc): int32 magic
  ``793712314``, int32 version (12; files with version <= 12 are read), then the args, the
  dictionary, a bool ``quant_``, the input matrix, a bool ``args_->qout``, the output matrix.
* ``Args::save`` / ``load`` (args.cc): int32 dim, ws, epoch, minCount, neg, wordNgrams, loss,
  model, bucket, minn, maxn, lrUpdateRate, then float64 t. ``loss`` and ``model`` are the enums
  ``loss_name {hs=1, ns, softmax, ova}`` and ``model_name {cbow=1, sg, sup}`` (args.h); here
  they are strings, as ``Args::lossToString`` / ``modelToString`` print them.
* ``Dictionary::save`` / ``load`` (dictionary.cc): int32 size, nwords, nlabels; int64 ntokens,
  pruneidx_size (-1 unless the model was pruned by quantization); per entry the word's bytes,
  ``\\0``, int64 count, int8 type (0 word, 1 label); then pruneidx_size pairs of int32.
* ``DenseMatrix::save`` / ``load`` (densematrix.cc): int64 m, int64 n, m*n float32, row-major.

All numbers are little-endian (fastText writes native order; every platform it supports is
little-endian). Files from fastText before the magic number was added (2016; still shipped as
test data by gensim) start directly with the args and have no pruneidx_size and no quant/qout
flags; they are read too. gensim's ``gensim/models/_fasttext_bin.py`` documents the same layout.

Only unsupervised models are supported: supervised models (labels), quantized (``.ftz``) and
pruned models raise :class:`FormatError`, as does a truncated or malformed file (with the byte
offset of the field that could not be read). The header is checked against sane bounds before
anything is allocated: loss and model names fastText knows, non-negative counts, character
n-gram lengths ``0 <= maxn <= 64`` (``1 <= minn <= maxn`` when on), a finite ``t``, and an
n-gram matrix and a dictionary that fit in the file's size. A repeated word, and NaN or
infinity in the matrices (unless ``allow_nonfinite=True``), are refused too.

Words are decoded with ``encoding`` (UTF-8 by default); n-grams are hashed from the word's
UTF-8 bytes (:mod:`wordvec.vocab.subwords`), which is what fastText hashes for UTF-8 models.
"""

from __future__ import annotations

import math
import mmap
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wordvec._saving import atomic_write
from wordvec.exceptions import FormatError
from wordvec.io._text import first_nonfinite_row, nonfinite_hint
from wordvec.io.native import MAX_NGRAM_LENGTH
from wordvec.vectors.subword import SubwordVectors

__all__ = [
    "FASTTEXT_MAGIC",
    "FASTTEXT_VERSION",
    "FastTextBin",
    "is_fasttext_bin",
    "load_fasttext_bin",
    "save_fasttext_bin",
    "save_fasttext_vec",
]

FASTTEXT_MAGIC = 793712314  # FASTTEXT_FILEFORMAT_MAGIC_INT32 (fasttext.cc)
FASTTEXT_VERSION = 12  # FASTTEXT_VERSION (fasttext.cc)

_INT_ARGS = ("dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model", "bucket", "minn", "maxn",
             "lrUpdateRate")
_ARGS = struct.Struct("<12id")
_LOSSES = {1: "hs", 2: "ns", 3: "softmax", 4: "one-vs-all"}
_MODELS = {1: "cbow", 2: "sg", 3: "sup"}
# fastText's Args defaults (args.cc Args::Args) for the fields the caller leaves out
DEFAULT_ARGS: dict[str, Any] = {"dim": 100, "ws": 5, "epoch": 5, "minCount": 5, "neg": 5, "wordNgrams": 1,
                                "loss": "ns", "model": "sg", "bucket": 2000000, "minn": 3, "maxn": 6,
                                "lrUpdateRate": 100, "t": 1e-4}


@dataclass(frozen=True, eq=False)
class FastTextBin:
    """An unsupervised fastText model as stored in a ``.bin`` file."""

    vectors: SubwordVectors
    output: np.ndarray = field(repr=False)  # (nwords, dim) float32, fastText's output_ matrix
    args: dict[str, Any]
    ntokens: int


def is_fasttext_bin(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file starting with fastText's magic number."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return False
    return len(head) == 4 and struct.unpack("<i", head)[0] == FASTTEXT_MAGIC


class _Reader:
    """Sequential reads from a memory-mapped file; every short read is a FormatError with its offset."""

    def __init__(self, path: Path, buf):
        self.path, self.buf, self.pos = path, buf, 0

    def fail(self, reason: str, offset: int | None = None):
        raise FormatError(self.path, reason, offset=self.pos if offset is None else offset)

    def take(self, n: int, what: str) -> memoryview:
        if self.pos + n > len(self.buf):
            self.fail(f"file is truncated: {what} needs {n} bytes, {len(self.buf) - self.pos} left "
                      f"(file is {len(self.buf)} bytes)")
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str, what: str):
        s = struct.Struct("<" + fmt)
        return s.unpack(self.take(s.size, what))

    def word(self, i: int) -> bytes:
        end = self.buf.find(b"\0", self.pos)
        if end < 0:
            self.fail(f"file is truncated: entry #{i} has no terminating NUL byte")
        out = bytes(self.buf[self.pos:end])
        self.pos = end + 1
        return out

    def matrix(self, what: str, legacy: bool, shape: tuple[int, int], expected: str) -> tuple[np.ndarray, int]:
        """The next matrix, which must have ``shape`` (``expected`` says why), and the byte offset
        of its data. The shape is checked before anything is allocated."""
        start = self.pos
        if not legacy:
            (quant,) = self.unpack("?", f"the {what} quantization flag")
            if quant:
                self.fail(f"the {what} matrix is quantized (a .ftz model); quantized models are not supported",
                          start)
        m, n = self.unpack("2q", f"the {what} matrix shape")
        if (m, n) != shape:
            self.fail(f"{what} matrix has shape ({m}, {n}), expected {expected}", self.pos - 16)
        offset = self.pos
        if offset + m * n * 4 > len(self.buf):
            self.fail(f"file is truncated: the {what} matrix ({m} x {n} float32) needs {m * n * 4} bytes, "
                      f"{len(self.buf) - offset} left (file is {len(self.buf)} bytes)")
        self.pos += m * n * 4
        data = np.frombuffer(self.buf, dtype="<f4", count=m * n, offset=offset)
        try:
            return data.astype(np.float32).reshape(m, n), offset
        finally:
            del data  # release the export so the map can be closed, even on an error


def load_fasttext_bin(path: str | os.PathLike[str], *, encoding: str = "utf-8",
                      allow_nonfinite: bool = False) -> FastTextBin:
    """Read an unsupervised fastText ``.bin`` model (see the module docstring for the layout).

    NaN or infinity in the input or output matrix is refused (a :class:`FormatError` with the
    offset of the first bad row) unless ``allow_nonfinite=True``.
    """
    path = Path(path)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise FormatError(path, "file is empty; not a fastText model", offset=0)
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return _parse(_Reader(path, buf), encoding, allow_nonfinite)


# Bounds on the model arguments: fastText accepts any int, but these are far beyond any model
# trained and stop a damaged header from asking for absurd tables (checked before anything is
# allocated; the matrices are also checked against the file's size).
_NONNEGATIVE_ARGS = ("ws", "epoch", "minCount", "neg", "wordNgrams", "lrUpdateRate")


def _check_args(r: _Reader, args: dict[str, Any], legacy: bool, start: int) -> None:
    def bad(detail: str):
        r.fail(f"not a fastText model (no magic number, and {detail})" if legacy
               else f"invalid model arguments ({detail})", start)

    if args["loss"] not in _LOSSES or args["model"] not in _MODELS or args["dim"] <= 0 or args["bucket"] < 0:
        bad(f"dim={args['dim']}, loss={args['loss']}, model={args['model']}, bucket={args['bucket']}")
    negative = [name for name in _NONNEGATIVE_ARGS if args[name] < 0]
    if negative:
        bad("negative " + ", ".join(f"{k}={args[k]}" for k in negative))
    minn, maxn = args["minn"], args["maxn"]
    if maxn < 0 or maxn > MAX_NGRAM_LENGTH or (maxn > 0 and not 1 <= minn <= maxn):
        bad(f"character n-gram lengths minn={minn}, maxn={maxn}: need 0 <= maxn <= {MAX_NGRAM_LENGTH} and, "
            "when maxn > 0, 1 <= minn <= maxn")
    if not (math.isfinite(args["t"]) and args["t"] >= 0):
        bad(f"sampling threshold t={args['t']}")
    need = args["bucket"] * args["dim"] * 4
    if need > len(r.buf):
        bad(f"bucket={args['bucket']} and dim={args['dim']} need an n-gram matrix of {need} bytes, but the file "
            f"is {len(r.buf)} bytes")


def _check_finite(r: _Reader, matrix: np.ndarray, at: int, what: str, words: list[str]) -> None:
    row = first_nonfinite_row(matrix)
    if row is None:
        return
    name = f"row {row}"
    if what == "output" or row < len(words):
        name += f" (word {words[row]!r})"
    elif what == "input":
        name += f" (n-gram bucket {row - len(words)})"
    kind = "NaN" if np.isnan(matrix[row]).any() else "infinity"
    r.fail(f"{name} of the {what} matrix holds {kind}; {nonfinite_hint()}", at + row * matrix.shape[1] * 4)


def _parse(r: _Reader, encoding: str, allow_nonfinite: bool = False) -> FastTextBin:
    head = r.unpack("2i", "the header")
    legacy = head[0] != FASTTEXT_MAGIC
    if legacy:  # pre-magic fastText: the args start at byte 0
        r.pos = 0
    elif head[1] > FASTTEXT_VERSION:
        r.fail(f"fastText version {head[1]} is newer than the {FASTTEXT_VERSION} this reader knows", 4)
    start = r.pos
    values = r.unpack("12id", "the model arguments")
    args: dict[str, Any] = dict(zip(_INT_ARGS, values[:12], strict=True))
    args["t"] = values[12]
    _check_args(r, args, legacy, start)
    args["loss"], args["model"] = _LOSSES[args["loss"]], _MODELS[args["model"]]
    if args["model"] == "sup":
        r.fail("a supervised (classification) model; only unsupervised models are supported", start)

    start = r.pos
    n_entries, nwords, nlabels = r.unpack("3i", "the dictionary sizes")
    (ntokens,) = r.unpack("q", "the dictionary token count")
    if nlabels > 0:
        r.fail(f"a supervised model ({nlabels} labels); only unsupervised models are supported", start)
    if n_entries < 0 or nwords != n_entries or nlabels < 0:
        r.fail(f"invalid dictionary sizes: size={n_entries}, nwords={nwords}, nlabels={nlabels}", start)
    # every entry takes at least 10 bytes (a NUL, an int64 count, an int8 type), every word a row
    if n_entries * (10 + 4 * args["dim"]) > len(r.buf) - r.pos:
        r.fail(f"invalid dictionary size {n_entries}: {n_entries} words with their {args['dim']}-dimensional "
               f"rows need more than the {len(r.buf) - r.pos} bytes left (file is {len(r.buf)} bytes)", start)
    if not legacy:
        (pruneidx_size,) = r.unpack("q", "the dictionary prune index size")
        if pruneidx_size > 0:
            r.fail(f"a pruned model (prune index of {pruneidx_size} n-grams); quantized models are not supported",
                   r.pos - 8)
    words, counts = [], np.empty(n_entries, dtype=np.int64)
    seen: dict[str, int] = {}
    for i in range(n_entries):
        start = r.pos
        raw = r.word(i)
        counts[i], kind = r.unpack("qb", f"the count and type of entry #{i}")
        if kind != 0:
            r.fail(f"entry #{i} ({raw!r}) is a label (type {kind}); only unsupervised models are supported", start)
        try:
            word = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            r.fail(f"entry #{i} {raw!r} is not valid {encoding}: {exc.reason}", start)
        first = seen.setdefault(word, i)
        if first != i:
            r.fail(f"entry #{i} repeats the word {word!r} of entry #{first}", start)
        words.append(word)

    dim, bucket = args["dim"], args["bucket"]
    matrix, data_at = r.matrix("input", legacy, (nwords + bucket, dim),
                               f"({nwords} words + {bucket} buckets, {dim})")
    output, output_data_at = r.matrix("output", legacy, (nwords, dim), f"({nwords}, {dim})")
    if r.pos != len(r.buf):
        r.fail(f"{len(r.buf) - r.pos} unexpected bytes after the output matrix")
    if not allow_nonfinite:
        _check_finite(r, matrix, data_at, "input", words)
        _check_finite(r, output, output_data_at, "output", words)
    try:
        sv = SubwordVectors(words, matrix[:nwords], matrix[nwords:], min_n=args["minn"], max_n=args["maxn"],
                            bucket=bucket, counts=counts)
    except ValueError as exc:
        r.fail(f"inconsistent model: {exc}", 0)
    if not allow_nonfinite:
        row = first_nonfinite_row(sv.vectors)
        if row is not None:
            r.fail(f"the vector of word {words[row]!r}, the mean of its input row and its n-gram rows, overflows; "
                   f"{nonfinite_hint()}", data_at + row * dim * 4)
    return FastTextBin(vectors=sv, output=output, args=args, ntokens=int(ntokens))


def save_fasttext_bin(path: str | os.PathLike[str], vectors: SubwordVectors, output: np.ndarray | None = None,
                      args: dict[str, Any] | None = None, *, ntokens: int | None = None) -> None:
    """Write ``vectors`` as a fastText (version 12) ``.bin`` model, atomically.

    ``output`` is the ``(len(vectors), dim)`` output matrix (zeros when ``None``: the vectors
    are right, but training cannot continue from the file). ``args`` fills the remaining
    fastText arguments (``ws``, ``epoch``, ``minCount``, ``neg``, ``wordNgrams``, ``loss``,
    ``model``, ``lrUpdateRate``, ``t``; fastText's defaults otherwise); ``dim``, ``bucket``,
    ``minn`` and ``maxn`` come from ``vectors`` and must agree with ``args`` if given there.
    Counts are ``vectors.counts`` (1 each when absent); ``ntokens`` defaults to their sum.
    Words are written as UTF-8.

    Vectors whose n-grams are taken over jamo (``jamo=True``, FastText's Korean option) are
    refused with a ValueError: fastText has no jamo mode, so it would hash syllable n-grams and
    give unseen words different vectors than wordvec does.
    """
    if not isinstance(vectors, SubwordVectors):
        raise TypeError(f"vectors must be SubwordVectors, got {type(vectors).__name__}")
    if vectors.jamo:
        raise ValueError(
            "cannot save jamo n-gram vectors (FastText(jamo=True)) as a fastText .bin model: fastText "
            "has no jamo mode and would build out-of-vocabulary words from syllable n-grams, giving "
            "different vectors. Save natively (model.save / wordvec.io.save(..., format='native')) to "
            "keep the n-grams, or export the vocabulary's vectors as a .vec file (save_fasttext_vec, "
            "format='word2vec-text')"
        )
    n, dim = vectors.word_rows.shape
    own = {"dim": dim, "bucket": vectors.bucket, "minn": vectors.min_n, "maxn": vectors.max_n}
    merged = {**DEFAULT_ARGS, **(args or {})}
    unknown = set(merged) - set(DEFAULT_ARGS)
    if unknown:
        raise ValueError(f"unknown fastText args: {', '.join(sorted(unknown))}")
    for name, value in own.items():
        if args and name in args and args[name] != value:
            raise ValueError(f"args[{name!r}] = {args[name]!r} but the vectors have {name} = {value}")
        merged[name] = value
    loss = {v: k for k, v in _LOSSES.items()}.get(merged["loss"])
    model = {v: k for k, v in _MODELS.items() if v != "sup"}.get(merged["model"])
    if loss is None or model is None:
        raise ValueError(f"loss must be one of hs, ns, softmax, one-vs-all and model cbow or sg; "
                         f"got loss={merged['loss']!r}, model={merged['model']!r}")
    output = np.zeros((n, dim), dtype=np.float32) if output is None else np.asarray(output)
    if output.shape != (n, dim):
        raise ValueError(f"output must have shape ({n}, {dim}), got {output.shape}")
    counts = np.ones(n, dtype=np.int64) if vectors.counts is None else np.asarray(vectors.counts, dtype=np.int64)
    words = [w.encode("utf-8") for w in vectors.index_to_key]
    for i, w in enumerate(words):
        if b"\0" in w or not w:
            raise ValueError(f"word #{i} {vectors.index_to_key[i]!r} is empty or holds a NUL byte")
    ints = [merged[k] for k in _INT_ARGS]
    ints[_INT_ARGS.index("loss")], ints[_INT_ARGS.index("model")] = loss, model
    with atomic_write(path) as f:
        f.write(struct.pack("<2i", FASTTEXT_MAGIC, FASTTEXT_VERSION))
        f.write(_ARGS.pack(*(int(v) for v in ints), float(merged["t"])))
        total = int(counts.sum()) if ntokens is None else int(ntokens)
        f.write(struct.pack("<3iqq", n, n, 0, total, -1))  # pruneidx_size_ = -1: not pruned
        f.write(b"".join(w + b"\0" + struct.pack("<qb", int(c), 0) for w, c in zip(words, counts.tolist())))
        f.write(struct.pack("<?2q", False, n + vectors.bucket, dim))
        f.write(np.ascontiguousarray(vectors.word_rows, dtype="<f4").tobytes())
        for i in range(0, vectors.bucket, 65536):  # stream the (possibly memory-mapped) n-gram rows
            f.write(np.ascontiguousarray(vectors.ngram_rows[i:i + 65536], dtype="<f4").tobytes())
        f.write(struct.pack("<?2q", False, n, dim))
        f.write(np.ascontiguousarray(output, dtype="<f4").tobytes())


def save_fasttext_vec(path: str | os.PathLike[str], vectors: SubwordVectors, **options: Any) -> None:
    """Write the composed vocabulary vectors as a ``.vec`` file (word2vec text format), atomically."""
    from wordvec.io.word2vec_format import save_word2vec

    save_word2vec(vectors, path, binary=False, **options)
