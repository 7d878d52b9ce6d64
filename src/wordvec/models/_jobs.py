"""Training jobs: a numba kernel bound to one training run's arrays.

The trainer (train/trainer.py) calls ``job(s0, s1, alpha0, alpha1, rng)`` for each job of
sentences ``s0:s1`` (``JobKernel``). ``make_word2vec_job`` and ``make_fasttext_job`` pick the
kernel for the configuration (architecture x loss, shared negatives) and build what it needs
besides the corpus: the output matrix — ``syn1neg`` with one row per word for negative
sampling, ``syn1`` with one row per inner node of the Huffman tree for hierarchical softmax
(word2vec.c's InitNet), or the one a trained model carries into continued training — the noise
table or the tree, and for FastText the subword table. With ``deterministic=True`` the kernel is the
private-row twin of that kernel, and the job hands back its updates for the trainer to commit.

``check_memory`` refuses, before they are allocated, arrays that the machine cannot hold: every
estimator calls it where the vocabulary size and the dimensions are known.
"""

from __future__ import annotations

import math
import os
import queue

import numpy as np

from wordvec.config import FastTextConfig, Word2VecConfig
from wordvec.vocab import Vocab, build_huffman, negative_guide, negative_table
from wordvec.vocab.sampling import THRESHOLD_ONE
from wordvec.vocab.subwords import subword_table

__all__ = ["KernelJob", "make_word2vec_job", "make_fasttext_job", "word2vec_memory", "check_memory",
           "available_memory", "output_rows"]

_GIB = 1 << 30


def available_memory() -> int | None:
    """Bytes of memory a new allocation can get now: Linux's MemAvailable, else the physical memory
    (``os.sysconf``); None where neither is known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(needed: int, what: str, hint: str) -> None:
    """A ValueError if ``needed`` bytes (described by ``what``) exceed the memory available now.

    ``hint`` says which settings to lower. Called before the arrays are allocated, so a size that
    cannot fit is one clear line instead of a MemoryError (or the OOM killer) after the corpus scan.
    """
    available = available_memory()
    if available is not None and needed > available:
        raise ValueError(f"{what} need {_size(needed)} of memory, but this machine has {_size(available)} "
                         f"available: {hint}")


def _size(n: int) -> str:
    return f"{n / _GIB:,.1f} GiB" if n >= _GIB else f"{n / (1 << 20):,.1f} MiB"


def word2vec_memory(cfg: Word2VecConfig, vocab_size: int, input_rows: int | None = None) -> int:
    """Bytes of a Word2Vec/FastText run's float32 matrices: the input (``input_rows``, default one row
    per word) and the output layer (one row per word, or per inner Huffman node)."""
    input_rows = vocab_size if input_rows is None else input_rows
    return 4 * cfg.vector_size * (input_rows + output_rows(cfg, vocab_size))


class KernelJob:
    """``job(s0, s1, alpha0, alpha1, rng)`` runs ``fn(*before, tokens, offsets[s0:s1 + 1], *after, alpha0, alpha1, rng)``.

    ``output`` is the output matrix the kernel trains; ``sub`` the (ids, offsets) subword table a
    FastText kernel reads (None for Word2Vec); ``start_loss`` the loss per example at the start.

    ``deterministic``: ``fn`` is one of the private-row kernels (_kernels/deterministic.py,
    subword_deterministic.py), called with two row maps after ``before`` (one per matrix, all -1,
    kept in a pool between jobs: one pair per thread that runs a job at once). The job then leaves the
    matrices alone and returns ``(loss, examples, words, update)``; :meth:`commit` adds ``update`` to
    the matrices (the trainer does, in job order, after each round).
    """

    def __init__(self, fn, output: np.ndarray, before: tuple, after: tuple, tokens: np.ndarray,
                 offsets: np.ndarray, sub: tuple | None = None, start_loss: float | None = None,
                 deterministic: bool = False):
        self.fn, self.output, self.before, self.after = fn, output, before, after
        self.tokens, self.offsets, self.sub = tokens, offsets, sub
        #: The loss per example before any update (the trainer's divergence check compares with it).
        self.start_loss = start_loss
        self.deterministic = deterministic
        self._maps: queue.SimpleQueue = queue.SimpleQueue()
        self._bm = None

    def __call__(self, s0: int, s1: int, alpha0: float, alpha1: float, rng: np.ndarray):
        return self.run(self.tokens, self.offsets[s0:s1 + 1], alpha0, alpha1, rng)

    def run(self, tokens: np.ndarray, offsets: np.ndarray, alpha0: float, alpha1: float, rng: np.ndarray):
        """The kernel on the sentences ``offsets`` of ``tokens`` (a job's own, or read from disk)."""
        if not self.deterministic:
            return self.fn(*self.before, tokens, offsets, *self.after, alpha0, alpha1, rng)
        try:
            maps = self._maps.get_nowait()
        except queue.Empty:
            maps = tuple(np.full(m.shape[0], -1, dtype=np.int32) for m in self.before)
        loss, examples, words, rows0, delta0, rows1, delta1 = self.fn(*self.before, *maps, tokens, offsets,
                                                                      *self.after, alpha0, alpha1, rng)
        self._maps.put(maps)  # all -1 again (an exception drops the pair instead)
        return loss, examples, words, (rows0, delta0, rows1, delta1, 0.5 * (alpha0 + alpha1))  # its mean rate

    def commit(self, updates: list, map_parts=None, parts: int = 1) -> None:
        """Add a round's ``updates`` (each job's sparse deltas, in job order) to the input and output
        matrices: their mean filtered by a block momentum
        (:meth:`wordvec.train.momentum.BlockMomentum.apply_in_place`, ``mu = 1 - 1 / jobs a round``;
        the matrices hold the look-ahead point the next round's jobs read). Every sum runs in job
        order. The momentum holds one float32 copy of each matrix (allocated at the first round);
        rows are brought up to date lazily (:meth:`settle` at the end of each epoch). ``map_parts``
        (the trainer's thread pool's ``map``) and ``parts`` split the rows among threads, the same
        bits for any ``parts`` (:meth:`~wordvec.train.momentum.BlockMomentum.apply_in_place`).
        """
        from wordvec.train.momentum import BlockMomentum

        if self._bm is None:
            self._bm = BlockMomentum(len(updates), [m.shape for m in self.before])
        for which, m in enumerate(self.before):
            self._bm.apply_in_place(which, m, [(u[2 * which], u[2 * which + 1]) for u in updates],
                                    [1.0] * len(updates), map_parts, parts)

    def settle(self) -> None:
        """Make the momentum's deferred moves (deterministic training; nothing before the first round)."""
        if self._bm is not None:
            for which, m in enumerate(self.before):
                self._bm.settle(which, m)


def output_rows(cfg: Word2VecConfig, vocab_size: int) -> int:
    """Rows of the output matrix: one per word (negative sampling) or per inner Huffman node (at least one)."""
    return vocab_size if cfg.loss == "negative" else max(vocab_size - 1, 1)


def _output_layer(cfg: Word2VecConfig, vocab: Vocab, keep: np.ndarray,
                  output: np.ndarray | None = None) -> tuple[np.ndarray, tuple, tuple, float]:
    """(output matrix, the loss's tables, the loss's arguments after ``window``, the loss per example
    at the start) for ``cfg.loss``.

    The output layer starts at zero (word2vec.c's InitNet), so every logistic step starts at
    log 2: negative sampling at (1 + negative) * log 2 per example, hierarchical softmax at
    log 2 per node of the target's code, averaged here over the tokens subsampling keeps.
    ``output``: a trained output layer to go on training instead (continued training); the start
    loss stays the untrained one, a ceiling for the divergence check. The Huffman tree is built
    from the counts in any order (a grown vocabulary is not sorted; on sorted counts the tree is
    word2vec.c's).
    """
    shape = (output_rows(cfg, len(vocab)), cfg.vector_size)
    if output is not None and (output.shape != shape or output.dtype != np.float32
                               or not output.flags.c_contiguous or not output.flags.writeable):
        raise ValueError(f"the output layer must be a writable C-contiguous float32 {shape} matrix, "
                         f"got {output.dtype} {output.shape}")
    if cfg.loss == "negative":
        syn1neg = np.zeros(shape, dtype=np.float32) if output is None else output
        cum_table = negative_table(vocab.counts, cfg.ns_exponent)
        return (syn1neg, (cum_table, negative_guide(cum_table)), (cfg.negative,),
                (1 + cfg.negative) * math.log(2))
    tree = build_huffman(vocab.counts, sort=True)
    syn1 = np.zeros(shape, dtype=np.float32) if output is None else output
    kept = vocab.counts * np.minimum(keep / THRESHOLD_ONE, 1.0)
    lengths = np.diff(tree.offsets)
    start = math.log(2) * float(kept @ lengths / kept.sum()) if kept.sum() > 0 else None
    return syn1, (tree.codes, tree.points, tree.offsets), (), start


def make_word2vec_job(cfg: Word2VecConfig, vocab: Vocab, syn0: np.ndarray, tokens: np.ndarray,
                      offsets: np.ndarray, keep: np.ndarray, output: np.ndarray | None = None) -> KernelJob:
    """The job for a Word2Vec run: a skipgram.py or cbow.py kernel on ``syn0`` and a new output matrix
    (or ``output``, a trained one)."""
    syn1, tables, loss_args, start = _output_layer(cfg, vocab, keep, output)
    negative = cfg.loss == "negative"
    if cfg.deterministic:
        from wordvec._kernels import deterministic as det

        if cfg.architecture == "skipgram":
            fn = det.det_skipgram_ns if negative else det.det_skipgram_hs
            after = (keep, *tables, cfg.window, *loss_args, *((cfg.shared_negatives,) if negative else ()))
        else:
            fn = det.det_cbow_ns if negative else det.det_cbow_hs
            after = (keep, *tables, cfg.window, *loss_args, cfg.cbow_mean)
        return KernelJob(fn, syn1, (syn0, syn1), after, tokens, offsets, start_loss=start, deterministic=True)
    from wordvec._kernels import cbow, skipgram

    if cfg.architecture == "skipgram":
        if negative:
            fn = skipgram.skipgram_ns_batched if cfg.shared_negatives else skipgram.skipgram_ns
        else:
            fn = skipgram.skipgram_hs
        after = (keep, *tables, cfg.window, *loss_args)
    else:
        fn = cbow.cbow_ns if negative else cbow.cbow_hs
        after = (keep, *tables, cfg.window, *loss_args, cfg.cbow_mean)
    return KernelJob(fn, syn1, (syn0, syn1), after, tokens, offsets, start_loss=start)


def make_fasttext_job(cfg: FastTextConfig, vocab: Vocab, syn0: np.ndarray, tokens: np.ndarray,
                      offsets: np.ndarray, keep: np.ndarray, output: np.ndarray | None = None) -> KernelJob:
    """The job for a FastText run: a subword.py kernel on ``syn0`` (word rows, then ``bucket`` n-gram
    rows), the vocabulary's subword table and a new output matrix (or ``output``, a trained one)."""
    from wordvec._kernels import subword

    words = vocab.index_to_key
    if cfg.jamo:  # n-grams of the decomposed spelling; row w is still word w's own
        from wordvec.corpus.jamo import decompose

        words = [decompose(w) for w in words]
    sub = subword_table(words, cfg.min_n, cfg.max_n, cfg.bucket)
    syn1, tables, loss_args, start = _output_layer(cfg, vocab, keep, output)
    after = (keep, *sub, *tables, cfg.window, *loss_args)
    if cfg.deterministic:
        from wordvec._kernels import subword_deterministic as det

        if cfg.loss == "negative" and cfg.architecture == "skipgram":
            fn, after = det.det_subword_skipgram_ns, (*after, cfg.shared_negatives)
        elif cfg.loss == "negative":
            fn = det.det_subword_cbow_ns
        else:
            fn = det.det_subword_skipgram_hs if cfg.architecture == "skipgram" else det.det_subword_cbow_hs
        return KernelJob(fn, syn1, (syn0, syn1), after, tokens, offsets, sub=sub, start_loss=start,
                         deterministic=True)
    if cfg.loss == "negative":
        if cfg.architecture == "skipgram":
            fn = subword.subword_skipgram_ns_batched if cfg.shared_negatives else subword.subword_skipgram_ns
        else:
            fn = subword.subword_cbow_ns
    else:
        fn = subword.subword_skipgram_hs if cfg.architecture == "skipgram" else subword.subword_cbow_hs
    return KernelJob(fn, syn1, (syn0, syn1), after, tokens, offsets, sub=sub, start_loss=start)
