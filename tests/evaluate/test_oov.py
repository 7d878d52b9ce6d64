"""OOV-aware evaluation (``oov=True``): vectors built from subwords for words outside the vocabulary.

Hand-built SubwordVectors with character 1-grams only and one-hot n-gram rows make every
vector a "bag of characters", so the expected answers can be worked out on paper; random
SubwordVectors are checked against a plain per-question reference.
"""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.evaluate import evaluate_analogies, evaluate_similarity, load_analogies
from wordvec.evaluate.oov import has_subwords, oov_vectors
from wordvec.evaluate.similarity import restricted_vocab, spearman
from wordvec.vectors.keyed import KeyedVectors
from wordvec.vectors.subword import SubwordVectors
from wordvec.vocab.subwords import fasttext_hash

BUCKET = 1009


def _write(tmp_path, text, name="q.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def bag_of_chars(keys: list[str], chars: str) -> SubwordVectors:
    """Word rows zero, 1-gram rows one-hot: a word's vector is the sum of its characters' axes (scaled)."""
    rows = {fasttext_hash(ch) % BUCKET for ch in chars}
    assert len(rows) == len(set(chars)), "hash collision: pick other characters"
    ngram_rows = np.zeros((BUCKET, len(chars)), dtype=np.float32)
    for axis, ch in enumerate(chars):
        ngram_rows[fasttext_hash(ch) % BUCKET, axis] = 1.0
    return SubwordVectors(keys, np.zeros((len(keys), len(chars)), np.float32), ngram_rows,
                          min_n=1, max_n=1, bucket=BUCKET)


KO_KEYS = ["가나", "가나다", "라마", "바사", "아자", "차카"]
KO_CHARS = "가나다라마바사아자차카"
KO_QUESTIONS = (
    ": syn1_case\n"
    "가나 가나다 라마 라마다\n"  # the answer 라마다 is not in the vocabulary
    ": sem1_test\n"
    "가나다 가나 라마다 라마\n"  # a question word (c) is not in the vocabulary
    "가나 가나 라마다 라마\n"  # b - a + c = c: only masking the OOV question word c lets 라마 win
)


@pytest.fixture()
def ko_kv() -> SubwordVectors:
    return bag_of_chars(KO_KEYS, KO_CHARS)


# ------------------------------------------------------------------ analogies, by hand
def test_without_oov_unseen_words_are_skipped(ko_kv, tmp_path):
    res = evaluate_analogies(ko_kv, _write(tmp_path, KO_QUESTIONS))
    assert (res.total, res.skipped, res.coverage) == (0, 3, 0.0)
    assert res.oov is False and res.oov_words == 0 and res.via_oov == 0


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_oov_answers_through_subword_vectors(ko_kv, tmp_path, method):
    res = evaluate_analogies(ko_kv, _write(tmp_path, KO_QUESTIONS), oov=True, method=method)
    assert (res.correct, res.total, res.skipped, res.questions) == (3, 3, 0, 3)
    assert res.coverage == 1.0 and res.accuracy == 1.0
    assert res.oov is True and res.oov_words == 1  # 라마다, appended once as a candidate
    assert res.via_oov == 3
    syn, sem = res.sections
    assert (syn.via_oov, syn.syntactic, sem.via_oov) == (1, True, 2)
    assert (res.syntactic.via_oov, res.semantic.via_oov) == (1, 2)


def test_oov_question_word_is_never_the_answer(ko_kv, tmp_path):
    unit = {w: ko_kv.get_vector(w) / np.linalg.norm(ko_kv.get_vector(w)) for w in ["라마", "라마다"]}
    # Unmasked, c itself (라마다, an appended candidate) would be the best answer to "가나 가나 라마다 ?".
    assert unit["라마다"] @ unit["라마다"] > unit["라마다"] @ unit["라마"]
    res = evaluate_analogies(ko_kv, _write(tmp_path, ": s\n가나 가나 라마다 라마\n"), oov=True)
    assert res.correct == 1


def test_words_beyond_restrict_vocab_get_their_own_vectors(ko_kv, tmp_path):
    res = evaluate_analogies(ko_kv, _write(tmp_path, KO_QUESTIONS), oov=True, restrict_vocab=2)
    assert res.restrict_vocab == 2
    assert (res.correct, res.total, res.oov_words) == (3, 3, 2)  # 라마 (vocabulary, beyond 2) and 라마다
    limit, lookup, _ = restricted_vocab(ko_kv, 2, True)
    extra = oov_vectors(ko_kv, ["라마", "라마다", "라마", "가나"], lookup, limit, True)
    assert extra.words == ("라마", "라마다") and extra.first == 2
    assert extra.index == {"라마": 2, "라마다": 3}
    v = ko_kv["라마"]
    np.testing.assert_allclose(extra.unit[0], v / np.linalg.norm(v), rtol=1e-6)


def test_case_insensitive_oov_words_fold_together(tmp_path):
    kv = bag_of_chars(["cat", "dog", "bird"], "catsdogbirCD")
    path = _write(tmp_path, ": gram-plural\ncat Cats dog dogs\nCat cats Dog Dogs\n")
    res = evaluate_analogies(kv, path, oov=True)
    assert (res.correct, res.total, res.oov_words, res.via_oov) == (2, 2, 2, 2)  # CATS, DOGS
    sensitive = evaluate_analogies(kv, path, oov=True, case_insensitive=False)
    assert (sensitive.correct, sensitive.total, sensitive.oov_words) == (2, 2, 6)
    assert evaluate_analogies(kv, path).total == 0


def test_words_without_any_vector_are_still_skipped(tmp_path):
    rng = np.random.default_rng(0)
    kv = SubwordVectors(KO_KEYS, rng.normal(size=(len(KO_KEYS), 4)), np.zeros((0, 4), np.float32),
                        min_n=0, max_n=0, bucket=0)  # n-grams off: no vector for unseen words
    assert has_subwords(kv) and not kv.has_vector("라마다")
    res = evaluate_analogies(kv, _write(tmp_path, KO_QUESTIONS), oov=True)
    assert (res.total, res.skipped, res.oov_words, res.via_oov) == (0, 3, 0, 0)
    assert "skipped (no vector)" in res.summary()


def test_plain_keyed_vectors_refuse_oov(tmp_path):
    kv = KeyedVectors(KO_KEYS, np.eye(len(KO_KEYS), dtype=np.float32))
    assert not has_subwords(kv)
    with pytest.raises(ValueError, match="subword information.*KeyedVectors"):
        evaluate_analogies(kv, _write(tmp_path, KO_QUESTIONS), oov=True)
    with pytest.raises(ValueError, match="subword information"):
        evaluate_similarity(kv, _write(tmp_path, "가나\t라마\t1\n", "p.tsv"), oov=True)


def test_oov_result_in_dict_and_summary(ko_kv, tmp_path):
    res = evaluate_analogies(ko_kv, _write(tmp_path, KO_QUESTIONS), oov=True)
    d = res.to_dict()
    assert (d["oov"], d["oov_words"], d["via_oov"], d["coverage"]) == (True, 1, 3, 1.0)
    assert d["sections"][0]["via_oov"] == 1 and d["syntactic"]["via_oov"] == 1
    text = res.summary()
    assert "OOV words from subwords" in text and "via OOV" in text
    assert "3 of them through vectors built for 1 out-of-vocabulary words" in text
    assert "skipped (out of vocabulary)" not in text


# ------------------------------------------------------------------ analogies vs a reference
def _random_subword_kv(n_keys=40, dim=10, seed=3) -> SubwordVectors:
    rng = np.random.default_rng(seed)
    syllables = list("가나다라마바사아자차카타파하")
    keys = sorted({"".join(rng.choice(syllables, size=rng.integers(1, 4))) for _ in range(3 * n_keys)})[:n_keys]
    return SubwordVectors(keys, rng.normal(size=(len(keys), dim)), rng.normal(size=(97, dim)),
                          min_n=1, max_n=2, bucket=97)


def _reference(kv, questions, limit, method, words):
    """Per question, in plain Python: the first ``limit`` keys + the other ``words`` with vectors as candidates."""
    vecs = {k: kv.unit_vectors[i] for i, k in enumerate(kv.index_to_key[:limit])}
    candidates = list(vecs)
    for w in words:
        if w not in vecs and kv.has_vector(w):
            v = kv.get_vector(w)
            vecs[w] = v / np.linalg.norm(v)
            candidates.append(w)
    m = np.stack([vecs[c] for c in candidates])
    out = []
    for a, b, c, d in questions:
        if any(w not in vecs for w in (a, b, c, d)):
            out.append(None)
            continue
        if method == "3cosadd":
            scores = m @ (vecs[b] - vecs[a] + vecs[c])
        else:
            s = lambda w: (1 + m @ vecs[w]) / 2  # noqa: E731
            scores = s(b) * s(c) / (s(a) + 1e-6)
        for w in (a, b, c):
            scores[candidates.index(w)] = -np.inf
        out.append(candidates[int(np.argmax(scores))])
    return out


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
@pytest.mark.parametrize("restrict", [None, 25])
def test_batched_oov_matches_reference(tmp_path, method, restrict):
    kv = _random_subword_kv()
    rng = np.random.default_rng(9)
    unseen = ["가나다라", "하하하하", "파타카차", "다다", "사아자차카"]
    pool = kv.index_to_key + unseen
    limit = len(kv) if restrict is None else restrict
    # Every pool word appears in the questions, so the candidates are the first `limit` keys + the rest
    # of the pool; half the questions get the reference's answer as d, the others a random d.
    questions = [tuple(rng.choice(pool, size=4, replace=False)) for _ in range(60)]
    best = _reference(kv, questions, limit, method, pool)
    questions = [(a, b, c, best[i] if i % 2 else d) for i, (a, b, c, d) in enumerate(questions)]
    questions += [tuple((pool * 2)[i:i + 4]) for i in range(0, len(pool), 4)]
    text = "".join(f": s{i}\n{' '.join(q)}\n" for i, q in enumerate(questions))
    res = evaluate_analogies(kv, _write(tmp_path, text), oov=True, restrict_vocab=restrict,
                             case_insensitive=False, method=method, batch_size=7)
    want = [answer == q[3] for answer, q in zip(_reference(kv, questions, limit, method, pool), questions)]
    got = [bool(s.correct) for s in res.sections]
    assert got == want
    assert res.total == len(questions) and res.skipped == 0  # every word has n-grams (min_n=1)
    assert sum(got[1:60:2]) == 30 and res.correct >= 30
    assert res.oov_words == len(pool) - limit


def test_oov_off_is_unchanged_with_subword_vectors(tmp_path):
    kv = _random_subword_kv()
    ds = load_analogies(_write(tmp_path, ": s\n" + "\n".join(
        " ".join(kv.index_to_key[i:i + 4]) for i in range(0, 36, 2)) + "\n"))
    off = evaluate_analogies(kv, ds)
    plain = evaluate_analogies(KeyedVectors(kv.index_to_key, kv.vectors), ds)
    assert off.sections == plain.sections
    on = evaluate_analogies(kv, ds, oov=True)  # every word is in the vocabulary: nothing is added
    assert (on.correct, on.total, on.oov_words, on.via_oov) == (off.correct, off.total, 0, 0)


# ------------------------------------------------------------------ similarity
def test_similarity_with_oov_words(tmp_path):
    kv = _random_subword_kv()
    k = kv.index_to_key
    pairs = [(k[0], k[1], 3.0), (k[2], "가나다라", 1.0), ("하하하하", k[3], 7.5), ("파타카차", "다다", 5.0),
             (k[4], k[5], 9.0), (k[6].lower(), k[7], 2.0)]
    path = _write(tmp_path, "".join(f"{a}\t{b}\t{s}\n" for a, b, s in pairs), "pairs.tsv")
    off = evaluate_similarity(kv, path)
    assert (off.pairs_used, off.pairs_skipped, off.oov, off.oov_words, off.pairs_via_oov) == (3, 3, False, 0, 0)
    res = evaluate_similarity(kv, path, oov=True)
    assert (res.pairs_used, res.pairs_skipped, res.coverage) == (6, 0, 1.0)
    assert (res.oov, res.oov_words, res.pairs_via_oov) == (True, 4, 3)

    def cos(a, b):
        va, vb = kv.get_vector(a), kv.get_vector(b)
        return float(va @ vb / np.linalg.norm(va) / np.linalg.norm(vb))

    model = [cos(a, b) for a, b, _ in pairs]
    assert res.spearman == pytest.approx(spearman(np.array([s for *_, s in pairs]), np.array(model)))
    d = res.to_dict()
    assert (d["oov"], d["oov_words"], d["pairs_via_oov"]) == (True, 4, 3)
    assert "3 of them through vectors built for 4 out-of-vocabulary words" in res.summary()
    assert "skipped (out of vocabulary)" in off.summary()


def test_similarity_restricted_vocab_with_oov(tmp_path):
    kv = _random_subword_kv()
    k = kv.index_to_key
    path = _write(tmp_path, f"{k[0]}\t{k[30]}\t1\n{k[1]}\t{k[2]}\t2\n{k[3]}\t{k[35]}\t3\n", "pairs.tsv")
    res = evaluate_similarity(kv, path, restrict_vocab=10, oov=True)
    assert (res.pairs_used, res.oov_words, res.pairs_via_oov) == (3, 2, 2)
    full = evaluate_similarity(kv, path, restrict_vocab=None)
    assert res.spearman == pytest.approx(full.spearman)  # beyond the restriction: the words' own vectors


# ------------------------------------------------------------------ a trained FastText
def test_trained_fasttext_answers_unseen_forms():
    """Four noun+을 forms never occur in the corpus; with oov=True their questions are answered."""
    import random

    from wordvec.evaluate import AnalogyDataset, AnalogySection
    from wordvec.models.fasttext import FastText

    rng = random.Random(0)
    nouns = ["자동차", "인터넷", "학교", "사과", "바다", "하늘", "친구", "영화", "음악", "도시", "나무", "컴퓨터"]
    verbs = ["본다", "산다", "좋아한다", "찾는다", "만든다"]
    held_out = {"컴퓨터을", "나무을", "도시을", "음악을"}  # (grammar aside: the same particle everywhere)
    corpus = []
    for _ in range(3000):
        form = rng.choice(nouns) + rng.choice(["을", "이", "은", "과"])
        if form not in held_out:
            corpus.append([form, rng.choice(nouns), rng.choice(verbs)])
    kv = FastText(24, min_count=1, epochs=5, workers=1, seed=1, min_n=1, max_n=3, bucket=20000,
                  progress=False).fit(corpus).wv
    assert not any(w in kv for w in held_out) and all(kv.has_vector(w) for w in held_out)
    questions = tuple((a, a + "을", b, b + "을") for a in nouns for b in nouns if a != b)
    ds = AnalogyDataset("case", (AnalogySection("syn1_case", questions),))
    plain = evaluate_analogies(kv, ds)
    res = evaluate_analogies(kv, ds, oov=True)
    assert (plain.total, plain.skipped) == (56, 76)
    assert (res.total, res.skipped, res.coverage) == (132, 0, 1.0)
    assert res.via_oov == 76 and res.oov_words == 4
    assert res.correct > plain.correct
