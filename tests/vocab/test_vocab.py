"""Exact tests: vocabulary order and pruning, subsampling and negative tables, Huffman codes."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec._kernels.reference import ref_huffman
from wordvec.corpus.encode import scan_corpus
from wordvec.vocab import (EmptyVocabularyError, Vocab, build_huffman, keep_probabilities, keep_thresholds,
                           negative_table)

CORPUS = [["b", "a", "c", "a"], ["d", "c", "e", "b"], ["a", "f", "c", "b", "g"]]


def test_order_by_count_ties_by_first_appearance():
    vocab, enc = scan_corpus(CORPUS, min_count=1)
    # a, b, c: 3 each (first seen b, a, c); then d, e, f, g once each in order of appearance
    assert vocab.index_to_key == ["b", "a", "c", "d", "e", "f", "g"]
    assert vocab.counts.tolist() == [3, 3, 3, 1, 1, 1, 1]
    assert vocab.total_words == 13
    assert enc.tokens.tolist() == [0, 1, 2, 1, 3, 2, 4, 0, 1, 5, 2, 0, 6]
    assert enc.offsets.tolist() == [0, 4, 8, 13]


def test_min_count_and_max_vocab_size_prune_and_drop_tokens():
    vocab, enc = scan_corpus(CORPUS, min_count=2)
    assert vocab.index_to_key == ["b", "a", "c"]
    assert vocab.total_words == 13 and vocab.retained_words == 9
    assert enc.tokens.tolist() == [0, 1, 2, 1, 2, 0, 1, 2, 0]
    assert enc.offsets.tolist() == [0, 4, 6, 9]
    assert enc.total_words == 13
    vocab, _ = scan_corpus(CORPUS, min_count=1, max_vocab_size=2)
    assert vocab.index_to_key == ["b", "a"]


def test_sentences_emptied_by_pruning_are_dropped():
    vocab, enc = scan_corpus([["x"], ["a", "a"], ["y"], ["a"]], min_count=2)
    assert vocab.index_to_key == ["a"]
    assert enc.offsets.tolist() == [0, 2, 3]


def test_empty_corpus_and_min_count_errors_name_the_cause():
    with pytest.raises(EmptyVocabularyError, match="empty"):
        scan_corpus([[], []])
    with pytest.raises(EmptyVocabularyError, match="min_count=10"):
        scan_corpus(CORPUS, min_count=10)
    with pytest.raises(ValueError, match="min_count"):
        scan_corpus(CORPUS, min_count=0)


def test_long_sentences_are_split_and_counted_not_truncated():
    sent = [f"w{i % 7}" for i in range(25)]
    vocab, enc = scan_corpus([sent, ["w1", "w2"]], min_count=1, max_sentence_length=10)
    assert enc.retained_words == 27
    assert enc.offsets.tolist() == [0, 10, 20, 25, 27]
    assert enc.n_split == 1


def test_vocab_from_counts():
    v = Vocab.from_counts({"x": 2, "y": 5, "z": 2}, min_count=2)
    assert v.index_to_key == ["y", "x", "z"] and v.key_to_index["z"] == 2
    assert "x" in v and len(v) == 3
    with pytest.raises(ValueError, match="decreasing"):
        Vocab(["a", "b"], np.array([1, 2]))


def test_keep_probabilities_word2vec_formula():
    counts = np.array([1000, 100, 10, 1], dtype=np.int64)
    sample = 1e-2
    t = sample * counts.sum()  # 11.11
    expected = np.minimum((np.sqrt(counts / t) + 1) * t / counts, 1.0)
    np.testing.assert_allclose(keep_probabilities(counts, sample), expected)
    assert keep_probabilities(counts, sample)[0] == pytest.approx((np.sqrt(1000 / 11.11) + 1) * 11.11 / 1000)
    assert keep_probabilities(counts, 0).tolist() == [1, 1, 1, 1]
    thr = keep_thresholds(counts, sample)
    assert thr[-1] == 2**32 and thr[0] == round(expected[0] * 2**32)


def test_negative_table_is_unigram_to_the_three_quarters():
    counts = np.array([16, 1, 81], dtype=np.int64)  # ^0.75 -> 8, 1, 27
    table = negative_table(counts, domain=36)
    assert table.tolist() == [8, 9, 36]
    big = negative_table(counts)
    probs = np.diff(np.concatenate(([0], big))) / big[-1]
    np.testing.assert_allclose(probs, np.array([8, 1, 27]) / 36, atol=1e-9)


def test_huffman_small_example_exact():
    # word2vec.c CreateBinaryTree on counts 5, 3, 2, 1: node 4 = word3 (bit 0) + word2 (bit 1) = 3;
    # the tie between word1 (3) and node 4 (3) goes to the inner node (strict <), so
    # node 5 = node4 (bit 0) + word1 (bit 1) = 6; root 6 = word0 (bit 0) + node5 (bit 1).
    tree = build_huffman(np.array([5, 3, 2, 1]))
    codes = [tree.code(w) for w in range(4)]
    paths = [tree.path(w) for w in range(4)]
    assert codes == [[0], [1, 1], [1, 0, 1], [1, 0, 0]]
    assert paths == [[2], [2, 1], [2, 1, 0], [2, 1, 0]]


def test_huffman_prefix_free_and_optimal(rng):
    counts = np.sort(rng.integers(1, 10_000, size=300))[::-1].astype(np.int64)
    tree = build_huffman(counts)
    codes = ["".join(map(str, tree.code(w))) for w in range(len(counts))]
    assert len(set(codes)) == len(codes)
    for a in codes[:50]:
        assert not any(b != a and b.startswith(a) for b in codes)
    # Kraft equality of a full binary tree, and the optimal weighted length of any Huffman tree
    assert sum(2.0 ** -len(c) for c in codes) == pytest.approx(1.0)
    ref_codes, _ = ref_huffman(counts)
    assert sum(c * len(x) for c, x in zip(counts, codes)) == sum(c * len(x) for c, x in zip(counts, ref_codes))
    assert tree.points.max() == len(counts) - 2 and tree.points.min() >= 0
    assert all(tree.path(w)[0] == len(counts) - 2 for w in range(len(counts)))


def test_encode_with_existing_vocab_drops_unknown_words():
    from wordvec.corpus.encode import encode_with_vocab

    vocab, _ = scan_corpus(CORPUS, min_count=2)
    enc = encode_with_vocab([["a", "zzz", "b"], ["zzz"], ["c"]], vocab)
    assert enc.tokens.tolist() == [1, 0, 2]
    assert enc.offsets.tolist() == [0, 2, 3]
    assert enc.total_words == 5
