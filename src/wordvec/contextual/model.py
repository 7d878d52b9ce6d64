"""ELMo: the estimator that trains, saves, loads and applies a biLM.

>>> from wordvec.contextual import ELMo                         # doctest: +SKIP
>>> elmo = ELMo(epochs=1, seed=1).fit("corpus.txt.gz")         # doctest: +SKIP
>>> elmo.perplexity_                                           # doctest: +SKIP
{'forward': 183.2, 'backward': 190.4}
>>> out = elmo.embed(["i sat on the bank of the river"])       # doctest: +SKIP
>>> out.tokens[0].shape, out.sentences.shape                   # doctest: +SKIP
((8, 256), (1, 256))
>>> elmo.save("elmo_dir"); ELMo.load("elmo_dir")               # doctest: +SKIP
>>> ELMo.from_allennlp("options.json", "weights.hdf5")         # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from wordvec._saving import atomic_directory, recover_interrupted_save
from wordvec._progress import ProgressBar, show_progress
from wordvec.contextual import io
from wordvec.contextual.bilm import BiLM
from wordvec.contextual.config import BiLMConfig, check_names, preset_config
from wordvec.contextual.data import EOS_CLASS, N_SPECIAL, UNK_CLASS, TrainingData, encode_training_data
from wordvec.contextual.embed import Embeddings, embed_tokens
from wordvec.contextual.scalar_mix import ScalarMix
from wordvec.contextual.train import Position, heldout_perplexity, train_bilm
from wordvec.corpus.readers import as_corpus
from wordvec.corpus.tokenizers import describe_tokenizer, get_tokenizer
from wordvec.exceptions import FormatError, NotFittedError

__all__ = ["ELMo"]


def resolve_device(device: str | None) -> torch.device:
    """``None``: CUDA when PyTorch sees a GPU, else the CPU."""
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        resolved = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(f"unknown device {device!r} ({exc})") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} asked for, but PyTorch sees no CUDA GPU here; use device='cpu'")
    return resolved


def build_bilm(config: BiLMConfig, vocab_size: int | None) -> BiLM:
    """A freshly initialised biLM, seeded by ``config.seed`` (torch's global random state is left alone)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        return BiLM(config, vocab_size)


class ELMo:
    """ELMo contextual word vectors from a bidirectional language model (Peters et al. 2018).

    >>> sentences = [["we", "sat", "on", "the", "river", "bank"], ["the", "bank", "gave", "us", "a", "loan"]] * 5
    >>> elmo = ELMo(epochs=1, filters=((1, 8), (2, 8)), projection_dim=16, lstm_dim=32, min_count=1, progress=False)
    >>> elmo = elmo.fit(sentences)                        # ELMo(epochs=1) alone: the "small" preset, 256-d
    >>> elmo.embed(["she sat on the river bank"], layer=-1).tokens[0].shape     # one vector per token
    (6, 32)
    >>> elmo.save("elmo/")
    >>> ELMo.load("elmo/").embed(["a bank loan"]).sentences.shape
    (1, 32)

    Parameters
    ----------
    preset:
        ``"small"`` (the defaults: trains on a CPU) or ``"original"`` (the published ELMo sizes;
        for a GPU). See :class:`~wordvec.contextual.config.BiLMConfig` for every setting.
    device:
        ``"cpu"``, ``"cuda"``, ... (None: CUDA when available). Runs on a CPU with a seed are
        identical.
    progress:
        Show a progress bar (tokens/s, ETA, running perplexity) while training (None: where a
        person watches: stderr is a terminal, or a notebook; see :func:`wordvec._progress.show_progress`).
    **settings:
        Any :class:`~wordvec.contextual.config.BiLMConfig` field, replacing the preset's value
        (``epochs=1``, ``projection_dim=256``, ``tokenizer="korean"``, ...).

    Learned state (after :meth:`fit`, :meth:`load` or :meth:`from_allennlp`): ``bilm_`` (the
    :class:`~wordvec.contextual.bilm.BiLM` module), ``vocab_`` (the softmax's words; None for
    AllenNLP weights), ``perplexity_`` (held-out perplexity per direction), ``history_`` (a row
    per epoch), ``loss_history_`` (mean loss per epoch, float64), ``tokenizer_``.
    """

    def __init__(self, preset: str = "small", *, device: str | None = None, progress: bool | None = None,
                 **settings: Any):
        check_names(settings)
        self.preset = preset
        self.device = device
        self.progress = progress
        self.settings = settings

    @property
    def config(self) -> BiLMConfig:
        """The validated settings (the preset with ``settings`` applied)."""
        return preset_config(self.preset, **self.settings)

    def __repr__(self) -> str:
        shown = [repr(self.preset)] + [f"{k}={v!r}" for k, v in self.settings.items()]
        return f"ELMo({', '.join(shown)})"

    # ------------------------------------------------------------------ training
    def fit(self, corpus, *, validation=None, checkpoint: str | os.PathLike | None = None,
            checkpoint_every: int | None = None, resume: bool = False, callbacks: Sequence = (),
            encoding: str | None = None) -> ELMo:
        """Train the biLM on ``corpus`` and return ``self``.

        ``corpus``: a path (file or directory; ``.gz``/``.bz2``/``.xz`` read on the fly), a list
        of paths, or a list of token lists; files are tokenized with ``tokenizer``. ``validation``:
        text to report the held-out perplexity on (else the last ``validation_split`` of the
        sentences). ``checkpoint``: a directory rewritten (atomically) after every epoch and
        every ``checkpoint_every`` batches; with ``resume=True`` a run continues from the
        checkpoint found there (the corpus and settings must be the same) and starts afresh
        when there is none. ``callbacks``: :class:`wordvec.train.Callback` objects
        (``on_epoch_end`` after every epoch, True stops; ``on_batch_end(model, step)`` too, if
        they define it). ``encoding``: that of the text files, ``validation`` included (None:
        UTF-8; ``"latin-1"``, ``"cp949"``, ...).
        """
        cfg = self.config
        device = resolve_device(self.device)
        progress = self._progress_enabled()
        if checkpoint_every is not None and checkpoint_every < 1:
            raise ValueError(f"checkpoint_every must be >= 1 or None, got {checkpoint_every}")
        if checkpoint is not None:  # fail now, not after the first epoch
            if Path(checkpoint).exists() and not Path(checkpoint).is_dir():
                raise FileExistsError(f"checkpoint {checkpoint} exists and is not a directory")
            Path(checkpoint).parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        source = as_corpus(corpus, cfg.tokenizer, encoding=encoding, progress=progress)
        held = None if validation is None else as_corpus(validation, cfg.tokenizer, encoding=encoding,
                                                         progress=progress)
        with ProgressBar(0, "reading corpus", enabled=progress, unit="tokens") as bar:
            data = encode_training_data(source, held, validation_split=cfg.validation_split, min_count=cfg.min_count,
                                        max_vocab_size=cfg.max_vocab_size, max_sentence_length=cfg.max_sentence_length,
                                        max_characters=cfg.max_characters_per_token, progress=bar.update)
        seconds_reading = time.perf_counter() - t0
        bilm = build_bilm(cfg, len(data.vocab) + N_SPECIAL).to(device)
        optimizer = torch.optim.Adam(bilm.parameters(), lr=cfg.learning_rate)
        generator = torch.Generator(device=device)
        generator.manual_seed(cfg.seed)
        position = Position()
        self.bilm_, self.vocab_ = bilm, data.vocab
        self.tokenizer_ = describe_tokenizer(source) or {"name": cfg.tokenizer}
        self.corpus_stats_ = _corpus_stats(data)
        self._device = device
        if checkpoint is not None and resume and (Path(checkpoint) / io.TRAINER_FILE).exists():
            position = self._restore(Path(checkpoint), data, optimizer, generator)

        def save_checkpoint(pos: Position) -> None:
            self._write_checkpoint(Path(checkpoint), pos, optimizer, generator, data)

        position = train_bilm(bilm, data, cfg, device=device, optimizer=optimizer, generator=generator,
                              position=position, progress=progress,
                              save_checkpoint=save_checkpoint if checkpoint is not None else None,
                              checkpoint_every=checkpoint_every, callbacks=callbacks, model=self)
        bilm.eval()
        self._finish(position, heldout_perplexity(bilm, data, cfg, device), seconds_reading)
        return self

    def _progress_enabled(self) -> bool:
        """Whether to draw the bars: ``progress``, or for None where a person watches (a terminal, a notebook)."""
        return show_progress(self.progress)

    def _finish(self, position: Position, heldout: dict[str, float], seconds_reading: float) -> None:
        self.history_ = list(position.history)
        self.loss_history_ = [float(row["loss"]) for row in position.history]
        self.perplexity_ = heldout
        self.training_stats_ = {"seconds_train": position.seconds, "seconds_reading": seconds_reading,
                                "epochs_run": len(position.history), "steps": position.step,
                                "tokens_per_second": position.tokens_done / max(position.seconds, 1e-9),
                                "device": str(self._device)}

    # ------------------------------------------------------------------ checkpoints
    def _write_checkpoint(self, path: Path, position: Position, optimizer, generator, data: TrainingData) -> None:
        state = optimizer.state_dict()
        tensors = {f"state.{i}.{name}": value for i, slots in state["state"].items() for name, value in slots.items()}
        tensors["generator"] = generator.get_state()
        groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in state["param_groups"]]
        trainer = {"format_version": io.FORMAT_VERSION, "position": position.to_dict(), "param_groups": groups,
                   "corpus": data.fingerprint(), "config": self.config.to_dict()}
        with atomic_directory(path) as tmp:
            self._write_model(tmp, training={"checkpoint": True, "history": position.history})
            io.write_tensors(tmp / io.OPTIMIZER_FILE, tensors)
            io.write_json(tmp / io.TRAINER_FILE, trainer)

    def _restore(self, path: Path, data: TrainingData, optimizer, generator) -> Position:
        trainer_file = path / io.TRAINER_FILE
        trainer = io.read_json(trainer_file, "a training checkpoint")
        try:
            saved_cfg = BiLMConfig.from_saved(trainer["config"])
            position = Position.from_dict(trainer["position"])
            groups, fingerprint = trainer["param_groups"], trainer["corpus"]
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(trainer_file, f"not a training checkpoint ({exc})") from None
        changed = [f.name for f in dataclasses.fields(BiLMConfig)
                   if getattr(saved_cfg, f.name) != getattr(self.config, f.name)]
        if changed:
            raise ValueError(f"cannot resume from {path}: the checkpoint was trained with other settings "
                             f"({', '.join(changed)}); use the same settings or another checkpoint directory")
        if fingerprint != data.fingerprint():
            raise ValueError(f"cannot resume from {path}: it was trained on another corpus "
                             f"({fingerprint.get('tokens')} tokens, {fingerprint.get('sentences')} sentences; "
                             f"this one has {data.fingerprint()['tokens']} and {data.n_sentences})")
        self._load_weights(path, self.bilm_)
        tensors = io.read_tensors(path / io.OPTIMIZER_FILE)
        state: dict[int, dict] = {}
        try:
            generator.set_state(tensors.pop("generator"))
            for key, value in tensors.items():
                _, index, name = key.split(".", 2)
                state.setdefault(int(index), {})[name] = value.to(self._device) if name != "step" else value
            optimizer.load_state_dict({"state": state, "param_groups": groups})
        except (KeyError, ValueError, RuntimeError) as exc:
            raise FormatError(path / io.OPTIMIZER_FILE, f"does not fit this model's optimizer ({exc})") from None
        return position

    # ------------------------------------------------------------------ saving and loading
    def save(self, path: str | os.PathLike) -> None:
        """Save to the directory ``path`` (replaced atomically); see :mod:`wordvec.contextual.io`."""
        self._check_fitted()
        training = {"perplexity": getattr(self, "perplexity_", {}), "history": getattr(self, "history_", []),
                    "corpus": getattr(self, "corpus_stats_", {}), "stats": getattr(self, "training_stats_", {})}
        with atomic_directory(path) as tmp:
            self._write_model(tmp, training=training)

    def _write_model(self, directory: Path, *, training: dict) -> None:
        vocab = self.vocab_
        io.write_json(directory / io.CONFIG_FILE, {
            "format_version": io.FORMAT_VERSION, "kind": io.KIND, "config": self.config.to_dict(),
            "vocab_size": None if vocab is None else len(vocab), "tokenizer": self.tokenizer_,
            "source": getattr(self, "source_", "wordvec"), "training": training})
        io.write_tensors(directory / io.WEIGHTS_FILE, self.bilm_.state_dict())
        if vocab is not None:
            io.write_vocab(directory / io.VOCAB_FILE, vocab)

    @classmethod
    def load(cls, path: str | os.PathLike, *, device: str | None = None) -> ELMo:
        """Load a model (or a checkpoint) saved by :meth:`save`; malformed files raise FormatError naming them."""
        recover_interrupted_save(path)  # a save killed between its renames is finished or undone first
        path = io.model_files(path)
        meta_file = path / io.CONFIG_FILE
        meta = io.read_json(meta_file, "an ELMo model directory (config.json missing)")
        if meta.get("kind") != io.KIND:
            raise FormatError(meta_file, f"not an ELMo model (kind {meta.get('kind')!r}, expected {io.KIND!r})")
        version = meta.get("format_version")
        if not isinstance(version, int) or version > io.FORMAT_VERSION:
            raise FormatError(meta_file, f"format_version {version!r} is newer than this wordvec reads "
                                         f"({io.FORMAT_VERSION}); upgrade wordvec")
        try:
            cfg = BiLMConfig.from_saved(meta["config"]).validate()
            vocab_size = meta["vocab_size"]
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(meta_file, f"bad settings ({exc})") from None
        model = cls(device=device, **{f.name: getattr(cfg, f.name) for f in dataclasses.fields(BiLMConfig)})
        model._device = resolve_device(device)
        bilm = BiLM(cfg, None if vocab_size is None else vocab_size + N_SPECIAL)
        cls._load_weights(path, bilm)
        model.bilm_ = bilm.to(model._device).eval()
        model.vocab_ = None if vocab_size is None else io.read_vocab(
            path / io.VOCAB_FILE, min_count=cfg.min_count, max_vocab_size=cfg.max_vocab_size, size=vocab_size)
        model.tokenizer_ = meta.get("tokenizer") or {"name": cfg.tokenizer}
        model.source_ = meta.get("source", "wordvec")
        training = meta.get("training") or {}
        model.perplexity_ = dict(training.get("perplexity", {}))
        model.history_ = list(training.get("history", []))
        model.loss_history_ = [float(row["loss"]) for row in model.history_ if "loss" in row]
        model.corpus_stats_ = dict(training.get("corpus", {}))
        model.training_stats_ = dict(training.get("stats", {}))
        return model

    @staticmethod
    def _load_weights(path: Path, bilm: BiLM) -> None:
        weights_file = path / io.WEIGHTS_FILE
        tensors = io.read_tensors(weights_file)
        expected = bilm.state_dict()
        missing = sorted(set(expected) - set(tensors))
        unexpected = sorted(set(tensors) - set(expected))
        if missing or unexpected:
            what = f"missing {', '.join(missing[:3])}" if missing else f"unexpected {', '.join(unexpected[:3])}"
            raise FormatError(weights_file, f"does not match config.json: {what}")
        for name, value in tensors.items():
            if value.shape != expected[name].shape:
                raise FormatError(weights_file, f"{name} has shape {tuple(value.shape)}, config.json "
                                                f"implies {tuple(expected[name].shape)}")
        bilm.load_state_dict(tensors)

    @classmethod
    def from_allennlp(cls, options_file: str | os.PathLike, weight_file: str | os.PathLike, *,
                      device: str | None = None, tokenizer: str = "regex") -> ELMo:
        """A model from AllenNLP's published ELMo files (``options.json`` + ``weights.hdf5``; needs h5py).

        The result embeds as AllenNLP's ``Elmo`` does (with a zero LSTM state per sentence); it
        has no softmax, so it cannot be trained further or report a perplexity. ``tokenizer``
        splits raw text given to :meth:`embed` (the published models expect cased tokens:
        pass ``"whitespace"`` and tokenized text to keep the case).
        """
        from wordvec.contextual.allennlp import read_allennlp

        cfg, bilm = read_allennlp(options_file, weight_file, tokenizer=tokenizer)
        model = cls(device=device, **{f.name: getattr(cfg, f.name) for f in dataclasses.fields(BiLMConfig)})
        model._device = resolve_device(device)
        model.bilm_ = bilm.to(model._device).eval()
        model.vocab_ = None
        model.tokenizer_ = {"name": tokenizer}
        model.source_ = "allennlp"
        model.perplexity_, model.history_, model.loss_history_ = {}, [], []
        model.corpus_stats_, model.training_stats_ = {}, {}
        return model

    # ------------------------------------------------------------------ using the model
    def _check_fitted(self) -> None:
        if not hasattr(self, "bilm_"):
            raise NotFittedError("this ELMo model is not trained yet: call fit(corpus) first, "
                                 "or ELMo.load(path) / ELMo.from_allennlp(options, weights)")

    @property
    def n_layers(self) -> int:
        """Representation layers per token: the character layer plus one per LSTM layer."""
        return self.config.n_layers + 1

    @property
    def dim(self) -> int:
        """Size of every layer's vectors (``2 * projection_dim``)."""
        return self.config.output_dim

    def tokenize(self, sentences: Sequence[str | Sequence[str]]) -> list[list[str]]:
        """Token lists: strings are split with the model's tokenizer, token lists are kept as they are."""
        if isinstance(sentences, str):
            raise TypeError("pass a list of sentences, not one string")
        tok = None
        out = []
        for s in sentences:
            if isinstance(s, str):
                if tok is None:
                    tok = get_tokenizer((self.tokenizer_ or {}).get("name", self.config.tokenizer))
                out.append(list(tok(s)))
            else:
                out.append(list(s))
        return out

    def embed(self, sentences: Sequence[str | Sequence[str]], *, layer: int | str = "average",
              mix: ScalarMix | None = None, batch_size: int = 64, window: int | None = None,
              overlap: int | None = None) -> Embeddings:
        """Contextual vectors of ``sentences`` (strings, tokenized with the model's tokenizer, or token lists).

        ``layer``: an index (0 = the character layer, 1.. the LSTM layers, -1 the top),
        ``"average"`` (the mean of all layers), ``"all"`` or ``"mix"`` (with ``mix=ScalarMix``).
        Sentences longer than ``window`` tokens (default ``max_sentence_length``) are run in windows
        overlapping by ``overlap`` (default a fifth of the window). Returns
        :class:`~wordvec.contextual.embed.Embeddings`: ``.tokens`` per sentence and ``.sentences``
        (mean-pooled: TF Hub's ELMo ``"default"``).

        >>> out = elmo.embed(["the bank of the river", "a bank account"], layer=-1)  # doctest: +SKIP
        >>> out.tokens[1].shape                                                      # doctest: +SKIP
        (3, 256)
        """
        self._check_fitted()
        window = self.config.max_sentence_length if window is None else window
        overlap = window // 5 if overlap is None else overlap
        return embed_tokens(self.bilm_, self.tokenize(sentences), layer=layer, mix=mix, batch_size=batch_size,
                            window=window, overlap=overlap)

    def activations(self, sentences: Sequence[str | Sequence[str]]) -> tuple[torch.Tensor, torch.Tensor]:
        """One batch as torch tensors: ``(n_layers + 1, B, T, dim)`` activations (markers removed,
        0 at padding) and the ``(B, T)`` bool mask of real tokens, on the model's device.

        Gradients flow when the biLM's parameters require them (they do unless frozen with
        ``elmo.bilm_.requires_grad_(False)``); for a frozen biLM :meth:`embed` is simpler.
        """
        self._check_fitted()
        from wordvec.contextual.chars import sentence_char_ids

        tokens = self.tokenize(sentences)
        ids, lengths = sentence_char_ids(tokens, self.config.max_characters_per_token)
        device = next(self.bilm_.parameters()).device
        lengths_t = torch.from_numpy(lengths).to(device)
        acts = self.bilm_(torch.from_numpy(ids).long().to(device), lengths_t)[:, :, 1:-1]
        if acts.shape[2] == 0:
            acts = acts.new_zeros(acts.shape[0], acts.shape[1], 0, acts.shape[3])
        mask = torch.arange(acts.shape[2], device=device)[None, :] < (lengths_t - 2)[:, None]
        # the </S> of shorter sentences sits inside the kept range: zero it with the padding
        return acts * mask[None, :, :, None].to(acts.dtype), mask

    def perplexity(self, corpus) -> dict[str, float]:
        """Perplexity of each direction on ``corpus`` (words outside the softmax count as ``<UNK>``)."""
        self._check_fitted()
        if self.vocab_ is None:
            raise ValueError("this model has no softmax (AllenNLP representation weights): no perplexity")
        from wordvec.contextual.chars import sentence_char_ids
        from wordvec.contextual.train import perplexity as ppl

        cfg = self.config
        source = as_corpus(corpus, (self.tokenizer_ or {}).get("name", cfg.tokenizer), progress=False)
        sentences = [list(s) for s in source]
        k2i = self.vocab_.key_to_index
        device = next(self.bilm_.parameters()).device
        sums, count = np.zeros(2), 0
        self.bilm_.eval()
        with torch.no_grad():
            for start in range(0, len(sentences), 64):
                batch = sentences[start:start + 64]
                ids, lengths = sentence_char_ids(batch, cfg.max_characters_per_token)
                targets = np.zeros(ids.shape[:2], dtype=np.int64)
                for b, s in enumerate(batch):  # 0 (<S>) at the start, then the words, then </S>
                    targets[b, 1:len(s) + 1] = [k2i[w] + N_SPECIAL if w in k2i else UNK_CLASS for w in s]
                    targets[b, len(s) + 1] = EOS_CLASS
                tokens = self.bilm_.token_vectors(torch.from_numpy(ids).long().to(device))
                nll_f, nll_b, n = self.bilm_.lm_loss(tokens, torch.from_numpy(lengths).to(device),
                                                     torch.from_numpy(targets).to(device))
                sums += (nll_f.item(), nll_b.item())
                count += n
        return {"forward": ppl(sums[0], count), "backward": ppl(sums[1], count)}

    def n_parameters(self, *, softmax: bool = False) -> int:
        """Parameters of the biLM (token encoder and LSTMs; with ``softmax=True`` the softmax too)."""
        self._check_fitted()
        return sum(p.numel() for name, p in self.bilm_.named_parameters()
                   if softmax or not name.startswith("softmax."))

    def summary(self) -> str:
        """One paragraph on the model and its training run."""
        self._check_fitted()
        cfg = self.config
        shape = (f"ELMo biLM ({cfg.n_layers} x {cfg.lstm_dim}-cell LSTM -> {cfg.projection_dim} per direction, "
                 f"{self.n_parameters():,} parameters besides the softmax)")
        if not getattr(self, "history_", None):
            return f"{shape}, loaded from {getattr(self, 'source_', 'wordvec')} weights."
        c, s = self.corpus_stats_, self.training_stats_
        ppl = ", ".join(f"{k} {v:,.1f}" for k, v in self.perplexity_.items()) or "no held-out text"
        return (f"Trained an {shape} on {c.get('train_tokens', 0):,} tokens ({c.get('train_sentences', 0):,} "
                f"sentences; {len(self.vocab_):,} words in the softmax): {s.get('epochs_run', 0)} epochs, "
                f"{s.get('tokens_per_second', 0):,.0f} tokens/s, {s.get('seconds_train', 0):,.1f} s. "
                f"Held-out perplexity ({c.get('heldout_tokens', 0):,} tokens): {ppl}.")


def _corpus_stats(data: TrainingData) -> dict[str, int]:
    return {"sentences": data.n_sentences, "train_sentences": data.n_train,
            "heldout_sentences": data.n_sentences - data.n_train, "train_tokens": data.train_tokens(),
            "heldout_tokens": data.heldout_tokens(), "types": int(data.chars.shape[0] - 2),
            "sentences_split": data.n_split}
