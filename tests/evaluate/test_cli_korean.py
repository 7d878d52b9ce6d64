"""``wordvec evaluate`` on the Korean sets: --lang ko, bundled names and paths, --oov with subword vectors."""

from __future__ import annotations

import json
import re
from importlib import resources

import numpy as np

import wordvec
import pytest
from typer.testing import CliRunner

from wordvec.cli import evaluate as cli_evaluate
from wordvec.cli.app import app
from wordvec.evaluate import SUITES, evaluate_analogies, evaluate_similarity, load_analogies, load_word_pairs
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def plain(text: str) -> str:
    return ANSI.sub("", text)


@pytest.fixture(scope="module")
def ko_words() -> list[str]:
    words = [w for p in load_word_pairs("ko-wordsim353").pairs for w in p]
    words += [w for s in load_analogies("ko-analogy").sections for q in s.questions for w in q]
    return list(dict.fromkeys(words))


@pytest.fixture(scope="module")
def subword_model(tmp_path_factory, ko_words):
    keys = ko_words[:300]
    rng = np.random.default_rng(4)
    kv = SubwordVectors(keys, rng.normal(size=(len(keys), 12)), rng.normal(size=(1009, 12)),
                        min_n=1, max_n=2, bucket=1009, counts=np.arange(len(keys), 0, -1))
    path = tmp_path_factory.mktemp("ko") / "fasttext"
    wordvec.save(kv, path)
    return path, kv


@pytest.fixture(scope="module")
def plain_model(tmp_path_factory, ko_words):
    keys = ko_words[:300]
    kv = KeyedVectors(keys, np.random.default_rng(5).normal(size=(len(keys), 12)).astype(np.float32))
    path = tmp_path_factory.mktemp("ko") / "word2vec"
    wordvec.save(kv, path)
    return path, kv


def test_cli_suites_match_the_library():
    assert cli_evaluate.SUITES == SUITES


def test_lang_ko_json_without_and_with_oov(subword_model):
    path, kv = subword_model
    result = invoke("evaluate", path, "--lang", "ko", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["language"] == "ko" and report["oov"] is False
    a = report["analogies"]
    assert a["dataset"] == "ko-analogy" and a["questions"] == 10_000 and a["coverage"] < 1.0
    assert [s["dataset"] for s in report["similarity"]] == ["ko-wordsim353"]

    result = invoke("evaluate", path, "--lang", "ko", "--oov", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    a, w = report["analogies"], report["similarity"][0]
    assert report["oov"] is True and a["oov"] is True and w["oov"] is True
    assert (a["total"], a["skipped"], a["coverage"]) == (10_000, 0, 1.0)
    assert a["via_oov"] > 0 and a["oov_words"] > 0 and a["syntactic"]["total"] == 5000
    assert (w["pairs_used"], w["pairs_skipped"]) == (353, 0)
    from wordvec import load

    assert isinstance(load(path), SubwordVectors)  # the native directory keeps the n-gram rows
    want = evaluate_analogies(kv, "ko-analogy", oov=True)
    assert (a["correct"], a["oov_words"]) == (want.correct, want.oov_words)
    assert w["spearman"] == pytest.approx(evaluate_similarity(kv, "ko-wordsim353", oov=True).spearman)


def test_text_output_prints_coverage_and_korean(subword_model):
    result = invoke("evaluate", subword_model[0], "--lang", "ko", "--oov")
    assert result.exit_code == 0, result.output
    text = plain(result.stdout)
    assert "Analogies: ko-analogy" in text and "OOV words from subwords" in text
    assert "syn1_case" in text and "sem1_capital-conturies" in text
    assert "coverage: 10,000 of 10,000 questions answered (100.0%)" in text
    assert "Word similarity: ko-wordsim353" in text and "353 / 353 (100.0%)" in text

    result = invoke("evaluate", subword_model[0], "--lang", "ko")
    text = plain(result.stdout)
    assert result.exit_code == 0 and text.count("skipped (out of vocabulary)") == 2


def test_korean_sets_by_name_and_by_path(plain_model, tmp_path):
    data = resources.files("wordvec.evaluate") / "data"
    analogy_path = tmp_path / "word_analogy_korean.txt"
    analogy_path.write_bytes((data / "word_analogy_korean.txt").read_bytes())
    pairs_path = tmp_path / "WS353_korean.csv"
    pairs_path.write_bytes((data / "WS353_korean.csv").read_bytes())
    by_name = invoke("evaluate", plain_model[0], "-a", "ko-analogy", "-s", "ko-wordsim353", "--json")
    by_path = invoke("evaluate", plain_model[0], "-a", analogy_path, "-s", pairs_path, "--json")
    assert by_name.exit_code == 0 and by_path.exit_code == 0, (by_name.output, by_path.output)
    n, p = json.loads(by_name.stdout), json.loads(by_path.stdout)
    assert n["language"] == "en"  # explicit sets: --lang only picks the defaults
    assert n["analogies"]["dataset"] == "ko-analogy" and p["analogies"]["dataset"] == str(analogy_path)
    for key in ("correct", "total", "skipped", "coverage"):
        assert n["analogies"][key] == p["analogies"][key]
    assert n["similarity"][0]["pairs_used"] == p["similarity"][0]["pairs_used"] > 0
    assert json.dumps(n, ensure_ascii=False).count("ko-wordsim353") == 1


def test_oov_with_plain_vectors_is_a_one_line_error(plain_model):
    result = invoke("evaluate", plain_model[0], "--lang", "ko", "--oov")
    assert result.exit_code == 1, result.output
    err = plain(result.stderr).strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in result.output
    assert "subword information" in err


def test_unknown_language_is_a_usage_error(plain_model):
    result = invoke("evaluate", plain_model[0], "--lang", "kr")
    assert result.exit_code == 2
