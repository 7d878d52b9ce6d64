"""Words in context: is a use of a word closer to another use of the same sense than to a use of
another sense (the "bank of a river" vs "bank account" demonstration), and the nearest uses of a
word in a corpus.

A triple is ``(word, same_a, same_b, other)``: three sentences using ``word``, the first two in
one sense, the third in another. :func:`word_in_context_accuracy` counts the triples where
``cos(v_a, v_b) > cos(v_a, v_other)``, ``v`` being the word's contextual vector in each sentence
(the word's first occurrence). A static embedding gives the word one vector and scores no
triple; ELMo's point is that its vectors tell the senses apart.

``word_in_context_accuracy(elmo, read_word_in_context("word_in_context.tsv"), layer=-1)`` is the
share of triples right; each function's docstring has an example that runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from wordvec._files import open_text
from wordvec.corpus.readers import as_corpus
from wordvec.exceptions import FormatError

__all__ = ["Occurrence", "WordInContext", "nearest_occurrences", "read_word_in_context",
           "word_in_context_accuracy", "word_position"]


@dataclass(frozen=True)
class WordInContext:
    """A word and three sentences: two in the same sense, one in another.

    >>> WordInContext("bank", "we sat on the river bank", "the bank of the stream", "the bank gave a loan")
    WordInContext(word='bank', same_a='we sat on the river bank', same_b='the bank of the stream', other='the bank gave a loan')
    """

    word: str
    same_a: str
    same_b: str
    other: str


@dataclass(frozen=True)
class Occurrence:
    """A use of a word in a corpus: cosine similarity to the query use, the sentence (its number
    in the corpus, from 0, and its tokens) and the word's position in it.

    >>> use = Occurrence(score=0.93, index=4, position=2, tokens=["the", "river", "bank"])
    >>> use.tokens[use.position]
    'bank'
    """

    score: float
    index: int
    position: int
    tokens: list[str]


def read_word_in_context(path: str | os.PathLike) -> list[WordInContext]:
    r"""Triples from a TSV file with the header ``word  same_a  same_b  other`` (``#`` lines are comments).

    >>> with open("wic.tsv", "w", encoding="utf-8") as f:
    ...     print("word", "same_a", "same_b", "other", sep="\t", file=f)
    ...     print("bank", "the river bank", "the muddy bank", "a bank loan", sep="\t", file=f)
    ...
    >>> read_word_in_context("wic.tsv")
    [WordInContext(word='bank', same_a='the river bank', same_b='the muddy bank', other='a bank loan')]
    """
    out = []
    with open_text(path) as fh:
        header = None
        for lineno, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if header is None:
                header = fields
                if header != ["word", "same_a", "same_b", "other"]:
                    raise FormatError(path, "expected the header word, same_a, same_b, other", line=lineno)
                continue
            if len(fields) != 4:
                raise FormatError(path, f"expected 4 tab-separated fields, found {len(fields)}", line=lineno)
            out.append(WordInContext(*fields))
    return out


def word_position(tokens: Sequence[str], word: str) -> int:
    """The first position of ``word`` in ``tokens``; a ValueError naming both when it is not there.

    >>> word_position(["the", "river", "bank"], "bank")
    2
    >>> word_position(["the", "river"], "bank")
    Traceback (most recent call last):
        ...
    ValueError: 'bank' is not a token of 'the river'
    """
    try:
        return list(tokens).index(word)
    except ValueError:
        raise ValueError(f"{word!r} is not a token of {' '.join(tokens)!r}") from None


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def _word_vectors(model, sentences: list[list[str]], positions: list[int], layer) -> np.ndarray:
    out = model.embed(sentences, layer=layer)
    return np.stack([vecs[p] for vecs, p in zip(out.tokens, positions)])


def word_in_context_accuracy(model, triples: Iterable[WordInContext], *, layer: int | str = -1) -> float:
    """The share of ``triples`` whose same-sense uses are closer than the other-sense use.

    >>> from wordvec.contextual import ELMo
    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "us", "a", "loan"],
    ...              ["the", "river", "bank", "was", "muddy"], ["a", "bank", "loan", "is", "money"]] * 5
    >>> elmo = ELMo(epochs=1, filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1,
    ...             progress=False).fit(sentences)
    >>> triples = [WordInContext("bank", "the river bank", "the muddy river bank", "a bank loan")]
    >>> 0.0 <= word_in_context_accuracy(elmo, triples) <= 1.0    # a tiny model: no claim on the value
    True

    ``model`` is an :class:`~wordvec.contextual.ELMo`; sentences are tokenized with its
    tokenizer; ``layer`` is passed to :meth:`~wordvec.contextual.ELMo.embed` (default: the top
    LSTM layer, the best for word senses in Peters et al. 2018, section 5.3).
    """
    triples = list(triples)
    if not triples:
        raise ValueError("no triples given")
    sentences, positions = [], []
    for t in triples:
        for text in (t.same_a, t.same_b, t.other):
            tokens = model.tokenize([text])[0]
            sentences.append(tokens)
            positions.append(word_position(tokens, t.word))
    vecs = _unit(_word_vectors(model, sentences, positions, layer)).reshape(len(triples), 3, -1)
    same = np.einsum("nd,nd->n", vecs[:, 0], vecs[:, 1])
    other = np.einsum("nd,nd->n", vecs[:, 0], vecs[:, 2])
    return float(np.mean(same > other))


def nearest_occurrences(model, sentence: str | Sequence[str], word: str, corpus, *, topn: int = 10,
                        layer: int | str = -1, max_sentences: int = 10_000, batch_size: int = 64,
                        encoding: str | None = None) -> list[Occurrence]:
    """The uses of ``word`` in ``corpus`` closest to its use in ``sentence``, best first.

    >>> from wordvec.contextual import ELMo
    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "us", "a", "loan"],
    ...              ["the", "river", "bank", "was", "muddy"], ["a", "bank", "loan", "is", "money"]] * 5
    >>> elmo = ELMo(epochs=1, filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1,
    ...             progress=False).fit(sentences)
    >>> uses = nearest_occurrences(elmo, "she sat on the river bank", "bank", sentences, topn=2)
    >>> len(uses), [" ".join(use.tokens) for use in uses][0] in {" ".join(s) for s in sentences}
    (2, True)
    >>> uses[0].tokens[uses[0].position]
    'bank'

    ``corpus`` is what :func:`wordvec.corpus.as_corpus` accepts (files are tokenized with the
    model's tokenizer, in ``encoding``: None is UTF-8); the first ``max_sentences`` sentences
    holding ``word`` are compared, every use in each, and the query sentence itself is skipped.
    """
    if topn < 1:
        raise ValueError(f"topn must be >= 1, got {topn}")
    query = model.tokenize([sentence])[0]
    query_vec = _unit(_word_vectors(model, [query], [word_position(query, word)], layer)[0])
    source = as_corpus(corpus, (model.tokenizer_ or {}).get("name"), encoding=encoding, progress=False)
    found: list[tuple[int, list[str]]] = []
    for index, tokens in enumerate(source):
        if word in tokens and list(tokens) != query:
            found.append((index, list(tokens)))
            if len(found) >= max_sentences:
                break
    if not found:
        raise ValueError(f"{word!r} does not occur in the corpus (outside the query sentence)")
    out = model.embed([tokens for _, tokens in found], layer=layer, batch_size=batch_size)
    scored = []
    for (index, tokens), vecs in zip(found, out.tokens):
        positions = [i for i, t in enumerate(tokens) if t == word]
        sims = _unit(vecs[positions]) @ query_vec
        scored.extend(Occurrence(float(s), index, p, tokens) for s, p in zip(sims, positions))
    scored.sort(key=lambda o: (-o.score, o.index, o.position))
    return scored[:topn]
