"""A text classifier on word embeddings: the classic embedding-average model of the tutorials.

embedding (random, or pre-trained wordvec vectors, frozen or fine-tuned) -> mean over the
real tokens of each text (padding does not count) -> Dense(16, ReLU) -> one logit per class.
Trained with Adam on shuffled padded batches; a validation split drives early stopping on the
validation loss and the best weights are kept. Saved as a directory without pickle:
``config.json`` + ``vocab.json`` + ``weights.pt`` (a state dict, read back with
``torch.load(weights_only=True)``).
"""

from __future__ import annotations

import copy
import json
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from wordvec._progress import ProgressBar
from wordvec._saving import recover_interrupted_save
from wordvec.config import ClassifierConfig
from wordvec.exceptions import FormatError, NotFittedError
from wordvec.torch.embedding import embedding_for, from_torch, to_torch
from wordvec.torch.vocabulary import PAD_INDEX, EmbeddingVocab

__all__ = ["ClassifierConfig", "MeanEmbeddingNet", "TextClassifier", "LabelPredictor", "TrainingSplit",
           "meta_json", "read_meta", "split_labelled", "train_epochs"]

FORMAT_VERSION = 1
CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE = "config.json", "vocab.json", "weights.pt"
KIND = "wordvec.TextClassifier"


_DEFAULTS = ClassifierConfig()


class MeanEmbeddingNet(nn.Module):
    """``logits = W2 · relu(W1 · mean(embedding[ids] over mask) + b1) + b2``.

    >>> import torch
    >>> net = MeanEmbeddingNet(torch.nn.Embedding(5, 4, padding_idx=1), hidden=8, n_classes=2)
    >>> ids = torch.tensor([[2, 3, 1], [4, 1, 1]])     # 1 is <pad>
    >>> mask = (ids != 1).float()
    >>> net(ids, mask).shape
    torch.Size([2, 2])

    The mean divides by the number of real tokens (``mask.sum``), so padding never counts; a
    text with no token gets the zero vector.
    """

    def __init__(self, embedding: nn.Embedding, hidden: int, n_classes: int):
        super().__init__()
        self.embedding = embedding
        self.hidden = nn.Linear(embedding.embedding_dim, hidden)
        self.output = nn.Linear(hidden, n_classes)

    def pool(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        emb = self.embedding(ids)                                   # (B, L, D)
        summed = (emb * mask.unsqueeze(-1).to(emb.dtype)).sum(dim=1)  # padding rows multiplied by 0
        count = mask.sum(dim=1, keepdim=True).clamp(min=1).to(emb.dtype)
        return summed / count

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.output(torch.relu(self.hidden(self.pool(ids, mask))))


def _pad(rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max([len(r) for r in rows] + [1])
    ids = torch.full((len(rows), width), PAD_INDEX, dtype=torch.long)
    for i, r in enumerate(rows):
        if r:
            ids[i, :len(r)] = torch.as_tensor(r, dtype=torch.long)
    lengths = torch.as_tensor([len(r) for r in rows], dtype=torch.long)
    return ids, torch.arange(width).unsqueeze(0) < lengths.unsqueeze(1)


class LabelPredictor:
    """``predict``, ``evaluate`` and ``score`` on top of a classifier's ``predict_proba`` and ``classes_``.

    >>> texts = ["a good film", "good acting", "a bad film", "bad and dull", "good fun", "dull plot"] * 10
    >>> labels = ["pos", "pos", "neg", "neg", "pos", "neg"] * 10
    >>> clf = TextClassifier(embedding_dim=8, epochs=30, learning_rate=0.05, seed=1, progress=False).fit(texts,
    ...                      labels)
    >>> isinstance(clf, LabelPredictor), clf.predict_proba(["good"]).shape    # (texts, classes)
    (True, (1, 2))
    >>> sorted(clf.evaluate(texts, labels))
    ['accuracy', 'correct', 'n', 'unknown_labels']
    """

    classes_: list

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def predict(self, texts: Sequence[str]) -> list:
        """The most probable class of each text."""
        proba = self.predict_proba(texts)
        return [self.classes_[i] for i in proba.argmax(axis=1)] if len(proba) else []

    def evaluate(self, texts: Sequence[str], labels: Sequence) -> dict:
        """Accuracy on labelled texts: ``{"n", "correct", "accuracy", "unknown_labels"}``.

        Rows whose label the model never saw count as wrong (``unknown_labels`` counts them).
        """
        labels = list(labels)
        predicted = self.predict(texts)
        if len(predicted) != len(labels):
            raise ValueError(f"{len(predicted)} texts but {len(labels)} labels")
        known = set(self.classes_)
        correct = sum(p == y for p, y in zip(predicted, labels))
        return {"n": len(labels), "correct": correct, "accuracy": correct / len(labels) if labels else float("nan"),
                "unknown_labels": sum(y not in known for y in labels)}

    def score(self, texts: Sequence[str], labels: Sequence) -> float:
        """The accuracy on labelled texts (scikit-learn's ``score``)."""
        return self.evaluate(texts, labels)["accuracy"]


class TextClassifier(LabelPredictor):
    """Embedding-average text classifier (scikit-learn style: ``fit`` returns ``self``).

    >>> texts = ["a good film", "good acting", "a bad film", "bad and dull", "good fun", "dull plot"] * 10
    >>> labels = ["pos", "pos", "neg", "neg", "pos", "neg"] * 10
    >>> clf = TextClassifier(embedding_dim=8, epochs=30, learning_rate=0.05, seed=1, progress=False)
    >>> clf = clf.fit(texts, labels)
    >>> clf.classes_, clf.predict(["good", "dull"])
    (['neg', 'pos'], ['pos', 'neg'])
    >>> round(clf.score(texts, labels), 2)
    1.0
    >>> clf.save("clf/")                               # TextClassifier.load("clf/") reads it back

    Parameters are those of :class:`ClassifierConfig`, plus ``vectors``: pre-trained vectors
    (KeyedVectors, or anything with ``__contains__``, ``__getitem__`` and ``vector_size``)
    to start the embedding from. With ``vectors`` and ``freeze=True`` the vocabulary is all of
    the vectors' words and the embedding is not trained; with ``freeze=False`` the vocabulary
    is the training texts' words (``min_count``), initialised from ``vectors`` where found and
    at random (the vectors' scale) elsewhere, then fine-tuned. Without ``vectors`` the
    embedding (``embedding_dim``) is learned from scratch. Same seed, same data, same result
    (single-threaded determinism is PyTorch's).

    ``progress``: a bar per epoch (examples/s, the running loss, then the validation accuracy);
    None (default) draws it only where a person watches (stderr a terminal, or a notebook), never
    into a log file; True/False force it. It is no model parameter: not saved, not in ``config``.

    Learned state: ``vocabulary_``, ``classes_``, ``model_``, ``history_`` (one dict per epoch:
    ``epoch, loss, accuracy, val_loss, val_accuracy, seconds, examples_per_second``), ``best_epoch_``.
    """

    def __init__(self, embedding_dim: int = _DEFAULTS.embedding_dim, *, vectors=None,
                 hidden: int = _DEFAULTS.hidden, freeze: bool = _DEFAULTS.freeze, epochs: int = _DEFAULTS.epochs,
                 batch_size: int = _DEFAULTS.batch_size, learning_rate: float = _DEFAULTS.learning_rate,
                 validation_split: float = _DEFAULTS.validation_split, patience: int = _DEFAULTS.patience,
                 min_count: int = _DEFAULTS.min_count, max_len: int | None = _DEFAULTS.max_len,
                 tokenizer: str = _DEFAULTS.tokenizer, seed: int = _DEFAULTS.seed, progress: bool | None = None):
        self.embedding_dim = embedding_dim
        self.vectors = vectors
        self.hidden = hidden
        self.freeze = freeze
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_split = validation_split
        self.patience = patience
        self.min_count = min_count
        self.max_len = max_len
        self.tokenizer = tokenizer
        self.seed = seed
        self.progress = progress

    # ------------------------------------------------------------------ config
    @property
    def config(self) -> ClassifierConfig:
        """The parameters as a frozen, validated :class:`~wordvec.config.ClassifierConfig`."""
        return ClassifierConfig.from_attributes(self)

    def __repr__(self) -> str:
        changed = {f.name: getattr(self, f.name) for f in fields(ClassifierConfig)
                   if getattr(self, f.name) != getattr(_DEFAULTS, f.name)}
        if self.vectors is not None:
            changed["vectors"] = f"<{len(self.vectors) if hasattr(self.vectors, '__len__') else '?'} vectors>"
        return f"TextClassifier({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError("this TextClassifier is not trained yet: call fit() or TextClassifier.load()")

    # ------------------------------------------------------------------ training
    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        vocab, cut = self.vocabulary_, self.max_len
        rows = [vocab.encode(t) for t in vocab.tokenize_batch(texts)]
        return [r[:cut] for r in rows] if cut is not None else rows

    def _build(self, tokenized: list[list[str]], n_classes: int, generator: torch.Generator) -> None:
        cfg = self.config
        if self.vectors is not None and self.freeze:
            if not hasattr(self.vectors, "index_to_key"):
                raise TypeError("freeze=True with pre-trained vectors needs KeyedVectors (with index_to_key)")
            embedding, self.vocabulary_ = to_torch(self.vectors, freeze=True, tokenizer=cfg.tokenizer)
            self.pretrained_found_ = len(self.vocabulary_) - 2
        else:
            self.vocabulary_ = EmbeddingVocab.build(tokenized, min_count=cfg.min_count, tokenizer=cfg.tokenizer)
            if self.vectors is not None and hasattr(self.vectors, "index_to_key"):
                # Words never seen in training keep their pre-trained vector (fine-tuned words
                # start from theirs), so a test text's unseen words are not all <unk>.
                seen = self.vocabulary_.key_to_index
                extra = [w for w in self.vectors.index_to_key if w not in seen]
                counts = self.vocabulary_.counts + [0] * len(extra)
                self.vocabulary_ = EmbeddingVocab(self.vocabulary_.words + extra, counts=counts, tokenizer=cfg.tokenizer)
            embedding, self.pretrained_found_ = embedding_for(
                self.vocabulary_, None if self.vectors is not None else cfg.embedding_dim, self.vectors,
                freeze=cfg.freeze, generator=generator)
        self.model_ = MeanEmbeddingNet(embedding, cfg.hidden, n_classes)

    def fit(self, texts: Sequence[str], labels: Sequence, validation: tuple[Sequence[str], Sequence] | None = None,
            on_epoch: Callable[[dict], None] | None = None) -> TextClassifier:
        """Train on ``texts`` (raw strings) and ``labels`` (any sortable values).

        ``validation=(texts, labels)`` gives the validation set; otherwise ``validation_split``
        of the training data (a seeded random draw) is held out. Training stops when the
        validation loss has not improved for ``patience`` epochs and the best epoch's weights
        are restored. ``on_epoch`` is called with each history row (the epoch's bar, if one is
        drawn, is then cleared at the epoch's end: the callback reports the epoch in its place).
        """
        cfg = self.config
        texts, labels = list(texts), list(labels)
        generator = torch.Generator().manual_seed(cfg.seed)
        split = split_labelled(texts, labels, validation, cfg.validation_split, generator)
        self.classes_, train_idx, val_texts = split.classes, split.train_idx, split.val_texts

        tokenized = EmbeddingVocab([], tokenizer=cfg.tokenizer).tokenize_batch([texts[i] for i in train_idx.tolist()])
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(cfg.seed)
            self._build(tokenized, len(self.classes_), generator)
        train_rows = self._encode(tokenized)
        train_y = split.y_train
        val_rows = self._encode(val_texts)
        val_y = split.y_val

        model = self.model_
        # The embedding gets sparse gradients and SparseAdam (Adam's moments updated only on the
        # rows a batch uses), so an epoch costs the same for 10k or 100k words.
        optimizers: list[torch.optim.Optimizer] = [torch.optim.Adam(
            [p for n, p in model.named_parameters() if not n.startswith("embedding.")], lr=cfg.learning_rate)]
        if model.embedding.weight.requires_grad:
            model.embedding.sparse = True
            optimizers.append(torch.optim.SparseAdam([model.embedding.weight], lr=cfg.learning_rate))
        loss_fn = nn.CrossEntropyLoss()

        def batch_loss(batch: list[int]) -> tuple[torch.Tensor, int]:
            logits = model(*_pad([train_rows[i] for i in batch]))
            y = train_y[batch]
            return loss_fn(logits, y), int((logits.detach().argmax(1) == y).sum())

        self.history_, self.best_epoch_ = train_epochs(
            model, optimizers, batch_loss, n_train=len(train_rows), epochs=cfg.epochs, batch_size=cfg.batch_size,
            patience=cfg.patience, generator=generator,
            validate=(lambda: self._loss_accuracy(val_rows, val_y)) if val_rows else None, on_epoch=on_epoch,
            progress=self.progress)
        model.embedding.sparse = False
        model.eval()
        return self

    @torch.inference_mode()
    def _logits(self, rows: list[list[int]], batch_size: int = 512) -> torch.Tensor:
        self.model_.eval()
        out = [self.model_(*_pad(rows[s:s + batch_size])) for s in range(0, len(rows), batch_size)]
        return torch.cat(out) if out else torch.zeros((0, len(self.classes_)))

    def _loss_accuracy(self, rows: list[list[int]], y: torch.Tensor) -> tuple[float, float]:
        logits = self._logits(rows)
        loss = float(nn.functional.cross_entropy(logits, y))
        return loss, float((logits.argmax(1) == y).float().mean())

    # ------------------------------------------------------------------ inference
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, shape ``(len(texts), len(classes_))``, columns in ``classes_`` order."""
        self._check_fitted()
        if isinstance(texts, str):
            raise TypeError("predict_proba() takes a list of texts, not one string")
        return torch.softmax(self._logits(self._encode(list(texts))), dim=1).numpy()

    @property
    def wv(self):
        """The learned (or fine-tuned) embedding as KeyedVectors, without the two specials."""
        self._check_fitted()
        return from_torch(self.model_.embedding, self.vocabulary_)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model directory (replaced atomically if it exists)."""
        from wordvec._saving import atomic_directory

        self._check_fitted()
        meta = {"format_version": FORMAT_VERSION, "kind": KIND,
                "config": asdict(self.config), "classes": self.classes_, "history": self.history_,
                "best_epoch": self.best_epoch_, "pretrained_found": self.pretrained_found_,
                "torch_version": torch.__version__}
        text = meta_json(meta)
        with atomic_directory(path) as tmp:
            (tmp / CONFIG_FILE).write_text(text + "\n", encoding="utf-8")
            (tmp / VOCAB_FILE).write_text(json.dumps(self.vocabulary_.to_dict()), encoding="utf-8")
            torch.save({k: v.detach().cpu().contiguous() for k, v in self.model_.state_dict().items()},
                       tmp / WEIGHTS_FILE)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TextClassifier:
        """Read a directory written by :meth:`save` (weights loaded with ``weights_only=True``)."""
        meta = read_meta(path)
        path = Path(path)
        known = {f.name for f in fields(ClassifierConfig)}
        clf = cls(**{k: v for k, v in meta["config"].items() if k in known})
        clf.classes_ = meta["classes"]
        clf.history_ = meta.get("history", [])
        clf.best_epoch_ = meta.get("best_epoch", 0)
        clf.pretrained_found_ = meta.get("pretrained_found", 0)
        clf.vocabulary_ = EmbeddingVocab.from_dict(json.loads((path / VOCAB_FILE).read_text(encoding="utf-8")))
        state = torch.load(path / WEIGHTS_FILE, map_location="cpu", weights_only=True)
        weight = state["embedding.weight"]
        embedding = nn.Embedding(weight.shape[0], weight.shape[1], padding_idx=PAD_INDEX)
        clf.model_ = MeanEmbeddingNet(embedding, state["hidden.weight"].shape[0], len(clf.classes_))
        clf.model_.load_state_dict(state)
        clf.model_.embedding.weight.requires_grad_(not clf.freeze)
        clf.model_.eval()
        return clf


class TrainingSplit(NamedTuple):
    """What :func:`split_labelled` returns: the classes, the training rows and the validation texts.

    >>> texts = ["a good film", "good acting", "a bad film", "bad and dull", "good fun", "dull plot"] * 10
    >>> labels = ["pos", "pos", "neg", "neg", "pos", "neg"] * 10
    >>> import torch
    >>> split = split_labelled(texts, labels, None, 0.2, torch.Generator().manual_seed(0))
    >>> split.classes, len(split.train_idx), len(split.val_texts)
    (['neg', 'pos'], 48, 12)
    """

    classes: list
    train_idx: torch.Tensor  # sorted row numbers of the training texts
    y_train: torch.Tensor    # their class indices
    val_texts: list[str]
    y_val: torch.Tensor


def split_labelled(texts: list[str], labels: list, validation: tuple[Sequence[str], Sequence] | None,
                   validation_split: float, generator: torch.Generator) -> TrainingSplit:
    """Check labelled training texts and set the validation texts apart (the classifiers' shared start).

    >>> texts = ["a good film", "good acting", "a bad film", "bad and dull", "good fun", "dull plot"] * 10
    >>> labels = ["pos", "pos", "neg", "neg", "pos", "neg"] * 10
    >>> import torch
    >>> split = split_labelled(texts, labels, None, validation_split=0.1,
    ...                        generator=torch.Generator().manual_seed(0))
    >>> split.classes, len(split.train_idx), len(split.val_texts), split.y_train[:3].tolist()
    (['neg', 'pos'], 54, 6, [1, 1, 1])
    >>> split_labelled(["a", "b"], ["pos", "pos"], None, 0.1, torch.Generator())
    Traceback (most recent call last):
        ...
    ValueError: need at least two classes to train, got ['pos']

    ``classes`` are the sorted distinct labels (two at least). With ``validation=(texts, labels)``
    every training text trains (their labels must be training labels); otherwise a seeded random
    ``validation_split`` of them is held out (``generator`` draws it).
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if not texts:
        raise ValueError("no training texts")
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError(f"need at least two classes to train, got {classes}")
    class_index = {c: i for i, c in enumerate(classes)}
    y_all = torch.as_tensor([class_index[y] for y in labels], dtype=torch.long)
    order = torch.randperm(len(texts), generator=generator)
    if validation is not None:
        val_texts, val_labels = list(validation[0]), list(validation[1])
        unknown = sorted({str(v) for v in val_labels if v not in class_index})
        if unknown:
            raise ValueError(f"validation labels not in the training labels: {', '.join(unknown)}")
        train_idx = order
    elif validation_split > 0:
        n_val = max(1, round(len(texts) * validation_split))
        if n_val >= len(texts):
            raise ValueError(f"validation_split={validation_split} leaves no training text")
        val_idx, train_idx = order[:n_val], order[n_val:]
        val_texts = [texts[i] for i in val_idx.tolist()]
        val_labels = [labels[i] for i in val_idx.tolist()]
    else:
        train_idx, val_texts, val_labels = order, [], []
    train_idx = torch.sort(train_idx).values  # shuffled again each epoch
    y_val = torch.as_tensor([class_index[v] for v in val_labels], dtype=torch.long)
    return TrainingSplit(classes, train_idx, y_all[train_idx], val_texts, y_val)


def train_epochs(model: nn.Module, optimizers: Sequence[torch.optim.Optimizer],
                 batch_loss: Callable[[list[int]], tuple[torch.Tensor, int]], *, n_train: int, epochs: int,
                 batch_size: int, patience: int, generator: torch.Generator,
                 validate: Callable[[], tuple[float, float]] | None,
                 on_epoch: Callable[[dict], None] | None, progress: bool | None = False) -> tuple[list[dict], int]:
    """The classifiers' epoch loop; returns the history (a row per epoch) and the best epoch.

    >>> import torch
    >>> model = torch.nn.Linear(1, 2)
    >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    >>> x, y = torch.tensor([[-1.0], [1.0]]), torch.tensor([0, 1])
    >>> def batch_loss(rows):
    ...     logits = model(x[rows])
    ...     return torch.nn.functional.cross_entropy(logits, y[rows]), int((logits.argmax(1) == y[rows]).sum())
    ...
    >>> def validate():
    ...     with torch.no_grad():
    ...         logits = model(x)
    ...         accuracy = float((logits.argmax(1) == y).float().mean())
    ...         return float(torch.nn.functional.cross_entropy(logits, y)), accuracy
    ...
    >>> history, best = train_epochs(model, [optimizer], batch_loss, n_train=2, epochs=3, batch_size=2, patience=5,
    ...                              generator=torch.Generator().manual_seed(0), validate=validate, on_epoch=None)
    >>> len(history), sorted(history[0])
    (3, ['accuracy', 'epoch', 'examples_per_second', 'loss', 'seconds', 'val_accuracy', 'val_loss'])

    Each epoch shuffles the ``n_train`` training rows with ``generator`` and steps every optimizer
    on ``batch_loss(rows)`` (the mean loss of a batch and how many it got right). ``validate()``
    gives ``(val_loss, val_accuracy)``; training stops when the validation loss has not improved
    for ``patience`` epochs, and the best epoch's weights (by validation loss, else training loss)
    are restored.

    ``progress`` (None: where a person watches, see :func:`wordvec._progress.show_progress`;
    False by default here, for callers that draw their own) shows a bar per epoch with the
    examples/s and the running loss, then the validation accuracy; with ``on_epoch`` the bar is
    cleared at the epoch's end, the callback reporting the epoch in its place.
    """
    history: list[dict] = []
    best_epoch, best_loss, best_state, waited = 0, math.inf, None, 0
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(n_train, generator=generator).tolist()
        total_loss, correct, done = 0.0, 0, 0
        with ProgressBar(len(perm), f"epoch {epoch}/{epochs}", enabled=progress, unit="examples",
                         transient=on_epoch is not None) as bar:
            for start in range(0, len(perm), batch_size):
                batch = perm[start:start + batch_size]
                loss, right = batch_loss(batch)
                for optimizer in optimizers:
                    optimizer.zero_grad(set_to_none=True)
                loss.backward()
                for optimizer in optimizers:
                    optimizer.step()
                total_loss += float(loss.detach()) * len(batch)
                correct += right
                done += len(batch)
                bar.update(done, loss=total_loss / done)
            seconds = time.perf_counter() - t0
            row = {"epoch": epoch, "loss": total_loss / len(perm), "accuracy": correct / len(perm)}
            if validate is not None:
                bar.update(done, status="validating")
                row["val_loss"], row["val_accuracy"] = validate()
                bar.update(done, status=f"val_accuracy {row['val_accuracy']:.4f}")
            else:
                bar.update(done, status="")
        row["seconds"] = time.perf_counter() - t0
        row["examples_per_second"] = len(perm) / max(seconds, 1e-9)  # the training part of the epoch
        history.append(row)
        if on_epoch is not None:
            on_epoch(row)
        monitored = row.get("val_loss", row["loss"])
        if monitored < best_loss:
            best_loss, waited, best_epoch = monitored, 0, epoch
            best_state = copy.deepcopy(model.state_dict())
        else:
            waited += 1
            if validate is not None and waited >= patience:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    return history, best_epoch


def meta_json(meta: dict) -> str:
    """A classifier's ``config.json`` text; a TypeError naming the classes when they are no JSON values.

    >>> print(meta_json({"kind": "wordvec.TextClassifier", "classes": ["neg", "pos"]}))
    {
      "kind": "wordvec.TextClassifier",
      "classes": [
        "neg",
        "pos"
      ]
    }
    """
    try:
        return json.dumps(meta, indent=2)
    except TypeError:
        raise TypeError(f"class labels must be JSON values (str, int, ...), got {meta.get('classes')!r}") from None


def read_meta(path: str | os.PathLike[str], kinds: Sequence[str] = (KIND,)) -> dict:
    """The ``config.json`` of a classifier directory, checked to be one of ``kinds`` and of a
    format version this wordvec reads.

    >>> texts = ["a good film", "good acting", "a bad film", "bad and dull", "good fun", "dull plot"] * 10
    >>> labels = ["pos", "pos", "neg", "neg", "pos", "neg"] * 10
    >>> TextClassifier(embedding_dim=4, epochs=1, seed=1, progress=False).fit(texts, labels).save("clf/")
    >>> meta = read_meta("clf/")
    >>> meta["kind"], meta["classes"]
    ('wordvec.TextClassifier', ['neg', 'pos'])
    """
    recover_interrupted_save(path)  # a save killed between its renames is finished or undone first
    path = Path(path)
    cfg_file = path / CONFIG_FILE
    if not cfg_file.is_file():
        raise FileNotFoundError(f"{path}: not a wordvec classifier directory (no {CONFIG_FILE})")
    try:
        meta = json.loads(cfg_file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise FormatError(cfg_file, "not UTF-8 text", offset=exc.start) from None
    except json.JSONDecodeError as exc:
        raise FormatError(cfg_file, f"not JSON ({exc.msg})", line=exc.lineno) from None
    kind = meta.get("kind") if isinstance(meta, dict) else None
    if kind not in kinds:
        raise ValueError(f"{cfg_file}: not a wordvec classifier (kind={kind!r})")
    if meta.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError(f"{cfg_file}: format_version {meta['format_version']} is newer than this "
                         f"wordvec reads ({FORMAT_VERSION}); upgrade wordvec")
    return meta
