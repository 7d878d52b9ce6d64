"""The colour strip: one row per word, one cell per dimension, red positive, white zero, blue negative.

The picture from Jay Alammar's *Illustrated Word2vec* ("king", "man", "woman", "queen" as
rows of coloured cells): columns that share a colour across rows are dimensions the words
agree on. The colour scale is symmetric around zero (``RdBu_r``), so white always means 0.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wordvec.viz.fonts import label_fonts
from wordvec.viz.plot import new_figure, save_figure
from wordvec.viz.reduce import select_words

__all__ = ["plot_strip"]


def plot_strip(
    kv,
    words: Sequence[str],
    *,
    path: str | os.PathLike[str] | None = None,
    dims: int | None = None,
    normalize: bool = False,
    vmax: float | None = None,
    title: str | None = None,
    colorbar: bool = True,
):
    """Draw the vectors of ``words`` as rows of coloured cells; returns the Figure.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man"], np.random.default_rng(0).normal(size=(3, 50)))
    >>> fig = plot_strip(kv, ["king", "queen", "man"], dims=20, path="strip.png")   # needs the [viz] extra
    >>> len(fig.axes)                                      # the strip and its colour bar
    2

    ``dims`` shows only the first N dimensions; ``normalize`` draws unit vectors; ``vmax``
    fixes the value drawn fully red (and ``-vmax`` fully blue), by default the largest
    absolute value shown. Unknown words raise one KeyError that lists them all.
    """
    words, indices = select_words(kv, words)
    data = (kv.unit_vectors if normalize else kv.vectors)[indices].astype(np.float64)
    if dims is not None:
        if dims < 1:
            raise ValueError(f"dims must be >= 1, got {dims}")
        data = data[:, :dims]
    limit = float(vmax) if vmax is not None else float(np.abs(data).max())
    if not limit > 0:
        limit = 1.0
    n_rows, n_cols = data.shape
    families = label_fonts([*words, title or ""])
    width = min(max(6.0, 0.12 * n_cols + 2.5), 40.0)
    fig = new_figure((width, 0.45 * n_rows + 1.4))
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(data, cmap="RdBu_r", vmin=-limit, vmax=limit,
                         edgecolors="white" if n_cols <= 120 else "face", linewidth=0.4)
    ax.set_ylim(n_rows, 0)  # first word on top
    ax.set_yticks(np.arange(n_rows) + 0.5, labels=words, fontfamily=families, fontsize=11)
    ax.set_xticks([])
    ax.set_xlabel(f"{n_cols} dimensions")
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(left=False)
    if title:
        ax.set_title(title, fontfamily=families)
    if colorbar:
        fig.colorbar(mesh, ax=ax, fraction=0.025, pad=0.01, aspect=max(3, 2 * n_rows))
    if path is not None:
        save_figure(fig, Path(path))
    return fig
