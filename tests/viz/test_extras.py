"""A missing optional dependency raises an ImportError that names the extra to install."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from wordvec.vectors.keyed import KeyedVectors


@pytest.fixture
def small():
    return KeyedVectors(["a", "b", "c", "d", "e"], np.random.default_rng(0).normal(size=(5, 4)))


@pytest.mark.parametrize("blocked, method", [("sklearn.decomposition", "pca"), ("sklearn.manifold", "tsne"),
                                              ("umap", "umap")])
def test_reduce_names_the_viz_extra(small, monkeypatch, blocked, method):
    from wordvec.viz.reduce import reduce

    monkeypatch.setitem(sys.modules, blocked, None)  # makes `import blocked` raise ImportError
    with pytest.raises(ImportError, match=r"pip install 'wordvec\[viz\]'"):
        reduce(small, method=method)


def test_plot_names_the_viz_extra(small, monkeypatch):
    from wordvec.viz.plot import plot_words

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"plotting needs matplotlib.*pip install 'wordvec\[viz\]'"):
        plot_words(small, top=4)


def test_web_names_the_web_extra(small, monkeypatch):
    from wordvec.web.server import create_app

    monkeypatch.setitem(sys.modules, "fastapi", None)
    with pytest.raises(ImportError, match=r"pip install 'wordvec\[web\]'"):
        create_app(small)


def test_import_wordvec_loads_no_extra():
    import subprocess

    code = ("import sys, wordvec, wordvec.cli.app; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('sklearn', 'matplotlib', 'plotly', 'fastapi', 'uvicorn', 'umap', 'adjustText', 'selenium')"
            " or m.startswith(('wordvec.viz', 'wordvec.web'))]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
