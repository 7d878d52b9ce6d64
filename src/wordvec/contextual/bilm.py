"""The bidirectional language model of ELMo (Peters et al. 2018, "Deep contextualized word
representations", section 3.1).

A shared character-CNN token encoder feeds two stacks of projected LSTMs: the forward stack reads
a sentence left to right and predicts the next token, the backward stack reads it right to left
(starting at the sentence's own last token, whatever the padding) and predicts the previous one.
Both predict through one shared adaptive softmax (Grave et al. 2017). Every sentence is wrapped
in ``<S>`` ... ``</S>`` and starts from a zero state, so a sentence's vectors never depend on the
other sentences of its batch.

The representation of a token is the ``n_layers + 1`` layer outputs, each ``2 * projection_dim``
wide: layer 0 is the token vector twice (AllenNLP's convention, so that every layer has the same
width), layer k the forward and backward outputs of LSTM layer k side by side.
"""

from __future__ import annotations

import torch
from torch import nn

from wordvec.contextual.charcnn import CharCNNEncoder
from wordvec.contextual.config import BiLMConfig
from wordvec.contextual.lstm import StackedLSTM, dropout_mask

__all__ = ["BiLM", "reverse_padded"]


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence of ``x`` (B, T, ...) within its own length; padding stays in place.

    >>> import torch
    >>> x = torch.tensor([[1, 2, 3], [4, 5, 0]])           # the second sequence has length 2
    >>> reverse_padded(x, torch.tensor([3, 2])).tolist()
    [[3, 2, 1], [5, 4, 0]]

    Its own inverse: applying it twice gives ``x`` back.
    """
    steps = x.shape[1]
    t = torch.arange(steps, device=x.device)
    idx = lengths.to(x.device)[:, None] - 1 - t[None, :]
    idx = torch.where(idx >= 0, idx, t[None, :])
    idx = idx.view(*idx.shape, *([1] * (x.dim() - 2))).expand_as(x)
    return x.gather(1, idx)


class BiLM(nn.Module):
    """Token encoder, forward and backward LSTM stacks, and (for training) the shared softmax.

    >>> from wordvec.contextual.config import BiLMConfig
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1).validate()
    >>> import torch
    >>> from wordvec.contextual.chars import sentence_char_ids
    >>> bilm = BiLM(cfg).eval()                            # no vocab_size: no softmax, representations only
    >>> ids, lengths = sentence_char_ids([["the", "river", "bank"], ["a", "loan"]])
    >>> # (layers + 1, batch, tokens + the 2 markers, 2 * projection_dim)
    >>> bilm(torch.as_tensor(ids), torch.as_tensor(lengths)).shape
    torch.Size([3, 2, 5, 32])

    ``vocab_size`` None builds no softmax: enough to compute representations (AllenNLP's weight
    files carry none).
    """

    def __init__(self, config: BiLMConfig, vocab_size: int | None = None):
        super().__init__()
        self.config = config
        p = config.projection_dim
        stack = dict(lstm_dim=config.lstm_dim, projection_dim=p, n_layers=config.n_layers,
                     cell_clip=config.cell_clip, proj_clip=config.proj_clip)
        self.encoder = CharCNNEncoder(config)
        # Normalised token vectors (config.token_norm): see BiLMConfig. Identity keeps the state
        # dict of models without it (and AllenNLP's layout) unchanged.
        self.token_norm = nn.LayerNorm(p) if config.token_norm else nn.Identity()
        self.forward_lm = StackedLSTM(p, **stack)
        self.backward_lm = StackedLSTM(p, **stack)
        self.softmax = None
        if vocab_size is not None:
            self.softmax = nn.AdaptiveLogSoftmaxWithLoss(p, vocab_size, config.cutoffs(vocab_size),
                                                         div_value=config.softmax_div_value)

    @property
    def n_representations(self) -> int:
        """Representation layers per token: the token layer and one per LSTM layer."""
        return self.config.n_layers + 1

    def encode(self, char_ids: torch.Tensor) -> torch.Tensor:
        """``(N, max_characters)`` character ids -> ``(N, projection_dim)`` token vectors (CNN, norm)."""
        return self.token_norm(self.encoder(char_ids))

    def token_vectors(self, char_ids: torch.Tensor) -> torch.Tensor:
        """``(B, T, max_characters)`` character ids -> ``(B, T, projection_dim)`` token vectors.

        The CNN (and the token LayerNorm, if any) runs once per distinct word of the batch.
        """
        batch, steps, n_chars = char_ids.shape
        flat = char_ids.reshape(-1, n_chars)
        if flat.shape[0] == 0:
            return self.encode(flat).view(batch, steps, -1)
        unique, inverse = torch.unique(flat, dim=0, return_inverse=True)
        return self.encode(unique)[inverse].view(batch, steps, -1)

    def contextual(self, tokens: torch.Tensor, lengths: torch.Tensor, *, dropout: float = 0.0,
                   generator: torch.Generator | None = None) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """The forward and backward stacks' layer outputs, both aligned with the input positions."""
        forward = self.forward_lm(tokens, dropout=dropout, generator=generator)
        backward = self.backward_lm(reverse_padded(tokens, lengths), dropout=dropout, generator=generator)
        return forward, [reverse_padded(b, lengths) for b in backward]

    def forward(self, char_ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``(n_layers + 1, B, T, 2 * projection_dim)`` activations, 0 at padded positions.

        ``char_ids`` (B, T, max_characters) must include the ``<S>``/``</S>`` markers of every
        sentence (:func:`wordvec.contextual.chars.sentence_char_ids` adds them); ``lengths``
        counts them.
        """
        tokens = self.token_vectors(char_ids)
        forward, backward = self.contextual(tokens, lengths)
        layers = [torch.cat([tokens, tokens], dim=-1)]
        layers += [torch.cat([f, b], dim=-1) for f, b in zip(forward, backward)]
        mask = padding_mask(lengths, char_ids.shape[1]).to(tokens.device)
        return torch.stack(layers) * mask[None, :, :, None].to(tokens.dtype)

    def lm_loss(self, tokens: torch.Tensor, lengths: torch.Tensor, targets: torch.Tensor, *,
                dropout: float = 0.0, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Summed negative log-likelihoods of the forward and backward LMs, and the targets per direction.

        ``tokens`` (B, T, projection_dim) are the token vectors of sentences with their markers,
        ``targets`` (B, T) the softmax ids of the same positions. The forward LM predicts position
        t + 1 from t, the backward LM t - 1 from t; both predict ``lengths - 1`` targets a sentence.
        """
        if self.softmax is None:
            raise ValueError("this biLM has no softmax (loaded from representation weights only); "
                             "it can embed but not be trained or scored")
        forward, backward = self.contextual(tokens, lengths, dropout=dropout, generator=generator)
        keep = padding_mask(lengths - 1, tokens.shape[1] - 1).to(tokens.device)
        h_fwd = dropout_mask(forward[-1][:, :-1][keep], dropout, generator)
        h_bwd = dropout_mask(backward[-1][:, 1:][keep], dropout, generator)
        nll_fwd = -self.softmax(h_fwd, targets[:, 1:][keep]).output.sum()
        nll_bwd = -self.softmax(h_bwd, targets[:, :-1][keep]).output.sum()
        return nll_fwd, nll_bwd, int(keep.sum())


def padding_mask(lengths: torch.Tensor, steps: int) -> torch.Tensor:
    """``(B, steps)`` bool: True at the first ``lengths[b]`` positions of row b."""
    return torch.arange(steps, device=lengths.device)[None, :] < lengths[:, None]
