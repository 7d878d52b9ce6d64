"""The ``wordvec`` command line, through typer's CliRunner (plus two subprocess checks).

Models are trained on a tiny corpus (16 dimensions, 2 epochs, one worker) so the whole
file runs in seconds; ``wordvec demo`` itself is only checked for its help.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from clitools import assert_one_line_error, invoke, plain

from wordvec.config import Word2VecConfig, defaults

COMMANDS = ["train", "cooccur", "similar", "analogy", "evaluate", "convert", "info", "demo", "docs", "plot", "strip",
            "export-projector", "serve", "classify", "phrases", "print-word-vectors", "print-sentence-vectors", "shell",
            "quantize"]
WORDS = ["the", "king", "queen", "man", "woman", "prince", "princess", "royal", "palace", "crown", "throne", "rules", "kingdom", "castle", "boy", "girl", "father", "mother", "son", "daughter"]
TINY = ["--min-count", "1", "--epochs", "2", "--vector-size", "16", "--workers", "1", "--quiet"]


def write_corpus(path: Path, lines: int = 300, seed: int = 0) -> Path:
    rng = random.Random(seed)
    path.write_text("\n".join(" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(lines)) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.txt")


@pytest.fixture(scope="module")
def model(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "vectors"
    result = invoke("train", corpus, "-o", out, *TINY)
    assert result.exit_code == 0, result.output
    summary = plain(result.stdout)
    assert f"{len(set(WORDS))} words in the vocabulary" in summary
    assert "3,600 tokens" in summary and "words/s" in summary and "final loss" in summary
    assert str(out) in summary
    return out


# ------------------------------------------------------------------------------------- help
def test_app_help_lists_every_command():
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    for command in COMMANDS:
        assert command in plain(result.stdout)


def test_no_arguments_shows_help():
    result = invoke()
    assert "Usage" in plain(result.output)
    assert "train" in plain(result.output)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in plain(result.stdout)


def test_train_help_shows_the_config_defaults():
    text = plain(invoke("train", "--help").stdout)
    d = defaults(Word2VecConfig)
    assert d["window"] == 5  # the brief's example; the loop below checks every option against the config
    for option, name in [("--window", "window"), ("--vector-size", "vector_size"), ("--min-count", "min_count"),
                         ("--epochs", "epochs"), ("--negative", "negative"), ("--alpha", "alpha"),
                         ("--min-alpha", "min_alpha"), ("--sample", "sample"), ("--seed", "seed"),
                         ("--ns-exponent", "ns_exponent"), ("--architecture", "architecture"),
                         ("--loss", "loss"), ("--max-sentence-length", "max_sentence_length")]:
        lines = text.splitlines()
        # the option's own row: its names start the line (other options' help may name it too)
        i = next(i for i, ln in enumerate(lines) if re.match(rf"^│\s*(?:-\w, )?{option}\b(?!-)", ln))
        block = [lines[i]]  # the option's row, with the lines its help text wraps onto
        for ln in lines[i + 1:]:
            if re.match(r"^\W*--", ln.strip("│ ")) or re.search(r"^│\s+-", ln):
                break
            block.append(ln)
        row = " ".join(" ".join(ln.strip("│ ").split()) for ln in block)
        assert f"[default: {d[name]}]" in row, (option, row)


def test_train_has_an_option_for_every_config_field():
    import dataclasses

    text = plain(invoke("train", "--help").stdout)
    for field in dataclasses.fields(Word2VecConfig):
        assert f"--{field.name.replace('_', '-')}" in text, field.name


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("wordvec ")


# ------------------------------------------------------------------------ train and queries
def test_train_summary_and_native_config(model):
    from wordvec.io import detect_format, read_native_config

    assert detect_format(model) == "native"
    config = read_native_config(model)["extra"]["config"]
    assert config["vector_size"] == 16 and config["epochs"] == 2 and config["min_count"] == 1
    assert config["window"] == defaults(Word2VecConfig)["window"]


def test_similar(model):
    result = invoke("similar", model, "king", "--topn", "4")
    assert result.exit_code == 0, result.output
    lines = plain(result.stdout).strip().splitlines()
    assert "king" in lines[0]
    rows = [ln.split() for ln in lines[1:]]
    assert len(rows) == 4
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4]
    assert all(r[1] in WORDS and r[1] != "king" for r in rows)
    sims = [float(r[2]) for r in rows]
    assert sims == sorted(sims, reverse=True) and all(-1.0 <= s <= 1.0001 for s in sims)


def test_similar_matches_the_library(model):
    import wordvec

    expected = [w for w, _ in wordvec.load(model).most_similar("queen", topn=3, restrict_vocab=10)]
    result = invoke("similar", model, "queen", "-n", "3", "--restrict-vocab", "10")
    assert result.exit_code == 0, result.output
    assert [ln.split()[1] for ln in plain(result.stdout).strip().splitlines()[1:]] == expected


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_analogy(model, method):
    import wordvec

    kv = wordvec.load(model)
    query = kv.most_similar if method == "3cosadd" else kv.most_similar_cosmul
    expected = [w for w, _ in query(positive=["king", "woman"], negative=["man"], topn=3)]
    result = invoke("analogy", model, "man", "king", "woman", "--topn", "3", "--method", method)
    assert result.exit_code == 0, result.output
    lines = plain(result.stdout).strip().splitlines()
    assert lines[0].startswith("man is to king as woman is to ?")
    assert [ln.split()[1] for ln in lines[1:]] == expected


# ------------------------------------------------------------- queries in the model's own normal form
def test_similar_reads_the_query_as_the_recorded_tokenizer_wrote_the_text(model):
    # the default tokenizer lower-cased the corpus: King is looked up as king, and a note says so
    typed = invoke("similar", model, "King", "--topn", "4")
    assert typed.exit_code == 0, typed.output
    lower = invoke("similar", model, "king", "--topn", "4")
    assert plain(typed.stdout) == plain(lower.stdout)  # the same answer, under the name looked up
    note = plain(typed.stderr).strip()
    assert "\n" not in note and note.startswith("note: looking up 'king' for 'King'") and "(regex)" in note
    assert plain(lower.stderr) == ""  # a word in the vocabulary is taken as typed, silently


def test_analogy_reads_every_word_in_the_models_normal_form(model):
    typed = invoke("analogy", model, "MAN", "King", "woman", "--topn", "3")
    assert typed.exit_code == 0, typed.output
    assert plain(typed.stdout) == plain(invoke("analogy", model, "man", "king", "woman", "--topn", "3").stdout)
    assert plain(typed.stderr).count("note: looking up") == 2


def test_case_is_kept_where_the_model_kept_it(corpus, tmp_path):
    # a whitespace tokenizer keeps case: KING is another word, and no note pretends otherwise
    cased = tmp_path / "cased"
    upper = tmp_path / "upper.txt"
    upper.write_text(corpus.read_text(encoding="utf-8").replace("king", "KING"), encoding="utf-8")
    assert invoke("train", upper, "-o", cased, "--tokenizer", "whitespace", *TINY).exit_code == 0
    assert invoke("similar", cased, "KING", "-n", "2").exit_code == 0
    assert_one_line_error(invoke("similar", cased, "King", "-n", "2"), "'King' is not in the vocabulary")


def test_a_vector_file_records_no_tokenizer(model, tmp_path):
    out = tmp_path / "vectors.txt"
    assert invoke("convert", model, out, "--to", "word2vec-text").exit_code == 0
    assert_one_line_error(invoke("similar", out, "King"), "'King' is not in the vocabulary")


def test_normal_form_of_each_recorded_tokenizer():
    from wordvec.cli._common import normalise_query

    regex = {"name": "regex", "pattern": "x", "lowercase": True}
    assert normalise_query("Don\u2019t", regex) == "don't"  # the regex tokenizer's apostrophe too
    assert normalise_query("King", {**regex, "lowercase": False}) == "King"
    assert normalise_query("King", {"name": "whitespace", "lowercase": False}) == "King"
    assert normalise_query("King", {"name": "whitespace", "lowercase": True}) == "king"
    assert normalise_query("New_York", {"name": "phrases", "base": regex, "phrases": "abc"}) == "new_york"
    assert normalise_query("영화", {"name": "korean", "tags": False}) == "영화"
    assert normalise_query("King", {"name": "MyTokenizer"}) == "King"  # a custom callable: unknown rules
    assert normalise_query("King", None) == "King"


def test_fasttext_builds_the_unseen_query_from_the_lower_cased_ngrams(corpus, tmp_path):
    ft = tmp_path / "ft"
    assert invoke("train", corpus, "-o", ft, "--model", "fasttext", "--bucket", "2000", *TINY).exit_code == 0
    result = invoke("similar", ft, "Kingdoms", "-n", "2")  # not in the vocabulary in either case
    assert result.exit_code == 0, result.output
    assert "'kingdoms'" in plain(result.stdout) and "note: looking up 'kingdoms' for 'Kingdoms'" in plain(result.stderr)


def test_info_native(model):
    result = invoke("info", model)
    assert result.exit_code == 0, result.output
    text = plain(result.stdout)
    assert re.search(r"format:\s+native", text)
    assert re.search(rf"words:\s+{len(set(WORDS))}\b", text)
    assert re.search(r"dimensions:\s+16\b", text)
    assert re.search(r"counts:\s+yes", text)
    assert "most frequent:" in text
    assert "saved config:" in text and re.search(r"window\s+5", text)


def test_info_foreign_format_without_counts(model, tmp_path):
    out = tmp_path / "v.txt"
    assert invoke("convert", model, out, "--to", "word2vec-text").exit_code == 0
    text = plain(invoke("info", out).stdout)
    assert re.search(r"format:\s+word2vec-text\n", text)
    assert re.search(r"counts:\s+no", text)
    assert "saved config" not in text


def test_evaluate_text_shows_coverage(model):
    result = invoke("evaluate", model)
    assert result.exit_code == 0, result.output
    text = plain(result.stdout)
    assert "Analogies: google" in text
    assert "wordsim353" in text and "simlex999" in text
    assert "skipped (out of vocabulary)" in text
    assert text.count("skipped (out of vocabulary)") == 3


def test_evaluate_json_with_own_datasets(model, tmp_path):
    analogies = tmp_path / "analogies.txt"
    analogies.write_text(": family\nman king woman queen\nboy girl father mother\nman king nobody queen\n")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("king\tqueen\t8.0\nman\twoman\t7.5\nprince\tprincess\t6.0\nboy\tnobody\t1.0\n")
    result = invoke("evaluate", model, "--analogies", analogies, "--similarity", pairs,
                    "--similarity", "wordsim353", "--restrict-vocab", "0", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dimensions"] == 16
    a = report["analogies"]
    assert (a["total"], a["skipped"], a["questions"]) == (2, 1, 3)
    sims = report["similarity"]
    assert [s["dataset"] for s in sims] == [str(pairs), "wordsim353"]
    assert (sims[0]["pairs_used"], sims[0]["pairs_skipped"]) == (3, 1)


def test_evaluate_can_skip_benchmarks(model):
    result = invoke("evaluate", model, "--analogies", "none", "--similarity", "none", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["analogies"] is None and report["similarity"] == []


# ---------------------------------------------------------------------------------- formats
@pytest.mark.parametrize("fmt", ["word2vec-text", "word2vec-binary", "glove"])
def test_convert_round_trip(model, tmp_path, fmt):
    import wordvec

    original = wordvec.load(model)
    foreign = tmp_path / ("vectors.bin" if fmt == "word2vec-binary" else "vectors.txt")
    result = invoke("convert", model, foreign, "--to", fmt)
    assert result.exit_code == 0, result.output
    assert "Converted" in result.stdout
    back = tmp_path / "back"
    result = invoke("convert", foreign, back, "--to", "native", "--from", fmt)
    assert result.exit_code == 0, result.output
    reloaded = wordvec.load(back)
    assert reloaded.index_to_key == original.index_to_key
    if fmt == "word2vec-binary":
        np.testing.assert_array_equal(np.asarray(reloaded.vectors), np.asarray(original.vectors))
    else:
        np.testing.assert_allclose(np.asarray(reloaded.vectors), np.asarray(original.vectors), rtol=1e-6)


def test_convert_native_to_native_keeps_config_and_limit(model, tmp_path):
    from wordvec.io import read_native_config

    out = tmp_path / "small"
    result = invoke("convert", model, out, "--to", "native", "--limit", "5")
    assert result.exit_code == 0, result.output
    config = read_native_config(out)
    assert config["count"] == 5
    assert config["extra"]["config"] == read_native_config(model)["extra"]["config"]


def test_train_word2vec_text_output_is_loadable(corpus, tmp_path):
    import wordvec

    out = tmp_path / "vectors.txt"
    result = invoke("train", corpus, "-o", out, "--format", "word2vec-text", "--architecture", "cbow",
                    "--loss", "hierarchical", "--no-cbow-mean", "--tokenizer", "whitespace", *TINY)
    assert result.exit_code == 0, result.output
    assert "Saved as word2vec-text" in result.stdout
    kv = wordvec.load(out)
    assert sorted(kv.index_to_key) == sorted(set(WORDS))
    assert kv.vector_size == 16
    assert out.read_text().split("\n", 1)[0] == f"{len(set(WORDS))} 16"


def test_train_progress_goes_to_stderr_and_quiet_silences_it(corpus, tmp_path, monkeypatch):
    import wordvec._progress

    # CliRunner's stderr is no terminal: no bar (a log file gets none either)
    unwatched = invoke("train", corpus, "-o", tmp_path / "unwatched", *[a for a in TINY if a != "--quiet"])
    assert unwatched.exit_code == 0, unwatched.output
    assert plain(unwatched.stderr).strip() == ""
    # on a terminal, the bar (with its loss column) goes to stderr, never to stdout
    monkeypatch.setattr(wordvec._progress, "stderr_is_terminal", lambda: True)
    loud = invoke("train", corpus, "-o", tmp_path / "loud", *[a for a in TINY if a != "--quiet"])
    assert loud.exit_code == 0, loud.output
    assert "skipgram/negative" in plain(loud.stderr)
    assert "loss" in plain(loud.stderr)
    assert "Trained word2vec" in loud.stdout and "skipgram/negative" not in loud.stdout
    quiet = invoke("train", corpus, "-o", tmp_path / "quiet", *TINY)
    assert quiet.exit_code == 0, quiet.output
    assert plain(quiet.stderr).strip() == ""


def _run_with_stderr(args: list[str], stderr) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wordvec", *args], stdout=subprocess.PIPE, stderr=stderr,
                          timeout=300, check=False)


def test_train_writes_no_bar_into_a_log_file(corpus, tmp_path):
    args = ["train", str(corpus), "-o", str(tmp_path / "m"), *[a for a in TINY if a != "--quiet"]]
    with open(tmp_path / "train.log", "wb") as log:
        result = _run_with_stderr(args, log)
    assert result.returncode == 0, (tmp_path / "train.log").read_text()
    assert b"Trained word2vec" in result.stdout
    assert (tmp_path / "train.log").read_bytes() == b""  # neither a bar nor its final line


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal (pty)")
def test_train_draws_a_bar_on_a_terminal(corpus, tmp_path):
    import os
    import pty
    import select

    leader, follower = pty.openpty()
    args = ["train", str(corpus), "-o", str(tmp_path / "m"), *[a for a in TINY if a != "--quiet"]]
    proc = subprocess.Popen([sys.executable, "-m", "wordvec", *args], stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:  # read the terminal as the command writes it (a full pty would block it)
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(leader)
    stdout = proc.communicate(timeout=300)[0]
    assert proc.returncode == 0, seen
    assert b"Trained word2vec" in stdout
    assert "skipgram/negative" in plain(seen.decode("utf-8", "replace"))  # the training bar


def test_train_several_files_and_a_directory(tmp_path):
    import wordvec

    a = write_corpus(tmp_path / "a.txt", lines=50, seed=1)
    d = tmp_path / "more"
    d.mkdir()
    write_corpus(d / "b.txt", lines=50, seed=2)
    out = tmp_path / "nested" / "model"
    result = invoke("train", a, d, "-o", out, *TINY)
    assert result.exit_code == 0, result.output
    assert "1,200 tokens" in result.stdout
    assert len(wordvec.load(out)) == len(set(WORDS))


def test_train_options_reach_the_chosen_model_under_its_parameter_names(corpus, tmp_path):
    from wordvec.config import GloVeConfig, PPMISVDConfig
    from wordvec.io import read_native_config

    result = invoke("train", corpus, "-o", tmp_path / "g", "--model", "glove", "--alpha", "0.1", "--weight-exponent",
                    "0.5", "--glove-output", "word", "--memory", "64", "--negative", "9", *TINY)
    assert result.exit_code == 0, result.output
    cfg = read_native_config(tmp_path / "g")["extra"]["config"]
    assert (cfg["learning_rate"], cfg["weight_exponent"], cfg["output"], cfg["memory_mb"]) == (0.1, 0.5, "word", 64.0)
    result = invoke("train", corpus, "-o", tmp_path / "g2", "--model", "glove", "--glove-alpha", "0.6", *TINY)
    assert result.exit_code == 0, result.output  # the deprecated spelling still works, and says so
    assert "--weight-exponent" in plain(result.stderr)
    assert read_native_config(tmp_path / "g2")["extra"]["config"]["weight_exponent"] == 0.6
    assert cfg["window"] == defaults(GloVeConfig)["window"] and "negative" not in cfg  # left out: GloVe's own
    result = invoke("train", corpus, "-o", tmp_path / "p", "--model", "ppmi-svd", "--alpha", "0.3", "--cds", "1",
                    "--vector-size", "4", "--min-count", "1", "--quiet")
    assert result.exit_code == 0, result.output
    cfg = read_native_config(tmp_path / "p")["extra"]["config"]
    assert cfg == PPMISVDConfig(vector_size=4, min_count=1, cds=1.0).to_dict()


# ----------------------------------------------------------------------------------- errors
def test_unknown_word_is_one_line_with_suggestion(model):
    err = assert_one_line_error(invoke("similar", model, "kingg"), "'kingg' is not in the vocabulary",
                                "did you mean 'king'")
    assert not err.startswith("error: \"")  # KeyError's extra quotes are stripped


def test_unknown_word_in_analogy(model):
    assert_one_line_error(invoke("analogy", model, "man", "kingg", "woman"), "'kingg'")


def test_missing_model(tmp_path):
    assert_one_line_error(invoke("info", tmp_path / "nothing"), "nothing")


def test_missing_corpus_file(corpus, tmp_path):
    missing = tmp_path / "missing.txt"
    assert_one_line_error(invoke("train", corpus, missing, "-o", tmp_path / "m", *TINY),
                          "corpus file not found", "missing.txt")
    assert not (tmp_path / "m").exists()


def test_empty_corpus(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    assert_one_line_error(invoke("train", empty, "-o", tmp_path / "m", *TINY), "empty")


def test_min_count_too_high(corpus, tmp_path):
    result = invoke("train", corpus, "-o", tmp_path / "m", *TINY, "--min-count", "100000")
    assert_one_line_error(result, "min_count=100000")


def test_invalid_hyperparameters_fail_before_training(corpus, tmp_path):
    assert_one_line_error(invoke("train", corpus, "-o", tmp_path / "m", "--min-alpha", "1", *TINY),
                          "min_alpha")


def test_output_that_cannot_be_written_fails_before_training(corpus, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "precious.txt").write_text("keep me")
    assert_one_line_error(invoke("train", corpus, "-o", occupied, *TINY), "occupied")
    assert (occupied / "precious.txt").read_text() == "keep me"
    assert_one_line_error(invoke("train", corpus, "-o", occupied, "--format", "glove", *TINY), "directory")


@pytest.mark.parametrize("option, value", [("--architecture", "skipgramm"), ("--loss", "softmax"),
                                           ("--format", "npy"), ("--model", "bert"),
                                           ("--tokenizer", "nltk"), ("--window", "0")])
def test_bad_choice_is_a_usage_error(corpus, tmp_path, option, value):
    result = invoke("train", corpus, "-o", tmp_path / "m", option, value)
    assert result.exit_code == 2, result.output
    assert option in plain(result.output)
    assert not (tmp_path / "m").exists()


def test_malformed_vector_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("3 2\nking 0.1 0.2\nqueen 0.3\nman 0.5 0.6\n")
    err = assert_one_line_error(invoke("similar", bad, "king"), "bad.txt", "line 3")
    assert "Traceback" not in err


def test_missing_evaluation_file(model, tmp_path):
    assert_one_line_error(invoke("evaluate", model, "--analogies", tmp_path / "nope.txt"), "nope.txt")


def test_convert_unknown_input_format_is_usage_error(model, tmp_path):
    result = invoke("convert", model, tmp_path / "x", "--to", "word2vec-text", "--from", "npy")
    assert result.exit_code == 2


def test_format_names_are_the_librarys_and_old_spellings_still_work(model, tmp_path):
    from wordvec.io import FORMATS

    help_text = plain(invoke("convert", "--help").stdout)
    assert "native, word2vec-text, word2vec-binary, glove, fasttext-bin" in " ".join(help_text.split())
    assert "word2vec," not in help_text and "fasttext," not in help_text  # old names not advertised
    result = invoke("convert", model, tmp_path / "v.txt", "--to", "word2vec")  # deprecated spelling
    assert result.exit_code == 0, result.output
    assert "'word2vec' is now called 'word2vec-text'" in plain(result.stderr)
    assert (tmp_path / "v.txt").read_text().split("\n", 1)[0].split()[1] == "16"
    assert FORMATS == ("native", "word2vec-text", "word2vec-binary", "glove", "fasttext-bin")


# -------------------------------------------------------------------------- start-up cost
def _imported_after(statement: str) -> set[str]:
    code = (f"import sys\n{statement}\nbefore = set(sys.modules)\nimport wordvec.cli.app\n"
            "print('\\n'.join(sorted(set(sys.modules) - before)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_cli_import_does_not_import_numba():
    """``wordvec --help`` must be instant: importing the app loads neither numba nor NumPy.

    Requires ``wordvec/__init__.py`` to load its re-exports lazily (PEP 562 ``__getattr__``).
    """
    loaded = _imported_after("")
    assert "numba" not in loaded
    assert "numpy" not in loaded


def test_cli_modules_import_no_heavy_wordvec_parts():
    """Whatever ``import wordvec`` loads, the command modules add no models, io or evaluation."""
    added = _imported_after("import wordvec")
    heavy = sorted(m for m in added if m.split(".")[0] in ("numba", "numpy")
                   or m.startswith(("wordvec.models", "wordvec.io", "wordvec.evaluate", "wordvec._kernels")))
    assert not heavy, heavy


def test_python_dash_m_wordvec(tmp_path):
    result = subprocess.run([sys.executable, "-m", "wordvec", "--help"], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert "train" in result.stdout


def test_train_reads_standard_input(corpus, tmp_path):
    # "-" is standard input: read once, spooled for the vocabulary pass and the epochs.
    out = tmp_path / "from_stdin"
    result = subprocess.run([sys.executable, "-m", "wordvec", "train", "-", "-o", str(out), "-d", "8",
                             "--epochs", "1", "--min-count", "1", "--seed", "1"],
                            input=corpus.read_bytes(), capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    from wordvec import load

    from_file = tmp_path / "from_file"
    assert invoke("train", str(corpus), "-o", str(from_file), "-d", "8", "--epochs", "1", "--min-count", "1",
                  "--seed", "1").exit_code == 0
    assert load(out).index_to_key == load(from_file).index_to_key


def test_app_help_names_every_model():
    text = plain(invoke("--help").stdout)
    for model in ("Word2Vec", "FastText", "GloVe", "PPMI+SVD", "ELMo"):
        assert model in text, model
