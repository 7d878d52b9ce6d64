"""Static plots with matplotlib: a labelled scatter of words and an analogy plot (PNG, SVG, PDF).

Figures are built with :class:`matplotlib.figure.Figure` and an Agg canvas, never pyplot, so
no global backend is switched and nothing opens a window. Labels are moved apart with
adjustText (its ``adjust_text`` nudges overlapping labels and draws a thin leader line), and
use :func:`wordvec.viz.fonts.label_fonts` so Korean labels render as glyphs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from wordvec.viz._extras import require
from wordvec.viz.fonts import label_fonts
from wordvec.viz.reduce import METHOD_NAMES, reduce

__all__ = ["FIGURE_FORMATS", "new_figure", "plot_analogy", "plot_words", "save_figure"]

FIGURE_FORMATS = ("png", "svg", "pdf")
#: adjustText is roughly quadratic in the number of labels; above this, labels get a fixed offset.
ADJUST_LIMIT = 200
_OTHER = "(other)"


def new_figure(figsize: tuple[float, float]):
    """A Figure with an Agg canvas attached (savefig switches canvas for SVG and PDF by itself)."""
    figure = require("matplotlib.figure", "plotting")
    agg = require("matplotlib.backends.backend_agg", "plotting")
    fig = figure.Figure(figsize=figsize, layout="constrained")
    agg.FigureCanvasAgg(fig)
    return fig


def save_figure(fig, path: str | os.PathLike[str], dpi: int = 150) -> Path:
    """Write ``fig`` atomically; the format comes from the suffix (.png, .svg or .pdf)."""
    from wordvec._saving import atomic_write

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"cannot tell the image format of {path}: use a name ending in "
                         + ", ".join(f".{f}" for f in FIGURE_FORMATS))
    with atomic_write(path) as f:
        fig.savefig(f, format=fmt, dpi=dpi, bbox_inches="tight")
    return path


def _group_labels(kv, words: Sequence[str], indices: np.ndarray, groups: Mapping[str, str] | None,
                  clusters: int | None, seed: int) -> list[str] | None:
    if groups is not None and clusters is not None:
        raise ValueError("give groups or clusters, not both")
    if groups is not None:
        return [str(groups.get(w, _OTHER)) for w in words]
    if clusters is None:
        return None
    if not 1 <= clusters <= len(words):
        raise ValueError(f"clusters must be between 1 and the number of words ({len(words)}), got {clusters}")
    cluster = require("sklearn.cluster", "k-means colouring")
    km = cluster.KMeans(n_clusters=clusters, random_state=seed, n_init=10)
    assigned = km.fit_predict(kv.unit_vectors[indices].astype(np.float64))
    return [f"cluster {int(c) + 1}" for c in assigned]


def _palette(labels: Sequence[str]) -> dict[str, tuple]:
    colormaps = require("matplotlib", "plotting").colormaps
    names = list(dict.fromkeys(x for x in labels if x != _OTHER))
    cmap = colormaps["tab10" if len(names) <= 10 else "tab20"]
    colours = {name: cmap(i % cmap.N) for i, name in enumerate(names)}
    colours[_OTHER] = (0.6, 0.6, 0.6, 1.0)
    return colours


def _label(ax, xs, ys, words: Sequence[str], families: list[str], fontsize: float) -> None:
    texts = [ax.text(x, y, w, fontsize=fontsize, fontfamily=families) for x, y, w in zip(xs, ys, words)]
    if 1 < len(texts) <= ADJUST_LIMIT:
        adjust_text = require("adjustText", "readable plot labels").adjust_text
        adjust_text(texts, x=np.asarray(xs), y=np.asarray(ys), ax=ax,
                    arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.5})
    else:
        for t in texts:  # too many labels to move apart: a fixed nudge up-right keeps them off their markers
            t.set_transform(t.get_transform() + _offset(ax, 3, 3))


def _offset(ax, dx_points: float, dy_points: float):
    transforms = require("matplotlib.transforms", "plotting")
    return transforms.ScaledTranslation(dx_points / 72, dy_points / 72, ax.figure.dpi_scale_trans)


def plot_words(
    kv,
    words: Iterable[str] | None = None,
    top: int | None = None,
    *,
    method: str = "pca",
    seed: int = 0,
    groups: Mapping[str, str] | None = None,
    clusters: int | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
    figsize: tuple[float, float] = (10, 8),
    fontsize: float = 9,
):
    """A 2-D labelled scatter of ``words`` (or the ``top`` most frequent keys), reduced by ``method``.

    Points are coloured by ``groups`` (word -> group name; others are grey) or by
    ``clusters`` k-means clusters of the full vectors. Saved to ``path`` when given (PNG, SVG
    or PDF by suffix). Returns the matplotlib Figure.
    """
    if words is None and top is None:
        top = 100
    red = reduce(kv, words=words, top=top, method=method, dims=2, seed=seed)
    labels = _group_labels(kv, red.words, red.indices, groups, clusters, seed)
    families = label_fonts([*red.words, *(labels or []), title or ""])
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    xs, ys = red.coords[:, 0], red.coords[:, 1]
    if labels is None:
        ax.scatter(xs, ys, s=18, color="tab:blue", alpha=0.8)
    else:
        colours = _palette(labels)
        for name, colour in colours.items():
            mask = np.array([x == name for x in labels])
            if mask.any():
                ax.scatter(xs[mask], ys[mask], s=18, color=colour, alpha=0.85, label=name)
        ax.legend(loc="best", fontsize=fontsize, prop={"family": families, "size": fontsize})
    _label(ax, xs, ys, red.words, families, fontsize)
    ax.set_title(title or f"{METHOD_NAMES[method]} of {len(red)} words",
                 fontfamily=families)
    ax.set_xticks([])
    ax.set_yticks([])
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_analogy(
    kv,
    pairs: Sequence[tuple[str, str]],
    *,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (8, 6),
    fontsize: float = 11,
):
    """Draw each pair ``(a, b)`` as an arrow a → b, e.g. ``[("man", "woman"), ("king", "queen")]``.

    The plane is chosen so that offsets show: the x axis is the mean offset ``b - a`` (unit
    vectors), the y axis the main direction of the words once that offset is removed. The
    first pair's offset is also drawn (dashed) from the start of every other pair, so
    ``man → woman`` appears copied onto ``king``, parallel to ``king → queen``; where the
    vectors hold the analogy its tip lands near ``queen``.
    """
    pairs = [tuple(p) for p in pairs]
    if len(pairs) < 2 or any(len(p) != 2 for p in pairs):
        raise ValueError("pairs must hold at least two (a, b) pairs, e.g. [('man', 'woman'), ('king', 'queen')]")
    words = list(dict.fromkeys(w for p in pairs for w in p))
    from wordvec.viz.reduce import select_words

    _, indices = select_words(kv, words)  # one KeyError listing every unknown word
    unit = kv.unit_vectors.astype(np.float64)
    vec = {w: unit[i] for w, i in zip(words, indices)}
    offsets = np.array([vec[b] - vec[a] for a, b in pairs])
    axis_x = offsets.mean(axis=0)
    if np.linalg.norm(axis_x) == 0:
        raise ValueError("the pairs' offsets cancel out: nothing to draw")
    axis_x /= np.linalg.norm(axis_x)
    x = np.array([vec[w] for w in words])
    rest = x - np.outer(x @ axis_x, axis_x)
    rest -= rest.mean(axis=0)
    _, _, vt = np.linalg.svd(rest, full_matrices=False)
    axis_y = vt[0]
    proj = {w: np.array([vec[w] @ axis_x, vec[w] @ axis_y]) for w in words}

    families = label_fonts([*words, title or ""])
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    colormaps = require("matplotlib", "plotting").colormaps
    cmap = colormaps["tab10"]
    points = []
    for k, (a, b) in enumerate(pairs):
        pa, pb = proj[a], proj[b]
        ax.annotate("", xy=pb, xytext=pa,
                    arrowprops={"arrowstyle": "-|>", "color": cmap(k % 10), "lw": 2, "shrinkA": 4, "shrinkB": 4})
        points += [pa, pb]
    a0, b0 = pairs[0]
    shift = proj[b0] - proj[a0]
    for a, _ in pairs[1:]:
        tip = proj[a] + shift
        ax.annotate("", xy=tip, xytext=proj[a],
                    arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.2, "ls": "--", "shrinkA": 4, "shrinkB": 0})
        ax.text(tip[0], tip[1], f" {a} − {a0} + {b0}", fontsize=fontsize * 0.8, color="0.35",
                fontfamily=families, va="center")
        points.append(tip)
    pts = np.array(points)
    ax.scatter([proj[w][0] for w in words], [proj[w][1] for w in words], s=30, color="black", zorder=3)
    for w in words:
        ax.annotate(w, proj[w], xytext=(5, 5), textcoords="offset points", fontsize=fontsize, fontfamily=families)
    pad = 0.15 * max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1]), 1e-6)
    ax.set_xlim(pts[:, 0].min() - pad, pts[:, 0].max() + pad)
    ax.set_ylim(pts[:, 1].min() - pad, pts[:, 1].max() + pad)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("mean offset direction")
    ax.set_ylabel("main remaining direction")
    ax.set_title(title or "  ".join(f"{a} → {b}" for a, b in pairs), fontfamily=families)
    if path is not None:
        save_figure(fig, path)
    return fig
