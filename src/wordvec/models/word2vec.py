"""Word2Vec (Mikolov et al. 2013): skip-gram and CBOW, negative sampling and hierarchical softmax.

Continued training (``partial_fit``, ``Word2Vec.load``) follows gensim's ``train()`` on a trained
model and its ``build_vocab(update=True)``; where it differs, :meth:`Word2Vec.partial_fit` says so.
"""

from __future__ import annotations

import dataclasses
import os
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from wordvec.config import Word2VecConfig
from wordvec.corpus import encode as _encode
from wordvec.corpus.encode import EncodedCorpus, cpu_count, scan_corpus
from wordvec.corpus.tokenizers import Tokenizer
from wordvec.exceptions import EmptyVocabularyError, FormatError, NotFittedError
from wordvec.models.base import Estimator, format_rate, trainable_model_name
from wordvec.train.callbacks import Callback, EpochLogs
from wordvec.train.progress import TrainingProgress
from wordvec.train import trainer as _trainer
from wordvec.train.trainer import JOB_WORDS, run_epochs
from wordvec.vectors.keyed import KeyedVectors
from wordvec.models._jobs import check_memory, make_word2vec_job, output_rows, word2vec_memory
from wordvec.vocab import Vocab, build_huffman, keep_thresholds, matching_inner_nodes
from wordvec.vocab.sampling import THRESHOLD_ONE

__all__ = ["Word2Vec", "NotFittedError"]

_LOSS_NAMES = {"negative": "negative sampling", "hierarchical": "hierarchical softmax"}


def init_input_vectors(n: int, d: int, seed: int | Sequence[int]) -> np.ndarray:
    """word2vec.c's initialisation, uniform in [-0.5/d, 0.5/d), drawn from ``seed`` (NumPy's
    ``default_rng`` seed: an int, or a sequence of ints for a separate stream)."""
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
    use only differences of offsets, so the result is the in-memory job's, bit for bit).

    ``remap`` (continued training): the ids in the file are the new corpus's own; each job maps them
    to the model's vocabulary and drops the tokens of words outside it, as :func:`_remap_encoded` does
    to a corpus held in memory."""

    def __init__(self, job, encoded: EncodedCorpus, remap: np.ndarray | None = None):
        self.job, self.encoded, self.remap = job, encoded, remap
        self.start_loss = job.start_loss
        self.commit, self.settle = job.commit, job.settle  # deterministic training (see the trainer)

    def __call__(self, s0: int, s1: int, alpha0: float, alpha1: float, rng: np.ndarray):
        tokens, offsets = self.encoded.read_sentences(s0, s1)
        if self.remap is not None:
            tokens, offsets = _compact(tokens, offsets, self.remap)
        return self.job.run(tokens, offsets, alpha0, alpha1, rng)


def _compact(tokens: np.ndarray, offsets: np.ndarray, remap: np.ndarray,
             kept: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sentences with every id mapped through ``remap`` and the ids mapped to -1 dropped (emptied
    sentences too), as the corpus scan drops the words ``min_count`` prunes (before windowing)."""
    from wordvec._kernels.encode import compact_chunk

    out = np.empty(tokens.shape[0] if kept is None else kept, dtype=np.int32)
    out_offsets = np.zeros(offsets.shape[0], dtype=np.int64)
    lengths = np.diff(offsets)
    n_tokens, n_sent = compact_chunk(np.ascontiguousarray(tokens, dtype=np.int32), lengths, remap, out,
                                     out_offsets, 0, 0)
    return out[:n_tokens], out_offsets[:n_sent + 1].copy()


def _remap_encoded(encoded: EncodedCorpus, remap: np.ndarray, kept: int) -> EncodedCorpus:
    """An in-memory encoded corpus mapped to the model's vocabulary (``kept`` tokens remain)."""
    tokens, offsets = _compact(encoded.tokens, encoded.offsets, remap, kept)
    return EncodedCorpus(tokens, offsets, total_words=encoded.total_words, n_split=encoded.n_split)


def _epoch_logs(saved: Any) -> list[EpochLogs]:
    """The epoch logs a saved model kept (an empty list where they are missing or unreadable)."""
    try:
        return [EpochLogs(**log) for log in saved]
    except TypeError:
        return []


def _tokenizer_from(described: Any):
    """The tokenizer a saved model's description names (:func:`describe_tokenizer`), or None where it
    names none or one that cannot be rebuilt (a custom callable: set ``model.tokenizer`` again)."""
    if not isinstance(described, dict):
        return None
    name = described.get("name")
    options = {k: v for k, v in described.items() if k != "name"}
    try:
        if name == "regex":
            from wordvec.corpus.tokenizers import RegexTokenizer

            return RegexTokenizer(**options)
        if name == "whitespace":
            from wordvec.corpus.tokenizers import WhitespaceTokenizer

            return WhitespaceTokenizer(**options)
        if name == "korean":
            from wordvec.corpus.korean import KoreanTokenizer

            known = ("tags", "drop_particles", "drop_endings", "drop_punctuation", "content_only", "normalize",
                     "stopwords")
            return KoreanTokenizer(**{k: v for k, v in options.items() if k in known})
    except TypeError:  # options of another version: the user can pass the tokenizer again
        return None
    return None


class Word2Vec(Estimator):
    """Word2Vec estimator: parameters in ``__init__``, training in ``fit``.

    >>> model = Word2Vec(vector_size=50, architecture="cbow", min_count=1, epochs=2, progress=False)
    >>> model.fit([["the", "cat", "sat"], ["the", "dog", "sat"]]).wv["cat"].shape
    (50,)

    With ``workers=1`` and a fixed ``seed`` two runs give identical vectors; with more workers
    threads update shared vectors without locks (Hogwild), so results vary slightly between runs.
    ``deterministic=True`` gives the same vectors, bit for bit, for a seed whatever ``workers``: jobs
    train in fixed rounds against a snapshot and their updates are combined in job order
    (:mod:`wordvec.train.trainer`). gensim and fastText have no such mode; within a round jobs do not
    see each other's updates, which Hogwild threads do at once, so the vectors differ from a Hogwild
    run's (of similar quality: :class:`~wordvec.config.Word2VecConfig` gives the figures), and
    training is slower.
    Defaults are those of :class:`wordvec.config.Word2VecConfig`; see it for every parameter.
    ``progress``: None (default) draws bars only where a person watches (stderr a terminal, or a
    notebook), never into a log file; True/False force them (:func:`wordvec._progress.show_progress`).

    A trained model goes on learning from new text with :meth:`partial_fit` (keeping its vocabulary,
    or growing it with ``update_vocab=True``); :meth:`save` keeps what that needs and :meth:`load`
    reads it back.
    """

    config_class = Word2VecConfig
    _repr_fields = ("vector_size", "architecture", "loss", "window", "epochs")
    #: Settings a trained model keeps: continued training goes on with the same matrices.
    _fixed_after_fit: tuple[str, ...] = ("vector_size", "loss")
    _fitted_config: Word2VecConfig | None = None

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
                 deterministic: bool = Word2VecConfig.deterministic,
                 tokenizer: str | Tokenizer | None = None,
                 callbacks: Sequence[Callback] = (),
                 progress: bool | None = None):
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
        self.deterministic = deterministic
        self.tokenizer = tokenizer
        self.callbacks = callbacks
        self.progress = progress

    # -------------------------------------------------------------------- fit
    def fit(self, corpus, *, encoding: str | None = None, client=None, sync_words: int | None = None) -> Word2Vec:
        """Build the vocabulary from ``corpus`` and train; returns ``self``.

        ``corpus``: a path to a text file (one sentence per line, ``.gz`` too) or a directory,
        a list of paths, a list of token lists, or any restartable iterable of token lists.
        ``encoding``: the text files' encoding (None: UTF-8; ``"latin-1"``, ``"cp949"``, ...).

        A corpus of more than :data:`wordvec.corpus.encode.SPILL_TOKENS` tokens (4M) is encoded to
        anonymous temporary files in ``$TMPDIR`` (4 bytes a kept token, 8 a sentence, freed when
        ``fit`` returns) and read back job by job, so memory does not grow with the corpus.

        ``client``: a ``distributed.Client`` (the ``[dask]`` extra) to train on a Dask cluster
        instead: ``corpus`` must then be paths every worker can read. The vocabulary is the
        single-machine one; training is data-parallel (:mod:`wordvec.distributed.rounds`): each
        worker thread trains its partitions from the current vectors for ``sync_words`` corpus
        tokens (all workers together; default: an epoch's tokens / 64,
        :data:`~wordvec.distributed.rounds.DEFAULT_ROUNDS_PER_EPOCH`, and / (64 x the worker threads)
        for FastText, :func:`~wordvec.models._remote.fasttext_rounds_per_epoch`), then the client takes the
        workers' changes, their mean weighted by the words each trained filtered by a block momentum
        per row (:class:`~wordvec.distributed.rounds.BlockMomentum`, ``counted=True``), and
        broadcasts the result, under one global learning-rate schedule. ``workers`` and ``deterministic`` do not apply (one thread per task;
        a run is repeatable for a given cluster size). gensim and fastText have no cluster mode.
        Without ``client`` nothing changes.
        """
        if client is not None:
            from wordvec.models._remote import fit_on_cluster

            return fit_on_cluster(self, corpus, client, encoding=encoding, sync_words=sync_words)
        if sync_words is not None:
            raise ValueError("sync_words applies to training on a cluster (pass client=)")
        cfg = self.config
        t0 = time.perf_counter()
        source = self._open_corpus(corpus, encoding)
        self._check_memory(cfg, None)  # what no vocabulary can make smaller (FastText's buckets)
        with TrainingProgress(0, "reading corpus", enabled=self.progress, unit="tokens") as bar:
            vocab, encoded = scan_corpus(self._sentences(source, cfg), min_count=cfg.min_count,
                                         max_vocab_size=cfg.max_vocab_size, max_sentence_length=cfg.max_sentence_length,
                                         progress=lambda n: bar.update(n), spill_tokens=_encode.SPILL_TOKENS)
        try:
            self._train(cfg, vocab, encoded)
        finally:
            encoded.close()
        self.training_stats_["seconds_total"] = time.perf_counter() - t0
        return self

    def partial_fit(self, corpus, *, update_vocab: bool = False, encoding: str | None = None) -> Word2Vec:
        """Train a fitted model further on ``corpus`` (new text), keeping what it learned; returns ``self``.

        An unfitted model is fitted (:meth:`fit`), as in scikit-learn. ``corpus`` and ``encoding`` are
        as for :meth:`fit`. The run makes ``epochs`` passes over the new corpus with the learning rate
        decayed from ``alpha`` to ``min_alpha`` again over them, as gensim's ``train()`` on the new
        corpus does; change ``epochs``, ``alpha``, ``workers``, ... with :meth:`set_params` first if
        wanted. ``vector_size``, ``loss`` and FastText's n-gram settings cannot change (a ValueError says so).

        ``update_vocab=False`` (the default, gensim's ``train()`` without ``build_vocab``): the
        vocabulary, its counts, the noise distribution, the subsampling thresholds and the Huffman
        tree stay as they are; words of the new corpus outside the vocabulary are skipped.

        ``update_vocab=True`` (gensim's ``build_vocab(corpus, update=True)``): words of the new corpus
        seen at least ``min_count`` times there are appended to the vocabulary; every learned row is
        kept bit for bit until training starts. Counts become the sums over both corpora (the noise
        distribution and the Huffman tree are rebuilt from them), and words seen ``min_count`` times
        in the new corpus are subsampled by their counts there, the others as before (gensim's rule).
        Deliberate differences from gensim: new words are appended by decreasing count (ties: first
        appearance), not in order of first appearance; their input rows are drawn as :meth:`fit` draws
        rows (wordvec's initialisation, from ``seed`` and the old vocabulary's size); ``max_vocab_size``
        caps the words added (no trained word is removed); with hierarchical softmax, the inner nodes
        of the rebuilt tree that split the same words as an old node keep its ``syn1`` row and the
        others start at zero (gensim keeps ``syn1``'s rows by position, though its rebuilt tree puts
        other nodes there). Output rows of new words start at zero, as in gensim.

        Vectors of words absent from the new corpus are not moved (FastText's share n-gram rows with
        words that are present, so they move with them).

        Afterwards ``loss_history_``, ``corpus_stats_`` and ``training_stats_`` describe this run, and
        ``training_runs_`` lists every run (``save`` keeps it). The new corpus is read once, every
        word counted, and its tokens mapped to the model's vocabulary; a long corpus is streamed
        from temporary files as in :meth:`fit`.
        """
        if not hasattr(self, "vocab_"):
            return self.fit(corpus, encoding=encoding)
        cfg = self.config
        self._check_continuable(cfg)
        t0 = time.perf_counter()
        trained_with = getattr(self, "tokenizer_", None)
        source = self._open_corpus(corpus, encoding)
        now = self.tokenizer_
        adds_phrases = isinstance(now, dict) and now.get("name") == "phrases" and now.get("base") == trained_with
        if trained_with is not None and now is not None and now != trained_with and not adds_phrases:
            hint = ("pass the same phrases again: --phrases DIR, or tokenizer=load_phrases(DIR).tokenizer(...)"
                    if isinstance(trained_with, dict) and trained_with.get("name") == "phrases"
                    else "set tokenizer= to the original")
            warnings.warn(f"this corpus is tokenized by {self.tokenizer_}, the model was trained on text "
                          f"tokenized by {trained_with}: words may not match ({hint})", stacklevel=2)
        with TrainingProgress(0, "reading corpus", enabled=self.progress, unit="tokens") as bar:
            new, encoded = scan_corpus(self._sentences(source, cfg), min_count=1, max_vocab_size=None,
                                       max_sentence_length=cfg.max_sentence_length,
                                       progress=lambda n: bar.update(n), spill_tokens=_encode.SPILL_TOKENS)
        try:
            old = self.vocab_
            vocab, remap, added = old.updated(new.index_to_key, new.counts, add_words=update_vocab,
                                              min_count=cfg.min_count, max_vocab_size=cfg.max_vocab_size,
                                              total_words=new.total_words)
            kept = int(new.counts[remap >= 0].sum())
            if kept == 0:
                hint = ("none reaches min_count={} there; lower min_count".format(cfg.min_count) if update_vocab
                        else "pass update_vocab=True (--update-vocab) to add them")
                raise EmptyVocabularyError(f"none of the {len(new):,} distinct words of the new corpus is in "
                                           f"the model's vocabulary, and {hint}")
            self._check_memory(cfg, len(vocab))
            keep = self._continued_keep(cfg, old, vocab, new.counts, remap, update_vocab)
            syn0, output = self._grown_weights(cfg, old, vocab)
            stream_remap = None
            if encoded.streamed:
                stream_remap = remap
            else:
                encoded = _remap_encoded(encoded, remap, kept)
            self._train(cfg, vocab, encoded, syn0=syn0, output=output, keep=keep, remap=stream_remap,
                        retained_words=kept, vocabulary="updated" if update_vocab else "kept", added=added)
        finally:
            encoded.close()
        self.training_stats_["seconds_total"] = time.perf_counter() - t0
        return self

    def _check_continuable(self, cfg: Word2VecConfig) -> None:
        fitted = getattr(self, "_fitted_config", None)
        if fitted is None:
            return
        for name in self._fixed_after_fit:
            before, now = getattr(fitted, name), getattr(cfg, name)
            if before != now:
                raise ValueError(f"{name} is {now!r} but the model was trained with {before!r}: continued "
                                 f"training keeps it (leave {name} at {before!r}, or train a new model)")

    def _continued_keep(self, cfg: Word2VecConfig, old: Vocab, vocab: Vocab, new_counts: np.ndarray,
                        remap: np.ndarray, update_vocab: bool) -> np.ndarray:
        """Subsampling thresholds for continued training (see :meth:`partial_fit`): the old ones with a
        fixed vocabulary; with a grown one, gensim's rule (words seen ``min_count`` times in the new
        corpus by their counts there, out of those words' tokens there; the others as before)."""
        if not update_vocab:
            return keep_thresholds(vocab.counts, cfg.sample)
        keep = np.full(len(vocab), THRESHOLD_ONE, dtype=np.int64)
        keep[:len(old)] = keep_thresholds(old.counts, cfg.sample)
        here = np.zeros(len(vocab), dtype=np.int64)
        found = remap >= 0
        here[remap[found]] = new_counts[found]
        counted = here >= cfg.min_count
        if counted.any():
            keep[counted] = keep_thresholds(here[counted], cfg.sample, total=int(here[counted].sum()))
        return keep

    def _grown_weights(self, cfg: Word2VecConfig, old: Vocab, vocab: Vocab) -> tuple[np.ndarray, np.ndarray]:
        """The input and output matrices for ``vocab``: the learned ones, grown by the rows of new words
        (input rows drawn as :meth:`fit` draws them, output rows at zero) and, for hierarchical softmax
        over a rebuilt tree, the inner nodes' rows carried to the nodes that split the same words."""
        syn0, syn1 = self._syn0, self.output_vectors_
        n_old, n = len(old), len(vocab)
        if n > n_old:
            syn0 = self._grow_input(cfg, syn0, n_old, n)
        if vocab is old:
            return syn0, syn1
        if cfg.loss == "negative":
            if n > n_old:
                syn1 = np.concatenate([syn1, np.zeros((n - n_old, cfg.vector_size), dtype=np.float32)])
            return syn0, syn1
        before, after = build_huffman(old.counts, sort=True), build_huffman(vocab.counts, sort=True)
        if n == n_old and np.array_equal(before.points, after.points) and np.array_equal(before.codes, after.codes):
            return syn0, syn1
        grown = np.zeros((output_rows(cfg, n), cfg.vector_size), dtype=np.float32)
        new_rows, old_rows = matching_inner_nodes(before, after)
        grown[new_rows] = syn1[old_rows]
        return syn0, grown

    def _new_rows(self, cfg: Word2VecConfig, n_old: int, n_new: int) -> np.ndarray:
        """Input rows of ``n_new`` words added to a vocabulary of ``n_old`` (wordvec's initialisation,
        from a stream of (seed, n_old): the same every run, independent of the rows drawn before)."""
        return init_input_vectors(n_new, cfg.vector_size, [cfg.seed, n_old])

    def _grow_input(self, cfg: Word2VecConfig, syn0: np.ndarray, n_old: int, n: int) -> np.ndarray:
        return np.concatenate([syn0, self._new_rows(cfg, n_old, n - n_old)])

    def _train(self, cfg: Word2VecConfig, vocab: Vocab, encoded: EncodedCorpus, *, syn0: np.ndarray | None = None,
               output: np.ndarray | None = None, keep: np.ndarray | None = None, remap: np.ndarray | None = None,
               retained_words: int | None = None, vocabulary: str = "new", added: int | None = None) -> None:
        """Train on ``encoded``: a fresh model, or (``syn0``, ``output``, ``keep`` given) one continued;
        ``remap``: a streamed corpus's ids still to map to ``vocab`` (see :class:`_StreamedJob`)."""
        workers = cfg.workers or cpu_count()
        self._check_memory(cfg, len(vocab))
        if syn0 is None:
            syn0 = self._init_weights(cfg, vocab)
        if keep is None:
            keep = keep_thresholds(vocab.counts, cfg.sample)
        tokens, offsets = encoded.tokens, encoded.offsets
        kernel = self._make_kernel(cfg, vocab, syn0, tokens, offsets, keep, output)
        syn1 = kernel.output
        jobs = None
        job_words = _trainer.DETERMINISTIC_JOB_WORDS if cfg.deterministic else JOB_WORDS
        if encoded.streamed:  # each job reads its sentences from disk: memory flat in corpus length
            kernel, offsets, jobs = _StreamedJob(kernel, encoded, remap), None, encoded.job_cuts(job_words)
        runs = list(getattr(self, "training_runs_", [])) if vocabulary != "new" else []
        t0 = time.perf_counter()
        self._syn0 = syn0
        self.output_vectors_ = syn1
        self.vocab_ = vocab  # fitted from here on: callbacks may read the vectors between epochs
        self._fitted_config = cfg
        self._wv = None
        history = run_epochs(
            kernel, offsets=offsets, jobs=jobs, epochs=cfg.epochs, alpha=cfg.alpha, min_alpha=cfg.min_alpha,
            workers=workers, seed=cfg.seed if not runs else cfg.seed + (len(runs) << 40), model=self,
            callbacks=self.callbacks, progress=self.progress,
            description=f"{cfg.architecture}/{cfg.loss}",
            check_finite=lambda: _all_finite(syn0),
            rate_option="--alpha", start_loss=kernel.start_loss, deterministic=cfg.deterministic,
            job_words=job_words,
        )
        retained = encoded.retained_words if retained_words is None else retained_words
        stats = {"total_words": encoded.total_words, "retained_words": retained,
                 "sentences": encoded.n_sentences, "sentences_split": encoded.n_split}
        self._record(history, stats, seconds=time.perf_counter() - t0, workers=workers, words=encoded.total_words)
        run = {"vocabulary": vocabulary, "words_added": len(vocab) if added is None else added,
               "vocab_size": len(vocab), "epochs": len(history), "alpha": cfg.alpha, "min_alpha": cfg.min_alpha,
               **stats}
        self.training_runs_ = runs + [run]

    def _sentences(self, source, cfg: Word2VecConfig):
        """The sentences training reads from ``source`` (FastText ends each with ``</s>``)."""
        return source

    def _check_memory(self, cfg: Word2VecConfig, n_words: int | None) -> None:
        """Refuse (ValueError) input and output matrices larger than the memory available, for a
        vocabulary of ``n_words`` (None: before the corpus is read, one word)."""
        n = 1 if n_words is None else n_words
        check_memory(word2vec_memory(cfg, n),
                     f"{n:,} words x {cfg.vector_size:,} dimensions (input and output float32 matrices)",
                     "lower vector_size (-d), or shrink the vocabulary with min_count or max_vocab_size")

    def _init_weights(self, cfg: Word2VecConfig, vocab: Vocab) -> np.ndarray:
        return init_input_vectors(len(vocab), cfg.vector_size, cfg.seed)

    def _make_kernel(self, cfg: Word2VecConfig, vocab: Vocab, syn0, tokens, offsets, keep, output=None):
        return make_word2vec_job(cfg, vocab, syn0, tokens, offsets, keep, output)

    def _build_vectors(self) -> KeyedVectors:
        return KeyedVectors(self.vocab_.index_to_key, self._syn0, counts=self.vocab_.counts)

    # ------------------------------------------------------------------ persistence
    def _saved_output(self):
        return self._fitted_config.loss, self.output_vectors_

    def _saved_settings(self) -> dict[str, Any]:
        return {**super()._saved_settings(), "vocab": self.vocab_.to_dict(),
                "training": dict(getattr(self, "training_stats_", {})),
                "epoch_logs": [dataclasses.asdict(log) for log in getattr(self, "epoch_logs_", [])],
                "runs": list(getattr(self, "training_runs_", []))}

    @classmethod
    def load(cls, path: str | os.PathLike, **params):
        """Read back a model saved with :meth:`save` (a native directory), ready to :meth:`partial_fit`.

        ``params`` override saved settings (``workers``, ``epochs``, ``alpha``, ``progress``,
        ``tokenizer``, ...; as :meth:`set_params`). The saved tokenizer is rebuilt when it is one of
        wordvec's; a custom one must be passed again as ``tokenizer=``.

        The directory must hold the output layer (``syn1neg`` or ``syn1``), the counts and the
        settings. Anything else is refused with one line saying what it lacks: a word2vec text or
        binary file, a GloVe file or a fastText ``.vec`` hold only vectors; so do vectors saved
        without their model; GloVe and PPMI+SVD models are not trained by passes over text; a
        directory of another model (FastText for Word2Vec.load, and the reverse) names the class to
        use. Gensim's ``Word2Vec.load`` reads a pickle; this reads ``.npy`` arrays, a TSV and JSON only.
        """
        from wordvec.io import load_native, read_native_config
        from wordvec.io.native import CONFIG_FILE, load_output

        name = trainable_model_name(path)
        own = cls.config_class.model_name
        if name != own:
            other = {"word2vec": "Word2Vec", "fasttext": "FastText"}[name]
            raise ValueError(f"{os.fspath(path)}: holds a {name} model; load it with {other}.load "
                             f"(this is {cls.__name__}.load)")
        config = read_native_config(path)
        extra, config_path = config["extra"], os.path.join(os.fspath(path), CONFIG_FILE)
        try:
            cfg = cls.config_class.from_saved(extra["config"]).validate()
        except (TypeError, ValueError) as exc:
            raise FormatError(config_path, f"invalid model settings: {exc}") from None
        kind, output = load_output(path)
        if kind != cfg.loss:
            raise FormatError(config_path, f"the output layer is {kind!r} but the settings say loss={cfg.loss!r}")
        kv = load_native(path, mmap=True)
        if kv.counts is None:
            raise FormatError(os.path.join(os.fspath(path), "vocab.tsv"), "holds no counts, which continued "
                                                                           "training needs")
        info = extra.get("vocab") if isinstance(extra.get("vocab"), dict) else {}
        vocab = Vocab(kv.index_to_key, kv.counts, total_words=info.get("total_words"),
                      min_count=info.get("min_count", cfg.min_count), max_vocab_size=info.get("max_vocab_size"),
                      n_types=info.get("types_seen"), ordered=False)
        model = cls(**{f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)},
                    tokenizer=_tokenizer_from(extra.get("tokenizer")))
        model.set_params(**params)
        model._syn0 = model._input_from(kv)
        model.output_vectors_ = output
        model.vocab_ = vocab
        model._fitted_config = cfg
        model.tokenizer_ = extra.get("tokenizer")
        model.loss_history_ = list(extra.get("loss_history", []))
        model.epoch_logs_ = _epoch_logs(extra.get("epoch_logs"))
        model.corpus_stats_ = dict(extra.get("corpus", {}))
        model.training_stats_ = dict(extra.get("training", {}))
        model.training_runs_ = list(extra.get("runs", []))
        return model

    def _input_from(self, kv: KeyedVectors) -> np.ndarray:
        """The input matrix (writable, in memory) of loaded vectors."""
        return np.array(kv.vectors, dtype=np.float32, order="C")

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
        epochs, workers = stats.get("epochs_run", 0), stats.get("workers", 1)
        stats = {"seconds_train": 0.0, "words_per_second": 0.0, **stats}
        runs = getattr(self, "training_runs_", [])
        verb = "Trained"
        if runs and runs[-1].get("vocabulary", "new") != "new":
            how = (f"{runs[-1].get('words_added', 0):,} words added" if runs[-1]["vocabulary"] == "updated"
                   else "vocabulary kept")
            verb = f"Continued training (run {len(runs)}, {how}) of"
        return (f"{verb} {cfg.model_name} ({cfg.architecture}, {_LOSS_NAMES.get(cfg.loss, cfg.loss)}, "
                f"{cfg.vector_size} dimensions) on {corpus['total_words']:,} tokens in "
                f"{corpus['sentences']:,} sentences{split_note}: {len(self.vocab_):,} words in the vocabulary "
                f"(min_count={cfg.min_count}), covering {corpus['retained_words']:,} tokens. "
                f"{epochs} epoch{'s' if epochs != 1 else ''} took {stats['seconds_train']:.2f} s "
                f"({format_rate(stats['words_per_second'])} words/s, {workers} worker{'s' if workers != 1 else ''}; "
                f"{stats.get('seconds_total', stats['seconds_train']):.2f} s in all); {loss_note}.")
