"""The long fuzz of every vector-file loader: the suite's bounded run (tests/io/test_fuzz_loaders.py)
for as many minutes as asked, with fresh random mutations.

    python benchmarks/fuzz_loaders.py --minutes 10 [--seed 0]

Prints, per loader, the inputs tried, how many loaded, how many raised FormatError and how many
raised anything else (which must be 0), then the tracebacks of the first few other exceptions,
each with the seed that reproduces it (``--replay TARGET:SEED``). Exits 1 if any input raised
something other than FormatError. The loaders, the valid files and the mutations are the test
module's, so the two runs fuzz the same thing.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEST_MODULE = HERE.parent / "tests" / "io" / "test_fuzz_loaders.py"


def _harness():
    spec = importlib.util.spec_from_file_location("_fuzz_harness", TEST_MODULE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _case(h, target: str, seed: int):
    """The input for (target, seed): variant, mutations, options and file-name choice."""
    rng = random.Random(f"{target}:{seed}")
    return rng.randrange(h.N_VARIANTS), h.random_ops(rng), h.random_options(rng), rng.randrange(60)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="first case seed (default 0)")
    parser.add_argument("--show", type=int, default=3, help="tracebacks to print per loader (default 3)")
    parser.add_argument("--replay", metavar="TARGET:SEED", help="run one case and show what it raises")
    args = parser.parse_args(argv)
    h = _harness()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "case"
        if args.replay:
            target, seed = args.replay.rsplit(":", 1)
            variant, ops, options, name_choice = _case(h, target, int(seed))
            print(f"variant={variant} options={options} name_choice={name_choice}\nops={ops!r}")
            print(h.run_one(target, variant, ops, options, root, name_choice))
            return 0

        stats = {t: {"tried": 0, "ok": 0, "format": 0, "other": 0} for t in h.TARGET_NAMES}
        failures: dict[str, list[str]] = {t: [] for t in h.TARGET_NAMES}
        for target in h.TARGET_NAMES:  # build the valid files before the clock starts
            h.run_one(target, 0, [], {"limit": None, "allow_nonfinite": False, "mmap": True}, root)
        deadline = time.monotonic() + 60 * args.minutes
        seed = args.seed
        while time.monotonic() < deadline:
            for target in h.TARGET_NAMES:
                variant, ops, options, name_choice = _case(h, target, seed)
                row = stats[target]
                row["tried"] += 1
                try:
                    row[h.run_one(target, variant, ops, options, root, name_choice)] += 1
                except Exception:  # noqa: BLE001 - the point: count and show whatever else escapes
                    row["other"] += 1
                    if len(failures[target]) < args.show:
                        failures[target].append(f"--replay {target}:{seed}\n{traceback.format_exc()}")
            seed += 1

    width = max(map(len, h.TARGET_NAMES))
    print(f"{'loader':<{width}}  {'tried':>8}  {'loaded':>8}  {'FormatError':>11}  {'other':>6}")
    for target, row in stats.items():
        print(f"{target:<{width}}  {row['tried']:>8,}  {row['ok']:>8,}  {row['format']:>11,}  {row['other']:>6,}")
    total = {k: sum(row[k] for row in stats.values()) for k in ("tried", "ok", "format", "other")}
    print(f"{'total':<{width}}  {total['tried']:>8,}  {total['ok']:>8,}  {total['format']:>11,}  {total['other']:>6,}")
    print(f"(seeds {args.seed}..{seed - 1}, {args.minutes:g} minutes)")
    for target, shown in failures.items():
        for text in shown:
            print(f"\n=== {target} {text}")
    return 1 if total["other"] else 0


if __name__ == "__main__":
    sys.exit(main())
