"""``wordvec elmo``: train an ELMo biLM, embed sentences with it, show a word's nearest uses in context.

The options' defaults are :class:`wordvec.contextual.config.BiLMConfig`'s ("small" preset); an
option left out takes the chosen preset's value. Reading them imports no torch.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from wordvec._files import corpus_files
from wordvec.cli._common import (
    APP_SETTINGS,
    DEFAULT_TOKENIZER,
    EncodingOption,
    ForceOption,
    HelpOption,
    TokenizerName,
    choice,
    refuse_existing,
    user_errors,
)
from wordvec.config import defaults
from wordvec.contextual.config import PRESETS, BiLMConfig

__all__ = ["app", "embed", "from_allennlp", "similar", "train"]

app = typer.Typer(
    name="elmo",
    help="Contextual word vectors from an ELMo biLM (needs PyTorch: pip install 'wordvec\\[torch]').",
    **APP_SETTINGS,
)

D = defaults(BiLMConfig)
Preset = choice("Preset", PRESETS)
ModelDir = Annotated[Path, typer.Argument(metavar="MODEL", show_default=False,
                                          help="An ELMo directory ('wordvec elmo train' or 'from-allennlp').")]
LayerOption = Annotated[str, typer.Option(
    "--layer", "-l", help="0 = the character layer, 1.. the LSTM layers, -1 the top; 'average' (of all "
                          "layers) or 'all' (every layer).")]
DeviceOption = Annotated[str | None, typer.Option(help="cpu, cuda, cuda:1, ...", show_default="cuda when available")]
#: Options of the command, not of the model.
_COMMAND_OPTIONS = {"corpus", "output", "preset", "validation", "device", "checkpoint", "checkpoint_every",
                    "resume", "encoding", "force", "quiet"}


def _preset_note(name: str) -> str:
    original = PRESETS["original"].get(name)
    return f" ('original' preset: {original})" if original is not None else ""


def _layer(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


@app.command("train")
def train(
    ctx: typer.Context,
    corpus: Annotated[list[Path], typer.Argument(
        metavar="CORPUS", show_default=False,
        help="Text files (.txt, .gz, .bz2, .xz; one sentence per line) or directories of them.")],
    output: Annotated[Path, typer.Option("--output", "-o", show_default=False,
                                         help="Directory to save the model to.")],
    preset: Annotated[Preset, typer.Option(help="Sizes: small (a CPU) or original (ELMo's, a GPU).")
                      ] = Preset("small"),
    tokenizer: Annotated[TokenizerName, typer.Option(
        metavar="NAME", help="regex, whitespace or korean (morphemes: pip install 'wordvec\\[ko]'; "
                             "tokenized once, cached in $WORDVEC_CACHE_DIR).")] = DEFAULT_TOKENIZER,
    encoding: EncodingOption = "utf-8",
    projection_dim: Annotated[int, typer.Option(
        min=1, help=f"Token and LSTM output size per direction{_preset_note('projection_dim')}.")
    ] = D["projection_dim"],
    lstm_dim: Annotated[int, typer.Option(
        min=2, help=f"LSTM memory cells{_preset_note('lstm_dim')}.")] = D["lstm_dim"],
    n_layers: Annotated[int, typer.Option(min=1, help="LSTM layers per direction.")] = D["n_layers"],
    n_highway: Annotated[int, typer.Option(
        min=0, help=f"Highway layers of the character CNN{_preset_note('n_highway')}.")] = D["n_highway"],
    min_count: Annotated[int, typer.Option(
        min=1, help="Words seen fewer times are <UNK> to the softmax (still read).")] = D["min_count"],
    max_vocab_size: Annotated[int | None, typer.Option(
        min=1, help=f"Most words in the softmax{_preset_note('max_vocab_size')}.")] = D["max_vocab_size"],
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the corpus.")] = D["epochs"],
    batch_tokens: Annotated[int, typer.Option(min=1, help="Tokens per batch.")] = D["batch_tokens"],
    learning_rate: Annotated[float, typer.Option(
        min=0.0, help="Adam's rate, decayed linearly to --min-learning-rate.")] = D["learning_rate"],
    min_learning_rate: Annotated[float, typer.Option(min=0.0, help="The final rate.")] = D["min_learning_rate"],
    dropout: Annotated[float, typer.Option(min=0.0, max=0.99, help="Dropout rate.")] = D["dropout"],
    max_sentence_length: Annotated[int, typer.Option(
        "--max-length", min=2, help="Longer sentences are split into pieces.")] = D["max_sentence_length"],
    validation: Annotated[Path | None, typer.Option(
        show_default=False, help="Held-out text for the perplexity report (default: the last "
                                 "--validation-split of CORPUS).")] = None,
    validation_split: Annotated[float, typer.Option(
        min=0.0, max=0.99, help="Share of the sentences held out.")] = D["validation_split"],
    seed: Annotated[int, typer.Option(min=0, help="Random seed; CPU runs are identical.")] = D["seed"],
    device: DeviceOption = None,
    checkpoint: Annotated[Path | None, typer.Option(
        show_default=False, help="Directory to keep a resumable checkpoint in (after every epoch).")] = None,
    checkpoint_every: Annotated[int | None, typer.Option(
        min=1, show_default=False, help="Also checkpoint every N batches.")] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue from the checkpoint in --checkpoint, if there is one.")] = False,
    force: ForceOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    show_help: HelpOption = False,
) -> None:
    """Train an ELMo biLM on CORPUS and save it to --output; print the held-out perplexity."""
    refuse_existing(output, force=force)
    with user_errors():
        settings = {name: (value.value if isinstance(value, Enum) else value)
                    for name, value in ctx.params.items()
                    if name not in _COMMAND_OPTIONS and name in D
                    and getattr(ctx.get_parameter_source(name), "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")}
        settings["tokenizer"] = tokenizer.value
        from wordvec.contextual.config import preset_config

        preset_config(preset.value, **settings)  # bad settings fail before the corpus is read
        corpus_files(corpus)  # a missing path fails now, not after the work before reading it
        if checkpoint_every is not None and checkpoint is None:
            raise ValueError("--checkpoint-every needs --checkpoint DIR")
        if resume and checkpoint is None:
            raise ValueError("--resume needs --checkpoint DIR")
        from wordvec._saving import check_replaceable_directory

        check_replaceable_directory(output, "biLM")  # before training, not after it
        from wordvec.contextual import ELMo

        model = ELMo(preset.value, device=device, progress=False if quiet else None, **settings)
        model.fit(corpus[0] if len(corpus) == 1 else list(corpus), validation=validation,
                  checkpoint=checkpoint, checkpoint_every=checkpoint_every, resume=resume, encoding=encoding)
        output.parent.mkdir(parents=True, exist_ok=True)
        model.save(output)
        typer.echo(f"{model.summary()} Saved to {output}.")


@app.command("embed")
def embed(
    model: ModelDir,
    text: Annotated[Path, typer.Argument(metavar="TEXTFILE", show_default=False,
                                         help="One sentence (or document) per line; .gz etc. read too.")],
    output: Annotated[Path, typer.Option("--output", "-o", show_default=False,
                                         help="The .npy file to write: a row per line of TEXTFILE.")],
    layer: LayerOption = "average",
    batch_size: Annotated[int, typer.Option(min=1, help="Sentences per batch.")] = 64,
    device: DeviceOption = None,
    encoding: EncodingOption = "utf-8",
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Write the mean-pooled vector of every line of TEXTFILE (float32 .npy; an empty line gives zeros)."""
    refuse_existing(output, force=force)
    with user_errors():
        import numpy as np

        from wordvec._files import open_text, text_read_error

        from wordvec._saving import atomic_write
        from wordvec.contextual import ELMo

        elmo = ELMo.load(model, device=device)
        lines: list[str] = []
        try:
            with open_text(text, encoding) as fh:
                lines.extend(line.rstrip("\n") for line in fh)
        except (UnicodeDecodeError, EOFError) as exc:
            raise text_read_error(text, encoding, exc, len(lines)) from None
        out = elmo.embed(lines, layer=_layer(layer), batch_size=batch_size)
        with atomic_write(output) as fh:
            np.save(fh, out.sentences)
        typer.echo(f"{len(lines):,} vectors of shape {out.sentences.shape[1:]} (layer {layer}) written to {output}")


@app.command("similar")
def similar(
    model: ModelDir,
    sentence: Annotated[str, typer.Argument(metavar="SENTENCE", show_default=False,
                                            help="A sentence using WORD, in quotes.")],
    word: Annotated[str, typer.Argument(metavar="WORD", show_default=False, help="The word to look at.")],
    corpus: Annotated[list[Path], typer.Argument(metavar="CORPUS", show_default=False,
                                                 help="Text files to search for uses of WORD.")],
    topn: Annotated[int, typer.Option("--topn", "-n", min=1, help="How many uses to show.")] = 10,
    layer: LayerOption = "-1",
    max_sentences: Annotated[int, typer.Option(
        min=1, help="Compare the first N sentences holding WORD.")] = 10_000,
    device: DeviceOption = None,
    encoding: EncodingOption = "utf-8",
    show_help: HelpOption = False,
) -> None:
    """Show the uses of WORD in CORPUS closest to its use in SENTENCE ("bank" of a river or of money)."""
    with user_errors():
        from wordvec.contextual import ELMo, nearest_occurrences

        elmo = ELMo.load(model, device=device)
        found = nearest_occurrences(elmo, sentence, word, corpus[0] if len(corpus) == 1 else list(corpus),
                                    topn=topn, layer=_layer(layer), max_sentences=max_sentences, encoding=encoding)
        typer.echo(f"Uses of {word!r} closest to {sentence!r} (cosine similarity, sentence number in CORPUS):")
        for o in found:
            marked = " ".join(f"[{t}]" if i == o.position else t for i, t in enumerate(o.tokens))
            typer.echo(f"  {o.score:7.4f}  {o.index + 1:>7}  {marked}")


@app.command("from-allennlp")
def from_allennlp(
    options: Annotated[Path, typer.Argument(metavar="OPTIONS.json", show_default=False,
                                            help="AllenNLP's ELMo options file.")],
    weights: Annotated[Path, typer.Argument(metavar="WEIGHTS.hdf5", show_default=False,
                                            help="AllenNLP's ELMo weight file (needs h5py).")],
    output: Annotated[Path, typer.Option("--output", "-o", show_default=False,
                                         help="Directory to save the model to.")],
    tokenizer: Annotated[TokenizerName, typer.Option(
        metavar="NAME", help="How 'embed' and 'similar' split text: regex, whitespace or korean (the published "
                             "models are cased: whitespace keeps case).")
    ] = TokenizerName("whitespace"),
    force: ForceOption = False,
    show_help: HelpOption = False,
) -> None:
    """Convert AllenNLP's published ELMo files into a model directory the other commands read."""
    refuse_existing(output, force=force)
    with user_errors():
        from wordvec.contextual import ELMo

        elmo = ELMo.from_allennlp(options, weights, tokenizer=tokenizer.value, device="cpu")
        output.parent.mkdir(parents=True, exist_ok=True)
        elmo.save(output)
        typer.echo(f"{elmo.summary()} Saved to {output}.")
