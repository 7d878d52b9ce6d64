"""Helpers shared by the corpus tests: writing a small text file, listing a cache directory."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest


def _write(path: Path, lines: list[str]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def _leftovers(cache_dir: Path) -> list[str]:
    return sorted(p.name for p in cache_dir.iterdir()) if cache_dir.exists() else []


@pytest.fixture
def write():
    """``write(path, lines) -> path``: the lines as a UTF-8 text file, gzip'ed for a ``.gz`` path."""
    return _write


@pytest.fixture
def leftovers():
    """``leftovers(cache_dir)``: the sorted names in a cache directory (none if it does not exist)."""
    return _leftovers
