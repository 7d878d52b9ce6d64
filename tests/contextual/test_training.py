"""Training the biLM: the learned state, determinism, held-out perplexity, checkpoints that a killed
run resumes from, and the errors of a bad corpus or checkpoint."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from wordvec.contextual import ELMo
from wordvec.exceptions import EmptyVocabularyError, FormatError, NotFittedError
from wordvec.train.callbacks import Callback, LossLogger


def weights(model: ELMo) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.bilm_.state_dict().items()}


def same_weights(a: ELMo, b: ELMo) -> bool:
    wa, wb = weights(a), weights(b)
    return wa.keys() == wb.keys() and all(torch.equal(wa[k], wb[k]) for k in wa)


def test_the_learned_state(tiny_model, corpus):
    m = tiny_model
    assert m.vocab_ is not None and "bank" in m.vocab_
    assert set(m.perplexity_) == {"forward", "backward"}
    assert all(1.0 < v < len(m.vocab_) + 3 for v in m.perplexity_.values())
    assert len(m.history_) == 1 and set(m.history_[0]) >= {"loss", "train_perplexity", "forward_perplexity",
                                                            "backward_perplexity", "tokens", "seconds"}
    assert isinstance(m.loss_history_[0], float)
    assert m.corpus_stats_["heldout_sentences"] == 1  # 1 % of 120 sentences, at least one
    assert m.corpus_stats_["train_tokens"] + m.corpus_stats_["heldout_tokens"] == sum(map(len, corpus))
    assert m.training_stats_["tokens_per_second"] > 0
    assert "Held-out perplexity" in m.summary()
    assert m.n_parameters(softmax=True) > m.n_parameters() > 0


def test_training_lowers_the_perplexity(corpus, tiny):
    # 20 epochs: with the token LayerNorm (token_norm, the default) this toy corpus needs more updates
    # than without (12 epochs: 6.7 against 4.5); on real text it learns faster (benchmarks/RESULTS.md)
    model = ELMo(progress=False, **{**tiny, "epochs": 20, "learning_rate": 0.02, "min_learning_rate": 0.01}).fit(
        corpus, validation=corpus[:20])
    losses = model.loss_history_
    assert losses[-1] < losses[0] - 1.0, losses
    # 31 classes: a uniform guess has perplexity 31; the templates' grammar allows far fewer
    assert max(model.perplexity_.values()) < 6.0, model.perplexity_
    assert model.perplexity(corpus[:20]) == pytest.approx(model.perplexity_, rel=1e-5)


def test_a_seed_repeats_a_run_exactly(corpus, tiny):
    a = ELMo(progress=False, **tiny).fit(corpus)
    b = ELMo(progress=False, **tiny).fit(corpus)
    c = ELMo(progress=False, **{**tiny, "seed": 4}).fit(corpus)
    assert same_weights(a, b) and a.loss_history_ == b.loss_history_
    assert not same_weights(a, c)


def test_torch_global_random_state_is_left_alone(corpus, tiny):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    ELMo(progress=False, **tiny).fit(corpus)
    assert torch.equal(torch.rand(3), expected)


class Kill(Callback):
    """Raises KeyboardInterrupt after ``step`` batches: a run killed mid-epoch."""

    def __init__(self, step: int):
        self.step = step

    def on_batch_end(self, model, step: int) -> None:
        if step == self.step:
            raise KeyboardInterrupt


def test_a_killed_run_resumes_from_its_checkpoint_to_the_same_weights(corpus, tiny, tmp_path):
    settings = {**tiny, "epochs": 2}
    straight = ELMo(progress=False, **settings).fit(corpus)
    ckpt = tmp_path / "ckpt"
    with pytest.raises(KeyboardInterrupt):
        ELMo(progress=False, **settings).fit(corpus, checkpoint=ckpt, checkpoint_every=3, callbacks=[Kill(8)])
    assert (ckpt / "trainer.json").is_file()
    partial = ELMo.load(ckpt)  # a checkpoint loads as a model too
    assert not same_weights(partial, straight)
    logger = LossLogger()
    resumed = ELMo(progress=False, **settings).fit(corpus, checkpoint=ckpt, checkpoint_every=3, resume=True,
                                                   callbacks=[logger])
    assert same_weights(resumed, straight)
    assert resumed.loss_history_ == straight.loss_history_
    assert len(logger.history) == 2  # both epochs end in the resumed run (it started inside the first)


def test_resume_without_a_checkpoint_starts_afresh(corpus, tiny, tmp_path):
    a = ELMo(progress=False, **tiny).fit(corpus, checkpoint=tmp_path / "new", resume=True)
    assert same_weights(a, ELMo(progress=False, **tiny).fit(corpus))
    assert (tmp_path / "new" / "weights.safetensors").is_file()


def test_resuming_with_other_settings_or_another_corpus_is_refused(corpus, tiny, tmp_path):
    ckpt = tmp_path / "ckpt"
    ELMo(progress=False, **tiny).fit(corpus, checkpoint=ckpt)
    with pytest.raises(ValueError, match=r"other settings \(learning_rate\)"):
        ELMo(progress=False, **{**tiny, "learning_rate": 0.01}).fit(corpus, checkpoint=ckpt, resume=True)
    with pytest.raises(ValueError, match="another corpus"):
        ELMo(progress=False, **tiny).fit(corpus[:-5], checkpoint=ckpt, resume=True)


@pytest.mark.parametrize("name, damage", [("optimizer.safetensors", b"\x00garbage"),
                                          ("weights.safetensors", b"not tensors"),
                                          ("trainer.json", b'{"position": ')])
def test_a_corrupt_checkpoint_is_one_error_naming_the_file(corpus, tiny, tmp_path, name, damage):
    ckpt = tmp_path / "ckpt"
    ELMo(progress=False, **tiny).fit(corpus, checkpoint=ckpt)
    (ckpt / name).write_bytes(damage)
    with pytest.raises(FormatError, match=name.replace(".", r"\.")) as info:
        ELMo(progress=False, **tiny).fit(corpus, checkpoint=ckpt, resume=True)
    assert "\n" not in str(info.value)


def test_errors_before_training(tiny):
    with pytest.raises(TypeError, match="unknown ELMo setting: hidden_size"):
        ELMo(hidden_size=3)
    with pytest.raises(ValueError, match="lstm_dim must be at least projection_dim=8"):
        ELMo(progress=False, lstm_dim=4, projection_dim=8).fit([["a", "b"]])
    with pytest.raises(ValueError, match="unknown preset 'huge'"):
        ELMo("huge").config
    with pytest.raises(EmptyVocabularyError, match="corpus is empty"):
        ELMo(progress=False, **tiny).fit([[]])
    with pytest.raises(NotFittedError, match="call fit"):
        ELMo().embed(["a b"])
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="PyTorch sees no CUDA GPU"):
            ELMo(progress=False, device="cuda", **tiny).fit([["a", "b"]])
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        ELMo(progress=False, **tiny).fit("nowhere.txt")


def test_long_sentences_are_split_and_counted(tiny):
    long = [[f"w{i % 7}" for i in range(50)], ["a", "b"], ["c", "d"]]
    model = ELMo(progress=False, **{**tiny, "max_sentence_length": 20, "validation_split": 0.0}).fit(long)
    assert model.corpus_stats_["sentences_split"] == 1
    assert model.corpus_stats_["train_tokens"] == 54 and model.perplexity_ == {}


def test_files_and_the_korean_tokenizer(tmp_path, tiny, shared_data):
    pytest.importorskip("kiwipiepy")
    import gzip

    lines = []
    with gzip.open(shared_data / "corpora" / "ko" / "nsmc_reviews.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            lines.append(line)
            if len(lines) == 150:
                break
    path = tmp_path / "reviews.txt"
    path.write_text("".join(lines), encoding="utf-8")
    model = ELMo(progress=False, **{**tiny, "tokenizer": "korean"}).fit(path)
    assert model.tokenizer_["name"] == "korean"
    assert math.isfinite(model.perplexity_["forward"])
    out = model.embed([lines[0].strip()])
    assert out.sentences.shape == (1, model.dim) and np.all(np.isfinite(out.sentences))
