"""FastText (Bojanowski et al. 2017): Word2Vec whose input vectors are built from character n-grams."""

from __future__ import annotations

import numpy as np

from wordvec.config import FastTextConfig
from wordvec.corpus.readers import with_eos
from wordvec.models.word2vec import Word2Vec
from wordvec.models._jobs import check_memory, make_fasttext_job, word2vec_memory
from wordvec.vocab import Vocab

__all__ = ["FastText"]


def init_fasttext_input(n_rows: int, d: int, seed) -> np.ndarray:
    """fastText's initialisation of the input matrix (words and n-gram buckets): uniform in [-1/d, 1/d),
    drawn from ``seed`` (an int, or a sequence of ints for a separate stream)."""
    rng = np.random.default_rng(seed)
    out = rng.random((n_rows, d), dtype=np.float32)
    out *= 2.0 / d
    out -= 1.0 / d
    return out


class FastText(Word2Vec):
    """FastText estimator: everything Word2Vec takes, plus ``min_n``, ``max_n``, ``bucket``, ``jamo`` and ``eos``.

    >>> model = FastText(vector_size=16, min_count=1, bucket=1000, epochs=2, seed=1, progress=False)
    >>> model.fit([["the", "king", "rules"], ["the", "queen", "rules"]] * 5).wv      # 4 words and "</s>"
    SubwordVectors(5 keys, 16 dimensions, n-grams 3-6 in 1000 buckets)
    >>> model.wv["kingdom"].shape, "kingdom" in model.wv      # an unseen word gets a vector from its n-grams
    ((16,), False)

    A word is wrapped as ``<word>`` and its character n-grams of ``min_n..max_n`` characters are
    hashed with fastText's FNV-1a into ``bucket`` rows; its input vector is the mean of its own row
    and its n-gram rows, and training updates all of them. ``model.wv`` is a
    :class:`~wordvec.vectors.subword.SubwordVectors` that gives a vector for any string, in the
    vocabulary or not. ``max_n=0`` turns subwords off (plain Word2Vec on the same kernels).

    ``jamo=True`` (for Korean; Park et al. 2018) takes the n-grams of ``<decompose(word)>``, every
    Hangul syllable split into three jamo (:func:`wordvec.corpus.jamo.decompose`), instead of
    ``<word>``: the word keeps its own row and stays the key, but ``min_n``/``max_n`` count jamo
    (Park et al. use 3-6 jamo, i.e. 1-2 syllables; the defaults are not changed for you), and
    ``model.wv`` builds unseen words from jamo n-grams the same way. Words without Hangul get the
    same n-grams either way. Such models cannot be saved as fastText ``.bin`` (fastText has no
    jamo mode); save them natively or export the vocabulary as ``.vec``.

    As in fastText, every sentence (a line of a file) ends with the word ``</s>``
    (:func:`~wordvec.corpus.readers.with_eos`): counted, subsampled and trained like any word but
    without n-grams, it sits in the windows of each sentence's last words (worth 0.8 analogy points
    on the benchmark corpus, benchmarks/RESULTS.md); ``eos=False`` reads sentences as gensim does.
    The vocabulary holds it (``"</s>" in model.wv``), as fastText's ``.bin`` and ``.vec`` files do.

    Defaults: :class:`wordvec.config.FastTextConfig` (learning rate 0.05, as Facebook fastText).

    Continued training (:meth:`partial_fit`, :meth:`load`) works as Word2Vec's. The n-gram rows are
    hashed, so a grown vocabulary keeps them all (as gensim does): a new word starts from its own new
    row and n-gram rows that other words have already trained; ``min_n``, ``max_n``, ``bucket`` and
    ``jamo`` cannot change. Words absent from the new corpus keep their own rows, but their vectors
    move with the n-gram rows they share with words that are present.
    """

    config_class = FastTextConfig
    _repr_fields = ("vector_size", "architecture", "loss", "min_n", "max_n", "bucket")
    _repr_if_changed = ("jamo", "eos")
    _fixed_after_fit = ("vector_size", "loss", "min_n", "max_n", "bucket", "jamo", "eos")

    def __init__(self, vector_size: int = FastTextConfig.vector_size, *,
                 min_n: int = FastTextConfig.min_n, max_n: int = FastTextConfig.max_n,
                 bucket: int = FastTextConfig.bucket, alpha: float = FastTextConfig.alpha,
                 ns_exponent: float = FastTextConfig.ns_exponent,
                 shared_negatives: bool = FastTextConfig.shared_negatives,
                 jamo: bool = FastTextConfig.jamo, eos: bool = FastTextConfig.eos, **kwargs):
        super().__init__(vector_size, alpha=alpha, ns_exponent=ns_exponent, shared_negatives=shared_negatives,
                         **kwargs)
        self.min_n = min_n
        self.max_n = max_n
        self.bucket = bucket
        self.jamo = jamo
        self.eos = eos

    def _sentences(self, source, cfg: FastTextConfig):
        return with_eos(source) if cfg.eos else source

    def _check_memory(self, cfg: FastTextConfig, n_words: int | None) -> None:
        buckets = cfg.bucket if cfg.max_n > 0 else 0
        n = 1 if n_words is None else n_words
        words = "" if n_words is None else f"{n:,} words and "
        check_memory(word2vec_memory(cfg, n, n + buckets),
                     f"{words}{buckets:,} n-gram buckets x {cfg.vector_size:,} dimensions "
                     f"(input and output float32 matrices)",
                     "lower bucket (--bucket) or vector_size (-d), or shrink the vocabulary with min_count")

    def _init_weights(self, cfg: FastTextConfig, vocab: Vocab) -> np.ndarray:
        buckets = cfg.bucket if cfg.max_n > 0 else 0
        return init_fasttext_input(len(vocab) + buckets, cfg.vector_size, cfg.seed)

    def _make_kernel(self, cfg: FastTextConfig, vocab: Vocab, syn0, tokens, offsets, keep, output=None):
        return make_fasttext_job(cfg, vocab, syn0, tokens, offsets, keep, output)

    def _new_rows(self, cfg: FastTextConfig, n_old: int, n_new: int) -> np.ndarray:
        return init_fasttext_input(n_new, cfg.vector_size, [cfg.seed, n_old])

    def _grow_input(self, cfg: FastTextConfig, syn0: np.ndarray, n_old: int, n: int) -> np.ndarray:
        """Word rows, the new words' rows, then the n-gram rows unchanged (fastText's layout)."""
        return np.concatenate([syn0[:n_old], self._new_rows(cfg, n_old, n - n_old), syn0[n_old:]])

    def _input_from(self, kv) -> np.ndarray:
        from wordvec.vectors.subword import SubwordVectors

        if not isinstance(kv, SubwordVectors):  # trainable_model_name checked the model; this is damage
            raise ValueError("a FastText model directory holds no n-gram rows")
        return np.concatenate([kv.word_rows, kv.ngram_rows]).astype(np.float32, copy=False)

    def _build_vectors(self):
        from wordvec.vectors.subword import SubwordVectors

        cfg = self.config
        n = len(self.vocab_)
        return SubwordVectors(self.vocab_.index_to_key, self._syn0[:n], self._syn0[n:], min_n=cfg.min_n,
                              max_n=cfg.max_n, bucket=cfg.bucket if cfg.max_n > 0 else 0,
                              counts=self.vocab_.counts, jamo=cfg.jamo)

    def save_fasttext_bin(self, path) -> None:
        """Save as a Facebook fastText ``.bin`` model (input and output matrices, dictionary, arguments)
        that fastText and gensim's ``load_facebook_model`` read back with the same vectors.

        A ``jamo=True`` model is refused with a ValueError: fastText would take syllable n-grams
        and so compute different vectors for unseen words (use :meth:`save` or a ``.vec`` export)."""
        from wordvec.io.fasttext_format import save_fasttext_bin

        cfg = self.config
        args = {"ws": cfg.window, "epoch": cfg.epochs, "neg": cfg.negative, "minCount": cfg.min_count,
                "t": cfg.sample,
                "loss": "hs" if cfg.loss == "hierarchical" else "ns",
                "model": "sg" if cfg.architecture == "skipgram" else "cbow"}
        save_fasttext_bin(path, self.wv, self.output_vectors_, args, ntokens=self.corpus_stats_["total_words"])
