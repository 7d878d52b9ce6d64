"""The Korean tokenizer (kiwipiepy, extra [ko]) and the on-disk token cache (CachedCorpus).

Tests that analyse Korean need kiwipiepy and skip without it; the cache tests use a small
fake batch tokenizer (so they count its calls exactly) and run everywhere.
"""

from __future__ import annotations

import gc
import gzip
import itertools
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest

from wordvec.corpus import CachedCorpus, LineCorpus, as_corpus, get_tokenizer
from wordvec.corpus.cache import CACHE_DIR_ENV, default_cache_dir
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


# ---------------------------------------------------------------------------- the token cache
class FakeBatchTokenizer:
    """Splits on whitespace, optionally lower-cases; counts the lines it tokenizes."""

    name = "fake"

    def __init__(self, lowercase: bool = False, fail_at: int | None = None):
        self.lowercase, self.fail_at, self.lines = lowercase, fail_at, 0

    def __call__(self, text):
        return next(self.tokenize_many([text]))

    def tokenize_many(self, texts):
        for text in texts:
            self.lines += 1
            if self.fail_at is not None and self.lines >= self.fail_at:
                raise RuntimeError(f"tokenizer failed on line {self.lines}")
            yield (text.lower() if self.lowercase else text).split()

    def describe(self):
        return {"name": self.name, "lowercase": self.lowercase}


def write(path: Path, lines: list[str]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


LINES = ["The cat sat", "", "   ", "on the MAT", "a\u3000b", "end"]
EXPECTED = [["The", "cat", "sat"], ["on", "the", "MAT"], ["a", "b"], ["end"]]


def leftovers(cache_dir: Path) -> list[str]:
    return sorted(p.name for p in cache_dir.iterdir()) if cache_dir.exists() else []


def test_second_pass_and_second_instance_read_the_cache(tmp_path):
    src = write(tmp_path / "c.txt.gz", LINES)
    cache_dir = tmp_path / "cache"
    tok = FakeBatchTokenizer()
    corpus = CachedCorpus(src, tok, cache_dir=cache_dir, progress=False)
    assert corpus.cache_hit is None and not corpus.is_cached()
    assert list(corpus) == EXPECTED == list(LineCorpus(src, str.split))  # empty lines skipped alike
    assert (corpus.cache_hit, corpus.hits, corpus.misses, tok.lines) == (False, 0, 1, len(LINES))
    assert corpus.seconds_tokenizing > 0
    assert corpus.cache_path.is_file() and corpus.cache_path.parent == cache_dir and corpus.is_cached()
    assert list(corpus) == EXPECTED
    assert (corpus.cache_hit, corpus.hits, corpus.misses, tok.lines) == (True, 1, 1, len(LINES))

    tok2 = FakeBatchTokenizer()
    again = CachedCorpus(src, tok2, cache_dir=cache_dir, progress=False)
    assert again.cache_path == corpus.cache_path and again.is_cached()
    assert list(again) == EXPECTED and again.cache_hit is True and tok2.lines == 0
    # the cache: a JSON header line with the key, then one sentence per line
    with gzip.open(corpus.cache_path, "rt", encoding="utf-8") as fh:
        header, *body = fh.read().splitlines()
    assert '"key"' in header and body == ["The cat sat", "on the MAT", "a b", "end"]
    assert leftovers(cache_dir) == [corpus.cache_path.name]


def test_other_options_or_a_modified_file_miss(tmp_path):
    src = write(tmp_path / "c.txt", LINES)
    cache_dir = tmp_path / "cache"
    first = CachedCorpus(src, FakeBatchTokenizer(), cache_dir=cache_dir, progress=False)
    list(first)
    lower_tok = FakeBatchTokenizer(lowercase=True)
    lower = CachedCorpus(src, lower_tok, cache_dir=cache_dir, progress=False)
    assert lower.cache_path != first.cache_path and not lower.is_cached()
    assert list(lower)[0] == ["the", "cat", "sat"] and lower.cache_hit is False and lower_tok.lines == len(LINES)
    assert len(leftovers(cache_dir)) == 2

    old_path = first.cache_path
    write(src, LINES + ["one more line"])
    st = src.stat()
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    tok = FakeBatchTokenizer()
    changed = CachedCorpus(src, tok, cache_dir=cache_dir, progress=False)
    assert changed.cache_path != old_path and not changed.is_cached()
    assert list(changed)[-1] == ["one", "more", "line"] and changed.cache_hit is False and tok.lines > 0

    # same size, new modification time: a miss too
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns + 20_000_000))
    assert not CachedCorpus(src, FakeBatchTokenizer(), cache_dir=cache_dir, progress=False).is_cached()


def test_no_partial_cache_when_the_tokenizer_fails_or_the_reader_stops(tmp_path):
    src = write(tmp_path / "c.txt", [f"line {i}" for i in range(5000)])
    cache_dir = tmp_path / "cache"
    corpus = CachedCorpus(src, FakeBatchTokenizer(fail_at=3000), cache_dir=cache_dir, progress=False)
    with pytest.raises(RuntimeError, match="line 3000"):
        list(corpus)
    assert leftovers(cache_dir) == []  # no cache file, no temporary file

    corpus = CachedCorpus(src, FakeBatchTokenizer(), cache_dir=cache_dir, progress=False)
    for i, _ in enumerate(corpus):  # the reader stops early: the generator is closed mid-file
        if i == 4000:
            break
    gc.collect()
    assert leftovers(cache_dir) == []
    assert list(corpus)[-1] == ["line", "4999"] and leftovers(cache_dir) == [corpus.cache_path.name]


def test_cache_disabled_tokenizes_every_pass(tmp_path):
    src = write(tmp_path / "c.txt", LINES)
    tok = FakeBatchTokenizer()
    corpus = CachedCorpus(src, tok, cache=False, cache_dir=tmp_path / "cache", progress=False)
    assert list(corpus) == EXPECTED and list(corpus) == EXPECTED
    assert tok.lines == 2 * len(LINES) and corpus.cache_hit is False and corpus.cache_paths == [None]
    assert not (tmp_path / "cache").exists()


def test_several_files_each_have_a_cache(tmp_path):
    d = tmp_path / "texts"
    d.mkdir()
    write(d / "a.txt", ["one two"])
    write(d / "b.txt.gz", ["three", "", "four five"])
    tok = FakeBatchTokenizer()
    corpus = CachedCorpus(d, tok, cache_dir=tmp_path / "cache", progress=False)
    assert list(corpus) == [["one", "two"], ["three"], ["four", "five"]]
    assert len(corpus.cache_paths) == 2 and all(p.is_file() for p in corpus.cache_paths)
    assert list(corpus) == [["one", "two"], ["three"], ["four", "five"]] and corpus.hits == 2
    with pytest.raises(ValueError, match="cache_paths"):
        corpus.cache_path


def test_cache_directory_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "env"))
    assert default_cache_dir() == tmp_path / "env"
    monkeypatch.delenv(CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "wordvec" / "tokens"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "wordvec" / "tokens"
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "env"))
    src = write(tmp_path / "c.txt", LINES)
    corpus = as_corpus(src, FakeBatchTokenizer())
    assert isinstance(corpus, CachedCorpus) and list(corpus) == EXPECTED
    assert corpus.cache_path.parent == tmp_path / "env"


def test_errors_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("좋다\n정말\n".encode() + b"\xff\xfe broken\n")
    with pytest.raises(ValueError, match=r"bad\.txt, line 3: not valid utf-8"):
        list(CachedCorpus(bad, FakeBatchTokenizer(), cache_dir=tmp_path / "cache", progress=False))
    assert leftovers(tmp_path / "cache") == []

    class Spacey(FakeBatchTokenizer):
        def tokenize_many(self, texts):
            for text in texts:
                yield [text.strip()]

    src = write(tmp_path / "c.txt", ["ok", "two words"])
    with pytest.raises(ValueError, match=r"c\.txt, line 2: .*'two words'.*whitespace"):
        list(CachedCorpus(src, Spacey(), cache_dir=tmp_path / "cache", progress=False))
    with pytest.raises(TypeError, match="tokenize_many"):
        CachedCorpus(src, str.split)
    with pytest.raises(FileNotFoundError, match="corpus file not found"):
        CachedCorpus(tmp_path / "nope.txt", FakeBatchTokenizer())


def test_damaged_or_foreign_cache_files(tmp_path):
    src = write(tmp_path / "c.txt", [f"line {i}" for i in range(3000)])
    corpus = CachedCorpus(src, FakeBatchTokenizer(), cache_dir=tmp_path / "cache", progress=False)
    list(corpus)
    data = corpus.cache_path.read_bytes()
    corpus.cache_path.write_bytes(data[: len(data) // 2])  # truncated
    with pytest.raises(ValueError, match="token cache is damaged"):
        list(corpus)
    corpus.cache_path.write_bytes(gzip.compress(b'{"kind": "wordvec token cache", "key": "other"}\nx y\n'))
    assert not corpus.is_cached()
    assert list(corpus)[-1] == ["line", "2999"] and corpus.cache_hit is False and corpus.is_cached()


def test_progress_bar_when_asked(tmp_path, capsys):
    src = write(tmp_path / "c.txt", LINES)
    list(CachedCorpus(src, FakeBatchTokenizer(), cache_dir=tmp_path / "cache", progress=True))
    assert "tokenizing c.txt" in capsys.readouterr().err


def test_as_corpus_picks_the_reader(tmp_path, monkeypatch, kiwi):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    src = write(tmp_path / "c.txt", [SENTENCE, "", REVIEW])
    assert isinstance(as_corpus(src, "regex"), LineCorpus)
    corpus = as_corpus(src, "korean", progress=False)
    assert isinstance(corpus, CachedCorpus) and isinstance(corpus.tokenizer, KoreanTokenizer)
    assert list(corpus) == [["아버지", "방", "들어가", "시", "ㄴ다"], KoreanTokenizer()(REVIEW)]
    assert list(corpus) == list(LineCorpus(src, "korean"))  # LineCorpus batches too, uncached
    assert as_corpus([["already", "tokens"]], "korean").sentences == [["already", "tokens"]]


def test_real_tokenizer_cache_hit_and_option_miss(tmp_path, kiwi, shared_data):
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
def korean_corpus(tmp_path, shared_data, monkeypatch) -> Path:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    return write(tmp_path / "reviews.txt.gz", nsmc_lines(shared_data, 2000))


def test_word2vec_trains_on_korean_and_reuses_the_cache(korean_corpus, tmp_path, monkeypatch, kiwi):
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


def test_fasttext_trains_on_korean(korean_corpus, kiwi):
    from wordvec import FastText

    model = FastText(vector_size=16, min_count=3, epochs=1, workers=1, bucket=5000, tokenizer="korean",
                     progress=False).fit(korean_corpus)
    assert "영화" in model.wv
    assert model.wv["영화관객"].shape == (16,)  # out of vocabulary: from its n-grams


def test_cli_train_with_the_korean_tokenizer(korean_corpus, tmp_path, kiwi):
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
