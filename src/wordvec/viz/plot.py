"""Static plots with matplotlib: a labelled scatter of words and an analogy plot (PNG, SVG, PDF).

Figures are built with :class:`matplotlib.figure.Figure` and an Agg canvas, never pyplot, so
no global backend is switched and nothing opens a window. Labels use
:func:`wordvec.viz.fonts.label_fonts` so Korean labels render as glyphs.

Label placement (:func:`place_labels`): every label's box is measured with the renderer
(``Text.get_window_extent``), then labels are placed greedily, most frequent word first, at the
first of eight positions around their point (right, up-right, left, above, below, ...) where the
box overlaps no label already placed and stays inside the axes, preferring positions that cover
no other point; a second ring further out, with a thin leader line, is tried next. A label that
fits nowhere is dropped and its word drawn as a small dot, and the caption says how many were
labelled. So no two labels ever overlap, whatever the number of words. (adjustText, which moves
all labels apart iteratively, was used before: it is quadratic, cannot promise zero overlaps,
and left the dense centre of a 200-word PCA illegible.)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from wordvec.viz._extras import require
from wordvec.viz.fonts import label_fonts
from wordvec.viz.reduce import METHOD_NAMES, reduce

__all__ = ["FIGURE_FORMATS", "LABEL_DIRECTIONS", "natural_order", "new_figure", "place_labels", "plot_analogy",
           "plot_words", "save_figure"]

FIGURE_FORMATS = ("png", "svg", "pdf")
_OTHER = "(other)"
#: Directions tried around each point, in order of preference: right, up-right, left, above, below,
#: up-left, down-right, down-left (unit steps; the label box is aligned on the side facing the point).
LABEL_DIRECTIONS = ((1, 0), (1, 1), (-1, 0), (0, 1), (0, -1), (-1, 1), (1, -1), (-1, -1))
#: Marker area (points^2) of labelled words and of the words drawn as dots only.
_LABELLED_SIZE, _DOT_SIZE = 18.0, 7.0


def new_figure(figsize: tuple[float, float]):
    """A Figure with an Agg canvas attached (savefig switches canvas for SVG and PDF by itself).

    >>> fig = new_figure((4, 3))                           # no pyplot: no GUI backend, no global state
    >>> type(fig).__name__, fig.get_size_inches().tolist()
    ('Figure', [4.0, 3.0])
    """
    figure = require("matplotlib.figure", "plotting")
    agg = require("matplotlib.backends.backend_agg", "plotting")
    fig = figure.Figure(figsize=figsize, layout="constrained")
    agg.FigureCanvasAgg(fig)
    return fig


def save_figure(fig, path: str | os.PathLike[str], dpi: int = 150) -> Path:
    """Write ``fig`` atomically; the format comes from the suffix (.png, .svg or .pdf).

    >>> fig = new_figure((3, 2))
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> save_figure(fig, "line.pdf").name                  # written atomically; the suffix picks the format
    'line.pdf'
    """
    from wordvec._saving import atomic_write

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"cannot tell the image format of {path}: use a name ending in "
                         + ", ".join(f".{f}" for f in FIGURE_FORMATS))
    with atomic_write(path) as f:
        fig.savefig(f, format=fmt, dpi=dpi, bbox_inches="tight")
    return path


def place_labels(
    anchors: np.ndarray,
    sizes: np.ndarray,
    *,
    bounds: tuple[float, float, float, float],
    gap: float = 3.0,
    rings: Sequence[float] = (1.0, 4.0),
    pad: float = 1.0,
    marker_radius: float = 0.0,
    diagonal: float = float(np.sqrt(0.5)),
) -> tuple[np.ndarray, np.ndarray]:
    """Place label boxes greedily, in the order given (most important first), so that none overlap.

    >>> import numpy as np
    >>> anchors = np.array([[10.0, 10.0], [11.0, 10.0]])   # two points almost on top of each other
    >>> sizes = np.array([[20.0, 8.0], [20.0, 8.0]])
    >>> offsets, ring = place_labels(anchors, sizes, bounds=(0, 0, 100, 100))
    >>> offsets.shape, ring.tolist()                       # the second label had to move to the outer ring
    ((2, 2), [0, 1])

    ``anchors`` (n, 2) are the points, ``sizes`` (n, 2) the width and height of each label's box,
    ``bounds`` ``(x0, y0, x1, y1)`` the area every box must stay inside, all in one unit with y
    pointing up (e.g. typographic points). Each label tries the :data:`LABEL_DIRECTIONS` at
    ``gap * ring`` from its point (``gap * ring * diagonal`` along each axis for the diagonal
    directions), ring by ring; it takes the first position whose box (grown by
    ``pad``) overlaps no label placed before it and lies inside ``bounds``, preferring, among
    those, one that covers the fewest other points (discs of ``marker_radius``). A label with no
    such position is dropped.

    Returns ``offsets`` (n, 2): the lower-left corner of each box relative to its anchor (NaN for
    a dropped label), and ``ring`` (n,): the index in ``rings`` where it was placed, -1 if dropped.
    Pure NumPy, deterministic; O(n^2) in the worst case, a fraction of a second for 2,000 labels.
    """
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    sizes = np.asarray(sizes, dtype=np.float64).reshape(-1, 2)
    if anchors.shape != sizes.shape:
        raise ValueError(f"anchors and sizes must have the same shape, got {anchors.shape} and {sizes.shape}")
    n = len(anchors)
    offsets = np.full((n, 2), np.nan)
    ring_of = np.full(n, -1, dtype=np.int64)
    placed = np.empty((n, 4))  # x0, y0, x1, y1 of the boxes placed so far
    k = 0
    bx0, by0, bx1, by1 = bounds
    directions = np.array(LABEL_DIRECTIONS, dtype=np.float64)
    step = np.where(np.all(directions != 0, axis=1), diagonal, 1.0)
    for i in range(n):
        w, h = sizes[i]
        best = None
        for r, ring in enumerate(rings):
            g = gap * ring * step
            ux, uy = directions[:, 0], directions[:, 1]
            left = np.where(ux > 0, g, np.where(ux < 0, -g - w, -w / 2)) + anchors[i, 0]
            bottom = np.where(uy > 0, g, np.where(uy < 0, -g - h, -h / 2)) + anchors[i, 1]
            boxes = np.stack([left, bottom, left + w, bottom + h], axis=1)
            ok = (boxes[:, 0] >= bx0) & (boxes[:, 1] >= by0) & (boxes[:, 2] <= bx1) & (boxes[:, 3] <= by1)
            if k:
                p = placed[:k]
                clash = ((boxes[:, None, 0] < p[None, :, 2] + pad) & (p[None, :, 0] < boxes[:, None, 2] + pad)
                         & (boxes[:, None, 1] < p[None, :, 3] + pad) & (p[None, :, 1] < boxes[:, None, 3] + pad))
                ok &= ~clash.any(axis=1)
            if not ok.any():
                continue
            candidates = np.flatnonzero(ok)
            if marker_radius > 0 and n > 1:
                others = np.delete(anchors, i, axis=0)
                cb = boxes[candidates]
                covered = ((others[None, :, 0] > cb[:, None, 0] - marker_radius)
                           & (others[None, :, 0] < cb[:, None, 2] + marker_radius)
                           & (others[None, :, 1] > cb[:, None, 1] - marker_radius)
                           & (others[None, :, 1] < cb[:, None, 3] + marker_radius)).sum(axis=1)
                c = candidates[int(np.argmin(covered))]  # argmin: the first of the least covering
            else:
                c = candidates[0]
            best = (r, boxes[c])
            break
        if best is None:
            continue
        r, box = best
        placed[k] = box
        k += 1
        offsets[i] = box[:2] - anchors[i]
        ring_of[i] = r
    return offsets, ring_of


def natural_order(names: Iterable[str]) -> list[str]:
    """Distinct ``names`` sorted with their numbers compared as numbers ("cluster 2" before
    "cluster 10"), ``"(other)"`` last.

    >>> natural_order(["cluster 10", "(other)", "cluster 2", "cluster 1", "cluster 2"])
    ['cluster 1', 'cluster 2', 'cluster 10', '(other)']
    """
    import re

    def key(name: str):
        parts = re.split(r"(\d+)", name)
        return (name == _OTHER, [(0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts if p])

    return sorted(dict.fromkeys(names), key=key)


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
    """A colour per group in :func:`natural_order` (legend order), "(other)" grey. Above ten groups
    tab20 is used with its strong colours first, so the first ten groups never share a hue."""
    colormaps = require("matplotlib", "plotting").colormaps
    names = [x for x in natural_order(labels) if x != _OTHER]
    if len(names) <= 10:
        cmap, order = colormaps["tab10"], list(range(10))
    else:
        cmap, order = colormaps["tab20"], [*range(0, 20, 2), *range(1, 20, 2)]
    colours = {name: cmap(order[i % len(order)]) for i, name in enumerate(names)}
    if _OTHER in labels:
        colours[_OTHER] = (0.6, 0.6, 0.6, 1.0)
    return colours


def _label(ax, xs, ys, words: Sequence[str], families: list[str], fontsize: float,
           marker_size: float = _LABELLED_SIZE) -> np.ndarray:
    """Annotate as many of ``words`` as fit without overlap, in the order given (most important
    first); returns the mask of labelled words. The figure's layout must be final (drawn once)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    per_point = 72.0 / fig.dpi  # display pixels -> points: offsets in points hold at any saving dpi
    anchors = ax.transData.transform(np.column_stack([xs, ys])) * per_point
    halo = require("matplotlib.patheffects", "plotting").withStroke(linewidth=2, foreground="white")
    style = {"ha": "left", "va": "bottom", "fontsize": fontsize, "fontfamily": families}
    sizes = np.zeros((len(words), 2))
    for i, w in enumerate(words):
        t = ax.text(0, 0, w, **style)
        e = t.get_window_extent(renderer)
        sizes[i] = e.width * per_point, e.height * per_point
        t.remove()
    box = ax.get_window_extent(renderer)
    bounds = (box.x0 * per_point + 1, box.y0 * per_point + 1, box.x1 * per_point - 1, box.y1 * per_point - 1)
    offsets, ring = place_labels(anchors, sizes, bounds=bounds, gap=2.5, marker_radius=np.sqrt(marker_size) / 2)
    leader = {"arrowstyle": "-", "color": "0.55", "lw": 0.5, "shrinkA": 0, "shrinkB": 2}
    for x, y, w, off, r in zip(xs, ys, words, offsets, ring):
        if r < 0:
            continue
        t = ax.annotate(w, (x, y), xytext=tuple(off), textcoords="offset points", annotation_clip=False,
                        arrowprops=leader if r > 0 else None, path_effects=[halo], **style)
        t.set_in_layout(False)  # labels stay inside the axes: they must not move it
    return ring >= 0


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

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman"],
    ...                   np.array([[1, 1, 0.1], [1, 0, 1], [0, 1, 0.1], [0, 0, 1]]))
    >>> fig = plot_words(kv, top=4, method="pca", groups={"king": "royal", "queen": "royal"}, path="words.png")
    >>> __import__("pathlib").Path("words.png").exists()
    True

    Points are coloured by ``groups`` (word -> group name; others are grey) or by
    ``clusters`` k-means clusters of the full vectors; the legend sits outside the axes, in
    natural order (cluster 1, 2, ..., 10). Labels never overlap (:func:`place_labels`): they
    are placed most frequent word first (the vectors' order), and a word whose label has no
    room is drawn as a small dot; the caption under the plot says how many words are labelled.
    Saved to ``path`` when given (PNG, SVG or PDF by suffix). Returns the matplotlib Figure.
    """
    if words is None and top is None:
        top = 100
    red = reduce(kv, words=words, top=top, method=method, dims=2, seed=seed)
    labels = _group_labels(kv, red.words, red.indices, groups, clusters, seed)
    families = label_fonts([*red.words, *(labels or []), title or ""])
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    xs, ys = red.coords[:, 0], red.coords[:, 1]
    series: list[tuple[object, np.ndarray]] = []  # (scatter collection, its points' indexes)
    if labels is None:
        series.append((ax.scatter(xs, ys, s=_LABELLED_SIZE, color="tab:blue", alpha=0.8), np.arange(len(red))))
    else:
        for name, colour in _palette(labels).items():
            idx = np.flatnonzero(np.array([x == name for x in labels]))
            if len(idx):
                series.append((ax.scatter(xs[idx], ys[idx], s=_LABELLED_SIZE, color=colour, alpha=0.85,
                                          label=name), idx))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=fontsize,
                  prop={"family": families, "size": fontsize}, title=None)
    ax.set_title(title or f"{METHOD_NAMES[method]} of {len(red)} words", fontfamily=families)
    ax.set_xticks([])
    ax.set_yticks([])
    pad_x, pad_y = 0.04 * (np.ptp(xs) or 1.0), 0.04 * (np.ptp(ys) or 1.0)
    ax.set_xlim(xs.min() - pad_x, xs.max() + pad_x)
    ax.set_ylim(ys.min() - pad_y, ys.max() + pad_y)
    ax.set_xlabel(_caption(len(red), len(red)), fontsize=fontsize, color="0.3")  # one line, as the final one
    fig.canvas.draw()  # settles the layout: label boxes are measured in its final coordinates
    order = np.argsort(red.indices, kind="stable")  # most frequent first
    placed = np.zeros(len(red), dtype=bool)
    placed[order] = _label(ax, xs[order], ys[order], [red.words[i] for i in order], families, fontsize)
    for collection, idx in series:
        collection.set_sizes(np.where(placed[idx], _LABELLED_SIZE, _DOT_SIZE))
    ax.set_xlabel(_caption(int(placed.sum()), len(red)), fontsize=fontsize, color="0.3")
    fig.wordvec_labelled = [red.words[i] for i in np.flatnonzero(placed)]  # for tests and callers
    if path is not None:
        save_figure(fig, path)
    return fig


def _caption(labelled: int, total: int) -> str:
    if labelled == total:
        return f"all {total} words labelled"
    return (f"{labelled} of {total} words labelled (most frequent first, where a label fits); "
            f"the other {total - labelled} are the small dots")


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

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman"],
    ...                   np.array([[1, 1, 0.1], [1, 0, 1], [0, 1, 0.1], [0, 0, 1]]))
    >>> fig = plot_analogy(kv, [("man", "woman"), ("king", "queen")], path="analogy.svg")
    >>> __import__("pathlib").Path("analogy.svg").stat().st_size > 0
    True

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
