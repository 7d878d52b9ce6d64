"""Interactive HTML with plotly: one self-contained file (plotly.js inlined, works offline), 2-D or 3-D.

Hovering a point shows its word (with its group and corpus count when known). The file is
written with ``include_plotlyjs=True``: no CDN, no network at view time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from wordvec.viz._extras import require
from wordvec.viz.plot import _OTHER, _group_labels
from wordvec.viz.reduce import METHOD_NAMES, reduce

__all__ = ["plot_html"]

#: The browser picks the first installed family, so Korean (and other CJK) labels get real glyphs
#: wherever the viewer has such a font, whatever font the page would default to.
LABEL_FONT_FAMILY = ('system-ui, -apple-system, "Segoe UI", "Noto Sans CJK KR", "Noto Sans KR", '
                     '"Source Han Sans KR", "NanumGothic", "Nanum Gothic", "Apple SD Gothic Neo", '
                     '"Malgun Gothic", "Noto Sans CJK JP", "Noto Sans CJK SC", sans-serif')


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
    show_labels: bool | None = None,
):
    """A plotly figure of ``words`` (or the ``top`` keys) reduced by ``method`` to ``dims`` (2 or 3).

    Written to ``path`` as one offline HTML file when given. Labels are drawn next to the
    points for up to 300 words (``show_labels`` overrides); hover labels always. Returns the
    plotly Figure.
    """
    go = require("plotly.graph_objects", "interactive plots")
    if words is None and top is None:
        top = 500
    red = reduce(kv, words=words, top=top, method=method, dims=dims, seed=seed)
    labels = _group_labels(kv, red.words, red.indices, groups, clusters, seed)
    if show_labels is None:
        show_labels = len(red) <= 300
    counts = kv.counts[red.indices] if kv.counts is not None else None
    series = [(None, np.ones(len(red), dtype=bool))] if labels is None else [
        (name, np.array([x == name for x in labels])) for name in dict.fromkeys(labels)]
    fig = go.Figure()
    for name, mask in series:
        idx = np.flatnonzero(mask)
        text = [red.words[i] for i in idx]
        hover = [f"<b>{red.words[i]}</b>" + (f"<br>{name}" if name else "")
                 + (f"<br>count {int(counts[i]):,}" if counts is not None else "") for i in idx]
        common = {"text": text, "hovertext": hover, "hoverinfo": "text", "name": name or "words",
                      "mode": "markers+text" if show_labels else "markers", "textposition": "top center"}
        marker = {"size": 5 if dims == 3 else 7, "opacity": 0.85}
        if name == _OTHER:
            marker["color"] = "lightgray"
        c = red.coords[idx]
        if dims == 3:
            fig.add_trace(go.Scatter3d(x=c[:, 0], y=c[:, 1], z=c[:, 2], marker=marker, **common))
        else:
            fig.add_trace(go.Scatter(x=c[:, 0], y=c[:, 1], marker=marker, **common))
    fig.update_layout(title=title or f"{METHOD_NAMES[method]} of {len(red)} words", showlegend=labels is not None,
                      template="plotly_white", hovermode="closest",
                      font={"family": LABEL_FONT_FAMILY}, hoverlabel={"font": {"family": LABEL_FONT_FAMILY}})
    if path is not None:
        from wordvec._saving import atomic_write

        html = fig.to_html(include_plotlyjs=True, full_html=True)
        with atomic_write(Path(path)) as f:
            f.write(html.encode("utf-8"))
    return fig
