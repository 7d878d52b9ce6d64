"""Restartable corpus readers: each iteration streams the source again from the start.

A corpus is any object whose ``iter()`` yields one list of string tokens per sentence
and can be iterated more than once. Files are read line by line (``.gz``, ``.bz2`` and ``.xz``
decompressed on the fly by :func:`wordvec._files.open_text`, re-exported here and as
``wordvec.corpus.open_text``), so a corpus of any size streams in constant memory; each line is
one sentence. Files are UTF-8 unless the reader is given another ``encoding`` (``"latin-1"``,
``"cp949"``, ...); a line that does not decode is reported with its file and line number.

With a *batch* tokenizer (one with ``tokenize_many``, such as the Korean morpheme tokenizer),
:func:`as_corpus` returns a :class:`~wordvec.corpus.cache.CachedCorpus`: files are tokenized
once, in batches, and the tokens are cached on disk for the next pass and the next run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from wordvec._files import StreamSpool, corpus_files, is_stream, open_text, text_read_error
from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding, encoding_key
from wordvec.corpus.tokenizers import Tokenizer, get_tokenizer, is_batch_tokenizer

__all__ = ["LineCorpus", "TextFiles", "TokenLists", "as_corpus", "open_text", "with_eos"]


class LineCorpus:
    """One text file (``.gz``, ``.bz2``, ``.xz`` too), one sentence per line, tokenized on the fly.

    >>> with open("corpus.txt", "w", encoding="utf-8") as f:
    ...     print("The King rules.", file=f)
    ...     print(file=f)
    ...     print("The queen's court.", file=f)
    ...
    >>> list(LineCorpus("corpus.txt"))                       # the empty line is skipped
    [['the', 'king', 'rules'], ['the', "queen's", 'court']]
    >>> list(LineCorpus("corpus.txt", tokenizer="whitespace"))
    [['The', 'King', 'rules.'], ['The', "queen's", 'court.']]

    Empty lines (and lines with no tokens) are skipped. The file is read as ``encoding`` (UTF-8
    by default; any codec name Python knows, such as ``"latin-1"`` or ``"cp949"``); a line that
    does not decode is an error naming the file and line.
    A batch tokenizer (with ``tokenize_many``) gets the lines in batches; nothing is cached (see
    :class:`~wordvec.corpus.cache.CachedCorpus` for that).
    """

    def __init__(self, path: str | os.PathLike, tokenizer: str | Tokenizer | None = None,
                 encoding: str = DEFAULT_ENCODING):
        self.path = Path(path)
        if not (self.path.is_file() or is_stream(self.path)):
            raise FileNotFoundError(f"corpus file not found: {self.path}")
        # stdin or a FIFO can be read once: the first pass keeps a temporary copy for the others
        self._spool = StreamSpool(self.path) if is_stream(self.path) else None
        self.tokenizer = get_tokenizer(tokenizer)
        self.encoding = check_encoding(encoding)

    def __iter__(self) -> Iterator[list[str]]:
        tok = self.tokenizer
        lineno = 0
        try:
            fh = self._spool.open_text(self.encoding) if self._spool else open_text(self.path, self.encoding)
            with fh:
                sentences = tok.tokenize_many(fh) if is_batch_tokenizer(tok) else map(tok, fh)
                for lineno, tokens in enumerate(sentences, 1):
                    if tokens:
                        yield tokens
        except (UnicodeDecodeError, OSError, EOFError) as exc:
            if self._spool is not None:
                raise self._spool.read_error(self.encoding, exc, lineno) from None
            raise text_read_error(self.path, self.encoding, exc, lineno) from None

    def __repr__(self) -> str:
        return f"LineCorpus({str(self.path)!r}{_encoding_repr(self.encoding)})"


class TextFiles:
    """Several text files, or every regular file in a directory (sorted by name), read in turn,
    all in the same ``encoding``.

    >>> import pathlib
    >>> pathlib.Path("texts").mkdir()
    >>> _ = pathlib.Path("texts/a.txt").write_text("the king rules", encoding="utf-8")
    >>> _ = pathlib.Path("texts/b.txt").write_text("the queen rules", encoding="utf-8")
    >>> list(TextFiles("texts"))                              # every file of the directory, by name
    [['the', 'king', 'rules'], ['the', 'queen', 'rules']]
    """

    def __init__(self, paths: str | os.PathLike | Sequence[str | os.PathLike],
                 tokenizer: str | Tokenizer | None = None, encoding: str = DEFAULT_ENCODING):
        self.tokenizer = get_tokenizer(tokenizer)
        self.encoding = check_encoding(encoding)
        self.files = [LineCorpus(f, self.tokenizer, encoding) for f in corpus_files(paths)]

    def __iter__(self) -> Iterator[list[str]]:
        for f in self.files:
            yield from f

    def __repr__(self) -> str:
        return f"TextFiles({[str(f.path) for f in self.files]!r}{_encoding_repr(self.encoding)})"


class TokenLists:
    """An in-memory corpus: a list (or other re-iterable sequence) of token lists.

    >>> corpus = TokenLists([["the", "king"], ["the", "queen"]])
    >>> len(corpus), list(corpus)
    (2, [['the', 'king'], ['the', 'queen']])
    """

    def __init__(self, sentences: Sequence[Sequence[str]]):
        self.sentences = sentences

    def __iter__(self) -> Iterator[list[str]]:
        for i, sent in enumerate(self.sentences):
            if isinstance(sent, str):
                raise TypeError(
                    f"sentence #{i} is a string, not a list of tokens; split it first or pass "
                    f"a file path to read and tokenize text"
                )
            yield sent

    def __len__(self) -> int:
        return len(self.sentences)


def _encoding_repr(encoding: str) -> str:
    return "" if encoding == DEFAULT_ENCODING else f", encoding={encoding!r}"


def _files_corpus(paths, tokenizer, *, encoding: str, progress: bool | None, cache_dir) -> Iterable[list[str]]:
    tok = get_tokenizer(tokenizer)
    listed = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if any(is_stream(p) for p in listed):  # stdin or a FIFO: spooled by LineCorpus, never cached
        if len(listed) == 1:
            return LineCorpus(listed[0], tok, encoding)
        raise ValueError("a stream (stdin, a FIFO) must be the only corpus input")
    if is_batch_tokenizer(tok):
        from wordvec.corpus.cache import CachedCorpus

        return CachedCorpus(paths, tok, encoding=encoding, cache=callable(getattr(tok, "describe", None)),
                            cache_dir=cache_dir, progress=progress)
    if isinstance(paths, (str, os.PathLike)) and not Path(paths).is_dir():
        return LineCorpus(paths, tok, encoding)
    return TextFiles(paths, tok, encoding)


def as_corpus(source, tokenizer: str | Tokenizer | None = None, *, encoding: str | None = None,
              progress: bool | None = None, cache_dir: str | os.PathLike | None = None) -> Iterable[list[str]]:
    """Turn what a user passes to ``fit`` into a restartable corpus.

    >>> type(as_corpus([["the", "king"], ["the", "queen"]])).__name__
    'TokenLists'
    >>> _ = open("corpus.txt", "w", encoding="utf-8").write("the king rules")
    >>> as_corpus("corpus.txt")
    LineCorpus('corpus.txt')
    >>> as_corpus(iter([["a", "generator"]]))               # read once only: refused
    Traceback (most recent call last):
        ...
    TypeError: the corpus is a one-shot iterator (list_iterator): it would be empty after the ...

    Accepts a path (file or directory), a list of paths, a list of token lists, or any
    re-iterable corpus object. A one-shot iterator (a generator, ``map``, an open file) is
    refused: training reads the corpus more than once and would silently see it empty.

    Files read with a batch tokenizer (``tokenizer="korean"``) become a
    :class:`~wordvec.corpus.cache.CachedCorpus`: tokenized once, in batches, with a progress
    bar (``progress``; None: when stderr is a terminal), the tokens cached in ``cache_dir``
    (default ``$WORDVEC_CACHE_DIR`` or ``~/.cache/wordvec/tokens``) for the next run.

    ``encoding`` is that of the files (None: UTF-8; ``"latin-1"``, ``"cp949"``, ...). A corpus
    object was given its own when it was made (``LineCorpus(path, encoding="cp949")``): a
    different ``encoding`` here is refused rather than ignored. Token lists have none.
    """
    asked, encoding = encoding, check_encoding(DEFAULT_ENCODING if encoding is None else encoding)
    if isinstance(source, (str, os.PathLike)):
        return _files_corpus(source, tokenizer, encoding=encoding, progress=progress, cache_dir=cache_dir)
    if isinstance(source, Iterator) or iter(source) is source:
        raise TypeError(
            f"the corpus is a one-shot iterator ({type(source).__name__}): it would be empty after "
            f"the first pass. Pass a list of token lists, a file path, or a restartable corpus "
            f"such as wordvec.corpus.LineCorpus"
        )
    if isinstance(source, (list, tuple)) and source and all(isinstance(x, (str, os.PathLike)) for x in source):
        if all(isinstance(x, os.PathLike) or os.path.exists(x) or is_stream(x) for x in source):
            return _files_corpus(list(source), tokenizer, encoding=encoding, progress=progress,
                                 cache_dir=cache_dir)
    if isinstance(source, Sequence):
        return TokenLists(source)
    own = getattr(source, "encoding", None)
    if asked is not None and isinstance(own, str) and encoding_key(own) != encoding_key(asked):
        raise ValueError(f"{source!r} reads its files as {own}; encoding={asked!r} cannot apply to it "
                         f"(give the encoding to the corpus object, or pass the path)")
    return source


def with_eos(sentences):
    """``sentences``, each followed by fastText's end-of-line word ``</s>`` (:data:`~wordvec.vocab.subwords.EOS`).

    >>> list(with_eos([["the", "king"], []]))
    [['the', 'king', '</s>'], ['</s>']]

    Anything that is not a sentence (a string) passes unchanged, for the reader to name it.
    """
    from wordvec.vocab.subwords import EOS  # here: the command line imports this module, never numba

    for sent in sentences:
        yield sent if isinstance(sent, str) else [*sent, EOS]
