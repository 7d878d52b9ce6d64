"""A text classifier on contextual features: a frozen ELMo biLM, a learned scalar mix, mean pooling,
Dense(256, ReLU) and a sigmoid (two classes) or a softmax (more).

    features(text) = mean over the text's tokens of every biLM layer    (n_layers, dim), computed once
    x_j = (features_j - mean_j) / std                                     centred and scaled on the training texts
    logits = W2 · relu(W1 · dropout(gamma * sum_j softmax(w)_j x_j) + b1) + b2

With static ``vectors`` (pre-trained word vectors, fine-tuned unless ``freeze``), each text's mean
static vector joins the mixed ELMo vector before the dense layers: ``W1 · [mix; mean(E[ids])]``.
That is how Peters et al. (2018, section 3.3) use ELMo in a task model: the contextual vector
beside the context-independent token representation ``x_k``, not instead of it (for a mean-pooled
model, concatenating per token and then pooling is the same as pooling each and concatenating).

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
                            "n_layers": L + 1, "dim": D, "static": null or {"vocabulary": "vocab.json",
                            "dim": d, "found": n}}, "torch_version": "..."}
      weights.safetensors  the standardising, the mix and the dense layers (shift, scale,
                           mix.scalar_parameters, mix.gamma, hidden.weight/bias, output.weight/bias;
                           static.weight with static vectors)
      vocab.json           with static vectors: their vocabulary (:class:`~wordvec.torch.EmbeddingVocab`)
      bilm/                a copy of the biLM, as :meth:`wordvec.contextual.ELMo.save` writes it
"""

from __future__ import annotations

import json
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
from wordvec.torch.classifier import (CONFIG_FILE, FORMAT_VERSION, KIND as STATIC_KIND, VOCAB_FILE, LabelPredictor,
                                      TextClassifier, _pad, meta_json, read_meta, split_labelled, train_epochs)
from wordvec.torch.embedding import embedding_for
from wordvec.torch.vocabulary import PAD_INDEX, EmbeddingVocab

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

    With a ``static`` embedding, ``hidden`` reads ``[mix; mean of the text's static vectors]``:

    >>> net = ContextualNet(3, 32, 16, 1, static=torch.nn.Embedding(10, 8, padding_idx=1))
    >>> ids = torch.tensor([[2, 3, 1], [4, 1, 1]])       # 1 is <pad>
    >>> net(torch.zeros(2, 3, 32), ids, ids != 1).shape
    torch.Size([2, 1])

    ``shift`` (the training texts' mean features, ``(n_layers, dim)``) and ``scale`` (one number
    in every cell: 1 / their standard deviation over all features) centre the features and bring
    them to unit scale. Pooled biLM layers share a large common part and differ from text to text
    by a few percent, which a ReLU layer learns from slowly; one scale for all keeps the layers'
    and dimensions' relative spread, which the mix weighs. The map is affine per layer, so mixing
    still commutes with pooling. ``n_outputs`` is 1 for two classes (a sigmoid on the one logit)
    and the number of classes otherwise (a softmax).
    """

    def __init__(self, n_layers: int, dim: int, hidden: int, n_outputs: int, static: nn.Embedding | None = None,
                 dropout: float = 0.0):
        super().__init__()
        self.register_buffer("shift", torch.zeros(n_layers, dim))
        self.register_buffer("scale", torch.ones(n_layers, dim))
        self.mix = ScalarMix(n_layers)
        self.static = static
        self.dropout = nn.Dropout(dropout)  # on the dense layer's input, in training mode only
        self.hidden = nn.Linear(dim + (static.embedding_dim if static is not None else 0), hidden)
        self.output = nn.Linear(hidden, n_outputs)

    def standardize_on(self, features: torch.Tensor) -> None:
        """Set ``shift`` and ``scale`` from the training features (constant features keep scale 1)."""
        if len(features) == 0:
            return
        centred = features - features.mean(dim=0)
        std = float(centred.pow(2).mean().sqrt())
        self.shift.copy_(features.mean(dim=0))
        self.scale.fill_(1 / std if std > 1e-6 else 1.0)

    def forward(self, features: torch.Tensor, ids: torch.Tensor | None = None,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        standard = (features - self.shift) * self.scale
        mixed = self.mix(standard.transpose(0, 1))  # ScalarMix wants the layers first
        if self.static is not None:
            if ids is None or mask is None:
                raise ValueError("this network has static vectors: pass the texts' ids and mask too")
            emb = self.static(ids)
            summed = (emb * mask.unsqueeze(-1).to(emb.dtype)).sum(dim=1)
            mixed = torch.cat([mixed, summed / mask.sum(dim=1, keepdim=True).clamp(min=1).to(emb.dtype)], dim=1)
        return self.output(torch.relu(self.hidden(self.dropout(mixed))))


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
    vectors:
        Optional pre-trained static vectors (KeyedVectors) looked up for the biLM's tokens; each
        text's mean vector is concatenated with the mixed ELMo vector (Peters et al. 2018, 3.3).
        The vocabulary is the training texts' words plus the vectors' words; the rows start from
        the vectors (training words they lack: at random, at their scale) and are fine-tuned
        unless ``freeze=True``.
    progress:
        Show progress bars while texts run through the biLM and for each training epoch (None:
        where a person watches: stderr is a terminal, or a notebook; see
        :func:`wordvec._progress.show_progress`).
    **the rest**:
        Those of :class:`~wordvec.config.ContextualClassifierConfig` (``hidden=256``, ``epochs``,
        ``batch_size``, ``learning_rate``, ``validation_split``, ``patience``, ``max_len``,
        ``embed_batch_size``, ``freeze``, ``dropout``, ``seed``). Same seed, same data, same result on a CPU.

    Labels are handled as by :class:`~wordvec.torch.TextClassifier` (any sortable JSON values,
    two classes at least). Learned state: ``elmo_`` (the biLM), ``classes_``, ``model_``
    (:class:`ContextualNet`), ``history_`` (``epoch, loss, accuracy, val_loss, val_accuracy,
    seconds`` per epoch), ``best_epoch_``, ``seconds_features_`` (time spent in the biLM by ``fit``);
    with ``vectors``: ``vocabulary_`` and ``pretrained_found_`` (its words found in the vectors).
    """

    def __init__(self, elmo=None, *, vectors=None, hidden: int = _DEFAULTS.hidden, epochs: int = _DEFAULTS.epochs,
                 batch_size: int = _DEFAULTS.batch_size, learning_rate: float = _DEFAULTS.learning_rate,
                 validation_split: float = _DEFAULTS.validation_split, patience: int = _DEFAULTS.patience,
                 max_len: int | None = _DEFAULTS.max_len, embed_batch_size: int = _DEFAULTS.embed_batch_size,
                 freeze: bool = _DEFAULTS.freeze, dropout: float = _DEFAULTS.dropout, seed: int = _DEFAULTS.seed,
                 progress: bool | None = None):
        self.elmo = elmo
        self.vectors = vectors
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_split = validation_split
        self.patience = patience
        self.max_len = max_len
        self.embed_batch_size = embed_batch_size
        self.freeze = freeze
        self.dropout = dropout
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
        if self.vectors is not None:
            changed.insert(0, f"vectors=<{len(self.vectors) if hasattr(self.vectors, '__len__') else '?'} vectors>")
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
        elmo = self.elmo_ if hasattr(self, "elmo_") else self._resolve_elmo()
        return self._features(elmo, self._tokens(elmo, texts))

    def _tokens(self, elmo: ELMo, texts: Sequence[str]) -> list[list[str]]:
        """The texts tokenized by the biLM's tokenizer, cut at ``max_len``."""
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not one string")
        tokens = elmo.tokenize(list(texts))
        cut = self.config.max_len
        return [t[:cut] for t in tokens] if cut is not None else tokens

    def _features(self, elmo: ELMo, tokens: list[list[str]]) -> np.ndarray:
        cfg = self.config
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
        self.elmo_ = elmo = self._resolve_elmo()
        self.classes_ = split.classes
        t0 = time.perf_counter()
        train_tokens = self._tokens(elmo, [texts[i] for i in split.train_idx.tolist()])
        val_tokens = self._tokens(elmo, split.val_texts)
        train_x = torch.from_numpy(self._features(elmo, train_tokens))
        val_x = torch.from_numpy(self._features(elmo, val_tokens))
        self.seconds_features_ = time.perf_counter() - t0
        n_classes = len(self.classes_)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(cfg.seed)
            static = self._static_embedding(train_tokens, generator) if self.vectors is not None else None
            self.model_ = model = ContextualNet(elmo.n_layers, elmo.dim, cfg.hidden,
                                                1 if n_classes == 2 else n_classes, static=static,
                                                dropout=cfg.dropout)
        train_rows, val_rows = self._rows(train_tokens), self._rows(val_tokens)
        model.standardize_on(train_x)
        # Static rows get sparse gradients and SparseAdam, as in TextClassifier.
        optimizers: list[torch.optim.Optimizer] = [torch.optim.Adam(
            [p for n, p in model.named_parameters() if not n.startswith("static.")], lr=cfg.learning_rate)]
        if static is not None and static.weight.requires_grad:
            static.sparse = True
            optimizers.append(torch.optim.SparseAdam([static.weight], lr=cfg.learning_rate))
        train_y = split.y_train

        def batch_loss(batch: list[int]) -> tuple[torch.Tensor, int]:
            logits = model(train_x[batch], *self._padded(train_rows, batch))
            return _loss(logits, train_y[batch]), int((_classes(logits.detach()) == train_y[batch]).sum())

        def validate() -> tuple[float, float]:
            logits = self._logits(val_x, val_rows)
            return float(_loss(logits, split.y_val)), float((_classes(logits) == split.y_val).float().mean())

        try:
            with torch.random.fork_rng(devices=[]):  # the dropout masks: drawn from the seed, not the global state
                torch.manual_seed(cfg.seed + 1)
                self.history_, self.best_epoch_ = train_epochs(
                    model, optimizers, batch_loss, n_train=len(train_x), epochs=cfg.epochs, batch_size=cfg.batch_size,
                    patience=cfg.patience, generator=generator, validate=validate if len(val_x) else None,
                    on_epoch=on_epoch, progress=_progress_enabled(self.progress))
        finally:
            if static is not None:
                static.sparse = False
        model.eval()
        return self

    def _static_embedding(self, train_tokens: list[list[str]], generator: torch.Generator) -> nn.Embedding:
        """The static vectors' embedding: the training words, then the vectors' other words."""
        if not hasattr(self.vectors, "index_to_key"):
            raise TypeError(f"vectors must be KeyedVectors (with index_to_key), got {type(self.vectors).__name__}")
        vocab = EmbeddingVocab.build(train_tokens, tokenizer="whitespace")
        seen = vocab.key_to_index
        extra = [w for w in self.vectors.index_to_key if w not in seen]
        self.vocabulary_ = EmbeddingVocab(vocab.words + extra, counts=vocab.counts + [0] * len(extra),
                                          tokenizer="whitespace")
        embedding, self.pretrained_found_ = embedding_for(self.vocabulary_, None, self.vectors,
                                                          freeze=self.config.freeze, generator=generator)
        return embedding

    def _rows(self, tokens: list[list[str]]) -> list[list[int]] | None:
        """Static-vector ids of each text's tokens (None without static vectors)."""
        if getattr(self.model_, "static", None) is None:
            return None
        return [self.vocabulary_.encode(t) for t in tokens]

    @staticmethod
    def _padded(rows: list[list[int]] | None, batch) -> tuple[torch.Tensor, ...]:
        return () if rows is None else _pad([rows[i] for i in batch])

    @torch.inference_mode()
    def _logits(self, features: torch.Tensor, rows: list[list[int]] | None = None,
                batch_size: int = 1024) -> torch.Tensor:
        self.model_.eval()
        out = [self.model_(features[s:s + batch_size], *self._padded(rows, range(s, min(s + batch_size, len(features)))))
               for s in range(0, len(features), batch_size)]
        return torch.cat(out) if out else torch.zeros((0, self.model_.output.out_features))

    # ------------------------------------------------------------------ inference
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, shape ``(len(texts), len(classes_))``, columns in ``classes_`` order."""
        self._check_fitted()
        tokens = self._tokens(self.elmo_, texts)
        return _probabilities(self._logits(torch.from_numpy(self._features(self.elmo_, tokens)),
                                           self._rows(tokens))).numpy()

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
                             "dim": self.elmo_.dim, "static": None},
                "torch_version": torch.__version__}
        static = self.model_.static
        if static is not None:
            meta["features"]["static"] = {"vocabulary": VOCAB_FILE, "dim": static.embedding_dim,
                                          "found": self.pretrained_found_}
        text = meta_json(meta)
        with atomic_directory(path) as tmp:
            (tmp / CONFIG_FILE).write_text(text + "\n", encoding="utf-8")
            bilm_io.write_tensors(tmp / WEIGHTS_FILE, self.model_.state_dict())
            if static is not None:
                (tmp / VOCAB_FILE).write_text(json.dumps(self.vocabulary_.to_dict()), encoding="utf-8")
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
            static_meta = features.get("static")
            vocab_file = None if static_meta is None else path / static_meta["vocabulary"]
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
        static = None
        if vocab_file is not None:
            try:
                clf.vocabulary_ = EmbeddingVocab.from_dict(json.loads(vocab_file.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise FormatError(vocab_file, f"not a classifier vocabulary ({exc})") from None
            clf.pretrained_found_ = static_meta.get("found", 0)
            static = nn.Embedding(len(clf.vocabulary_), int(static_meta["dim"]), padding_idx=PAD_INDEX)
        try:
            model = ContextualNet(clf.elmo_.n_layers, clf.elmo_.dim, state["hidden.weight"].shape[0],
                                  1 if n_classes == 2 else n_classes, static=static)
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
