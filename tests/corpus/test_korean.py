"""The Korean tokenizer (kiwipiepy, extra [ko]): its options, the token cache with it, training on Korean.

Tests that analyse Korean need kiwipiepy and skip without it. The token cache itself is tested
with a fake tokenizer in test_cache.py.
"""

from __future__ import annotations

import gzip
import itertools
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest

from wordvec.corpus import CachedCorpus, LineCorpus, as_corpus, get_tokenizer
from wordvec.corpus.cache import CACHE_DIR_ENV
from wordvec.corpus.korean import CONTENT_TAGS, INSTALL_HINT, KOREAN_STOPWORDS, KoreanTokenizer

SENTENCE = "아버지가방에들어가신다"
FULL = ["아버지/NNG", "가/JKS", "방/NNG", "에/JKB", "들어가/VV", "시/EP", "ㄴ다/EC"]
REVIEW = "영화 정말 재밌었어요 ㅋㅋ!!! 최고^^"
NSMC = "corpora/ko/nsmc_reviews.txt.gz"


@pytest.fixture(scope="module")
def kiwi():
    pytest.importorskip("kiwipiepy", reason="the Korean tokenizer needs kiwipiepy (pip install 'wordvec[ko]')")


def nsmc_lines(shared_data: Path, n: int) -> list[str]:
    path = shared_data / NSMC
    if not path.is_file():
        pytest.skip(f"NSMC reviews not found at {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in itertools.islice(fh, n)]


# ---------------------------------------------------------------------------- tokenizer options
def test_fixed_sentence_with_tags_and_nothing_dropped(kiwi):
    tok = KoreanTokenizer(tags=True, drop_particles=False, drop_endings=False, drop_punctuation=False)
    assert tok(SENTENCE) == FULL


def test_default_drops_particles_and_punctuation_only(kiwi):
    tok = get_tokenizer("korean")
    assert isinstance(tok, KoreanTokenizer) and tok.name == "korean"
    assert tok(SENTENCE) == ["아버지", "방", "들어가", "시", "ㄴ다"]
    # punctuation (SF) goes, other symbols (SW: ㅋㅋ, ^^) stay; endings (었, 어요) stay
    assert tok(REVIEW) == ["영화", "정말", "재밌", "었", "어요", "ㅋㅋ", "최고", "^^"]
    assert KoreanTokenizer(drop_punctuation=False)(REVIEW) == ["영화", "정말", "재밌", "었", "어요", "ㅋㅋ", "!!!",
                                                               "최고", "^^"]
    assert KoreanTokenizer(drop_punctuation=False)("(괄호) 가. 끝…")[0] == "("


def test_drop_particles_and_endings(kiwi):
    tags = dict(tags=True, drop_punctuation=False)
    assert KoreanTokenizer(**tags)(SENTENCE) == [t for t in FULL if "/J" not in t]
    assert KoreanTokenizer(**tags, drop_particles=False, drop_endings=True)(SENTENCE) == [
        "아버지/NNG", "가/JKS", "방/NNG", "에/JKB", "들어가/VV"]
    assert KoreanTokenizer(drop_endings=True)(SENTENCE) == ["아버지", "방", "들어가"]
    # the extra coda kiwi splits off an ending (Z_CODA) goes with the endings
    assert KoreanTokenizer(tags=True, drop_endings=True, normalize=False)("먹었닼ㅋㅋ") == ["먹/VV", "ㅋㅋ/SW"]


def test_content_only(kiwi):
    tok = KoreanTokenizer(tags=True, content_only=True, drop_particles=False, drop_punctuation=False)
    out = tok("좋은 영화가 아니다. 가볍지 않구나 10점")
    assert out == ["좋/VA", "영화/NNG", "아니/VCN", "가볍/VA-I", "않/VX", "10/SN", "점/NNB"]
    assert all(t.split("/")[1].split("-")[0] in CONTENT_TAGS for t in out)
    assert KoreanTokenizer(content_only=True)(REVIEW) == ["영화", "정말", "재밌", "최고"]


def test_tags_keep_kiwis_regularity_suffix(kiwi):
    tok = KoreanTokenizer(tags=True, drop_endings=True)
    assert tok("길을 물어 보았다") == ["길/NNG", "묻/VV-I", "보/VX"]
    assert tok("땅에 묻어 두었다") == ["땅/NNG", "묻/VV-R", "두/VX"]


def test_stopwords(kiwi):
    assert len(KOREAN_STOPWORDS) == 18 and "하다" in KOREAN_STOPWORDS
    plain = KoreanTokenizer()
    stop = KoreanTokenizer(stopwords=KOREAN_STOPWORDS)
    assert plain("잘 했어") == ["잘", "하", "었", "어"]
    assert stop("잘 했어") == ["었", "어"]  # 잘 by form, 하/XSV by its dictionary form 하다
    assert plain("이 영화가 좋다") == ["이", "영화", "좋", "다"]
    assert stop("이 영화가 좋다") == ["영화", "좋", "다"]
    # form/TAG removes one part of speech only
    assert KoreanTokenizer(stopwords=["이/MM"], drop_particles=False)("이 영화가 좋다") == ["영화", "가", "좋", "다"]
    with pytest.raises(TypeError, match="KOREAN_STOPWORDS"):
        KoreanTokenizer(stopwords="default")


def test_normalize(kiwi):
    decomposed = unicodedata.normalize("NFD", SENTENCE)
    assert decomposed != SENTENCE
    assert KoreanTokenizer(tags=True)(decomposed) == [t for t in FULL if "/J" not in t]
    assert KoreanTokenizer(normalize=False)(decomposed) != KoreanTokenizer()(SENTENCE)
    # a coda typed onto the next syllable is restored (먹었닼ㅋㅋ → 먹었다 ㅋㅋㅋ)
    assert KoreanTokenizer(tags=True)("먹었닼ㅋㅋ") == ["먹/VV", "었/EP", "다/EF", "ㅋㅋㅋ/SW"]
    assert KoreanTokenizer(tags=True, normalize=False)("먹었닼ㅋㅋ") == ["먹/VV", "었/EP", "다/EF", "ㅋ/Z_CODA",
                                                                       "ㅋㅋ/SW"]
    # endings use compatibility jamo either way (ㄴ다, never the conjoining ᆫ다)
    assert KoreanTokenizer(normalize=False)(SENTENCE)[-1] == "ㄴ다"


def test_tokens_never_hold_whitespace(kiwi):
    tok = KoreanTokenizer(tags=True)
    fake = [SimpleNamespace(form="뉴욕 타임스", tag="NNP"), SimpleNamespace(form="a\u3000b\tc", tag="SL"),
            SimpleNamespace(form=" ", tag="SW"), SimpleNamespace(form="", tag="NNG")]
    assert tok._select(fake) == ["뉴욕_타임스/NNP", "a_b_c/SL"]
    for line in ["영화 \t 정말\u3000좋다", "https://example.com 과 a@b.com #해시태그 😀", "漢字 1,000원 ㅋㅋ ㅠㅠ"]:
        for t in KoreanTokenizer(drop_punctuation=False, drop_particles=False)(line):
            assert t and t.split() == [t]


def test_tokenize_many_equals_one_call_per_line(kiwi, shared_data):
    tok = KoreanTokenizer(workers=2)
    lines = [SENTENCE, "", "  ", REVIEW, "!!!", "漢字 1,000원"] + nsmc_lines(shared_data, 300)
    batched = tok.tokenize_many(lines)
    assert not isinstance(batched, list)  # a lazy iterator
    assert list(batched) == [tok(line) for line in lines]
    # lazy and in order: the first results come before an endless input is exhausted
    first = list(itertools.islice(tok.tokenize_many(itertools.cycle([SENTENCE, REVIEW])), 4))
    assert first == [tok(SENTENCE), tok(REVIEW)] * 2


def test_describe_and_repr(kiwi):
    import kiwipiepy

    d = KoreanTokenizer(stopwords=["좀"], workers=1).describe()
    assert d["name"] == "korean" and d["kiwipiepy"] == kiwipiepy.__version__
    assert d["stopwords"] == ["좀"] and d["drop_particles"] is True and "workers" not in d
    assert KoreanTokenizer(workers=1).describe() == KoreanTokenizer(workers=2).describe()
    assert KoreanTokenizer(tags=True).describe() != KoreanTokenizer().describe()
    assert repr(KoreanTokenizer()) == "KoreanTokenizer()"
    assert repr(KoreanTokenizer(tags=True, stopwords=KOREAN_STOPWORDS)) == \
        "KoreanTokenizer(tags=True, stopwords=<18 words>)"
    with pytest.raises(ValueError, match="workers"):
        KoreanTokenizer(workers=0)


# ---------------------------------------------------------------------------- missing extra
def test_missing_kiwipiepy_names_the_pip_command(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)  # makes `import kiwipiepy` fail
    with pytest.raises(ImportError, match=r"pip install 'wordvec\[ko\]'"):
        KoreanTokenizer()
    with pytest.raises(ImportError, match=r"pip install 'wordvec\[ko\]'"):
        get_tokenizer("korean")
    path = tmp_path / "c.txt"
    path.write_text("영화가 좋다\n", encoding="utf-8")
    from wordvec import Word2Vec

    with pytest.raises(ImportError, match=r"pip install 'wordvec\[ko\]'"):
        Word2Vec(min_count=1, tokenizer="korean", progress=False).fit(path)
    assert INSTALL_HINT.endswith("pip install 'wordvec[ko]'")


def test_importing_wordvec_does_not_import_kiwipiepy():
    code = ("import sys, wordvec, wordvec.corpus, wordvec.corpus.korean, wordvec.corpus.cache; "
            "assert 'kiwipiepy' not in sys.modules, 'kiwipiepy imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_tokenizer_lists_korean():
    with pytest.raises(ValueError, match="regex, whitespace, korean"):
        get_tokenizer("nltk")


# ---------------------------------------------------------------------------- the token cache, as_corpus
def test_as_corpus_picks_the_reader(tmp_path, monkeypatch, kiwi, write):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    src = write(tmp_path / "c.txt", [SENTENCE, "", REVIEW])
    assert isinstance(as_corpus(src, "regex"), LineCorpus)
    corpus = as_corpus(src, "korean", progress=False)
    assert isinstance(corpus, CachedCorpus) and isinstance(corpus.tokenizer, KoreanTokenizer)
    assert list(corpus) == [["아버지", "방", "들어가", "시", "ㄴ다"], KoreanTokenizer()(REVIEW)]
    assert list(corpus) == list(LineCorpus(src, "korean"))  # LineCorpus batches too, uncached
    assert as_corpus([["already", "tokens"]], "korean").sentences == [["already", "tokens"]]


def test_real_tokenizer_cache_hit_and_option_miss(tmp_path, kiwi, shared_data, write):
    src = write(tmp_path / "reviews.txt", nsmc_lines(shared_data, 300))
    cache_dir = tmp_path / "cache"
    a = CachedCorpus(src, KoreanTokenizer(), cache_dir=cache_dir, progress=False)
    first = list(a)
    assert a.cache_hit is False and list(a) == first and a.cache_hit is True
    assert first == [t for t in map(KoreanTokenizer(), src.read_text(encoding="utf-8").splitlines()) if t]
    b = CachedCorpus(src, KoreanTokenizer(drop_endings=True), cache_dir=cache_dir, progress=False)
    assert b.cache_path != a.cache_path and not b.is_cached()


# ---------------------------------------------------------------------------- training
@pytest.fixture
def korean_corpus(tmp_path, shared_data, monkeypatch, write) -> Path:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    return write(tmp_path / "reviews.txt.gz", nsmc_lines(shared_data, 2000))


@pytest.mark.slow
def test_word2vec_trains_on_korean_and_reuses_the_cache(korean_corpus, tmp_path, monkeypatch, kiwi, leftovers):
    from wordvec import Word2Vec

    params = dict(vector_size=16, min_count=3, epochs=1, workers=1, tokenizer="korean", progress=False)
    model = Word2Vec(**params).fit(korean_corpus)
    assert "영화" in model.wv and "영화가" not in model.wv and "ㅋㅋ" in model.wv
    assert all(" " not in w for w in model.wv.index_to_key)
    assert len(leftovers(tmp_path / "cache")) == 1

    def no_tokenizing(self, texts):
        raise AssertionError("tokenized again instead of reading the cache")

    monkeypatch.setattr(KoreanTokenizer, "tokenize_many", no_tokenizing)
    monkeypatch.setattr(KoreanTokenizer, "__call__", no_tokenizing)
    again = Word2Vec(**params).fit(korean_corpus)
    assert again.wv.index_to_key == model.wv.index_to_key


@pytest.mark.slow
def test_fasttext_trains_on_korean(korean_corpus, kiwi):
    from wordvec import FastText

    model = FastText(vector_size=16, min_count=3, epochs=1, workers=1, bucket=5000, tokenizer="korean",
                     progress=False).fit(korean_corpus)
    assert "영화" in model.wv
    assert model.wv["영화관객"].shape == (16,)  # out of vocabulary: from its n-grams


@pytest.mark.slow
def test_cli_train_with_the_korean_tokenizer(korean_corpus, tmp_path, kiwi, leftovers):
    from typer.testing import CliRunner

    from wordvec.cli.app import app
    from wordvec.io import load

    out = tmp_path / "vectors"
    args = ["train", str(korean_corpus), "-o", str(out), "--tokenizer", "korean", "--min-count", "3",
            "--epochs", "1", "--vector-size", "16", "--workers", "1", "--quiet"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200", CACHE_DIR_ENV: str(tmp_path / "cache")})
    assert result.exit_code == 0, result.output
    assert "Trained word2vec" in result.output
    kv = load(out)
    assert "영화" in kv and "영화가" not in kv
    assert len(leftovers(tmp_path / "cache")) == 1
