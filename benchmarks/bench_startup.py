"""Start-up on a small corpus (issue 14, item 6): ``wordvec train`` against gensim, whole processes.

    python benchmarks/bench_startup.py [--lines 150000] [--repeats 3] [--architectures skipgram cbow]

The first ``--lines`` lines (150,000: about 4M tokens, under ``SPILL_TOKENS``, so the small-corpus
path runs) of the English benchmark corpus (running.txt + dictionary.txt). For each architecture,
two commands timed as whole processes, wall clock, from ``python`` starting to the vectors saved:

- wordvec: ``python -m wordvec train SLICE -o OUT --tokenizer whitespace --architecture A
  --workers 2 --quiet --force`` (its defaults otherwise: 100 dimensions, window 5, negative 5,
  min_count 5, 5 epochs; the native format);
- gensim 4.4: a ``python -c`` script that imports gensim, trains ``Word2Vec(corpus_file=SLICE,
  sg=..., workers=2, alpha=wordvec's default for the architecture)`` with the same settings and
  saves its KeyedVectors (``wv.save``, its native format).

Both pay their imports, the vocabulary scan, the training and the save; wordvec's numba kernels
come from its on-disk cache (a warm-up run of each command fills it and is not counted). The
commands alternate (wordvec, gensim, wordvec, ...) ``--repeats`` times; the medians and their
ratio (gensim seconds / wordvec seconds: the issue's bar is >= 1.3) are printed and saved as
benchmarks/out/startup.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EN, workdir  # noqa: E402
from bench_dask_corpus import head  # noqa: E402

GENSIM = """
import sys
from gensim.models import Word2Vec
corpus, out, sg, alpha = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
model = Word2Vec(corpus_file=corpus, vector_size=100, window=5, negative=5, sample=1e-3, min_count=5,
                 epochs=5, sg=sg, alpha=alpha, min_alpha=0.0001, workers=2, seed=1)
model.wv.save(out)
"""


def commands(arch: str, corpus: Path, out: Path) -> dict[str, list[str]]:
    from wordvec.config import Word2VecConfig

    alpha = Word2VecConfig(architecture=arch).alpha
    return {
        "wordvec": [sys.executable, "-m", "wordvec", "train", str(corpus), "-o", str(out / "wordvec"),
                    "--tokenizer", "whitespace", "--architecture", arch, "--workers", "2", "--quiet", "--force"],
        "gensim": [sys.executable, "-c", GENSIM, str(corpus), str(out / "gensim.kv"),
                   "1" if arch == "skipgram" else "0", str(alpha)],
    }


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=150_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--architectures", nargs="+", choices=["skipgram", "cbow"], default=["skipgram", "cbow"])
    args = ap.parse_args()
    out_dir = workdir()
    corpus = head([EN / "running.txt.gz", EN / "dictionary.txt.gz"], args.lines, out_dir / f"en_head_{args.lines}.txt")
    scratch = out_dir / "startup"
    scratch.mkdir(exist_ok=True)
    rows = []
    for arch in args.architectures:
        cmds = commands(arch, corpus, scratch)
        for cmd in cmds.values():  # warm-up: numba's cache, the page cache
            timed(cmd)
        seconds: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(args.repeats):
            for name, cmd in cmds.items():
                seconds[name].append(timed(cmd))
        med = {name: statistics.median(s) for name, s in seconds.items()}
        row = {"architecture": arch, "lines": args.lines, "seconds": seconds, "median": med,
               "ratio": med["gensim"] / med["wordvec"]}
        rows.append(row)
        print(f"{arch}: wordvec {med['wordvec']:.2f} s, gensim {med['gensim']:.2f} s "
              f"(runs {seconds}); gensim / wordvec = {row['ratio']:.2f}x", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    (out_dir / "startup.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
