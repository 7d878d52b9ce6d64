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
