"""Phrase detection on a Dask cluster: unigram and bigram counts as map-reduce, scored once.

:func:`learn_phrases` fits a :class:`~wordvec.corpus.phrases.Phrases` on a cluster:

1. Map: each partition (:func:`~wordvec.distributed.make_partitions`) is read and tokenized on a
   worker and counted by the single-machine counter (:class:`~wordvec.corpus.phrases.PhraseCounts`,
   gensim's rules: connector words, bigrams across connectors), without pruning: a partition's
   table is bounded by the partition. It returns its unigram and bigram counts and tokens read.
2. Reduce: the partitions' counts are summed by a tree of merges on the workers (:func:`merge_phrase_counts`).
3. Score, on a worker: the merged table is scored by the single-machine formula
   (``scoring``, ``min_count``, ``threshold``; ``len_vocab`` = unigrams + bigrams in the table) and
   only the phrases come back to the client.

``passes=2``: the second pass counts the partitions with the first pass's phrases joined, as the
single-machine :meth:`~wordvec.corpus.phrases.Phrases.fit` does.

Equal to the single machine (same phrases, scores and counts) whenever the single-machine table
never passes ``max_vocab_size`` (40M entries by default: the English benchmark corpus's 17.7M
tokens fill about 3.7M). Past the cap, gensim's rule, which wordvec follows on one machine, prunes
the table as it reads (entries counted fewer than ``min_reduce`` times go, and ``min_reduce``
grows), so what survives depends on the order of the corpus; the cluster applies the same rule once
to the merged table (:func:`prune_counts`), which keeps every entry the exact counts justify.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from types import SimpleNamespace

from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding
from wordvec.distributed.cluster import submit_placed, wait_all, worker_addresses
from wordvec.distributed.partitions import Partition, make_partitions, make_tokenizer, read_partition, tokenizer_spec

__all__ = ["learn_phrases", "count_phrase_partition", "merge_phrase_counts", "prune_counts", "score_phrase_counts"]

#: Partial counts merged by one reduce task.
FAN_IN = 8
#: A partition's table is never pruned (it is bounded by the partition's size).
_NO_CAP = 1 << 62


def count_phrase_partition(p: Partition, tokenizer, encoding: str, token_cache, connector_words: frozenset,
                           frozen=None) -> tuple[Counter, Counter, int]:
    """Map: ``(unigram counts, bigram counts, tokens read)`` of one partition, counted by
    :class:`~wordvec.corpus.phrases.PhraseCounts`; with ``frozen`` (the earlier passes'
    :class:`~wordvec.corpus.phrases.FrozenPhrases`) the sentences have their phrases joined first.

    >>> with open("corpus.txt", "w", encoding="utf-8") as f:
    ...     _ = f.write("new york is big\\nnew york\\n")
    >>> uni, bi, n = count_phrase_partition(make_partitions("corpus.txt")[0], "whitespace", "utf-8", False, frozenset())
    >>> uni["new"], bi[("new", "york")], n
    (2, 2, 6)
    """
    from wordvec.corpus.phrases import PhraseCounts

    sentences: Iterable = read_partition(p, tokenizer, encoding, token_cache=token_cache)
    if frozen is not None:
        sentences = (frozen.apply(s) for s in sentences)
    counts = PhraseCounts.count(sentences, connector_words, max_vocab_size=_NO_CAP)
    return Counter(counts.unigrams()), Counter(counts.bigrams()), counts.corpus_word_count


def merge_phrase_counts(*parts: tuple[Counter, Counter, int]) -> tuple[Counter, Counter, int]:
    """Reduce: partial counts summed.

    >>> merge_phrase_counts((Counter({"a": 1}), Counter({("a", "b"): 1}), 2), (Counter({"a": 2}), Counter(), 3))
    (Counter({'a': 3}), Counter({('a', 'b'): 1}), 5)
    """
    uni: Counter = Counter()
    bi: Counter = Counter()
    total = 0
    for u, b, n in parts:
        uni.update(u)
        bi.update(b)
        total += n
    return uni, bi, total


def prune_counts(uni: Counter, bi: Counter, max_vocab_size: int) -> tuple[int, int]:
    """gensim's pruning, applied to a whole table (in place): while it holds more than
    ``max_vocab_size`` entries, drop those counted fewer than ``min_reduce`` times, then raise
    ``min_reduce`` by one (from 1). Returns ``(prunes, min_reduce)``.

    >>> uni, bi = Counter({"a": 5, "b": 1, "c": 2}), Counter({("a", "b"): 1})
    >>> prune_counts(uni, bi, 2), dict(uni), dict(bi)    # 4 entries: min_reduce 1 drops nothing, 2 drops b
    ((2, 3), {'a': 5, 'c': 2}, {})
    """
    prunes, min_reduce = 0, 1
    while len(uni) + len(bi) > max_vocab_size:
        for table in (uni, bi):
            for key in [k for k, c in table.items() if c < min_reduce]:
                del table[key]
        prunes += 1
        min_reduce += 1
    return prunes, min_reduce


def score_phrase_counts(merged: tuple[Counter, Counter, int], scoring: str, min_count, threshold: float,
                        max_vocab_size: int) -> tuple[dict, dict, dict]:
    """Score a merged table (on a worker): ``(phrase -> score, phrase -> count, the pass in numbers)``
    for the bigrams scoring above ``threshold``, by the single-machine formula. In the numbers,
    ``peak_entries`` is the merged table's size before :func:`prune_counts`.

    >>> uni = Counter({"new": 10, "york": 10, "city": 30})
    >>> bi = Counter({("new", "york"): 10, ("york", "city"): 1})
    >>> layer, counts, stats = score_phrase_counts((uni, bi, 60), "default", 5, 0.1, 100)
    >>> layer, counts, stats["phrases"]      # (10 - 5) / (10 * 10) * 5 entries  # doctest: +ELLIPSIS
    ({('new', 'york'): 0.25...}, {('new', 'york'): 10}, 1)
    """
    import numpy as np

    from wordvec.corpus.phrases import _score_arrays

    uni, bi, total = merged
    entries = len(uni) + len(bi)
    prunes, min_reduce = prune_counts(uni, bi, max_vocab_size)
    keys = list(bi)
    if keys:
        a = np.fromiter((uni.get(k[0], 0) for k in keys), dtype=np.int64, count=len(keys))
        b = np.fromiter((uni.get(k[-1], 0) for k in keys), dtype=np.int64, count=len(keys))
        c = np.fromiter((bi[k] for k in keys), dtype=np.int64, count=len(keys))
        score = _score_arrays(scoring, a, b, c, len_vocab=len(uni) + len(bi), min_count=min_count,
                              corpus_word_count=total)
        chosen = np.flatnonzero(score > threshold).tolist()
    else:
        chosen, score, c = [], [], []
    layer = {keys[i]: float(score[i]) for i in chosen}
    counts = {keys[i]: int(c[i]) for i in chosen}
    stats = {"corpus_word_count": int(total), "unigrams": len(uni), "bigrams": len(bi), "peak_entries": entries,
             "prunes": prunes, "min_reduce": min_reduce, "phrases": len(layer)}
    return layer, counts, stats


def learn_phrases(client, corpus, model, *, tokenizer=None, encoding: str | None = None, token_cache=None,
                  partition_bytes: int | None = None):
    """Fit ``model`` (an unfitted :class:`~wordvec.corpus.phrases.Phrases`, whose settings are used)
    on ``corpus`` (paths every worker can read, or :class:`~wordvec.distributed.Partition` s) on the
    cluster of ``client``; returns ``model``, fitted, with the single-machine phrases (see the
    module's docstring for ``max_vocab_size``) and ``model.distributed_`` (workers, partitions, seconds).

    >>> from distributed import Client                    # doctest: +SKIP
    >>> # skipped: the examples need a running Dask cluster
    >>> phrases = learn_phrases(Client("tcp://scheduler:8786"), "corpus/", Phrases(min_count=5))  # doctest: +SKIP
    >>> phrases.freeze().save("phrases/")                 # doctest: +SKIP
    """
    from wordvec.corpus.tokenizers import describe_tokenizer
    from wordvec.distributed.partitions import DEFAULT_PARTITION_BYTES
    from wordvec.distributed.vocab import _check_partitions

    t0 = time.perf_counter()
    settings = model._settings()
    encoding = check_encoding(DEFAULT_ENCODING if encoding is None else encoding)
    if isinstance(corpus, Partition) or (isinstance(corpus, (list, tuple)) and corpus
                                         and all(isinstance(p, Partition) for p in corpus)):
        partitions = _check_partitions([corpus] if isinstance(corpus, Partition) else list(corpus))
    else:
        partitions = make_partitions(corpus, partition_bytes or DEFAULT_PARTITION_BYTES, encoding=encoding)
    tok = make_tokenizer(tokenizer_spec(tokenizer))
    spec = tokenizer_spec(tok)
    workers = worker_addresses(client)
    connectors = settings["connector_words"]
    layers: list[dict] = []
    counts: list[dict] = []
    stats: list[dict] = []
    frozen = None
    for p in range(1, model.passes + 1):
        level = [submit_placed(client, workers, i, count_phrase_partition, part, spec, encoding, token_cache,
                               connectors, frozen) for i, part in enumerate(partitions)]
        label = "counting phrases" if model.passes == 1 else f"counting phrases, pass {p}/{model.passes}"
        wait_all(level, label, model.progress)
        while len(level) > 1:
            level = [client.submit(merge_phrase_counts, *level[i:i + FAN_IN], pure=False)
                     for i in range(0, len(level), FAN_IN)]
        layer, count, stat = client.submit(score_phrase_counts, level[0], settings["scoring"], settings["min_count"],
                                           settings["threshold"], settings["max_vocab_size"], pure=False).result()
        del level
        layers.append(layer)
        counts.append(count)
        stats.append(stat)
        frozen = model._frozen(settings, layers, counts, stats)
    model.counts_ = None  # the table stayed on the cluster
    model.pass_stats_ = stats
    model.tokenizer_ = describe_tokenizer(SimpleNamespace(tokenizer=tok))
    model.frozen_ = frozen
    model.distributed_ = {"workers": len(workers), "partitions": len(partitions),
                          "seconds": time.perf_counter() - t0}
    return model

