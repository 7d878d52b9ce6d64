"""Facebook fastText model files: ``.bin``, quantized ``.ftz``, the pre-2017 layout, and ``.vec``.

The layout mirrors fastText (github.com/facebookresearch/fastText, src/):

* ``FastText::saveModel`` / ``loadModel`` / ``checkModel`` (fasttext.cc): int32 magic
  ``793712314``, int32 version (12; files with version <= 12 are read), then the args, the
  dictionary, a bool ``quant_``, the input matrix (a ``QuantMatrix`` when ``quant_``, else a
  ``DenseMatrix``), a bool ``args_->qout``, the output matrix (a ``QuantMatrix`` when both
  ``quant_`` and ``qout``). A dense input with a pruned dictionary is invalid (fastText refuses it).
* ``Args::save`` / ``load`` (args.cc): int32 dim, ws, epoch, minCount, neg, wordNgrams, loss,
  model, bucket, minn, maxn, lrUpdateRate, then float64 t. ``loss`` and ``model`` are the enums
  ``loss_name {hs=1, ns, softmax, ova}`` and ``model_name {cbow=1, sg, sup}`` (args.h); here
  they are strings, as ``Args::lossToString`` / ``modelToString`` print them.
* ``Dictionary::save`` / ``load`` (dictionary.cc): int32 size, nwords, nlabels; int64 ntokens,
  pruneidx_size; per entry the word's bytes, ``\\0``, int64 count, int8 type (0 word, 1 label;
  words first); then pruneidx_size pairs of int32 (n-gram bucket, row after the words).
  ``pruneidx_size`` is -1 for a model that was never pruned; otherwise only the buckets listed
  have rows (``Dictionary::pushHash`` drops the others from a word's n-grams; 0: no n-grams).
* ``DenseMatrix::save`` / ``load`` (densematrix.cc): int64 m, int64 n, m*n float32, row-major.
* ``QuantMatrix::save`` / ``load`` (quantmatrix.cc): bool qnorm, int64 m, int64 n, int32
  codesize (= m * nsubq), codesize uint8 codes, a ``ProductQuantizer``; with qnorm, m uint8
  norm codes and a second ``ProductQuantizer`` (dim 1) over the rows' norms.
* ``ProductQuantizer::save`` / ``load`` (productquantizer.cc): int32 dim, nsubq, dsub, lastdsub,
  then dim * 256 float32 centroids: sub-quantizer k < nsubq-1 holds 256 centroids of dsub values
  at ``k * 256 * dsub``, the last one 256 centroids of lastdsub values. A row is the
  concatenation of its sub-quantizers' centroids (``addcode``), times its norm's centroid.

All numbers are little-endian (fastText writes native order; every platform it supports is
little-endian). Files from fastText before the magic number was added (2016; still shipped as
test data by gensim, and many published vectors) start directly with the args and have no
pruneidx_size and no quant/qout flags; they are read too (fastText 0.9 itself refuses them),
and :func:`is_fasttext_bin` recognises them by their header. gensim's
``gensim/models/_fasttext_bin.py`` documents the same layout.

:func:`read_fasttext_model` reads any model, supervised ones too, as a raw
:class:`FastTextModel`. :func:`load_fasttext_bin` reads unsupervised models as
:class:`SubwordVectors`; a quantized input matrix is reconstructed (``QuantizedMatrix.reconstruct``,
the rows fastText's ``addcode`` adds), so vocabulary and out-of-vocabulary vectors are the ones
``fasttext.load_model(...).get_word_vector`` gives. A pruned model loads when its prune index
lists every bucket (several buckets may share a row: what ``wordvec quantize`` writes); one that
drops buckets cannot be a ``SubwordVectors`` (fastText leaves dropped n-grams out of the mean) and
is refused, naming :func:`read_fasttext_model`. Supervised models raise :class:`FormatError` there.

Every truncated or malformed file raises :class:`FormatError` with the byte offset of the field
that could not be read. The header is checked against sane bounds before anything is allocated:
loss and model names fastText knows, non-negative counts, character n-gram lengths
``0 <= maxn <= 64`` (``1 <= minn <= maxn`` when on), a finite ``t``, matrices, dictionaries and
prune indexes that fit in the file's size, consistent product-quantizer shapes. A repeated word,
and NaN or infinity in the matrices or centroids (unless ``allow_nonfinite=True``), are refused too.

Words are decoded with ``encoding`` (UTF-8 by default) and ``unicode_errors`` (``"strict"``: a
word that does not decode is a FormatError naming it; gensim instead falls back to
``"backslashreplace"`` with a logged error). n-grams are hashed from the word's UTF-8 bytes
(:mod:`wordvec.vocab.subwords`), which is what fastText hashes for UTF-8 models.

Writing (:func:`save_fasttext_bin`) produces version 12 files that fastText 0.9 loads: a dense
``.bin``, or with ``quantization=`` a ``.ftz`` (see :mod:`wordvec.io.quantize` for training one).
Any file read here can be written back: ``FastTextBin.quantization`` keeps a ``.ftz``'s codes.
Unlike the word-per-line formats, a ``.bin`` stores any word but one holding a NUL byte,
the empty word and words with spaces included.
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
    "KSUB",
    "FastTextBin",
    "FastTextModel",
    "Quantization",
    "QuantizedMatrix",
    "is_fasttext_bin",
    "load_fasttext_bin",
    "read_fasttext_model",
    "save_fasttext_bin",
    "save_fasttext_vec",
]

FASTTEXT_MAGIC = 793712314  # FASTTEXT_FILEFORMAT_MAGIC_INT32 (fasttext.cc)
FASTTEXT_VERSION = 12  # FASTTEXT_VERSION (fasttext.cc)
KSUB = 256  # ProductQuantizer::ksub_ (1 << nbits_, nbits_ = 8): centroids per sub-quantizer

_INT_ARGS = ("dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model", "bucket", "minn", "maxn",
             "lrUpdateRate")
_ARGS = struct.Struct("<12id")
_LOSSES = {1: "hs", 2: "ns", 3: "softmax", 4: "one-vs-all"}
_MODELS = {1: "cbow", 2: "sg", 3: "sup"}
# fastText's Args defaults (args.cc Args::Args) for the fields the caller leaves out
DEFAULT_ARGS: dict[str, Any] = {"dim": 100, "ws": 5, "epoch": 5, "minCount": 5, "neg": 5, "wordNgrams": 1,
                                "loss": "ns", "model": "sg", "bucket": 2000000, "minn": 3, "maxn": 6,
                                "lrUpdateRate": 100, "t": 1e-4}


# ------------------------------------------------------------------------ quantized matrices
@dataclass(frozen=True, eq=False)
class QuantizedMatrix:
    """fastText's ``QuantMatrix``: rows product-quantized (quantmatrix.cc, productquantizer.cc).

    >>> import numpy as np
    >>> from wordvec.io.quantize import quantize_matrix
    >>> matrix = np.random.default_rng(0).normal(size=(300, 4)).astype(np.float32)
    >>> quantized = quantize_matrix(matrix, dsub=2)
    >>> quantized.codes.shape, quantized.codes.dtype, quantized.dsub      # 2 sub-quantizers of 256 centroids
    ((300, 2), dtype('uint8'), 2)
    >>> quantized.reconstruct().shape
    (300, 4)

    ``codes`` is ``(rows, nsubq)`` uint8: row ``i``'s centroid in each sub-quantizer.
    ``centroids`` is fastText's flat ``dim * 256`` float32 array (see the module docstring for
    its layout; :meth:`subquantizer` gives one sub-quantizer's ``(256, d)`` view). ``dsub`` is
    the width of every sub-quantizer but the last (``dim - (nsubq - 1) * dsub`` wide). With norm
    quantization (``qnorm``), row ``i`` is scaled by ``norm_centroids[norm_codes[i]]``.
    """

    codes: np.ndarray = field(repr=False)
    centroids: np.ndarray = field(repr=False)
    dsub: int
    norm_codes: np.ndarray | None = field(default=None, repr=False)
    norm_centroids: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        codes = np.ascontiguousarray(self.codes, dtype=np.uint8)
        centroids = np.ascontiguousarray(self.centroids, dtype=np.float32).ravel()
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "centroids", centroids)
        if codes.ndim != 2 or centroids.size % KSUB or not centroids.size:
            raise ValueError(f"codes must be (rows, nsubq) and centroids dim * {KSUB} values; got codes "
                             f"{codes.shape}, {centroids.size} centroid values")
        dim, dsub = centroids.size // KSUB, int(self.dsub)
        if not 1 <= dsub <= dim or codes.shape[1] != -(-dim // dsub):
            raise ValueError(f"{codes.shape[1]} sub-quantizers do not split {dim} dimensions by dsub={dsub}")
        object.__setattr__(self, "dsub", dsub)
        if (self.norm_codes is None) != (self.norm_centroids is None):
            raise ValueError("norm_codes and norm_centroids go together")
        if self.norm_codes is not None:
            norm_codes = np.ascontiguousarray(self.norm_codes, dtype=np.uint8)
            norm_centroids = np.ascontiguousarray(self.norm_centroids, dtype=np.float32).ravel()
            if norm_codes.shape != (codes.shape[0],) or norm_centroids.shape != (KSUB,):
                raise ValueError(f"norm codes must be ({codes.shape[0]},) and norm centroids ({KSUB},); got "
                                 f"{norm_codes.shape} and {norm_centroids.shape}")
            object.__setattr__(self, "norm_codes", norm_codes)
            object.__setattr__(self, "norm_centroids", norm_centroids)

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, dim)`` of the matrix it stands for."""
        return int(self.codes.shape[0]), self.dim

    @property
    def dim(self) -> int:
        return int(self.centroids.size // KSUB)

    @property
    def nsubq(self) -> int:
        return int(self.codes.shape[1])

    @property
    def lastdsub(self) -> int:
        return self.dim - (self.nsubq - 1) * self.dsub

    @property
    def qnorm(self) -> bool:
        return self.norm_codes is not None

    def subquantizer(self, k: int) -> np.ndarray:
        """The ``(256, d)`` centroids of sub-quantizer ``k`` (``ProductQuantizer::get_centroids``)."""
        d = self.lastdsub if k == self.nsubq - 1 else self.dsub
        start = k * KSUB * self.dsub
        return self.centroids[start:start + KSUB * d].reshape(KSUB, d)

    def reconstruct(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Rows ``start:stop`` as float32: what ``ProductQuantizer::addcode`` adds for each row
        (each sub-quantizer's centroid, times the row's norm centroid in float32)."""
        codes = self.codes[start:stop]
        out = np.empty((codes.shape[0], self.dim), dtype=np.float32)
        for k in range(self.nsubq):
            sub = self.subquantizer(k)
            out[:, k * self.dsub:k * self.dsub + sub.shape[1]] = sub[codes[:, k]]
        if self.norm_codes is not None:
            out *= self.norm_centroids[self.norm_codes[start:stop]][:, None]
        return out

    def file_bytes(self) -> int:
        """Bytes this matrix takes in a ``.ftz`` file."""
        size = 1 + 16 + 4 + self.codes.size + 16 + self.centroids.size * 4
        if self.qnorm:
            size += self.codes.shape[0] + 16 + KSUB * 4
        return size


@dataclass(frozen=True, eq=False)
class Quantization:
    """What a ``.ftz`` file holds beyond a dense model: the quantized input matrix, the
    quantized output matrix (fastText's ``-qout``; None: dense) and the prune index (None: not
    pruned; else ``(k, 2)`` int32 pairs of n-gram bucket and row after the words).

    >>> import numpy as np
    >>> from wordvec.io.quantize import quantize_subword_vectors
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> ft = SubwordVectors(["king", "queen"], rng.normal(size=(2, 4)), rng.normal(size=(10, 4)), min_n=3, max_n=4,
    ...                     bucket=10)
    >>> quantization = quantize_subword_vectors(ft, dsub=2)
    >>> quantization.input.codes.shape, quantization.output is None, quantization.prune_index.shape
    ((10, 2), False, (10, 2))
    """

    input: QuantizedMatrix
    output: QuantizedMatrix | None = None
    prune_index: np.ndarray | None = field(default=None, repr=False)


# ------------------------------------------------------------------------------- records
@dataclass(frozen=True, eq=False)
class FastTextModel:
    """Everything a fastText model file holds, as stored (supervised models too).

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> ft = SubwordVectors(["king", "queen"], np.ones((2, 4)), np.zeros((10, 4)), min_n=3, max_n=4, bucket=10)
    >>> save_fasttext_bin("ft.bin", ft)
    >>> stored = read_fasttext_model("ft.bin")
    >>> stored.words, stored.nwords, stored.nlabels, stored.input.shape, stored.args["bucket"]
    (['king', 'queen'], 2, 0, (12, 4), 10)

    ``words`` lists the dictionary: ``nwords`` words, then ``nlabels`` labels. ``input`` and
    ``output`` are float32 arrays or :class:`QuantizedMatrix`. ``prune_index`` is None for a
    model never pruned, else ``(k, 2)`` int32 pairs (bucket, row after the words). ``version``
    is None for a file written before fastText had a magic number.
    """

    args: dict[str, Any]
    words: list[str] = field(repr=False)
    counts: np.ndarray = field(repr=False)
    nwords: int
    nlabels: int
    ntokens: int
    prune_index: np.ndarray | None = field(repr=False)
    input: Any = field(repr=False)
    output: Any = field(repr=False)
    version: int | None = None

    @property
    def quantized(self) -> bool:
        return isinstance(self.input, QuantizedMatrix)


@dataclass(frozen=True, eq=False)
class FastTextBin:
    """An unsupervised fastText model as stored in a ``.bin`` (or ``.ftz``) file.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> ft = SubwordVectors(["king", "queen"], np.ones((2, 4)), np.zeros((10, 4)), min_n=3, max_n=4, bucket=10)
    >>> save_fasttext_bin("ft.bin", ft, args={"epoch": 5}, ntokens=1000)
    >>> model = load_fasttext_bin("ft.bin")
    >>> model.vectors, model.output.shape, model.args["epoch"], model.ntokens
    (SubwordVectors(2 keys, 4 dimensions, n-grams 3-4 in 10 buckets), (2, 4), 5, 1000)

    ``quantization`` is None for a dense model; for a ``.ftz`` it keeps the codes, so that
    :func:`save_fasttext_bin` can write the file back as it was (``vectors`` and ``output``
    then hold the reconstructed matrices).
    """

    vectors: SubwordVectors
    output: np.ndarray = field(repr=False)  # (nwords, dim) float32, fastText's output_ matrix
    args: dict[str, Any]
    ntokens: int
    quantization: Quantization | None = field(default=None, repr=False)


# ------------------------------------------------------------------------------- detection
def _plausible_legacy_header(head: bytes, size: int) -> bool:
    """Whether ``head`` (at least 92 bytes) starts like a pre-magic fastText model of ``size`` bytes:
    the args within fastText's enums and bounds, and a dictionary header that fits the file."""
    if len(head) < _ARGS.size + 20:
        return False
    values = _ARGS.unpack_from(head)
    args = dict(zip(_INT_ARGS, values[:12], strict=True))
    n_entries, nwords, nlabels, ntokens = struct.unpack_from("<3iq", head, _ARGS.size)
    minn, maxn = args["minn"], args["maxn"]
    return (
        1 <= args["dim"] <= 1 << 16 and args["loss"] in _LOSSES and args["model"] in _MODELS
        and all(args[k] >= 0 for k in ("ws", "epoch", "minCount", "neg", "wordNgrams", "bucket", "lrUpdateRate"))
        and 0 <= maxn <= MAX_NGRAM_LENGTH and (maxn == 0 or 1 <= minn <= maxn)
        and math.isfinite(values[12]) and 0 <= values[12] <= 1
        and nwords >= 0 and nlabels >= 0 and n_entries == nwords + nlabels and ntokens >= 0
        and (n_entries + args["bucket"]) * args["dim"] * 4 <= size
    )


def is_fasttext_bin(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a fastText model file: it starts with fastText's magic number
    (``.bin`` and ``.ftz``), or with the args and dictionary header of a pre-magic ``.bin``
    (checked against fastText's enums and bounds, so word2vec and text files never match).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors, save
    >>> from wordvec.vectors import SubwordVectors
    >>> save_fasttext_bin("ft.bin",
    ...                   SubwordVectors(["king"], np.ones((1, 4)), np.zeros((10, 4)), min_n=3, max_n=4, bucket=10))
    >>> save(KeyedVectors(["king"], np.ones((1, 4))), "w2v.bin", format="word2vec-binary")
    >>> is_fasttext_bin("ft.bin"), is_fasttext_bin("w2v.bin")
    (True, False)
    """
    try:
        with open(path, "rb") as f:
            head = f.read(_ARGS.size + 20)
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return False
    if len(head) >= 4 and struct.unpack_from("<i", head)[0] == FASTTEXT_MAGIC:
        return True
    return _plausible_legacy_header(head, size)


# --------------------------------------------------------------------------------- reading
class _Reader:
    """Sequential reads from a memory-mapped file; every short read is a FormatError with its offset."""

    def __init__(self, path: Path, buf):
        self.path, self.buf, self.pos = path, buf, 0
        self.context = ""  # appended to every error (e.g. what a damaged prune index announced)

    def fail(self, reason: str, offset: int | None = None):
        raise FormatError(self.path, reason + self.context, offset=self.pos if offset is None else offset)

    def left(self) -> int:
        return len(self.buf) - self.pos

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            self.fail(f"file is truncated: {what} needs {n} bytes, {len(self.buf) - self.pos} left "
                      f"(file is {len(self.buf)} bytes)")
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str, what: str):
        s = struct.Struct("<" + fmt)
        return s.unpack(self.take(s.size, what))

    def flag(self, what: str) -> bool:
        """A C++ ``bool``: one byte, 0 or 1."""
        (value,) = self.unpack("B", what)
        if value > 1:
            self.fail(f"{what} is byte {value}, not a bool (0 or 1)", self.pos - 1)
        return bool(value)

    def array(self, count: int, dtype: str, what: str) -> np.ndarray:
        """``count`` values of ``dtype``, copied out of the map."""
        size = np.dtype(dtype).itemsize
        start = self.pos
        self.take(count * size, what)
        data = np.frombuffer(self.buf, dtype=dtype, count=count, offset=start)
        try:
            return data.copy()
        finally:
            del data  # release the export so the map can be closed, even on an error

    def word(self, i: int) -> bytes:
        end = self.buf.find(b"\0", self.pos)
        if end < 0:
            self.fail(f"file is truncated: entry #{i} has no terminating NUL byte")
        out = bytes(self.buf[self.pos:end])
        self.pos = end + 1
        return out

    def dense(self, what: str, shape: tuple[int, int], expected: str) -> tuple[np.ndarray, int]:
        m, n = self.unpack("2q", f"the {what} matrix shape")
        if (m, n) != shape:
            self.fail(f"{what} matrix has shape ({m}, {n}), expected {expected}", self.pos - 16)
        offset = self.pos
        if offset + m * n * 4 > len(self.buf):
            self.fail(f"file is truncated: the {what} matrix ({m} x {n} float32) needs {m * n * 4} bytes, "
                      f"{len(self.buf) - offset} left (file is {len(self.buf)} bytes)")
        return self.array(m * n, "<f4", f"the {what} matrix").reshape(m, n).astype(np.float32, copy=False), offset

    def product_quantizer(self, what: str, dim: int, nsubq: int | None) -> tuple[int, np.ndarray, int]:
        """A ``ProductQuantizer`` of ``dim`` dimensions (and ``nsubq`` sub-quantizers, when known):
        (dsub, the flat centroids, their offset)."""
        start = self.pos
        pdim, pnsubq, dsub, lastdsub = self.unpack("4i", f"the {what} product quantizer's sizes")
        if pdim != dim or not 1 <= dsub <= dim or pnsubq != -(-dim // dsub) or (nsubq is not None and pnsubq != nsubq) \
                or lastdsub != dim - (pnsubq - 1) * dsub:
            self.fail(f"{what}: inconsistent product quantizer (dim={pdim}, nsubq={pnsubq}, dsub={dsub}, "
                      f"lastdsub={lastdsub}) for {dim} dimensions"
                      + ("" if nsubq is None else f" and {nsubq} codes per row"), start)
        offset = self.pos
        return dsub, self.array(dim * KSUB, "<f4", f"the {what} centroids").astype(np.float32, copy=False), offset

    def quantized(self, what: str, rows: int | None, dim: int) -> tuple[QuantizedMatrix, list[tuple[str, np.ndarray, int]]]:
        """A ``QuantMatrix`` of ``dim`` columns (and ``rows`` rows, when known), and its float
        arrays with their offsets (for the non-finite check)."""
        label = f"the quantized {what} matrix"
        qnorm = self.flag(f"{label}'s norm flag")
        start = self.pos
        m, n, codesize = self.unpack("2qi", f"{label}'s shape")
        if (rows is not None and m != rows) or n != dim or m < 0:
            self.fail(f"{label} has shape ({m}, {n}), expected ({'?' if rows is None else rows}, {dim})", start)
        if codesize < 0 or (m == 0 and codesize) or (m and (codesize % m or not 1 <= codesize // m <= dim)):
            self.fail(f"{label}: {codesize} code bytes do not split into {m} rows of 1 to {dim} codes", start + 16)
        nsubq = codesize // m if m else None
        if codesize + 16 + dim * KSUB * 4 > self.left():
            self.fail(f"file is truncated: {label} ({codesize} code bytes and {dim * KSUB} centroids) needs "
                      f"{codesize + 16 + dim * KSUB * 4} bytes, {self.left()} left (file is {len(self.buf)} bytes)")
        codes = self.array(codesize, "u1", f"{label}'s codes")
        dsub, centroids, at = self.product_quantizer(label, dim, nsubq)
        floats = [(f"{label}'s centroids", centroids, at)]
        norm_codes = norm_centroids = None
        if qnorm:
            norm_codes = self.array(m, "u1", f"{label}'s norm codes")
            _, norm_centroids, at = self.product_quantizer(f"{label}'s norm", 1, 1)
            floats.append((f"{label}'s norm centroids", norm_centroids, at))
        nsubq = nsubq if nsubq is not None else -(-dim // dsub)
        matrix = QuantizedMatrix(codes.reshape(m, nsubq), centroids, dsub, norm_codes, norm_centroids)
        return matrix, floats


def _read(path, reader) -> Any:
    """Open ``path`` as a memory map and run ``reader(_Reader)`` over it."""
    path = Path(path)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise FormatError(path, "file is empty; not a fastText model", offset=0)
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return reader(_Reader(path, buf))


def read_fasttext_model(path: str | os.PathLike[str], *, encoding: str = "utf-8", unicode_errors: str = "strict",
                        allow_nonfinite: bool = False) -> FastTextModel:
    """Read any fastText model file (``.bin``, ``.ftz``, pre-magic ``.bin``; supervised or not)
    as stored: args, dictionary, prune index, input and output matrices (float32 arrays or
    :class:`QuantizedMatrix`, not reconstructed). See the module docstring for the checks.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> save_fasttext_bin("ft.bin",
    ...                   SubwordVectors(["king"], np.ones((1, 4)), np.zeros((10, 4)), min_n=3, max_n=4, bucket=10))
    >>> stored = read_fasttext_model("ft.bin")
    >>> stored.version, stored.args["model"], stored.words, stored.output.shape
    (12, 'sg', ['king'], (1, 4))
    """
    return _read(path, lambda r: _parse_model(r, encoding, unicode_errors, allow_nonfinite, supervised=True))


def load_fasttext_bin(path: str | os.PathLike[str], *, encoding: str = "utf-8", unicode_errors: str = "strict",
                      allow_nonfinite: bool = False) -> FastTextBin:
    """Read an unsupervised fastText model (``.bin``, quantized ``.ftz`` or pre-magic ``.bin``).

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> ft = SubwordVectors(["king", "queen"], rng.normal(size=(2, 4)), rng.normal(size=(10, 4)), min_n=3, max_n=4,
    ...                     bucket=10)
    >>> save_fasttext_bin("ft.bin", ft, args={"epoch": 5})
    >>> model = load_fasttext_bin("ft.bin")
    >>> model.vectors, model.args["epoch"], model.quantization is None
    (SubwordVectors(2 keys, 4 dimensions, n-grams 3-4 in 10 buckets), 5, True)
    >>> bool(np.allclose(model.vectors["kingdom"], ft["kingdom"]))       # an unseen word, from its n-grams
    True

    A quantized matrix is reconstructed (float32, the rows fastText computes from the codes);
    the codes are kept in ``FastTextBin.quantization``. ``unicode_errors`` is passed to
    ``bytes.decode`` for the words (``"replace"``, ``"ignore"``, ``"backslashreplace"``, ...).
    NaN or infinity in a matrix (or in a quantizer's centroids) is refused (a
    :class:`FormatError` with the offset of the first bad row) unless ``allow_nonfinite=True``.
    """
    return _read(path, lambda r: _parse(r, encoding, allow_nonfinite, unicode_errors))


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
    if legacy and need > len(r.buf):  # a pre-magic file is never quantized: its rows are dense
        bad(f"bucket={args['bucket']} and dim={args['dim']} need an n-gram matrix of {need} bytes, but the file "
            f"is {len(r.buf)} bytes")
    if args["dim"] * 4 > len(r.buf):  # a row of a dense matrix, or a quantizer's centroids, must fit
        bad(f"dim={args['dim']} needs rows of {args['dim'] * 4} bytes, but the file is {len(r.buf)} bytes")


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


def _check_finite_centroids(r: _Reader, floats: list[tuple[str, np.ndarray, int]]) -> None:
    for what, values, at in floats:
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            kind = "NaN" if np.isnan(values[bad[0]]) else "infinity"
            r.fail(f"{what} hold {kind} (value {int(bad[0])}); {nonfinite_hint()}", at + int(bad[0]) * 4)


def _parse_model(r: _Reader, encoding: str, unicode_errors: str, allow_nonfinite: bool,
                 supervised: bool) -> FastTextModel:
    """The whole file. With ``supervised=False`` a supervised model is refused as soon as its
    args or dictionary say so (the messages :func:`load_fasttext_bin` gives)."""
    head = r.unpack("2i", "the header")
    legacy = head[0] != FASTTEXT_MAGIC
    version = None if legacy else head[1]
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
    if args["model"] == "sup" and not supervised:
        r.fail("a supervised (classification) model; only unsupervised models are supported", start)
    if version == 11 and args["model"] == "sup":  # fastText's loadModel: old supervised models had no n-grams
        args["maxn"] = 0

    start = r.pos
    n_entries, nwords, nlabels = r.unpack("3i", "the dictionary sizes")
    (ntokens,) = r.unpack("q", "the dictionary token count")
    if n_entries < 0 or nwords < 0 or nlabels < 0 or nwords + nlabels != n_entries:
        r.fail(f"invalid dictionary sizes: size={n_entries}, nwords={nwords}, nlabels={nlabels}", start)
    # every entry takes at least 10 bytes (a NUL, an int64 count, an int8 type), every word a row
    if n_entries * 11 > r.left():
        r.fail(f"invalid dictionary size {n_entries}: {n_entries} entries with their rows need more than the "
               f"{r.left()} bytes left (file is {len(r.buf)} bytes)", start)
    pruneidx_size = -1
    if not legacy:
        (pruneidx_size,) = r.unpack("q", "the dictionary prune index size")
        if pruneidx_size < -1 or pruneidx_size * 8 > r.left():
            r.fail(f"invalid prune index size {pruneidx_size}: need -1 (not pruned) or as many (bucket, row) "
                   f"pairs as the {r.left()} bytes left can hold", r.pos - 8)
    if pruneidx_size == -1 and args["bucket"] > r.left():  # every bucket has a row, of one byte at least
        r.fail(f"invalid model arguments (bucket={args['bucket']} n-gram rows cannot fit in the {r.left()} bytes "
               f"left; file is {len(r.buf)} bytes)", 0 if legacy else 8)
    words, counts = [], np.empty(n_entries, dtype=np.int64)
    seen: dict[str, int] = {}
    for i in range(n_entries):
        start = r.pos
        raw = r.word(i)
        counts[i], kind = r.unpack("qb", f"the count and type of entry #{i}")
        if kind != (0 if i < nwords else 1):
            r.fail(f"entry #{i} ({raw!r}) has type {kind}; the dictionary announces {nwords} words (type 0) then "
                   f"{nlabels} labels (type 1)", start)
        try:
            word = raw.decode(encoding, unicode_errors)
        except UnicodeDecodeError as exc:
            r.fail(f"entry #{i} {raw!r} is not valid {encoding}: {exc.reason}; pass unicode_errors='replace' "
                   "or 'backslashreplace' to load it anyway", start)
        except LookupError as exc:  # an unknown codec or error handler: the caller's mistake
            raise ValueError(str(exc)) from None
        first = seen.setdefault(word, i)
        if first != i:
            r.fail(f"entry #{i} repeats the word {word!r} of entry #{first}"
                   + ("" if unicode_errors == "strict" else f" (after decoding with unicode_errors={unicode_errors!r})"),
                   start)
        words.append(word)
    prune_index = None
    if pruneidx_size >= 0:
        start = r.pos
        prune_index = r.array(2 * pruneidx_size, "<i4", "the prune index").reshape(pruneidx_size, 2)
        r.context = (f" (the dictionary announces a pruned model, prune index of {pruneidx_size} n-grams: "
                     "the file may be damaged)" if pruneidx_size else "")
        keys = prune_index[:, 0]
        if pruneidx_size and (keys.min() < 0 or keys.max() >= max(args["bucket"], 1) or prune_index[:, 1].min() < 0):
            r.fail(f"prune index pairs out of range: buckets must be in [0, {args['bucket']}), rows >= 0", start)
        if np.unique(keys).size != keys.size:
            r.fail("the prune index lists a bucket twice", start)

    dim, bucket = args["dim"], args["bucket"]
    outputs = nlabels if args["model"] == "sup" else nwords
    quant_input = False if legacy else r.flag("the input quantization flag")
    if quant_input:
        rows = None if prune_index is not None else nwords + bucket
        inp, floats = r.quantized("input", rows, dim)
        if prune_index is not None and pruneidx_size and prune_index[:, 1].max() >= inp.shape[0] - nwords:
            r.fail(f"the prune index points at row {int(prune_index[:, 1].max())} after the words, but the "
                   f"quantized input matrix has {inp.shape[0] - nwords} rows after them", r.pos)
        if inp.shape[0] < nwords:
            r.fail(f"the quantized input matrix has {inp.shape[0]} rows, fewer than the {nwords} words", r.pos)
        if not allow_nonfinite:
            _check_finite_centroids(r, floats)
    else:
        if prune_index is not None:
            r.fail(f"a pruned model (prune index of {pruneidx_size} n-grams) whose input matrix is not quantized; "
                   "fastText refuses such files too (invalid model file)")
        inp, data_at = r.dense("input", (nwords + bucket, dim), f"({nwords} words + {bucket} buckets, {dim})")
        if not allow_nonfinite:
            _check_finite(r, inp, data_at, "input", words)
    quant_output = False if legacy else r.flag("the output quantization flag (qout)")
    if quant_input and quant_output:
        out, floats = r.quantized("output", outputs, dim)
        if not allow_nonfinite:
            _check_finite_centroids(r, floats)
    else:
        what = "label" if args["model"] == "sup" else "word"
        out, data_at = r.dense("output", (outputs, dim), f"({outputs}, {dim}): one row per {what}")
        if not allow_nonfinite:
            _check_finite(r, out, data_at, "output", words)
    if r.pos != len(r.buf):
        r.fail(f"{len(r.buf) - r.pos} unexpected bytes after the output matrix")
    return FastTextModel(args=args, words=words, counts=counts, nwords=nwords, nlabels=nlabels,
                         ntokens=int(ntokens), prune_index=prune_index, input=inp, output=out, version=version)


def _parse(r: _Reader, encoding: str, allow_nonfinite: bool = False, unicode_errors: str = "strict") -> FastTextBin:
    """An unsupervised model as :class:`FastTextBin` (matrices reconstructed)."""
    model = _parse_model(r, encoding, unicode_errors, allow_nonfinite, supervised=False)
    # An unsupervised model trained on text holding "__label__..." tokens lists them as labels
    # after its words; they have no vector (fastText's word vectors skip them too), so they are left out.
    words, nwords, args = model.words[:model.nwords], model.nwords, model.args
    bucket = args["bucket"]
    quantization = None
    if model.quantized:
        rows = model.input.reconstruct()
        if model.prune_index is not None:
            pairs = model.prune_index
            if pairs.shape[0] != bucket:
                r.fail(f"a pruned model whose prune index keeps {pairs.shape[0]} of the {bucket} n-gram buckets: "
                       "fastText leaves the dropped n-grams out of a word's mean, which SubwordVectors cannot; "
                       "read it with read_fasttext_model", len(r.buf))
            mapping = np.empty(bucket, dtype=np.int64)
            mapping[pairs[:, 0]] = pairs[:, 1]
            ngram_rows = rows[nwords + mapping]
        else:
            ngram_rows = rows[nwords:]
        word_rows = rows[:nwords]
        output = model.output.reconstruct() if isinstance(model.output, QuantizedMatrix) else model.output
        quantization = Quantization(model.input, model.output if isinstance(model.output, QuantizedMatrix) else None,
                                    model.prune_index)
    else:
        word_rows, ngram_rows, output = model.input[:nwords], model.input[nwords:], model.output
    try:
        sv = SubwordVectors(words, word_rows, ngram_rows, min_n=args["minn"], max_n=args["maxn"],
                            bucket=bucket, counts=model.counts[:nwords])
    except ValueError as exc:
        r.fail(f"inconsistent model: {exc}", 0)
    if not allow_nonfinite:
        if quantization is not None:  # finite centroids times a finite norm may still overflow
            for what, matrix in (("input", rows), ("output", output)):
                row = first_nonfinite_row(matrix)
                if row is not None:
                    r.fail(f"row {row} of the quantized {what} matrix, its centroids times its norm, overflows; "
                           f"{nonfinite_hint()}", 0)
        row = first_nonfinite_row(sv.vectors)
        if row is not None:
            r.fail(f"the vector of word {words[row]!r}, the mean of its input row and its n-gram rows, overflows; "
                   f"{nonfinite_hint()}", 0)
    return FastTextBin(vectors=sv, output=output, args=args, ntokens=model.ntokens, quantization=quantization)


# --------------------------------------------------------------------------------- writing
def _write_pq(f, dim: int, dsub: int, centroids: np.ndarray) -> None:
    nsubq = -(-dim // dsub)
    f.write(struct.pack("<4i", dim, nsubq, dsub, dim - (nsubq - 1) * dsub))
    f.write(np.ascontiguousarray(centroids, dtype="<f4").tobytes())


def _write_quantized(f, q: QuantizedMatrix) -> None:
    """``QuantMatrix::save``."""
    m, n = q.shape
    if q.codes.size >= 2**31:
        raise ValueError(f"{m} rows of {q.nsubq} codes exceed fastText's int32 code size; use a larger dsub")
    f.write(struct.pack("<?2qi", q.qnorm, m, n, q.codes.size))
    f.write(q.codes.tobytes())
    _write_pq(f, n, q.dsub, q.centroids)
    if q.qnorm:
        f.write(q.norm_codes.tobytes())
        _write_pq(f, 1, 1, q.norm_centroids)


def _check_quantization(q: Quantization, n: int, dim: int, bucket: int) -> np.ndarray | None:
    if not isinstance(q, Quantization):
        raise TypeError(f"quantization must be a Quantization, got {type(q).__name__}")
    pairs = None
    if q.prune_index is not None:
        pairs = np.ascontiguousarray(q.prune_index, dtype=np.int32).reshape(-1, 2)
        if pairs.size and (pairs[:, 0].min() < 0 or pairs[:, 0].max() >= bucket or pairs[:, 1].min() < 0
                           or pairs[:, 1].max() >= q.input.shape[0] - n
                           or np.unique(pairs[:, 0]).size != pairs.shape[0]):
            raise ValueError("the prune index must list distinct buckets in [0, bucket) and rows after the words "
                             "of the quantized input matrix")
        if q.input.shape[0] < n:
            raise ValueError(f"the quantized input matrix has {q.input.shape[0]} rows, fewer than the {n} words")
    elif q.input.shape != (n + bucket, dim):
        raise ValueError(f"the quantized input matrix has shape {q.input.shape}, expected ({n + bucket}, {dim})")
    if q.input.dim != dim or (q.output is not None and q.output.shape != (n, dim)):
        raise ValueError(f"the quantized matrices do not fit {n} words of {dim} dimensions")
    return pairs


def save_fasttext_bin(path: str | os.PathLike[str], vectors: SubwordVectors, output: np.ndarray | None = None,
                      args: dict[str, Any] | None = None, *, ntokens: int | None = None,
                      quantization: Quantization | None = None) -> None:
    """Write ``vectors`` as a fastText (version 12) ``.bin`` model, atomically.

    >>> import numpy as np
    >>> from wordvec import load
    >>> from wordvec.vectors import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> ft = SubwordVectors(["king", "queen"], rng.normal(size=(2, 4)), rng.normal(size=(10, 4)), min_n=3, max_n=4,
    ...                     bucket=10)
    >>> save_fasttext_bin("ft.bin", ft)               # the official fasttext.load_model reads it too
    >>> load("ft.bin")
    SubwordVectors(2 keys, 4 dimensions, n-grams 3-4 in 10 buckets)

    ``output`` is the ``(len(vectors), dim)`` output matrix (zeros when ``None``: the vectors
    are right, but training cannot continue from the file). ``args`` fills the remaining
    fastText arguments (``ws``, ``epoch``, ``minCount``, ``neg``, ``wordNgrams``, ``loss``,
    ``model``, ``lrUpdateRate``, ``t``; fastText's defaults otherwise); ``dim``, ``bucket``,
    ``minn`` and ``maxn`` come from ``vectors`` and must agree with ``args`` if given there.
    Counts are ``vectors.counts`` (1 each when absent); ``ntokens`` defaults to their sum.
    Words are written as UTF-8; any word but one holding a NUL byte can be stored (the
    empty word too, which fastText reads back as it is).

    With ``quantization`` (a :class:`Quantization`, e.g. ``FastTextBin.quantization`` of a
    ``.ftz`` read, or one :func:`wordvec.io.quantize.quantize_subword_vectors` trains) the file
    is a quantized ``.ftz``: the input matrix is written as its codes (``vectors``' rows are then
    not written, only its words and counts), with the prune index, and the output matrix as
    quantization.output's codes when given (fastText's ``qout``), else dense.

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
    pairs = None if quantization is None else _check_quantization(quantization, n, dim, vectors.bucket)
    qout = quantization is not None and quantization.output is not None
    if not qout:
        output = np.zeros((n, dim), dtype=np.float32) if output is None else np.asarray(output)
        if output.shape != (n, dim):
            raise ValueError(f"output must have shape ({n}, {dim}), got {output.shape}")
    counts = np.ones(n, dtype=np.int64) if vectors.counts is None else np.asarray(vectors.counts, dtype=np.int64)
    words = [w.encode("utf-8") for w in vectors.index_to_key]
    for i, w in enumerate(words):
        if b"\0" in w:
            raise ValueError(f"word #{i} {vectors.index_to_key[i]!r} holds a NUL byte, which ends a word in a "
                             "fastText file")
    ints = [merged[k] for k in _INT_ARGS]
    ints[_INT_ARGS.index("loss")], ints[_INT_ARGS.index("model")] = loss, model
    with atomic_write(path) as f:
        f.write(struct.pack("<2i", FASTTEXT_MAGIC, FASTTEXT_VERSION))
        f.write(_ARGS.pack(*(int(v) for v in ints), float(merged["t"])))
        total = int(counts.sum()) if ntokens is None else int(ntokens)
        f.write(struct.pack("<3iqq", n, n, 0, total, -1 if pairs is None else pairs.shape[0]))
        f.write(b"".join(w + b"\0" + struct.pack("<qb", int(c), 0) for w, c in zip(words, counts.tolist())))
        if pairs is not None:
            f.write(pairs.astype("<i4").tobytes())
        if quantization is not None:
            f.write(b"\1")
            _write_quantized(f, quantization.input)
        else:
            f.write(struct.pack("<?2q", False, n + vectors.bucket, dim))
            f.write(np.ascontiguousarray(vectors.word_rows, dtype="<f4").tobytes())
            for i in range(0, vectors.bucket, 65536):  # stream the (possibly memory-mapped) n-gram rows
                f.write(np.ascontiguousarray(vectors.ngram_rows[i:i + 65536], dtype="<f4").tobytes())
        f.write(struct.pack("<?", qout))
        if qout:
            _write_quantized(f, quantization.output)
        else:
            f.write(struct.pack("<2q", n, dim))
            f.write(np.ascontiguousarray(output, dtype="<f4").tobytes())


def save_fasttext_vec(path: str | os.PathLike[str], vectors: SubwordVectors, **options: Any) -> None:
    """Write the composed vocabulary vectors as a ``.vec`` file (word2vec text format), atomically.

    >>> import numpy as np
    >>> from wordvec.vectors import SubwordVectors
    >>> ft = SubwordVectors(["king", "queen"], np.eye(2), np.zeros((10, 2)), min_n=3, max_n=4, bucket=10)
    >>> save_fasttext_vec("ft.vec", ft)             # each word's vector: its row and n-gram rows averaged
    >>> print(open("ft.vec").read().strip())
    2 2
    king 0.125 0.0
    queen 0.0 0.1
    """
    from wordvec.io.word2vec_format import save_word2vec

    save_word2vec(vectors, path, binary=False, **options)
