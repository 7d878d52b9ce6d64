"""No command replaces an existing output unless given ``--force`` (or its alias ``--overwrite``).

The refusal is one line naming the output and ``--force``, comes before any work (so the extras a
command needs are not even imported: the refusals are checked here without torch or matplotlib),
and leaves the output as it was. An empty directory holds nothing to lose and is written into.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from clitools import invoke, plain

WORDS = ["the", "king", "queen", "man", "woman", "prince", "princess", "royal", "palace", "crown", "throne"]
TINY = ["--min-count", "1", "--epochs", "1", "--vector-size", "4", "--workers", "1", "--quiet"]


def assert_refused(result, output: Path) -> None:
    assert result.exit_code == 1, result.output
    err = plain(result.stderr).strip()
    assert err == f"error: {output} already exists; pass --force to overwrite it", err


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    rng = random.Random(0)
    path = tmp_path_factory.mktemp("corpus") / "c.txt"
    path.write_text("\n".join(" ".join(rng.choice(WORDS) for _ in range(10)) for _ in range(200)) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def model(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "v"
    result = invoke("train", corpus, "-o", out, *TINY)
    assert result.exit_code == 0, result.output
    return out


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {"": path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("flag", ["--force", "--overwrite"])
def test_train_refuses_an_existing_model_unless_forced(corpus, tmp_path, flag):
    out = tmp_path / "vectors"
    assert invoke("train", corpus, "-o", out, *TINY).exit_code == 0
    before = _snapshot(out)
    assert_refused(invoke("train", corpus, "-o", out, *TINY, "--seed", "7"), out)
    assert _snapshot(out) == before  # untouched
    result = invoke("train", corpus, "-o", out, *TINY, "--seed", "7", flag)
    assert result.exit_code == 0, result.output
    assert _snapshot(out) != before  # replaced by the new run


def test_train_refuses_an_existing_file_output(corpus, tmp_path):
    out = tmp_path / "v.txt"
    out.write_text("precious\n")
    assert_refused(invoke("train", corpus, "-o", out, "--format", "word2vec-text", *TINY), out)
    assert out.read_text() == "precious\n"
    assert invoke("train", corpus, "-o", out, "--format", "word2vec-text", *TINY, "--force").exit_code == 0
    assert out.read_text().split()[:2] == [str(len(WORDS)), "4"]


def test_an_empty_directory_is_not_refused(corpus, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    result = invoke("train", corpus, "-o", out, *TINY)
    assert result.exit_code == 0, result.output
    assert (out / "vectors.npy").is_file()


def test_force_does_not_replace_unrelated_data(corpus, tmp_path):
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"\xff\xd8")
    result = invoke("train", corpus, "-o", out, *TINY, "--force")
    assert result.exit_code == 1 and "holiday.jpg" not in result.stdout
    assert (out / "holiday.jpg").read_bytes() == b"\xff\xd8"


def test_cooccur_and_convert(corpus, model, tmp_path):
    matrix = tmp_path / "m.npz"
    assert invoke("cooccur", corpus, "-o", matrix, "--min-count", "1", "--quiet").exit_code == 0
    before = matrix.read_bytes()
    assert_refused(invoke("cooccur", corpus, "-o", matrix, "--window", "2", "--quiet"), matrix)
    assert matrix.read_bytes() == before
    assert invoke("cooccur", corpus, "-o", matrix, "--window", "2", "--quiet", "--force").exit_code == 0
    assert matrix.read_bytes() != before

    out = tmp_path / "v.txt"
    assert invoke("convert", model, out, "--to", "word2vec-text").exit_code == 0
    assert_refused(invoke("convert", model, out, "--to", "glove"), out)
    assert out.read_text().split()[:2] == [str(len(WORDS)), "4"]  # still the word2vec header
    assert invoke("convert", model, out, "--to", "glove", "--overwrite").exit_code == 0
    assert out.read_text().split()[0] in WORDS  # GloVe: no header


def test_export_projector_refuses_its_own_files_only(model, tmp_path):
    outdir = tmp_path / "projector"
    outdir.mkdir()
    (outdir / "notes.txt").write_text("mine")
    assert invoke("export-projector", model, outdir).exit_code == 0  # other files are no obstacle
    before = _snapshot(outdir)
    assert_refused(invoke("export-projector", model, outdir, "--limit", "3"), outdir / "vecs.tsv")
    assert _snapshot(outdir) == before
    assert invoke("export-projector", model, outdir, "--limit", "3", "--force").exit_code == 0
    assert len((outdir / "vecs.tsv").read_text().splitlines()) == 3
    assert (outdir / "notes.txt").read_text() == "mine"


def _existing(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if "." in name:
        path.write_bytes(b"old")
    else:
        path.mkdir()
        (path / "config.json").write_text('{"format_version": 1}')
    return path


# Each command that writes, with an output that exists: refused before any work (the data, model and
# corpus arguments need not even exist, and no extra is imported).
REFUSALS = [
    (["plot", "{model}", "--top", "5", "-o", "{out}"], "p.png"),
    (["plot", "{model}", "--top", "5", "--html", "{out}"], "p.html"),
    (["strip", "{model}", "king", "-o", "{out}"], "s.png"),
    (["classify", "train", "missing.tsv", "-o", "{out}"], "clf"),
    (["classify", "train", "missing.tsv", "-o", "{new}", "--plot", "{out}"], "history.png"),
    (["classify", "train", "missing.tsv", "-o", "{new}", "--save-vectors", "{out}"], "learned"),
    (["elmo", "train", "missing.txt", "-o", "{out}"], "elmo"),
    (["elmo", "embed", "no-model", "missing.txt", "-o", "{out}"], "v.npy"),
    (["elmo", "from-allennlp", "options.json", "weights.hdf5", "-o", "{out}"], "converted"),
    (["cooccur", "missing.txt", "-o", "{out}"], "m.npz"),
]


@pytest.mark.parametrize("args, name", REFUSALS, ids=[" ".join(a[:2]) + f" {n}" for a, n in REFUSALS])
def test_every_writing_command_refuses_an_existing_output(model, tmp_path, args, name):
    out = _existing(tmp_path, name)
    before = _snapshot(out)
    values = {"model": model, "out": out, "new": tmp_path / "new"}
    result = invoke(*[a.format(**values) for a in args])
    assert_refused(result, out)
    assert _snapshot(out) == before and not (tmp_path / "new").exists()


@pytest.mark.parametrize("command", [["train"], ["cooccur"], ["convert"], ["plot"], ["strip"], ["export-projector"],
                                     ["classify", "train"], ["elmo", "train"], ["elmo", "embed"],
                                     ["elmo", "from-allennlp"]])
def test_help_lists_force_and_overwrite(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    text = plain(result.stdout)
    assert "--force" in text and "--overwrite" in text
