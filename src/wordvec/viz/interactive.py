"""Interactive HTML with plotly: one self-contained file (plotly.js inlined, works offline), 2-D or 3-D.

Hovering a point shows its word (with its group and corpus count when known). The file is
written with ``include_plotlyjs=True``: no CDN, no network at view time.

Labels stay readable. In 2-D the figure has a fixed size, so the labels' boxes on screen can be
estimated (:func:`text_size`, a per-character width table slightly wider than common sans-serif
fonts) and placed with :func:`wordvec.viz.plot.place_labels` at plotly's eight text positions
around the point: only labels that fit without overlap are drawn, most frequent word first, and
the subtitle says how many; every word shows on hover. In 3-D, where any rotation changes what
overlaps, at most ``max_labels`` words are labelled (40 by default): the most frequent ones
that lie an eighth of the scene away from every word labelled before them (so labels spread
out) and whose labels do not overlap in the first view (the default camera, approximated);
the subtitle says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from wordvec.viz._extras import require
from wordvec.viz.plot import _OTHER, _group_labels, natural_order, place_labels
from wordvec.viz.reduce import METHOD_NAMES, reduce

__all__ = ["LABELS_3D", "plot_html", "text_size"]

#: The browser picks the first installed family, so Korean (and other CJK) labels get real glyphs
#: wherever the viewer has such a font, whatever font the page would default to.
LABEL_FONT_FAMILY = ('system-ui, -apple-system, "Segoe UI", "Noto Sans CJK KR", "Noto Sans KR", '
                     '"Source Han Sans KR", "NanumGothic", "Nanum Gothic", "Apple SD Gothic Neo", '
                     '"Malgun Gothic", "Noto Sans CJK JP", "Noto Sans CJK SC", sans-serif')
#: Words labelled in a 3-D plot by default (the most frequent).
LABELS_3D = 40
#: 2-D figure size in pixels, its margins (the legend sits in the right one) and the label font size.
_SIZE_2D = (1100, 820)
_MARGIN = {"l": 20, "r": 170, "t": 80, "b": 20}
_FONT_PX = 11
_MARKER_PX = 7
#: The 3-D scene's first camera position (plotly's default).
_EYE = (1.25, 1.25, 1.25)
#: plotly's text position for each of wordvec.viz.plot.LABEL_DIRECTIONS, keyed by (dx, dy) sign.
_TEXT_POSITIONS = {(1, 0): "middle right", (1, 1): "top right", (-1, 0): "middle left", (0, 1): "top center",
                   (0, -1): "bottom center", (-1, 1): "top left", (1, -1): "bottom right", (-1, -1): "bottom left"}


def text_size(text: str, font_px: float = _FONT_PX) -> tuple[float, float]:
    """An upper estimate of the (width, height) in pixels of ``text`` in a sans-serif font.

    >>> text_size("king"), text_size("임금")              # Hangul counts a full em per character
    ((26.31, 14.3), (24.0, 14.3))

    Wide characters (Hangul, CJK, fullwidth) count one em, capitals and m/w 0.9, narrow ones
    (i, l, punctuation) 0.35, the rest 0.62 (DejaVu Sans, the widest common default, averages
    0.6 on lower-case words).
    """
    import unicodedata

    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch in "mwMW" or ch.isupper():
            em += 0.9
        elif ch in "iljtf.,;:'!|()[] ":
            em += 0.35
        else:
            em += 0.62
    return em * font_px + 2, 1.3 * font_px


def _text_positions(words: list[str], px: np.ndarray, plot_box: tuple[float, float, float, float],
                    limit: int | None) -> list[str | None]:
    """plotly text positions for the labels that fit (in the order given), None for the others."""
    sizes = np.array([text_size(w) for w in words]).reshape(-1, 2)
    order = np.arange(len(words)) if limit is None else np.arange(min(limit, len(words)))
    offsets, ring = place_labels(px[order], sizes[order], bounds=plot_box, gap=_MARKER_PX / 2 / 0.8 + 1,
                                 rings=(1.0,), pad=2.0, marker_radius=_MARKER_PX / 2, diagonal=1.0)
    positions: list[str | None] = [None] * len(words)
    for i, off, r in zip(order, offsets, ring):
        if r < 0:
            continue
        w, h = sizes[i]
        dx = 1 if off[0] > 0 else (-1 if off[0] + w < 0 else 0)
        dy = 1 if off[1] > 0 else (-1 if off[1] + h < 0 else 0)
        positions[i] = _TEXT_POSITIONS[(dx, dy)]
    return positions


def plot_html(
    kv,
    words: Iterable[str] | None = None,
    top: int | None = None,
    *,
    method: str = "pca",
    dims: int = 2,
    seed: int = 0,
    groups: Mapping[str, str] | None = None,
    clusters: int | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
    show_labels: bool = True,
    max_labels: int | None = None,
):
    """A plotly figure of ``words`` (or the ``top`` keys) reduced by ``method`` to ``dims`` (2 or 3).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman"], np.random.default_rng(0).normal(size=(4, 10)))
    >>> fig = plot_html(kv, top=4, method="pca", dims=3, path="words.html")   # one offline HTML file (plotly)
    >>> "plotly" in open("words.html", encoding="utf-8").read(1000).lower()
    True

    Written to ``path`` as one offline HTML file when given. Every point shows its word on hover.
    Labels are drawn only where they stay readable (see the module docstring): in 2-D those that
    fit without overlap at the figure's fixed size (1100 x 820 px), most frequent first, up to
    ``max_labels``; in 3-D up to ``max_labels`` (default :data:`LABELS_3D`) frequent words spread
    apart. The
    subtitle says how many words are labelled. ``show_labels=False`` draws none. Groups and
    clusters are listed in natural order (cluster 1, 2, ..., 10). Returns the plotly Figure.
    """
    go = require("plotly.graph_objects", "interactive plots")
    if words is None and top is None:
        top = 500
    if max_labels is not None and max_labels < 0:
        raise ValueError(f"max_labels must be >= 0, got {max_labels}")
    red = reduce(kv, words=words, top=top, method=method, dims=dims, seed=seed)
    labels = _group_labels(kv, red.words, red.indices, groups, clusters, seed)
    counts = kv.counts[red.indices] if kv.counts is not None else None
    order = np.argsort(red.indices, kind="stable")  # most frequent first
    c = red.coords
    layout: dict = {}
    positions: list[str | None] = [None] * len(red)
    if dims == 2:
        pad = 0.04 * np.maximum(np.ptp(c, axis=0), 1e-12)
        lo, hi = c.min(axis=0) - pad, c.max(axis=0) + pad
        width, height = _SIZE_2D
        margin = dict(_MARGIN, r=_MARGIN["r"] if labels is not None else _MARGIN["l"])
        box = (0.0, 0.0, float(width - margin["l"] - margin["r"]), float(height - margin["t"] - margin["b"]))
        if show_labels:
            px = (c[order] - lo) / (hi - lo) * np.array(box[2:])
            placed = _text_positions([red.words[i] for i in order], px, box, max_labels)
            for i, pos in zip(order, placed):
                positions[i] = pos
        axis = {"showticklabels": False, "showgrid": False, "zeroline": False, "ticks": ""}
        layout = {"width": width, "height": height, "margin": margin,
                  "xaxis": dict(axis, range=[lo[0], hi[0]]), "yaxis": dict(axis, range=[lo[1], hi[1]])}
    elif show_labels:
        spread = _spread(c, order, len(c))
        px = _default_view(c[spread]) * 400.0  # ~ pixels: the scene is about 800 px high
        words_3d = [red.words[i] for i in spread]
        placed = _text_positions(words_3d, px, (-2000.0, -2000.0, 2000.0, 2000.0), None)
        limit = LABELS_3D if max_labels is None else max_labels
        for i, pos in [(i, pos) for i, pos in zip(spread, placed) if pos is not None][:limit]:
            positions[i] = pos
        layout = {"scene": {"aspectmode": "cube", "camera": {"eye": dict(zip("xyz", _EYE))}}}
    n_labelled = sum(p is not None for p in positions)
    series = [(None, np.ones(len(red), dtype=bool))] if labels is None else [
        (name, np.array([x == name for x in labels])) for name in natural_order(labels)]
    colours = _colours([name for name, _ in series if name != _OTHER])
    fig = go.Figure()
    for name, mask in series:
        idx = np.flatnonzero(mask)
        text = [red.words[i] if positions[i] is not None else "" for i in idx]
        hover = [f"<b>{red.words[i]}</b>" + (f"<br>{name}" if name else "")
                 + (f"<br>count {int(counts[i]):,}" if counts is not None else "") for i in idx]
        common = {"text": text, "hovertext": hover, "hoverinfo": "text", "name": name or "words",
                  "mode": "markers+text" if n_labelled else "markers",
                  "textposition": [positions[i] or "top center" for i in idx],
                  "textfont": {"size": _FONT_PX}}
        marker = {"size": 5 if dims == 3 else _MARKER_PX, "opacity": 0.6 if dims == 3 else 0.85}
        if name == _OTHER:
            marker["color"] = "lightgray"
        elif name in colours:
            marker["color"] = colours[name]
        xyz = c[idx]
        if dims == 3:
            fig.add_trace(go.Scatter3d(x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2], marker=marker, **common))
        else:
            fig.add_trace(go.Scatter(x=xyz[:, 0], y=xyz[:, 1], marker=marker, cliponaxis=False, **common))
    heading = title or f"{METHOD_NAMES[method]} of {len(red)} words"
    fig.update_layout(title={"text": f"{heading}<br><sup>{_subtitle(n_labelled, len(red), dims)}</sup>"},
                      showlegend=labels is not None, template="plotly_white", hovermode="closest",
                      font={"family": LABEL_FONT_FAMILY}, hoverlabel={"font": {"family": LABEL_FONT_FAMILY}},
                      legend={"x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"}, **layout)
    if path is not None:
        from wordvec._saving import atomic_write

        html = fig.to_html(include_plotlyjs=True, full_html=True)
        with atomic_write(Path(path)) as f:
            f.write(html.encode("utf-8"))
    return fig


def _spread(coords: np.ndarray, order: np.ndarray, limit: int, min_distance: float = 0.12) -> list[int]:
    """Up to ``limit`` points, taken in ``order``, each at least ``min_distance`` from those taken
    before in the unit cube the scene is drawn in: labels spread over the picture, so they rarely
    overlap whichever way it is turned."""
    span = np.maximum(np.ptp(coords, axis=0), 1e-12)
    unit = (coords - coords.min(axis=0)) / span
    taken: list[int] = []
    for i in order:
        if len(taken) >= limit:
            break
        if not taken or np.min(np.linalg.norm(unit[taken] - unit[i], axis=1)) >= min_distance:
            taken.append(int(i))
    return taken


def _default_view(coords: np.ndarray) -> np.ndarray:
    """Screen positions (y up, about -1..1) of 3-D points in the scene's first view: the data
    scaled to a cube of side 1, seen from :data:`_EYE` with z up, in perspective (45 degrees)."""
    span = np.maximum(np.ptp(coords, axis=0), 1e-12)
    p = (coords - coords.min(axis=0)) / span - 0.5
    eye = np.array(_EYE)
    forward = -eye / np.linalg.norm(eye)
    right = np.cross(forward, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    v = p - eye
    depth = v @ forward
    return np.column_stack([v @ right, v @ up]) / (depth[:, None] * np.tan(np.pi / 8))


def _colours(names: list[str]) -> dict[str, str]:
    """A distinct colour per group: plotly's ten, or Dark24 then Light24 above ten (plotly's default
    colour cycle would give cluster 11 the colour of cluster 1)."""
    qualitative = require("plotly.colors", "interactive plots").qualitative
    palette = qualitative.Plotly if len(names) <= 10 else qualitative.Dark24 + qualitative.Light24
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}


def _subtitle(labelled: int, total: int, dims: int) -> str:
    if labelled == 0:
        return "no labels; hover a point to see its word"
    if labelled == total:
        return f"all {total} words labelled"
    if dims == 3:
        return (f"labels on {labelled} of {total} words (the most frequent, spread apart); "
                "hover any point to see its word")
    return (f"{labelled} of {total} words labelled (most frequent first, where a label fits); "
            "hover any point to see its word")
