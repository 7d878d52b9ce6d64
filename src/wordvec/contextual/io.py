"""Saving and loading a biLM: a directory, written atomically, without pickle.

Layout (``format_version`` 1)::

    model/
      config.json          {"format_version": 1, "kind": "elmo_bilm", "config": {BiLMConfig},
                            "vocab_size": V or null, "tokenizer": {...} or null,
                            "source": "wordvec" | "allennlp", "training": {...}}
      weights.safetensors  every parameter of the BiLM module (float32, by its state-dict name)
      vocab.tsv            the softmax's words, ``word<TAB>count`` a line, in class order
                           (class = line index + 3; classes 0-2 are <S>, </S>, <UNK>); absent
                           when the model has no softmax (AllenNLP weights)

A checkpoint is the same directory plus ``optimizer.safetensors`` (Adam's moments, step counts
and the dropout generator's state) and ``trainer.json`` (where training stopped, the history so
far and a fingerprint of the corpus); a checkpoint loads as a model too.

``weights.safetensors`` is the safetensors format (a JSON header and raw little-endian tensors:
no code runs on load, unlike ``torch.load`` of a pickle). Directories are swapped in with
:func:`wordvec._saving.atomic_directory`: a reader, or a run killed while saving, sees the old
directory or the new one, never half of one. Every malformed file raises
:class:`~wordvec.exceptions.FormatError` naming it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from wordvec.contextual._extras import require
from wordvec.exceptions import FormatError
from wordvec.vocab.vocab import Vocab

__all__ = ["CONFIG_FILE", "FORMAT_VERSION", "KIND", "OPTIMIZER_FILE", "TRAINER_FILE", "VOCAB_FILE",
           "WEIGHTS_FILE", "read_json", "read_tensors", "read_vocab", "write_json", "write_tensors",
           "write_vocab"]

FORMAT_VERSION = 1
KIND = "elmo_bilm"
CONFIG_FILE, WEIGHTS_FILE, VOCAB_FILE = "config.json", "weights.safetensors", "vocab.tsv"
OPTIMIZER_FILE, TRAINER_FILE = "optimizer.safetensors", "trainer.json"


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path`` as indented UTF-8 JSON (the caller writes into a temporary directory).

    >>> from pathlib import Path
    >>> write_json(Path("config.json"), {"kind": "elmo"})
    >>> print(Path("config.json").read_text())
    {
     "kind": "elmo"
    }
    """
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path, what: str) -> dict[str, Any]:
    """A JSON object from ``path``; a missing or malformed file is a FormatError naming it.

    >>> from pathlib import Path
    >>> write_json(Path("config.json"), {"kind": "elmo", "format_version": 1})
    >>> read_json(Path("config.json"), "the model settings")
    {'kind': 'elmo', 'format_version': 1}
    >>> read_json(Path("missing.json"), "the model settings")
    Traceback (most recent call last):
        ...
    wordvec.exceptions.FormatError: missing.json: missing: not the model settings
    """
    if not path.is_file():
        raise FormatError(path, f"missing: not {what}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(path, f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise FormatError(path, "expected a JSON object")
    return data


def write_tensors(path: Path, tensors: dict, metadata: dict[str, str] | None = None) -> None:
    """Write ``tensors`` (name -> tensor, copied to the CPU) as a safetensors file, with ``metadata``.

    >>> import torch
    >>> from pathlib import Path
    >>> write_tensors(Path("weights.safetensors"), {"w": torch.zeros(2)}, metadata={"kind": "elmo"})   # no pickle
    >>> sorted(read_tensors(Path("weights.safetensors")))
    ['w']
    """
    save = require("safetensors.torch").save
    path.write_bytes(save({k: v.detach().cpu().contiguous() for k, v in tensors.items()},
                          metadata={"format": "pt", **(metadata or {})}))


def read_tensors(path: Path) -> dict:
    """Every tensor of a safetensors file (on the CPU); a damaged file is a FormatError naming it.

    >>> import torch
    >>> from pathlib import Path
    >>> write_tensors(Path("weights.safetensors"), {"w": torch.ones(2, 3)})
    >>> read_tensors(Path("weights.safetensors"))["w"].shape
    torch.Size([2, 3])
    """
    load_file = require("safetensors.torch").load_file
    if not path.is_file():
        raise FormatError(path, "missing")
    try:
        return load_file(str(path), device="cpu")
    except Exception as exc:  # safetensors raises its own error types for every kind of damage
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FormatError(path, f"not a readable safetensors file ({reason})") from None


def write_vocab(path: Path, vocab: Vocab) -> None:
    """Write ``vocab`` as ``word<TAB>count`` lines; a ValueError for a word holding a tab or a line break.

    >>> from pathlib import Path
    >>> from wordvec.vocab import Vocab
    >>> write_vocab(Path("vocab.tsv"), Vocab.from_counts({"the": 3, "bank": 2}))
    >>> print(Path("vocab.tsv").read_text(encoding="utf-8").strip())
    the    3
    bank    2
    """
    for i, key in enumerate(vocab.index_to_key):
        if "\t" in key or "\n" in key or "\r" in key:
            raise ValueError(f"word #{i} {key!r} contains a tab or a line break; vocab.tsv cannot store it")
    text = "".join(f"{k}\t{c}\n" for k, c in zip(vocab.index_to_key, vocab.counts.tolist()))
    path.write_bytes(text.encode("utf-8"))


def read_vocab(path: Path, *, min_count: int, max_vocab_size: int | None, size: int | None) -> Vocab:
    """The softmax vocabulary; ``size`` (from config.json) must match the number of lines.

    >>> from pathlib import Path
    >>> from wordvec.vocab import Vocab
    >>> write_vocab(Path("vocab.tsv"), Vocab.from_counts({"the": 3, "bank": 2}))
    >>> read_vocab(Path("vocab.tsv"), min_count=1, max_vocab_size=None, size=2).index_to_key
    ['the', 'bank']
    >>> read_vocab(Path("vocab.tsv"), min_count=1, max_vocab_size=None, size=3)
    Traceback (most recent call last):
        ...
    wordvec.exceptions.FormatError: vocab.tsv: 2 words, but config.json says 3
    """
    if not path.is_file():
        raise FormatError(path, "missing")
    keys, counts = [], []
    try:
        with open(path, encoding="utf-8", newline="\n") as fh:
            for lineno, line in enumerate(fh, 1):
                key, sep, count = line.rstrip("\n").rpartition("\t")
                if not sep or not count.isdigit():
                    raise FormatError(path, "expected word<TAB>count", line=lineno)
                keys.append(key)
                counts.append(int(count))
    except UnicodeDecodeError as exc:
        raise FormatError(path, f"not valid UTF-8 ({exc.reason})") from None
    if size is not None and len(keys) != size:
        raise FormatError(path, f"{len(keys)} words, but config.json says {size}")
    try:
        return Vocab(keys, np.asarray(counts, dtype=np.int64), min_count=min_count, max_vocab_size=max_vocab_size)
    except ValueError as exc:
        raise FormatError(path, str(exc)) from None


def model_files(path: str | os.PathLike) -> Path:
    """``path`` as a Path, checked to be a directory (a clear error otherwise)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"ELMo model not found: {path}")
    if not path.is_dir():
        raise FormatError(path, "not an ELMo model directory (expected config.json and weights.safetensors)")
    return path
