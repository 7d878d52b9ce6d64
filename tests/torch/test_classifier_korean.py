"""The text classifier with the Korean morpheme tokenizer, on a few hundred NSMC reviews."""

from __future__ import annotations

import gzip
import itertools
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("kiwipiepy", reason="the Korean tokenizer needs kiwipiepy (pip install 'wordvec[ko]')")

from typer.testing import CliRunner

from wordvec.cli.app import app
from wordvec.corpus.korean import KoreanTokenizer
from wordvec.torch import TextClassifier
from wordvec.torch.classifier import ClassifierConfig
from wordvec.torch.vocabulary import EmbeddingVocab

NSMC_TRAIN = "corpora/ko/nsmc_ratings_train.tsv.gz"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(scope="module")
def nsmc(tmp_path_factory) -> Path:
    """The first 600 rows of NSMC's training file (header ``id document label``) as a small TSV."""
    default = Path(__file__).resolve().parents[2].parent / "shared" / "data"  # as tests/conftest.py
    shared = Path(os.environ.get("WORDVEC_SHARED_DATA", default))
    path = shared / NSMC_TRAIN
    if not path.is_file():
        pytest.skip(f"NSMC ratings not found at {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, 601))
    out = tmp_path_factory.mktemp("nsmc") / "train.tsv"
    out.write_text("".join(lines), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def rows(nsmc) -> tuple[list[str], list[str]]:
    from wordvec.torch import read_labelled

    data = read_labelled(nsmc)
    return list(data.texts), list(data.labels)


@pytest.fixture(scope="module")
def trained(rows):
    texts, labels = rows
    clf = TextClassifier(8, epochs=3, batch_size=32, tokenizer="korean", seed=0)
    return clf.fit(texts[:500], labels[:500])


def test_config_accepts_korean_and_names_the_choices():
    ClassifierConfig(tokenizer="korean").validate()
    with pytest.raises(ValueError, match="'regex', 'whitespace', 'korean'"):
        ClassifierConfig(tokenizer="nltk").validate()


@pytest.mark.slow
def test_vocabulary_holds_morphemes(trained):
    vocab = trained.vocabulary_
    assert vocab.tokenizer == "korean"
    assert "영화" in vocab and "영화가" not in vocab and "ㅋㅋ" in vocab
    assert vocab.tokenize("아버지가방에들어가신다") == ["아버지", "방", "들어가", "시", "ㄴ다"]


@pytest.mark.slow
def test_fit_and_predict_tokenize_in_batches(rows, monkeypatch):
    texts, labels = rows
    calls = {"batches": 0}
    original = KoreanTokenizer.tokenize_many

    def counting(self, lines):
        calls["batches"] += 1
        return original(self, lines)

    def one_by_one(self, text):
        raise AssertionError("tokenized one text at a time")

    monkeypatch.setattr(KoreanTokenizer, "tokenize_many", counting)
    monkeypatch.setattr(KoreanTokenizer, "__call__", one_by_one)
    clf = TextClassifier(8, epochs=1, tokenizer="korean").fit(texts[:300], labels[:300])
    fit_batches = calls["batches"]
    assert 1 <= fit_batches <= 4  # training texts, validation texts: not one call per text
    assert len(clf.predict(texts[300:400])) == 100
    assert calls["batches"] == fit_batches + 1
    ids, mask = clf.vocabulary_.encode_batch(["정말 재밌다", "최악의 영화"])
    assert ids.shape[0] == 2 and bool(mask[:, 0].all())


@pytest.mark.slow
def test_predictions_and_batched_tokens_match_single_calls(trained, rows):
    texts, _ = rows
    test = texts[500:560]
    vocab = trained.vocabulary_
    assert vocab.tokenize_batch(test) == [vocab.tokenize(t) for t in test]
    assert vocab.tokenize_batch(["영화", ["already", "split"], "재밌다"]) == [["영화"], ["already", "split"],
                                                                            vocab.tokenize("재밌다")]
    result = trained.evaluate(test, rows[1][500:560])
    assert result["n"] == 60 and 0.0 <= result["accuracy"] <= 1.0


@pytest.mark.slow
def test_save_and_load_keep_the_tokenizer(trained, rows, tmp_path):
    texts, _ = rows
    trained.save(tmp_path / "clf")
    loaded = TextClassifier.load(tmp_path / "clf")
    assert loaded.tokenizer == "korean" and loaded.vocabulary_.tokenizer == "korean"
    assert loaded.vocabulary_ == trained.vocabulary_
    assert loaded.predict(texts[500:560]) == trained.predict(texts[500:560])
    again = EmbeddingVocab.from_dict(trained.vocabulary_.to_dict())
    assert again.tokenize("최고의 영화 ㅋㅋ") == trained.vocabulary_.tokenize("최고의 영화 ㅋㅋ") == ["최고", "영화", "ㅋㅋ"]


@pytest.mark.slow
def test_cli_classify_with_the_korean_tokenizer(nsmc, tmp_path):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    out = tmp_path / "model"
    result = runner.invoke(app, ["classify", "train", str(nsmc), "-o", str(out), "--tokenizer", "korean",
                                 "--epochs", "2", "--embedding-dim", "8", "--quiet"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"saved to {out}" in ANSI.sub("", result.stdout)
    assert '"tokenizer": "korean"' in (out / "config.json").read_text(encoding="utf-8")
    predicted = runner.invoke(app, ["classify", "predict", str(out), "정말 재밌는 영화", "최악이다 ㅡㅡ"])
    assert predicted.exit_code == 0, predicted.output
    assert len(predicted.stdout.strip().splitlines()) == 2
    evaluated = runner.invoke(app, ["classify", "evaluate", str(out), str(nsmc)])
    assert evaluated.exit_code == 0, evaluated.output
    assert "accuracy" in evaluated.stdout
