"""Interactive plotly HTML: one self-contained file, no CDN, hover labels, 2-D and 3-D."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("plotly")
pytest.importorskip("sklearn")

from wordvec.viz.interactive import plot_html


@pytest.mark.parametrize("dims, kind", [(2, "scatter"), (3, "scatter3d")])
def test_html_is_self_contained(kv, tmp_path, dims, kind):
    path = tmp_path / f"plot{dims}.html"
    fig = plot_html(kv, top=30, dims=dims, path=path, clusters=3)
    html = path.read_text(encoding="utf-8")
    assert {t.type for t in fig.data} == {kind}
    assert len(fig.data) == 3
    assert len(html) > 1_000_000  # plotly.js itself is inlined
    assert not re.search(r'<script[^>]+src="https?://', html), "the page loads a script from the network"
    assert "cdn.plot.ly" not in html.split("</script>")[-1]
    assert "<b>king</b>" in html.encode("ascii", "backslashreplace").decode() or "king" in html
    hover = [h for t in fig.data for h in t.hovertext]
    assert any("<b>king</b>" in h and "count" in h for h in hover)


def test_html_korean_words(kv, tmp_path):
    path = tmp_path / "ko.html"
    plot_html(kv, words=["왕", "여왕", "남자", "여자"], path=path)
    html = path.read_text(encoding="utf-8")
    assert "여왕" in html or "\\uc5ec\\uc655" in html
    assert "NanumGothic" in html and "Noto Sans CJK KR" in html  # a Korean-capable font stack


def test_2d_labels_only_what_fits_and_says_so(kv):
    fig = plot_html(kv, top=120, clusters=10)
    labelled = [w for t in fig.data for w in t.text if w]
    hover = [h for t in fig.data for h in t.hovertext]
    assert 0 < len(labelled) <= 120 and len(hover) == 120  # every word on hover, labels only where they fit
    title = fig.layout.title.text
    assert f"{len(labelled)} of 120 words labelled" in title or "all 120 words labelled" in title
    assert [t.name for t in fig.data] == [f"cluster {i}" for i in range(1, 11)]  # natural order
    assert len({t.marker.color for t in fig.data}) == 10
    assert (fig.layout.width, fig.layout.height) == (1100, 820)  # the size the labels were placed for


def test_2d_estimated_label_boxes_do_not_overlap(kv):
    import numpy as np

    from wordvec.viz.interactive import _MARGIN, _SIZE_2D, text_size

    fig = plot_html(kv, top=120)
    t = fig.data[0]
    width = _SIZE_2D[0] - 2 * _MARGIN["l"]
    height = _SIZE_2D[1] - _MARGIN["t"] - _MARGIN["b"]
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    r = 7 / 2 / 0.8 + 1
    boxes = []
    for x, y, word, pos in zip(t.x, t.y, t.text, t.textposition):
        if not word:
            continue
        px, py = (x - x0) / (x1 - x0) * width, (y - y0) / (y1 - y0) * height
        w, h = text_size(word)
        left = px + r if "right" in pos else px - r - w if "left" in pos else px - w / 2
        bottom = py + r if "top" in pos else py - r - h if "bottom" in pos else py - h / 2
        boxes.append((left, bottom, left + w, bottom + h))
    b = np.array(boxes)
    hit = ((b[:, None, 0] < b[None, :, 2]) & (b[None, :, 0] < b[:, None, 2])
           & (b[:, None, 1] < b[None, :, 3]) & (b[None, :, 1] < b[:, None, 3]))
    assert np.triu(hit, 1).sum() == 0
    assert b[:, 0].min() >= 0 and b[:, 2].max() <= width and b[:, 1].min() >= 0 and b[:, 3].max() <= height


def test_3d_labels_a_few_frequent_words_and_hovers_all(kv):
    fig = plot_html(kv, top=120, dims=3)
    labelled = [w for w in fig.data[0].text if w]
    assert 0 < len(labelled) <= 40 and labelled[0] == kv.index_to_key[0]
    assert set(labelled) <= set(kv.index_to_key[:120])
    assert "labels on" in fig.layout.title.text and "hover" in fig.layout.title.text
    assert len(fig.data[0].hovertext) == 120
    fig = plot_html(kv, top=120, dims=3, max_labels=5)
    assert sum(1 for w in fig.data[0].text if w) == 5


def test_no_labels_when_asked(kv):
    fig = plot_html(kv, top=30, show_labels=False)
    assert fig.data[0].mode == "markers" and "no labels" in fig.layout.title.text


def test_text_size_counts_wide_characters_wider():
    from wordvec.viz.interactive import text_size

    assert text_size("왕왕")[0] > text_size("ab")[0] > text_size("il")[0]
    assert text_size("word", 22)[1] == 2 * text_size("word", 11)[1]
