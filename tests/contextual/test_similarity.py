"""Words in context: the triples file, the accuracy's mechanics, the nearest uses of a word."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from wordvec.contextual import WordInContext, nearest_occurrences, read_word_in_context, word_in_context_accuracy
from wordvec.contextual.embed import Embeddings
from wordvec.corpus.tokenizers import RegexTokenizer
from wordvec.exceptions import FormatError

TRIPLES = Path(__file__).parent / "data" / "word_in_context.tsv"


class BagOfWords:
    """A stand-in model: every token's vector is the sentence's bag of words (its context, no order)."""

    tokenizer_ = {"name": "regex"}

    def __init__(self):
        self.index: dict[str, int] = {}

    def tokenize(self, sentences):
        return [RegexTokenizer()(s) if isinstance(s, str) else list(s) for s in sentences]

    def embed(self, sentences, layer=-1, batch_size=64):
        tokens = self.tokenize(sentences)
        for s in tokens:
            for w in s:
                self.index.setdefault(w, len(self.index))
        out = []
        for s in tokens:
            bag = np.zeros(64, dtype=np.float32)
            for w in s:
                bag[self.index[w] % 64] += 1
            out.append(np.tile(bag, (len(s), 1)))
        return Embeddings(out, np.stack([t.mean(0) for t in out]), layer)


def test_the_triples_file():
    triples = read_word_in_context(TRIPLES)
    assert len(triples) >= 20
    assert len({t.word for t in triples}) >= 20
    assert {"bank", "bat", "plant", "spring", "match"} <= {t.word for t in triples}
    tok = RegexTokenizer()
    for t in triples:
        for sentence in (t.same_a, t.same_b, t.other):
            assert t.word in tok(sentence), (t.word, sentence)
    assert max(Counter(t.word for t in triples).values()) <= 2


def test_accuracy_counts_triples_whose_same_sense_uses_are_closer():
    good = [WordInContext("bank", "the river bank water", "water by the river bank", "money bank cash"),
            WordInContext("bat", "bat flew cave night", "dark cave bat wings", "swung bat ball hit")]
    assert word_in_context_accuracy(BagOfWords(), good) == 1.0
    flipped = [WordInContext(t.word, t.same_a, t.other, t.same_b) for t in good]
    assert word_in_context_accuracy(BagOfWords(), flipped) == 0.0
    assert word_in_context_accuracy(BagOfWords(), good + flipped) == 0.5


def test_accuracy_of_a_real_model_is_a_share(tiny_model):
    acc = word_in_context_accuracy(tiny_model, read_word_in_context(TRIPLES), layer=-1)
    assert 0.0 <= acc <= 1.0


def test_errors_name_the_problem(tmp_path, tiny_model):
    with pytest.raises(ValueError, match="'bank' is not a token of 'a river'"):
        word_in_context_accuracy(tiny_model, [WordInContext("bank", "a river", "a bank", "the bank")])
    with pytest.raises(ValueError, match="no triples"):
        word_in_context_accuracy(tiny_model, [])
    bad = tmp_path / "bad.tsv"
    bad.write_text("word\tsame_a\tsame_b\tother\nbank\tonly two\n")
    with pytest.raises(FormatError, match="line 2: expected 4 tab-separated fields"):
        read_word_in_context(bad)


def test_nearest_occurrences_are_sorted_and_skip_the_query(tiny_model, corpus):
    query = "the bank looked at a bank of the river"
    found = nearest_occurrences(tiny_model, query, "bank", corpus + [query.split()], topn=5)
    assert len(found) == 5
    assert [o.score for o in found] == sorted((o.score for o in found), reverse=True)
    assert all(o.tokens[o.position] == "bank" and o.tokens != query.split() for o in found)
    assert all(corpus[o.index] == o.tokens for o in found)
    # the best use is the one most like the query, by the model's own vectors
    out = tiny_model.embed([query, found[0].tokens], layer=-1)
    q, v = out.tokens[0][1], out.tokens[1][found[0].position]
    assert found[0].score == pytest.approx(float(q @ v / np.linalg.norm(q) / np.linalg.norm(v)), rel=1e-5)
    with pytest.raises(ValueError, match="'zebra' does not occur"):
        nearest_occurrences(tiny_model, "a zebra", "zebra", corpus)
