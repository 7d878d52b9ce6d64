"""``wordvec phrases`` and ``wordvec train --phrases``: learn, save, train on phrases; one-line errors."""

from __future__ import annotations

import pytest
from clitools import assert_one_line_error, invoke, plain

from wordvec.corpus.phrases import load_phrases

LINES = ["the new york times reported from new york city",
         "she moved to new york last year and loves new york",
         "the bank of america opened in los angeles",
         "los angeles and new york are big cities",
         "he works at the bank of america in new york",
         "prime minister john howard visited los angeles"] * 8


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def test_phrases_learns_saves_and_prints_top(corpus, tmp_path):
    out = tmp_path / "ph"
    result = invoke("phrases", corpus, "-o", out, "--min-count", "2", "--threshold", "1",
                    "--connector-words", "english", "--top", "3", "-q")
    assert result.exit_code == 0, result.output
    text = plain(result.stdout)
    frozen = load_phrases(out)
    assert f"Learned {len(frozen):,} phrases" in text and "Saved to" in text
    assert len(text.strip().split("\n")) == 4  # the summary and the top 3
    assert {"new_york", "los_angeles", "bank_of_america"} <= set(frozen.export_phrases())
    assert frozen.settings["threshold"] == 1.0 and "of" in frozen.connector_words


def test_two_passes_and_npmi(corpus, tmp_path):
    result = invoke("phrases", corpus, "-o", tmp_path / "ph", "--min-count", "2", "--scoring", "npmi",
                    "--passes", "2", "-q")
    assert result.exit_code == 0, result.output
    frozen = load_phrases(tmp_path / "ph")
    assert len(frozen.layers) == 2 and frozen.settings["scoring"] == "npmi" and "pass 2:" in result.stdout


def test_existing_output_needs_force(corpus, tmp_path):
    out = tmp_path / "ph"
    assert invoke("phrases", corpus, "-o", out, "-q", "--min-count", "2").exit_code == 0
    assert_one_line_error(invoke("phrases", corpus, "-o", out, "-q"), "already exists", "--force")
    assert invoke("phrases", corpus, "-o", out, "-q", "--force", "--min-count", "2").exit_code == 0


@pytest.mark.parametrize("args,fragments", [
    (["--scoring", "npmi", "--threshold", "5"], ["between -1 and 1"]),
    (["--threshold", "-1"], ["threshold must be > 0"]),
])
def test_bad_settings_are_one_line_errors(corpus, tmp_path, args, fragments):
    assert_one_line_error(invoke("phrases", corpus, "-o", tmp_path / "ph", "-q", *args), *fragments)
    assert not (tmp_path / "ph").exists()


def test_missing_corpus(tmp_path):
    assert_one_line_error(invoke("phrases", tmp_path / "nope.txt", "-o", tmp_path / "ph", "-q"), "nope.txt")


def test_help_shows_defaults():
    result = invoke("phrases", "--help")
    assert result.exit_code == 0
    text = plain(result.stdout)
    for fragment in ("--min-count", "--threshold", "--scoring", "--max-vocab-size", "--passes",
                     "--connector-words", "--tokenizer", "--encoding", "40000000"):
        assert fragment in text, fragment


def test_train_on_phrases(corpus, tmp_path):
    ph = tmp_path / "ph"
    assert invoke("phrases", corpus, "-o", ph, "--min-count", "2", "--threshold", "1",
                  "--connector-words", "english", "-q").exit_code == 0
    out = tmp_path / "vectors"
    result = invoke("train", corpus, "-o", out, "--phrases", ph, "--min-count", "2", "--vector-size", "8",
                    "--epochs", "1", "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    from wordvec import load

    keys = set(load(out).index_to_key)
    assert {"new_york", "los_angeles", "bank_of_america"} <= keys and "york" not in keys


def test_train_with_a_bad_phrases_directory(corpus, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "config.json").write_text("{", encoding="utf-8")
    result = invoke("train", corpus, "-o", tmp_path / "v", "--phrases", bad, "-q")
    assert_one_line_error(result, "config.json", "invalid JSON")
    assert not (tmp_path / "v").exists()


def test_continue_training_on_phrases(corpus, tmp_path):
    """``--init`` with ``--phrases``: the phrases join on top of the saved model's own tokenizer and
    ``--update-vocab`` adds them as new words, the old rows kept."""
    ph = tmp_path / "ph"
    assert invoke("phrases", corpus, "-o", ph, "--min-count", "2", "--threshold", "1",
                  "--connector-words", "english", "-q").exit_code == 0
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    common = ("--min-count", "2", "--epochs", "1", "--workers", "1", "-q")
    assert invoke("train", corpus, "-o", v1, "--vector-size", "8", *common).exit_code == 0
    result = invoke("train", corpus, "--init", v1, "-o", v2, "--phrases", ph, "--update-vocab", *common)
    assert result.exit_code == 0, result.output
    from wordvec import load

    old, new = load(v1), load(v2)
    assert "new_york" not in old and {"new_york", "los_angeles", "bank_of_america"} <= set(new.index_to_key)
    assert new.index_to_key[:len(old)] == old.index_to_key  # and no warning: phrases over the same tokenizer
