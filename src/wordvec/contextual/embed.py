"""Contextual vectors of tokenized sentences: batching, padding, windows over long documents,
layer choice and mean pooling.

Sentences are sorted by length and run in batches; a sentence's vectors do not depend on its
batch-mates (each starts from a zero state and padding never enters a real token's state), so the
order is only for speed. Each sentence is wrapped in ``<S>`` ... ``</S>`` and the markers' vectors
are dropped from the result, as AllenNLP does.

A sentence longer than ``window`` tokens is cut into windows of ``window`` tokens that overlap by
``overlap``; each token keeps its vector from the window where it is farthest from the window's
ends, so every token of a long document sees at least ``overlap / 2`` tokens of context on both
sides (except at the document's ends).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from wordvec.contextual.bilm import BiLM
from wordvec.contextual.chars import sentence_char_ids
from wordvec.contextual.scalar_mix import ScalarMix

__all__ = ["Embeddings", "embed_tokens", "run_bilm", "window_plan"]

#: ``layer`` names: the mean of all layers, every layer, or a ScalarMix.
LAYER_NAMES = ("average", "all", "mix")


@dataclass(frozen=True)
class Embeddings:
    """What :meth:`ELMo.embed <wordvec.contextual.ELMo.embed>` returns.

    >>> from wordvec.contextual import ELMo
    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "us", "a", "loan"],
    ...              ["the", "river", "bank", "was", "muddy"], ["a", "bank", "loan", "is", "money"]] * 5
    >>> elmo = ELMo(epochs=1, filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1,
    ...             progress=False).fit(sentences)
    >>> result = elmo.embed(["the river bank", "a bank loan"], layer=-1)
    >>> [t.shape for t in result.tokens], result.sentences.shape, result.layer
    ([(3, 32), (3, 32)], (2, 32), -1)

    tokens:
        One float32 array per sentence: ``(n_tokens, dim)``, or ``(n_layers + 1, n_tokens, dim)``
        for ``layer="all"``.
    sentences:
        The mean over each sentence's tokens (zeros for an empty sentence): ``(n_sentences, dim)``
        or ``(n_sentences, n_layers + 1, dim)`` for ``layer="all"``. With ``layer="average"`` or a
        mix this is TensorFlow Hub's ELMo ``"default"`` output.
    layer:
        The layer asked for.
    """

    tokens: list[np.ndarray]
    sentences: np.ndarray
    layer: int | str

    def __len__(self) -> int:
        return len(self.tokens)


def window_plan(n_tokens: int, window: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """``(start, stop, keep_start, keep_stop)`` of each window over ``n_tokens`` tokens.

    Windows are ``window`` tokens long and overlap by ``overlap``; the kept ranges tile
    ``0..n_tokens`` without gap or overlap.

    >>> window_plan(10, 6, 2)
    [(0, 6, 0, 5), (4, 10, 5, 10)]
    """
    if not 0 <= overlap < window:
        raise ValueError(f"overlap must be in [0, window={window}), got {overlap}")
    if n_tokens <= window:
        return [(0, n_tokens, 0, n_tokens)]
    step = window - overlap
    starts = list(range(0, n_tokens - window, step)) + [n_tokens - window]
    plan = []
    for k, start in enumerate(starts):
        keep_start = 0 if k == 0 else plan[-1][3]
        keep_stop = n_tokens if k == len(starts) - 1 else start + window - (overlap - overlap // 2)
        plan.append((start, start + window, keep_start, keep_stop))
    return plan


def run_bilm(bilm: BiLM, sentences: Sequence[Sequence[str]], *, batch_size: int = 64,
             device=None) -> Iterator[tuple[int, np.ndarray]]:
    """``(index, activations)`` for every sentence, in an order of its own choosing (longest first).

    >>> from wordvec.contextual.config import BiLMConfig
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1).validate()
    >>> from wordvec.contextual import BiLM
    >>> sorted((i, a.shape) for i, a in run_bilm(BiLM(cfg).eval(), [["the", "river", "bank"], ["a", "loan"]]))
    [(0, (3, 3, 32)), (1, (3, 2, 32))]

    ``activations`` is ``(n_layers + 1, n_tokens, dim)`` float32, markers removed.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    device = device if device is not None else next(bilm.parameters()).device
    order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
    was_training = bilm.training
    bilm.eval()
    try:
        with torch.no_grad():
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]
                ids, lengths = sentence_char_ids([sentences[i] for i in idx], bilm.config.max_characters_per_token)
                acts = bilm(torch.from_numpy(ids).long().to(device), torch.from_numpy(lengths).to(device))
                acts = acts.float().cpu().numpy()
                for b, i in enumerate(idx):
                    yield i, np.ascontiguousarray(acts[:, b, 1:lengths[b] - 1])
    finally:
        bilm.train(was_training)


def _select(acts: np.ndarray, layer: int | str, mix: ScalarMix | None) -> np.ndarray:
    if layer == "all":
        return acts
    if layer == "average":
        return acts.mean(axis=0)
    if layer == "mix":
        with torch.no_grad():
            return mix(torch.from_numpy(acts)).numpy()
    return acts[layer]


def check_layer(layer: int | str, n_layers: int, mix: ScalarMix | None) -> None:
    """A clear error for a ``layer`` this biLM does not have, or a mix that does not fit it."""
    if isinstance(layer, str):
        if layer not in LAYER_NAMES:
            raise ValueError(f"layer must be an index (0-{n_layers - 1}, or negative) or one of "
                             f"{', '.join(LAYER_NAMES)}; got {layer!r}")
        if (layer == "mix") != (mix is not None):
            raise ValueError("pass mix=ScalarMix(...) with layer='mix' (and only then)")
        if mix is not None and mix.n_layers != n_layers:
            raise ValueError(f"the mix combines {mix.n_layers} layers; this biLM has {n_layers}")
    elif not isinstance(layer, (int, np.integer)) or not -n_layers <= layer < n_layers:
        raise ValueError(f"layer must be in {-n_layers}..{n_layers - 1} (this biLM has {n_layers} layers, "
                         f"0 = the token layer), got {layer!r}")


def embed_tokens(bilm: BiLM, sentences: Sequence[Sequence[str]], *, layer: int | str = "average",
                 mix: ScalarMix | None = None, batch_size: int = 64, window: int = 100, overlap: int = 20,
                 device=None) -> Embeddings:
    """Per-token vectors and mean-pooled sentence vectors of token lists (see :class:`Embeddings`).

    >>> from wordvec.contextual.config import BiLMConfig
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1).validate()
    >>> from wordvec.contextual import BiLM
    >>> result = embed_tokens(BiLM(cfg).eval(), [["the", "river", "bank"], ["a", "loan"]], layer="all")
    >>> result.tokens[0].shape, result.sentences.shape     # (layers + 1, tokens, dim); (sentences, layers + 1, dim)
    ((3, 3, 32), (2, 3, 32))
    """
    n_layers = bilm.n_representations
    check_layer(layer, n_layers, mix)
    pieces: list[Sequence[str]] = []
    plans = []
    for sent in sentences:
        plan = window_plan(len(sent), window, overlap)
        plans.append((len(pieces), plan))
        pieces.extend(sent[start:stop] for start, stop, _, _ in plan)
    outputs: list[np.ndarray | None] = [None] * len(pieces)
    for i, acts in run_bilm(bilm, pieces, batch_size=batch_size, device=device):
        outputs[i] = acts
    dim = bilm.config.output_dim
    tokens, pooled = [], []
    for first, plan in plans:
        parts = [outputs[first + k][:, keep_start - start:keep_stop - start]
                 for k, (start, _, keep_start, keep_stop) in enumerate(plan)]
        acts = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
        vecs = _select(acts, layer, mix)
        tokens.append(vecs)
        axis = 1 if layer == "all" else 0
        if vecs.shape[axis]:
            pooled.append(vecs.mean(axis=axis))
        else:
            pooled.append(np.zeros((n_layers, dim) if layer == "all" else dim, dtype=np.float32))
    shape = (0, n_layers, dim) if layer == "all" else (0, dim)
    sentences_out = np.stack(pooled).astype(np.float32) if pooled else np.zeros(shape, dtype=np.float32)
    return Embeddings(tokens, sentences_out, layer)
