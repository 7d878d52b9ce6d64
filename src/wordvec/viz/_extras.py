"""Import guards for the optional dependencies of :mod:`wordvec.viz` and :mod:`wordvec.web`.

A missing extra raises an ImportError that names the command to install it (as umap's
``plot.py`` does), so ``import wordvec`` never needs them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["VIZ_HINT", "WEB_HINT", "require"]

VIZ_HINT = "pip install 'wordvec[viz]'"
WEB_HINT = "pip install 'wordvec[web]'"

#: import name -> the name pip knows it by.
_PIP_NAMES = {"sklearn": "scikit-learn", "umap": "umap-learn", "adjustText": "adjustText"}


def require(module: str, purpose: str, extra: str = "viz") -> ModuleType:
    """Import ``module`` or raise an ImportError naming what needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        package = _PIP_NAMES.get(top, top)
        hint = WEB_HINT if extra == "web" else VIZ_HINT
        raise ImportError(f"{purpose} needs {package}, which is not installed: {hint}") from exc
