"""The text encoding a corpus is read in: checked once, when a reader is made.

Readers take ``encoding="utf-8"`` (any name :mod:`codecs` knows: ``"latin-1"``, ``"cp949"``,
``"euc-kr"``, ``"utf-8-sig"`` ...). A name Python does not know is refused when the reader is
made, as a ValueError, not when the first file is opened in the middle of a run.
"""

from __future__ import annotations

import codecs

__all__ = ["DEFAULT_ENCODING", "check_encoding", "encoding_key"]

#: The encoding of corpora, tables and token caches unless told otherwise.
DEFAULT_ENCODING = "utf-8"


def check_encoding(encoding: str) -> str:
    """``encoding`` itself, if it names a text codec Python knows; a ValueError otherwise.

    >>> check_encoding("cp949")
    'cp949'
    >>> check_encoding("klingon")
    Traceback (most recent call last):
        ...
    ValueError: unknown encoding 'klingon'; give a name Python knows, such as 'utf-8', ...
    """
    if not isinstance(encoding, str) or not encoding:
        raise TypeError(f"encoding must be a codec name such as 'utf-8' or 'cp949', got {encoding!r}")
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}; give a name Python knows, such as "
                         f"'utf-8', 'latin-1', 'cp949' or 'euc-kr'") from None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64 ...: bytes-to-bytes codecs
        raise ValueError(f"{encoding!r} is not a text encoding")
    return encoding


def encoding_key(encoding: str) -> str:
    """The codec's canonical name (``"Latin1"`` and ``"latin-1"`` -> ``"iso8859-1"``), for cache keys.

    >>> encoding_key("Latin1"), encoding_key("latin-1"), encoding_key("UTF8")
    ('iso8859-1', 'iso8859-1', 'utf-8')
    """
    return codecs.lookup(check_encoding(encoding)).name
