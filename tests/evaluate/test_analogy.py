"""Word-analogy evaluation: known answers, OOV counting, agreement with gensim 4.4."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from wordvec.evaluate import AnalogyResult, evaluate_analogies, load_analogies
from wordvec.vectors.keyed import KeyedVectors


def _write(tmp_path, text, name="q.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ hand-built vectors
@pytest.fixture()
def royal_kv():
    keys = ["man", "woman", "king", "queen", "apple"]
    vectors = np.array(
        [[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 1], [0, 0, -1]], dtype=np.float32
    )
    return KeyedVectors(keys, vectors)


@pytest.fixture()
def royal_file(tmp_path):
    return _write(tmp_path, (
        ": family\n"
        "man king woman queen\n"
        "man woman king queen\n"
        "king queen man woman\n"
        "woman man queen prince\n"  # prince is not in the vocabulary
        ": gram-test\n"
        "man king woman apple\n"  # the answer is queen: wrong
        "Man King Woman Queen\n"  # case-insensitive by default
    ))


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_known_answers(royal_kv, royal_file, method):
    res = evaluate_analogies(royal_kv, royal_file, method=method)
    assert isinstance(res, AnalogyResult)
    fam, gram = res.sections
    assert (fam.name, fam.correct, fam.total, fam.skipped, fam.syntactic) == ("family", 3, 3, 1, False)
    assert (gram.name, gram.correct, gram.total, gram.skipped, gram.syntactic) == ("gram-test", 1, 2, 0, True)
    assert (res.correct, res.total, res.skipped, res.questions) == (4, 5, 1, 6)
    assert res.accuracy == pytest.approx(0.8)
    assert res.coverage == pytest.approx(5 / 6)
    assert (res.semantic.correct, res.semantic.total) == (3, 3)
    assert (res.syntactic.correct, res.syntactic.total) == (1, 2)
    assert res.method == method and res.restrict_vocab == 5


def test_case_sensitive_and_restricted(royal_kv, royal_file):
    res = evaluate_analogies(royal_kv, royal_file, case_insensitive=False)
    assert (res.correct, res.total, res.skipped) == (3, 4, 2)  # "Man King Woman Queen" is OOV now
    res = evaluate_analogies(royal_kv, royal_file, restrict_vocab=3)  # queen and apple are out
    assert (res.correct, res.total, res.skipped) == (0, 0, 6)
    assert res.accuracy == 0.0 and res.coverage == 0.0


def test_question_words_are_never_the_answer(tmp_path):
    keys = ["man", "king", "woman", "queen", "apple"]
    vectors = np.array(
        [[1, 0, 0], [1, 0, 1], [0.9, 0.1, 0], [0.5, 0.5, 1], [0, 1, 0]], dtype=np.float32
    )
    kv = KeyedVectors(keys, vectors)
    unit = kv.unit_vectors
    query = unit[1] - unit[0] + unit[2]
    assert int(np.argmax(unit @ query)) == 1  # unmasked, "king" itself would win
    res = evaluate_analogies(kv, _write(tmp_path, ": s\nman king woman queen\n"))
    assert res.correct == 1


def test_case_variants_follow_gensim(tmp_path):
    # "King" comes before "king": its vector answers for KING. "Woman" (a variant of a
    # question word) would be the nearest candidate but is excluded like "woman" itself.
    keys = ["King", "man", "woman", "queen", "king", "Woman"]
    vectors = np.array(
        [[1, 0, 1], [1, 0, 0], [0, 1, 0], [0.05, 1, 1], [0, 0, -1], [0, 1, 1]], dtype=np.float32
    )
    kv = KeyedVectors(keys, vectors)
    path = _write(tmp_path, ": s\nman king woman queen\n")
    assert evaluate_analogies(kv, path).correct == 1
    res = evaluate_analogies(kv, path, case_insensitive=False)
    assert (res.total, res.correct) == (1, 0)  # lower-case "king" has the unhelpful vector


def test_arguments_validated(royal_kv, royal_file):
    with pytest.raises(ValueError, match="method"):
        evaluate_analogies(royal_kv, royal_file, method="3cosplus")
    with pytest.raises(ValueError, match="batch_size"):
        evaluate_analogies(royal_kv, royal_file, batch_size=0)
    with pytest.raises(ValueError, match="restrict_vocab"):
        evaluate_analogies(royal_kv, royal_file, restrict_vocab=0)


def test_summary_and_dict(royal_kv, royal_file):
    res = evaluate_analogies(royal_kv, load_analogies(royal_file))
    text = str(res)
    for word in ("family", "gram-test", "semantic", "syntactic", "total", "skipped", "80.0%"):
        assert word in text
    d = res.to_dict()
    assert d["correct"] == 4 and d["total"] == 5 and d["skipped"] == 1
    assert d["sections"][0] == {"section": "family", "kind": "semantic", "correct": 3, "total": 3,
                                "skipped": 1, "accuracy": 1.0, "via_oov": 0}
    assert d["oov"] is False and d["oov_words"] == 0 and d["via_oov"] == 0
    assert d["syntactic"]["accuracy"] == pytest.approx(0.5)


# ------------------------------------------------------------------ random vectors vs gensim
def _google_like_kv(dim=40, seed=5):
    """Google analogy words (lower-cased) with planted offsets, case variants and fillers."""
    ds = load_analogies("google")
    rng = np.random.default_rng(seed)
    words = sorted({w.lower() for s in ds.sections for q in s.questions for w in q})
    pool = words + [f"filler{i}" for i in range(1500)]
    rng.shuffle(pool)
    keys: list[str] = []
    for i, w in enumerate(pool):
        if i % 23 == 0:
            keys.append(w.upper())  # variant before: its vector answers for the word
        keys.append(w)
        if i % 17 == 0:
            keys.append(w.capitalize() if w.capitalize() != w else w + "_")
    keys = list(dict.fromkeys(keys))
    index = {k: i for i, k in enumerate(keys)}
    vectors = rng.standard_normal((len(keys), dim)).astype(np.float32)
    planted: set[str] = set()
    for section in ds.sections:  # b = a + section offset + noise, once per word
        offset = rng.standard_normal(dim) * 1.5
        for q in section.questions:
            for a, b in ((q[0], q[1]), (q[2], q[3])):
                a, b = a.lower(), b.lower()
                if b not in planted:
                    planted.add(b)
                    vectors[index[b]] = vectors[index[a]] + offset + 0.6 * rng.standard_normal(dim)
                    if b.upper() in index:  # a near copy (an exact one would tie)
                        vectors[index[b.upper()]] = vectors[index[b]] + 0.1 * rng.standard_normal(dim)
    return ds, keys, vectors


@pytest.mark.parametrize("case_insensitive", [True, False])
def test_3cosadd_agrees_with_gensim(case_insensitive):
    gensim_models = pytest.importorskip("gensim.models")
    ds, keys, vectors = _google_like_kv()
    restrict = int(len(keys) * 0.75)
    ours = evaluate_analogies(
        KeyedVectors(keys, vectors), "google", restrict_vocab=restrict, case_insensitive=case_insensitive
    )
    gkv = gensim_models.KeyedVectors(vector_size=vectors.shape[1])
    gkv.add_vectors(keys, vectors)
    path = resources.files("wordvec.evaluate") / "data" / "questions-words.txt"
    score, sections = gkv.evaluate_word_analogies(
        str(path), restrict_vocab=restrict, case_insensitive=case_insensitive
    )
    gsections = sections[:-1]  # the last one is gensim's total
    assert [s["section"] for s in gsections] == [s.name for s in ours.sections]
    for g, o, d in zip(gsections, ours.sections, ds.sections):
        assert (len(g["correct"]), len(g["incorrect"])) == (o.correct, o.total - o.correct), o.name
        assert len(d) - len(g["correct"]) - len(g["incorrect"]) == o.skipped, o.name
    assert ours.accuracy == pytest.approx(score)
    if case_insensitive:
        assert 0 < ours.skipped < ours.questions
        assert 0.2 < ours.accuracy < 0.95  # the planted structure is found, not perfectly


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # gensim's own init_sims() call
def test_3cosmul_agrees_with_gensim_most_similar_cosmul(tmp_path):
    gensim_models = pytest.importorskip("gensim.models")
    ds, keys, vectors = _google_like_kv(seed=8)
    # every 12th question, lower-cased, case-sensitive, whole vocabulary (gensim's
    # most_similar_cosmul ignores restrict_vocab)
    lines = []
    for section in ds.sections:
        lines.append(f": {section.name}")
        lines += [" ".join(q).lower() for q in section.questions[::12]]
    path = _write(tmp_path, "\n".join(lines) + "\n")
    ours = evaluate_analogies(
        KeyedVectors(keys, vectors), path, method="3cosmul", restrict_vocab=None, case_insensitive=False
    )
    gkv = gensim_models.KeyedVectors(vector_size=vectors.shape[1])
    gkv.add_vectors(keys, vectors)
    for section, result in zip(load_analogies(path).sections, ours.sections):
        correct = sum(
            gkv.most_similar_cosmul(positive=[b, c], negative=[a], topn=1)[0][0] == d
            for a, b, c, d in section.questions
        )
        assert (result.correct, result.total, result.skipped) == (correct, len(section), 0), section.name
    assert ours.correct > 0


def test_batch_size_does_not_change_results():
    ds, keys, vectors = _google_like_kv(dim=16, seed=2)
    kv = KeyedVectors(keys, vectors)
    small = load_analogies("google")
    a = evaluate_analogies(kv, small, restrict_vocab=2000, batch_size=37)
    b = evaluate_analogies(kv, small, restrict_vocab=2000, batch_size=4096)
    assert a.sections == b.sections
    c = evaluate_analogies(kv, small, restrict_vocab=2000, method="3cosmul", batch_size=37)
    d = evaluate_analogies(kv, small, restrict_vocab=2000, method="3cosmul", batch_size=4096)
    assert c.sections == d.sections
