"""Partitions of a corpus: whole files, and byte ranges of large plain files cut at line boundaries.

A :class:`Partition` names a piece of the corpus that one task reads: a byte range
``[start, end)`` of a plain text file, or a whole file (``end is None``: compressed files, which
cannot be entered in the middle, and files in an encoding where a ``\\n`` byte may sit inside a
character, such as UTF-16). :func:`make_partitions` lists the files exactly as the
single-machine readers do (:func:`wordvec._files.corpus_files`: files as given, directories as
their regular files sorted by name, hidden ones skipped) and cuts every plain file into ranges of
``target_bytes``; it reads nothing but the files' sizes.

A *line belongs to the range in which it starts*. :func:`read_partition` seeks to ``start``,
skips the partial first line unless ``start == 0`` or the byte before ``start`` is ``\\n``, and
reads lines until it has passed ``end``; it decodes them as :class:`~wordvec.corpus.LineCorpus`
does (universal newlines, so ``\\r\\n`` and a lone ``\\r`` end lines too: a cut is only ever made
after a ``\\n``, so a ``\\r\\n`` is never split) and tokenizes them with the same tokenizer code
(batches through ``tokenize_many`` for the Korean tokenizer). So the partitions' sentences, in
partition order, are exactly the sentences of the single-machine corpus over the same paths.

Tokenizers travel to workers as a *description* (:func:`tokenizer_spec`: a name or a dict of
options), and each worker builds its own (:func:`make_tokenizer`): a Korean tokenizer is never
pickled with its analyser, kiwi is loaded once per worker process and, unless the tokenizer was
given ``workers``, uses as many threads as the Dask worker has. A worker whose kiwipiepy differs
from the client's is refused (the tokens could differ). Any other callable is sent as it is
(Dask pickles it).

Token caches: as on one machine, a batch tokenizer (``korean``) caches the tokens of each
partition on disk, gzip'ed text in the layout of :mod:`wordvec.corpus.cache`, in the directory
the caller names (``token_cache``: a shared path, or a path on each worker's local disk) or in
each worker's default cache directory (``$WORDVEC_CACHE_DIR``, ``~/.cache/wordvec/tokens``). A
partition that holds a whole file uses the single-machine cache file itself (a run on one
machine and one on a cluster share it); a byte range has its own, keyed by the range too. A
task that runs on another worker than last time finds no cache there and tokenizes again
(correct, only slower); the cluster functions place each partition on the same worker in every
pass, so that this does not happen while the workers stay up.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from wordvec._files import COMPRESSED_SUFFIXES, corpus_files, is_stream, text_read_error
from wordvec._saving import atomic_write
from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding, encoding_key
from wordvec.corpus.korean import KoreanTokenizer
from wordvec.corpus.tokenizers import (
    PhraseTokenizer,
    RegexTokenizer,
    Tokenizer,
    WhitespaceTokenizer,
    get_tokenizer,
    is_batch_tokenizer,
)

__all__ = ["DEFAULT_PARTITION_BYTES", "Partition", "make_partitions", "read_partition", "splittable_encoding",
           "tokenizer_spec", "make_tokenizer"]

#: The default size of a partition of a plain text file: 64 MiB.
DEFAULT_PARTITION_BYTES = 64 * 2**20
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Partition:
    """A piece of a corpus one task reads: bytes ``[start, end)`` of ``path``, or all of it (``end is None``).

    >>> Partition("corpus.txt", 0, 1000, size=2500)
    Partition('corpus.txt', 0, 1000)

    ``size`` is the file's size when it was partitioned: a reader that finds another size refuses
    the file (it changed, and its ranges no longer cover it). None skips the check.
    """

    path: str
    start: int = 0
    end: int | None = None
    size: int | None = None

    @property
    def whole(self) -> bool:
        """True when the partition is a whole file (compressed, or in an encoding that cannot be cut)."""
        return self.end is None

    def __repr__(self) -> str:
        rng = "" if self.end is None else f", {self.start}, {self.end}"
        return f"Partition({self.path!r}{rng})"


def splittable_encoding(encoding: str) -> bool:
    """Whether files in ``encoding`` can be cut after any ``\\n`` byte: it is one in no other
    character, and decoding needs no state from earlier lines (UTF-8, Latin-1, cp949, EUC-KR, ...;
    not UTF-16/32, UTF-7 or the ISO-2022 family).

    >>> splittable_encoding("utf-8"), splittable_encoding("cp949"), splittable_encoding("utf-16")
    (True, True, False)
    """
    info = codecs.lookup(check_encoding(encoding))
    if info.name in ("utf-7", "hz") or info.name.startswith("iso2022"):
        return False
    name = "utf-8" if info.name == "utf-8-sig" else info.name  # its BOM starts the file only
    try:
        return "\n\r a".encode(name) == b"\n\r a"
    except UnicodeError:
        return False


def make_partitions(paths: str | os.PathLike | Sequence[str | os.PathLike],
                    target_bytes: int = DEFAULT_PARTITION_BYTES, *,
                    encoding: str = DEFAULT_ENCODING) -> list[Partition]:
    """The partitions of a corpus, in corpus order: files as the single-machine readers list them,
    plain files cut into ranges of ``target_bytes``.

    >>> with open("corpus.txt", "w", encoding="utf-8") as f:
    ...     _ = f.write("the king rules\\nthe queen rules\\n")
    >>> make_partitions("corpus.txt", target_bytes=15)               # 31 bytes
    [Partition('corpus.txt', 0, 15), Partition('corpus.txt', 15, 30), Partition('corpus.txt', 30, 31)]

    Compressed files (``.gz``, ``.bz2``, ``.xz``) and files in an encoding that cannot be cut
    (:func:`splittable_encoding`) are one partition each; an empty file is one empty range. A
    stream (standard input, a FIFO) is refused: save it to a file first. Nothing but the sizes is
    read: where a range's lines begin and end is found by :func:`read_partition`.
    """
    if not isinstance(target_bytes, int) or isinstance(target_bytes, bool) or target_bytes < 1:
        raise ValueError(f"target_bytes must be a positive integer, got {target_bytes!r}")
    cut = splittable_encoding(encoding)
    out: list[Partition] = []
    for path in corpus_files(paths):
        if is_stream(path):
            raise ValueError(f"{path} is a stream: a cluster reads its corpus from files (save it to a file "
                             f"the workers can read)")
        size = path.stat().st_size
        name = os.fspath(path)
        if not cut or path.suffix.lower() in COMPRESSED_SUFFIXES:
            out.append(Partition(name, 0, None, size))
            continue
        starts = range(0, max(size, 1), target_bytes)
        out.extend(Partition(name, s, min(s + target_bytes, size) if size else 0, size) for s in starts)
    return out


# --------------------------------------------------------------------------------- reading
class _ByteRange(io.RawIOBase):
    """Bytes ``[start, stop)`` of an open binary file, as a raw stream."""

    def __init__(self, fh, start: int, stop: int):
        self._fh, self._pos, self._stop = fh, start, stop

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = min(len(buffer), self._stop - self._pos)
        if want <= 0:
            return 0
        self._fh.seek(self._pos)
        n = self._fh.readinto(memoryview(buffer)[:want]) or 0
        self._pos += n
        return n


def _line_bounds(fh, start: int, end: int, size: int) -> tuple[int, int]:
    """``(first, stop)``: the bytes of the lines that start in ``[start, end)``."""
    if start > 0:
        fh.seek(start - 1)
        if fh.read(1) != b"\n":
            fh.readline()  # the rest of the line that started before `start`: the previous range's
    first = fh.tell() if start > 0 else 0
    if first >= end:
        return first, first
    if end >= size:
        return first, size
    fh.seek(end - 1)
    return first, end - 1 + len(fh.readline())  # through the end of the line holding byte end - 1


def _lines_before(path: str, offset: int) -> int:
    """The number of lines that end before byte ``offset`` (for error messages only)."""
    n = 0
    with open(path, "rb") as fh:
        while offset > 0:
            block = fh.read(min(_BLOCK, offset))
            if not block:
                break
            n += block.count(b"\n")
            offset -= len(block)
    return n


def _range_encoding(encoding: str, first: int) -> str:
    # A BOM is removed only at the start of a file: a later range must keep a leading U+FEFF.
    return "utf-8" if first > 0 and codecs.lookup(encoding).name == "utf-8-sig" else encoding


def _check_size(p: Partition, size: int) -> None:
    if p.size is not None and size != p.size:
        raise ValueError(f"{p.path} changed since the corpus was partitioned ({p.size} bytes then, "
                         f"{size} now); make the partitions again")


def _range_sentences(p: Partition, tok: Tokenizer, encoding: str) -> Iterator[list[str]]:
    """The token lists of the lines that start in ``p``'s range (empty ones skipped), as LineCorpus yields them."""
    lineno, first = 0, 0
    try:
        with open(p.path, "rb") as raw:
            size = os.fstat(raw.fileno()).st_size
            _check_size(p, size)
            first, stop = _line_bounds(raw, p.start, p.end, size)
            fh = io.TextIOWrapper(io.BufferedReader(_ByteRange(raw, first, stop), _BLOCK),
                                  encoding=_range_encoding(encoding, first), errors="strict", newline=None)
            sentences = tok.tokenize_many(fh) if is_batch_tokenizer(tok) else map(tok, fh)
            for lineno, tokens in enumerate(sentences, 1):
                if tokens:
                    yield tokens
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        before = _lines_before(p.path, first) if first else 0
        raise text_read_error(Path(p.path), encoding, exc, before + lineno) from None


def read_partition(p: Partition, tokenizer=None, encoding: str = DEFAULT_ENCODING, *,
                   token_cache: str | os.PathLike | bool | None = None) -> Iterator[list[str]]:
    """The sentences of partition ``p`` (one token list per non-empty line), exactly as the
    single-machine corpus yields those lines.

    >>> with open("corpus.txt", "w", encoding="utf-8") as f:
    ...     _ = f.write("The King rules.\\n\\nThe queen's court.\\n")
    >>> [list(read_partition(p)) for p in make_partitions("corpus.txt", target_bytes=16)]
    [[['the', 'king', 'rules']], [['the', "queen's", 'court']], []]

    ``tokenizer``: a name, a tokenizer, or a description from :func:`tokenizer_spec`.
    ``token_cache``: for a batch tokenizer (``korean``), where the tokens are cached (None: the
    default cache directory of the process, as on one machine; False: no cache). A line that
    does not decode is reported with its file and line number.
    """
    tok = make_tokenizer(tokenizer)
    encoding = check_encoding(encoding)
    cache_dir = _cache_dir(tok, token_cache)
    size = os.stat(p.path).st_size
    if p.whole or (p.start == 0 and p.end >= size):  # all of the file: the single-machine reader (and cache)
        from wordvec.corpus.readers import LineCorpus

        _check_size(p, size)
        if is_batch_tokenizer(tok):
            from wordvec.corpus.cache import CachedCorpus

            yield from CachedCorpus(p.path, tok, encoding=encoding, cache=cache_dir is not None,
                                    cache_dir=cache_dir, progress=False)
        else:
            yield from LineCorpus(p.path, tok, encoding)
        return
    if cache_dir is None:
        yield from _range_sentences(p, tok, encoding)
    else:
        yield from _cached_range(p, tok, encoding, cache_dir)


# --------------------------------------------------------------------------------- token cache
def _cache_dir(tok, token_cache) -> Path | None:
    """Where a batch tokenizer's tokens are cached; None: not cached (other tokenizers, or ``False``)."""
    if token_cache is False or not is_batch_tokenizer(tok) or not callable(getattr(tok, "describe", None)):
        return None
    if token_cache is None or token_cache is True:
        from wordvec.corpus.cache import default_cache_dir

        return default_cache_dir()
    return Path(token_cache).expanduser()


def _cached_range(p: Partition, tok, encoding: str, cache_dir: Path) -> Iterator[list[str]]:
    from wordvec.corpus.cache import _HEADER_KIND, CACHE_FORMAT, _read_cache, _valid_cache

    path = Path(p.path)
    st = path.stat()
    parts = {"format": CACHE_FORMAT, "path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
             "encoding": encoding_key(encoding), "tokenizer": tok.describe(), "range": [p.start, p.end]}
    key = hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    stem = re.sub(r"[^\w.-]+", "_", path.name)[:60]
    target = cache_dir / f"{stem}.{p.start}-{p.end}.{key[:24]}.tokens.gz"
    if _valid_cache(target, key):
        yield from _read_cache(target)
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        writable = os.access(cache_dir, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        warnings.warn(f"cannot write the token cache in {cache_dir}; tokenizing without a cache",
                      RuntimeWarning, stacklevel=3)
        yield from _range_sentences(p, tok, encoding)
        return
    yield from _write_cache(p, tok, encoding, target, {"kind": _HEADER_KIND, "key": key, **parts,
                                                       "source": str(path)})


def _write_cache(p: Partition, tok, encoding: str, target: Path, header: dict) -> Iterator[list[str]]:
    """Tokenize the range, writing the tokens to ``target`` (atomically) as they are yielded."""
    from wordvec.corpus.cache import _WRITE_EVERY, _bad_tokens, _write

    buffer: list[str] = []
    with atomic_write(target) as raw, gzip.GzipFile(filename=target.name[:-3], mode="wb", fileobj=raw,
                                                    compresslevel=6, mtime=0) as gz:
        gz.write((json.dumps(header, ensure_ascii=False) + "\n").encode("utf-8"))
        for n, tokens in enumerate(_range_sentences(p, tok, encoding), 1):
            if type(tokens) is not list:
                tokens = list(tokens)
            line = " ".join(tokens)
            if line.split() != tokens:
                _bad_tokens(Path(p.path), n, tokens)
            buffer.append(line)
            if len(buffer) >= _WRITE_EVERY:
                _write(gz, buffer)
            yield tokens
        if buffer:
            _write(gz, buffer)


# --------------------------------------------------------------------------------- tokenizers
def tokenizer_spec(tokenizer=None):
    """What a worker needs to build ``tokenizer`` itself: a name, a dict of its options, or (a
    callable wordvec does not know) the callable, which Dask then pickles.

    >>> tokenizer_spec("whitespace")
    {'name': 'whitespace', 'lowercase': False}
    >>> make_tokenizer(tokenizer_spec("whitespace"))("The King")
    ['The', 'King']

    A Korean tokenizer's description holds its options and the client's kiwipiepy versions, never
    the analyser; :func:`make_tokenizer` builds it on the worker.
    """
    if isinstance(tokenizer, dict):
        return tokenizer
    tok = get_tokenizer(tokenizer)
    if type(tok) is RegexTokenizer:
        return {"name": "regex", "pattern": tok.pattern, "lowercase": tok.lowercase}
    if type(tok) is WhitespaceTokenizer:
        return {"name": "whitespace", "lowercase": tok.lowercase}
    if type(tok) is PhraseTokenizer:
        return {"name": "phrases", "base": tokenizer_spec(tok.base), "phrases": tok.phrases}
    if type(tok) is KoreanTokenizer:  # the class imports kiwipiepy only when one is made
        d = tok.describe()
        return {"name": "korean", "tags": tok.tags, "drop_particles": tok.drop_particles,
                "drop_endings": tok.drop_endings, "drop_punctuation": tok.drop_punctuation,
                "content_only": tok.content_only, "normalize": tok.normalize, "stopwords": sorted(tok.stopwords),
                "workers": tok.workers, "versions": {k: d.get(k) for k in ("kiwipiepy", "kiwipiepy_model")}}
    return tok


def make_tokenizer(spec=None) -> Tokenizer:
    """The tokenizer a description from :func:`tokenizer_spec` describes (names and tokenizers pass through).

    >>> make_tokenizer({"name": "regex", "pattern": r"\\w+", "lowercase": False})("The King's")
    ['The', 'King', 's']

    On a Dask worker, a Korean tokenizer without ``workers`` gets as many kiwi threads as the worker
    has; a worker whose kiwipiepy (or its model) is another version than the client's is refused.
    """
    if not isinstance(spec, dict):
        return get_tokenizer(spec)
    name = spec.get("name")
    if name == "regex":
        return RegexTokenizer(spec["pattern"], spec["lowercase"])
    if name == "whitespace":
        return WhitespaceTokenizer(lowercase=spec["lowercase"])
    if name == "phrases":
        return PhraseTokenizer(make_tokenizer(spec["base"]), spec["phrases"])
    if name == "korean":
        options = {k: spec[k] for k in ("tags", "drop_particles", "drop_endings", "drop_punctuation",
                                        "content_only", "normalize", "stopwords")}
        tok = KoreanTokenizer(**options, workers=spec.get("workers") or _worker_threads())
        here = {k: tok.describe().get(k) for k in ("kiwipiepy", "kiwipiepy_model")}
        if spec.get("versions") and here != spec["versions"]:
            raise ImportError(f"this worker has {here} but the client {spec['versions']}: the Korean tokens "
                              f"could differ; install the same kiwipiepy and kiwipiepy_model everywhere")
        return tok
    raise ValueError(f"unknown tokenizer description {spec!r}")


def _worker_threads() -> int | None:
    """The thread count of the Dask worker running this code; None outside a worker."""
    try:
        from distributed import get_worker

        return int(get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        return None
