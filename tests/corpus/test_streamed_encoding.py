"""A corpus encoded to temporary files and streamed (memory flat in corpus length) equals the
in-memory encoding bit for bit, and so do the vectors trained on it (workers=1, same seed)."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec import FastText, Word2Vec
from wordvec.corpus import encode
from wordvec.corpus.encode import scan_corpus
from wordvec.train.trainer import make_jobs


def _corpus(n_sentences: int = 600, seed: int = 3) -> list[list[str]]:
    """Zipf-ish words (many pruned by min_count), some empty and some long sentences."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(400)]
    p = 1.0 / np.arange(1, len(words) + 1)
    p /= p.sum()
    out = []
    for i in range(n_sentences):
        n = 0 if i % 97 == 5 else int(rng.integers(1, 30)) if i % 50 else 130
        out.append([words[j] for j in rng.choice(len(words), size=n, p=p)])
    out.append(["rare1", "rare2"])  # a sentence emptied by min_count
    return out


@pytest.fixture
def small_blocks(monkeypatch):
    """Tiny flush, remap and offset blocks, so that every block boundary is crossed many times."""
    monkeypatch.setattr(encode, "_FLUSH", 97)
    monkeypatch.setattr(encode, "_BLOCK_SENTENCES", 13)
    monkeypatch.setattr(encode, "_BLOCK_OFFSETS", 7)


@pytest.mark.parametrize("spill_tokens", [0, 500, 10**9])
@pytest.mark.parametrize("max_len", [10_000, 40])
def test_streamed_encoding_equals_in_memory(small_blocks, tmp_path, spill_tokens, max_len):
    sentences = _corpus()
    vocab0, mem = scan_corpus(sentences, min_count=3, max_sentence_length=max_len)
    vocab1, disk = scan_corpus(sentences, min_count=3, max_sentence_length=max_len, spill_tokens=spill_tokens,
                               spill_dir=tmp_path)
    assert disk.streamed == (spill_tokens < 10**9) and not mem.streamed
    assert vocab1.index_to_key == vocab0.index_to_key
    np.testing.assert_array_equal(vocab1.counts, vocab0.counts)
    assert vocab1.total_words == vocab0.total_words
    np.testing.assert_array_equal(np.asarray(disk.tokens), mem.tokens)
    np.testing.assert_array_equal(np.asarray(disk.offsets), mem.offsets)
    assert (disk.total_words, disk.n_split, disk.n_sentences, disk.retained_words) == \
        (mem.total_words, mem.n_split, mem.n_sentences, mem.retained_words)
    assert (mem.n_split > 0) == (max_len == 40)
    assert list(tmp_path.iterdir()) == []  # anonymous temporary files: nothing left by name
    for job_words in (1, 25, 333, 10_000):
        cuts = make_jobs(mem.offsets, job_words)
        for corpus in (mem, disk):
            got, at = corpus.job_cuts(job_words)
            np.testing.assert_array_equal(got, cuts)
            np.testing.assert_array_equal(at, mem.offsets[cuts])
    for s0, s1 in [(0, 1), (3, 40), (0, mem.n_sentences), (mem.n_sentences - 2, mem.n_sentences)]:
        o0, o1 = mem.offsets[s0], mem.offsets[s1]
        for corpus in (mem, disk):
            toks, offs = corpus.read_sentences(s0, s1)
            assert toks.dtype == np.int32 and offs.dtype == np.int64 and toks.flags.c_contiguous
            np.testing.assert_array_equal(toks, mem.tokens[o0:o1])
            np.testing.assert_array_equal(offs, mem.offsets[s0:s1 + 1] - o0)
    disk.close()


def test_empty_vocabulary_closes_spill_files(tmp_path):
    from wordvec.vocab.vocab import EmptyVocabularyError

    with pytest.raises(EmptyVocabularyError):
        scan_corpus([["a", "b"]] * 3, min_count=10, spill_tokens=0, spill_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("model_class, options", [
    (Word2Vec, {}),
    (Word2Vec, {"architecture": "cbow", "loss": "hierarchical"}),
    (FastText, {"bucket": 5000, "max_n": 4}),
])
def test_streamed_training_is_bit_identical(monkeypatch, small_blocks, model_class, options):
    sentences = _corpus(800)
    settings = dict(vector_size=16, min_count=2, epochs=2, workers=1, seed=7, progress=False, **options)
    monkeypatch.setattr(encode, "SPILL_TOKENS", None)
    in_memory = model_class(**settings).fit(sentences)
    monkeypatch.setattr(encode, "SPILL_TOKENS", 0)
    reads = []
    read = encode.EncodedCorpus.read_sentences
    monkeypatch.setattr(encode.EncodedCorpus, "read_sentences",
                        lambda self, s0, s1: reads.append(self.streamed) or read(self, s0, s1))
    streamed = model_class(**settings).fit(sentences)
    assert reads and all(reads)  # the jobs did read from the temporary files
    np.testing.assert_array_equal(streamed.wv.vectors, in_memory.wv.vectors)
    np.testing.assert_array_equal(streamed.output_vectors_, in_memory.output_vectors_)
    assert streamed.loss_history_ == in_memory.loss_history_
    assert streamed.corpus_stats_ == in_memory.corpus_stats_
