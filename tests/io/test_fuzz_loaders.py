"""Fuzz every vector-file loader: whatever the bytes, a loader returns sane vectors or raises
:class:`wordvec.exceptions.FormatError` (never MemoryError, UnicodeDecodeError, EOFError, ...).

Inputs are small valid files (word2vec text and binary, GloVe, fastText ``.bin`` and ``.vec``,
gzip/bz2/xz'd text, native directories plain and subword, co-occurrence ``.npz``) put through a
few mutations (truncation, bit flips, inserted "interesting" tokens such as ``nan``, ``1e39`` or a
packed 2^31-1, deleted or overwritten ranges, or entirely random bytes), and ``load()`` with
format detection over all of them under several file names.

The harness (the targets, :func:`random_ops`, :func:`apply_ops`, :func:`run_one`) is also what
``benchmarks/fuzz_loaders.py`` drives for its longer run; here hypothesis draws the mutations,
derandomized, a bounded number per target, so the suite stays stable and quick.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import math
import random
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordvec.cooccur import Cooccurrence
from wordvec.exceptions import FormatError
from wordvec.io import (load, load_fasttext_bin, load_glove, load_native, load_word2vec, save_fasttext_bin,
                        save_fasttext_vec, save_glove, save_native, save_word2vec)
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

# ---------------------------------------------------------------------------------- valid files
N_VARIANTS = 3


def _keyed(variant: int) -> KeyedVectors:
    rng = np.random.default_rng(100 + variant)
    if variant == 0:
        keys, dim = ["the", "café", "한국어", "x", "</s>"], 3
    elif variant == 1:
        keys, dim = ["a"], 1
    else:
        keys, dim = [f"w{i}" for i in range(8)], 6
    vectors = rng.standard_normal((len(keys), dim)).astype(np.float32)
    if variant == 2:  # awkward values: subnormal, largest float32, negative zero
        vectors[0, :3] = [np.float32(1e-45), np.finfo(np.float32).max, -0.0]
    counts = np.arange(len(keys), 0, -1) * 7
    return KeyedVectors(keys, vectors, counts)


def _subword(variant: int) -> SubwordVectors:
    rng = np.random.default_rng(200 + variant)
    keys = [["a", "bb", "ccc"], ["한국"], ["x", "yz", "</s>", "wxyz"]][variant]
    dim, bucket = [4, 2, 3][variant], [5, 3, 7][variant]
    min_n, max_n = [(1, 2), (1, 3), (2, 4)][variant]
    return SubwordVectors(keys, rng.standard_normal((len(keys), dim)), rng.standard_normal((bucket, dim)),
                          min_n=min_n, max_n=max_n, bucket=bucket, counts=np.arange(len(keys), 0, -1))


def _cooccurrence(variant: int) -> Cooccurrence:
    keys = [["a", "b", "c"], ["x"], ["ü", "v", "w", "z"]][variant]
    rng = np.random.default_rng(300 + variant)
    n = len(keys)
    dense = rng.integers(0, 3, size=(n, n)).astype(np.float32)
    rows, cols = np.nonzero(dense)
    return Cooccurrence(rows.astype(np.int32), cols.astype(np.int32), dense[rows, cols], keys,
                        np.arange(n, 0, -1) * 10, {"window": 2})


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@cache
def base_files(target: str, variant: int) -> dict[str, bytes]:
    """The valid file(s) a target mutates: ``{file name: bytes}`` (several for a directory)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if target == "word2vec-text":
            save_word2vec(_keyed(variant), tmp / "v.txt")
        elif target == "word2vec-binary":
            save_word2vec(_keyed(variant), tmp / "v.bin", binary=True)
        elif target == "glove":
            save_glove(_keyed(variant), tmp / "v.txt")
        elif target == "fasttext-bin":
            save_fasttext_bin(tmp / "v.bin", _subword(variant))
        elif target == "fasttext-vec":
            save_fasttext_vec(tmp / "v.vec", _subword(variant))
        elif target == "compressed-text":
            suffix = [".gz", ".bz2", ".xz"][variant]
            save_word2vec(_keyed(variant), tmp / "plain.txt")
            plain = (tmp / "plain.txt").read_bytes()
            packed = {".gz": lambda b: gzip.compress(b, mtime=0), ".bz2": bz2.compress, ".xz": lzma.compress}
            return {"v.txt" + suffix: packed[suffix](plain)}
        elif target == "native":
            save_native(_keyed(variant), tmp / "d")
            return _files(tmp / "d")
        elif target == "native-subword":
            save_native(_subword(variant), tmp / "d")
            return _files(tmp / "d")
        elif target == "cooccur":
            _cooccurrence(variant).save(tmp / "m.npz")
        else:
            raise ValueError(target)
        return _files(tmp)


# ------------------------------------------------------------------------------------ mutations
# An op is (file index, kind, position, argument); positions are taken modulo the length.
INTERESTING = [b"nan", b"inf", b"-inf", b"1e39", b"-", b".", b"e", b"\n", b" ", b"\t", b"\r", b"\0", b"\xff",
               b"\xc3", b"\x80", b"999999999999", b"1000000000000 300\n", b"0 1\n", b"-1", b"'", b'"""', b"(",
               b"{", b"}", b"PK\x03\x04", (2**31 - 1).to_bytes(4, "little"), (2**63 - 1).to_bytes(8, "little"),
               (2**32 - 1).to_bytes(4, "little"), b"\x93NUMPY", b"\xba\x16\x4f\x2f", b"\x1f\x8b"]
KINDS = ("truncate", "flip", "set", "insert", "delete", "overwrite", "interesting", "replace_all")


def apply_ops(files: dict[str, bytes], ops) -> dict[str, bytes]:
    """The files after the mutations ``ops`` (a pure function: the same ops give the same bytes)."""
    out = dict(files)
    names = sorted(out)
    for file_index, kind, position, argument in ops:
        name = names[file_index % len(names)]
        data = out[name]
        at = position % (len(data) + 1)
        if kind == "truncate":
            data = data[:at]
        elif kind == "flip" and data:
            at %= len(data)
            data = data[:at] + bytes([data[at] ^ (1 << (argument % 8))]) + data[at + 1:]
        elif kind == "set" and data:
            at %= len(data)
            data = data[:at] + bytes([argument % 256]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + bytes(argument) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + 1 + argument % 64:]
        elif kind == "overwrite":
            data = data[:at] + bytes(argument) + data[at + len(argument):]
        elif kind == "interesting":
            token = INTERESTING[argument % len(INTERESTING)]
            data = data[:at] + token + data[at + (len(token) if argument % 2 else 0):]
        elif kind == "replace_all":
            data = bytes(argument)
        out[name] = data
    return out


def _op_strategy():
    index, position = st.integers(0, 7), st.integers(0, 2**16)
    small = st.integers(0, 255)
    blob = st.binary(max_size=24)
    return st.one_of(
        st.tuples(index, st.just("truncate"), position, st.just(0)),
        st.tuples(index, st.just("flip"), position, small),
        st.tuples(index, st.just("set"), position, small),
        st.tuples(index, st.just("insert"), position, blob),
        st.tuples(index, st.just("delete"), position, small),
        st.tuples(index, st.just("overwrite"), position, blob),
        st.tuples(index, st.just("interesting"), position, small),
        st.tuples(index, st.just("replace_all"), st.just(0), st.binary(max_size=200)),
    )


OPS = st.lists(_op_strategy(), min_size=1, max_size=4)


def random_ops(rng: random.Random) -> list[tuple]:
    """Mutations drawn with ``rng`` (the benchmark's unbounded version of :data:`OPS`)."""
    ops = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(KINDS)
        blob = rng.randbytes(rng.randint(0, 24))
        argument = {"truncate": 0, "insert": blob, "overwrite": blob,
                    "replace_all": rng.randbytes(rng.randint(0, 200))}.get(kind, rng.randint(0, 255))
        ops.append((rng.randint(0, 7), kind, rng.randint(0, 2**16), argument))
    return ops


# ------------------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    name: str
    source: str  # which valid files it mutates (a base_files target)
    load: Callable  # (path, options) -> loaded object
    directory: bool = False


def _load_fasttext(path, options):
    return load_fasttext_bin(path, allow_nonfinite=options["allow_nonfinite"]).vectors


def _opts(options, *names):
    return {k: options[k] for k in names}


TARGETS = [
    Target("word2vec-text", "word2vec-text",
           lambda p, o: load_word2vec(p, **_opts(o, "limit", "allow_nonfinite"))),
    Target("word2vec-binary", "word2vec-binary",
           lambda p, o: load_word2vec(p, binary=True, **_opts(o, "limit", "allow_nonfinite"))),
    Target("glove", "glove", lambda p, o: load_glove(p, **_opts(o, "limit", "allow_nonfinite"))),
    Target("fasttext-bin", "fasttext-bin", _load_fasttext),
    Target("fasttext-vec", "fasttext-vec", lambda p, o: load_word2vec(p, **_opts(o, "limit", "allow_nonfinite"))),
    Target("compressed-text", "compressed-text",
           lambda p, o: load_word2vec(p, **_opts(o, "limit", "allow_nonfinite"))),
    Target("native", "native", lambda p, o: load_native(p, **_opts(o, "mmap", "limit", "allow_nonfinite")),
           directory=True),
    Target("native-subword", "native-subword",
           lambda p, o: load_native(p, **_opts(o, "mmap", "limit", "allow_nonfinite")), directory=True),
    Target("cooccur", "cooccur", lambda p, o: Cooccurrence.load(p)),
]
TARGET_NAMES = [t.name for t in TARGETS] + ["load-detect"]
# load() with format detection: any of the sources under one of these names
DETECT_NAMES = ["v.txt", "v.vec", "v.bin", "v.txt.gz", "v.bin.gz", "v.txt.xz"]
_DETECT_SOURCES = [t for t in TARGETS if t.name != "cooccur"]


def _write(root: Path, files: dict[str, bytes], directory: bool, name: str | None = None) -> Path:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    if directory:
        for file_name, data in files.items():
            (root / file_name).write_bytes(data)
        return root
    (path,) = [root / (name or file_name) for file_name in files]
    path.write_bytes(next(iter(files.values())))
    return path


def _check_loaded(result, options) -> None:
    """What a successful load must give: consistent keys and rows, finite vectors (unless
    allowed), and queries that never answer NaN."""
    if isinstance(result, Cooccurrence):
        assert result.rows.shape == result.cols.shape == result.values.shape
        assert np.isfinite(result.values).all()
        return
    assert isinstance(result, KeyedVectors)
    assert result.vectors.ndim == 2 and result.vectors.shape[0] == len(result.index_to_key)
    if not options["allow_nonfinite"]:
        assert np.isfinite(result.vectors).all()
    elif len(result):
        for key, score in result.most_similar(result.index_to_key[0], topn=3):
            assert math.isfinite(score), (key, score)


def run_one(target_name: str, variant: int, ops, options: dict, root: Path, name_choice: int = 0) -> str:
    """Load the mutated files; ``"ok"`` or ``"format"`` (a FormatError). Anything else raises."""
    if target_name == "load-detect":
        target = _DETECT_SOURCES[name_choice % len(_DETECT_SOURCES)]
        files = apply_ops(base_files(target.source, variant), ops)
        rename = (name_choice // len(_DETECT_SOURCES)) % (len(DETECT_NAMES) + 1)  # 0: the file's own name
        name = None if target.directory or not rename else DETECT_NAMES[rename - 1]
        path = _write(root, files, target.directory, name)
        def loader(p, o):
            return load(p, **_opts(o, "allow_nonfinite"))
    else:
        target = next(t for t in TARGETS if t.name == target_name)
        files = apply_ops(base_files(target.source, variant), ops)
        path = _write(root, files, target.directory)
        loader = target.load
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate-word warnings, numpy's overflow warnings
        try:
            result = loader(path, options)
        except FormatError as exc:
            # it names the file, and the line or byte offset (a missing file or member has none)
            assert exc.path and str(exc).startswith(exc.path), exc
            assert exc.line is not None or exc.offset is not None or "missing" in exc.reason, exc
            return "format"
        _check_loaded(result, options)
    return "ok"


def random_options(rng: random.Random) -> dict:
    return {"limit": rng.choice([None, None, 0, 1, 3]), "allow_nonfinite": rng.random() < 0.3,
            "mmap": rng.random() < 0.5}


OPTIONS = st.fixed_dictionaries({"limit": st.sampled_from([None, None, 0, 1, 3]), "allow_nonfinite": st.booleans(),
                                 "mmap": st.booleans()})


# ---------------------------------------------------------------------------------------- tests
FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "case"


@pytest.mark.parametrize("target", TARGET_NAMES)
def test_valid_files_load(target, root):
    """The unmutated inputs load: the fuzz starts from files the loaders accept."""
    for variant in range(N_VARIANTS):
        for choice in range(len(_DETECT_SOURCES) if target == "load-detect" else 1):
            options = {"limit": None, "allow_nonfinite": False, "mmap": True}
            assert run_one(target, variant, [], options, root, choice) == "ok"


@pytest.mark.parametrize("target", TARGET_NAMES)
def test_fuzzed_files_load_or_raise_format_error(target, root):
    @FUZZ
    @given(variant=st.integers(0, N_VARIANTS - 1), ops=OPS, options=OPTIONS, name_choice=st.integers(0, 59))
    def check(variant, ops, options, name_choice):
        run_one(target, variant, ops, options, root, name_choice)

    check()
