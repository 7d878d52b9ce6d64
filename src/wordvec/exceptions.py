"""Every error class wordvec raises on purpose, in one place (the lowest layer: imports nothing).

Each subclasses the built-in that callers already catch (``ValueError``, ``OSError``, ...), so
``except ValueError`` keeps working; the specific class is there for callers who want it:

>>> from wordvec.exceptions import FormatError
>>> str(FormatError("vectors.txt", "expected 101 fields, found 99", line=17))
'vectors.txt, line 17: expected 101 fields, found 99'
"""

from __future__ import annotations

import os

__all__ = ["FormatError", "NotFittedError", "EmptyVocabularyError", "TrainingDivergedError", "CacheWriteError"]


class FormatError(ValueError):
    """A vector file that does not follow its format.

    >>> error = FormatError("vectors.txt", "expected 101 fields, found 99", line=17)
    >>> print(error)
    vectors.txt, line 17: expected 101 fields, found 99
    >>> error.line
    17

    Every malformed input names the place: the file and the line (text formats) or the byte
    offset (binary formats), e.g. ``vectors.txt, line 17: expected 101 fields, found 99``.

    Attributes
    ----------
    path:
        The file (or directory) as it was given to the reader.
    line:
        1-based line number for text formats, else ``None``.
    offset:
        0-based byte offset for binary formats, else ``None``.
    reason:
        What is wrong, without the location.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        reason: str,
        *,
        line: int | None = None,
        offset: int | None = None,
    ):
        self.path = os.fspath(path)
        self.line = line
        self.offset = offset
        self.reason = reason
        if line is not None:
            where = f"{self.path}, line {line}"
        elif offset is not None:
            where = f"{self.path}, byte {offset}"
        else:
            where = self.path
        super().__init__(f"{where}: {reason}")


class NotFittedError(AttributeError):
    """The model has not been trained yet (call ``fit`` first).

    >>> from wordvec import Word2Vec
    >>> try:
    ...     Word2Vec().wv
    ... except NotFittedError as error:
    ...     print(type(error).__name__)
    ...
    NotFittedError
    """


class EmptyVocabularyError(ValueError):
    """The corpus is empty, or ``min_count``/``max_vocab_size`` pruned every word.

    >>> from wordvec import Vocab
    >>> Vocab.from_counts({"rare": 1, "words": 2}, min_count=5)
    Traceback (most recent call last):
        ...
    wordvec.exceptions.EmptyVocabularyError: min_count=5 removed every word (...); lower min_count
    """


class TrainingDivergedError(RuntimeError):
    """The loss or the vectors became NaN or infinite, or the loss exploded: its running mean rose
    past ``wordvec.train.trainer.DIVERGENCE_RATIO`` times its value at the start of training.

    >>> issubclass(TrainingDivergedError, RuntimeError)
    True
    """


class CacheWriteError(OSError):
    """The token cache could not be written (disk full, ...).

    >>> issubclass(CacheWriteError, OSError)
    True
    """
