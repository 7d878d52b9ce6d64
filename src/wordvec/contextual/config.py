"""The biLM's settings: one frozen dataclass, :class:`BiLMConfig`, and its named presets.

This module imports no torch (and nothing above layer 1), so the command line reads the
defaults for its help without loading PyTorch.

Presets
-------
``"small"`` (the defaults): a biLM that trains on 2 CPU cores at a few thousand tokens a second,
so a few million tokens take well under an hour.

``"original"``: the sizes of Peters et al. (2018) as AllenNLP published them
(``elmo_2x4096_512_2048cnn_2xhighway_options.json``): 16-dimensional characters, 2,048
convolution filters of widths 1-7, 2 highway layers, 512-dimensional projections, 2 LSTM layers of
4,096 cells projected to 512, memory cells and projections clipped to +-3. About 94 million
parameters besides the softmax; train it on a GPU (``device="cuda"``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from wordvec.config import TOKENIZER_NAMES, _check, _check_finite, _check_int, _check_vocab, _ConfigDict

__all__ = ["ACTIVATIONS", "BiLMConfig", "PRESETS", "check_names", "preset_config"]

#: The character CNN's activations (AllenNLP's options accept the same two).
ACTIVATIONS = ("relu", "tanh")

#: Preset name -> the settings it changes from :class:`BiLMConfig`'s defaults ("small").
PRESETS: dict[str, dict[str, Any]] = {
    "small": {},
    "original": {
        "char_embedding_dim": 16,
        "filters": ((1, 32), (2, 32), (3, 64), (4, 128), (5, 256), (6, 512), (7, 1024)),
        "n_highway": 2,
        "projection_dim": 512,
        "lstm_dim": 4096,
        "n_layers": 2,
        "cell_clip": 3.0,
        "proj_clip": 3.0,
        "max_vocab_size": 800_000,
        "batch_tokens": 8192,
        "learning_rate": 1e-3,
        "min_learning_rate": 1e-4,
    },
}


@dataclass(frozen=True)
class BiLMConfig(_ConfigDict):
    """Settings of the ELMo bidirectional language model (Peters et al. 2018) and its training.

    >>> cfg = BiLMConfig()                                  # the "small" preset: trains on a CPU
    >>> cfg.projection_dim, cfg.lstm_dim, cfg.n_layers, cfg.output_dim
    (128, 512, 2, 256)
    >>> BiLMConfig(projection_dim=16, lstm_dim=32).validate().output_dim     # 2 * projection_dim
    32

    Token encoder (a character CNN: every word, seen or not, gets a vector):

    char_embedding_dim: size of the character embeddings (262 character ids: the UTF-8 bytes, the
        begin/end-of-word and begin/end-of-sentence markers, padding; AllenNLP's scheme).
    filters: ``(width, count)`` of each convolution; their counts add up to the highway size.
    max_characters_per_token: characters per word, markers included (longer words are cut, as in
        AllenNLP; 50 there).
    n_highway: highway layers after the convolutions.
    activation: of the convolutions, "relu" or "tanh".
    projection_dim: size of the token vectors and of every LSTM output (per direction).
    token_norm: a LayerNorm on the token vectors (the projection's output). The CNN's max-pooled
        outputs start near one shared direction, and the LSTMs learn from them slowly; normalised,
        the biLM reaches a lower perplexity per token trained (benchmarks/RESULTS.md). AllenNLP's
        files have no such layer (False when reading them), nor do models saved before it existed.

    Language models (one per direction; they share the token encoder and the softmax):

    lstm_dim: memory cells of every LSTM layer, projected down to projection_dim when larger; equal
        means no projection (a plain LSTM on PyTorch's fused CPU kernel: 1.7x the tokens/s of the
        default, but it learned worse per token in our runs: see benchmarks/RESULTS.md).
    n_layers: LSTM layers per direction; layer k > 0 adds its input to its output (residual).
    cell_clip / proj_clip: clip memory cells / projected outputs to +-this (None: no clipping;
        without clipping the LSTM runs as PyTorch's fused ``nn.LSTM``, much faster on a CPU).

    Softmax (adaptive: Grave et al. 2017, ``torch.nn.AdaptiveLogSoftmaxWithLoss``):

    min_count / max_vocab_size: the words the softmax predicts (others are ``<UNK>``; inputs are
        characters, so every word is still read).
    softmax_cutoffs: cluster boundaries of the adaptive softmax (None: 2,000, 10,000, 50,000,
        250,000 below the vocabulary size).
    softmax_div_value: each tail cluster's projection is this many times smaller than the previous.

    Training (Adam, per-sentence batches bucketed by length):

    epochs: passes over the training sentences.
    batch_tokens: tokens per batch (about; whole sentences are batched).
    max_sentence_length: longer sentences are split into pieces of this many tokens (every token
        is still trained; the pieces are counted).
    learning_rate / min_learning_rate: Adam's rate, decayed linearly from one to the other.
    dropout: on the token vectors, between LSTM layers and before the softmax.
    grad_clip: the gradients' global norm is clipped to this.
    validation_split: the share of sentences (the last ones) held out for the perplexity report,
        when ``fit`` gets no validation corpus.
    tokenizer: one of TOKENIZER_NAMES: how files and raw text are split (saved with the model).
    seed: seeds the initial weights, the batch order and dropout; runs on a CPU are identical.
    """

    model_name: ClassVar[str] = "elmo"

    char_embedding_dim: int = 16
    filters: tuple[tuple[int, int], ...] = ((1, 32), (2, 32), (3, 64), (4, 128), (5, 256))
    max_characters_per_token: int = 50
    n_highway: int = 1
    activation: str = "relu"
    projection_dim: int = 128
    token_norm: bool = True
    lstm_dim: int = 512
    n_layers: int = 2
    cell_clip: float | None = None
    proj_clip: float | None = None
    min_count: int = 3
    max_vocab_size: int | None = 50_000
    softmax_cutoffs: tuple[int, ...] | None = None
    softmax_div_value: float = 4.0
    epochs: int = 2
    batch_tokens: int = 1024
    max_sentence_length: int = 100
    learning_rate: float = 4e-3
    min_learning_rate: float = 4e-4
    dropout: float = 0.1
    grad_clip: float = 1.0
    validation_split: float = 0.01
    tokenizer: str = "regex"
    seed: int = 0

    def __post_init__(self):
        # JSON gives lists: keep the tuple fields hashable and comparable whatever came in.
        if self.filters is not None and not isinstance(self.filters, str):
            object.__setattr__(self, "filters", tuple(tuple(f) for f in self.filters))
        if self.softmax_cutoffs is not None and not isinstance(self.softmax_cutoffs, str):
            object.__setattr__(self, "softmax_cutoffs", tuple(self.softmax_cutoffs))

    @property
    def n_filters(self) -> int:
        """The convolutions' outputs in all (the highway layers' size)."""
        return sum(count for _, count in self.filters)

    @property
    def output_dim(self) -> int:
        """Size of every layer's contextual vectors: forward and backward halves side by side."""
        return 2 * self.projection_dim

    def validate(self) -> BiLMConfig:
        _check_finite(self)  # every float setting: NaN or inf would only fail after training
        for name in ("char_embedding_dim", "projection_dim", "n_layers", "epochs", "batch_tokens"):
            _check_int(self, name, 1)
        _check_int(self, "n_highway", 0)
        _check_int(self, "max_characters_per_token", 3)
        _check_int(self, "max_sentence_length", 2)
        _check(isinstance(self.filters, tuple) and len(self.filters) > 0
               and all(len(f) == 2 and all(isinstance(v, int) and v >= 1 for v in f) for f in self.filters),
               f"filters must be a non-empty list of (width, count) pairs of positive integers, got {self.filters!r}")
        widest = max(w for w, _ in self.filters)
        _check(widest <= self.max_characters_per_token,
               f"the widest filter ({widest}) is wider than max_characters_per_token={self.max_characters_per_token}")
        _check(isinstance(self.token_norm, bool), f"token_norm must be True or False, got {self.token_norm!r}")
        _check(self.activation in ACTIVATIONS, f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        _check(isinstance(self.lstm_dim, int) and self.lstm_dim >= self.projection_dim,
               f"lstm_dim must be at least projection_dim={self.projection_dim} (equal: no projection), "
               f"got {self.lstm_dim!r}")
        for name in ("cell_clip", "proj_clip"):
            value = getattr(self, name)
            _check(value is None or value > 0, f"{name} must be None or > 0, got {value!r}")
        _check_vocab(self)
        _check(self.softmax_cutoffs is None or (len(self.softmax_cutoffs) > 0 and all(
            isinstance(c, int) and c >= 1 for c in self.softmax_cutoffs) and list(self.softmax_cutoffs) == sorted(
            set(self.softmax_cutoffs))), f"softmax_cutoffs must be None or increasing positive integers, "
               f"got {self.softmax_cutoffs!r}")
        _check(self.softmax_div_value >= 1, f"softmax_div_value must be >= 1, got {self.softmax_div_value!r}")
        _check(0 < self.learning_rate < 10, f"learning_rate must be in (0, 10), got {self.learning_rate!r}")
        _check(0 <= self.min_learning_rate <= self.learning_rate,
               f"min_learning_rate must be in [0, learning_rate], got {self.min_learning_rate!r}")
        _check(0 <= self.dropout < 1, f"dropout must be in [0, 1), got {self.dropout!r}")
        _check(self.grad_clip > 0, f"grad_clip must be > 0, got {self.grad_clip!r}")
        _check(0 <= self.validation_split < 1, f"validation_split must be in [0, 1), got {self.validation_split!r}")
        _check(self.tokenizer in TOKENIZER_NAMES,
               f"tokenizer must be one of {', '.join(map(repr, TOKENIZER_NAMES))}, got {self.tokenizer!r}")
        _check(isinstance(self.seed, int) and self.seed >= 0, f"seed must be a non-negative integer, got {self.seed!r}")
        return self

    @classmethod
    def from_saved(cls, d: dict[str, Any]) -> BiLMConfig:
        """The config of a saved model's settings; those saved before ``token_norm`` existed had none.

        >>> BiLMConfig.from_saved({"projection_dim": 16, "lstm_dim": 32}).token_norm
        False
        """
        return cls.from_dict({"token_norm": False, **d})

    def cutoffs(self, vocab_size: int) -> list[int]:
        """The adaptive softmax's cluster boundaries for a vocabulary of ``vocab_size`` words."""
        if self.softmax_cutoffs is not None:
            kept = [c for c in self.softmax_cutoffs if c < vocab_size]
        else:
            kept = [c for c in (2_000, 10_000, 50_000, 250_000) if c < vocab_size - 1]
        return kept or [max(1, vocab_size // 2)]

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["filters"] = [list(f) for f in self.filters]
        d["softmax_cutoffs"] = None if self.softmax_cutoffs is None else list(self.softmax_cutoffs)
        return d


def check_names(settings: dict[str, Any]) -> None:
    """A TypeError naming the keys of ``settings`` that are no :class:`BiLMConfig` field.

    >>> check_names({"lstm_dim": 32})
    >>> check_names({"lstm_dims": 32, "epoch": 1})
    Traceback (most recent call last):
        ...
    TypeError: unknown ELMo settings: epoch, lstm_dims
    """
    unknown = sorted(set(settings) - {f.name for f in dataclasses.fields(BiLMConfig)})
    if unknown:
        raise TypeError(f"unknown ELMo setting{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")


def preset_config(preset: str = "small", **settings: Any) -> BiLMConfig:
    """The validated config of a preset (``"small"`` or ``"original"``) with ``settings`` changed.

    >>> preset_config("original").lstm_dim
    4096
    >>> preset_config(projection_dim=64).output_dim
    128
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    check_names(settings)
    return BiLMConfig(**{**PRESETS[preset], **settings}).validate()
