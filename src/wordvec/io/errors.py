"""Compatibility home of :class:`FormatError`; the class lives in :mod:`wordvec.exceptions`."""

from wordvec.exceptions import FormatError

__all__ = ["FormatError"]
