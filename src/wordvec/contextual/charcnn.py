"""The token encoder: a character CNN with highway layers and a projection (Kim et al. 2016, as in
ELMo, Peters et al. 2018, and AllenNLP's ``_ElmoCharacterEncoder``).

``ids (N, max_characters) -> char embeddings -> convolutions of several widths -> max over
positions -> activation -> highway layers -> linear projection -> (N, projection_dim)``.

A word is only characters here, so any word, seen in training or not, gets a vector. The highway
layers follow bilm-tf's formula (the one the published weight files were trained with):
``g = sigmoid(W_carry x + b_carry); y = g * relu(W_transform x + b_transform) + (1 - g) * x``.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from wordvec.contextual.chars import N_CHARACTERS, PAD_ID, PADDING_CHARACTER
from wordvec.contextual.config import BiLMConfig

__all__ = ["CharCNNEncoder", "Highway"]


class Highway(nn.Module):
    """One highway layer: ``g * relu(transform(x)) + (1 - g) * x`` with ``g = sigmoid(carry(x))``.

    >>> import torch
    >>> layer = Highway(4)
    >>> layer(torch.zeros(2, 4)).shape
    torch.Size([2, 4])
    """

    def __init__(self, size: int):
        super().__init__()
        self.transform = nn.Linear(size, size)
        self.carry = nn.Linear(size, size)

    def reset_parameters(self) -> None:
        # bilm-tf's initialisation: N(0, 1/size) weights, carry bias -2 (the layer starts close to identity).
        std = math.sqrt(1.0 / self.transform.in_features)
        for lin in (self.transform, self.carry):
            nn.init.normal_(lin.weight, std=std)
        nn.init.zeros_(self.transform.bias)
        nn.init.constant_(self.carry.bias, -2.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = torch.sigmoid(self.carry(x))
        return gate * torch.relu(self.transform(x)) + (1.0 - gate) * x


class CharCNNEncoder(nn.Module):
    """Character ids ``(N, max_characters)`` (int64) -> token vectors ``(N, projection_dim)``.

    >>> from wordvec.contextual.chars import word_char_ids
    >>> enc = CharCNNEncoder(BiLMConfig())
    >>> enc(torch.from_numpy(word_char_ids("unseenword"))[None].long()).shape
    torch.Size([1, 128])
    """

    def __init__(self, config: BiLMConfig):
        super().__init__()
        self.max_characters = config.max_characters_per_token
        self.activation = config.activation
        self.char_embedding = nn.Embedding(N_CHARACTERS, config.char_embedding_dim, padding_idx=PAD_ID)
        self.convolutions = nn.ModuleList(
            nn.Conv1d(config.char_embedding_dim, count, width) for width, count in config.filters)
        self.highways = nn.ModuleList(Highway(config.n_filters) for _ in range(config.n_highway))
        self.projection = nn.Linear(config.n_filters, config.projection_dim)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.uniform_(self.char_embedding.weight, -1.0, 1.0)
        with torch.no_grad():
            self.char_embedding.weight[PAD_ID].zero_()
        for conv in self.convolutions:
            fan_in = conv.in_channels * conv.kernel_size[0]
            nn.init.normal_(conv.weight, std=math.sqrt(1.0 / fan_in))
            nn.init.zeros_(conv.bias)
        for highway in self.highways:
            highway.reset_parameters()
        nn.init.normal_(self.projection.weight, std=math.sqrt(1.0 / self.projection.in_features))
        nn.init.zeros_(self.projection.bias)

    def forward(self, char_ids: torch.Tensor) -> torch.Tensor:
        x = self.char_embedding(char_ids).transpose(1, 2)          # (N, char_dim, max_characters)
        act = torch.relu if self.activation == "relu" else torch.tanh
        # Positions past every word's end hold the padding character, and every window lying wholly
        # in padding gives the same value. So the convolutions run over the longest word of the
        # batch only, and that one padding value joins the max whenever each word has such a window:
        # the result of the full width, at a fraction of the cost (words are mostly short).
        # Max over positions, then the activation (the same for a monotone one): AllenNLP's order.
        longest = int(((char_ids != PADDING_CHARACTER) & (char_ids != PAD_ID)).sum(dim=1).max()) if len(char_ids) else 0
        pooled = []
        for conv in self.convolutions:
            width = conv.kernel_size[0]
            if longest + width <= self.max_characters:
                values = conv(x[:, :, :longest + width - 1]).amax(dim=-1)
                values = torch.maximum(values, conv(self._padding_window(width, x)).view(1, -1))
            else:
                values = conv(x).amax(dim=-1)
            pooled.append(act(values))
        h = torch.cat(pooled, dim=-1)
        for highway in self.highways:
            h = highway(h)
        return self.projection(h)

    def _padding_window(self, width: int, like: torch.Tensor) -> torch.Tensor:
        """A ``(1, char_dim, width)`` window of padding characters."""
        row = self.char_embedding.weight[PADDING_CHARACTER].to(like.dtype)
        return row.view(1, -1, 1).expand(1, -1, width)
