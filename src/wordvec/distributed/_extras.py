"""Import guard for :mod:`wordvec.distributed`: Dask's ``distributed`` is the ``[dask]`` extra.

A missing extra raises one ImportError line naming the install command. Only the functions that
start or reach a cluster import it; :mod:`wordvec.distributed.partitions` never needs it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["INSTALL_HINT", "require_distributed"]

INSTALL_HINT = "pip install 'wordvec[dask]'"


def require_distributed() -> ModuleType:
    """Return the ``distributed`` module (Dask.distributed), or raise an ImportError that says how
    to install it."""
    try:
        return importlib.import_module("distributed")
    except ImportError as exc:
        raise ImportError(f"wordvec.distributed needs Dask's distributed scheduler, which is not installed: "
                          f"{INSTALL_HINT}") from exc
