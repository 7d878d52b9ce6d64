"""Every float setting is finite before training starts, and arrays the machine cannot hold are
refused before they are allocated, as one line on the command line."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest
from typer.testing import CliRunner

from wordvec.cli.app import app
from wordvec.config import (
    ClassifierConfig,
    ContextualClassifierConfig,
    CooccurrenceConfig,
    FastTextConfig,
    GloVeConfig,
    PPMISVDConfig,
    Word2VecConfig,
)
from wordvec.contextual.config import BiLMConfig

CONFIGS = (Word2VecConfig, FastTextConfig, CooccurrenceConfig, GloVeConfig, PPMISVDConfig, ClassifierConfig,
           ContextualClassifierConfig, BiLMConfig)
FLOAT_FIELDS = [(cls, f.name) for cls in CONFIGS for f in dataclasses.fields(cls) if "float" in str(f.type)]


def test_the_float_fields_are_found():
    found = {(cls.__name__, name) for cls, name in FLOAT_FIELDS}
    assert {("Word2VecConfig", "ns_exponent"), ("Word2VecConfig", "sample"), ("FastTextConfig", "alpha"),
            ("CooccurrenceConfig", "memory_mb"), ("GloVeConfig", "grad_clip"), ("PPMISVDConfig", "shift"),
            ("ClassifierConfig", "validation_split"), ("ContextualClassifierConfig", "learning_rate"),
            ("BiLMConfig", "cell_clip"), ("BiLMConfig", "softmax_div_value")} <= found
    assert {cls for cls, _ in FLOAT_FIELDS} == set(CONFIGS)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(("cls", "name"), FLOAT_FIELDS, ids=[f"{c.__name__}.{n}" for c, n in FLOAT_FIELDS])
def test_every_float_field_refuses_non_finite_values(cls, name, value):
    cls().validate()  # the defaults are valid
    with pytest.raises(ValueError, match=rf"^{name} must be a finite number, got -?(nan|inf)$"):
        cls(**{name: value}).validate()


@pytest.mark.parametrize(("cls", "name", "value"), [
    (Word2VecConfig, "ns_exponent", 1e6),  # count ** 1e6 overflows the noise distribution
    (Word2VecConfig, "sample", -1e-3),
    (PPMISVDConfig, "shift", 0.5),
    (PPMISVDConfig, "eig", -1.0),
    (GloVeConfig, "x_max", 0.0),
    (ClassifierConfig, "learning_rate", 0.0),
    (BiLMConfig, "dropout", 1.0),
])
def test_finite_values_out_of_range_are_refused(cls, name, value):
    with pytest.raises(ValueError, match=name):
        cls(**{name: value}).validate()


def test_a_string_where_a_number_belongs_is_a_value_error():
    with pytest.raises(ValueError, match=r"alpha must be a finite number, got 'fast'"):
        Word2VecConfig(alpha="fast").validate()


def test_estimators_refuse_nan_before_reading_the_corpus():
    from wordvec import GloVe, Word2Vec

    with pytest.raises(ValueError, match="ns_exponent must be a finite number"):
        Word2Vec(ns_exponent=math.nan, progress=False).fit("/no/such/corpus.txt")
    with pytest.raises(ValueError, match="x_max must be a finite number"):
        GloVe(x_max=math.inf, progress=False).fit("/no/such/corpus.txt")


# ------------------------------------------------------------------ memory
SENTENCES = [[f"w{i}" for i in range(j, j + 20)] for j in range(0, 1000, 10)]  # 1,010 distinct words


def test_available_memory_is_known_here():
    from wordvec.models._jobs import available_memory

    available = available_memory()
    assert available is not None and available > 1 << 20


@pytest.mark.parametrize(("cls", "params", "names"), [
    ("Word2Vec", dict(vector_size=100_000_000), "vector_size"),
    ("FastText", dict(bucket=3_000_000_000), "bucket"),
    ("GloVe", dict(vector_size=1_000_000_000), "vector_size"),
])
def test_vectors_larger_than_memory_are_refused_before_allocation(cls, params, names):
    import wordvec

    model = getattr(wordvec, cls)(min_count=1, epochs=1, workers=1, progress=False, **params)
    with pytest.raises(ValueError, match=rf"need [\d,]+\.\d GiB of memory, but this machine has [\d,.]+ GiB "
                                         rf"available: lower .*{names}") as caught:
        model.fit(SENTENCES)
    assert "\n" not in str(caught.value)
    assert not hasattr(model, "vocab_")  # nothing was trained


def test_the_estimate_is_checked_against_what_is_available(monkeypatch):
    import wordvec.models._jobs as jobs
    from wordvec import PPMISVD, Word2Vec

    monkeypatch.setattr(jobs, "available_memory", lambda: 1 << 19)  # 0.5 MiB
    with pytest.raises(ValueError, match=r"1,010 words x 100 dimensions .* need 0\.8 MiB of memory, but this "
                                         r"machine has 0\.5 MiB available"):
        Word2Vec(min_count=1, epochs=1, progress=False).fit(SENTENCES)
    with pytest.raises(ValueError, match=r"the SVD's float64 work arrays\) need [\d.]+ MiB"):
        PPMISVD(vector_size=50, min_count=1, window=2, progress=False).fit(SENTENCES)
    monkeypatch.setattr(jobs, "available_memory", lambda: None)  # unknown: nothing refused
    Word2Vec(vector_size=8, min_count=1, epochs=1, workers=1, progress=False).fit(SENTENCES)


def test_ppmi_svd_refuses_an_eig_that_overflows_float32():
    from wordvec import PPMISVD

    with pytest.raises(ValueError, match="lower eig"):
        PPMISVD(vector_size=5, min_count=1, window=2, eig=1000.0, progress=False).fit(SENTENCES)


# ------------------------------------------------------------------ command line
def invoke(*args):
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "WORDVEC_TRACEBACK": ""})


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(" ".join(s) for s in SENTENCES) + "\n", encoding="utf-8")
    return path


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("note: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(("options", "expected"), [
    (["-d", "100000000"], r"1,010 words x 100,000,000 dimensions .* need [\d,]+\.\d GiB of memory, but this "
                          r"machine has [\d,.]+ GiB available: lower vector_size \(-d\)"),
    (["--model", "fasttext", "--bucket", "3000000000"], r"error: 3,000,000,000 n-gram buckets .* GiB available: "
                                                        r"lower bucket \(--bucket\)"),  # before reading
    (["--ns-exponent", "nan"], r"ns_exponent must be a finite number, got nan"),
    (["--sample", "inf"], r"sample must be a finite number, got inf"),
    (["--model", "glove", "--x-max", "nan"], r"x_max must be a finite number, got nan"),
])
def test_the_command_line_refuses_in_one_line(corpus, tmp_path, options, expected):
    result = invoke("train", corpus, "-o", tmp_path / "out", "--min-count", "1", "-w", "1", "-q", *options)
    assert re.search(expected, _one_line_error(result))
    assert not (tmp_path / "out").exists()
