"""Word2Vec (Mikolov et al. 2013): skip-gram and CBOW, negative sampling and hierarchical softmax."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import numpy as np

from wordvec.config import Word2VecConfig
from wordvec.exceptions import NotFittedError
from wordvec.corpus.encode import EncodedCorpus, cpu_count, scan_corpus
from wordvec.corpus.readers import as_corpus
from wordvec.corpus.tokenizers import Tokenizer, describe_tokenizer
from wordvec.train.callbacks import Callback
from wordvec.train.progress import TrainingProgress
from wordvec.train.trainer import run_epochs
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vocab import Vocab, build_huffman, keep_thresholds, negative_table

__all__ = ["Word2Vec", "NotFittedError"]



def init_input_vectors(n: int, d: int, seed: int) -> np.ndarray:
    """word2vec.c's initialisation, uniform in [-0.5/d, 0.5/d), drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    out = rng.random((n, d), dtype=np.float32)
    out -= 0.5
    out /= d
    return out


class Word2Vec:
    """Word2Vec estimator: parameters in ``__init__``, training in ``fit``.

    >>> model = Word2Vec(vector_size=50, architecture="cbow", min_count=1, epochs=2, progress=False)
    >>> model.fit([["the", "cat", "sat"], ["the", "dog", "sat"]]).wv["cat"].shape
    (50,)

    With ``workers=1`` and a fixed ``seed`` two runs give identical vectors; with more workers
    threads update shared vectors without locks (Hogwild), so results vary slightly between runs.
    Defaults are those of :class:`wordvec.config.Word2VecConfig`; see it for every parameter.
    """

    config_class = Word2VecConfig

    def __init__(self, vector_size: int = Word2VecConfig.vector_size, *,
                 architecture: str = Word2VecConfig.architecture,
                 loss: str = Word2VecConfig.loss,
                 window: int = Word2VecConfig.window,
                 negative: int = Word2VecConfig.negative,
                 sample: float = Word2VecConfig.sample,
                 min_count: int = Word2VecConfig.min_count,
                 max_vocab_size: int | None = Word2VecConfig.max_vocab_size,
                 epochs: int = Word2VecConfig.epochs,
                 alpha: float = Word2VecConfig.alpha,
                 min_alpha: float = Word2VecConfig.min_alpha,
                 cbow_mean: bool = Word2VecConfig.cbow_mean,
                 ns_exponent: float = Word2VecConfig.ns_exponent,
                 workers: int | None = Word2VecConfig.workers,
                 seed: int = Word2VecConfig.seed,
                 max_sentence_length: int = Word2VecConfig.max_sentence_length,
                 shared_negatives: bool = Word2VecConfig.shared_negatives,
                 tokenizer: str | Tokenizer | None = None,
                 callbacks: Sequence[Callback] = (),
                 progress: bool = True):
        self.vector_size = vector_size
        self.architecture = architecture
        self.loss = loss
        self.window = window
        self.negative = negative
        self.sample = sample
        self.min_count = min_count
        self.max_vocab_size = max_vocab_size
        self.epochs = epochs
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.cbow_mean = cbow_mean
        self.ns_exponent = ns_exponent
        self.workers = workers
        self.seed = seed
        self.max_sentence_length = max_sentence_length
        self.shared_negatives = shared_negatives
        self.tokenizer = tokenizer
        self.callbacks = callbacks
        self.progress = progress

    # ----------------------------------------------------------------- config
    @property
    def config(self) -> Word2VecConfig:
        """The hyperparameters as a frozen, validated config."""
        names = Word2VecConfig.__dataclass_fields__
        return Word2VecConfig(**{k: getattr(self, k) for k in names}).validate()

    def __repr__(self) -> str:
        c = self.config
        return (f"Word2Vec(vector_size={c.vector_size}, architecture={c.architecture!r}, "
                f"loss={c.loss!r}, window={c.window}, epochs={c.epochs})")

    # -------------------------------------------------------------------- fit
    def fit(self, corpus) -> Word2Vec:
        """Build the vocabulary from ``corpus`` and train; returns ``self``.

        ``corpus``: a path to a text file (one sentence per line, ``.gz`` too) or a directory,
        a list of paths, a list of token lists, or any restartable iterable of token lists.
        """
        cfg = self.config
        t0 = time.perf_counter()
        source = as_corpus(corpus, self.tokenizer, progress=self.progress)
        with TrainingProgress(0, "reading corpus", enabled=self.progress, unit="tokens") as bar:
            vocab, encoded = scan_corpus(source, min_count=cfg.min_count, max_vocab_size=cfg.max_vocab_size,
                                         max_sentence_length=cfg.max_sentence_length,
                                         progress=lambda n: bar.update(n))
        self._train(cfg, vocab, encoded)
        self.tokenizer_ = describe_tokenizer(source)
        self.training_stats_["seconds_total"] = time.perf_counter() - t0
        return self

    def _train(self, cfg: Word2VecConfig, vocab: Vocab, encoded: EncodedCorpus) -> None:
        workers = cfg.workers or cpu_count()
        syn0 = self._init_weights(cfg, vocab)
        keep = keep_thresholds(vocab.counts, cfg.sample)
        tokens, offsets = encoded.tokens, encoded.offsets
        kernel = self._make_kernel(cfg, vocab, syn0, tokens, offsets, keep)
        syn1 = kernel.output
        t0 = time.perf_counter()
        self.vocab_ = vocab
        self._syn0 = syn0
        self.output_vectors_ = syn1
        history = run_epochs(
            kernel, offsets=offsets, epochs=cfg.epochs, alpha=cfg.alpha, min_alpha=cfg.min_alpha,
            workers=workers, seed=cfg.seed, model=self, callbacks=self.callbacks, progress=self.progress,
            description=f"{cfg.architecture}/{cfg.loss}",
            check_finite=lambda: bool(np.isfinite(syn0).all()),
        )
        seconds = time.perf_counter() - t0
        self.loss_history_ = [h.loss for h in history]
        self.epoch_logs_ = history
        self.corpus_stats_ = {"raw_words": encoded.raw_words, "kept_tokens": encoded.n_tokens,
                              "sentences": encoded.n_sentences, "sentences_split": encoded.n_split}
        self.training_stats_ = {"seconds_train": seconds, "epochs_run": len(history), "workers": workers,
                                "words_per_second": encoded.raw_words * len(history) / max(seconds, 1e-9)}
        self._wv = None

    def _init_weights(self, cfg: Word2VecConfig, vocab: Vocab) -> np.ndarray:
        return init_input_vectors(len(vocab), cfg.vector_size, cfg.seed)

    def _make_kernel(self, cfg: Word2VecConfig, vocab: Vocab, syn0, tokens, offsets, keep):
        return _make_kernel(cfg, vocab, syn0, tokens, offsets, keep)

    def _build_vectors(self) -> KeyedVectors:
        return KeyedVectors(self.vocab_.index_to_key, self._syn0, counts=self.vocab_.counts)

    # ------------------------------------------------------------------ result
    @property
    def wv(self) -> KeyedVectors:
        """The trained word vectors."""
        if not hasattr(self, "_syn0"):
            raise NotFittedError(f"this {type(self).__name__} model is not trained yet: call fit(corpus) first")
        if self._wv is None:
            self._wv = self._build_vectors()
        return self._wv

    def save(self, path: str | os.PathLike) -> None:
        """Save the trained vectors and this model's settings in the native directory format."""
        from wordvec.io import save_native

        save_native(self.wv, path, extra={"config": self.config.to_dict(),
                                          "loss_history": self.loss_history_,
                                          "corpus": self.corpus_stats_,
                                          "tokenizer": getattr(self, "tokenizer_", None)})


class _Kernel:
    """A job callable bound to one training run's arrays (see trainer.JobKernel)."""

    def __init__(self, fn, output, before: tuple, after: tuple, tokens, offsets):
        self.fn, self.output, self.before, self.after = fn, output, before, after
        self.tokens, self.offsets = tokens, offsets

    def __call__(self, s0: int, s1: int, alpha0: float, alpha1: float, rng: np.ndarray):
        return self.fn(*self.before, self.tokens, self.offsets[s0:s1 + 1], *self.after, alpha0, alpha1, rng)


def _make_kernel(cfg: Word2VecConfig, vocab: Vocab, syn0, tokens, offsets, keep) -> _Kernel:
    from wordvec._kernels import cbow, skipgram

    syn1 = np.zeros_like(syn0)
    if cfg.loss == "negative":
        cum = negative_table(vocab.counts, cfg.ns_exponent)
        if cfg.architecture == "skipgram":
            fn = skipgram.skipgram_ns_batched if cfg.shared_negatives else skipgram.skipgram_ns
            return _Kernel(fn, syn1, (syn0, syn1), (keep, cum, cfg.window, cfg.negative),
                           tokens, offsets)
        return _Kernel(cbow.cbow_ns, syn1, (syn0, syn1),
                       (keep, cum, cfg.window, cfg.negative, cfg.cbow_mean), tokens, offsets)
    tree = build_huffman(vocab.counts)
    syn1 = np.zeros((max(len(vocab) - 1, 1), cfg.vector_size), dtype=np.float32)
    hs = (tree.codes, tree.points, tree.offsets)
    if cfg.architecture == "skipgram":
        return _Kernel(skipgram.skipgram_hs, syn1, (syn0, syn1), (keep, *hs, cfg.window), tokens, offsets)
    return _Kernel(cbow.cbow_hs, syn1, (syn0, syn1), (keep, *hs, cfg.window, cfg.cbow_mean), tokens, offsets)
