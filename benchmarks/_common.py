"""Shared helpers for the benchmark scripts: the benchmark corpus, child processes, peak RSS."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("WORDVEC_SHARED_DATA", ROOT.parent / "shared" / "data"))
EN = SHARED / "corpora" / "en"


def benchmark_corpus(cache_dir: Path) -> Path:
    """running.txt.gz followed by dictionary.txt.gz as one plain-text file (../shared/BENCHMARKS.md)."""
    out = cache_dir / "en_benchmark.txt"
    if out.exists():
        return out
    parts = [EN / "running.txt.gz", EN / "dictionary.txt.gz"]
    for p in parts:
        if not p.exists():
            sys.exit(f"benchmark corpus not found: {p} (set WORDVEC_SHARED_DATA to the shared data folder)")
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as dst:
        for p in parts:
            with gzip.open(p, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, out)
    return out


def run_child(args: list[str]) -> tuple[dict, int]:
    """Run ``python args...``; returns (the JSON it printed last, its peak RSS in bytes)."""
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed ({proc.returncode}): {' '.join(args)}")
    result = json.loads(out.strip().splitlines()[-1])
    return result, usage.ru_maxrss * 1024


def workdir() -> Path:
    d = HERE / "out"
    d.mkdir(exist_ok=True)
    return d


def tmpdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=workdir()))
