"""Which biLM settings learn most per second on 2 CPU cores: short ELMo runs side by side.

Each setting (``KEY=VALUE ...``, as ``ELMo(**settings)`` takes them; several separated by ``/``)
trains one epoch (unless it sets ``epochs``) on the same first ``--tokens`` tokens of the English
benchmark corpus, seed 0, 2 threads; the table gives the training perplexity (the epoch's mean),
the held-out perplexity per direction (the model's own 1 % validation split) and tokens/s.

    python benchmarks/bench_elmo_settings.py --tokens 300000 \\
        projection_dim=128 lstm_dim=512 / projection_dim=256 lstm_dim=256 batch_tokens=2048

The runs are short: they rank settings by how fast they learn, not by where they end up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import workdir
from bench_elmo import parse_settings, write_prefix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=300_000, help="training tokens (default 300,000)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("settings", nargs="*", help="KEY=VALUE ... [/ KEY=VALUE ...]")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    groups, current = [], []
    for item in args.settings:
        if item == "/":
            groups.append(current)
            current = []
        else:
            current.append(item)
    groups.append(current)

    from wordvec.contextual import ELMo

    text = workdir() / "elmo_settings" / f"prefix_{args.tokens}.txt"
    text.parent.mkdir(parents=True, exist_ok=True)
    if not text.exists():
        write_prefix(args.tokens, text, "regex")
    print("| settings | train ppl | held-out ppl fwd / bwd | tokens/s |\n|---|---:|---:|---:|")
    for group in groups:
        settings = {"epochs": 1, "seed": 0, **parse_settings(group)}
        elmo = ELMo(progress=False, **settings).fit(str(text))
        row = elmo.history_[-1]
        shown = " ".join(group) or "(defaults)"
        print(f"| {shown} | {row['train_perplexity']:.1f} | {row['forward_perplexity']:.1f} / "
              f"{row['backward_perplexity']:.1f} | {elmo.training_stats_['tokens_per_second']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
