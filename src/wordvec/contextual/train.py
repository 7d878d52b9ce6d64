"""The biLM's training loop: Adam, a linearly decaying learning rate, gradient clipping, a progress
bar, float64 loss sums, held-out perplexity per epoch, resumable checkpoints.

Orchestration only: :class:`~wordvec.contextual.bilm.BiLM` computes the losses,
:mod:`~wordvec.contextual.data` makes the batches, and the estimator
(:class:`~wordvec.contextual.model.ELMo`) writes checkpoints through the ``save_checkpoint``
function it hands over. An epoch's batches are drawn from ``seed`` and the epoch number alone, and
dropout from a generator whose state a checkpoint keeps, so a resumed run makes the same updates
as one that was never stopped.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from wordvec._progress import ProgressBar
from wordvec.contextual.bilm import BiLM
from wordvec.contextual.config import BiLMConfig
from wordvec.contextual.data import TrainingData, make_batches
from wordvec.exceptions import TrainingDivergedError
from wordvec.train.callbacks import EpochLogs, epoch_end

__all__ = ["Position", "train_bilm", "heldout_perplexity", "epoch_batches", "perplexity"]

_RUNNING = 50  # batches in the progress bar's running perplexity


@dataclass
class Position:
    """Where a run is: the epoch under way, batches done in it, and what was summed so far.

    >>> position = Position()                              # a new run; checkpoints save and restore it
    >>> position.epoch, position.step, position.history
    (0, 0, [])
    """

    epoch: int = 0
    batch: int = 0
    step: int = 0
    tokens_done: int = 0  # training tokens (markers not counted) over all epochs
    epoch_nll: float = 0.0  # float64 sums over this epoch, both directions
    epoch_targets: int = 0
    epoch_tokens: int = 0
    epoch_seconds: float = 0.0
    seconds: float = 0.0
    history: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Position:
        return cls(**d)


def perplexity(nll: float, count: int) -> float:
    """``exp(nll / count)``; inf for no target.

    >>> import math
    >>> round(perplexity(nll=10 * math.log(50), count=10), 6), perplexity(0.0, 0)
    (50.0, inf)
    """
    return math.exp(nll / count) if count else math.inf


def epoch_batches(data: TrainingData, cfg: BiLMConfig, epoch: int) -> list[np.ndarray]:
    """The batches of ``epoch``: a function of the seed and the epoch only.

    >>> from wordvec.contextual.config import BiLMConfig
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1).validate()
    >>> from wordvec.contextual.data import encode_training_data
    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "a", "loan"]] * 5
    >>> data = encode_training_data(sentences, None, validation_split=0.2, min_count=1, max_vocab_size=None,
    ...                             max_sentence_length=100, max_characters=50)
    >>> a, b = epoch_batches(data, cfg, 0), epoch_batches(data, cfg, 0)
    >>> all((x == y).all() for x, y in zip(a, b)), sorted(int(i) for batch in a for i in batch)
    (True, [0, 1, 2, 3, 4, 5, 6, 7])
    """
    rng = np.random.default_rng([cfg.seed, epoch])
    return make_batches(data.lengths()[: data.n_train], cfg.batch_tokens, rng)


def _batch_tensors(bilm: BiLM, data: TrainingData, ids: np.ndarray, device):
    """Token vectors (the CNN run once per distinct type), lengths and targets of a batch."""
    types, lengths = data.batch(ids)
    unique, inverse = np.unique(types, return_inverse=True)
    chars = torch.from_numpy(data.chars[unique]).long().to(device)
    tokens = bilm.encode(chars)[torch.from_numpy(inverse.reshape(types.shape)).to(device)]
    targets = torch.from_numpy(data.classes[types]).to(device)
    return tokens, torch.from_numpy(lengths).to(device), targets, int(lengths.sum() - 2 * len(ids))


@torch.no_grad()
def heldout_perplexity(bilm: BiLM, data: TrainingData, cfg: BiLMConfig, device) -> dict[str, float]:
    """Perplexity of each direction on the held-out sentences (``{}`` when none are held out).

    >>> from wordvec.contextual.config import BiLMConfig
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1).validate()
    >>> from wordvec.contextual.data import encode_training_data
    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "a", "loan"]] * 5
    >>> data = encode_training_data(sentences, None, validation_split=0.2, min_count=1, max_vocab_size=None,
    ...                             max_sentence_length=100, max_characters=50)
    >>> from wordvec.contextual import BiLM
    >>> from wordvec.contextual.data import N_SPECIAL
    >>> bilm = BiLM(cfg, vocab_size=len(data.vocab) + N_SPECIAL)
    >>> sorted(heldout_perplexity(bilm, data, cfg, "cpu"))
    ['backward', 'forward']
    """
    ids = np.arange(data.n_train, data.n_sentences)
    if ids.size == 0:
        return {}
    was_training = bilm.training
    bilm.eval()
    sums = np.zeros(2, dtype=np.float64)
    count = 0
    for batch in make_batches(data.lengths()[ids], cfg.batch_tokens, np.random.default_rng(0)):
        tokens, lengths, targets, _ = _batch_tensors(bilm, data, ids[batch], device)
        nll_f, nll_b, n = bilm.lm_loss(tokens, lengths, targets)
        sums += (nll_f.item(), nll_b.item())
        count += n
    bilm.train(was_training)
    return {"forward": perplexity(sums[0], count), "backward": perplexity(sums[1], count)}


def train_bilm(bilm: BiLM, data: TrainingData, cfg: BiLMConfig, *, device, optimizer: torch.optim.Optimizer,
               generator: torch.Generator, position: Position, progress: bool,
               save_checkpoint: Callable[[Position], None] | None = None, checkpoint_every: int | None = None,
               callbacks: Sequence = (), model=None) -> Position:
    """Train from ``position`` to the end of ``cfg.epochs``; returns the final position.

    >>> from wordvec.contextual.config import BiLMConfig
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1).validate()
    >>> from wordvec.contextual.data import encode_training_data
    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "a", "loan"]] * 5
    >>> data = encode_training_data(sentences, None, validation_split=0.2, min_count=1, max_vocab_size=None,
    ...                             max_sentence_length=100, max_characters=50)
    >>> import torch
    >>> from wordvec.contextual import BiLM
    >>> from wordvec.contextual.data import N_SPECIAL
    >>> cfg = BiLMConfig(filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1, epochs=2).validate()
    >>> bilm = BiLM(cfg, vocab_size=len(data.vocab) + N_SPECIAL)   # + <S>/</S>, unknown word
    >>> optimizer = torch.optim.Adam(bilm.parameters(), lr=cfg.learning_rate)
    >>> end = train_bilm(bilm, data, cfg, device="cpu", optimizer=optimizer,
    ...                  generator=torch.Generator().manual_seed(0),
    ...                  position=Position(), progress=False)
    >>> end.epoch, len(end.history), sorted(heldout_perplexity(bilm, data, cfg, "cpu"))
    (2, 2, ['backward', 'forward'])

    ``callbacks`` are :class:`wordvec.train.Callback` objects: ``on_epoch_end(model, EpochLogs)``
    after every epoch (True stops training), and ``on_batch_end(model, step)`` after every batch
    when they define it.
    """
    params = [p for p in bilm.parameters() if p.requires_grad]
    train_tokens = data.train_tokens()
    total = train_tokens * cfg.epochs
    recent: deque[tuple[float, int]] = deque(maxlen=_RUNNING)
    bilm.train()
    stop = False
    with ProgressBar(total, "biLM", enabled=progress, unit="tokens") as bar:
        bar.update(position.tokens_done)
        while position.epoch < cfg.epochs and not stop:
            batches = epoch_batches(data, cfg, position.epoch)
            t0 = time.perf_counter()
            for ids in batches[position.batch:]:
                lr = cfg.learning_rate - (cfg.learning_rate - cfg.min_learning_rate) * min(1.0, position.tokens_done / max(1, total))
                for group in optimizer.param_groups:
                    group["lr"] = lr
                tokens, lengths, targets, n_words = _batch_tensors(bilm, data, ids, device)
                nll_f, nll_b, n = bilm.lm_loss(tokens, lengths, targets, dropout=cfg.dropout, generator=generator)
                loss = (nll_f + nll_b) / (2 * n)
                if not torch.isfinite(loss):
                    raise TrainingDivergedError(
                        f"the biLM's loss became {loss.item()} at step {position.step + 1}; "
                        f"lower learning_rate (now {cfg.learning_rate}) or grad_clip (now {cfg.grad_clip})")
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, cfg.grad_clip)
                optimizer.step()
                nll = float(nll_f.item()) + float(nll_b.item())
                recent.append((nll, 2 * n))
                position.batch += 1
                position.step += 1
                position.tokens_done += n_words
                position.epoch_nll += nll
                position.epoch_targets += 2 * n
                position.epoch_tokens += n_words
                running = sum(r[0] for r in recent) / sum(r[1] for r in recent)
                bar.update(position.tokens_done, loss=running, description=f"biLM ppl {math.exp(running):,.1f}")
                for cb in callbacks:
                    on_batch = getattr(cb, "on_batch_end", None)
                    if on_batch is not None:
                        on_batch(model, position.step)
                if checkpoint_every and save_checkpoint is not None and position.step % checkpoint_every == 0:
                    _save(save_checkpoint, position, t0)
                    t0 = time.perf_counter()
            position.epoch_seconds += time.perf_counter() - t0
            stop = _end_epoch(bilm, data, cfg, device, position, optimizer, callbacks, model)
            if save_checkpoint is not None:
                save_checkpoint(position)
    return position


def _save(save_checkpoint, position: Position, t0: float) -> None:
    position.epoch_seconds += time.perf_counter() - t0
    save_checkpoint(position)


def _end_epoch(bilm, data, cfg, device, position: Position, optimizer, callbacks, model) -> bool:
    heldout = heldout_perplexity(bilm, data, cfg, device)
    bilm.train()
    mean = position.epoch_nll / max(1, position.epoch_targets)
    row = {"epoch": position.epoch + 1, "loss": mean, "train_perplexity": math.exp(mean),
           **{f"{k}_perplexity": v for k, v in heldout.items()},
           "tokens": position.epoch_tokens, "seconds": position.epoch_seconds,
           "learning_rate": optimizer.param_groups[0]["lr"]}
    position.history.append(row)
    position.seconds += position.epoch_seconds
    logs = EpochLogs(epoch=position.epoch, loss=position.epoch_nll, mean_loss=mean,
                     examples=position.epoch_targets, words=position.epoch_tokens,
                     seconds=position.epoch_seconds, alpha=row["learning_rate"])
    position.epoch += 1
    position.batch = 0
    position.epoch_nll, position.epoch_targets, position.epoch_tokens, position.epoch_seconds = 0.0, 0, 0, 0.0
    return epoch_end(callbacks, model, logs)
