"""What the estimators share: the config, ``repr``, the not-fitted guard, ``wv``, ``save`` and the
training record; and, for GloVe and PPMI+SVD, fitting on a corpus through its co-occurrence matrix.

scikit-learn's rules (DESIGN.md, convention 3): ``__init__`` stores the parameters under the names
of ``config_class``'s fields and nothing else; ``fit`` validates them (:attr:`Estimator.config`),
trains and returns ``self``; learned state ends with ``_``.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import Any, ClassVar

from wordvec.cooccur.matrix import Cooccurrence
from wordvec.corpus.readers import as_corpus
from wordvec.corpus.tokenizers import describe_tokenizer
from wordvec.exceptions import NotFittedError
from wordvec.vectors.keyed import KeyedVectors

__all__ = ["Estimator", "CooccurrenceEstimator", "trainable_model_name"]

#: The models whose saved directory can be trained further (``partial_fit``, ``wordvec train --init``).
TRAINABLE_MODELS = ("word2vec", "fasttext")


class Estimator:
    """Base of the word-vector estimators.

    >>> from wordvec import Word2Vec
    >>> model = Word2Vec(vector_size=8, min_count=1, seed=1, progress=False)
    >>> isinstance(model, Estimator), model.vector_size          # __init__ only stores parameters
    (True, 8)
    >>> model.set_params(epochs=2).fit([["the", "king", "rules"], ["the", "queen", "rules"]]).wv
    KeyedVectors(4 keys, 8 dimensions)

    A subclass sets ``config_class`` (its frozen config dataclass) and ``_repr_fields``, stores
    every config field in ``__init__``, sets ``vocab_`` in ``fit`` once its vectors exist, records
    the run with :meth:`_record` and builds its vectors in :meth:`_build_vectors`.
    """

    config_class: ClassVar[type]
    #: Config fields ``repr`` always shows, and those it shows only when they are not the default.
    _repr_fields: ClassVar[tuple[str, ...]] = ("vector_size",)
    _repr_if_changed: ClassVar[tuple[str, ...]] = ()
    #: How to fit, for the not-fitted error.
    _fit_hint: ClassVar[str] = "fit(corpus)"
    _wv: KeyedVectors | None = None

    # ------------------------------------------------------------------ config
    @property
    def config(self):
        """The hyperparameters as a frozen, validated ``config_class`` (raises ValueError naming a bad one)."""
        return self.config_class.from_attributes(self)

    def __repr__(self) -> str:
        c = self.config
        shown = [f"{name}={getattr(c, name)!r}" for name in self._repr_fields]
        shown += [f"{name}={getattr(c, name)!r}" for name in self._repr_if_changed
                  if getattr(c, name) != getattr(self.config_class, name)]
        return f"{type(self).__name__}({', '.join(shown)})"

    # ------------------------------------------------------------------ fitting helpers
    def _check_fitted(self) -> None:
        if not hasattr(self, "vocab_"):
            raise NotFittedError(f"this {type(self).__name__} model is not trained yet: "
                                 f"call {self._fit_hint} first")

    def _open_corpus(self, corpus, encoding: str | None = None):
        """``corpus`` as a restartable corpus read with this model's tokenizer (recorded as ``tokenizer_``);
        files are read as ``encoding`` (None: UTF-8)."""
        source = as_corpus(corpus, self.tokenizer, encoding=encoding, progress=self.progress)
        self.tokenizer_ = describe_tokenizer(source)
        return source

    def _record(self, history: list, corpus_stats: dict[str, Any], *, seconds: float, workers: int,
                words: int, passes: int | None = None, **rates: float) -> None:
        """Keep a finished run: loss per epoch, corpus statistics and timings.

        ``words``: corpus tokens per pass; ``passes``: passes made (default: the epochs in ``history``);
        ``rates``: more ``*_per_second`` figures for ``training_stats_``.
        """
        passes = len(history) if passes is None else passes
        self.loss_history_ = [h.loss for h in history]
        self.epoch_logs_ = history
        self.corpus_stats_ = corpus_stats
        self.training_stats_ = {"seconds_train": seconds, "epochs_run": passes, "workers": workers, **rates,
                                "words_per_second": words * passes / max(seconds, 1e-9)}
        self._wv = None

    def _build_vectors(self) -> KeyedVectors:
        raise NotImplementedError

    # ------------------------------------------------------------------ result
    @property
    def wv(self) -> KeyedVectors:
        """The trained word vectors (raises NotFittedError before ``fit``)."""
        self._check_fitted()
        if self._wv is None:
            self._wv = self._build_vectors()
        return self._wv

    def set_params(self, **params):
        """Set parameters by name (scikit-learn's ``set_params``); returns ``self``.

        An unknown name is a ValueError naming the known ones. Values are validated when they are
        used (``fit``, ``partial_fit``), as ``__init__``'s are.
        """
        known = self._param_names()
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValueError(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} for "
                             f"{type(self).__name__}; known: {', '.join(sorted(known))}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def _param_names(self) -> set[str]:
        """The names ``__init__`` takes, along the class hierarchy (a subclass passes ``**kwargs`` on)."""
        import inspect

        names = {f.name for f in dataclasses.fields(self.config_class)}
        for klass in type(self).__mro__:
            if "__init__" in vars(klass) and klass is not object:
                names |= {name for name, p in inspect.signature(klass.__init__).parameters.items()
                          if name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
        return names

    def save(self, path: str | os.PathLike) -> None:
        """Save the trained vectors and this model's settings in the native directory format.

        Word2Vec and FastText also save their output layer, so that ``load`` can train them further.
        Callbacks may call it between epochs (:class:`~wordvec.train.Checkpoint`): it saves the
        vectors as they are then, with what is known of the run so far.
        """
        from wordvec.io import save_native

        self._check_fitted()
        output = self._saved_output()
        more = {} if output is None else {"output_kind": output[0], "output": output[1]}
        save_native(self._build_vectors(), path, extra=self._saved_settings(), **more)

    def _saved_output(self) -> tuple[str, Any] | None:
        """``(kind, matrix)`` of the output layer ``save`` keeps for continued training, or None."""
        return None

    def _saved_settings(self) -> dict[str, Any]:
        """What ``save`` stores next to the vectors (``wordvec info`` shows it)."""
        return {"config": self.config.to_dict(), "loss_history": getattr(self, "loss_history_", []),
                "corpus": getattr(self, "corpus_stats_", {}), "tokenizer": getattr(self, "tokenizer_", None)}

    def summary(self) -> str:
        """One paragraph on the training run: corpus, vocabulary, time, speed and loss."""
        raise NotImplementedError


class CooccurrenceEstimator(Estimator):
    """Base of GloVe and PPMI+SVD: models of a word-word co-occurrence matrix.

    >>> from wordvec import GloVe
    >>> from wordvec.cooccur import build_cooccurrence
    >>> matrix = build_cooccurrence([["the", "king", "rules"], ["the", "queen", "rules"]], min_count=1,
    ...                             progress=False)
    >>> glove = GloVe(vector_size=4, epochs=2, progress=False)
    >>> isinstance(glove, CooccurrenceEstimator), glove.fit_cooccurrence(matrix).wv   # one matrix, many fits
    (True, KeyedVectors(4 keys, 4 dimensions))

    ``fit(corpus)`` counts the matrix first (kept as ``cooccurrence_``) with the config's
    :class:`~wordvec.config.CooccurrenceConfig` fields; ``fit_cooccurrence(matrix)`` starts from one
    counted before, so one matrix serves many fits. Either way the vocabulary is the matrix's own.
    A subclass implements ``_fit(cfg, matrix)`` and ``_summary_detail()``.
    """

    _fit_hint = "fit(corpus) or fit_cooccurrence(matrix)"

    def fit(self, corpus, *, encoding: str | None = None):
        """Count co-occurrences in ``corpus`` (a path, paths or token lists; read twice), then fit;
        returns ``self``.

        ``encoding``: the text files' encoding (None: UTF-8; ``"latin-1"``, ``"cp949"``, ...).
        """
        from wordvec.cooccur.builder import build_cooccurrence

        cfg = self.config
        t0 = time.perf_counter()
        source = self._open_corpus(corpus, encoding)
        matrix = build_cooccurrence(source, **dataclasses.asdict(cfg.counting()), progress=self.progress)
        self.cooccurrence_ = matrix
        self._fit_matrix(cfg, matrix)
        self.training_stats_["seconds_cooccurrence"] = matrix.settings.get("seconds", 0.0)
        self.training_stats_["seconds_total"] = time.perf_counter() - t0
        return self

    def fit_cooccurrence(self, matrix: Cooccurrence | str | os.PathLike):
        """Fit on a counted co-occurrence matrix (or the path of a saved one); returns ``self``.

        The matrix's own window and vocabulary settings apply; this model's are ignored. The
        tokenizer is the one the matrix's settings name, if any.
        """
        cfg = self.config
        t0 = time.perf_counter()
        if not isinstance(matrix, Cooccurrence):
            matrix = self._open_matrix(matrix)
        self.tokenizer_ = matrix.settings.get("tokenizer")
        self._fit_matrix(cfg, matrix)
        self.training_stats_["seconds_total"] = time.perf_counter() - t0
        return self

    @staticmethod
    def _open_matrix(path):
        """The matrix of a saved file, as the model reads it (whole, unless a model streams it)."""
        return Cooccurrence.load(path)

    def _fit_matrix(self, cfg, matrix: Cooccurrence) -> None:
        self.cooccurrence_settings_ = dict(matrix.settings)
        self._fit(cfg, matrix)

    def _fit(self, cfg, matrix: Cooccurrence) -> None:
        raise NotImplementedError

    def _corpus_stats(self, matrix: Cooccurrence, **more: int) -> dict[str, int]:
        """The corpus statistics the matrix's settings carry (counting recorded them)."""
        s = matrix.settings
        retained = s.get("retained_words", s.get("kept_tokens", 0))  # kept_tokens: matrices saved by earlier versions
        return {"total_words": int(s.get("total_words", 0)), "retained_words": int(retained),
                "sentences": int(s.get("sentences", 0)), "sentences_split": 0,
                "cooccurrence_entries": matrix.nnz, **more}

    def _saved_settings(self) -> dict[str, Any]:
        return {**super()._saved_settings(), "cooccurrence": getattr(self, "cooccurrence_settings_", {})}

    def summary(self) -> str:
        """One paragraph: the corpus, the vocabulary, what the fit did and how long it took."""
        self._check_fitted()
        cfg, corpus, stats = self.config, self.corpus_stats_, self.training_stats_
        return (f"Trained {cfg.model_name} ({cfg.vector_size} dimensions) on {corpus['total_words']:,} tokens: "
                f"{len(self.vocab_):,} words in the vocabulary. {self._summary_detail()}; "
                f"{stats.get('seconds_total', stats['seconds_train']):.2f} s in all.")

    def _summary_detail(self) -> str:
        raise NotImplementedError


def trainable_model_name(path: str | os.PathLike) -> str:
    """The model (``"word2vec"`` or ``"fasttext"``) saved in the native directory ``path``, checked to
    hold what continued training needs; else a one-line error that says what is missing.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors, Word2Vec, save
    >>> model = Word2Vec(vector_size=8, min_count=1, epochs=1, seed=1, progress=False)
    >>> model.fit([["the", "king", "rules"], ["the", "queen", "rules"]]).save("model/")
    >>> trainable_model_name("model/")
    'word2vec'
    >>> save(KeyedVectors(["king"], np.ones((1, 2))), "vectors/")
    >>> trainable_model_name("vectors/")                 # vectors alone cannot be trained further
    Traceback (most recent call last):
        ...
    ValueError: vectors/: holds vectors saved without their model (no training settings, no ...

    Continued training needs the output layer (negative sampling's ``syn1neg`` or hierarchical
    softmax's ``syn1``), the word counts (the noise distribution, subsampling and the Huffman tree
    are built from them) and the training settings. A native directory written by ``model.save``
    holds all three. A word2vec text or binary file, a GloVe file or a fastText ``.vec`` holds the
    vectors alone (and at most a count per word), so it is refused with a ValueError, as are
    vectors saved without their model (``wordvec.save(kv, ...)``), GloVe and PPMI+SVD models
    (fitted to a co-occurrence matrix, not trained by passes over text) and directories written
    before the output layer was saved. A damaged directory is a :class:`~wordvec.exceptions.FormatError`.
    """
    from pathlib import Path

    from wordvec.io import detect_format, read_native_config

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{os.fspath(path)}: no such file or directory")
    fmt = detect_format(p)
    if fmt == "fasttext-bin":
        raise ValueError(f"{os.fspath(path)}: continuing from a fastText .bin model is not supported; "
                         f"continued training starts from a wordvec model directory saved by model.save "
                         f"(or wordvec train -o DIR)")
    if fmt != "native":
        raise ValueError(f"{os.fspath(path)}: a {fmt} file holds only the word vectors: no output layer "
                         f"(syn1neg/syn1), no word counts and no training settings, which continued training "
                         f"needs; train a model saved as a native directory (wordvec train -o DIR)")
    config = read_native_config(p)
    extra = config.get("extra")
    cfg = extra.get("config") if isinstance(extra, dict) else None
    name = cfg.get("model") if isinstance(cfg, dict) else None
    if name is None:
        raise ValueError(f"{os.fspath(path)}: holds vectors saved without their model (no training settings, "
                         f"no output layer), which cannot be trained further; save the model itself "
                         f"(model.save or wordvec train -o DIR)")
    if name not in TRAINABLE_MODELS:
        raise ValueError(f"{os.fspath(path)}: a {name} model cannot be trained further; continued training "
                         f"applies to {' and '.join(TRAINABLE_MODELS)} models")
    if config.get("has_output") is not True:
        raise ValueError(f"{os.fspath(path)}: this {name} model was saved without its output layer "
                         f"(syn1neg/syn1; wordvec saves it since continued training exists), so it cannot "
                         f"be trained further; train it again and save it with this version")
    return name


def format_rate(per_second: float) -> str:
    """A speed for people: ``1.25M``, ``830k``, ``950``."""
    if per_second >= 1e6:
        return f"{per_second / 1e6:,.2f}M"
    if per_second >= 1e3:
        return f"{per_second / 1e3:,.0f}k"
    return f"{per_second:,.0f}"
