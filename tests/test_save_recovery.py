"""Saves killed at every step: the path then loads as the old or the new model, and the next save
or load leaves no temporary behind (wordvec._files: the save protocol and recover_interrupted_save).

A real ``wordvec.save`` runs in a subprocess that the test hook (``WORDVEC_TEST_PAUSE_AT``) stops
at a named point; the test kills it there with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import wordvec
from wordvec import _saving as _files
from wordvec._saving import atomic_directory, atomic_write, recover_interrupted_save
from wordvec.vectors.keyed import KeyedVectors

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kills a process with SIGKILL; owners are checked on POSIX")

SAVER = """
import sys
import numpy as np
import wordvec
from wordvec.vectors.keyed import KeyedVectors

path, version, fmt = sys.argv[1], float(sys.argv[2]), sys.argv[3]
wordvec.save(KeyedVectors([f"w{i}" for i in range(50)], np.full((50, 8), version, np.float32)), path, format=fmt)
"""


def kv(version: float) -> KeyedVectors:
    return KeyedVectors([f"w{i}" for i in range(50)], np.full((50, 8), version, np.float32))


def version_at(path: Path, fmt: str = "native") -> float:
    """The version a load of ``path`` sees (a loader calls recover_interrupted_save first)."""
    recover_interrupted_save(path)
    values = np.unique(np.asarray(wordvec.io.load(path, format=fmt).vectors))
    assert len(values) == 1, values  # never half of one and half of the other
    return float(values[0])


def start_save(tmp_path: Path, path: Path, version: float, point: str, fmt: str = "native") -> subprocess.Popen:
    """A subprocess saving ``version`` at ``path``, stopped at ``point`` when this returns."""
    sentinel = tmp_path / f"paused-{point}-{version}"
    env = {**os.environ, "WORDVEC_TEST_PAUSE_AT": point, "WORDVEC_TEST_PAUSE_FILE": str(sentinel)}
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(version), fmt], env=env,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not sentinel.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the save ended before {point}: {proc.stderr.read().decode()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"the save never reached {point}")
        time.sleep(0.02)
    return proc


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()  # reaped: a zombie's pid still answers os.kill(pid, 0)
    proc.stderr.close()


def hidden(parent: Path) -> list[str]:
    return sorted(name for name in os.listdir(parent) if name.startswith("."))


@pytest.fixture
def models(tmp_path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


# (point, what a load sees afterwards): before the first rename the old model stays; once the
# old one is moved aside the save is finished (rolled forward).
EXPECTED = {"dir-written": 1.0, "dir-complete": 1.0, "between-renames": 2.0, "swapped": 2.0}


@pytest.mark.parametrize("point, then", [("dir-written", "save"), ("dir-complete", "load"), ("between-renames", "load"),
                                         ("between-renames", "save"), ("swapped", "load")])
def test_killed_directory_save(tmp_path, models, point, then):
    path = models / "model"
    wordvec.save(kv(1.0), path)
    kill(start_save(tmp_path, path, 2.0, point))
    assert hidden(models)  # the killed save left something: the bug was that it stayed forever
    if point == "between-renames":
        assert not path.exists()  # both copies hidden: what the next save or load must undo
    if then == "load":
        assert version_at(path) == EXPECTED[point]
    else:  # the next save finishes or undoes the killed one, then replaces it
        wordvec.save(kv(3.0), path)
        assert version_at(path) == 3.0
    assert os.listdir(models) == ["model"]


def test_killed_first_save_is_rolled_forward(tmp_path, models):
    path = models / "model"  # nothing at path yet: the complete copy is the only one
    kill(start_save(tmp_path, path, 2.0, "dir-complete"))
    assert not path.exists() and version_at(path) == 2.0 and os.listdir(models) == ["model"]


def test_killed_file_save(tmp_path, models):
    path = models / "vectors.txt"
    wordvec.save(kv(1.0), path, format="word2vec-text")
    kill(start_save(tmp_path, path, 2.0, "file-written", "word2vec-text"))
    assert len(hidden(models)) == 1 and wordvec.io.load(path).vectors[0, 0] == 1.0
    wordvec.save(kv(3.0), path, format="word2vec-text")
    assert os.listdir(models) == ["vectors.txt"] and version_at(path, "word2vec-text") == 3.0


def test_a_live_save_is_never_touched(tmp_path, models):
    path = models / "model"
    wordvec.save(kv(1.0), path)
    proc = start_save(tmp_path, path, 2.0, "dir-complete")  # alive, holding a complete copy
    try:
        live = hidden(models)
        assert recover_interrupted_save(path) is None and hidden(models) == live
        wordvec.save(kv(3.0), path)  # a concurrent save neither deletes nor rolls in the live one's copy
        assert hidden(models) == live and version_at(path) == 3.0
    finally:
        kill(proc)
    assert recover_interrupted_save(path) is None  # its writer is gone now: deleted, not rolled in
    assert os.listdir(models) == ["model"] and version_at(path) == 3.0


def test_a_load_waits_while_a_live_save_is_between_its_renames(tmp_path, models):
    path = models / "model"
    wordvec.save(kv(1.0), path)
    proc = start_save(tmp_path, path, 2.0, "between-renames")  # holds the lock, path missing
    seen = []
    reader = threading.Thread(target=lambda: seen.append(version_at(path)))
    try:
        reader.start()
        reader.join(0.5)
        assert reader.is_alive() and not path.exists()  # waiting for the save, not rolling it back
    finally:
        kill(proc)
    reader.join(10)
    assert seen == [2.0] and os.listdir(models) == ["model"]


# ------------------------------------------------------------ recovery, on states made by hand
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()
    return proc.pid


def model_dir(path: Path, version: int) -> Path:
    path.mkdir()
    (path / "config.json").write_text('{"format_version": 1, "v": %d}' % version)
    return path


def version_of(path: Path) -> int:
    return int((path / "config.json").read_text().split('"v": ')[1].rstrip("}"))


def test_recovery_rolls_forward_back_and_cleans(models):
    tag = f"{_files._host_id()}.{dead_pid()}.0badc0de"
    path = models / "m"
    model_dir(models / f".m.{tag}.old", 1)
    model_dir(models / f".m.{tag}.new", 2)
    assert recover_interrupted_save(path) == "rolled forward"
    assert version_of(path) == 2 and os.listdir(models) == ["m"]

    os.rename(path, models / f".m.{tag}.old")  # killed with only the old copy aside: rolled back
    model_dir(models / f".m.{tag}.tmp", 3)  # incomplete: never rolled in
    assert recover_interrupted_save(path) == "rolled back"
    assert version_of(path) == 2 and os.listdir(models) == ["m"]

    for state in ("tmp", "new", "old", "del"):  # path present: a dead writer's names all go
        model_dir(models / f".m.{tag}.{state}", 9)
    (models / f".m.{tag}.tmp.txt").write_text("not ours")
    (models / ".m.txt.swp").write_text("not ours")
    assert recover_interrupted_save(path) is None
    assert sorted(os.listdir(models)) == sorted([".m.txt.swp", f".m.{tag}.tmp.txt", "m"]) and version_of(path) == 2


def test_recovery_leaves_live_and_foreign_writers_alone(models):
    path = model_dir(models / "m", 1)
    mine = f"{_files._host_id()}.{os.getpid()}.00000001"  # this process: alive
    other_host = f"{'0' * 8 if _files._host_id() != '0' * 8 else '1' * 8}.{dead_pid()}.00000002"
    names = [f".m.{mine}.tmp", f".m.{mine}.new", f".m.{other_host}.new", f".m.{other_host}.old"]
    for name in names:
        model_dir(models / name, 2)
    assert recover_interrupted_save(path) is None and sorted(os.listdir(models)) == sorted(names + ["m"])
    os.rename(path, models / "elsewhere")  # path missing: still no other host's copy is rolled in
    assert recover_interrupted_save(path) is None and not path.exists()


def test_recovery_of_names_left_by_wordvec_0_1(models):
    path = models / "m"
    model_dir(models / ".m.0123456789ab.old", 1)  # killed between the renames, no owner recorded
    model_dir(models / ".m.k3_x9abc.tmp", 2)  # may be a save running now
    assert recover_interrupted_save(path) == "rolled back" and version_of(path) == 1
    assert sorted(os.listdir(models)) == [".m.k3_x9abc.tmp", "m"]
    day_ago = time.time() - 2 * 24 * 3600
    for p in (models / ".m.k3_x9abc.tmp", models / ".m.k3_x9abc.tmp" / "config.json"):
        os.utime(p, (day_ago, day_ago))
    assert recover_interrupted_save(path) is None and os.listdir(models) == ["m"]


def test_saves_remove_dead_temporaries(models):
    tag = f"{_files._host_id()}.{dead_pid()}.12345678"
    (models / f".f.txt.{tag}.tmp").write_bytes(b"half")
    with atomic_write(models / "f.txt") as fh:
        fh.write(b"new")
    assert os.listdir(models) == ["f.txt"]
    model_dir(models / f".d.{tag}.tmp", 1)
    with atomic_directory(models / "d") as tmp:
        (tmp / "config.json").write_text('{"format_version": 1, "v": 5}')
    assert sorted(os.listdir(models)) == ["d", "f.txt"] and version_of(models / "d") == 5


def test_recovery_of_a_missing_or_plain_path_is_a_no_op(tmp_path):
    assert recover_interrupted_save(tmp_path / "nowhere" / "m") is None
    assert recover_interrupted_save("-") is None
    assert recover_interrupted_save(tmp_path / "m") is None
