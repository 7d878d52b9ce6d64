"""One frozen dataclass per model: the defaults are defined here once.

Docstrings, CLI option defaults and saved models all read them from these classes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["Word2VecConfig", "GloVeConfig", "PPMISVDConfig", "CooccurrenceConfig", "config_from_dict"]

ARCHITECTURES = ("skipgram", "cbow")
LOSSES = ("negative", "hierarchical")
GLOVE_OUTPUTS = ("sum", "word")
SVD_SOLVERS = ("randomized", "arpack")


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


class _ConfigDict:
    """to_dict / from_dict shared by the configs below (Word2VecConfig keeps its own copy)."""

    _model_name = ""

    def to_dict(self) -> dict[str, Any]:
        return {"model": self._model_name, **dataclasses.asdict(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]):
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known - {"model"})
        if unknown:
            raise ValueError(f"unknown {cls.__name__} settings: {', '.join(unknown)}")
        return cls(**{k: v for k, v in d.items() if k in known})


def _check_vocab_and_window(c) -> None:
    _check(isinstance(c.window, int) and c.window >= 1, f"window must be >= 1, got {c.window!r}")
    _check(isinstance(c.min_count, int) and c.min_count >= 1, f"min_count must be >= 1, got {c.min_count!r}")
    _check(c.max_vocab_size is None or (isinstance(c.max_vocab_size, int) and c.max_vocab_size >= 1),
           f"max_vocab_size must be None or >= 1, got {c.max_vocab_size!r}")
    _check(c.memory_mb > 0, f"memory_mb must be > 0, got {c.memory_mb!r}")


@dataclass(frozen=True)
class CooccurrenceConfig(_ConfigDict):
    """How a word-word co-occurrence matrix is counted (Stanford GloVe's ``cooccur``).

    window: context words on each side (left only with symmetric=False).
    distance_weighting: a pair d words apart adds 1/d (True) or 1 (False).
    symmetric: count left and right contexts (True), or only pairs (left word, right word),
        the entries Stanford's ``cooccur -symmetric 0`` writes.
    min_count / max_vocab_size: vocabulary pruning, as for the other models.
    memory_mb: the counting buffers' memory cap in MiB; above it sorted runs spill to disk.
    """

    _model_name = "cooccurrence"

    window: int = 10
    distance_weighting: bool = True
    symmetric: bool = True
    min_count: int = 5
    max_vocab_size: int | None = None
    memory_mb: float = 1024.0

    def validate(self) -> CooccurrenceConfig:
        _check_vocab_and_window(self)
        return self


@dataclass(frozen=True)
class GloVeConfig(_ConfigDict):
    """Hyperparameters of GloVe (Pennington, Socher, Manning 2014; Stanford glove.c's defaults).

    vector_size: dimensions of the word vectors.
    window / distance_weighting / symmetric / min_count / max_vocab_size / memory_mb: how the
        co-occurrence matrix is counted when fitting on a corpus (see CooccurrenceConfig).
    x_max / alpha: the weighting f(x) = min(1, (x / x_max) ** alpha).
    epochs: passes over the non-zero entries.
    learning_rate: AdaGrad's initial learning rate (glove.c's eta).
    grad_clip: each gradient component is clipped to [-grad_clip, grad_clip] (glove.c's grad_clip_value).
    output: "sum" returns W + W~ (word plus context vectors, glove.c's -model 2), "word" W alone.
    workers: training threads (None: one per available core).
    seed: seeds the initial vectors and the shuffle; with workers=1 runs are identical.
    """

    _model_name = "glove"

    vector_size: int = 100
    window: int = 10
    distance_weighting: bool = True
    symmetric: bool = True
    min_count: int = 5
    max_vocab_size: int | None = None
    memory_mb: float = 1024.0
    x_max: float = 100.0
    alpha: float = 0.75
    epochs: int = 25
    learning_rate: float = 0.05
    grad_clip: float = 100.0
    output: str = "sum"
    workers: int | None = None
    seed: int = 1

    def validate(self) -> GloVeConfig:
        _check(isinstance(self.vector_size, int) and self.vector_size >= 1,
               f"vector_size must be a positive integer, got {self.vector_size!r}")
        _check_vocab_and_window(self)
        _check(self.x_max > 0, f"x_max must be > 0, got {self.x_max!r}")
        _check(self.alpha >= 0, f"alpha must be >= 0, got {self.alpha!r}")
        _check(isinstance(self.epochs, int) and self.epochs >= 1, f"epochs must be >= 1, got {self.epochs!r}")
        _check(0 < self.learning_rate < 10, f"learning_rate must be in (0, 10), got {self.learning_rate!r}")
        _check(self.grad_clip > 0, f"grad_clip must be > 0, got {self.grad_clip!r}")
        _check(self.output in GLOVE_OUTPUTS, f"output must be one of {GLOVE_OUTPUTS}, got {self.output!r}")
        _check(self.workers is None or (isinstance(self.workers, int) and self.workers >= 1),
               f"workers must be None or >= 1, got {self.workers!r}")
        _check(isinstance(self.seed, int) and self.seed >= 0, f"seed must be a non-negative integer, got {self.seed!r}")
        return self


@dataclass(frozen=True)
class PPMISVDConfig(_ConfigDict):
    """Hyperparameters of PPMI + truncated SVD (Levy, Goldberg, Dagan 2015, "hyperwords").

    vector_size: dimensions kept by the truncated SVD.
    window / distance_weighting / symmetric / min_count / max_vocab_size / memory_mb: how the
        co-occurrence matrix is counted when fitting on a corpus (see CooccurrenceConfig).
    cds: context-distribution smoothing, P(c) proportional to #(c) ** cds (1 disables).
    shift: shifted PPMI, max(PMI - log(shift), 0) (1: no shift; k negatives correspond to shift=k).
    eig: eigenvalue weighting p, vectors U * S ** p (0: U alone, 1: U * S).
    svd: "randomized" (Halko et al. 2011, seeded) or "arpack" (scipy.sparse.linalg.svds).
    seed: seeds the randomized SVD.
    """

    _model_name = "ppmi-svd"

    vector_size: int = 100
    window: int = 10
    distance_weighting: bool = True
    symmetric: bool = True
    min_count: int = 5
    max_vocab_size: int | None = None
    memory_mb: float = 1024.0
    cds: float = 0.75
    shift: float = 1.0
    eig: float = 0.5
    svd: str = "randomized"
    seed: int = 1

    def validate(self) -> PPMISVDConfig:
        _check(isinstance(self.vector_size, int) and self.vector_size >= 1,
               f"vector_size must be a positive integer, got {self.vector_size!r}")
        _check_vocab_and_window(self)
        _check(0 < self.cds <= 1, f"cds must be in (0, 1], got {self.cds!r}")
        _check(self.shift >= 1, f"shift must be >= 1, got {self.shift!r}")
        _check(self.eig >= 0, f"eig must be >= 0, got {self.eig!r}")
        _check(self.svd in SVD_SOLVERS, f"svd must be one of {SVD_SOLVERS}, got {self.svd!r}")
        _check(isinstance(self.seed, int) and self.seed >= 0, f"seed must be a non-negative integer, got {self.seed!r}")
        return self


@dataclass(frozen=True)
class FastTextConfig(Word2VecConfig):
    """Hyperparameters of FastText: every Word2Vec setting, plus the character n-grams.

    min_n / max_n: lengths of the character n-grams of ``<word>`` (max_n=0 turns subwords off).
    bucket: rows of the hashed n-gram table (fastText's FNV-1a hash modulo bucket).
    jamo: take the n-grams of ``<word>`` after splitting every Hangul syllable into its three jamo
        (initial, vowel, final or an empty-final marker; :func:`wordvec.corpus.jamo.decompose`), so
        that Korean n-grams see stems and endings (Park et al. 2018, "Subword-level Word Vector
        Representations for Korean"). The word itself stays the vocabulary key and keeps its own row;
        min_n / max_n then count jamo, 3 per syllable (Park et al. use 3-6 jamo, i.e. 1-2 syllables).
        Other characters are unaffected, so non-Korean words get the same n-grams either way.
        fastText has no such mode: jamo models cannot be exported as fastText .bin.
    alpha: 0.05, Facebook fastText's default for unsupervised training (gensim uses 0.025).
    shared_negatives: False — with subwords, negatives drawn per (word, context) pair as fastText does;
        sharing them across the window cost 8 analogy points on the benchmark corpus (RESULTS.md).
    ns_exponent: 0.5, the unigram exponent Facebook fastText draws negatives with (word2vec and
        gensim use 0.75); on the benchmark corpus it gave the better SimLex-999 (RESULTS.md).
    """

    alpha: float = 0.05
    ns_exponent: float = 0.5
    shared_negatives: bool = False
    min_n: int = 3
    max_n: int = 6
    bucket: int = 2_000_000
    jamo: bool = False

    def validate(self) -> FastTextConfig:
        super().validate()
        _check(isinstance(self.jamo, bool), f"jamo must be True or False, got {self.jamo!r}")
        _check(isinstance(self.min_n, int) and self.min_n >= 1, f"min_n must be >= 1, got {self.min_n!r}")
        _check(isinstance(self.max_n, int) and (self.max_n == 0 or self.max_n >= self.min_n),
               f"max_n must be 0 (no subwords) or >= min_n={self.min_n}, got {self.max_n!r}")
        _check(isinstance(self.bucket, int) and (self.bucket >= 1 or self.max_n == 0),
               f"bucket must be >= 1, got {self.bucket!r}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "model": "fasttext"}


_CONFIGS = {"word2vec": Word2VecConfig, "glove": GloVeConfig, "ppmi-svd": PPMISVDConfig,
            "cooccurrence": CooccurrenceConfig, "fasttext": FastTextConfig}


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
