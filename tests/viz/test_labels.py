"""Readable labels: greedy placement without overlaps, dropped labels counted in the caption,
legends in natural order. The picture tests draw 300 real English words (the most frequent of
the bundled demo corpus) on synthetic vectors whose PCA has a dense centre."""

from __future__ import annotations

import collections
import lzma
import re

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("sklearn")

from wordvec.vectors.keyed import KeyedVectors
from wordvec.viz.plot import LABEL_DIRECTIONS, natural_order, place_labels, plot_words


# ------------------------------------------------------------------ place_labels, exactly
def boxes_of(anchors, sizes, offsets):
    lower = np.asarray(anchors) + offsets
    return np.hstack([lower, lower + sizes])


def overlapping_pairs(boxes) -> int:
    b = np.asarray(boxes)
    hit = ((b[:, None, 0] < b[None, :, 2]) & (b[None, :, 0] < b[:, None, 2])
           & (b[:, None, 1] < b[None, :, 3]) & (b[None, :, 1] < b[:, None, 3]))
    return int(np.triu(hit, 1).sum())


def test_a_lone_label_goes_right_of_its_point_centred():
    offsets, ring = place_labels([[50, 50]], [[20, 10]], bounds=(0, 0, 100, 100), gap=3)
    assert ring.tolist() == [0]
    np.testing.assert_allclose(offsets, [[3, -5]])  # left edge 3 from the point, vertically centred


def test_the_second_label_takes_the_next_free_direction():
    # Two points 10 apart horizontally, labels 20 wide: the second cannot go right of its point
    # (the first label is there) nor up-right..., it goes left.
    anchors, sizes = [[50, 50], [40, 50]], [[20, 10], [20, 10]]
    offsets, ring = place_labels(anchors, sizes, bounds=(0, 0, 100, 100), gap=3, pad=0)
    assert ring.tolist() == [0, 0]
    np.testing.assert_allclose(offsets[0], [3, -5])
    np.testing.assert_allclose(offsets[1], [-3 - 20, -5])  # LABEL_DIRECTIONS[2]: left
    assert LABEL_DIRECTIONS[2] == (-1, 0)
    assert overlapping_pairs(boxes_of(anchors, sizes, offsets)) == 0


def test_boxes_stay_inside_the_bounds():
    # A point at the right edge: its label cannot go right, so it goes left.
    offsets, ring = place_labels([[98, 50]], [[20, 10]], bounds=(0, 0, 100, 100), gap=3)
    assert ring[0] == 0 and offsets[0, 0] == -23
    # Too wide for the area: dropped.
    offsets, ring = place_labels([[50, 50]], [[200, 10]], bounds=(0, 0, 100, 100))
    assert ring[0] == -1 and np.isnan(offsets[0]).all()


def test_stacked_points_keep_the_first_labels_and_drop_the_rest():
    # 40 points on one spot: the ring positions around it hold a few labels; the others are
    # dropped, the earliest (most important) kept.
    anchors, sizes = np.full((40, 2), 50.0), np.tile([[30.0, 8.0]], (40, 1))
    offsets, ring = place_labels(anchors, sizes, bounds=(0, 0, 100, 100), gap=2, rings=(1.0, 4.0))
    kept = np.flatnonzero(ring >= 0)
    assert 2 <= len(kept) < 40 and kept[0] == 0 and ring[0] == 0
    assert overlapping_pairs(boxes_of(anchors[kept], sizes[kept], offsets[kept])) == 0


def test_a_label_avoids_covering_another_point_when_it_can():
    # Right of A would cover B's marker: A's label goes up-right instead (the next direction).
    anchors, sizes = [[50, 50], [56, 50]], [[20, 10], [1, 1]]
    offsets, ring = place_labels(anchors, sizes, bounds=(0, 0, 100, 100), gap=3, marker_radius=1.0)
    g = 3 * np.sqrt(0.5)
    np.testing.assert_allclose(offsets[0], [g, g])
    offsets, _ = place_labels(anchors, sizes, bounds=(0, 0, 100, 100), gap=3)  # markers ignored: right
    np.testing.assert_allclose(offsets[0], [3, -5])


def test_random_dense_layout_has_no_overlaps():
    rng = np.random.default_rng(0)
    anchors = rng.normal(50, 12, size=(400, 2))
    sizes = np.column_stack([rng.uniform(8, 30, 400), np.full(400, 7.0)])
    offsets, ring = place_labels(anchors, sizes, bounds=(0, 0, 100, 100), gap=2, pad=0.5, marker_radius=1.0)
    kept = ring >= 0
    assert overlapping_pairs(boxes_of(anchors[kept], sizes[kept], offsets[kept])) == 0
    assert 20 < kept.sum() < 400
    # greedy by importance: the first labels are (nearly) all kept, the last rarely
    assert kept[:20].mean() > kept[-100:].mean()


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="same shape"):
        place_labels([[0, 0], [1, 1]], [[1, 1]], bounds=(0, 0, 10, 10))


def test_natural_order_compares_numbers_as_numbers():
    names = [f"cluster {i}" for i in (11, 2, 1, 10, 3)] + ["(other)", "beta", "alpha"]
    assert natural_order(names) == ["alpha", "beta", "cluster 1", "cluster 2", "cluster 3", "cluster 10",
                                    "cluster 11", "(other)"]
    assert natural_order(["b", "a", "b"]) == ["a", "b"]


# ------------------------------------------------------------------ the picture
def demo_words(n: int) -> tuple[list[str], np.ndarray]:
    """The ``n`` most frequent words of the start of the bundled demo corpus, and their counts."""
    from wordvec.demo import demo_corpus_path

    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as f:
        text = f.read(400_000)
    counts = collections.Counter(re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())).most_common(n)
    return [w for w, _ in counts], np.array([c for _, c in counts])


@pytest.fixture(scope="module")
def real_words_kv() -> KeyedVectors:
    words, counts = demo_words(300)
    rng = np.random.default_rng(4)
    centres = rng.normal(scale=1.5, size=(6, 50))
    vectors = centres[rng.integers(0, 6, size=len(words))] + rng.normal(size=(len(words), 50))
    return KeyedVectors(words, vectors.astype(np.float32), counts=counts)


def label_boxes(fig):
    """The labels and their text boxes in display pixels (the text only: an Annotation's own extent
    also covers its leader line)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    texts = [t for t in fig.axes[0].texts if t.get_visible()]
    return texts, np.array([[e.x0, e.y0, e.x1, e.y1] for e in (Text.get_window_extent(t) for t in texts)])


@pytest.mark.parametrize("dpi", [100, 150])
def test_300_word_plot_has_no_overlapping_labels(real_words_kv, tmp_path, dpi):
    fig = plot_words(real_words_kv, top=300, clusters=12, path=tmp_path / "p300.png")
    fig.set_dpi(dpi)  # 150 is the dpi the PNG is saved at
    texts, boxes = label_boxes(fig)
    assert overlapping_pairs(boxes) == 0
    axes_box = fig.axes[0].get_window_extent()
    assert boxes[:, 0].min() >= axes_box.x0 and boxes[:, 2].max() <= axes_box.x1
    assert boxes[:, 1].min() >= axes_box.y0 and boxes[:, 3].max() <= axes_box.y1
    # The caption counts exactly the labels drawn; the dropped ones are the small dots.
    labelled = [t.get_text() for t in texts]
    caption = fig.axes[0].get_xlabel()
    match = re.match(r"(\d+) of 300 words labelled .*the other (\d+) are the small dots", caption)
    assert match, caption
    assert int(match[1]) == len(labelled) == len(fig.wordvec_labelled) and int(match[2]) == 300 - len(labelled)
    assert len(labelled) >= 120, "too few labels: the plot says little"
    assert real_words_kv.index_to_key[0] in labelled  # the most frequent word is always labelled
    sizes = np.concatenate([c.get_sizes() for c in fig.axes[0].collections])
    assert (sizes < sizes.max()).sum() == 300 - len(labelled)  # one small dot per dropped label
    # the legend: natural order, outside the axes so it covers no label
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [f"cluster {i}" for i in range(1, 13)]
    assert legend.get_window_extent().x0 >= axes_box.x1


def test_few_words_are_all_labelled(real_words_kv):
    fig = plot_words(real_words_kv, words=["the", "and", "of", "shall", "in"])
    texts, boxes = label_boxes(fig)
    assert sorted(t.get_text() for t in texts) == sorted(["the", "and", "of", "shall", "in"])
    assert fig.axes[0].get_xlabel() == "all 5 words labelled"
    assert overlapping_pairs(boxes) == 0
