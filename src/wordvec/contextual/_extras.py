"""Import guards: a missing optional dependency raises one ImportError line naming the install command.

The biLM needs the ``[torch]`` extra: PyTorch, safetensors (the saved weights) and h5py (AllenNLP's
weight files).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["INSTALL_HINT", "require"]

INSTALL_HINT = "pip install 'wordvec[torch]'"
_WHAT = {"torch": "PyTorch", "safetensors": "safetensors", "h5py": "h5py"}


def require(module: str) -> ModuleType:
    """Import ``module`` (``"torch"``, ``"safetensors.torch"``, ``"h5py"``), or raise an ImportError
    that names it and the install command."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise ImportError(f"wordvec.contextual (ELMo) needs {_WHAT.get(top, top)}, which is not installed: "
                          f"{INSTALL_HINT}") from exc
