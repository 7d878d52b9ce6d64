"""The bundled Korean sets (Park et al. 2018) and the suites of ``evaluate_all``."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from wordvec.evaluate import (
    SUITES,
    EvaluationReport,
    evaluate_all,
    evaluate_analogies,
    evaluate_similarity,
    load_analogies,
    load_word_pairs,
)
from wordvec.evaluate.datasets import ANALOGY_SETS, WORD_PAIR_SETS
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors

SHARED_KO = Path(__file__).resolve().parents[3] / "shared" / "data" / "benchmarks" / "ko"
KO_SECTIONS = ["sem1_capital-conturies", "sem2_male-female", "sem3_name-nationality", "sem4_country-language",
               "sem5_misc", "syn1_case", "syn2_tense", "syn3_voice", "syn4_form", "syn5_honorific"]
SHA256 = {
    "word_analogy_korean.txt": "b6dea84dda708883948de3b5922604acbe8fe71ed137c005c5b58b2cccbe4e96",
    "WS353_korean.csv": "1a2d9048dfde1a63e864c59f292db42ebe62b63469900d08bb87b074cc96306e",
}


def _data_file(name: str) -> bytes:
    return (resources.files("wordvec.evaluate") / "data" / name).read_bytes()


# ------------------------------------------------------------------ the bundled files
def test_korean_sets_are_registered():
    assert ANALOGY_SETS["ko-analogy"] == "word_analogy_korean.txt"
    assert WORD_PAIR_SETS["ko-wordsim353"] == "WS353_korean.csv"


@pytest.mark.parametrize("filename", sorted(SHA256))
def test_korean_files_are_byte_copies(filename):
    data = _data_file(filename)
    assert hashlib.sha256(data).hexdigest() == SHA256[filename]
    if (SHARED_KO / filename).exists():
        assert (SHARED_KO / filename).read_bytes() == data


def test_korean_sources_documented():
    text = (resources.files("wordvec.evaluate") / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for needle in ("word_analogy_korean.txt", "WS353_korean.csv", "`ko-analogy`", "`ko-wordsim353`",
                   "SungjoonPark/KoreanWordVectors", "7a815fa9ea63c940249ed9dedac0e6a97d61e8c6",
                   "Subword-level Word Vector Representations for Korean", *SHA256.values()):
        assert needle in text, needle


def test_korean_analogies_by_name():
    ds = load_analogies("ko-analogy")
    assert ds.name == "ko-analogy" and len(ds) == 10_000
    assert [s.name for s in ds.sections] == KO_SECTIONS
    assert [len(s) for s in ds.sections] == [1000] * 10
    assert [s.syntactic for s in ds.sections] == [False] * 5 + [True] * 5
    assert ds.sections[0].questions[0] == ("아테네", "그리스", "바그다드", "이라크")
    assert ds.sections[5].questions[0] == ("자동차", "자동차를", "인터넷", "인터넷을")
    assert ds.sections[9].questions[-1] == ("찾아줬다", "찾아주셨다", "먹었다", "들었다")  # as in the source


def test_korean_wordsim_by_name():
    ds = load_word_pairs("ko-wordsim353")
    assert ds.name == "ko-wordsim353" and len(ds) == 353 == len(ds.scores)
    assert (*ds.pairs[0], ds.scores[0]) == ("사랑", "섹스", 6.42)  # the BOM and the header are gone
    assert not any(w.startswith("\ufeff") for p in ds.pairs for w in p)
    assert all(0.0 <= s <= 10.0 for s in ds.scores)
    assert (*ds.pairs[-1], ds.scores[-1]) == ("건축", "세기", 1.75)


def test_korean_files_load_by_path_too(tmp_path):
    analogy_path = tmp_path / "word_analogy_korean.txt"
    analogy_path.write_bytes(_data_file("word_analogy_korean.txt"))
    by_path = load_analogies(analogy_path)
    assert by_path.name == str(analogy_path) and by_path.sections == load_analogies("ko-analogy").sections
    pairs_path = tmp_path / "WS353_korean.csv"
    pairs_path.write_bytes(_data_file("WS353_korean.csv"))
    pairs, by_name = load_word_pairs(pairs_path), load_word_pairs("ko-wordsim353")
    assert pairs.name == str(pairs_path) and (pairs.pairs, pairs.scores) == (by_name.pairs, by_name.scores)


def test_wrong_kind_of_korean_set():
    with pytest.raises(ValueError, match=r"load_word_pairs\('ko-wordsim353'\)"):
        load_analogies("ko-wordsim353")
    with pytest.raises(ValueError, match=r"load_analogies\('ko-analogy'\)"):
        load_word_pairs("ko-analogy")


# ------------------------------------------------------------------ evaluate_all suites
def _korean_subword_kv(n_keys=400, dim=16, seed=1) -> SubwordVectors:
    """Random syllable-level FastText-like vectors over the first Korean words of both sets."""
    words = list(dict.fromkeys(w for p in load_word_pairs("ko-wordsim353").pairs for w in p))
    words += [w for s in load_analogies("ko-analogy").sections for q in s.questions for w in q]
    keys = list(dict.fromkeys(words))[:n_keys]
    rng = np.random.default_rng(seed)
    return SubwordVectors(keys, rng.normal(size=(len(keys), dim)), rng.normal(size=(2003, dim)),
                          min_n=1, max_n=2, bucket=2003, counts=np.arange(len(keys), 0, -1))


@pytest.fixture(scope="module")
def ko_kv() -> SubwordVectors:
    return _korean_subword_kv()


def test_korean_suite_without_and_with_oov(ko_kv):
    plain = evaluate_all(ko_kv, language="ko")
    assert isinstance(plain, EvaluationReport) and plain.language == "ko"
    assert plain.analogies.dataset == "ko-analogy" and plain.analogies.questions == 10_000
    assert [r.dataset for r in plain.similarity] == ["ko-wordsim353"]
    assert 0 < plain.analogies.coverage < 0.9 and plain.similarity[0].coverage < 1.0

    report = evaluate_all(ko_kv, language="ko", oov=True)
    a, w = report.analogies, report.similarity_result("ko-wordsim353")
    assert a.oov and w.oov
    assert a.total == 10_000 and a.coverage == 1.0  # every Hangul word has syllable n-grams
    assert a.via_oov == a.total - plain.analogies.total  # the questions answered only through subwords
    assert a.syntactic.total == 5000 and a.oov_words > 0
    assert (w.pairs_used, w.pairs_skipped) == (353, 0) and w.pairs_via_oov > 0
    # the same figures as the functions evaluate_all calls
    direct = evaluate_analogies(ko_kv, "ko-analogy", oov=True)
    assert direct.sections == a.sections and direct.oov_words == a.oov_words
    assert evaluate_similarity(ko_kv, "ko-wordsim353", oov=True) == w

    d = report.to_dict()
    assert d["language"] == "ko" and d["analogies"]["coverage"] == 1.0 and d["analogies"]["oov"] is True
    assert d["ko-wordsim353"]["pairs_used"] == 353 and "wordsim353" not in d
    text = str(report)
    assert "Korean analogies" in text and "Korean WS-353" in text and "via OOV" in text
    assert "10,000/10,000" in text and "353/353" in text
    with pytest.raises(KeyError, match="'wordsim353'.*'ko-wordsim353'"):
        report.wordsim353


def test_english_suite_keeps_its_names():
    keys = ["man", "woman", "king", "queen", "boy", "girl", "love", "sex", "tiger", "cat"]
    kv = KeyedVectors(keys, np.random.default_rng(0).normal(size=(len(keys), 8)).astype(np.float32))
    report = evaluate_all(kv)
    assert report.language == "en" and report.analogies.dataset == "google"
    assert report.wordsim353.dataset == "wordsim353" and report.simlex999.dataset == "simlex999"
    assert report.wordsim353.pairs == 353 and report.simlex999.pairs == 999
    d = report.to_dict()
    assert set(d) == {"language", "analogies", "wordsim353", "simlex999"}
    text = report.summary()
    for title in ("Google analogies", "semantic", "syntactic", "WordSim-353", "SimLex-999"):
        assert title in text
    assert "via OOV" not in text
    assert SUITES["en"] == ("google", ("wordsim353", "simlex999"))


def test_evaluate_all_arguments_checked(ko_kv):
    with pytest.raises(ValueError, match="language must be one of 'en', 'ko'"):
        evaluate_all(ko_kv, language="kr")
    plain = KeyedVectors(["a", "b"], np.eye(2, dtype=np.float32))
    with pytest.raises(ValueError, match="subword information"):
        evaluate_all(plain, language="ko", oov=True)
