"""Phrases (word2phrase / gensim's Phrases): the counting kernel against its Python twin, every
behaviour against gensim 4's answer on the same input, saving and loading, the tokenizer stage.

gensim is the spec: its test corpus ``lee_background.cor`` and the shared English and Korean
corpora are counted by both and the counts, phrases, scores (to 1e-9) and joined sentences
compared. Tests on the shared data skip where it is absent.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from wordvec.corpus import phrases as ph
from wordvec.corpus.phrases import (ENGLISH_CONNECTOR_WORDS, FrozenPhrases, PhraseCounts, Phrases, load_phrases,
                                    npmi_scorer, original_scorer)
from wordvec.corpus.tokenizers import PhraseTokenizer, RegexTokenizer, is_batch_tokenizer
from wordvec.exceptions import FormatError, NotFittedError

gensim_phrases = pytest.importorskip("gensim.models.phrases", reason="the reference answers come from gensim")
GensimPhrases = gensim_phrases.Phrases

ENGLISH = "corpora/en/running.txt.gz"
NSMC = "corpora/ko/nsmc_reviews.txt.gz"


@pytest.fixture(scope="module")
def lee() -> list[list[str]]:
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
        return [simple_preprocess(line) for line in fh]


def english_lines(shared_data: Path, n: int) -> list[list[str]]:
    path = shared_data / ENGLISH
    if not path.is_file():
        pytest.skip(f"English corpus not found at {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.split() for line in itertools.islice(fh, n)]


def gensim_table(counts: PhraseCounts, delimiter: str = "_") -> dict[str, int]:
    """Our counts in gensim's layout: one dict, bigrams under their joined string."""
    return {**counts.unigrams(), **{delimiter.join(k): v for k, v in counts.bigrams().items()}}


def assert_same_as_gensim(sentences, **kw):
    g = GensimPhrases(sentences, **kw)
    ours = Phrases(**{k: v for k, v in kw.items()}).fit(sentences)
    assert gensim_table(ours.counts_) == g.vocab
    assert ours.counts_.corpus_word_count == g.corpus_word_count
    assert ours.counts_.len_vocab == len(g.vocab)
    expected, found = g.export_phrases(), ours.export_phrases()
    assert set(found) == set(expected)
    assert all(math.isclose(found[p], expected[p], rel_tol=0, abs_tol=1e-9) for p in expected)
    frozen = g.freeze()
    for s in sentences:
        assert ours.apply(s) == frozen[s], s
    return ours, g


# ---------------------------------------------------------------------------- kernel vs its twin
def _random_corpus(rng: random.Random, n_sent: int, vocab: int, connectors: set[str], long_every: int = 0):
    words = [f"w{i}" for i in range(vocab)] + sorted(connectors)
    weights = [1.0 / (i + 1) for i in range(vocab)] + [0.5] * len(connectors)  # Zipf-like, connectors common
    out = []
    for i in range(n_sent):
        n = rng.randint(0, 30) if not (long_every and i % long_every == 0) else 3000
        out.append(rng.choices(words, weights, k=n))
    return out


@pytest.mark.parametrize("cap", [10**9, 400, 60])
@pytest.mark.parametrize("with_connectors", [False, True])
def test_kernel_matches_python_twin(cap, with_connectors):
    from wordvec._kernels.reference_phrases import count_sentences

    connectors = {"of", "the"} if with_connectors else set()
    sentences = _random_corpus(random.Random(cap), 1500, 3000, connectors, long_every=500)
    ids: dict[str, int] = {}
    as_ids = [[ids.setdefault(w, len(ids)) for w in s] for s in sentences]
    conn_ids = {ids[w] for w in connectors if w in ids}
    uni, big, total, min_reduce, peak = count_sentences(as_ids, conn_ids.__contains__, cap)
    words = {i: w for w, i in ids.items()}
    counts = PhraseCounts.count(sentences, connectors, cap)
    assert counts.unigrams() == {words[i]: c for i, c in uni.items()}
    assert counts.bigrams() == {tuple(words[i] for i in k): c for k, c in big.items()}
    assert (counts.corpus_word_count, counts.min_reduce, counts.peak_entries) == (total, min_reduce, peak)
    assert (counts.prunes > 0) == (cap < 10**9)


def test_token_ids_are_renumbered_to_stay_bounded(monkeypatch):
    """A stream of ever new tokens: the token -> id map is renumbered, the counts stay exact."""
    from wordvec._kernels.reference_phrases import count_sentences

    monkeypatch.setattr(ph, "_COMPACT_MIN", 500)
    monkeypatch.setattr(ph, "_CHUNK_TOKENS", 256)
    rng = random.Random(7)
    sentences = [[f"u{i}_{j}" if rng.random() < 0.5 else f"w{rng.randint(0, 30)}" for j in range(12)]
                 for i in range(3000)]
    ids: dict[str, int] = {}
    as_ids = [[ids.setdefault(w, len(ids)) for w in s] for s in sentences]
    uni, big, *_ = count_sentences(as_ids, lambda w: False, 300)
    words = {i: w for w, i in ids.items()}
    counts = PhraseCounts.count(sentences, (), 300)
    assert counts.unigrams() == {words[i]: c for i, c in uni.items()}
    assert counts.bigrams() == {tuple(words[i] for i in k): c for k, c in big.items()}
    assert len(counts._ids.words) < 4 * 500  # about 18,000 distinct tokens were seen


def test_scorers_are_gensims():
    for args in [(10, 20, 5, 1000, 5, 10**5), (3, 4, 2, 50, 1, 70), (0, 4, 2, 50, 1, 70), (7, 9, 1, 80, 2, 300)]:
        assert original_scorer(*args) == gensim_phrases.original_scorer(*args)
        if args[0]:
            assert npmi_scorer(*args[:5], 10**6) == gensim_phrases.npmi_scorer(*args[:5], 10**6)
    assert npmi_scorer(0, 4, 2, 50, 1, 70) == -math.inf  # gensim: ZeroDivisionError


# ---------------------------------------------------------------------------- against gensim
@pytest.mark.parametrize("connectors", [frozenset(), ENGLISH_CONNECTOR_WORDS], ids=["plain", "connectors"])
@pytest.mark.parametrize("scoring,threshold", [("default", 1.0), ("default", 10.0), ("npmi", 0.1), ("npmi", 0.5)])
@pytest.mark.parametrize("cap", [40_000_000, 5000], ids=["uncapped", "pruned"])
def test_lee_corpus_same_as_gensim(lee, connectors, scoring, threshold, cap):
    ours, _ = assert_same_as_gensim(lee, min_count=2, threshold=threshold, scoring=scoring,
                                    connector_words=connectors, max_vocab_size=cap)
    assert len(ours.freeze()) > (10 if cap == 5000 else 200)
    assert (ours.counts_.prunes > 0) == (cap == 5000)


def test_gensim_docstring_example():
    from gensim.test.utils import datapath
    from gensim.models.word2vec import Text8Corpus

    sentences = list(Text8Corpus(datapath("testcorpus.txt")))
    model = Phrases(min_count=1, threshold=1, connector_words=ENGLISH_CONNECTOR_WORDS).fit(sentences)
    assert model.apply(["trees", "graph", "minors"]) == ["trees_graph", "minors"]
    assert_same_as_gensim(sentences, min_count=1, threshold=1, connector_words=ENGLISH_CONNECTOR_WORDS)


def test_greedy_joining_with_connectors_as_gensim():
    corpus = [["bank", "of", "america", "is", "in", "new", "york"]] * 6 + [["the", "new", "york", "times"]] * 3
    corpus += [["of", "the", "bank", "of", "america", "of"], ["new", "york", "york", "new"], ["a", "an", "the"], []]
    ours, g = assert_same_as_gensim(corpus, min_count=1, threshold=0.5, connector_words=ENGLISH_CONNECTOR_WORDS)
    assert ("bank", "of", "america") in ours.freeze().layers[0]
    assert ours.apply(["of", "the", "bank", "of", "america", "of"]) == ["of", "the", "bank_of_america", "of"]


def test_delimiter_and_tokens_are_kept_apart():
    """A token holding the delimiter never shares a count with a pair (gensim keys both as 'a_b')."""
    corpus = [["a_b", "c"], ["a", "b", "c"]] * 4
    counts = Phrases(min_count=1, threshold=1e-9).fit(corpus).counts_
    assert counts.unigrams()["a_b"] == 4 and counts.bigrams()[("a", "b")] == 4
    assert len(GensimPhrases(corpus, min_count=1).vocab) == counts.len_vocab - 1  # gensim merged the two


def test_english_corpus_same_as_gensim(shared_data):
    sentences = english_lines(shared_data, 20_000)
    ours, _ = assert_same_as_gensim(sentences, connector_words=ENGLISH_CONNECTOR_WORDS)
    top = [p for p, _, _ in ours.freeze().top(400)]
    assert {"hong_kong", "los_angeles"} <= set(top) or "new_york" in ours.export_phrases()


def test_memory_is_bounded_by_the_cap(shared_data):
    """With a cap, the table never holds much more than the cap (a couple of sentences' entries)
    and its arrays are sized by the cap, not by the corpus; the phrases are still gensim's."""
    sentences = english_lines(shared_data, 20_000)
    cap = 20_000
    ours, g = assert_same_as_gensim(sentences, max_vocab_size=cap, connector_words=ENGLISH_CONNECTOR_WORDS)
    counts = ours.counts_
    longest = max(map(len, sentences))
    assert counts.prunes > 10
    assert cap < counts.peak_entries <= cap + 4 * longest
    assert counts._ent.shape[0] <= 2 * (cap + 4 * longest)
    uncapped = PhraseCounts.count(sentences, ENGLISH_CONNECTOR_WORDS)
    assert uncapped.len_vocab > 10 * cap  # the cap did bind


def test_two_passes_join_phrases_of_phrases_as_gensim(lee):
    """passes=2 equals gensim's recipe, bigram = Phrases(s).freeze(); trigram = Phrases(bigram[s]),
    applied as trigram[bigram[s]], with the second pass's scores from gensim's analyze_sentence.
    (gensim's *frozen* second pass differs: it scores 'a_b_c' as a, c; gensim issue #3326.)"""
    for connectors in (frozenset(), ENGLISH_CONNECTOR_WORDS):
        kw = dict(min_count=2, threshold=2.0, connector_words=connectors)
        bigram = GensimPhrases(lee, **kw).freeze()
        joined = [bigram[s] for s in lee]
        trigram = GensimPhrases(joined, **kw)
        ours = Phrases(passes=2, **kw).fit(lee)
        assert gensim_table(ours.counts_) == trigram.vocab  # no token/pair collision on this text
        assert [ours.apply(s) for s in lee] == [trigram[s] for s in joined]
        second = {"_".join(k): v for k, v in ours.freeze().layers[1].items()}
        found = trigram.find_phrases(joined)
        assert set(found) <= set(second) and all(abs(found[p] - second[p]) < 1e-9 for p in found)
        assert any(p.count("_") >= 2 for p in found)


def test_korean_morphemes_same_path(shared_data, tmp_path, monkeypatch):
    pytest.importorskip("kiwipiepy", reason="the Korean tokenizer needs kiwipiepy (pip install 'wordvec[ko]')")
    from wordvec.corpus import KoreanTokenizer
    from wordvec.corpus.cache import CACHE_DIR_ENV, CachedCorpus

    path = shared_data / NSMC
    if not path.is_file():
        pytest.skip(f"NSMC reviews not found at {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, 4000))
    corpus_file = tmp_path / "reviews.txt"
    corpus_file.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    korean = KoreanTokenizer()
    morphemes = [s for s in map(korean, lines) if s]
    # Reviews hold '_' (kept as a symbol): gensim's joined keys then collide ('_' + 'ㅠ' is '__ㅠ',
    # which its export splits into '', '', 'ㅠ'), wordvec's token keys do not. With a delimiter
    # no token holds, the two agree exactly; with '_' they differ only on tokens holding '_'.
    delimiter = "\u2581"
    assert not any(delimiter in t for s in morphemes for t in s)
    model = Phrases(min_count=3, threshold=5.0, delimiter=delimiter, progress=False).fit(corpus_file, tokenizer=korean)
    g = GensimPhrases(morphemes, min_count=3, threshold=5.0, delimiter=delimiter)
    assert gensim_table(model.counts_, delimiter) == g.vocab
    assert model.export_phrases().keys() == g.export_phrases().keys() and len(model.freeze()) > 20
    underscore = Phrases(min_count=3, threshold=5.0, progress=False).fit(morphemes).freeze()
    differ = set(underscore.export_phrases()) ^ set(GensimPhrases(morphemes, min_count=3, threshold=5.0).export_phrases())
    holding = {t for s in morphemes for t in s if "_" in t}
    assert all(any(t in p for t in holding) for p in differ)
    tok = model.freeze().tokenizer(korean)
    assert is_batch_tokenizer(tok) and tok.describe()["phrases"] == model.freeze().digest
    cached = CachedCorpus(corpus_file, tok, cache_dir=tmp_path / "cache", progress=False)
    plain = CachedCorpus(corpus_file, korean, cache_dir=tmp_path / "cache", progress=False)
    assert cached.cache_path != plain.cache_path
    frozen = g.freeze()
    assert list(cached) == [frozen[s] for s in morphemes]
    assert list(cached) == [frozen[s] for s in morphemes] and cached.cache_hit


# ---------------------------------------------------------------------------- parameters
@pytest.mark.parametrize("kw,message", [
    (dict(scoring="pmi"), "scoring must be one of"),
    (dict(threshold=0), "threshold must be > 0"),
    (dict(scoring="npmi", threshold=10), "between -1 and 1"),
    (dict(min_count=0), "min_count must be > 0"),
    (dict(passes=0), "passes must be an integer >= 1"),
    (dict(max_vocab_size=1.5), "max_vocab_size must be an integer"),
    (dict(delimiter=""), "delimiter must be a non-empty string"),
])
def test_bad_parameters_are_named(kw, message):
    with pytest.raises(ValueError, match=message):
        Phrases(**kw).fit([["a", "b"]])


def test_other_misuse():
    with pytest.raises(TypeError, match="not one string"):
        Phrases(connector_words="the").fit([["a"]])
    with pytest.raises(NotFittedError, match="call fit"):
        Phrases().freeze()
    with pytest.raises(TypeError, match="not a list of tokens"):
        PhraseCounts.count(iter(["a b c"]))
    with pytest.raises(TypeError, match="tokens must be strings"):
        Phrases().fit([["a", 3]])
    assert Phrases(scoring="npmi", min_count=1).fit([["a", "b"]] * 3).frozen_.settings["threshold"] == 0.5
    assert Phrases().fit([]).freeze().export_phrases() == {}


# ---------------------------------------------------------------------------- saving and loading
@pytest.fixture
def learned(lee) -> FrozenPhrases:
    return Phrases(min_count=2, threshold=2.0, connector_words=ENGLISH_CONNECTOR_WORDS, passes=2).fit(lee).freeze()


def test_save_load_round_trip(learned, lee, tmp_path):
    learned.save(tmp_path / "ph")
    loaded = load_phrases(tmp_path / "ph")
    assert loaded.layers == learned.layers and loaded.counts == learned.counts
    assert loaded.connector_words == learned.connector_words and loaded.delimiter == "_"
    assert loaded.digest == learned.digest and loaded.settings == learned.settings
    assert [loaded.apply(s) for s in lee] == [learned.apply(s) for s in lee]
    config = json.loads((tmp_path / "ph" / "config.json").read_text())
    assert config["format_version"] == 1 and config["phrases"] == [len(x) for x in learned.layers]
    first = (tmp_path / "ph" / "phrases.tsv").read_text().split("\n")[0].split("\t")
    best = max(learned.layers[0].items(), key=lambda kv: kv[1])
    assert first[0] == "1" and float(first[1]) == best[1] and tuple(first[3:]) == best[0]
    learned.save(tmp_path / "ph")  # replaces its own kind of directory
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        learned.save(other)
    assert (other / "notes.txt").read_text() == "mine"


def test_unsaveable_token_is_named(tmp_path):
    frozen = FrozenPhrases([{("a\tb", "c"): 3.0}])
    with pytest.raises(ValueError, match="'a\\\\tb'"):
        frozen.save(tmp_path / "ph")
    assert not (tmp_path / "ph").exists()


@pytest.mark.parametrize("edit,message,line", [
    (lambda d: (d / "config.json").unlink(), "no config.json", None),
    (lambda d: (d / "config.json").write_text("{oops"), "invalid JSON", 1),
    (lambda d: (d / "config.json").write_text('{"kind": "vectors"}'), "not a phrases directory", 1),
    (lambda d: _config(d, format_version=9), "newer wordvec", 1),
    (lambda d: _config(d, passes=0), "'passes'", 1),
    (lambda d: (d / "phrases.tsv").unlink(), "missing phrases.tsv", None),
    (lambda d: _tsv(d, "1\t3.5\t4\tnew\tyork"), "truncated", 1),
    (lambda d: _tsv(d, "1\t3.5\t4\tnew\n"), "at least 2 tokens", 1),
    (lambda d: _tsv(d, "1\t3.5\t4\tnew\tyork\n1\tbig\t4\tlos\tangeles\n"), "must be numbers", 2),
    (lambda d: _tsv(d, "3\t3.5\t4\tnew\tyork\n"), "pass 3 is not between 1 and 1", 1),
    (lambda d: _tsv(d, "1\t3.5\t4\tnew\tyork\n1\t2.0\t4\tnew\tyork\n"), "listed twice", 2),
    (lambda d: _tsv(d, "1\t3.5\t4\tnew\tthe\n"), "connector word", 1),
    (lambda d: (d / "phrases.tsv").write_bytes(b"1\t3.5\t4\tn\xffew\tyork\n"), "not valid UTF-8", 1),
])
def test_malformed_directories_are_named(tmp_path, edit, message, line):
    FrozenPhrases([{("new", "york"): 3.5}], connector_words={"the"}).save(tmp_path / "ph")
    edit(tmp_path / "ph")
    with pytest.raises(FormatError, match=message) as info:
        load_phrases(tmp_path / "ph")
    assert info.value.line == line


def test_missing_or_file_path(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_phrases(tmp_path / "nowhere")
    (tmp_path / "f").write_text("x")
    with pytest.raises(FormatError, match="it is a file"):
        load_phrases(tmp_path / "f")


def _config(d: Path, **changes) -> None:
    config = json.loads((d / "config.json").read_text())
    config.update(changes)
    (d / "config.json").write_text(json.dumps(config))


def _tsv(d: Path, text: str) -> None:
    (d / "phrases.tsv").write_text(text)


# ---------------------------------------------------------------------------- the tokenizer stage
def test_phrase_tokenizer_on_regex_tokens(learned):
    tok = learned.tokenizer()
    assert isinstance(tok, PhraseTokenizer) and not is_batch_tokenizer(tok)
    text = "The Prime Minister of Australia met in Sydney."
    assert tok(text) == learned.apply(RegexTokenizer()(text))
    assert "prime_minister" in tok(text)
    d = tok.describe()
    assert d["name"] == "phrases" and d["base"] == RegexTokenizer().describe() and d["phrases"] == learned.digest
    fewer = FrozenPhrases(learned.layers[:1], connector_words=learned.connector_words)
    assert fewer.tokenizer().describe() != d
    with pytest.raises(TypeError, match="learned phrases"):
        PhraseTokenizer("regex", {"new": 1})


def test_word2vec_trains_on_phrases(lee, tmp_path):
    from wordvec import Word2Vec

    text = tmp_path / "lee.txt"
    text.write_text("\n".join(" ".join(s) for s in lee) + "\n", encoding="utf-8")
    phrases = Phrases(min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS).fit(text)
    assert "prime_minister" in phrases.export_phrases()
    model = Word2Vec(vector_size=16, epochs=1, min_count=3, workers=1, seed=1, progress=False,
                     tokenizer=phrases.freeze().tokenizer("regex")).fit(text)
    keys = set(model.wv.index_to_key)
    assert "prime_minister" in keys and sum("_" in k for k in keys) > 50
    assert model.tokenizer_["name"] == "phrases"


def test_phrased_corpus_is_restartable(learned, lee):
    corpus = learned.apply_corpus(lee[:20])
    assert list(corpus) == list(corpus) == [learned.apply(s) for s in lee[:20]]


def test_counting_is_deterministic_and_chunk_independent(lee, monkeypatch):
    a = Phrases(min_count=2, threshold=1.0, max_vocab_size=3000).fit(lee)
    monkeypatch.setattr(ph, "_CHUNK_TOKENS", 97)
    b = Phrases(min_count=2, threshold=1.0, max_vocab_size=3000).fit(lee)
    assert a.freeze().layers == b.freeze().layers and a.counts_.stats() == b.counts_.stats()
    np.testing.assert_array_equal(sorted(a.counts_.bigrams().values()), sorted(b.counts_.bigrams().values()))
