"""Phrases: collocations (``new_york``, ``machine_learning``) learned from a corpus and joined
into single tokens (Mikolov et al. 2013, "Distributed Representations of Words and Phrases and
their Compositionality", section 4; word2phrase.c; gensim's ``gensim.models.phrases``).

:class:`Phrases` counts unigrams and bigrams in one streaming pass, with gensim 4's rules and
gensim as the spec (its answers on the same input are the tests' reference):

* connector words (:data:`ENGLISH_CONNECTOR_WORDS` for English; none by default) are not
  counted as unigrams; two words with only connectors between them form a bigram with them
  (``bank_of_america``, ``eye_of_the_beholder``); no phrase starts or ends with a connector;
* ``max_vocab_size`` caps the count table (unigrams plus bigrams): after a sentence that leaves
  more entries than the cap, entries counted fewer than ``min_reduce`` times are dropped and
  ``min_reduce`` grows by one — gensim's pruning, so the phrases are gensim's at every cap;
* a bigram ``a ... b`` counted ``n`` times scores ``(n - min_count) / (count(a) * count(b)) *
  len_vocab`` (``scoring="default"``, word2phrase's score) or its normalised PMI
  (``scoring="npmi"``, Bouma 2009; -1 to 1), and is a phrase when its score is above
  ``threshold``;
* applying phrases is gensim's greedy left-to-right join (``analyze_sentence``): a word starts
  a candidate, the next non-connector word ends it; a phrase is joined with ``delimiter`` and
  the word after it starts afresh, a non-phrase leaves its first word alone and its last word
  starts the next candidate.

``passes=2`` learns phrases of up to four words (``new_york_city_council``): the corpus with
the first pass's phrases joined is counted again, the recipe of gensim's documentation and of
word2phrase's scripts. A fitted model is applied through :meth:`FrozenPhrases.apply`, as a
corpus (:meth:`FrozenPhrases.apply_corpus`) or as a tokenizer stage
(:meth:`FrozenPhrases.tokenizer`: ``Word2Vec(tokenizer=phrases.tokenizer("regex"))``).

Where wordvec differs from gensim, on purpose:

* bigram counts are keyed by their tokens, not by the delimiter-joined string, so a token that
  contains the delimiter (``new_york`` in a second pass) never shares a count with a pair of
  tokens (``new york``); gensim keeps both under ``"new_york"``, and its ``export_phrases``
  splits a second pass's ``new_york_city`` into ``new``, ``york``, ``city`` and scores it with
  the count of ``new`` (gensim issue #3326: its frozen second pass differs from its unfrozen
  one); wordvec scores it as the pair it is (``new_york``, ``city``), as gensim's own
  ``analyze_sentence`` does, so two passes here give gensim's first-pass phrases followed by its
  unfrozen second-pass model. On text whose tokens hold no delimiter the two agree;
* ``scoring`` is ``"default"`` or ``"npmi"``: no custom scoring functions (the model is saved
  without pickle); ``threshold=None`` means 10 for ``"default"`` and 0.5 for ``"npmi"``
  (gensim's 10 is out of npmi's range);
* counting is compiled (numba) over token ids: the table is a few arrays instead of a dict of
  strings (about 60 bytes an entry against gensim's 85: 20 MiB against 27 MiB for 330,000
  entries), and the map from token to id is renumbered when it holds far more tokens than the
  table, so memory stays bounded by the cap. As in gensim, the table is pruned only after a
  sentence, so it may pass the cap by the entries of the sentences read until a prune brings
  it below (``PhraseCounts.peak_entries`` tells how far);
* saved models are a directory of JSON and TSV (:meth:`FrozenPhrases.save`), never a pickle.

NumPy and the numba kernels (:mod:`wordvec._kernels.phrases`) are imported when counting
starts, so the constants and :func:`load_phrases` are cheap to import.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path

from wordvec._saving import atomic_directory, check_replaceable_directory, recover_interrupted_save
from wordvec.exceptions import FormatError, NotFittedError

__all__ = ["Phrases", "FrozenPhrases", "PhraseCounts", "PhrasedCorpus", "ENGLISH_CONNECTOR_WORDS", "SCORINGS",
           "DEFAULT_THRESHOLDS", "original_scorer", "npmi_scorer", "load_phrases"]

#: gensim's English connector words: articles, the commonest prepositions, "and" and "or".
ENGLISH_CONNECTOR_WORDS = frozenset("a an the for of with without at from to in on by and or".split())
#: ``scoring`` values.
SCORINGS = ("default", "npmi")
#: ``threshold`` when None is given, by scoring.
DEFAULT_THRESHOLDS = {"default": 10.0, "npmi": 0.5}
#: The layout of a saved phrases directory.
FORMAT_VERSION = 1
KIND = "wordvec phrases"
CONFIG_FILE = "config.json"
PHRASES_FILE = "phrases.tsv"

_CHUNK_TOKENS = 1 << 15  # tokens mapped to ids and counted per kernel call
_SCORE_BLOCK = 1 << 16  # bigrams scored at a time
_COMPACT_MIN = 1 << 20  # the token -> id map is renumbered only past this many ids


# ---------------------------------------------------------------------------------- scores
def original_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count) -> float:
    """word2phrase's score, ``(bigram_count - min_count) / (worda_count * wordb_count) * len_vocab``
    (gensim's ``original_scorer``; -inf when a word count is 0; ``corpus_word_count`` is unused).

    >>> original_scorer(worda_count=10, wordb_count=20, bigram_count=9, len_vocab=1000, min_count=5,
    ...                 corpus_word_count=1000)
    20.0
    """
    denom = worda_count * wordb_count
    if denom == 0:
        return -math.inf
    return (bigram_count - min_count) / float(denom) * len_vocab


def npmi_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count) -> float:
    """Normalised PMI, ``ln(p(ab) / (p(a) p(b))) / -ln(p(ab))`` with ``p(x) = count(x) /
    corpus_word_count``: -1 to 1 (gensim's ``npmi_scorer``); -inf below ``min_count``.

    >>> round(npmi_scorer(worda_count=10, wordb_count=10, bigram_count=10, len_vocab=100, min_count=1,
    ...                   corpus_word_count=1000), 3)     # the words always occur together: 1
    1.0
    """
    if bigram_count < min_count:
        return -math.inf
    n = float(corpus_word_count)
    pa, pb, pab = worda_count / n, wordb_count / n, bigram_count / n
    try:
        return math.log(pab / (pa * pb)) / -math.log(pab)
    except (ValueError, ZeroDivisionError):
        return -math.inf


def _score_arrays(scoring: str, a, b, c, *, len_vocab: int, min_count, corpus_word_count: int) -> np.ndarray:
    """:func:`original_scorer` or :func:`npmi_scorer` over arrays of counts (the same float
    operations in the same order, so the same values); -inf where a count is 0."""
    import numpy as np

    a, b, c = (np.asarray(x, dtype=np.int64) for x in (a, b, c))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if scoring == "default":
            score = (c - min_count) / (a * b).astype(np.float64) * float(len_vocab)
        else:
            n = float(corpus_word_count)
            pab = c / n
            score = np.log(pab / ((a / n) * (b / n))) / -np.log(pab)
            score[c < min_count] = -np.inf
    score[(a <= 0) | (b <= 0) | (c <= 0) | ~np.isfinite(score)] = -np.inf
    return score


# ---------------------------------------------------------------------------------- counting
class _Ids(dict):
    """token -> id; a new token gets the next id (``__missing__`` runs only for new tokens)."""

    def __init__(self):
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word):
        if not isinstance(word, str):
            raise TypeError(f"tokens must be strings, got {type(word).__name__} {word!r}")
        i = self[word] = len(self.words)
        self.words.append(word)
        return i


class PhraseCounts:
    """The unigram and bigram counts of one pass over a corpus (what :class:`Phrases` scores).

    >>> sentences = [[f"w{i}", "in", "new", "york", f"w{i + 1}", "at", "the", "bank", "of", "america"]
    ...              for i in range(50)]                  # 50 sentences, each with new york and bank of america
    >>> counts = PhraseCounts.count(sentences)
    >>> counts.unigrams()["new"], counts.bigrams()[("new", "york")], counts.corpus_word_count, counts.len_vocab
    (50, 50, 500, 215)

    Made by :meth:`count`; read with :meth:`unigrams`, :meth:`bigrams` and :meth:`score`.
    ``corpus_word_count`` is the tokens read (connectors included); ``len_vocab`` the entries in
    the table (unigrams plus bigrams: gensim's ``len(phrases.vocab)``, the scorer's ``len_vocab``);
    ``peak_entries`` the most entries the table held at the end of a sentence; ``prunes`` how
    many times it was pruned; ``min_reduce`` the count below which the next prune would drop.
    """

    def __init__(self, connector_words: Iterable[str] = (), max_vocab_size: int = 40_000_000):
        import numpy as np

        from wordvec._kernels import phrases as k

        self._k = k
        self.connector_words = frozenset(connector_words)
        self.max_vocab_size = int(max_vocab_size)
        self._ids = _Ids()
        self._uni = np.zeros(1024, dtype=np.int64)
        self._conn = np.zeros(1024, dtype=np.uint8)
        self._state = np.zeros(k.STATE_SIZE, dtype=np.int64)
        self._state[k.S_MIN_REDUCE] = 1
        rows = 1 << 12
        self._slots = np.full(2 * rows, -1, dtype=np.int32)
        self._ent = np.zeros((rows, 3), dtype=np.int64)
        self._arena = np.zeros(4 * rows, dtype=np.int32)

    # ------------------------------------------------------------------ counting
    @classmethod
    def count(cls, sentences: Iterable[Sequence[str]], connector_words: Iterable[str] = (),
              max_vocab_size: int = 40_000_000, progress=None) -> PhraseCounts:
        """Count ``sentences`` (lists of string tokens) in one streaming pass; ``progress``: a
        :class:`~wordvec._progress.ProgressBar` updated with the tokens read, or None."""
        counts = cls(connector_words, max_vocab_size)
        batch: list[Sequence[str]] = []
        pending = 0
        for sentence in sentences:
            if isinstance(sentence, str):
                raise TypeError("a sentence is a string, not a list of tokens; split it first or pass a file path")
            batch.append(sentence)
            pending += len(sentence)
            if pending >= _CHUNK_TOKENS:
                counts._count_batch(batch, pending)
                batch, pending = [], 0
                if progress is not None:
                    progress.update(counts.corpus_word_count)
        if batch:
            counts._count_batch(batch, pending)
        if progress is not None:
            progress.update(counts.corpus_word_count)
        return counts

    def _count_batch(self, batch: list[Sequence[str]], n_tokens: int) -> None:
        import numpy as np

        k, ids = self._k, self._ids
        before = len(ids.words)
        tokens = np.fromiter(map(ids.__getitem__, chain.from_iterable(batch)), dtype=np.int32, count=n_tokens)
        offsets = np.zeros(len(batch) + 1, dtype=np.int64)
        lengths = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
        if lengths.max(initial=0) >= k.MAX_LENGTH:
            raise ValueError(f"a sentence of {int(lengths.max()):,} tokens: phrases are counted in sentences of "
                             f"fewer than {k.MAX_LENGTH:,} tokens; split the text into lines")
        np.cumsum(lengths, out=offsets[1:])
        n_ids = len(ids.words)
        if n_ids > self._uni.shape[0]:
            size = max(n_ids, 2 * self._uni.shape[0])
            self._uni = _grown(self._uni, size)
            self._conn = _grown(self._conn, size)
        if n_ids > before:
            conn = self.connector_words
            self._conn[before:n_ids] = [w in conn for w in ids.words[before:n_ids]]
        first, n_sent = 0, len(batch)
        while first < n_sent:
            first = k.count_sentences(tokens, offsets, first, self._conn, self._uni, self._state, self._slots,
                                      self._ent, self._arena, self.max_vocab_size)
            if first < n_sent:
                self._grow(int(offsets[first + 1] - offsets[first]))
        if n_ids > _COMPACT_MIN and n_ids > 4 * (self._state[k.S_UNIGRAMS] + len(self.connector_words)):
            self._renumber()

    def _grow(self, n: int) -> None:
        """Make room for a sentence of ``n`` tokens (see ``count_sentences``)."""
        import numpy as np

        k, state = self._k, self._state
        # In place (realloc: no second copy at the peak), by half again, never far past the cap.
        rows_needed = int(state[k.S_BIGRAMS]) + n
        if rows_needed > self._ent.shape[0]:
            rows = max(rows_needed, min(self._ent.shape[0] * 3 // 2, self.max_vocab_size + n + 1))
            self._ent.resize((rows, self._ent.shape[1]), refcheck=False)
        slots = self._slots.shape[0]
        while slots < 2 * rows_needed:
            slots *= 2
        if slots != self._slots.shape[0]:
            self._slots = None  # freed before the bigger table is made
            self._slots = np.empty(slots, dtype=np.int32)
            k.rehash(self._slots, self._ent, self._arena, int(state[k.S_BIGRAMS]), False)
        arena_needed = int(state[k.S_ARENA]) + 2 * n
        if arena_needed > self._arena.shape[0]:
            self._arena.resize(max(arena_needed, self._arena.shape[0] * 3 // 2), refcheck=False)

    def _renumber(self) -> None:
        """Forget the tokens no longer counted (pruned away) and renumber the others, so that the
        token -> id map is bounded by the table, not by every distinct token ever seen."""
        import numpy as np

        k, state, ids = self._k, self._state, self._ids
        n_ids = len(ids.words)
        keep = (self._uni[:n_ids] > 0) | (self._conn[:n_ids] > 0)
        new_id = np.cumsum(keep) - 1
        used = int(state[k.S_ARENA])
        arena = self._arena[:used]
        if used and not keep[arena].all():  # bigram counts never exceed their words' counts
            raise RuntimeError("phrase counts are inconsistent: a bigram outlived one of its words")
        arena[:] = new_id[arena]
        words = [w for w, kept in zip(ids.words, keep.tolist()) if kept]
        fresh = _Ids()
        fresh.update(zip(words, range(len(words))))
        fresh.words = words
        self._ids = fresh
        self._uni = _grown(self._uni[:n_ids][keep], max(1024, 2 * len(words)))
        self._conn = _grown(self._conn[:n_ids][keep], max(1024, 2 * len(words)))
        k.rehash(self._slots, self._ent, self._arena, int(state[k.S_BIGRAMS]), True)

    # ------------------------------------------------------------------ reading
    @property
    def corpus_word_count(self) -> int:
        return int(self._state[self._k.S_TOTAL])

    @property
    def len_vocab(self) -> int:
        return int(self._state[self._k.S_UNIGRAMS] + self._state[self._k.S_BIGRAMS])

    @property
    def peak_entries(self) -> int:
        return int(self._state[self._k.S_PEAK])

    @property
    def prunes(self) -> int:
        return int(self._state[self._k.S_PRUNES])

    @property
    def min_reduce(self) -> int:
        return int(self._state[self._k.S_MIN_REDUCE])

    def stats(self) -> dict:
        """The pass in numbers (JSON-ready): tokens, unigrams, bigrams, peak entries, prunes."""
        k = self._k
        return {"corpus_word_count": self.corpus_word_count, "unigrams": int(self._state[k.S_UNIGRAMS]),
                "bigrams": int(self._state[k.S_BIGRAMS]), "peak_entries": self.peak_entries,
                "prunes": self.prunes, "min_reduce": self.min_reduce}

    def unigrams(self) -> dict[str, int]:
        """token -> count of every unigram in the table (connector words are never counted)."""
        import numpy as np

        n = len(self._ids.words)
        nz = np.flatnonzero(self._uni[:n])
        return dict(zip((self._ids.words[i] for i in nz.tolist()), self._uni[nz].tolist()))

    def _bigram_arrays(self, lo: int = 0, hi: int | None = None):
        """Counts, arena starts and lengths of the bigrams ``lo:hi`` (default all)."""
        k = self._k
        n = int(self._state[k.S_BIGRAMS])
        ent = self._ent[lo:n if hi is None else min(hi, n)]
        return ent[:, 1], ent[:, 2] >> k.LENGTH_BITS, ent[:, 2] & (k.MAX_LENGTH - 1)

    def _key(self, start: int, length: int) -> tuple[str, ...]:
        words = self._ids.words
        return tuple(words[i] for i in self._arena[start:start + length].tolist())

    def bigrams(self) -> dict[tuple[str, ...], int]:
        """(first, connectors..., last) -> count of every bigram in the table."""
        counts, starts, lengths = self._bigram_arrays()
        return {self._key(s, n): c for c, s, n in zip(counts.tolist(), starts.tolist(), lengths.tolist())}

    def scores(self, scoring: str = "default", min_count=5) -> tuple[list[tuple[str, ...]], np.ndarray, np.ndarray]:
        """Every bigram, its score and its count: ``(keys, scores, counts)`` (-inf: never a phrase)."""
        keys, score, counts = self._scored(scoring, min_count, -math.inf, every=True)
        return keys, score, counts

    def _scored(self, scoring: str, min_count, threshold: float, every: bool = False):
        import numpy as np

        keys, scores, counts = [], [], []
        n = int(self._state[self._k.S_BIGRAMS])
        for lo in range(0, n, _SCORE_BLOCK):  # in blocks: the temporaries stay small next to the table
            count, start, length = self._bigram_arrays(lo, lo + _SCORE_BLOCK)
            score = _score_arrays(scoring, self._uni[self._arena[start]], self._uni[self._arena[start + length - 1]],
                                  count, len_vocab=self.len_vocab, min_count=min_count,
                                  corpus_word_count=self.corpus_word_count)
            chosen = np.arange(len(score)) if every else np.flatnonzero(score > threshold)
            keys += [self._key(s, m) for s, m in zip(start[chosen].tolist(), length[chosen].tolist())]
            scores.append(score[chosen])
            counts.append(count[chosen])
        return keys, np.concatenate(scores or [np.zeros(0)]), np.concatenate(counts or [np.zeros(0, np.int64)])


def _grown(array: np.ndarray, rows: int) -> np.ndarray:
    import numpy as np

    out = np.zeros((rows,) + array.shape[1:], dtype=array.dtype)
    out[: array.shape[0]] = array
    return out


# ---------------------------------------------------------------------------------- the estimator
class Phrases:
    """Learn phrases (collocations) from a corpus: gensim's ``Phrases``, as an estimator.

    >>> sentences = [[f"w{i}", "in", "new", "york", f"w{i + 1}", "at", "the", "bank", "of", "america"]
    ...              for i in range(50)]                  # 50 sentences, each with new york and bank of america
    >>> phrases = Phrases(min_count=5, threshold=1, connector_words=ENGLISH_CONNECTOR_WORDS).fit(sentences)
    >>> phrases.apply(["she", "moved", "to", "new", "york"])
    ['she', 'moved', 'to', 'new_york']
    >>> sorted(phrases.export_phrases())
    ['bank_of_america', 'new_york']

    Parameters
    ----------
    min_count:
        Bigrams seen fewer times never become phrases (the default scorer subtracts it from the
        bigram count, so ``"default"`` needs more than ``min_count``; ``"npmi"`` at least).
    threshold:
        A bigram is a phrase when its score is above this; higher means fewer phrases. None:
        10 for ``scoring="default"`` (gensim's default), 0.5 for ``"npmi"`` (which scores -1 to 1).
    scoring:
        ``"default"`` (word2phrase's score) or ``"npmi"`` (normalised pointwise mutual information).
    connector_words:
        Words that may stand inside a phrase but never start or end one (gensim 4's
        ``connector_words``); :data:`ENGLISH_CONNECTOR_WORDS` for English text. Default none.
    max_vocab_size:
        The most unigrams plus bigrams the count table holds before it is pruned (gensim's
        default, 40 million, a few GB); pruning drops the rarest entries as gensim does.
    delimiter:
        Joins the words of a phrase (``new_york``).
    passes:
        Counting passes: 2 learns phrases of phrases (up to 4 words), 3 up to 8. Each pass
        counts the corpus with the earlier passes' phrases joined.
    progress:
        Show a progress bar while counting; None: where a person watches (stderr is a terminal, or
        a notebook; see :func:`wordvec._progress.show_progress`).

    ``fit(corpus)`` learns; :meth:`freeze` gives the :class:`FrozenPhrases` that apply, save and
    tokenize. ``counts_`` holds the last pass's :class:`PhraseCounts`, ``pass_stats_`` each pass in
    numbers. See the module docstring for where wordvec differs from gensim.
    """

    def __init__(self, min_count: float = 5, threshold: float | None = None, *, scoring: str = "default",
                 connector_words: Iterable[str] = (), max_vocab_size: int = 40_000_000, delimiter: str = "_",
                 passes: int = 1, progress: bool | None = None):
        self.min_count = min_count
        self.threshold = threshold
        self.scoring = scoring
        self.connector_words = connector_words
        self.max_vocab_size = max_vocab_size
        self.delimiter = delimiter
        self.passes = passes
        self.progress = progress

    def _settings(self) -> dict:
        """The validated parameters (ValueError naming a bad one)."""
        scoring, threshold, min_count = self.scoring, self.threshold, self.min_count
        if scoring not in SCORINGS:
            raise ValueError(f"scoring must be one of {', '.join(map(repr, SCORINGS))}, got {scoring!r}")
        if threshold is None:
            threshold = DEFAULT_THRESHOLDS[scoring]
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or math.isnan(threshold):
            raise ValueError(f"threshold must be a number, got {threshold!r}")
        if scoring == "default" and threshold <= 0:
            raise ValueError(f"threshold must be > 0 with scoring='default', got {threshold}")
        if scoring == "npmi" and not -1 <= threshold <= 1:
            raise ValueError(f"threshold must be between -1 and 1 with scoring='npmi', got {threshold}")
        if isinstance(min_count, bool) or not isinstance(min_count, (int, float)) or not min_count > 0:
            raise ValueError(f"min_count must be > 0, got {min_count!r}")
        for name in ("max_vocab_size", "passes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        if not isinstance(self.delimiter, str) or not self.delimiter:
            raise ValueError(f"delimiter must be a non-empty string, got {self.delimiter!r}")
        if isinstance(self.connector_words, str):
            raise TypeError("connector_words must be an iterable of words, not one string; "
                            "pass wordvec.corpus.phrases.ENGLISH_CONNECTOR_WORDS for English")
        connectors = frozenset(self.connector_words)
        bad = next((w for w in connectors if not isinstance(w, str)), None)
        if bad is not None:
            raise TypeError(f"connector_words must be strings, got {type(bad).__name__} {bad!r}")
        return {"min_count": min_count, "threshold": float(threshold), "scoring": scoring,
                "connector_words": connectors, "max_vocab_size": self.max_vocab_size, "delimiter": self.delimiter}

    def fit(self, corpus, *, tokenizer=None, encoding: str | None = None) -> Phrases:
        """Count ``corpus`` (a path, a directory, a list of paths or of token lists, or a
        restartable corpus; files read with ``tokenizer`` and ``encoding`` as for training) and
        keep the phrases whose score is above the threshold. ``passes`` passes; returns self."""
        from wordvec._progress import ProgressBar, show_progress
        from wordvec.corpus.readers import as_corpus
        from wordvec.corpus.tokenizers import describe_tokenizer

        settings = self._settings()
        source = as_corpus(corpus, tokenizer, encoding=encoding, progress=self.progress)
        show = show_progress(self.progress)
        layers: list[dict] = []
        counts_per_layer: list[dict] = []
        stats = []
        current = source
        for p in range(1, self.passes + 1):
            label = "counting phrases" if self.passes == 1 else f"counting phrases, pass {p}/{self.passes}"
            with ProgressBar(0, label, show, unit="tokens") as bar:
                counts = PhraseCounts.count(current, settings["connector_words"], settings["max_vocab_size"],
                                            progress=bar)
            keys, score, count = counts._scored(settings["scoring"], settings["min_count"], settings["threshold"])
            layers.append(dict(zip(keys, score.tolist())))
            counts_per_layer.append(dict(zip(keys, count.tolist())))
            stats.append({**counts.stats(), "phrases": len(keys)})
            if p < self.passes:
                current = PhrasedCorpus(source, self._frozen(settings, layers, counts_per_layer, stats))
        self.counts_ = counts
        self.pass_stats_ = stats
        self.tokenizer_ = describe_tokenizer(source)
        self.frozen_ = self._frozen(settings, layers, counts_per_layer, stats)
        return self

    def _frozen(self, settings, layers, counts, stats) -> FrozenPhrases:
        return FrozenPhrases(layers, counts=counts, delimiter=settings["delimiter"],
                             connector_words=settings["connector_words"],
                             settings={k: settings[k] for k in ("min_count", "threshold", "scoring", "max_vocab_size")},
                             stats=list(stats))

    def _check_fitted(self) -> None:
        if not hasattr(self, "frozen_"):
            raise NotFittedError("these Phrases are not learned yet: call fit(corpus) first")

    def freeze(self) -> FrozenPhrases:
        """The learned phrases alone (no counts): apply, save, tokenize (gensim's ``freeze()``)."""
        self._check_fitted()
        return self.frozen_

    def export_phrases(self) -> dict[str, float]:
        """Every phrase, delimiter-joined, and its score (gensim's ``export_phrases``)."""
        return self.freeze().export_phrases()

    def apply(self, tokens: Sequence[str]) -> list[str]:
        """``tokens`` with their phrases joined (see :meth:`FrozenPhrases.apply`)."""
        return self.freeze().apply(tokens)

    def save(self, path: str | os.PathLike) -> None:
        """Save the learned phrases (see :meth:`FrozenPhrases.save`)."""
        self.freeze().save(path)

    def __repr__(self) -> str:
        return (f"Phrases(min_count={self.min_count!r}, threshold={self.threshold!r}, scoring={self.scoring!r}, "
                f"passes={self.passes!r})")


# ---------------------------------------------------------------------------------- applying
class FrozenPhrases:
    """Learned phrases, one layer per pass, applied in order (gensim's ``FrozenPhrases``).

    >>> sentences = [[f"w{i}", "in", "new", "york", f"w{i + 1}", "at", "the", "bank", "of", "america"]
    ...              for i in range(50)]                  # 50 sentences, each with new york and bank of america
    >>> frozen = Phrases(min_count=5, threshold=1, connector_words=ENGLISH_CONNECTOR_WORDS).fit(sentences).freeze()
    >>> frozen.apply(["the", "bank", "of", "america"])
    ['the', 'bank_of_america']
    >>> [(phrase, count) for phrase, score, count in frozen.top(2)]
    [('bank_of_america', 50), ('new_york', 50)]
    >>> frozen.tokenizer("regex")("I love New York")      # a model's tokenizer=: text in, phrases joined
    ['i', 'love', 'new_york']
    >>> frozen.save("phrases/")

    ``layers[i]`` maps each phrase of pass ``i + 1``, as the tuple of its tokens (``("new",
    "york")``, ``("bank", "of", "america")``; tokens of later passes may be phrases of earlier
    ones), to its score; ``counts[i]`` to its bigram count. ``settings`` holds how they were
    learned and ``stats`` each pass in numbers.
    """

    def __init__(self, layers: Sequence[dict], *, delimiter: str = "_", connector_words: Iterable[str] = (),
                 counts: Sequence[dict] | None = None, settings: dict | None = None, stats: Sequence[dict] = ()):
        self.layers = tuple(dict(layer) for layer in layers)
        self.counts = tuple(dict(c) for c in counts) if counts is not None else tuple({} for _ in self.layers)
        self.delimiter = delimiter
        self.connector_words = frozenset(connector_words)
        self.settings = dict(settings or {})
        self.stats = list(stats)
        self._digest: str | None = None

    def __len__(self) -> int:
        return sum(map(len, self.layers))

    def __repr__(self) -> str:
        return f"FrozenPhrases({len(self)} phrases in {len(self.layers)} pass{'es' if len(self.layers) != 1 else ''})"

    # ------------------------------------------------------------------ applying
    def apply(self, tokens: Sequence[str]) -> list[str]:
        """``tokens`` with every phrase joined into one token, pass by pass, greedily from the
        left as gensim's ``analyze_sentence``: ``["the", "new", "york", "times"]`` ->
        ``["the", "new_york", "times"]``."""
        out = list(tokens)
        for layer in self.layers:
            if layer:
                out = _join(out, layer, self.connector_words, self.delimiter)
        return out

    def apply_corpus(self, corpus) -> PhrasedCorpus:
        """A restartable corpus: ``corpus``'s sentences with their phrases joined."""
        return PhrasedCorpus(corpus, self)

    def tokenizer(self, base=None):
        """A tokenizer that joins these phrases in what ``base`` (a tokenizer or its name,
        ``"korean"`` too; None: the default) returns; see
        :class:`~wordvec.corpus.tokenizers.PhraseTokenizer`."""
        from wordvec.corpus.tokenizers import PhraseTokenizer

        return PhraseTokenizer(base, self)

    def export_phrases(self) -> dict[str, float]:
        """Every phrase of every pass, joined with the delimiter, and its score."""
        d = self.delimiter
        return {d.join(key): score for layer in self.layers for key, score in layer.items()}

    def top(self, n: int = 10) -> list[tuple[str, float, int]]:
        """The ``n`` phrases of highest score (all passes): ``(phrase, score, count)``."""
        rows = [(score, key, i) for i, layer in enumerate(self.layers) for key, score in layer.items()]
        rows.sort(key=lambda r: (-r[0], r[1]))
        return [(self.delimiter.join(key), score, self.counts[i].get(key, 0)) for score, key, i in rows[:n]]

    @property
    def digest(self) -> str:
        """A SHA-256 (hex, 16 characters) of everything that changes what :meth:`apply` returns:
        the phrases of each pass, the connector words and the delimiter."""
        if self._digest is None:
            h = hashlib.sha256()
            h.update(json.dumps({"delimiter": self.delimiter, "connectors": sorted(self.connector_words)},
                                ensure_ascii=False).encode("utf-8"))
            for i, layer in enumerate(self.layers):
                for key in sorted(layer):
                    h.update(json.dumps([i, key], ensure_ascii=False).encode("utf-8"))
            self._digest = h.hexdigest()[:16]
        return self._digest

    # ------------------------------------------------------------------ saving
    def save(self, path: str | os.PathLike) -> None:
        """Save as a directory: ``config.json`` (settings, connector words, per-pass numbers) and
        ``phrases.tsv``, one phrase a line, ``pass<TAB>score<TAB>count<TAB>token<TAB>token...``,
        best first within a pass. Atomic; an existing phrases directory is replaced, anything
        else refused. Tokens holding a tab or a line break cannot be saved (ValueError)."""
        lines = []
        for i, layer in enumerate(self.layers, 1):
            counts = self.counts[i - 1] if i - 1 < len(self.counts) else {}
            for key, score in sorted(layer.items(), key=lambda kv: (-kv[1], kv[0])):
                bad = next((t for t in key if not t or any(c in t for c in "\t\n\r")), None)
                if bad is not None:
                    raise ValueError(f"cannot save the phrase {key!r}: its token {bad!r} is empty or holds a "
                                     f"tab or a line break")
                lines.append("\t".join((str(i), repr(float(score)), str(int(counts.get(key, 0))), *key)))
        config = {"format_version": FORMAT_VERSION, "kind": KIND, "passes": len(self.layers),
                  "phrases": [len(layer) for layer in self.layers], "delimiter": self.delimiter,
                  "connector_words": sorted(self.connector_words), "settings": self.settings,
                  "stats": self.stats, "columns": ["pass", "score", "count", "tokens..."]}
        config_text = json.dumps(config, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        check_replaceable_directory(path, "phrases directory")
        with atomic_directory(path) as tmp:
            (tmp / PHRASES_FILE).write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
            (tmp / CONFIG_FILE).write_text(config_text, encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike) -> FrozenPhrases:
        """Load a directory written by :meth:`save` (FormatError naming the file and line of a
        malformed one)."""
        return load_phrases(path)


def _join(tokens: list[str], layer: dict, connectors: frozenset, delimiter: str) -> list[str]:
    """One pass of gensim's ``analyze_sentence`` over ``tokens`` with the phrases of ``layer``."""
    out: list[str] = []
    start = None
    between: list[str] = []
    for w in tokens:
        if w in connectors:
            if start is None:
                out.append(w)
            else:
                between.append(w)
            continue
        if start is not None:
            key = (start, *between, w) if between else (start, w)
            if key in layer:
                out.append(delimiter.join(key))
                start, between = None, []
                continue
            out.append(start)
            if between:
                out.extend(between)
                between = []
        start = w
    if start is not None:
        out.append(start)
        out.extend(between)
    return out


class PhrasedCorpus:
    """A restartable corpus: the sentences of ``corpus`` with ``phrases`` applied to each.

    >>> sentences = [[f"w{i}", "in", "new", "york", f"w{i + 1}", "at", "the", "bank", "of", "america"]
    ...              for i in range(50)]                  # 50 sentences, each with new york and bank of america
    >>> frozen = Phrases(min_count=5, threshold=1, connector_words=ENGLISH_CONNECTOR_WORDS).fit(sentences).freeze()
    >>> corpus = frozen.apply_corpus(sentences)            # restartable: every iteration applies the phrases again
    >>> next(iter(corpus))
    ['w0', 'in', 'new_york', 'w1', 'at', 'the', 'bank_of_america']
    """

    def __init__(self, corpus, phrases: FrozenPhrases):
        self.corpus = corpus
        self.phrases = phrases

    def __iter__(self) -> Iterator[list[str]]:
        apply = self.phrases.apply
        for sentence in self.corpus:
            yield apply(sentence)

    def __repr__(self) -> str:
        return f"PhrasedCorpus({self.corpus!r}, {self.phrases!r})"


# ---------------------------------------------------------------------------------- loading
def load_phrases(path: str | os.PathLike) -> FrozenPhrases:
    """Load a phrases directory saved by :meth:`FrozenPhrases.save` (or ``wordvec phrases``).

    >>> sentences = [[f"w{i}", "in", "new", "york", f"w{i + 1}", "at", "the", "bank", "of", "america"]
    ...              for i in range(50)]                  # 50 sentences, each with new york and bank of america
    >>> Phrases(min_count=5, threshold=1, connector_words=ENGLISH_CONNECTOR_WORDS).fit(sentences).freeze().save("phrases/")
    >>> load_phrases("phrases/").apply(["new", "york"])
    ['new_york']

    A missing directory is FileNotFoundError; anything malformed a
    :class:`~wordvec.exceptions.FormatError` naming the file and line.
    """
    path = Path(path)
    recover_interrupted_save(path)
    if not path.is_dir():
        if path.exists():
            raise FormatError(path, "not a phrases directory (it is a file)")
        raise FileNotFoundError(f"{path}: no such directory")
    config = _read_config(path / CONFIG_FILE)
    passes = config["passes"]
    layers: list[dict] = [{} for _ in range(passes)]
    counts: list[dict] = [{} for _ in range(passes)]
    file = path / PHRASES_FILE
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise FormatError(path, f"missing {PHRASES_FILE}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(file, f"not valid UTF-8 ({exc.reason})", line=data.count(b"\n", 0, exc.start) + 1) from None
    if text and not text.endswith("\n"):
        raise FormatError(file, "file is truncated (last line has no line end)", line=text.count("\n") + 1)
    connectors = frozenset(config["connector_words"])
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        fields = line.split("\t")
        if len(fields) < 5:
            raise FormatError(file, f"expected pass, score, count and at least 2 tokens separated by tabs, "
                                    f"found {len(fields)} field{'s' if len(fields) != 1 else ''}", line=lineno)
        try:
            p, score, count = int(fields[0]), float(fields[1]), int(fields[2])
        except ValueError:
            raise FormatError(file, f"pass, score and count must be numbers, found {fields[:3]!r}",
                              line=lineno) from None
        if not 1 <= p <= passes:
            raise FormatError(file, f"pass {p} is not between 1 and {passes} (config.json's passes)", line=lineno)
        if math.isnan(score) or count < 0:
            raise FormatError(file, f"invalid score {fields[1]!r} or count {fields[2]!r}", line=lineno)
        key = tuple(fields[3:])
        if any(not t for t in key) or key[0] in connectors or key[-1] in connectors:
            raise FormatError(file, "a phrase has an empty token, or starts or ends with a connector word",
                              line=lineno)
        if key in layers[p - 1]:
            raise FormatError(file, f"phrase {' '.join(key)!r} is listed twice in pass {p}", line=lineno)
        layers[p - 1][key] = score
        counts[p - 1][key] = count
    return FrozenPhrases(layers, counts=counts, delimiter=config["delimiter"], connector_words=connectors,
                         settings=config.get("settings") or {}, stats=config.get("stats") or [])


def _read_config(file: Path) -> dict:
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise FormatError(file.parent, f"no {CONFIG_FILE}; not a phrases directory") from None
    try:
        config = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FormatError(file, f"not valid UTF-8 ({exc.reason})", line=data.count(b"\n", 0, exc.start) + 1) from None
    except json.JSONDecodeError as exc:
        raise FormatError(file, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise FormatError(file, f"invalid JSON: {exc}", line=1) from None
    if not isinstance(config, dict) or config.get("kind") != KIND:
        raise FormatError(file, f"not a phrases directory (config.json's kind is not {KIND!r})", line=1)
    version = config.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(file, f"missing or invalid format_version: {version!r}", line=1)
    if version > FORMAT_VERSION:
        raise FormatError(file, f"format_version {version} was written by a newer wordvec; this version reads "
                                f"{FORMAT_VERSION} and older. Upgrade wordvec to load it", line=1)
    passes, delimiter, connectors = config.get("passes"), config.get("delimiter"), config.get("connector_words")
    if not isinstance(passes, int) or isinstance(passes, bool) or passes < 1:
        raise FormatError(file, f"missing or invalid 'passes': {passes!r}", line=1)
    if not isinstance(delimiter, str) or not delimiter:
        raise FormatError(file, f"missing or invalid 'delimiter': {delimiter!r}", line=1)
    if not isinstance(connectors, list) or not all(isinstance(w, str) for w in connectors):
        raise FormatError(file, "missing or invalid 'connector_words' (a list of strings)", line=1)
    return config
