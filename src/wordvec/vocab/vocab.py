"""Vocab: the kept words, their counts and a deterministic order.

Order: by count, most frequent first; ties keep the order of first appearance in the
corpus (a stable sort, as gensim does), so the same corpus always gives the same indexes.
A vocabulary grown by continued training (:meth:`Vocab.updated`) keeps its words where they
were and appends the new ones, so its counts are no longer in decreasing order (``ordered``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from wordvec.exceptions import EmptyVocabularyError

__all__ = ["Vocab", "EmptyVocabularyError"]



class Vocab:
    """An immutable vocabulary: ``index_to_key``, ``key_to_index``, int64 ``counts``.

    >>> vocab = Vocab.from_counts({"the": 5, "king": 2, "queen": 2, "rare": 1}, min_count=2)
    >>> vocab.index_to_key, vocab.key_to_index["king"]
    (['the', 'king', 'queen'], 1)
    >>> vocab.counts.tolist(), vocab.total_words, vocab.retained_words
    ([5, 2, 2], 10, 9)
    >>> "rare" in vocab
    False

    ``total_words`` is the number of raw tokens seen in the corpus (kept or not);
    ``retained_words`` the number of tokens of kept words.

    ``ordered=False`` accepts counts in any order: a vocabulary grown by continued training keeps
    the indexes its words had and appends new words after them (see :meth:`updated`).
    """

    __slots__ = ("index_to_key", "key_to_index", "counts", "total_words", "min_count",
                 "max_vocab_size", "n_types")

    def __init__(self, keys: Sequence[str], counts: np.ndarray, *, total_words: int | None = None,
                 min_count: int = 1, max_vocab_size: int | None = None, n_types: int | None = None,
                 ordered: bool = True):
        counts = np.asarray(counts, dtype=np.int64)
        if counts.shape != (len(keys),):
            raise ValueError(f"{len(keys)} keys but {counts.shape} counts")
        if ordered and len(counts) > 1 and np.any(np.diff(counts) > 0):
            raise ValueError("Vocab keys must be ordered by decreasing count")
        self.index_to_key = list(keys)
        self.key_to_index = {k: i for i, k in enumerate(self.index_to_key)}
        if len(self.key_to_index) != len(self.index_to_key):
            raise ValueError("Vocab keys must be unique")
        counts.setflags(write=False)
        self.counts = counts
        self.total_words = int(counts.sum()) if total_words is None else int(total_words)
        self.min_count = int(min_count)
        self.max_vocab_size = max_vocab_size
        self.n_types = len(keys) if n_types is None else int(n_types)

    @classmethod
    def from_counts(cls, counts: Mapping[str, int] | Sequence[tuple[str, int]], *, min_count: int = 1,
                    max_vocab_size: int | None = None, total_words: int | None = None) -> Vocab:
        """Build from word counts; ties in count keep the mapping's (insertion) order."""
        items = list(counts.items()) if isinstance(counts, Mapping) else list(counts)
        keys = [k for k, _ in items]
        arr = np.fromiter((c for _, c in items), dtype=np.int64, count=len(items))
        return cls.from_arrays(keys, arr, min_count=min_count, max_vocab_size=max_vocab_size,
                               total_words=total_words)

    @classmethod
    def from_arrays(cls, keys: Sequence[str], counts: np.ndarray, *, min_count: int = 1,
                    max_vocab_size: int | None = None, total_words: int | None = None) -> Vocab:
        """Sort (stable, by decreasing count), then prune. Raises EmptyVocabularyError if nothing is left."""
        order, kept = prune_order(counts, min_count=min_count, max_vocab_size=max_vocab_size)
        total = int(np.sum(counts)) if total_words is None else total_words
        if total == 0:
            raise EmptyVocabularyError("the corpus is empty: it holds no tokens")
        if kept == 0:
            raise EmptyVocabularyError(
                f"min_count={min_count} removed every word (the most frequent of {len(keys)} "
                f"distinct words occurs {int(np.max(counts))} times); lower min_count"
            )
        sel = order[:kept]
        return cls([keys[i] for i in sel], np.asarray(counts)[sel], total_words=total,
                   min_count=min_count, max_vocab_size=max_vocab_size, n_types=len(keys))

    def updated(self, keys: Sequence[str], counts: np.ndarray, *, add_words: bool, min_count: int,
                max_vocab_size: int | None, total_words: int) -> tuple[Vocab, np.ndarray, int]:
        """The vocabulary for continued training on a new corpus, and where its words go.

        ``keys``/``counts``: every word of the new corpus and its count there (the order decides
        the order of added words: pass them by decreasing count, ties by first appearance, as
        :func:`~wordvec.corpus.encode.scan_corpus` with ``min_count=1`` lists them);
        ``total_words``: the new corpus's raw tokens. Returns ``(vocab, remap, added)``: ``remap[i]``
        is the index of ``keys[i]`` in ``vocab``, or -1 where its tokens are dropped; ``added`` the
        number of new words.

        ``add_words=False`` (gensim's ``train()`` on a trained model): this vocabulary, unchanged
        (counts included); words it does not hold are dropped. ``add_words=True`` (gensim's
        ``build_vocab(update=True)``): every word keeps its index and its count grows by its count
        in the new corpus; new words with at least ``min_count`` occurrences are appended, the most
        frequent first (gensim appends them in order of first appearance), and no more than
        ``max_vocab_size`` words are kept in all (no word already trained is ever removed).
        """
        keys = list(keys)
        counts = np.asarray(counts, dtype=np.int64)
        if counts.shape != (len(keys),):
            raise ValueError(f"{len(keys)} keys but {counts.shape} counts")
        if min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {min_count}")
        k2i = self.key_to_index
        where = np.fromiter((k2i.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
        if not add_words:
            return self, where.astype(np.int32), 0
        fresh = np.flatnonzero((where < 0) & (counts >= min_count))
        if max_vocab_size is not None:
            fresh = fresh[:max(int(max_vocab_size) - len(self), 0)]
        merged = np.concatenate([self.counts, counts[fresh]])
        old = where >= 0
        np.add.at(merged, where[old], counts[old])
        where[fresh] = len(self) + np.arange(fresh.shape[0])
        grown = Vocab(self.index_to_key + [keys[i] for i in fresh.tolist()], merged,
                      total_words=self.total_words + int(total_words), min_count=min_count,
                      max_vocab_size=max_vocab_size, n_types=self.n_types + int(np.count_nonzero(~old)),
                      ordered=False)
        return grown, where.astype(np.int32), int(fresh.shape[0])

    @property
    def ordered(self) -> bool:
        """Whether the counts are in decreasing order (false once continued training appended words)."""
        return not (len(self.counts) > 1 and bool(np.any(np.diff(self.counts) > 0)))

    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: object) -> bool:
        return key in self.key_to_index

    def __repr__(self) -> str:
        return (f"Vocab({len(self)} words kept of {self.n_types} types, "
                f"{self.retained_words:,} of {self.total_words:,} tokens)")

    @property
    def retained_words(self) -> int:
        return int(self.counts.sum())

    def to_dict(self) -> dict:
        return {"size": len(self), "types_seen": self.n_types, "total_words": self.total_words,
                "retained_words": self.retained_words, "min_count": self.min_count,
                "max_vocab_size": self.max_vocab_size}


def prune_order(counts: np.ndarray, *, min_count: int, max_vocab_size: int | None) -> tuple[np.ndarray, int]:
    """Stable order by decreasing count and how many of its first entries survive pruning."""
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count}")
    if max_vocab_size is not None and max_vocab_size < 1:
        raise ValueError(f"max_vocab_size must be >= 1 or None, got {max_vocab_size}")
    counts = np.asarray(counts, dtype=np.int64)
    order = np.argsort(-counts, kind="stable")
    kept = int(np.count_nonzero(counts >= min_count))
    if max_vocab_size is not None:
        kept = min(kept, int(max_vocab_size))
    return order, kept
