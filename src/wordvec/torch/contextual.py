"""A text classifier on contextual features: a frozen ELMo biLM, a learned scalar mix, mean pooling,
Dense(256, ReLU) and a sigmoid (two classes) or a softmax (more).

    features(text) = mean over the text's tokens of every biLM layer    (n_layers, dim), computed once
    x_j = (features_j - mean_j) / std                                     centred and scaled on the training texts
    logits = W2 · relu(W1 · gamma * sum_j softmax(w)_j x_j + b1) + b2

The biLM stays frozen, and a scalar mix without layer norm is linear, so mixing each token's layers
and then averaging over the tokens equals averaging each layer and then mixing: every text runs
through the biLM once, its pooled ``(n_layers, dim)`` features are kept, and the epochs train the
mix (``w`` and gamma, Peters et al. 2018, eq. 1) and the dense layers on them. Training is that of
:class:`~wordvec.torch.TextClassifier`: Adam, shuffled batches, early stopping on a validation
split, the best epoch's weights kept.

>>> clf = ContextualClassifier("elmo_dir").fit(texts, labels)        # doctest: +SKIP
>>> clf.predict(["a gripping, funny film"])                          # doctest: +SKIP
>>> clf.save("clf_dir"); ContextualClassifier.load("clf_dir")        # doctest: +SKIP

Saved as a self-contained directory, without pickle (``format_version`` 1)::

    clf_dir/
      config.json          {"format_version": 1, "kind": "wordvec.ContextualClassifier",
                            "config": {ContextualClassifierConfig}, "classes": [...], "history": [...],
                            "best_epoch": n, "features": {"kind": "elmo", "directory": "bilm",
                            "n_layers": L + 1, "dim": D}, "torch_version": "..."}
      weights.safetensors  the standardising, the mix and the dense layers (shift, scale,
                           mix.scalar_parameters, mix.gamma, hidden.weight/bias, output.weight/bias)
      bilm/                a copy of the biLM, as :meth:`wordvec.contextual.ELMo.save` writes it
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np
import torch
from torch import nn

from wordvec._saving import atomic_directory
from wordvec._progress import ProgressBar, show_progress
from wordvec.config import ContextualClassifierConfig
from wordvec.contextual import io as bilm_io
from wordvec.contextual.model import ELMo
from wordvec.contextual.scalar_mix import ScalarMix
from wordvec.exceptions import FormatError, NotFittedError
from wordvec.torch.classifier import (CONFIG_FILE, FORMAT_VERSION, KIND as STATIC_KIND, LabelPredictor,
                                      TextClassifier, meta_json, read_meta, split_labelled, train_epochs)

__all__ = ["ContextualClassifier", "ContextualClassifierConfig", "ContextualNet", "load_classifier"]

KIND = "wordvec.ContextualClassifier"
WEIGHTS_FILE, BILM_DIR = "weights.safetensors", "bilm"
_DEFAULTS = ContextualClassifierConfig()
#: Texts and tokens per call to the biLM: ``embed`` returns every token's vectors of every layer
#: before they are pooled (3 x 256 float32 a token with the small preset: 100 MB for 32k tokens).
_CHUNK_TEXTS, _CHUNK_TOKENS = 2048, 32_768


class ContextualNet(nn.Module):
    """``logits = output(relu(hidden(mix((features - shift) * scale))))`` on pooled ``(B, n_layers, dim)`` features.

    >>> import torch
    >>> net = ContextualNet(n_layers=3, dim=32, hidden=16, n_outputs=2)
    >>> net(torch.zeros(4, 3, 32)).shape                 # pooled (texts, layers, dim) features -> logits
    torch.Size([4, 2])

    ``shift`` (the training texts' mean features, ``(n_layers, dim)``) and ``scale`` (one number
    in every cell: 1 / their standard deviation over all features) centre the features and bring
    them to unit scale. Pooled biLM layers share a large common part and differ from text to text
    by a few percent, which a ReLU layer learns from slowly; one scale for all keeps the layers'
    and dimensions' relative spread, which the mix weighs. The map is affine per layer, so mixing
    still commutes with pooling. ``n_outputs`` is 1 for two classes (a sigmoid on the one logit)
    and the number of classes otherwise (a softmax).
    """

    def __init__(self, n_layers: int, dim: int, hidden: int, n_outputs: int):
        super().__init__()
        self.register_buffer("shift", torch.zeros(n_layers, dim))
        self.register_buffer("scale", torch.ones(n_layers, dim))
        self.mix = ScalarMix(n_layers)
        self.hidden = nn.Linear(dim, hidden)
        self.output = nn.Linear(hidden, n_outputs)

    def standardize_on(self, features: torch.Tensor) -> None:
        """Set ``shift`` and ``scale`` from the training features (constant features keep scale 1)."""
        if len(features) == 0:
            return
        centred = features - features.mean(dim=0)
        std = float(centred.pow(2).mean().sqrt())
        self.shift.copy_(features.mean(dim=0))
        self.scale.fill_(1 / std if std > 1e-6 else 1.0)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        standard = (features - self.shift) * self.scale
        mixed = self.mix(standard.transpose(0, 1))  # ScalarMix wants the layers first
        return self.output(torch.relu(self.hidden(mixed)))


class ContextualClassifier(LabelPredictor):
    """Text classifier on frozen ELMo features (scikit-learn style: ``fit`` returns ``self``).

    >>> from wordvec.contextual import ELMo
    >>> sentences = [["a", "good", "film"], ["a", "bad", "film"], ["good", "fun"], ["dull", "and", "bad"]] * 5
    >>> elmo = ELMo(epochs=1, filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1,
    ...             progress=False).fit(sentences)
    >>> texts, labels = [" ".join(s) for s in sentences], ["pos", "neg", "pos", "neg"] * 5
    >>> clf = ContextualClassifier(elmo, hidden=16, epochs=20, seed=1, progress=False).fit(texts, labels)
    >>> clf.classes_, len(clf.history_) > 0
    (['neg', 'pos'], True)
    >>> clf.save("clf/")                                 # load_classifier("clf/") reads it back

    Parameters
    ----------
    elmo:
        A fitted :class:`~wordvec.contextual.ELMo`, or the directory of a saved one (loaded by
        :meth:`fit`). It is never trained here.
    progress:
        Show progress bars while texts run through the biLM and for each training epoch (None:
        where a person watches: stderr is a terminal, or a notebook; see
        :func:`wordvec._progress.show_progress`).
    **the rest**:
        Those of :class:`~wordvec.config.ContextualClassifierConfig` (``hidden=256``, ``epochs``,
        ``batch_size``, ``learning_rate``, ``validation_split``, ``patience``, ``max_len``,
        ``embed_batch_size``, ``seed``). Same seed, same data, same result on a CPU.

    Labels are handled as by :class:`~wordvec.torch.TextClassifier` (any sortable JSON values,
    two classes at least). Learned state: ``elmo_`` (the biLM), ``classes_``, ``model_``
    (:class:`ContextualNet`), ``history_`` (``epoch, loss, accuracy, val_loss, val_accuracy,
    seconds`` per epoch), ``best_epoch_``, ``seconds_features_`` (time spent in the biLM by ``fit``).
    """

    def __init__(self, elmo=None, *, hidden: int = _DEFAULTS.hidden, epochs: int = _DEFAULTS.epochs,
                 batch_size: int = _DEFAULTS.batch_size, learning_rate: float = _DEFAULTS.learning_rate,
                 validation_split: float = _DEFAULTS.validation_split, patience: int = _DEFAULTS.patience,
                 max_len: int | None = _DEFAULTS.max_len, embed_batch_size: int = _DEFAULTS.embed_batch_size,
                 seed: int = _DEFAULTS.seed, progress: bool | None = None):
        self.elmo = elmo
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_split = validation_split
        self.patience = patience
        self.max_len = max_len
        self.embed_batch_size = embed_batch_size
        self.seed = seed
        self.progress = progress

    @property
    def config(self) -> ContextualClassifierConfig:
        """The parameters as a frozen, validated :class:`~wordvec.config.ContextualClassifierConfig`."""
        return ContextualClassifierConfig.from_attributes(self)

    def __repr__(self) -> str:
        changed = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(ContextualClassifierConfig)
                   if getattr(self, f.name) != getattr(_DEFAULTS, f.name)]
        elmo = repr(os.fspath(self.elmo)) if isinstance(self.elmo, (str, os.PathLike)) else "<ELMo>"
        return f"ContextualClassifier({', '.join([elmo, *changed])})"

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError("this ContextualClassifier is not trained yet: call fit() or "
                                 "ContextualClassifier.load()")

    def _resolve_elmo(self) -> ELMo:
        if isinstance(self.elmo, ELMo):
            if not hasattr(self.elmo, "bilm_"):
                raise NotFittedError("the ELMo model given is not trained yet: fit it, or pass ELMo.load(path)")
            return self.elmo
        if isinstance(self.elmo, (str, os.PathLike)):
            return ELMo.load(self.elmo)
        raise TypeError(f"elmo must be a fitted ELMo or the directory of a saved one, got {type(self.elmo).__name__}")

    # ------------------------------------------------------------------ features
    def features(self, texts: Sequence[str]) -> np.ndarray:
        """Every biLM layer mean-pooled over each text's tokens: ``(len(texts), n_layers, dim)`` float32.

        Texts are tokenized with the biLM's tokenizer (the first ``max_len`` tokens kept); an
        empty text gets zeros. Uses the fitted biLM, or ``elmo`` before :meth:`fit`.
        """
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not one string")
        elmo = self.elmo_ if hasattr(self, "elmo_") else self._resolve_elmo()
        cfg = self.config
        tokens = elmo.tokenize(list(texts))
        if cfg.max_len is not None:
            tokens = [t[:cfg.max_len] for t in tokens]
        out = np.zeros((len(tokens), elmo.n_layers, elmo.dim), dtype=np.float32)
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))  # similar lengths batch together
        done = 0
        with ProgressBar(sum(map(len, tokens)), "ELMo features", enabled=_progress_enabled(self.progress),
                         unit="tokens") as bar:
            for rows in _chunks([len(tokens[i]) for i in order]):
                chunk = [tokens[order[i]] for i in rows]
                out[[order[i] for i in rows]] = elmo.embed(chunk, layer="all", batch_size=cfg.embed_batch_size).sentences
                done += sum(map(len, chunk))
                bar.update(done)
        return out

    # ------------------------------------------------------------------ training
    def fit(self, texts: Sequence[str], labels: Sequence, validation: tuple[Sequence[str], Sequence] | None = None,
            on_epoch: Callable[[dict], None] | None = None) -> ContextualClassifier:
        """Train on ``texts`` (raw strings) and ``labels`` (any sortable values).

        ``validation=(texts, labels)`` gives the validation set; otherwise ``validation_split``
        of the training data (a seeded random draw) is held out. Every text runs through the
        frozen biLM once; training stops when the validation loss has not improved for
        ``patience`` epochs and the best epoch's weights are restored. ``on_epoch`` is called
        with each history row.
        """
        cfg = self.config
        texts, labels = list(texts), list(labels)
        generator = torch.Generator().manual_seed(cfg.seed)
        split = split_labelled(texts, labels, validation, cfg.validation_split, generator)
        self.elmo_ = self._resolve_elmo()
        self.classes_ = split.classes
        t0 = time.perf_counter()
        train_x = torch.from_numpy(self.features([texts[i] for i in split.train_idx.tolist()]))
        val_x = torch.from_numpy(self.features(split.val_texts))
        self.seconds_features_ = time.perf_counter() - t0
        n_classes = len(self.classes_)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(cfg.seed)
            self.model_ = model = ContextualNet(self.elmo_.n_layers, self.elmo_.dim, cfg.hidden,
                                                1 if n_classes == 2 else n_classes)
        model.standardize_on(train_x)
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate)
        train_y = split.y_train

        def batch_loss(batch: list[int]) -> tuple[torch.Tensor, int]:
            logits = model(train_x[batch])
            return _loss(logits, train_y[batch]), int((_classes(logits.detach()) == train_y[batch]).sum())

        def validate() -> tuple[float, float]:
            logits = self._logits(val_x)
            return float(_loss(logits, split.y_val)), float((_classes(logits) == split.y_val).float().mean())

        self.history_, self.best_epoch_ = train_epochs(
            model, [optimizer], batch_loss, n_train=len(train_x), epochs=cfg.epochs, batch_size=cfg.batch_size,
            patience=cfg.patience, generator=generator, validate=validate if len(val_x) else None,
            on_epoch=on_epoch, progress=_progress_enabled(self.progress))
        model.eval()
        return self

    @torch.inference_mode()
    def _logits(self, features: torch.Tensor, batch_size: int = 1024) -> torch.Tensor:
        self.model_.eval()
        out = [self.model_(features[s:s + batch_size]) for s in range(0, len(features), batch_size)]
        return torch.cat(out) if out else torch.zeros((0, self.model_.output.out_features))

    # ------------------------------------------------------------------ inference
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, shape ``(len(texts), len(classes_))``, columns in ``classes_`` order."""
        self._check_fitted()
        return _probabilities(self._logits(torch.from_numpy(self.features(texts)))).numpy()

    def layer_weights(self) -> list[float]:
        """The learned mix's normalised layer weights ``s_j`` (0 = the character layer)."""
        self._check_fitted()
        with torch.no_grad():
            return self.model_.mix.normalized_weights().tolist()

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the classifier directory, a copy of its biLM included (replaced atomically if it exists)."""
        self._check_fitted()
        meta = {"format_version": FORMAT_VERSION, "kind": KIND, "config": asdict(self.config),
                "classes": self.classes_, "history": self.history_, "best_epoch": self.best_epoch_,
                "features": {"kind": "elmo", "directory": BILM_DIR, "n_layers": self.elmo_.n_layers,
                             "dim": self.elmo_.dim},
                "torch_version": torch.__version__}
        text = meta_json(meta)
        with atomic_directory(path) as tmp:
            (tmp / CONFIG_FILE).write_text(text + "\n", encoding="utf-8")
            bilm_io.write_tensors(tmp / WEIGHTS_FILE, self.model_.state_dict())
            self.elmo_.save(tmp / BILM_DIR)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, device: str | None = None) -> ContextualClassifier:
        """Read a directory written by :meth:`save`; ``device`` is the biLM's (None: CUDA when available)."""
        meta = read_meta(path, (KIND,))
        path = Path(path)
        cfg_file = path / CONFIG_FILE
        try:
            known = {f.name for f in fields(ContextualClassifierConfig)}
            settings = {k: v for k, v in meta["config"].items() if k in known}
            classes, features = meta["classes"], meta["features"]
            bilm_dir = path / features["directory"]
        except (KeyError, TypeError, AttributeError) as exc:
            raise FormatError(cfg_file, f"not a contextual classifier's config ({exc!r})") from None
        clf = cls(bilm_dir, **settings)
        clf.classes_ = classes
        clf.history_ = meta.get("history", [])
        clf.best_epoch_ = meta.get("best_epoch", 0)
        clf.elmo_ = ELMo.load(bilm_dir, device=device)
        n_classes = len(classes)
        weights_file = path / WEIGHTS_FILE
        state = bilm_io.read_tensors(weights_file)
        try:
            model = ContextualNet(clf.elmo_.n_layers, clf.elmo_.dim, state["hidden.weight"].shape[0],
                                  1 if n_classes == 2 else n_classes)
            model.load_state_dict(state)
        except (KeyError, RuntimeError) as exc:
            reason = str(exc).splitlines()[0]
            raise FormatError(weights_file, f"does not fit the biLM in {bilm_dir} and "
                                            f"{n_classes} classes ({reason})") from None
        clf.model_ = model.eval()
        return clf


def load_classifier(path: str | os.PathLike[str]) -> TextClassifier | ContextualClassifier:
    """A saved classifier of either kind: :class:`~wordvec.torch.TextClassifier` (static vectors)
    or :class:`ContextualClassifier` (ELMo features), told apart by its ``config.json``.

    >>> from wordvec.contextual import ELMo
    >>> sentences = [["a", "good", "film"], ["a", "bad", "film"], ["good", "fun"], ["dull", "and", "bad"]] * 5
    >>> elmo = ELMo(epochs=1, filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1,
    ...             progress=False).fit(sentences)
    >>> texts, labels = [" ".join(s) for s in sentences], ["pos", "neg", "pos", "neg"] * 5
    >>> ContextualClassifier(elmo, hidden=16, epochs=2, seed=1, progress=False).fit(texts, labels).save("clf/")
    >>> type(load_classifier("clf/")).__name__
    'ContextualClassifier'
    """
    meta = read_meta(path, (STATIC_KIND, KIND))
    return (ContextualClassifier if meta["kind"] == KIND else TextClassifier).load(path)


def _loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape[1] == 1:  # two classes: a sigmoid on one logit
        return nn.functional.binary_cross_entropy_with_logits(logits[:, 0], y.to(logits.dtype))
    return nn.functional.cross_entropy(logits, y)


def _classes(logits: torch.Tensor) -> torch.Tensor:
    return (logits[:, 0] > 0).long() if logits.shape[1] == 1 else logits.argmax(1)


def _probabilities(logits: torch.Tensor) -> torch.Tensor:
    if logits.shape[1] == 1:
        p = torch.sigmoid(logits[:, 0])
        return torch.stack([1 - p, p], dim=1)
    return torch.softmax(logits, dim=1)


def _chunks(lengths: list[int]) -> list[range]:
    """Consecutive runs of at most ``_CHUNK_TEXTS`` texts and about ``_CHUNK_TOKENS`` tokens (one text at least)."""
    out, start, tokens = [], 0, 0
    for i, n in enumerate(lengths):
        if i > start and (i - start >= _CHUNK_TEXTS or tokens + n > _CHUNK_TOKENS):
            out.append(range(start, i))
            start, tokens = i, 0
        tokens += n
    if start < len(lengths):
        out.append(range(start, len(lengths)))
    return out


def _progress_enabled(progress: bool | None) -> bool:
    """Whether to draw the bars: ``progress``, or for None where a person watches (a terminal, a notebook)."""
    return show_progress(progress)
