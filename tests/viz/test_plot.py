"""Static plots: files written in each format, not blank, Korean labels drawn with real glyphs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("sklearn")

from wordvec.viz import fonts
from wordvec.viz.plot import plot_analogy, plot_words, save_figure
from wordvec.viz.strip import plot_strip

KOREAN = ["왕", "여왕", "남자", "여자", "한국어", "단어"]  # as in conftest.py


def assert_not_blank(path, min_ink: float = 0.002):
    """The PNG has real content: its pixels vary, and some are far from white."""
    import matplotlib.image as mpimg

    pixels = mpimg.imread(path)[..., :3]
    assert pixels.std() > 0.02, f"{path} looks blank (pixel std {pixels.std():.4f})"
    ink = (pixels.mean(axis=2) < 0.8).mean()
    assert ink > min_ink, f"{path} has almost no ink ({ink:.4%})"


def glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "missing from font" in str(w.message) or "Glyph" in str(w.message)]


def test_scatter_of_top_words_coloured_by_clusters(kv, tmp_path):
    fig = plot_words(kv, top=40, clusters=4, path=tmp_path / "top.png")
    assert_not_blank(tmp_path / "top.png")
    ax = fig.axes[0]
    assert len(ax.texts) == 40
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {f"cluster {i}" for i in range(1, 5)}


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".pdf", b"%PDF"), (".png", b"\x89PNG")])
def test_formats_by_suffix(kv, tmp_path, suffix, magic):
    path = tmp_path / f"words{suffix}"
    plot_words(kv, words=["king", "queen", "man", "woman", "boy", "girl"], method="tsne", path=path)
    assert path.read_bytes().startswith(magic)


def test_unknown_suffix_is_refused(kv, tmp_path):
    fig = plot_words(kv, top=5)
    with pytest.raises(ValueError, match=r"\.png, \.svg, \.pdf"):
        save_figure(fig, tmp_path / "plot.jpg")
    assert not (tmp_path / "plot.jpg").exists()


def test_groups_colour_points_and_others_are_grey(kv, tmp_path):
    groups = {"king": "royal", "queen": "royal", "man": "people", "woman": "people"}
    fig = plot_words(kv, words=["king", "queen", "man", "woman", "boy", "girl"], groups=groups,
                     path=tmp_path / "g.png")
    assert {t.get_text() for t in fig.axes[0].get_legend().get_texts()} == {"royal", "people", "(other)"}
    assert_not_blank(tmp_path / "g.png")


def test_groups_and_clusters_together_are_refused(kv):
    with pytest.raises(ValueError, match="not both"):
        plot_words(kv, top=10, groups={}, clusters=2)


def test_labels_never_overlap(kv):
    # Words from one cluster lie on top of each other: their labels are placed apart or dropped.
    from matplotlib.text import Text

    words = kv.index_to_key[0:80:4]
    fig = plot_words(kv, words=words)
    fig.canvas.draw()
    boxes = [Text.get_window_extent(t) for t in fig.axes[0].texts]  # the text, not the leader line
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert overlaps == 0, f"{overlaps} label pairs overlap"
    assert len(boxes) >= 15  # 20 words: nearly all fit


def test_strip_is_red_for_positive_and_blue_for_negative(tmp_path):
    from wordvec.vectors.keyed import KeyedVectors

    kv = KeyedVectors(["pos", "zero", "neg"], np.array([[2.0] * 8, [0.0] * 8, [-2.0] * 8], dtype=np.float32))
    fig = plot_strip(kv, ["pos", "zero", "neg"], path=tmp_path / "strip.png", colorbar=False)
    mesh = fig.axes[0].collections[0]
    colours = mesh.to_rgba(mesh.get_array()).reshape(3, 8, 4)
    r, _g, b = colours[0, 0, :3]
    assert r > 0.35 and r > 2 * b  # red
    assert np.allclose(colours[1, 0, :3], colours[1, 0, 0], atol=0.03) and colours[1, 0, 0] > 0.95  # white
    r, _g, b = colours[2, 0, :3]
    assert b > 0.3 and b > 2 * r  # blue
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["pos", "zero", "neg"]
    assert_not_blank(tmp_path / "strip.png")


def test_strip_of_a_model(kv, tmp_path):
    plot_strip(kv, ["king", "man", "woman", "queen"], path=tmp_path / "s.svg", dims=10)
    assert b"<svg" in (tmp_path / "s.svg").read_bytes()[:400]
    with pytest.raises(KeyError, match="kingg"):
        plot_strip(kv, ["kingg"])


def test_analogy_draws_parallel_offsets(kv, tmp_path):
    fig = plot_analogy(kv, [("man", "woman"), ("king", "queen")], path=tmp_path / "analogy.png")
    assert_not_blank(tmp_path / "analogy.png")
    arrows = [a for a in fig.axes[0].texts if hasattr(a, "arrow_patch") and a.arrow_patch is not None]
    assert len(arrows) == 3  # man→woman, king→queen, and man→woman copied onto king
    (m, w), (k, _q), (k2, tip) = [(np.array(a.xyann), np.array(a.xy)) for a in arrows]
    np.testing.assert_allclose(tip - k2, w - m, atol=1e-9)  # the copy is exactly parallel and as long
    np.testing.assert_allclose(k2, k)
    with pytest.raises(ValueError, match="at least two"):
        plot_analogy(kv, [("man", "woman")])


def test_cjk_font_covers_korean_labels():
    found = fonts.find_cjk_font()
    if found is None:
        pytest.skip("no CJK font installed (apt-get install fonts-nanum)")
    name, path = found
    families = fonts.label_fonts(KOREAN + ["king"])
    assert families[-1] == name
    import matplotlib.font_manager as fm

    default_path = fm.findfont(fm.FontProperties(family=families[0]))
    text = "".join(KOREAN) + "king"
    # Through the fonts' character maps (FT2Font.get_charmap): every label character has a glyph.
    assert fonts.missing_glyphs(text, [default_path, path]) == set()
    assert fonts.missing_glyphs("왕", [default_path]) == {"왕"}  # the default font alone would show boxes


def test_korean_plot_renders_real_glyphs(kv, tmp_path):
    if fonts.find_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-nanum)")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fig = plot_words(kv, words=KOREAN + ["king", "queen"], path=tmp_path / "ko.png")
        plot_strip(kv, KOREAN, path=tmp_path / "ko_strip.png")
    assert glyph_warnings(record) == []
    import matplotlib.font_manager as fm

    for text in fig.axes[0].texts:
        paths = [fm.findfont(fm.FontProperties(family=f)) for f in text.get_fontfamily()]
        assert fonts.missing_glyphs(text.get_text(), paths) == set(), text.get_text()
    assert_not_blank(tmp_path / "ko.png")


def test_missing_cjk_font_warns_with_the_fix(kv, monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_font", lambda text="한": None)
    with pytest.warns(UserWarning, match="fonts-nanum"):
        families = fonts.label_fonts(["왕"])
    assert len(families) == 1
    assert fonts.label_fonts(["king"]) == families  # Latin labels need nothing more, no warning
