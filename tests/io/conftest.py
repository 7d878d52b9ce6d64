"""Fixtures shared by the file-format tests."""

from __future__ import annotations

import mmap

import numpy as np
import pytest


def _is_file_backed(array: np.ndarray) -> bool:
    """True if the array's memory is an mmap (np.asarray may have dropped the np.memmap class)."""
    while array is not None:
        if isinstance(array, (np.memmap, mmap.mmap)):
            return True
        array = getattr(array, "base", None)
    return False


@pytest.fixture
def is_file_backed():
    """The check ``is_file_backed(array)``: is the array's memory a memory-mapped file?"""
    return _is_file_backed
