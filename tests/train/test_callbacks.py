"""Callbacks: every epoch is seen, training can be stopped, checkpoints are written between epochs."""

from __future__ import annotations

import numpy as np

from wordvec import Word2Vec
from wordvec.train import Callback, Checkpoint, EarlyStopping, LossLogger


def topic_corpus(rng, n_sent=200):
    """Two topics whose words co-occur only within their own topic."""
    animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"]
    metals = ["iron", "gold", "silver", "copper", "zinc", "lead", "tin", "steel"]
    return [list(rng.choice(animals if i % 2 else metals, size=8)) for i in range(n_sent)]


def test_callbacks_see_every_epoch_and_can_stop(rng):
    sents = topic_corpus(rng, 200)

    class Stop(Callback):
        def __init__(self):
            self.began = False

        def on_train_begin(self, model):
            self.began = True

        def on_epoch_end(self, model, logs):
            return logs.epoch == 1

    logger, stop = LossLogger(), Stop()
    m = Word2Vec(vector_size=8, min_count=1, epochs=6, callbacks=[logger, stop], progress=False).fit(sents)
    assert stop.began and len(logger.history) == 2 and len(m.loss_history_) == 2
    assert logger.history[0].words > 0 and logger.history[0].mean_loss > 0
    es = EarlyStopping(min_delta=0.99, patience=1)
    m = Word2Vec(vector_size=8, min_count=1, epochs=6, callbacks=[es], progress=False).fit(sents)
    assert len(m.loss_history_) == 2


def test_checkpoint_saves_the_vectors_of_each_epoch(rng, tmp_path):
    import wordvec
    from wordvec.io import read_native_config

    saved = []

    class Keep(Callback):  # after the checkpoint: what it wrote this epoch
        def on_epoch_end(self, model, logs):
            saved.append(np.asarray(wordvec.load(tmp_path / "ckpt").vectors).copy())

    m = Word2Vec(vector_size=8, min_count=1, epochs=2, workers=1, tokenizer="whitespace", progress=False,
                 callbacks=[Checkpoint(tmp_path / "ckpt"), Keep()])
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(" ".join(s) for s in topic_corpus(rng, 100)) + "\n", encoding="utf-8")
    m.fit(corpus)
    assert len(saved) == 2 and not np.array_equal(saved[0], saved[1])  # each epoch's own vectors
    np.testing.assert_array_equal(saved[1], m.wv.vectors)
    extra = read_native_config(tmp_path / "ckpt")["extra"]
    assert extra["config"]["epochs"] == 2 and extra["tokenizer"]["name"] == "whitespace"
