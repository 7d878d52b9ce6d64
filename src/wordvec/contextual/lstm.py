"""LSTM layers with a projected output, optional clipping and residual connections (ELMo's biLM).

One :class:`ProjectedLSTM` is one layer of one direction: ``c`` has ``lstm_dim`` cells, the output
``h = W_P (o * tanh(c))`` has ``projection_dim`` (Sak et al. 2014's LSTMP, TensorFlow's
``LSTMCell(num_proj=...)``, AllenNLP's ``LstmCellWithProjection``). The parameters are those of
``torch.nn.LSTM(input, lstm_dim, proj_size=projection_dim)`` (gate order input, forget, cell,
output). When ``lstm_dim == projection_dim`` there is no projection (a square one would add
nothing): the layer is a plain ``nn.LSTM(input, lstm_dim)`` and ``h = o * tanh(c)``. That runs
on PyTorch's fused oneDNN kernel on a CPU, several times the throughput of the projected kernel
at the same cost; but in our runs a 256-cell plain biLM learned worse per token than the default
512-cell one projected to 128 (benchmarks/RESULTS.md), so the "small" preset keeps projections.
Without clipping the layer runs as that fused ``nn.LSTM``; with ``cell_clip`` or
``proj_clip`` (the published ELMo models clip both to +-3) it runs a step loop with the same
weights, clipping ``c`` after each update and ``h`` after the projection, as bilm-tf does.

Sequences are right-padded: a real token's state depends only on the tokens before it, never on
padding. :class:`StackedLSTM` stacks layers and adds each layer's input to its output from the
second layer on (bilm-tf's ``use_skip_connections``; AllenNLP's ``ElmoLstm``).
"""

from __future__ import annotations

import warnings

import torch
from torch import nn

__all__ = ["ProjectedLSTM", "StackedLSTM"]

# PyTorch says that oneDNN has no LSTM with projections and that it uses its own kernel: true,
# harmless, and nothing a user can act on.
_ONEDNN_NOTE = "LSTM with projections is not supported with oneDNN"


class ProjectedLSTM(nn.Module):
    """One direction, one layer: ``(B, T, input_size) -> (B, T, projection_dim)``, zero initial state.

    >>> import torch
    >>> lstm = ProjectedLSTM(input_size=8, lstm_dim=32, projection_dim=16, cell_clip=3.0, proj_clip=3.0)
    >>> lstm(torch.zeros(2, 5, 8)).shape
    torch.Size([2, 5, 16])
    """

    def __init__(self, input_size: int, lstm_dim: int, projection_dim: int,
                 cell_clip: float | None = None, proj_clip: float | None = None):
        super().__init__()
        if projection_dim > lstm_dim:
            raise ValueError(f"projection_dim ({projection_dim}) cannot exceed lstm_dim ({lstm_dim})")
        proj = projection_dim if projection_dim < lstm_dim else 0
        self.lstm = nn.LSTM(input_size, lstm_dim, proj_size=proj, batch_first=True)
        self.cell_clip = cell_clip
        self.proj_clip = proj_clip
        with torch.no_grad():  # forget gate bias 1 (Jozefowicz et al. 2015), as TensorFlow's forget_bias
            self.lstm.bias_ih_l0[lstm_dim:2 * lstm_dim].fill_(1.0)
            self.lstm.bias_hh_l0.zero_()

    @property
    def clipped(self) -> bool:
        return bool(self.cell_clip) or bool(self.proj_clip)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.clipped:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=_ONEDNN_NOTE)
                return self.lstm(x)[0]
        return self._loop(x)

    def _loop(self, x: torch.Tensor) -> torch.Tensor:
        lstm = self.lstm
        n_cells = lstm.hidden_size
        batch, steps, _ = x.shape
        # the input half of every gate for all steps at once; the recurrent half step by step
        gates_x = torch.nn.functional.linear(x, lstm.weight_ih_l0, lstm.bias_ih_l0 + lstm.bias_hh_l0)
        out_size = lstm.proj_size or n_cells
        h = x.new_zeros(batch, out_size)
        c = x.new_zeros(batch, n_cells)
        outputs = []
        for t in range(steps):
            gates = gates_x[:, t] + h @ lstm.weight_hh_l0.T
            i, f, g, o = gates.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            if self.cell_clip:
                c = c.clamp(-self.cell_clip, self.cell_clip)
            h = torch.sigmoid(o) * torch.tanh(c)
            if lstm.proj_size:
                h = h @ lstm.weight_hr_l0.T
            if self.proj_clip:
                h = h.clamp(-self.proj_clip, self.proj_clip)
            outputs.append(h)
        if not outputs:
            return x.new_zeros(batch, 0, out_size)
        return torch.stack(outputs, dim=1)


class StackedLSTM(nn.Module):
    """``n_layers`` :class:`ProjectedLSTM` of one direction; returns every layer's output.

    >>> import torch
    >>> stack = StackedLSTM(input_size=16, lstm_dim=32, projection_dim=16, n_layers=2)
    >>> [output.shape for output in stack(torch.zeros(2, 5, 16))]
    [torch.Size([2, 5, 16]), torch.Size([2, 5, 16])]

    Layer k > 0 adds its input to its output (residual). ``dropout`` (training only) is applied to
    each layer's input, drawn from ``generator``.
    """

    def __init__(self, input_size: int, lstm_dim: int, projection_dim: int, n_layers: int,
                 cell_clip: float | None = None, proj_clip: float | None = None):
        super().__init__()
        sizes = [input_size] + [projection_dim] * (n_layers - 1)
        self.layers = nn.ModuleList(ProjectedLSTM(size, lstm_dim, projection_dim, cell_clip, proj_clip)
                                    for size in sizes)

    def forward(self, x: torch.Tensor, *, dropout: float = 0.0,
                generator: torch.Generator | None = None) -> list[torch.Tensor]:
        outputs = []
        for k, layer in enumerate(self.layers):
            out = layer(dropout_mask(x, dropout, generator))
            if k > 0:
                out = out + x
            outputs.append(out)
            x = out
        return outputs


def dropout_mask(x: torch.Tensor, p: float, generator: torch.Generator | None) -> torch.Tensor:
    """Inverted dropout drawn from ``generator`` (so a seeded run repeats without touching torch's
    global random state); ``x`` unchanged when ``p`` is 0."""
    if p <= 0.0:
        return x
    keep = torch.empty_like(x).bernoulli_(1.0 - p, generator=generator)
    return x * keep / (1.0 - p)
