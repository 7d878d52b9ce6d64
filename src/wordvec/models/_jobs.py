"""Training jobs: a numba kernel bound to one training run's arrays.

The trainer (train/trainer.py) calls ``job(s0, s1, alpha0, alpha1, rng)`` for each job of
sentences ``s0:s1`` (``JobKernel``). ``make_word2vec_job`` and ``make_fasttext_job`` pick the
kernel for the configuration (architecture x loss, shared negatives) and build what it needs
besides the corpus: the output matrix — ``syn1neg`` with one row per word for negative
sampling, ``syn1`` with one row per inner node of the Huffman tree for hierarchical softmax
(word2vec.c's InitNet) — the noise table or the tree, and for FastText the subword table.
"""

from __future__ import annotations

import numpy as np

from wordvec.config import FastTextConfig, Word2VecConfig
from wordvec.vocab import Vocab, build_huffman, negative_table
from wordvec.vocab.subwords import subword_table

__all__ = ["KernelJob", "make_word2vec_job", "make_fasttext_job"]


class KernelJob:
    """``job(s0, s1, alpha0, alpha1, rng)`` runs ``fn(*before, tokens, offsets[s0:s1 + 1], *after, alpha0, alpha1, rng)``.

    ``output`` is the output matrix the kernel trains; ``sub`` the (ids, offsets) subword table a
    FastText kernel reads (None for Word2Vec).
    """

    def __init__(self, fn, output: np.ndarray, before: tuple, after: tuple, tokens: np.ndarray,
                 offsets: np.ndarray, sub: tuple | None = None):
        self.fn, self.output, self.before, self.after = fn, output, before, after
        self.tokens, self.offsets, self.sub = tokens, offsets, sub

    def __call__(self, s0: int, s1: int, alpha0: float, alpha1: float, rng: np.ndarray):
        return self.fn(*self.before, self.tokens, self.offsets[s0:s1 + 1], *self.after, alpha0, alpha1, rng)


def _output_layer(cfg: Word2VecConfig, vocab: Vocab) -> tuple[np.ndarray, tuple, tuple]:
    """(output matrix, the loss's tables, the loss's arguments after ``window``) for ``cfg.loss``."""
    if cfg.loss == "negative":
        syn1neg = np.zeros((len(vocab), cfg.vector_size), dtype=np.float32)
        return syn1neg, (negative_table(vocab.counts, cfg.ns_exponent),), (cfg.negative,)
    tree = build_huffman(vocab.counts)
    syn1 = np.zeros((max(len(vocab) - 1, 1), cfg.vector_size), dtype=np.float32)
    return syn1, (tree.codes, tree.points, tree.offsets), ()


def make_word2vec_job(cfg: Word2VecConfig, vocab: Vocab, syn0: np.ndarray, tokens: np.ndarray,
                      offsets: np.ndarray, keep: np.ndarray) -> KernelJob:
    """The job for a Word2Vec run: a skipgram.py or cbow.py kernel on ``syn0`` and a new output matrix."""
    from wordvec._kernels import cbow, skipgram

    syn1, tables, loss_args = _output_layer(cfg, vocab)
    negative = cfg.loss == "negative"
    if cfg.architecture == "skipgram":
        if negative:
            fn = skipgram.skipgram_ns_batched if cfg.shared_negatives else skipgram.skipgram_ns
        else:
            fn = skipgram.skipgram_hs
        after = (keep, *tables, cfg.window, *loss_args)
    else:
        fn = cbow.cbow_ns if negative else cbow.cbow_hs
        after = (keep, *tables, cfg.window, *loss_args, cfg.cbow_mean)
    return KernelJob(fn, syn1, (syn0, syn1), after, tokens, offsets)


def make_fasttext_job(cfg: FastTextConfig, vocab: Vocab, syn0: np.ndarray, tokens: np.ndarray,
                      offsets: np.ndarray, keep: np.ndarray) -> KernelJob:
    """The job for a FastText run: a subword.py kernel on ``syn0`` (word rows, then ``bucket`` n-gram
    rows), the vocabulary's subword table and a new output matrix."""
    from wordvec._kernels import subword

    words = vocab.index_to_key
    if cfg.jamo:  # n-grams of the decomposed spelling; row w is still word w's own
        from wordvec.corpus.jamo import decompose

        words = [decompose(w) for w in words]
    sub = subword_table(words, cfg.min_n, cfg.max_n, cfg.bucket)
    syn1, tables, loss_args = _output_layer(cfg, vocab)
    if cfg.loss == "negative":
        if cfg.architecture == "skipgram":
            fn = subword.subword_skipgram_ns_batched if cfg.shared_negatives else subword.subword_skipgram_ns
        else:
            fn = subword.subword_cbow_ns
    else:
        fn = subword.subword_skipgram_hs if cfg.architecture == "skipgram" else subword.subword_cbow_hs
    return KernelJob(fn, syn1, (syn0, syn1), (keep, *sub, *tables, cfg.window, *loss_args), tokens, offsets,
                     sub=sub)
