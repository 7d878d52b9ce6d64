"""The nn.Embedding <-> KeyedVectors bridge and the EmbeddingVocab."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from wordvec.torch import EmbeddingVocab, embedding_for, from_torch, to_torch
from wordvec.torch.classifier import MeanEmbeddingNet
from wordvec.vectors.keyed import KeyedVectors

WORDS = ["the", "cat", "sat", "on", "mat"]


@pytest.fixture
def kv() -> KeyedVectors:
    rng = np.random.default_rng(0)
    return KeyedVectors(WORDS, rng.normal(size=(len(WORDS), 8)).astype(np.float32), np.arange(5, 0, -1))


def test_to_torch_layout_shapes_and_dtypes(kv):
    emb, vocab = to_torch(kv)
    assert isinstance(emb, torch.nn.Embedding)
    assert emb.weight.shape == (len(WORDS) + 2, 8) and emb.weight.dtype == torch.float32
    assert emb.padding_idx == 1 and not emb.weight.requires_grad
    assert vocab.index_to_key[:2] == ["<unk>", "<pad>"] and vocab.words == WORDS
    w = emb.weight.detach().numpy()
    np.testing.assert_array_equal(w[1], 0)
    np.testing.assert_allclose(w[0], kv.vectors.mean(axis=0), rtol=1e-6)
    np.testing.assert_array_equal(w[2:], kv.vectors)
    assert to_torch(kv, unk_init="zeros")[0].weight[0].abs().sum() == 0
    assert to_torch(kv, freeze=False)[0].weight.requires_grad
    before = kv.vectors.copy()
    emb.weight.data += 1  # a copy: the KeyedVectors stay untouched
    np.testing.assert_array_equal(kv.vectors, before)


def test_unseen_words_map_to_unk_and_batches_are_padded(kv):
    _, vocab = to_torch(kv)
    assert vocab.encode(["cat", "dog", "mat"]) == [3, 0, 6]
    ids, mask = vocab.encode_batch(["The cat sat", "dog", ""])
    assert ids.dtype == torch.long and mask.dtype == torch.bool and ids.shape == mask.shape == (3, 3)
    assert ids.tolist() == [[2, 3, 4], [0, 1, 1], [1, 1, 1]]
    assert mask.tolist() == [[True] * 3, [True, False, False], [False] * 3]
    ids, mask = vocab.encode_batch([["cat", "sat", "on", "mat"]], max_len=2)
    assert ids.tolist() == [[3, 4]] and mask.all()
    with pytest.raises(TypeError):
        vocab.encode("cat")


def test_specials_clash_and_custom_names(kv):
    with pytest.raises(ValueError, match="special"):
        to_torch(KeyedVectors(["<unk>", "a"], np.ones((2, 3))))
    _, vocab = to_torch(KeyedVectors(["<unk>", "a"], np.ones((2, 3))), specials=("[UNK]", "[PAD]"))
    assert vocab.index_to_key == ["[UNK]", "[PAD]", "<unk>", "a"] and vocab.encode(["zzz"]) == [0]


def test_pad_row_stays_zero_and_is_excluded_from_the_mean(kv):
    emb, vocab = to_torch(kv, freeze=False)
    net = MeanEmbeddingNet(emb, 4, 2)
    ids, mask = vocab.encode_batch([["cat", "sat"], ["cat", "sat", "on", "mat"]])
    pooled = net.pool(ids, mask)
    np.testing.assert_allclose(pooled[0].detach().numpy(), kv.vectors[[1, 2]].mean(axis=0), rtol=1e-5)
    opt = torch.optim.Adam(net.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(ids, mask), torch.tensor([0, 1])).backward()
        opt.step()
    assert emb.weight[1].abs().sum() == 0
    assert not torch.equal(emb.weight[3], torch.from_numpy(kv.vectors[1]))  # real rows did train


def test_round_trip_keyed_vectors(kv):
    emb, vocab = to_torch(kv)
    back = from_torch(emb, vocab)
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors)
    np.testing.assert_array_equal(back.counts, kv.counts)
    assert back.vectors.dtype == np.float32 and back.vectors.flags.c_contiguous
    full = from_torch(emb, vocab, include_specials=True)
    assert full.index_to_key[:2] == ["<unk>", "<pad>"] and len(full) == len(kv) + 2
    with pytest.raises(ValueError, match="vocabulary"):
        from_torch(torch.nn.Embedding(3, 8), vocab)


def test_trained_embedding_exports_and_queries(kv):
    emb, vocab = to_torch(kv, freeze=False)
    with torch.no_grad():
        emb.weight[vocab.key_to_index["cat"]] = emb.weight[vocab.key_to_index["mat"]] * 2
    learned = from_torch(emb, vocab)
    assert learned.most_similar("cat", topn=1)[0][0] == "mat"


def test_embedding_for_uses_any_vectors_object():
    class Lookup:  # only __contains__, __getitem__ and vector_size
        vector_size = 3

        def __contains__(self, w):
            return w == "known"

        def __getitem__(self, w):
            return np.array([1.0, 2.0, 3.0])

    vocab = EmbeddingVocab(["known", "other"])
    emb, found = embedding_for(vocab, vectors=Lookup(), generator=torch.Generator().manual_seed(0))
    assert found == 1 and emb.weight.shape == (4, 3) and emb.padding_idx == 1
    assert emb.weight[2].tolist() == [1.0, 2.0, 3.0] and emb.weight[1].abs().sum() == 0
    emb, found = embedding_for(vocab, 5)
    assert found == 0 and emb.weight.shape == (4, 5)


def test_vocabulary_build_and_dict_round_trip():
    vocab = EmbeddingVocab.build(["b a b", "c b a", "d"], min_count=2)
    assert vocab.words == ["b", "a"] and vocab.counts == [3, 2]
    assert EmbeddingVocab.from_dict(vocab.to_dict()) == vocab
    with pytest.raises(ValueError, match="min_count"):
        EmbeddingVocab.build(["a"], min_count=5)


def test_old_names_still_work_with_a_deprecation_warning():
    import wordvec.torch

    with pytest.warns(DeprecationWarning, match="EmbeddingVocab"):
        assert wordvec.torch.Vocabulary is EmbeddingVocab
    with pytest.warns(DeprecationWarning, match="max_vocab_size"):
        old = EmbeddingVocab.build(["b a b", "c b a", "d"], max_size=1)
    assert old == EmbeddingVocab.build(["b a b", "c b a", "d"], max_vocab_size=1) and old.words == ["b"]
    with pytest.raises(AttributeError):
        wordvec.torch.NoSuchName
