"""A loss that explodes while staying finite stops training with a message naming the learning-rate
option; healthy training (real text, tiny corpora, high but sane rates) never trips the check."""

from __future__ import annotations

import itertools
import lzma
import math
import re

import numpy as np
import pytest

from wordvec import FastText, GloVe, Word2Vec
from wordvec.demo import demo_corpus_path
from wordvec.train import TrainingDivergedError
from wordvec.train.trainer import DIVERGENCE_FLOOR, DIVERGENCE_RATIO, run_epochs


# ------------------------------------------------------------------ the rule, on stand-in kernels
def _run(kernel, *, jobs=10, epochs=1, **kw):
    offsets = np.arange(0, 10 * jobs + 1, 10)
    kw.setdefault("alpha", 0.1)
    return run_epochs(kernel, offsets=offsets, epochs=epochs, min_alpha=0.0, workers=1, seed=1,
                      progress=False, job_words=10, **kw)


def _losses(per_example: dict[tuple[int, int], float], default: float, examples: int = 100):
    """A kernel whose loss per example is ``per_example[(epoch, job)]`` or ``default``."""
    calls = itertools.count()

    def kernel(s0, s1, a0, a1, rng):
        n = next(calls)
        return per_example.get((n // 10, n % 10), default) * examples, examples, 10

    return kernel


def test_a_finite_explosion_within_an_epoch_is_divergence():
    kernel = _losses({(0, j): 4.0 * 100 ** (j - 2) for j in range(3, 10)}, 4.0)
    with pytest.raises(TrainingDivergedError, match=r"^training diverged: the loss per example rose from 4 at the "
                                                    r"start to \d+(\.\d+)? in epoch 1, \d+ times as much; lower "
                                                    r"alpha \(now 0\.1\), --alpha on the command line$"):
        _run(kernel, rate_option="--alpha")


def test_a_finite_explosion_in_a_later_epoch_is_divergence():
    kernel = _losses({(2, j): 1e6 for j in range(10)}, 3.0)
    with pytest.raises(TrainingDivergedError, match=r"to 1e\+06 in epoch 3, 333,333 times as much; lower "
                                                    r"learning_rate \(now 0\.1\)$"):
        _run(kernel, epochs=4, rate_name="learning_rate")


def test_the_models_start_loss_catches_a_first_job_that_already_exploded():
    kernel = _losses({}, 5000.0)  # every job, the first too, at 5,000 per example
    _run(kernel)  # against the first job it looks steady
    with pytest.raises(TrainingDivergedError, match=r"per entry rose from 4\.16 at the start to 5000 in epoch 1"):
        _run(kernel, start_loss=6 * math.log(2), loss_unit="entry")


def test_a_loss_near_zero_is_compared_with_the_floor():
    start = 1e-4
    kernel = _losses({(0, j): start * 50 for j in range(1, 10)}, start)  # 50x a tiny start: noise
    _run(kernel)
    kernel = _losses({(0, j): DIVERGENCE_FLOOR * DIVERGENCE_RATIO * 2 for j in range(1, 10)}, start)
    with pytest.raises(TrainingDivergedError, match="rose from 0.0001 at the start"):
        _run(kernel)


def test_healthy_shapes_of_loss_do_not_fire():
    # falling fast, flat, rising a little (3x), spiky jobs averaged in the epoch: all below 10x
    _run(_losses({(0, j): 4.0 / (j + 1) for j in range(10)}, 1.0), epochs=3)
    _run(_losses({(e, j): 4.0 * (1 + 2 * e / 4) for e in range(5) for j in range(10)}, 4.0), epochs=5)
    _run(_losses({(0, 5): 4.0 * DIVERGENCE_RATIO * 0.9}, 4.0))


def test_jobs_without_examples_do_not_set_the_start():
    calls = itertools.count()

    def kernel(s0, s1, a0, a1, rng):
        n = next(calls)
        return (0.0, 0, 10) if n < 2 else (4.0 * 100, 100, 10)

    _run(kernel)  # the start is the first job with examples: 4 per example, steady


def test_the_threshold_leaves_a_wide_margin():
    # measured (trainer.py): healthy runs <= 1.05, the mildest divergence 377
    assert 5 <= DIVERGENCE_RATIO <= 40 and DIVERGENCE_FLOOR > 0


# ------------------------------------------------------------------ the models, on real text
@pytest.fixture(scope="module")
def text() -> list[list[str]]:
    """The bundled demo corpus's first 3,000 lines (about 80,000 tokens of the King James Bible)."""
    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as f:
        return [line.split() for line in itertools.islice(f, 3000)]


DIVERGING = {
    "skipgram": (Word2Vec, dict(alpha=0.5, vector_size=20), "example", r"4\.16", "alpha"),
    "cbow": (Word2Vec, dict(architecture="cbow", alpha=0.5), "example", r"4\.16", "alpha"),
    "hierarchical": (Word2Vec, dict(loss="hierarchical", alpha=0.5), "example", r"6\.\d+", "alpha"),
    "fasttext": (FastText, dict(alpha=0.5, bucket=20_000), "example", r"4\.16", "alpha"),
    "glove": (GloVe, dict(learning_rate=1.0), "entry", r"0\.\d+", "learning_rate"),
}


@pytest.mark.parametrize("name", DIVERGING)
def test_each_model_stops_when_its_loss_explodes(text, name):
    cls, params, unit, start, option = DIVERGING[name]
    rate = params.get("alpha", params.get("learning_rate"))
    model = cls(epochs=3, workers=1, seed=1, progress=False, **params)
    with pytest.raises(TrainingDivergedError) as caught:
        model.fit(text)
    message = str(caught.value)
    assert message.startswith(f"training diverged: the loss per {unit} rose from ")  # finite, not NaN
    assert f"lower {option} (now {rate}), --alpha on the command line" in message
    found = re.search(rf"rose from ({start}) at the start to ([\d.e+]+) in epoch 1, ", message)
    assert found, message
    assert float(found[2]) > DIVERGENCE_RATIO * float(found[1])


HEALTHY = {
    "skipgram": (Word2Vec, dict()),
    "skipgram-0.1": (Word2Vec, dict(alpha=0.1)),
    "cbow-0.05": (Word2Vec, dict(architecture="cbow", alpha=0.05)),
    "cbow-0.1": (Word2Vec, dict(architecture="cbow", alpha=0.1)),
    "cbow-sum": (Word2Vec, dict(architecture="cbow", cbow_mean=False, alpha=0.05)),
    "hierarchical": (Word2Vec, dict(loss="hierarchical", alpha=0.05)),
    "cbow-hierarchical": (Word2Vec, dict(architecture="cbow", loss="hierarchical", alpha=0.1)),
    "fasttext": (FastText, dict(bucket=20_000)),
    "fasttext-cbow": (FastText, dict(architecture="cbow", alpha=0.1, bucket=20_000)),
    "glove": (GloVe, dict(epochs=10)),
    "glove-0.2": (GloVe, dict(epochs=10, learning_rate=0.2)),
}


@pytest.mark.parametrize("name", HEALTHY)
def test_healthy_training_on_real_text_does_not_fire(text, name):
    cls, params = HEALTHY[name]
    params = {"epochs": 3, **params}
    model = cls(workers=1, seed=1, progress=False, **params).fit(text)
    means = [logs.mean_loss for logs in model.epoch_logs_]
    assert len(means) == params["epochs"] and all(map(math.isfinite, means))
    assert max(means) < 1.5 * means[0]  # nowhere near the threshold


TINY = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat", "on", "the", "log"],
        ["a", "cat", "and", "a", "dog"]] * 5


@pytest.mark.parametrize(("cls", "params"), [
    (Word2Vec, dict(alpha=0.2)),
    (Word2Vec, dict(architecture="cbow", alpha=0.2)),
    (Word2Vec, dict(loss="hierarchical", alpha=0.2)),
    (FastText, dict(alpha=0.2, bucket=1000)),
    (GloVe, dict(learning_rate=0.5)),
], ids=["skipgram", "cbow", "hierarchical", "fasttext", "glove"])
def test_healthy_training_on_a_tiny_corpus_does_not_fire(cls, params):
    extra = dict(window=2) if cls is GloVe else dict(sample=0)
    model = cls(vector_size=10, min_count=1, epochs=100, workers=1, seed=1, progress=False, **extra, **params)
    model.fit(TINY)
    assert len(model.epoch_logs_) == 100
