"""ScalarMix: ELMo's task-specific combination of the biLM layers (Peters et al. 2018, eq. 1).

``ELMo_k = gamma * sum_j s_j h_kj`` with ``s = softmax(w)``: one weight per layer, normalised by a
softmax, and a scale gamma, both learned with the task (AllenNLP's ``ScalarMix`` without layer norm).
With ``w`` all 0 and gamma 1 (the start) it is the plain average of the layers.

Because the mix is linear, mixing then mean-pooling a sentence equals mean-pooling each layer then
mixing: a classifier on a frozen biLM can pool every layer once and learn the mix on the pooled
``(n_layers + 1, dim)`` vectors.

>>> import torch
>>> mix = ScalarMix(3)
>>> mix(torch.ones(3, 2, 5, 256)).shape                  # (layers, batch, tokens, dim) -> (batch, tokens, dim)
torch.Size([2, 5, 256])
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

__all__ = ["ScalarMix"]


class ScalarMix(nn.Module):
    """``gamma * sum_j softmax(w)_j * layers[j]`` over the first axis of ``layers``.

    >>> import torch
    >>> mix = ScalarMix(3, weights=[0.0, 0.0, 0.0], gamma=1.0)            # equal weights: the mean of the layers
    >>> layers = torch.stack([torch.zeros(2, 4), torch.ones(2, 4), 2 * torch.ones(2, 4)])
    >>> mix(layers)[0].tolist()
    [1.0, 1.0, 1.0, 1.0]

    Parameters
    ----------
    n_layers:
        How many layers are mixed (a biLM's ``n_layers + 1``).
    weights:
        Initial ``w`` (before the softmax; default all 0: equal weights).
    gamma:
        Initial scale.
    trainable:
        False fixes ``w`` and ``gamma`` (they are then buffers, not parameters).
    """

    def __init__(self, n_layers: int, *, weights: Sequence[float] | None = None, gamma: float = 1.0,
                 trainable: bool = True):
        super().__init__()
        if n_layers < 1:
            raise ValueError(f"n_layers must be >= 1, got {n_layers}")
        w = torch.zeros(n_layers) if weights is None else torch.as_tensor(weights, dtype=torch.float32).clone()
        if w.shape != (n_layers,):
            raise ValueError(f"weights must hold {n_layers} values, got {tuple(w.shape)}")
        g = torch.tensor([float(gamma)])
        if trainable:
            self.scalar_parameters = nn.Parameter(w)
            self.gamma = nn.Parameter(g)
        else:
            self.register_buffer("scalar_parameters", w)
            self.register_buffer("gamma", g)
        self.n_layers = n_layers

    def normalized_weights(self) -> torch.Tensor:
        """The softmax-normalised layer weights ``s_j`` (they sum to 1)."""
        return torch.softmax(self.scalar_parameters, dim=0)

    def forward(self, layers: torch.Tensor | Sequence[torch.Tensor]) -> torch.Tensor:
        if not isinstance(layers, torch.Tensor):
            layers = torch.stack(list(layers))
        if layers.shape[0] != self.n_layers:
            raise ValueError(f"this ScalarMix mixes {self.n_layers} layers, got {layers.shape[0]}")
        s = self.normalized_weights().to(layers.dtype)
        return self.gamma.to(layers.dtype) * torch.tensordot(s, layers, dims=([0], [0]))

    def extra_repr(self) -> str:
        return f"n_layers={self.n_layers}"
