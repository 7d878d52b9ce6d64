"""Import guards for the optional dependencies of :mod:`wordvec.torch`.

A missing extra raises an ImportError that names the command to install it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require_torch"]

TORCH_HINT = "pip install 'wordvec[torch]'"


def require_torch() -> ModuleType:
    """Return the ``torch`` module, or raise an ImportError that says how to install it."""
    try:
        return importlib.import_module("torch")
    except ImportError as exc:
        raise ImportError(
            f"wordvec.torch needs PyTorch, which is not installed: {TORCH_HINT}") from exc
