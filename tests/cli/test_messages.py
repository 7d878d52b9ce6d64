"""What the command line tells its users is true and usable.

* ``--encoding``: corpora in Latin-1 and CP949 (Korean) train and count; without it the error
  names the file and line.
* The advice of an error names only formats the command line accepts.
* Help shows defaults as values, not internal names.
* Tables of words line up by display width (Hangul takes two columns).
"""

from __future__ import annotations

import inspect
import random
import re
from collections import namedtuple
from pathlib import Path

import numpy as np
import pytest
from clitools import invoke, plain
from rich.cells import cell_len
from typer.testing import CliRunner

import wordvec
from wordvec.cli._common import DEPRECATED_FORMATS
from wordvec.cli.app import app
from wordvec.config import VECTOR_FORMATS
from wordvec.vectors.keyed import KeyedVectors


TINY = ["--min-count", "1", "--epochs", "2", "--vector-size", "4", "--workers", "1", "--quiet"]


def assert_one_line_error(result, *fragments: str, code: int = 1) -> str:
    """The error line (after any ``note:`` lines, such as a deprecated format name's)."""
    assert result.exit_code == code, (result.exit_code, result.output)
    err = "\n".join(line for line in plain(result.stderr).strip().splitlines() if not line.startswith("note: "))
    assert "\n" not in err and err.startswith("error: ") and "Traceback" not in result.output, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


KOREAN = ["영화", "배우", "연기", "감독", "최고", "정말", "재미", "스토리", "관객", "장면"]
LATIN1 = ["café", "thé", "crème", "brûlée", "naïve", "garçon", "élève", "français", "façade", "où"]


def write_encoded(path: Path, words: list[str], encoding: str, lines: int = 200, seed: int = 0) -> Path:
    rng = random.Random(seed)
    text = "\n".join(" ".join(rng.choice(words) for _ in range(10)) for _ in range(lines)) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def cp949_corpus(tmp_path_factory) -> Path:
    return write_encoded(tmp_path_factory.mktemp("ko") / "ko.txt", KOREAN, "cp949")


@pytest.fixture(scope="module")
def latin1_corpus(tmp_path_factory) -> Path:
    return write_encoded(tmp_path_factory.mktemp("fr") / "fr.txt", LATIN1, "latin-1")


# ---------------------------------------------------------------------------------- --encoding
def test_train_reads_a_cp949_korean_corpus(cp949_corpus, tmp_path):
    out = tmp_path / "ko"
    result = invoke("train", cp949_corpus, "-o", out, "--encoding", "cp949", *TINY)
    assert result.exit_code == 0, result.output
    assert sorted(wordvec.load(out).index_to_key) == sorted(KOREAN)


def test_train_without_the_encoding_names_the_file_and_line(cp949_corpus, tmp_path):
    err = assert_one_line_error(invoke("train", cp949_corpus, "-o", tmp_path / "m", *TINY), "ko.txt", "line 1")
    assert "utf-8" in err
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("model", ["glove", "ppmi-svd", "fasttext"])
def test_every_model_reads_a_latin1_corpus(latin1_corpus, tmp_path, model):
    out = tmp_path / model
    options = ["--bucket", "1000"] if model == "fasttext" else []
    result = invoke("train", latin1_corpus, "-o", out, "--model", model, "--encoding", "latin-1", *TINY, *options)
    assert result.exit_code == 0, result.output
    eos = ["</s>"] if model == "fasttext" else []  # fastText's end-of-line word
    assert sorted(wordvec.load(out).index_to_key) == sorted(LATIN1 + eos)


def test_cooccur_reads_a_latin1_corpus(latin1_corpus, tmp_path):
    from wordvec.cooccur import Cooccurrence

    out = tmp_path / "m.npz"
    result = invoke("cooccur", latin1_corpus, "-o", out, "--encoding", "latin1", "--min-count", "1", "--quiet")
    assert result.exit_code == 0, result.output
    assert sorted(Cooccurrence.load(out).keys) == sorted(LATIN1)


def test_an_unknown_encoding_is_a_usage_error(latin1_corpus, tmp_path):
    result = invoke("train", latin1_corpus, "-o", tmp_path / "m", "--encoding", "latin-9000", *TINY)
    assert result.exit_code == 2, result.output
    text = " ".join(plain(result.output).split())
    assert "--encoding" in text and "latin-9000" in text


@pytest.mark.parametrize("command", [["train"], ["cooccur"], ["elmo", "train"], ["elmo", "embed"],
                                     ["elmo", "similar"]])
def test_commands_that_read_text_take_encoding(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "--encoding" in plain(result.stdout)


def test_fit_model_takes_the_encoding(cp949_corpus):
    from wordvec.models import fit_model

    for name in ("word2vec", "glove"):
        model = fit_model(name, cp949_corpus, encoding="cp949", tokenizer="whitespace", vector_size=4, min_count=1,
                          epochs=1, workers=1, progress=False)
        assert sorted(model.wv.index_to_key) == sorted(KOREAN)
        assert model.tokenizer_["name"] == "whitespace"


class _Stop(Exception):
    """Raised by the fakes below once they have seen what the command passed on."""


def test_elmo_train_reads_corpus_and_validation_in_the_encoding(cp949_corpus, tmp_path, monkeypatch):
    pytest.importorskip("torch")
    import wordvec.contextual.model as elmo_model

    seen = {}

    def fake_encode(corpus, validation, **kwargs):  # instead of training: look at the text
        seen["corpus"], seen["validation"] = list(corpus), list(validation)
        raise _Stop

    monkeypatch.setattr(elmo_model, "encode_training_data", fake_encode)
    with pytest.raises(_Stop):
        invoke_raising("elmo", "train", cp949_corpus, "-o", tmp_path / "elmo", "--encoding", "cp949",
                       "--validation", cp949_corpus, "--tokenizer", "whitespace", "--quiet")
    words = {w for sentence in seen["corpus"] + seen["validation"] for w in sentence}
    assert words == set(KOREAN)


def test_elmo_embed_and_similar_read_text_in_the_encoding(cp949_corpus, tmp_path, monkeypatch):
    pytest.importorskip("torch")
    import wordvec.contextual

    class FakeELMo:
        tokenizer_ = {"name": "whitespace"}

        def embed(self, lines, layer, batch_size):
            self.lines = lines
            return namedtuple("Out", "sentences")(np.zeros((len(lines), 2), dtype=np.float32))

    fake = FakeELMo()
    monkeypatch.setattr(wordvec.contextual.ELMo, "load", classmethod(lambda cls, path, device=None: fake))
    out = tmp_path / "v.npy"
    result = invoke("elmo", "embed", "model", cp949_corpus, "-o", out, "--encoding", "cp949")
    assert result.exit_code == 0, result.output
    assert {w for line in fake.lines for w in line.split()} == set(KOREAN) and np.load(out).shape == (200, 2)
    assert_one_line_error(invoke("elmo", "embed", "model", cp949_corpus, "-o", tmp_path / "w.npy"),
                          "ko.txt", "line 1", "utf-8")

    seen = {}

    def fake_nearest(model, sentence, word, corpus, **kwargs):  # reads the files as the real one does
        seen["sentences"] = list(wordvec.corpus.as_corpus(corpus, "whitespace", encoding=kwargs["encoding"]))
        return []

    monkeypatch.setattr(wordvec.contextual, "nearest_occurrences", fake_nearest, raising=False)
    result = invoke("elmo", "similar", "model", "영화 정말", "영화", cp949_corpus, "--encoding", "cp949")
    assert result.exit_code == 0, result.output
    assert {w for s in seen["sentences"] for w in s} == set(KOREAN)


def invoke_raising(*args):
    """Invoke, letting an exception other than a user error through (the fakes' _Stop)."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"}, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# ----------------------------------------------------------------------- advice names real formats
def _advised_formats(err: str) -> list[str]:
    return re.findall(r"--(?:to|format) ([\w-]+)", err)


def _accepted(name: str) -> bool:
    return name in VECTOR_FORMATS or name in DEPRECATED_FORMATS


@pytest.fixture(scope="module")
def w2v_model(latin1_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("w2v") / "v"
    result = invoke("train", latin1_corpus, "-o", out, "--encoding", "latin-1", *TINY)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("to", ["fasttext", "fasttext-bin"])
def test_convert_to_fasttext_advises_a_format_the_cli_takes(w2v_model, tmp_path, to):
    err = assert_one_line_error(invoke("convert", w2v_model, tmp_path / "out.bin", "--to", to), "--to word2vec-text")
    advised = _advised_formats(err)
    assert advised and all(_accepted(name) for name in advised), advised
    assert "SubwordVectors" not in err and "format=" not in err  # no library names
    assert not (tmp_path / "out.bin").exists()
    # and the advice works
    result = invoke("convert", w2v_model, tmp_path / "out.vec", "--to", advised[0])
    assert result.exit_code == 0, result.output


def test_train_refuses_fasttext_bin_for_other_models_before_training(latin1_corpus, tmp_path):
    err = assert_one_line_error(invoke("train", latin1_corpus, "-o", tmp_path / "m.bin", "--format", "fasttext-bin",
                                       "--encoding", "latin-1", *TINY), "--model fasttext")
    advised = _advised_formats(err)
    assert advised and all(_accepted(name) for name in advised), advised


def test_jamo_vectors_to_fasttext_bin_advice_is_cli_words(cp949_corpus, tmp_path):
    native = tmp_path / "jamo"
    result = invoke("train", cp949_corpus, "-o", native, "--model", "fasttext", "--jamo", "--bucket", "1000",
                    "--encoding", "cp949", *TINY)
    assert result.exit_code == 0, result.output
    err = assert_one_line_error(invoke("convert", native, tmp_path / "j.bin", "--to", "fasttext-bin"), "jamo")
    advised = _advised_formats(err)
    assert advised and all(_accepted(name) for name in advised), advised
    assert "save_fasttext_vec" not in err and "format=" not in err


# ------------------------------------------------------------------------------ help defaults
def test_evaluate_help_shows_the_restrict_vocab_value():
    from wordvec.cli.evaluate import ANALOGY_RESTRICT_VOCAB
    from wordvec.evaluate import evaluate_analogies

    assert ANALOGY_RESTRICT_VOCAB == inspect.signature(evaluate_analogies).parameters["restrict_vocab"].default
    text = " ".join(plain(invoke("evaluate", "--help").stdout).split())
    assert "evaluate_analogies" not in text
    row = text.split("--restrict-vocab", 1)[1].split("--method", 1)[0]
    assert f"[default: {ANALOGY_RESTRICT_VOCAB}]" in row


def test_evaluate_restrict_vocab_zero_means_all_keys(w2v_model, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text(": s\ncafé thé crème brûlée\n", encoding="utf-8")
    # the model has 10 words: 0 (all keys) and the default (30,000) both take the 10
    for value, shown in [("0", "restrict_vocab=10,"), ("5", "restrict_vocab=5,"), (None, "restrict_vocab=10,")]:
        args = ["evaluate", w2v_model, "--analogies", questions, "--similarity", "none"]
        result = invoke(*args, *(["--restrict-vocab", value] if value else []))
        assert result.exit_code == 0, result.output
        assert shown in plain(result.stdout)


# ------------------------------------------------------------------------------ display width
@pytest.fixture(scope="module")
def mixed_model(tmp_path_factory) -> Path:
    keys = ["왕", "king", "여왕", "queen", "남자", "a", "대한민국", "princess"]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(keys), 8)).astype(np.float32)
    path = tmp_path_factory.mktemp("mixed") / "v"
    wordvec.save(KeyedVectors(keys, vectors), path)
    return path


def _score_columns(output: str) -> set[int]:
    """The display width of each row (the similarity, last, has a fixed width)."""
    rows = [line for line in output.splitlines() if re.search(r"-?\d\.\d{4}$", line)]
    assert len(rows) > 1, output
    return {cell_len(line) for line in rows}


def test_similar_aligns_korean_by_display_width(mixed_model):
    result = invoke("similar", mixed_model, "왕", "--topn", "7")
    assert result.exit_code == 0, result.output
    assert len(_score_columns(plain(result.stdout))) == 1, result.stdout


def test_analogy_aligns_korean_by_display_width(mixed_model):
    result = invoke("analogy", mixed_model, "남자", "왕", "queen", "--topn", "5")
    assert result.exit_code == 0, result.output
    assert len(_score_columns(plain(result.stdout))) == 1, result.stdout


def test_format_neighbours_and_format_matches_pad_by_cells():
    from wordvec.cli.docs import format_matches
    from wordvec.cli.similar import format_neighbours

    rows = format_neighbours([("대한민국", 0.9), ("ab", 0.5), ("왕", 0.1)]).splitlines()
    assert rows[0] == "  1  대한민국   0.9000"  # 8 columns wide
    assert rows[1] == "  2  ab         0.5000"
    assert rows[2] == "  3  왕         0.1000"
    Match = namedtuple("Match", "id score title")
    rows = format_matches([Match("문서1", 0.9, "제목"), Match("doc-2", 0.5, "title")]).splitlines()
    assert rows == ["  1   0.9000  문서1  제목", "  2   0.5000  doc-2  title"]


def test_docs_and_classify_read_tables_in_the_encoding_given(tmp_path):
    from wordvec.documents import read_documents
    from wordvec.torch import read_labelled

    table = tmp_path / "t.tsv"
    table.write_bytes("id\ttitle\ttext\tlabel\n1\tcaf\u00e9\tun caf\u00e9 cr\u00e8me\tpos\n".encode("latin-1"))
    assert read_documents(table, encoding="latin-1")[0].title == "caf\u00e9"
    assert read_labelled(table, encoding="latin-1").texts == ["un caf\u00e9 cr\u00e8me"]
    with pytest.raises(ValueError, match="--encoding"):
        read_labelled(table)
    for command in (["docs"], ["classify", "train"], ["classify", "evaluate"]):
        assert "--encoding" in invoke(*command, "--help").stdout


# ------------------------------------------------------------------------ missing extras
def test_missing_extra_messages_quote_the_extra():
    """``pip install 'wordvec[viz]'`` works in every shell; zsh reads unquoted brackets as a pattern."""
    import re

    from wordvec.contextual._extras import INSTALL_HINT as ELMO_HINT
    from wordvec.corpus.korean import INSTALL_HINT as KO_HINT
    from wordvec.torch._extras import TORCH_HINT
    from wordvec.vectors.ann import ANN_HINT
    from wordvec.vectors.wmd import WMD_HINT
    from wordvec.viz._extras import VIZ_HINT, WEB_HINT

    for hint in (ELMO_HINT, KO_HINT, TORCH_HINT, ANN_HINT, WMD_HINT, VIZ_HINT, WEB_HINT):
        assert re.search(r"pip install 'wordvec\[[a-z]+\]'", hint), hint
    for command in (["classify"], ["classify", "train"], ["train"]):  # and the help that names an extra
        text = " ".join(plain(invoke(*command, "--help").stdout).split())
        installs = re.findall(r"pip install \S*wordvec\[\S*", text)
        assert installs and all("'wordvec[" in i for i in installs), (command, installs)


def test_missing_viz_extra_names_the_quoted_command(monkeypatch):
    import sys

    from wordvec.viz._extras import require

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"plotting needs matplotlib, which is not installed: "
                                          r"pip install 'wordvec\[viz\]'"):
        require("matplotlib", "plotting")
