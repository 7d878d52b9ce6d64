"""One frozen dataclass per model: the defaults are defined here once.

Docstrings, CLI option defaults and saved models all read them from these classes. This module
imports nothing from wordvec (it is the bottom layer), so the command line can read the
defaults without loading NumPy.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass, fields
from typing import Any, ClassVar

__all__ = ["Word2VecConfig", "FastTextConfig", "GloVeConfig", "PPMISVDConfig", "CooccurrenceConfig",
           "ClassifierConfig", "ContextualClassifierConfig", "MODELS", "MODEL_CONFIGS", "TOKENIZER_NAMES", "config_from_dict", "defaults"]

#: Tokenizer names :func:`wordvec.corpus.get_tokenizer` understands (``--tokenizer``'s choices).
TOKENIZER_NAMES = ("regex", "whitespace", "korean")
#: Vector file formats :func:`wordvec.save` writes (and ``--format``/``--to`` take), by one name each.
VECTOR_FORMATS = ("native", "word2vec-text", "word2vec-binary", "glove", "fasttext-bin")
ARCHITECTURES = ("skipgram", "cbow")
LOSSES = ("negative", "hierarchical")
GLOVE_OUTPUTS = ("sum", "word")
SVD_SOLVERS = ("randomized", "arpack")

#: The longest character n-gram (max_n) a FastText model may use; the loaders refuse longer ones
#: as damage (a real model uses 3-6).
MAX_NGRAM_LENGTH = 64


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise ValueError(msg)


def _check_finite(c) -> None:
    """Every float field of ``c`` (annotated ``float`` or ``float | None``) holds a finite real number.

    Runs first in every ``validate``: NaN compares false to everything, so a range check such as
    ``x > 0`` written as ``not x <= 0`` would let it through, and inf passes ``x > 0``; either would
    train a whole run and fail only when the vectors are saved.
    """
    for f in fields(c):
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        if "float" not in kind:
            continue
        value = getattr(c, f.name)
        if value is None and "None" in kind:
            continue
        _check(isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value),
               f"{f.name} must be a finite number, got {value!r}")


def _check_int(c, name: str, low: int) -> None:
    value = getattr(c, name)
    _check(isinstance(value, int) and value >= low, f"{name} must be >= {low}, got {value!r}")


def _check_vector_size(c) -> None:
    _check(isinstance(c.vector_size, int) and c.vector_size >= 1,
           f"vector_size must be a positive integer, got {c.vector_size!r}")


def _check_vocab(c) -> None:
    _check_int(c, "min_count", 1)
    _check(c.max_vocab_size is None or (isinstance(c.max_vocab_size, int) and c.max_vocab_size >= 1),
           f"max_vocab_size must be None or >= 1, got {c.max_vocab_size!r}")


def _check_workers_and_seed(c) -> None:
    if hasattr(c, "workers"):
        _check(c.workers is None or (isinstance(c.workers, int) and c.workers >= 1),
               f"workers must be None or >= 1, got {c.workers!r}")
    _check(isinstance(c.seed, int) and c.seed >= 0, f"seed must be a non-negative integer, got {c.seed!r}")


class _ConfigDict:
    """What every config shares: ``to_dict`` / ``from_dict``, and building one from an estimator."""

    #: The ``"model"`` key of :meth:`to_dict`; for a model, the name ``wordvec train --model`` takes.
    model_name: ClassVar[str] = ""
    #: Setting names of earlier versions -> their names now, so that saved models still load.
    renamed: ClassVar[dict[str, str]] = {}

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model_name, **dataclasses.asdict(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]):
        d = {cls.renamed.get(k, k): v for k, v in d.items()}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known - {"model"})
        if unknown:
            raise ValueError(f"unknown {cls.__name__} settings: {', '.join(unknown)}")
        return cls(**{k: v for k, v in d.items() if k in known})

    @classmethod
    def from_saved(cls, d: dict[str, Any]):
        """The config of a saved model's settings (:meth:`from_dict`; a subclass fills in what older
        saves lack)."""
        return cls.from_dict(d)

    @classmethod
    def from_attributes(cls, obj):
        """The validated config of ``obj``'s attributes named like its fields (an estimator's parameters)."""
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)}).validate()


@dataclass(frozen=True)
class Word2VecConfig(_ConfigDict):
    """Hyperparameters of Word2Vec (names as gensim users know them).

    >>> cfg = Word2VecConfig(vector_size=50, architecture="cbow")
    >>> cfg.window, cfg.negative, cfg.alpha                # word2vec.c's defaults for CBOW
    (5, 5, 0.05)
    >>> cfg.to_dict()["model"]
    'word2vec'
    >>> Word2VecConfig(window=0).validate()
    Traceback (most recent call last):
        ...
    ValueError: window must be >= 1, got 0

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
        The default 0.05 is word2vec.c's for CBOW and fastText's; gensim (and word2vec.c's skip-gram)
        use 0.025. On the benchmark corpus 0.05 scored at least as well on every set for both
        architectures (CBOW: analogy 34.7 % against 31.5 %, WS353 0.616 against 0.572, SimLex 0.351
        against 0.309; skip-gram: analogy 33.7 % both, WS353 0.722 against 0.661, SimLex 0.383
        against 0.382; benchmarks/RESULTS.md).
    cbow_mean: CBOW averages the context vectors (True) or sums them (False).
    ns_exponent: exponent of the unigram distribution negatives are drawn from.
    workers: training threads (None: one per available core).
    seed: seeds the initial vectors and every random draw; with workers=1 runs are identical.
    max_sentence_length: longer sentences are split into pieces (every token is still trained).
    shared_negatives: skip-gram with negative sampling draws the negatives once per word and shares
        them across its context window (pWord2Vec, Ji et al. 2016). On 2 cores it trains about 3x
        faster than per-pair negatives, with the same quality on our benchmarks (benchmarks/RESULTS.md);
        set False for word2vec.c's exact per-pair sampling.
    deterministic: bit-identical vectors for a seed whatever ``workers`` (and thread timing). Jobs of
        ~5,000 words train in rounds of 4 (train.trainer.ROUND_JOBS): every job of a round reads the
        vectors as they were at the round's start and keeps its updates in private rows, and the
        round's mean update, filtered by a block momentum (wordvec.train.momentum), is added in job
        order. No peer offers it (gensim and fastText are Hogwild only). On benchmark prefixes its
        analogy scores are within a point of Hogwild's for every model (FastText 45.1 % against
        45.6 %), WordSim-353 within 0.03 and SimLex-999 up to 0.03 lower for skip-gram; it trains at
        80-85 % of Hogwild's speed with hierarchical softmax and 33-55 % with negative sampling
        (the private copies of the sampled output rows; benchmarks/RESULTS.md).
    """

    model_name: ClassVar[str] = "word2vec"

    vector_size: int = 100
    architecture: str = "skipgram"
    loss: str = "negative"
    window: int = 5
    negative: int = 5
    sample: float = 1e-3
    min_count: int = 5
    max_vocab_size: int | None = None
    epochs: int = 5
    alpha: float = 0.05
    min_alpha: float = 0.0001
    cbow_mean: bool = True
    ns_exponent: float = 0.75
    workers: int | None = None
    seed: int = 1
    max_sentence_length: int = 10_000
    shared_negatives: bool = True
    deterministic: bool = False

    def validate(self) -> Word2VecConfig:
        _check_finite(self)
        _check_vector_size(self)
        _check(self.architecture in ARCHITECTURES,
               f"architecture must be one of {ARCHITECTURES}, got {self.architecture!r}")
        _check(self.loss in LOSSES, f"loss must be one of {LOSSES}, got {self.loss!r}")
        _check_int(self, "window", 1)
        _check(isinstance(self.negative, int) and self.negative >= (1 if self.loss == "negative" else 0),
               f"negative must be >= 1 with loss='negative', got {self.negative!r}")
        _check(self.sample >= 0, f"sample must be >= 0, got {self.sample!r}")
        # count ** ns_exponent must stay finite in float64 for counts up to 1e30
        _check(-10 <= self.ns_exponent <= 10, f"ns_exponent must be in [-10, 10], got {self.ns_exponent!r}")
        _check_vocab(self)
        _check_int(self, "epochs", 1)
        _check(0 < self.alpha < 10, f"alpha must be in (0, 10), got {self.alpha!r}")
        _check(0 <= self.min_alpha <= self.alpha, f"min_alpha must be in [0, alpha], got {self.min_alpha!r}")
        _check_workers_and_seed(self)
        _check_int(self, "max_sentence_length", 2)
        _check(isinstance(self.deterministic, bool), f"deterministic must be True or False, got {self.deterministic!r}")
        return self


@dataclass(frozen=True)
class FastTextConfig(Word2VecConfig):
    """Hyperparameters of FastText: every Word2Vec setting, plus the character n-grams.

    >>> cfg = FastTextConfig()
    >>> cfg.min_n, cfg.max_n, cfg.bucket, cfg.alpha        # fastText's defaults
    (3, 6, 2000000, 0.05)

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
    eos: True — every sentence (a line of a file) ends with the word ``</s>``, as in fastText
        (``Dictionary::getLine``): it is counted, kept by ``min_count`` like any word, subsampled, in
        the windows of the sentence's last words and drawn as a noise word, but has no n-grams.
        gensim has no such word. On the benchmark corpus it is worth +0.8 analogy points (mean of
        3 runs against 5), on the syntactic questions, with the similarity sets level (RESULTS.md).
        Models saved before the setting existed were trained without it and keep ``eos=False``.
    """

    model_name: ClassVar[str] = "fasttext"

    alpha: float = 0.05
    ns_exponent: float = 0.5
    shared_negatives: bool = False
    min_n: int = 3
    max_n: int = 6
    bucket: int = 2_000_000
    jamo: bool = False
    eos: bool = True

    @classmethod
    def from_saved(cls, d: dict[str, Any]) -> FastTextConfig:
        """The config of a saved model's settings; those saved before ``eos`` existed trained without it.

        >>> FastTextConfig.from_saved({"bucket": 100}).eos
        False
        """
        return cls.from_dict({"eos": False, **d})

    def validate(self) -> FastTextConfig:
        super().validate()
        _check(isinstance(self.jamo, bool), f"jamo must be True or False, got {self.jamo!r}")
        _check(isinstance(self.eos, bool), f"eos must be True or False, got {self.eos!r}")
        _check_int(self, "min_n", 1)
        _check(isinstance(self.max_n, int) and (self.max_n == 0 or self.max_n >= self.min_n),
               f"max_n must be 0 (no subwords) or >= min_n={self.min_n}, got {self.max_n!r}")
        _check(self.max_n <= MAX_NGRAM_LENGTH,
               f"max_n must be at most {MAX_NGRAM_LENGTH} (what the loaders accept), got {self.max_n!r}")
        _check(isinstance(self.bucket, int) and (self.bucket >= 1 or self.max_n == 0),
               f"bucket must be >= 1, got {self.bucket!r}")
        return self


@dataclass(frozen=True)
class CooccurrenceConfig(_ConfigDict):
    """How a word-word co-occurrence matrix is counted (Stanford GloVe's ``cooccur``).

    >>> CooccurrenceConfig().window, CooccurrenceConfig(symmetric=False).symmetric
    (10, False)

    GloVeConfig and PPMISVDConfig inherit these fields: fitting on a corpus counts the matrix first.

    window: context words on each side (left only with symmetric=False).
    distance_weighting: a pair d words apart adds 1/d (True) or 1 (False).
    symmetric: count left and right contexts (True), or only pairs (left word, right word),
        the entries Stanford's ``cooccur -symmetric 0`` writes.
    min_count / max_vocab_size: vocabulary pruning, as for the other models.
    memory_mb: the counting buffers' memory cap in MiB; above it sorted runs spill to disk.
    """

    model_name: ClassVar[str] = "cooccurrence"

    window: int = 10
    distance_weighting: bool = True
    symmetric: bool = True
    min_count: int = 5
    max_vocab_size: int | None = None
    memory_mb: float = 1024.0

    def validate(self) -> CooccurrenceConfig:
        _check_finite(self)
        _check_int(self, "window", 1)
        _check_vocab(self)
        _check(self.memory_mb > 0, f"memory_mb must be > 0, got {self.memory_mb!r}")
        return self

    def counting(self) -> CooccurrenceConfig:
        """The co-occurrence settings alone (a model config's share of them)."""
        return CooccurrenceConfig(**{f.name: getattr(self, f.name) for f in fields(CooccurrenceConfig)})


@dataclass(frozen=True)
class GloVeConfig(CooccurrenceConfig):
    """Hyperparameters of GloVe (Pennington, Socher, Manning 2014; Stanford glove.c's defaults).

    >>> cfg = GloVeConfig()
    >>> cfg.x_max, cfg.weight_exponent, cfg.window, cfg.epochs   # glove.c's defaults
    (100.0, 0.75, 10, 25)

    window / distance_weighting / symmetric / min_count / max_vocab_size / memory_mb: how the
        co-occurrence matrix is counted when fitting on a corpus (inherited from CooccurrenceConfig).
    vector_size: dimensions of the word vectors.
    x_max / weight_exponent: the weighting f(x) = min(1, (x / x_max) ** weight_exponent) (the
        paper's and glove.c's alpha, renamed because wordvec's alpha is a learning rate; configs
        saved with "alpha" still load).
    epochs: passes over the non-zero entries.
    learning_rate: AdaGrad's initial learning rate (glove.c's eta).
    grad_clip: each gradient component is clipped to [-grad_clip, grad_clip] (glove.c's grad_clip_value).
    output: "sum" returns W + W~ (word plus context vectors, glove.c's -model 2), "word" W alone.
    workers: training threads (None: one per available core).
    seed: seeds the initial vectors and the shuffle; with workers=1 runs are identical.
    """

    model_name: ClassVar[str] = "glove"
    renamed: ClassVar[dict[str, str]] = {"alpha": "weight_exponent"}

    vector_size: int = 100
    x_max: float = 100.0
    weight_exponent: float = 0.75
    epochs: int = 25
    learning_rate: float = 0.05
    grad_clip: float = 100.0
    output: str = "sum"
    workers: int | None = None
    seed: int = 1

    def validate(self) -> GloVeConfig:
        _check_vector_size(self)
        super().validate()
        _check(self.x_max > 0, f"x_max must be > 0, got {self.x_max!r}")
        _check(self.weight_exponent >= 0, f"weight_exponent must be >= 0, got {self.weight_exponent!r}")
        _check_int(self, "epochs", 1)
        _check(0 < self.learning_rate < 10, f"learning_rate must be in (0, 10), got {self.learning_rate!r}")
        _check(self.grad_clip > 0, f"grad_clip must be > 0, got {self.grad_clip!r}")
        _check(self.output in GLOVE_OUTPUTS, f"output must be one of {GLOVE_OUTPUTS}, got {self.output!r}")
        _check_workers_and_seed(self)
        return self


@dataclass(frozen=True)
class PPMISVDConfig(CooccurrenceConfig):
    """Hyperparameters of PPMI + truncated SVD (Levy, Goldberg, Dagan 2015, "hyperwords").

    >>> cfg = PPMISVDConfig()
    >>> cfg.cds, cfg.eig, cfg.vector_size
    (0.75, 0.5, 100)

    window / distance_weighting / symmetric / min_count / max_vocab_size / memory_mb: how the
        co-occurrence matrix is counted when fitting on a corpus (inherited from CooccurrenceConfig).
    vector_size: dimensions kept by the truncated SVD.
    cds: context-distribution smoothing, P(c) proportional to #(c) ** cds (1 disables).
    shift: shifted PPMI, max(PMI - log(shift), 0) (1: no shift; k negatives correspond to shift=k).
    eig: eigenvalue weighting p, vectors U * S ** p (0: U alone, 1: U * S).
    svd: "randomized" (Halko et al. 2011, seeded) or "arpack" (scipy.sparse.linalg.svds).
    seed: seeds the randomized SVD.
    """

    model_name: ClassVar[str] = "ppmi-svd"

    vector_size: int = 100
    cds: float = 0.75
    shift: float = 1.0
    eig: float = 0.5
    svd: str = "randomized"
    seed: int = 1

    def validate(self) -> PPMISVDConfig:
        _check_vector_size(self)
        super().validate()
        _check(0 < self.cds <= 1, f"cds must be in (0, 1], got {self.cds!r}")
        _check(self.shift >= 1, f"shift must be >= 1, got {self.shift!r}")
        _check(self.eig >= 0, f"eig must be >= 0, got {self.eig!r}")
        _check(self.svd in SVD_SOLVERS, f"svd must be one of {SVD_SOLVERS}, got {self.svd!r}")
        _check_workers_and_seed(self)
        return self


@dataclass(frozen=True)
class ClassifierConfig(_ConfigDict):
    """Parameters of :class:`wordvec.torch.TextClassifier` (the ``wordvec classify train`` options).

    >>> cfg = ClassifierConfig(epochs=5)
    >>> cfg.embedding_dim, cfg.hidden, cfg.epochs
    (16, 16, 5)

    embedding_dim: embedding size when learning from scratch (pre-trained vectors bring their own).
    hidden: units of the hidden ReLU layer.
    freeze: keep pre-trained vectors fixed (True) or fine-tune them (False).
    epochs: most epochs (early stopping may end sooner).
    batch_size: texts per batch.
    learning_rate: Adam's learning rate.
    validation_split: share of the training texts held out for validation (without validation data).
    patience: epochs without a better validation loss before training stops.
    min_count: training words seen fewer times are left out of the vocabulary.
    max_len: keep the first max_len tokens of each text (None: all).
    tokenizer: one of TOKENIZER_NAMES; saved with the model.
    seed: seeds the split, the shuffles and the initial weights.
    """

    model_name: ClassVar[str] = "classifier"

    embedding_dim: int = 16
    hidden: int = 16
    freeze: bool = False
    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    validation_split: float = 0.1
    patience: int = 2
    min_count: int = 1
    max_len: int | None = None
    tokenizer: str = "regex"
    seed: int = 0

    def validate(self) -> ClassifierConfig:
        _check_finite(self)
        for name in ("embedding_dim", "hidden", "epochs", "batch_size", "min_count"):
            _check_int(self, name, 1)
        _check(self.learning_rate > 0, f"learning_rate must be > 0, got {self.learning_rate}")
        _check(0 <= self.validation_split < 1, f"validation_split must be in [0, 1), got {self.validation_split}")
        _check_int(self, "patience", 0)
        _check(self.max_len is None or (isinstance(self.max_len, int) and self.max_len >= 1),
               f"max_len must be >= 1 or None, got {self.max_len!r}")
        _check(self.tokenizer in TOKENIZER_NAMES, f"tokenizer must be one of "
               f"{', '.join(map(repr, TOKENIZER_NAMES))}, got {self.tokenizer!r}")
        return self


@dataclass(frozen=True)
class ContextualClassifierConfig(_ConfigDict):
    """Parameters of :class:`wordvec.torch.ContextualClassifier` (``wordvec classify train --features elmo:DIR``).

    >>> cfg = ContextualClassifierConfig()
    >>> cfg.hidden, cfg.epochs, cfg.patience
    (256, 50, 3)

    hidden: units of the hidden ReLU layer (Dense(256, relu) on ELMo features).
    epochs: most epochs (early stopping may end sooner; an epoch is cheap: the features are computed once).
    batch_size: texts per batch.
    learning_rate: Adam's learning rate.
    validation_split: share of the training texts held out for validation (without validation data).
    patience: epochs without a better validation loss before training stops.
    max_len: keep the first max_len tokens of each text (None: all; long texts run in windows).
    embed_batch_size: sentences per batch through the frozen biLM.
    freeze: with static ``vectors`` beside the biLM's features: keep them fixed (False: fine-tune
        them, as the embedding-average classifier does by default).
    dropout: share of the dense layer's inputs (the mixed ELMo vector, and the static mean with
        ``vectors``) zeroed at random in each training batch (Peters et al. 2018 add "a moderate
        amount of dropout to ELMo"; AllenNLP's ``Elmo`` defaults to 0.5); none at prediction.
    seed: seeds the split, the shuffles, the dropout and the initial weights.
    """

    model_name: ClassVar[str] = "contextual_classifier"

    hidden: int = 256
    epochs: int = 50
    batch_size: int = 32
    learning_rate: float = 1e-3
    validation_split: float = 0.1
    patience: int = 3
    max_len: int | None = None
    embed_batch_size: int = 64
    freeze: bool = False
    dropout: float = 0.0
    seed: int = 0

    def validate(self) -> ContextualClassifierConfig:
        _check_finite(self)
        for name in ("hidden", "epochs", "batch_size", "embed_batch_size"):
            _check_int(self, name, 1)
        _check(self.learning_rate > 0, f"learning_rate must be > 0, got {self.learning_rate}")
        _check(0 <= self.validation_split < 1, f"validation_split must be in [0, 1), got {self.validation_split}")
        _check_int(self, "patience", 0)
        _check(self.max_len is None or (isinstance(self.max_len, int) and self.max_len >= 1),
               f"max_len must be >= 1 or None, got {self.max_len!r}")
        _check(isinstance(self.freeze, bool), f"freeze must be True or False, got {self.freeze!r}")
        _check(isinstance(self.dropout, (int, float)) and not isinstance(self.dropout, bool)
               and 0 <= self.dropout < 1, f"dropout must be in [0, 1), got {self.dropout!r}")
        _check(isinstance(self.seed, int) and self.seed >= 0, f"seed must be a non-negative integer, got {self.seed!r}")
        return self


#: ``wordvec train --model`` name -> the model's config (:mod:`wordvec.models.registry` maps the
#: same names to the estimators).
MODEL_CONFIGS: dict[str, type] = {c.model_name: c for c in (Word2VecConfig, FastTextConfig, GloVeConfig,
                                                            PPMISVDConfig)}
MODELS = tuple(MODEL_CONFIGS)
_CONFIGS = {**MODEL_CONFIGS, CooccurrenceConfig.model_name: CooccurrenceConfig}


def config_from_dict(d: dict[str, Any]):
    """Rebuild a model config saved with ``to_dict`` (the ``model`` key picks the class; settings an
    older version did not save get the value it trained with, ``from_saved``).

    >>> cfg = config_from_dict(GloVeConfig(vector_size=50).to_dict())
    >>> type(cfg).__name__, cfg.vector_size
    ('GloVeConfig', 50)
    """
    try:
        cls = _CONFIGS[d["model"]]
    except KeyError:
        raise ValueError(f"unknown model config: {d.get('model')!r}") from None
    return cls.from_saved(d)


def defaults(cls) -> dict[str, Any]:
    """Field name -> default value, for CLI help and docs.

    >>> defaults(Word2VecConfig)["vector_size"], defaults(GloVeConfig)["x_max"]
    (100, 100.0)
    """
    return {f.name: f.default for f in fields(cls) if f.default is not dataclasses.MISSING}
