"""A corpus tokenized once: the token stream of each text file is cached on disk.

Morphological analysis (the Korean tokenizer) reads a few thousand lines a second, far
slower than training, so :class:`CachedCorpus` tokenizes each file once, in batches, and
writes the tokens to a cache file named by a key: the next iteration, and the next training
run on the same file with the same tokenizer settings, reads the cache instead.

Cache files are gzip'ed text: a first line holding a JSON header (the key and what it was
made of), then one sentence per line, tokens separated by single spaces; lines with no token
are not written, exactly as :class:`~wordvec.corpus.LineCorpus` skips them. They are written
atomically (a temporary file renamed into place), so an interrupted or failed run leaves no
partial cache. The key is a SHA-256 of the file's resolved path, size and modification time,
the encoding (its canonical codec name: ``"latin-1"`` and ``"latin1"`` are one), ``tokenizer.describe()``
and :data:`CACHE_FORMAT`: editing the file, reading it in another encoding or changing any
tokenizer option makes a new cache file (old ones are left for you to delete). Cache files
themselves are always UTF-8.

The cache directory is ``cache_dir``, else ``$WORDVEC_CACHE_DIR``, else
``$XDG_CACHE_HOME/wordvec/tokens`` (``~/.cache/wordvec/tokens``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

from wordvec._files import corpus_files, open_counting, text_read_error

from wordvec._saving import atomic_write
from wordvec._progress import ProgressBar, show_progress
from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding, encoding_key
from wordvec.exceptions import CacheWriteError

__all__ = ["CachedCorpus", "CACHE_FORMAT", "CACHE_DIR_ENV", "default_cache_dir"]

#: Version of the cache file layout; part of every key, so a new layout never reads an old file.
CACHE_FORMAT = 1
#: Environment variable naming the cache directory.
CACHE_DIR_ENV = "WORDVEC_CACHE_DIR"
_HEADER_KIND = "wordvec token cache"
_WRITE_EVERY = 2048  # sentences buffered before one write to the gzip stream
_PROGRESS_EVERY = 256  # sentences between progress-bar updates


def default_cache_dir() -> Path:
    """``$WORDVEC_CACHE_DIR``, else ``$XDG_CACHE_HOME/wordvec/tokens``, else ``~/.cache/wordvec/tokens``.

    >>> import os
    >>> os.environ["WORDVEC_CACHE_DIR"] = "/tmp/my-token-cache"
    >>> default_cache_dir()
    PosixPath('/tmp/my-token-cache')
    """
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "wordvec" / "tokens"


class CachedCorpus:
    """Text files tokenized in batches by ``tokenizer.tokenize_many``, the tokens cached on disk.

    >>> from wordvec.corpus import KoreanTokenizer       # any tokenizer with tokenize_many (needs [ko] here)
    >>> with open("reviews.txt", "w", encoding="utf-8") as f:
    ...     print("영화가 정말 재미있었다", file=f)
    ...
    >>> corpus = CachedCorpus("reviews.txt", KoreanTokenizer(), cache_dir="cache/", progress=False)
    >>> list(corpus)                                     # tokenized once, then written to cache/
    [['영화', '정말', '재미있', '었', '다']]
    >>> len(list(__import__("pathlib").Path("cache").iterdir())), list(corpus) == list(corpus)
    (1, True)

    Iterating yields one list of tokens per line that has any (restartable: every iteration
    reads again). The first iteration over a file tokenizes it with a progress bar and writes
    the cache as it goes; later iterations, and later ``CachedCorpus`` objects over the same
    unchanged file with an equal tokenizer, read the cache and never call the tokenizer.

    Parameters
    ----------
    paths:
        A text file (``.gz``, ``.bz2``, ``.xz`` too; one sentence per line), a directory (its
        files, sorted by name) or a list of them. Each file has its own cache file.
    encoding:
        The files' text encoding (default UTF-8; ``"cp949"``, ``"euc-kr"``, ``"latin-1"`` ...).
        It is part of the cache key: the same file read in another encoding is tokenized again.
    tokenizer:
        An object with ``tokenize_many(lines) -> iterator of token lists`` (in order, one per
        line) and, for caching, ``describe() -> dict`` naming every setting that changes the
        tokens (:class:`~wordvec.corpus.korean.KoreanTokenizer` has both).
    cache:
        False: no cache is read or written, every iteration tokenizes again.
    cache_dir:
        Where cache files go (created if needed); default :func:`default_cache_dir`.
    progress:
        Show a progress bar while tokenizing; None (default): only where a person watches (stderr
        is a terminal, or a notebook; see :func:`wordvec._progress.show_progress`).

    After an iteration, ``cache_hit`` is True when every file came from the cache (None before
    the first); ``hits`` / ``misses`` count files read from / written to the cache over all
    iterations; ``seconds_tokenizing`` sums the time spent tokenizing and writing (the time the
    consumer spends between sentences is not counted); ``cache_paths`` lists the cache files.
    """

    def __init__(self, paths: str | os.PathLike | Sequence[str | os.PathLike], tokenizer, *,
                 encoding: str = DEFAULT_ENCODING, cache: bool = True, cache_dir: str | os.PathLike | None = None,
                 progress: bool | None = None):
        if not callable(getattr(tokenizer, "tokenize_many", None)):
            raise TypeError(f"CachedCorpus needs a tokenizer with tokenize_many(lines); "
                            f"{type(tokenizer).__name__} has none (use LineCorpus or TextFiles)")
        if cache and not callable(getattr(tokenizer, "describe", None)):
            raise TypeError(f"caching needs the tokenizer's settings: {type(tokenizer).__name__} has no "
                            f"describe() method; pass cache=False")
        self.files = corpus_files(paths)
        self.tokenizer = tokenizer
        self.encoding = check_encoding(encoding)
        self.cache = bool(cache)
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        self.progress = progress
        self.cache_hit: bool | None = None
        self.hits = 0
        self.misses = 0
        self.seconds_tokenizing = 0.0

    # ------------------------------------------------------------------ keys and paths
    def _key(self, path: Path) -> tuple[str, dict]:
        st = path.stat()
        parts = {"format": CACHE_FORMAT, "path": str(path.resolve()), "size": st.st_size,
                 "mtime_ns": st.st_mtime_ns, "encoding": encoding_key(self.encoding), "tokenizer": self.tokenizer.describe()}
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest(), parts

    def _cache_file(self, path: Path, key: str) -> Path:
        stem = re.sub(r"[^\w.-]+", "_", path.name)[:60]
        return self.cache_dir / f"{stem}.{key[:24]}.tokens.gz"

    @property
    def cache_paths(self) -> list[Path]:
        """The cache file of each source file, as the files and tokenizer are now (None when ``cache=False``)."""
        return [self._cache_file(p, self._key(p)[0]) if self.cache else None for p in self.files]

    @property
    def cache_path(self) -> Path | None:
        """The cache file of a one-file corpus (see :attr:`cache_paths` for several files)."""
        if len(self.files) != 1:
            raise ValueError(f"this corpus has {len(self.files)} files; use cache_paths")
        return self.cache_paths[0]

    def is_cached(self) -> bool:
        """True when every file has a valid cache file (the next iteration would be all hits)."""
        if not self.cache:
            return False
        for p in self.files:
            key, _ = self._key(p)
            if not _valid_cache(self._cache_file(p, key), key):
                return False
        return True

    # ------------------------------------------------------------------ iteration
    def __iter__(self) -> Iterator[list[str]]:
        all_hits = True
        self.cache_hit = None
        for path in self.files:
            if self.cache:
                key, parts = self._key(path)
                target = self._cache_file(path, key)
                if _valid_cache(target, key):
                    self.hits += 1
                    yield from _read_cache(target)
                    continue
                all_hits = False
                self.cache_hit = False
                self.misses += 1
                yield from self._tokenize_to_cache(path, target, key, parts)
            else:
                all_hits = False
                self.cache_hit = False
                yield from self._tokenize(path, None)
        self.cache_hit = all_hits

    def _tokenize_to_cache(self, path: Path, target: Path, key: str, parts: dict) -> Iterator[list[str]]:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            writable = os.access(self.cache_dir, os.W_OK)
        except OSError:
            writable = False
        if not writable:
            warnings.warn(f"cannot write the token cache in {self.cache_dir}; tokenizing without a cache "
                          f"(set {CACHE_DIR_ENV} or pass cache_dir=...)", RuntimeWarning, stacklevel=3)
            yield from self._tokenize(path, None)
            return
        header = {"kind": _HEADER_KIND, "key": key, **parts, "source": str(path)}
        with atomic_write(target) as raw, gzip.GzipFile(filename=target.name[:-3], mode="wb", fileobj=raw,
                                                        compresslevel=6, mtime=0) as gz:
            gz.write((json.dumps(header, ensure_ascii=False) + "\n").encode("utf-8"))
            yield from self._tokenize(path, gz)

    def _tokenize(self, path: Path, sink) -> Iterator[list[str]]:
        """Yield the token lists of ``path``; write them to ``sink`` (a binary stream) when given."""
        show = show_progress(self.progress)
        buffer: list[str] = []
        lineno = 0
        spent = 0.0
        t0 = time.perf_counter()
        fh, raw = open_counting(path, self.encoding)
        try:
            bar = ProgressBar(max(os.path.getsize(path), 1), f"tokenizing {path.name}", show, unit="bytes",
                              rate_unit="lines")
            with fh, bar:
                for lineno, tokens in enumerate(self.tokenizer.tokenize_many(fh), 1):
                    if not tokens:
                        continue
                    if type(tokens) is not list:
                        tokens = list(tokens)
                    if sink is not None:
                        line = " ".join(tokens)
                        if line.split() != tokens:
                            _bad_tokens(path, lineno, tokens)
                        buffer.append(line)
                        if len(buffer) >= _WRITE_EVERY:
                            _write(sink, buffer)
                    if lineno % _PROGRESS_EVERY == 0:
                        bar.update(raw.tell(), count=lineno)
                    spent += time.perf_counter() - t0
                    yield tokens
                    t0 = time.perf_counter()
                if sink is not None and buffer:
                    _write(sink, buffer)
                bar.update(os.path.getsize(path), count=lineno)
        except CacheWriteError:
            raise
        except (UnicodeDecodeError, OSError, EOFError) as exc:
            raise text_read_error(path, self.encoding, exc, lineno) from None
        finally:
            raw.close()  # a decompressor does not close the file object it was given
            self.seconds_tokenizing += spent + (time.perf_counter() - t0)

    def __repr__(self) -> str:
        names = [str(f) for f in self.files]
        where = repr(names[0]) if len(names) == 1 else repr(names)
        enc = "" if self.encoding == DEFAULT_ENCODING else f", encoding={self.encoding!r}"
        return f"CachedCorpus({where}, {self.tokenizer!r}{enc}, cache={self.cache})"


def _write(sink, buffer: list[str]) -> None:
    buffer.append("")
    try:
        sink.write("\n".join(buffer).encode("utf-8"))
    except OSError as exc:
        raise CacheWriteError(f"cannot write the token cache: {exc}") from exc
    buffer.clear()


def _bad_tokens(path: Path, lineno: int, tokens: Sequence[str]) -> None:
    bad = next((t for t in tokens if not isinstance(t, str) or not t or t != "".join(t.split())), None)
    raise ValueError(f"{path}, line {lineno}: the tokenizer returned the token {bad!r}, which cannot be "
                     f"cached (tokens must be non-empty strings without whitespace)")


def _read_header(fh) -> dict | None:
    first = fh.readline()
    try:
        header = json.loads(first)
    except ValueError:
        return None
    return header if isinstance(header, dict) and header.get("kind") == _HEADER_KIND else None


def _valid_cache(target: Path, key: str) -> bool:
    """True when ``target`` exists and its header holds ``key`` (a damaged body is found when read)."""
    if not target.is_file():
        return False
    try:
        with gzip.open(target, "rt", encoding="utf-8") as fh:
            header = _read_header(fh)
    except (OSError, EOFError, UnicodeDecodeError):
        return False
    return header is not None and header.get("key") == key


def _read_cache(target: Path) -> Iterator[list[str]]:
    lineno = 1
    try:
        with gzip.open(target, "rt", encoding="utf-8", newline="\n") as fh:
            _read_header(fh)
            for lineno, line in enumerate(fh, 2):
                yield line.split()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ValueError(f"{target}, after line {lineno}: the token cache is damaged ({exc}); "
                         f"delete it and run again") from None

