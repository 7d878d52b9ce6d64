"""Word2Vec (Mikolov et al. 2013): skip-gram and CBOW, negative sampling and hierarchical softmax."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from wordvec.config import Word2VecConfig
from wordvec.corpus import encode as _encode
from wordvec.corpus.encode import EncodedCorpus, cpu_count, scan_corpus
from wordvec.corpus.tokenizers import Tokenizer
from wordvec.exceptions import NotFittedError
from wordvec.models.base import Estimator, format_rate
from wordvec.train.callbacks import Callback
from wordvec.train.progress import TrainingProgress
from wordvec.train.trainer import JOB_WORDS, run_epochs
from wordvec.vectors.keyed import KeyedVectors
from wordvec.models._jobs import check_memory, make_word2vec_job, word2vec_memory
from wordvec.vocab import Vocab, keep_thresholds

__all__ = ["Word2Vec", "NotFittedError"]

_LOSS_NAMES = {"negative": "negative sampling", "hierarchical": "hierarchical softmax"}


def init_input_vectors(n: int, d: int, seed: int) -> np.ndarray:
    """word2vec.c's initialisation, uniform in [-0.5/d, 0.5/d), drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    out = rng.random((n, d), dtype=np.float32)
    out -= 0.5
    out /= d
    return out


def _all_finite(matrix: np.ndarray, rows: int = 1 << 14) -> bool:
    """``np.isfinite(matrix).all()`` by blocks of rows: no boolean copy of the whole matrix (FastText's
    2M n-gram rows would need 200 MB more at the end of every epoch)."""
    return all(bool(np.isfinite(matrix[i:i + rows]).all()) for i in range(0, matrix.shape[0], rows))


class _StreamedJob:
    """A KernelJob run on sentences read from a streamed corpus, job by job (offsets from 0: the kernels
    use only differences of offsets, so the result is the in-memory job's, bit for bit)."""

    def __init__(self, job, encoded: EncodedCorpus):
        self.job, self.encoded = job, encoded
        self.start_loss = job.start_loss

    def __call__(self, s0: int, s1: int, alpha0: float, alpha1: float, rng: np.ndarray):
        job = self.job
        tokens, offsets = self.encoded.read_sentences(s0, s1)
        return job.fn(*job.before, tokens, offsets, *job.after, alpha0, alpha1, rng)


class Word2Vec(Estimator):
    """Word2Vec estimator: parameters in ``__init__``, training in ``fit``.

    >>> model = Word2Vec(vector_size=50, architecture="cbow", min_count=1, epochs=2, progress=False)
    >>> model.fit([["the", "cat", "sat"], ["the", "dog", "sat"]]).wv["cat"].shape
    (50,)

    With ``workers=1`` and a fixed ``seed`` two runs give identical vectors; with more workers
    threads update shared vectors without locks (Hogwild), so results vary slightly between runs.
    Defaults are those of :class:`wordvec.config.Word2VecConfig`; see it for every parameter.
    """

    config_class = Word2VecConfig
    _repr_fields = ("vector_size", "architecture", "loss", "window", "epochs")

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

    # -------------------------------------------------------------------- fit
    def fit(self, corpus, *, encoding: str | None = None) -> Word2Vec:
        """Build the vocabulary from ``corpus`` and train; returns ``self``.

        ``corpus``: a path to a text file (one sentence per line, ``.gz`` too) or a directory,
        a list of paths, a list of token lists, or any restartable iterable of token lists.
        ``encoding``: the text files' encoding (None: UTF-8; ``"latin-1"``, ``"cp949"``, ...).

        A corpus of more than :data:`wordvec.corpus.encode.SPILL_TOKENS` tokens (4M) is encoded to
        anonymous temporary files in ``$TMPDIR`` (4 bytes a kept token, 8 a sentence, freed when
        ``fit`` returns) and read back job by job, so memory does not grow with the corpus.
        """
        cfg = self.config
        t0 = time.perf_counter()
        source = self._open_corpus(corpus, encoding)
        self._check_memory(cfg, None)  # what no vocabulary can make smaller (FastText's buckets)
        with TrainingProgress(0, "reading corpus", enabled=self.progress, unit="tokens") as bar:
            vocab, encoded = scan_corpus(source, min_count=cfg.min_count, max_vocab_size=cfg.max_vocab_size,
                                         max_sentence_length=cfg.max_sentence_length,
                                         progress=lambda n: bar.update(n), spill_tokens=_encode.SPILL_TOKENS)
        try:
            self._train(cfg, vocab, encoded)
        finally:
            encoded.close()
        self.training_stats_["seconds_total"] = time.perf_counter() - t0
        return self

    def _train(self, cfg: Word2VecConfig, vocab: Vocab, encoded: EncodedCorpus) -> None:
        workers = cfg.workers or cpu_count()
        self._check_memory(cfg, len(vocab))
        syn0 = self._init_weights(cfg, vocab)
        keep = keep_thresholds(vocab.counts, cfg.sample)
        tokens, offsets = encoded.tokens, encoded.offsets
        kernel = self._make_kernel(cfg, vocab, syn0, tokens, offsets, keep)
        syn1 = kernel.output
        jobs = None
        if encoded.streamed:  # each job reads its sentences from disk: memory flat in corpus length
            kernel, offsets, jobs = _StreamedJob(kernel, encoded), None, encoded.job_cuts(JOB_WORDS)
        t0 = time.perf_counter()
        self._syn0 = syn0
        self.output_vectors_ = syn1
        self.vocab_ = vocab  # fitted from here on: callbacks may read the vectors between epochs
        self._wv = None
        history = run_epochs(
            kernel, offsets=offsets, jobs=jobs, epochs=cfg.epochs, alpha=cfg.alpha, min_alpha=cfg.min_alpha,
            workers=workers, seed=cfg.seed, model=self, callbacks=self.callbacks, progress=self.progress,
            description=f"{cfg.architecture}/{cfg.loss}",
            check_finite=lambda: _all_finite(syn0),
            rate_option="--alpha", start_loss=kernel.start_loss,
        )
        self._record(history, {"total_words": encoded.total_words, "retained_words": encoded.retained_words,
                               "sentences": encoded.n_sentences, "sentences_split": encoded.n_split},
                     seconds=time.perf_counter() - t0, workers=workers, words=encoded.total_words)

    def _check_memory(self, cfg: Word2VecConfig, n_words: int | None) -> None:
        """Refuse (ValueError) input and output matrices larger than the memory available, for a
        vocabulary of ``n_words`` (None: before the corpus is read, one word)."""
        n = 1 if n_words is None else n_words
        check_memory(word2vec_memory(cfg, n),
                     f"{n:,} words x {cfg.vector_size:,} dimensions (input and output float32 matrices)",
                     "lower vector_size (-d), or shrink the vocabulary with min_count or max_vocab_size")

    def _init_weights(self, cfg: Word2VecConfig, vocab: Vocab) -> np.ndarray:
        return init_input_vectors(len(vocab), cfg.vector_size, cfg.seed)

    def _make_kernel(self, cfg: Word2VecConfig, vocab: Vocab, syn0, tokens, offsets, keep):
        return make_word2vec_job(cfg, vocab, syn0, tokens, offsets, keep)

    def _build_vectors(self) -> KeyedVectors:
        return KeyedVectors(self.vocab_.index_to_key, self._syn0, counts=self.vocab_.counts)

    # ------------------------------------------------------------------ result
    def summary(self) -> str:
        """One paragraph: the corpus, the vocabulary, time, speed and the final loss."""
        self._check_fitted()
        cfg, corpus, stats = self.config, self.corpus_stats_, self.training_stats_
        split = corpus.get("sentences_split", 0)
        split_note = (f" ({split:,} longer than max_sentence_length={cfg.max_sentence_length:,} were split)"
                      if split else "")
        logs = self.epoch_logs_
        loss_note = (f"final loss {logs[-1].mean_loss:.4f} per example (epoch total {logs[-1].loss:,.1f})"
                     if logs else "no loss recorded")
        epochs, workers = stats["epochs_run"], stats["workers"]
        return (f"Trained {cfg.model_name} ({cfg.architecture}, {_LOSS_NAMES.get(cfg.loss, cfg.loss)}, "
                f"{cfg.vector_size} dimensions) on {corpus['total_words']:,} tokens in "
                f"{corpus['sentences']:,} sentences{split_note}: {len(self.vocab_):,} words in the vocabulary "
                f"(min_count={cfg.min_count}), covering {corpus['retained_words']:,} tokens. "
                f"{epochs} epoch{'s' if epochs != 1 else ''} took {stats['seconds_train']:.2f} s "
                f"({format_rate(stats['words_per_second'])} words/s, {workers} worker{'s' if workers != 1 else ''}; "
                f"{stats.get('seconds_total', stats['seconds_train']):.2f} s in all); {loss_note}.")
