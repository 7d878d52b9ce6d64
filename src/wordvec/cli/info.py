"""``wordvec info``: what a vectors file or directory holds."""

import json
import os

import typer

from wordvec.cli._common import HelpOption, VectorsArgument, user_errors

__all__ = ["TOP_WORDS", "info"]

#: How many of the most frequent words ``info`` lists.
TOP_WORDS = 10


def info(
    model: VectorsArgument,
    show_help: HelpOption = False,
) -> None:
    """Show MODEL's format, size, most frequent words and (native models) saved settings."""
    with user_errors():
        import numpy as np

        from wordvec.io import detect_format, load, read_native_config

        fmt = detect_format(model)
        kv = load(os.fspath(model), format=fmt)
        lines = [
            f"path:        {model}",
            f"format:      {fmt}",
            f"words:       {len(kv):,}",
            f"dimensions:  {kv.vector_size}",
        ]
        subwords = _subwords(kv)
        if subwords:
            lines.append(f"subwords:    {subwords}")
        if kv.counts is not None:
            counts = np.asarray(kv.counts)
            lines.append(f"counts:      yes ({int(counts.sum()):,} occurrences in all)")
            order = np.argsort(-counts, kind="stable")[:TOP_WORDS]
            top = ", ".join(f"{kv.index_to_key[i]} ({int(counts[i]):,})" for i in order)
            lines.append(f"most frequent: {top or '(none)'}")
        else:
            lines.append("counts:      no (the format stores none)")
            top = ", ".join(kv.index_to_key[:TOP_WORDS])
            lines.append(f"first words: {top or '(none)'} (file order; trained models list the most "
                         f"frequent first)")
        if fmt == "native":
            extra = read_native_config(model).get("extra", {})
            config = extra.get("config") if isinstance(extra, dict) else None
            if isinstance(config, dict):
                lines.append("saved config:")
                width = max(len(k) for k in config) if config else 0
                lines.extend(f"  {k:<{width}}  {_show(v)}" for k, v in config.items())
            corpus = extra.get("corpus") if isinstance(extra, dict) else None
            if isinstance(corpus, dict):
                lines.append("corpus:      " + ", ".join(f"{k}={_show(v)}" for k, v in corpus.items()))
            tok = extra.get("tokenizer") if isinstance(extra, dict) else None
            if isinstance(tok, dict):
                opts = ", ".join(f"{k}={_show(v)}" for k, v in tok.items() if k != "name")
                lines.append(f"tokenizer:   {tok.get('name', '?')}" + (f" ({opts})" if opts else ""))
            history = extra.get("loss_history") if isinstance(extra, dict) else None
            if isinstance(history, list) and history:
                lines.append("loss per epoch: " + ", ".join(f"{x:,.1f}" if isinstance(x, (int, float))
                                                          else str(x) for x in history))
        typer.echo("\n".join(lines))


def _subwords(kv) -> str:
    """How a FastText model builds words from n-grams ("" for plain word vectors)."""
    from wordvec.vectors.subword import SubwordVectors

    if not isinstance(kv, SubwordVectors):
        return ""
    if kv.max_n <= 0:
        return "none (max_n=0)"
    if kv.jamo:
        return (f"jamo n-grams {kv.min_n}-{kv.max_n} in {kv.bucket:,} buckets "
                f"(Hangul syllables split into jamo first)")
    return f"character n-grams {kv.min_n}-{kv.max_n} in {kv.bucket:,} buckets"


def _show(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, (str, int, float, bool)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
