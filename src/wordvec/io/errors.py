"""Errors raised by the readers in :mod:`wordvec.io`.

Every malformed input names the place: the file and the line (text formats) or the
byte offset (binary formats), e.g. ``vectors.txt, line 17: expected 101 fields, found 99``.
"""

from __future__ import annotations

import os

__all__ = ["FormatError"]


class FormatError(ValueError):
    """A vector file that does not follow its format.

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
