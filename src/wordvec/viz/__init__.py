"""Pictures of word vectors (extra ``wordvec[viz]``): reduction, static plots, colour strips, HTML.

``import wordvec`` never imports this package, and this package imports scikit-learn,
umap-learn, matplotlib and plotly only inside the functions that use them; a missing one
raises an ImportError that says ``pip install 'wordvec[viz]'``.

============================  ===============================================================
function                      what
============================  ===============================================================
:func:`reduce`                PCA / t-SNE / UMAP of chosen words or the top N, 2-D or 3-D
:func:`plot_words`            labelled scatter (PNG/SVG/PDF), coloured by groups or k-means
:func:`plot_analogy`          pairs drawn as arrows, with a → b copied onto c (parallelogram)
:func:`plot_strip`            one row per word, one cell per dimension, red + / white 0 / blue −
:func:`plot_html`             self-contained interactive plotly page (works offline)
:func:`plot_history`          loss and accuracy per epoch of a model trained by epochs
:func:`find_cjk_font`         a system font with Korean/CJK glyphs, for labels
============================  ===============================================================
"""

from wordvec.viz.fonts import find_cjk_font, label_fonts, missing_glyphs
from wordvec.viz.history import plot_history
from wordvec.viz.interactive import plot_html
from wordvec.viz.plot import plot_analogy, plot_words, save_figure
from wordvec.viz.reduce import METHODS, Reduction, reduce, select_words
from wordvec.viz.strip import plot_strip

__all__ = [
    "METHODS",
    "Reduction",
    "find_cjk_font",
    "label_fonts",
    "missing_glyphs",
    "plot_analogy",
    "plot_history",
    "plot_html",
    "plot_strip",
    "plot_words",
    "reduce",
    "save_figure",
    "select_words",
]
