"""The README's set-up commands and examples are true: they run here as written."""

from __future__ import annotations

import gzip
import re
import shlex
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wordvec.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_after(marker: str) -> str:
    block = README.split(f"<!-- {marker} -->", 1)[1]
    return re.search(r"```\n(.*?)\n```", block, re.S).group(1).strip()


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_command():
    assert _command_after("demo-command") == "pip install . && wordvec demo"
    test_cmd = _command_after("test-command")
    assert "pytest" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci  # .ci/run reads the command from the README
    out = subprocess.run(["awk", r"/<!-- test-command -->/{getline; while ($0 ~ /^```/) getline; print; exit}",
                          str(ROOT / "README.md")], capture_output=True, text=True, check=True).stdout.strip()
    assert out == test_cmd


@pytest.mark.slow
def test_demo_command_prints_neighbours_and_an_analogy(demo_model):
    # the session fixture ran wordvec.demo.run_demo, which is what `wordvec demo` calls
    out = demo_model.demo_output
    assert "Training skip-gram" in out
    assert re.search(r"^\s+king: \w+ \(0\.\d\d\)", out, re.M), out
    assert "man is to king as woman is to:" in out


@pytest.mark.slow
def test_demo_cli_runs(demo_model, monkeypatch):
    import wordvec.cli.demo

    calls = {}

    def fake_run_demo(**kwargs):
        calls.update(kwargs)
        kwargs["echo"](demo_model.demo_output)
        return demo_model

    monkeypatch.setattr(wordvec.cli.demo, "run_demo", fake_run_demo)
    result = CliRunner().invoke(app, ["demo", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "man is to king as woman is to" in result.output and calls["progress"] is False


@pytest.mark.slow
def test_cli_tour_runs_as_written(tmp_path, monkeypatch):
    from wordvec.demo import demo_corpus_path
    import lzma

    monkeypatch.chdir(tmp_path)
    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as src, \
            gzip.open("corpus.txt.gz", "wt", encoding="utf-8") as dst:
        dst.writelines(islice(src, 40_000))
    tours = [b for b in _blocks("") if b.startswith("wordvec train") and "--scheduler" not in b]  # cluster: below
    assert len(tours) == 2
    runner = CliRunner()
    for line in "\n".join(tours).strip().splitlines():
        args = shlex.split(line.split("#")[0])
        if not args:
            continue
        assert args[0] == "wordvec"
        if args[1] == "serve":  # serves until stopped: tests/web covers it
            continue
        if args[1] == "train":
            args += ["--epochs", "1", "--quiet"]
        result = runner.invoke(app, args[1:])
        assert result.exit_code == 0, (line, result.output)
    assert Path("vectors.bin").is_file() and Path("vectors", "vectors.npy").is_file()
    for made in ["ft/ngrams.npy", "cooc.npz", "glove/vectors.npy", "lsa/vectors.npy", "plot.png", "strip.png",
                 "projector/vecs.tsv"]:
        assert Path(made).exists(), made


@pytest.mark.slow
def test_python_example_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (code,) = [b for b in _blocks("python") if "demo_corpus_path" in b]
    code = code.replace("epochs=5", "epochs=2")  # same code, fewer passes: this is a test of the API
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["wv"].vector_size == 100
    assert Path("vectors", "config.json").is_file() and Path("vectors.bin").is_file()


def test_extras_are_quoted_and_a_cpu_only_install_comes_first():
    # zsh reads unquoted brackets as a pattern: every extra is installed in single quotes
    installs = re.findall(r"pip install [^`\n]*wordvec\[[^`\n]*", README)
    assert len(installs) >= 5, installs
    assert all(re.search(r"'wordvec\[[a-z,]+\]'", line) for line in installs), installs
    cpu = _command_after("cpu-torch").splitlines()
    assert cpu == ["pip install torch --index-url https://download.pytorch.org/whl/cpu", "pip install 'wordvec[all]'"]


def _small_corpus(path: Path, lines: int = 20_000) -> None:
    import lzma

    from wordvec.demo import demo_corpus_path

    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as src, gzip.open(path, "wt", encoding="utf-8") as dst:
        dst.writelines(islice(src, lines))


@pytest.mark.slow
def test_callbacks_example_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _small_corpus(tmp_path / "corpus.txt.gz")
    (code,) = [b for b in _blocks("python") if "EarlyStopping" in b]
    assert "epochs=10" in code and "progress=False" in code
    code = code.replace("epochs=10", "epochs=3")  # same code, fewer passes
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    history = namespace["losses"].history
    out = capsys.readouterr()
    assert 1 <= len(history) <= 3 and "epoch 1:" in out.out
    assert out.err == ""  # progress=False: no bar
    assert Path("checkpoint", "vectors.npy").is_file() or len(history) < 2


def test_torch_bridge_example_runs_as_written(tmp_path, monkeypatch):
    torch = pytest.importorskip("torch", reason="the PyTorch example needs the [torch] extra")
    from wordvec import FastText, Word2Vec

    monkeypatch.chdir(tmp_path)
    sentences = [["the", "king", "rules", "the", "kingdom"], ["a", "queen", "rules", "the", "land"]] * 20
    Word2Vec(vector_size=100, min_count=1, epochs=1, progress=False).fit(sentences).save("vectors")
    FastText(vector_size=100, min_count=1, epochs=1, bucket=2000, progress=False).fit(sentences).save("ft")
    block = README.split("<!-- torch-bridge -->", 1)[1]
    code = re.search(r"```python\n(.*?)```", block, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["vocab"].index_to_key[:3] == ["<unk>", "<pad>", "the"]  # as the comment says
    assert tuple(namespace["vectors"].shape) == (2, 3, 100)
    assert namespace["embedding"].padding_idx == 1 and not namespace["embedding"].weight[1].any()
    assert namespace["wv_again"].index_to_key == namespace["wv"].index_to_key
    ft = namespace["ft"]
    assert torch.allclose(namespace["unseen"][1], torch.from_numpy(ft["kingliness"]), atol=1e-5)


def test_python_m_wordvec_help():
    out = subprocess.run([sys.executable, "-m", "wordvec", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "train" in out.stdout


def _korean_sample(shared: Path, path: Path) -> None:
    """The first 3,000 NSMC reviews plus 300 with each word the README asks about."""
    lines, extra = [], {"최민식": [], "히어로": []}
    with gzip.open(shared / "corpora" / "ko" / "nsmc_reviews.txt.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < 3000:
                lines.append(line)
            for word, found in extra.items():
                if word in line and len(found) < 300:
                    found.append(line)
            if i >= 3000 and all(len(f) == 300 for f in extra.values()):
                break
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(lines + extra["최민식"] + extra["히어로"])


@pytest.mark.slow
def test_korean_example_runs_as_written(tmp_path, monkeypatch, shared_data):
    pytest.importorskip("kiwipiepy", reason="the Korean example needs the [ko] extra (kiwipiepy)")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORDVEC_CACHE_DIR", str(tmp_path / "cache"))
    _korean_sample(shared_data, tmp_path / "nsmc_reviews.txt.gz")
    block = README.split("<!-- korean-example -->", 1)[1]
    commands = re.search(r"```\n(.*?)\n```", block, re.S).group(1).strip().splitlines()
    assert commands[0] == "pip install 'wordvec[ko]'"
    runner = CliRunner()
    for line in commands[1:]:
        args = shlex.split(line.split("#")[0])
        assert args[0] == "wordvec"
        if args[1] == "train":
            args += ["--epochs", "1", "--quiet", "--bucket", "20000"] if "fasttext" in args else ["--quiet"]
        result = runner.invoke(app, args[1:])
        assert result.exit_code == 0, (line, result.output)
        if args[1] == "similar":
            assert args[3] in result.output
        if args[1] == "evaluate":
            assert "coverage" in result.output.lower() or "/" in result.output
    (code,) = [b for b in _blocks("python") if "KoreanTokenizer" in b]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert "최민식" in namespace["model"].wv
    assert (tmp_path / "cache").is_dir()  # the token stream was cached


@pytest.mark.slow
def test_toolbox_commands_run_as_written(tmp_path, monkeypatch):
    """The gensim/fastText toolbox block: phrases, training on them, continued training, a fastText
    .bin, quantize, the fastText verbs (``< FILE`` given as standard input) and a supervised model."""
    fasttext = pytest.importorskip("fasttext")
    from wordvec.demo import demo_corpus_path
    import lzma

    monkeypatch.chdir(tmp_path)
    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as src:
        lines = list(islice(src, 30_000))
    with gzip.open("corpus.txt.gz", "wt", encoding="utf-8") as dst:
        dst.writelines(lines[:20_000])
    Path("more.txt").write_text("".join(lines[20_000:]), encoding="utf-8")
    Path("words.txt").write_text("king queen unseenword\n", encoding="utf-8")
    Path("sentences.txt").write_text("the king spoke to the people\nthe ship sailed\n", encoding="utf-8")
    Path("texts.txt").write_text("a great and happy day\na sad and bitter end\n", encoding="utf-8")
    Path("labelled.txt").write_text("".join(f"__label__{'pos' if i % 2 else 'neg'} {line}"
                                            for i, line in enumerate(lines[:2_000])), encoding="utf-8")
    fasttext.train_supervised("labelled.txt", epoch=1, dim=8, verbose=0, thread=1).save_model("model.bin")
    runner = CliRunner()
    for line in _command_after("toolbox").splitlines():
        command, _, stdin = line.split("#")[0].partition("<")
        args = shlex.split(command)
        assert args[0] == "wordvec"
        if args[1] == "train":  # small and quick; the README's defaults otherwise
            args += ["--epochs", "1", "--quiet"] + (["--bucket", "20000"] if "fasttext" in args else [])
        feed = Path(stdin.strip()).read_text(encoding="utf-8") if stdin.strip() else "nn king\nsim king queen\n"
        result = runner.invoke(app, args[1:], input=feed)
        assert result.exit_code == 0, (line, result.output)
        if args[1] == "print-word-vectors":
            assert [row.split()[0] for row in result.stdout.splitlines()] == ["king", "queen", "unseenword"]
        if args[1] == "classify":
            assert result.stdout.count("__label__") == 2
    from wordvec import load

    assert "children_of_israel" in load("vectors").index_to_key  # the demo corpus opens with the Bible
    assert len(load("vectors2")) > len(load("vectors"))
    assert Path("ft.ftz").stat().st_size * 5 < Path("ft.bin").stat().st_size  # a small model; 20x at full size (RESULTS.md)


def test_cluster_commands_run_as_written(tmp_path, monkeypatch):
    """The Dask block: train, cooccur and phrases with --scheduler local:2 (two worker processes)."""
    pytest.importorskip("distributed", reason="the cluster commands need Dask (pip install 'wordvec[dask]')")
    from wordvec.demo import demo_corpus_path
    import lzma

    monkeypatch.chdir(tmp_path)
    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as src, \
            gzip.open("corpus.txt.gz", "wt", encoding="utf-8") as dst:
        dst.writelines(islice(src, 3_000))
    runner = CliRunner()
    lines = _command_after("cluster").splitlines()
    assert len(lines) == 3 and all("--scheduler local:2" in line for line in lines)
    for line in lines:
        args = shlex.split(line.split("#")[0])
        assert args[0] == "wordvec"
        args += ["--quiet"] + (["--epochs", "1"] if args[1] == "train" else [])
        result = runner.invoke(app, args[1:])
        assert result.exit_code == 0, (line, result.output)
        assert "on a Dask cluster: 2 workers" in result.output, result.output
    from wordvec import load
    from wordvec.cooccur import Cooccurrence
    from wordvec.corpus.phrases import load_phrases

    assert "king" in load("vectors") and Cooccurrence.load("cooc.npz").nnz > 0 and len(load_phrases("phrases")) > 0
