"""Slow Python twin of the phrase counting kernel (phrases.py), for tests on tiny inputs.

Plain dicts keyed by ids (unigrams) and tuples of ids (bigrams), pruned exactly as the kernel
(and gensim's ``Phrases``) prune: after a sentence, when unigrams + bigrams exceed
``max_vocab_size``, drop the counts below ``min_reduce``, then ``min_reduce += 1``.
"""

from __future__ import annotations

__all__ = ["count_sentences"]


def count_sentences(sentences, is_connector, max_vocab_size: int):
    """Count ``sentences`` (lists of ids; ``is_connector(id)`` tells connectors).

    Returns ``(unigrams, bigrams, total, min_reduce, peak)``: the id -> count and tuple -> count
    dicts, the tokens read, the next prune's ``min_reduce`` and the most entries held at the end
    of a sentence.
    """
    unigrams: dict[int, int] = {}
    bigrams: dict[tuple[int, ...], int] = {}
    total, min_reduce, peak = 0, 1, 0
    for sentence in sentences:
        start = None
        between: list[int] = []
        for w in sentence:
            total += 1
            if is_connector(w):
                if start is not None:
                    between.append(w)
                continue
            unigrams[w] = unigrams.get(w, 0) + 1
            if start is not None:
                key = (start, *between, w)
                bigrams[key] = bigrams.get(key, 0) + 1
            start, between = w, []
        size = len(unigrams) + len(bigrams)
        peak = max(peak, size)
        if size > max_vocab_size:
            for table in (unigrams, bigrams):
                for key in [k for k, c in table.items() if c < min_reduce]:
                    del table[key]
            min_reduce += 1
    return unigrams, bigrams, total, min_reduce, peak
