"""One frozen dataclass per model: the defaults are defined here once.

Docstrings, CLI option defaults and saved models all read them from these classes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["Word2VecConfig", "config_from_dict"]

ARCHITECTURES = ("skipgram", "cbow")
LOSSES = ("negative", "hierarchical")


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise ValueError(msg)


@dataclass(frozen=True)
class Word2VecConfig:
    """Hyperparameters of Word2Vec (names as gensim users know them).

    vector_size: dimensions of the word vectors.
    architecture: "skipgram" (a word predicts its context) or "cbow" (the context predicts the word).
    loss: "negative" (negative sampling) or "hierarchical" (hierarchical softmax over a Huffman tree).
    window: maximum distance between a word and its context words (a reduced window is drawn per word).
    negative: negative samples per positive example (loss="negative").
    sample: subsampling threshold for frequent words (word2vec.c's formula; 0 disables).
    min_count: words seen fewer times are dropped.
    max_vocab_size: keep at most this many words, the most frequent (None: no cap).
    epochs: passes over the corpus.
    alpha / min_alpha: learning rate, decayed linearly as alpha * (1 - progress), floored at min_alpha.
    cbow_mean: CBOW averages the context vectors (True) or sums them (False).
    ns_exponent: exponent of the unigram distribution negatives are drawn from.
    workers: training threads (None: one per available core).
    seed: seeds the initial vectors and every random draw; with workers=1 runs are identical.
    max_sentence_length: longer sentences are split into pieces (every token is still trained).
    shared_negatives: skip-gram with negative sampling draws the negatives once per word and shares
        them across its context window (pWord2Vec, Ji et al. 2016). On 2 cores it trains about 3x
        faster than per-pair negatives, with the same quality on our benchmarks (benchmarks/RESULTS.md);
        set False for word2vec.c's exact per-pair sampling.
    """

    vector_size: int = 100
    architecture: str = "skipgram"
    loss: str = "negative"
    window: int = 5
    negative: int = 5
    sample: float = 1e-3
    min_count: int = 5
    max_vocab_size: int | None = None
    epochs: int = 5
    alpha: float = 0.025
    min_alpha: float = 0.0001
    cbow_mean: bool = True
    ns_exponent: float = 0.75
    workers: int | None = None
    seed: int = 1
    max_sentence_length: int = 10_000
    shared_negatives: bool = True

    def validate(self) -> Word2VecConfig:
        _check(isinstance(self.vector_size, int) and self.vector_size >= 1,
               f"vector_size must be a positive integer, got {self.vector_size!r}")
        _check(self.architecture in ARCHITECTURES,
               f"architecture must be one of {ARCHITECTURES}, got {self.architecture!r}")
        _check(self.loss in LOSSES, f"loss must be one of {LOSSES}, got {self.loss!r}")
        _check(isinstance(self.window, int) and self.window >= 1, f"window must be >= 1, got {self.window!r}")
        _check(isinstance(self.negative, int) and self.negative >= (1 if self.loss == "negative" else 0),
               f"negative must be >= 1 with loss='negative', got {self.negative!r}")
        _check(self.sample >= 0, f"sample must be >= 0, got {self.sample!r}")
        _check(isinstance(self.min_count, int) and self.min_count >= 1, f"min_count must be >= 1, got {self.min_count!r}")
        _check(self.max_vocab_size is None or (isinstance(self.max_vocab_size, int) and self.max_vocab_size >= 1),
               f"max_vocab_size must be None or >= 1, got {self.max_vocab_size!r}")
        _check(isinstance(self.epochs, int) and self.epochs >= 1, f"epochs must be >= 1, got {self.epochs!r}")
        _check(0 < self.alpha < 10, f"alpha must be in (0, 10), got {self.alpha!r}")
        _check(0 <= self.min_alpha <= self.alpha, f"min_alpha must be in [0, alpha], got {self.min_alpha!r}")
        _check(self.workers is None or (isinstance(self.workers, int) and self.workers >= 1),
               f"workers must be None or >= 1, got {self.workers!r}")
        _check(isinstance(self.seed, int) and self.seed >= 0, f"seed must be a non-negative integer, got {self.seed!r}")
        _check(isinstance(self.max_sentence_length, int) and self.max_sentence_length >= 2,
               f"max_sentence_length must be >= 2, got {self.max_sentence_length!r}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"model": "word2vec", **dataclasses.asdict(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Word2VecConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known - {"model"})
        if unknown:
            raise ValueError(f"unknown {cls.__name__} settings: {', '.join(unknown)}")
        return cls(**{k: v for k, v in d.items() if k in known})


_CONFIGS = {"word2vec": Word2VecConfig}


def config_from_dict(d: dict[str, Any]):
    """Rebuild a model config saved with ``to_dict`` (the ``model`` key picks the class)."""
    try:
        cls = _CONFIGS[d["model"]]
    except KeyError:
        raise ValueError(f"unknown model config: {d.get('model')!r}") from None
    return cls.from_dict(d)


def defaults(cls) -> dict[str, Any]:
    """Field name -> default value, for CLI help and docs."""
    return {f.name: f.default for f in fields(cls) if f.default is not dataclasses.MISSING}


__all__ += ["defaults"]
