"""Contextual word vectors: ELMo's bidirectional language model (Peters et al. 2018), in PyTorch.

Extra ``wordvec[torch]``: ``import wordvec`` never loads this package's PyTorch parts, and
importing it stays light (the settings, :mod:`~wordvec.contextual.config`, and the character ids,
:mod:`~wordvec.contextual.chars`, need no torch); the first use of a PyTorch name without PyTorch
raises an ImportError that says ``pip install 'wordvec[torch]'``.

>>> from wordvec.contextual import ELMo
>>> with open("corpus.txt", "w", encoding="utf-8") as f:
...     for _ in range(5):
...         print("we sat on the river bank", file=f)
...         print("the bank gave us a loan", file=f)
>>> # a tiny biLM for the example; ELMo(epochs=1) trains the "small" preset (256-d outputs)
>>> elmo = ELMo(epochs=1, filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1,
...             progress=False).fit("corpus.txt")
>>> elmo.embed(["she sat on the river bank"], layer=-1).tokens[0].shape   # one vector per token
(6, 32)

``ELMo.from_allennlp("options.json", "weights.hdf5")`` reads AllenNLP's published weights instead.

Modules: ``config`` (BiLMConfig, presets), ``chars`` (262-id character scheme), ``charcnn``,
``lstm``, ``bilm`` (the network), ``scalar_mix``, ``data`` and ``train`` (training), ``embed``,
``io`` (the saved directory), ``allennlp`` (reading AllenNLP's files), ``similarity`` (word in
context, nearest occurrences), ``model`` (the ELMo estimator).
"""

from __future__ import annotations

import importlib

from wordvec.contextual.config import PRESETS, BiLMConfig, preset_config

__all__ = ["BiLM", "BiLMConfig", "ELMo", "Embeddings", "Occurrence", "PRESETS", "ScalarMix",
           "WordInContext", "nearest_occurrences", "preset_config", "read_word_in_context",
           "word_in_context_accuracy"]

_LAZY = {"ELMo": "model", "BiLM": "bilm", "ScalarMix": "scalar_mix", "Embeddings": "embed",
         "Occurrence": "similarity", "WordInContext": "similarity", "nearest_occurrences": "similarity",
         "read_word_in_context": "similarity", "word_in_context_accuracy": "similarity"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wordvec.contextual' has no attribute {name!r}")
    from wordvec.contextual._extras import require

    require("torch")
    return getattr(importlib.import_module(f"wordvec.contextual.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
