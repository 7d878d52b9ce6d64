"""Reading AllenNLP's published ELMo files: ``options.json`` + ``weights.hdf5`` (h5py).

The files are bilm-tf's TensorFlow variables (Peters et al. 2018), the layout AllenNLP's
``_ElmoCharacterEncoder`` and ``ElmoLstm.load_weights`` read. This module maps them onto
:class:`~wordvec.contextual.bilm.BiLM`, so the same contextual vectors come out without
allennlp. ``options.json``::

    {"char_cnn": {"embedding": {"dim": 16}, "filters": [[1, 32], ...], "n_highway": 2,
                  "activation": "relu", "max_characters_per_token": 50, "n_characters": 262},
     "lstm": {"projection_dim": 512, "dim": 4096, "n_layers": 2, "cell_clip": 3, "proj_clip": 3,
              "use_skip_connections": true}}

``weights.hdf5`` (TensorFlow shapes; ``C`` = character dim, ``F`` = filters in all, ``P`` =
projection_dim, ``N`` = lstm dim), and where each dataset goes:

==============================================  ==========================  =====================================
dataset                                         shape                       BiLM parameter
==============================================  ==========================  =====================================
``char_embed``                                  (261, C)                    ``encoder.char_embedding.weight[1:]``
                                                                            (row 0 is the padding id, kept 0)
``CNN/W_cnn_{i}``, ``CNN/b_cnn_{i}``            (1, width, C, count), (count,)  ``encoder.convolutions.{i}``
                                                                            (weight transposed to (count, C, width))
``CNN_high_{k}/W_transform``, ``b_transform``   (F, F), (F,)                ``encoder.highways.{k}.transform`` (W^T)
``CNN_high_{k}/W_carry``, ``b_carry``           (F, F), (F,)                ``encoder.highways.{k}.carry`` (W^T)
``CNN_proj/W_proj``, ``b_proj``                 (F, P), (P,)                ``encoder.projection`` (W^T)
``RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell/``                              ``{forward,backward}_lm.layers.{k}.lstm``
  ``W_0``                                       (input + P, 4N)             ``weight_ih_l0`` / ``weight_hh_l0``
  ``B``                                         (4N,)                       ``bias_ih_l0`` (``bias_hh_l0`` = 0)
  ``W_P_0``                                     (N, P)                      ``weight_hr_l0`` (W^T)
==============================================  ==========================  =====================================

``d`` = 0 is the forward LM, 1 the backward one. TensorFlow's ``LSTMCell`` computes
``[x, h] @ W_0 + B`` and splits it into the gates in the order input, new input (j), forget,
output, and adds ``forget_bias`` = 1 to the forget gate at run time; PyTorch's order is input,
forget, cell (= j), output, so the j and f blocks are swapped and 1 is added to the forget bias.
The highway formula is bilm-tf's own (:mod:`~wordvec.contextual.charcnn`), so its weights load
as they are, transposed only (AllenNLP negates the carry weights because its Highway module gates
the other way round). The softmax weights are not in these files: the model embeds, it cannot
be trained further.

Unlike AllenNLP, which keeps the LSTM state from one batch to the next (its documentation
suggests warming it up on a few batches), every sentence starts from a zero state here, so a
sentence's vectors never depend on what was embedded before; AllenNLP's first batch gives the
same vectors as this module.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from wordvec.contextual._extras import require
from wordvec.contextual.bilm import BiLM
from wordvec.contextual.config import BiLMConfig
from wordvec.contextual.io import read_json
from wordvec.exceptions import FormatError

__all__ = ["config_from_options", "read_allennlp"]


def config_from_options(options: dict, *, path: str | os.PathLike = "options.json",
                        tokenizer: str = "regex") -> BiLMConfig:
    """The :class:`BiLMConfig` of an AllenNLP ``options.json`` (FormatError naming ``path`` if it does not fit).

    >>> options = {"char_cnn": {"embedding": {"dim": 16}, "filters": [[1, 32], [2, 32]], "n_highway": 1,
    ...                         "n_characters": 262, "max_characters_per_token": 50, "activation": "relu"},
    ...            "lstm": {"dim": 512, "projection_dim": 128, "n_layers": 2, "cell_clip": 3, "proj_clip": 3,
    ...                     "use_skip_connections": True}}
    >>> cfg = config_from_options(options)
    >>> cfg.projection_dim, cfg.lstm_dim, cfg.filters, cfg.output_dim
    (128, 512, ((1, 32), (2, 32)), 256)
    """
    try:
        cnn, lstm = options["char_cnn"], options["lstm"]
        if not lstm.get("use_skip_connections"):
            raise FormatError(path, "lstm.use_skip_connections is false; only biLMs with residual "
                                    "connections are supported (as in AllenNLP)")
        if int(lstm["dim"]) <= int(lstm["projection_dim"]):
            # bilm-tf projects whatever the sizes; wordvec reads equal sizes as "no projection".
            raise FormatError(path, f"lstm.dim ({lstm['dim']}) must be larger than lstm.projection_dim "
                                    f"({lstm['projection_dim']}) in an ELMo options file")
        cfg = BiLMConfig(
            char_embedding_dim=int(cnn["embedding"]["dim"]),
            filters=tuple((int(w), int(n)) for w, n in cnn["filters"]),
            max_characters_per_token=int(cnn.get("max_characters_per_token", 50)),
            n_highway=int(cnn["n_highway"]),
            activation=cnn.get("activation", "relu"),
            projection_dim=int(lstm["projection_dim"]),
            token_norm=False,
            lstm_dim=int(lstm["dim"]),
            n_layers=int(lstm["n_layers"]),
            cell_clip=float(lstm["cell_clip"]) if lstm.get("cell_clip") else None,
            proj_clip=float(lstm["proj_clip"]) if lstm.get("proj_clip") else None,
            tokenizer=tokenizer,
        )
        return cfg.validate()
    except FormatError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        reason = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise FormatError(path, f"not ELMo options ({reason})") from None


def _dataset(fin, weight_file, name: str, shape: tuple[int, ...]) -> np.ndarray:
    try:
        value = np.asarray(fin[name][...], dtype=np.float32)
    except KeyError:
        raise FormatError(weight_file, f"dataset {name} is missing") from None
    if value.shape != shape:
        raise FormatError(weight_file, f"dataset {name} has shape {value.shape}, options.json implies {shape}")
    return value


def _copy(param: torch.Tensor, value: np.ndarray) -> None:
    with torch.no_grad():
        param.copy_(torch.from_numpy(np.ascontiguousarray(value)))


def _load_encoder(bilm: BiLM, cfg: BiLMConfig, fin, weight_file) -> None:
    enc = bilm.encoder
    c, f, p = cfg.char_embedding_dim, cfg.n_filters, cfg.projection_dim
    with torch.no_grad():
        enc.char_embedding.weight[0].zero_()
    _copy(enc.char_embedding.weight[1:], _dataset(fin, weight_file, "char_embed", (261, c)))
    for i, (width, count) in enumerate(cfg.filters):
        w = _dataset(fin, weight_file, f"CNN/W_cnn_{i}", (1, width, c, count))
        _copy(enc.convolutions[i].weight, w[0].transpose(2, 1, 0))
        _copy(enc.convolutions[i].bias, _dataset(fin, weight_file, f"CNN/b_cnn_{i}", (count,)))
    for k, highway in enumerate(enc.highways):
        for part in ("transform", "carry"):
            lin = getattr(highway, part)
            _copy(lin.weight, _dataset(fin, weight_file, f"CNN_high_{k}/W_{part}", (f, f)).T)
            _copy(lin.bias, _dataset(fin, weight_file, f"CNN_high_{k}/b_{part}", (f,)))
    _copy(enc.projection.weight, _dataset(fin, weight_file, "CNN_proj/W_proj", (f, p)).T)
    _copy(enc.projection.bias, _dataset(fin, weight_file, "CNN_proj/b_proj", (p,)))


def _tf_to_torch_gates(w: np.ndarray, n: int) -> np.ndarray:
    """Rows in TensorFlow's gate order (i, j, f, o) -> PyTorch's (i, f, j, o)."""
    i, j, f, o = (w[k * n:(k + 1) * n] for k in range(4))
    return np.concatenate([i, f, j, o])


def _load_lstms(bilm: BiLM, cfg: BiLMConfig, fin, weight_file) -> None:
    n, p = cfg.lstm_dim, cfg.projection_dim
    for d, stack in enumerate((bilm.forward_lm, bilm.backward_lm)):
        for k, layer in enumerate(stack.layers):
            prefix = f"RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell"
            lstm = layer.lstm
            n_in = lstm.input_size
            w = _tf_to_torch_gates(_dataset(fin, weight_file, f"{prefix}/W_0", (n_in + p, 4 * n)).T, n)
            bias = _dataset(fin, weight_file, f"{prefix}/B", (4 * n,)).copy()
            bias[2 * n:3 * n] += 1.0  # TensorFlow's forget_bias, added at run time there
            _copy(lstm.weight_ih_l0, w[:, :n_in])
            _copy(lstm.weight_hh_l0, w[:, n_in:])
            _copy(lstm.bias_ih_l0, _tf_to_torch_gates(bias, n))
            _copy(lstm.bias_hh_l0, np.zeros(4 * n, dtype=np.float32))
            _copy(lstm.weight_hr_l0, _dataset(fin, weight_file, f"{prefix}/W_P_0", (n, p)).T)


def read_allennlp(options_file: str | os.PathLike, weight_file: str | os.PathLike, *,
                  tokenizer: str = "regex") -> tuple[BiLMConfig, BiLM]:
    """The config and the :class:`BiLM` (without softmax) of AllenNLP's ELMo files.

    >>> read_allennlp("options.json", "weights.hdf5")      # here the files are missing
    Traceback (most recent call last):
        ...
    FileNotFoundError: ELMo file not found: options.json
    """
    h5py = require("h5py")
    options_file, weight_file = Path(options_file), Path(weight_file)
    for path in (options_file, weight_file):
        if not path.is_file():
            raise FileNotFoundError(f"ELMo file not found: {path}")
    options = read_json(options_file, "ELMo options")
    cfg = config_from_options(options, path=options_file, tokenizer=tokenizer)
    bilm = BiLM(cfg, None)
    try:
        fin = h5py.File(weight_file, "r")
    except OSError as exc:
        raise FormatError(weight_file, f"not an HDF5 file ({exc})") from None
    with fin:
        _load_encoder(bilm, cfg, fin, weight_file)
        _load_lstms(bilm, cfg, fin, weight_file)
    return cfg, bilm.eval()
