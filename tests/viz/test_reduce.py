"""wordvec.viz.reduce: shapes, determinism, word selection and errors."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from wordvec.viz.reduce import METHODS, reduce, select_words


@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_shapes_and_determinism(kv, method, dims):
    a = reduce(kv, top=60, method=method, dims=dims, seed=3)
    b = reduce(kv, top=60, method=method, dims=dims, seed=3)
    assert a.coords.shape == (60, dims) and a.dims == dims and len(a) == 60
    assert a.words == kv.index_to_key[:60]
    assert np.array_equal(a.indices, np.arange(60))
    assert np.all(np.isfinite(a.coords))
    np.testing.assert_array_equal(a.coords, b.coords)


def test_umap_shapes_and_determinism(kv):
    pytest.importorskip("umap")
    a = reduce(kv, top=60, method="umap", dims=2, seed=1)
    b = reduce(kv, top=60, method="umap", dims=2, seed=1)
    assert a.coords.shape == (60, 2)
    np.testing.assert_array_equal(a.coords, b.coords)


def test_chosen_words_keep_order_and_drop_repeats(kv):
    red = reduce(kv, words=["queen", "king", "왕", "queen", "man"], method="pca")
    assert red.words == ["queen", "king", "왕", "man"]
    assert list(red.indices) == [kv.get_index(w) for w in red.words]
    assert red.coords.shape == (4, 2)


def test_tiny_selection_works_for_every_method(kv):
    for method in ("pca", "tsne"):
        assert reduce(kv, words=["king", "queen", "man", "woman"], method=method, dims=3).coords.shape == (4, 3)


def test_pca_separates_the_clusters(kv):
    # The fixture has four well separated clusters (index % 4): PCA keeps them apart.
    red = reduce(kv, top=120, method="pca")
    labels = np.arange(120) % 4
    centres = np.array([red.coords[labels == c].mean(axis=0) for c in range(4)])
    spread = max(red.coords[labels == c].std(axis=0).max() for c in range(4))
    gaps = [np.linalg.norm(centres[i] - centres[j]) for i in range(4) for j in range(i + 1, 4)]
    assert min(gaps) > spread


def test_unknown_words_are_all_listed(kv):
    with pytest.raises(KeyError) as info:
        reduce(kv, words=["king", "kingg", "nope", "queen"])
    message = str(info.value.args[0])
    assert "2 of 4 words" in message and "'kingg'" in message and "'nope'" in message
    assert "did you mean 'king'" in message


@pytest.mark.parametrize("kwargs, fragment", [
    ({"method": "lda"}, "unknown method"),
    ({"dims": 4}, "dims must be 2 or 3"),
    ({"words": ["king", "queen"]}, "at least 3 words"),
    ({"words": ["king"], "top": 3}, "not both"),
    ({"top": 0}, "top must be >= 1"),
    ({"words": []}, "words is empty"),
])
def test_bad_arguments(kv, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        reduce(kv, **kwargs)


def test_select_words_defaults_to_everything(kv):
    words, idx = select_words(kv)
    assert words == kv.index_to_key and len(idx) == len(kv)
    assert select_words(kv, top=10**6)[0] == kv.index_to_key
    with pytest.raises(TypeError):
        select_words(kv, words="king")


def test_methods_listed():
    assert METHODS == ("pca", "tsne", "umap")


def test_pca_projects_other_words_in_the_same_plane(kv):
    # Projecting words of the fit gives back their coordinates; other words go through the same map.
    red = reduce(kv, top=60, method="pca", dims=2)
    np.testing.assert_allclose(red.project(kv.vectors[:60]), red.coords, atol=1e-6)  # float32 unit vectors
    full = reduce(kv, top=120, method="pca")
    assert full.project(kv.vectors[100]).shape == (1, 2)
    with pytest.raises(ValueError, match="only PCA"):
        reduce(kv, top=30, method="tsne").project(kv.vectors[:2])
    assert reduce(kv, top=30, method="tsne").basis is None
