"""``wordvec plot`` and ``wordvec strip`` through typer's CliRunner."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

pytest.importorskip("matplotlib")
pytest.importorskip("sklearn")
pytest.importorskip("plotly")

from wordvec.cli.app import app


@pytest.fixture(scope="module")
def model(tmp_path_factory, kv):
    import wordvec

    path = tmp_path_factory.mktemp("model") / "vectors"
    wordvec.save(kv, path)
    return path


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_plot_top_png_and_html(model, tmp_path):
    result = invoke("plot", model, "--top", "30", "--method", "tsne", "-o", tmp_path / "p.png",
                    "--html", tmp_path / "p.html", "-k", "3")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.png").stat().st_size > 10_000
    assert (tmp_path / "p.html").stat().st_size > 1_000_000


def test_plot_words_3d_html(model, tmp_path):
    result = invoke("plot", model, "--words", "king,queen", "--words", "man", "-w", "woman",
                    "--dims", "3", "--html", tmp_path / "p3.html")
    assert result.exit_code == 0, result.output
    assert "scatter3d" in (tmp_path / "p3.html").read_text(encoding="utf-8")


def test_plot_groups_file(model, tmp_path):
    groups = tmp_path / "groups.tsv"
    groups.write_text("king\troyal\nqueen\troyal\n# comment\n\nman\tpeople\n", encoding="utf-8")
    result = invoke("plot", model, "-w", "king,queen,man,woman", "--groups", groups, "-o", tmp_path / "g.svg")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args, fragment", [
    (["--words", "king,kingg,queen,man", "-o", "x.png"], "kingg"),
    (["--top", "5"], "nothing to write"),
    (["--top", "5", "--words", "king", "-o", "x.png"], "not both"),
    (["--top", "5", "--dims", "3", "-o", "x.png"], "--html only"),
    (["--top", "5", "-o", "x.jpg"], ".png"),
])
def test_plot_errors_are_one_line(model, tmp_path, args, fragment, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("plot", model, *args)
    assert result.exit_code == 1, result.output
    err = result.stderr.strip() if result.stderr else result.output.strip()
    assert err.startswith("error: ") and "\n" not in err and fragment in err, err


def test_plot_bad_method_is_a_usage_error(model, tmp_path):
    result = invoke("plot", model, "--top", "5", "--method", "lda", "-o", tmp_path / "x.png")
    assert result.exit_code == 2


def test_strip(model, tmp_path):
    result = invoke("strip", model, "king", "man", "woman", "queen", "왕", "-o", tmp_path / "strip.png")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "strip.png").stat().st_size > 5_000
    result = invoke("strip", model, "king", "nope", "-o", tmp_path / "bad.png")
    assert result.exit_code == 1 and "nope" in result.output + (result.stderr or "")


def test_cli_method_names_match_the_library():
    from wordvec.cli.plot import METHODS
    from wordvec.viz.reduce import METHODS as LIBRARY_METHODS

    assert METHODS == LIBRARY_METHODS


def test_plot_and_strip_of_a_trained_model(tmp_path):
    import random

    from wordvec.models.word2vec import Word2Vec

    rng = random.Random(0)
    vocab = ["왕", "여왕", "남자", "여자", "king", "queen", "man", "woman", "the", "a", "royal", "palace"]
    sentences = [[rng.choice(vocab) for _ in range(10)] for _ in range(200)]
    model = Word2Vec(vector_size=16, min_count=1, epochs=2, workers=1, progress=False).fit(sentences)
    model.save(tmp_path / "w2v")
    result = invoke("plot", tmp_path / "w2v", "--top", "12", "-o", tmp_path / "w2v.png", "-k", "2")
    assert result.exit_code == 0, result.output
    result = invoke("strip", tmp_path / "w2v", "왕", "남자", "여자", "여왕", "-o", tmp_path / "w2v_strip.png")
    assert result.exit_code == 0, result.output
