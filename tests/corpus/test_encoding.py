"""Corpora, tables and the token cache in encodings other than UTF-8: Latin-1 and CP949 (Korean).

The files are written here, in their encodings; none of their non-ASCII bytes is valid UTF-8
where it matters, so reading them as UTF-8 fails and the error names the file and line.
"""

from __future__ import annotations

import gzip

import pytest

from wordvec.corpus import CachedCorpus, LineCorpus, TextFiles, as_corpus
from wordvec.corpus.encodings import check_encoding, encoding_key
from wordvec.corpus.tables import Table

LATIN1_LINES = ["plain ascii first", "un café très naïve", "Ångström façade"]
LATIN1_TOKENS = [["plain", "ascii", "first"], ["un", "café", "très", "naïve"], ["ångström", "façade"]]
KOREAN_LINES = ["hello world", "영화가 정말 좋았다", "배우 연기 최고"]
KOREAN_TOKENS = [["hello", "world"], ["영화가", "정말", "좋았다"], ["배우", "연기", "최고"]]


def _write(path, lines, encoding):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding=encoding) as fh:
        fh.write("\n".join(lines) + "\n")
    return path


class SplitBatchTokenizer:
    """A batch tokenizer (tokenize_many + describe) that splits on whitespace and counts its lines."""

    def __init__(self):
        self.lines = 0

    def __call__(self, text):
        return text.split()

    def tokenize_many(self, texts):
        for text in texts:
            self.lines += 1
            yield text.split()

    def describe(self):
        return {"name": "split"}


def test_the_files_really_are_not_utf8(tmp_path):
    for lines, encoding in [(LATIN1_LINES, "latin-1"), (KOREAN_LINES, "cp949")]:
        raw = "\n".join(lines).encode(encoding)
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


@pytest.mark.parametrize("suffix", [".txt", ".txt.gz"])
def test_latin1_corpus(tmp_path, suffix):
    path = _write(tmp_path / f"fr{suffix}", LATIN1_LINES, "latin-1")
    assert list(LineCorpus(path, encoding="latin-1")) == LATIN1_TOKENS
    assert list(as_corpus(path, encoding="latin-1")) == LATIN1_TOKENS
    assert list(as_corpus(path, encoding="Latin1")) == LATIN1_TOKENS  # any spelling codecs knows
    with pytest.raises(ValueError, match=rf"fr{suffix.replace('.', r'.')}, line 2\b.*utf-8"):
        list(LineCorpus(path))


@pytest.mark.parametrize("suffix", [".txt", ".txt.gz"])
def test_cp949_korean_corpus(tmp_path, suffix):
    path = _write(tmp_path / f"ko{suffix}", KOREAN_LINES, "cp949")
    assert list(LineCorpus(path, "whitespace", encoding="cp949")) == KOREAN_TOKENS
    assert list(as_corpus(path, "whitespace", encoding="cp949")) == KOREAN_TOKENS
    assert list(as_corpus([path, path], "whitespace", encoding="euc-kr")) == KOREAN_TOKENS * 2  # a subset
    with pytest.raises(ValueError, match=r"ko\.txt(\.gz)?, line 2\b.*utf-8"):
        list(as_corpus(path, "whitespace"))


def test_a_directory_is_read_in_one_encoding(tmp_path):
    _write(tmp_path / "a.txt", KOREAN_LINES[:2], "cp949")
    _write(tmp_path / "b.txt", KOREAN_LINES[2:], "cp949")
    corpus = TextFiles(tmp_path, "whitespace", encoding="cp949")
    assert list(corpus) == KOREAN_TOKENS
    assert "encoding='cp949'" in repr(corpus) and "encoding" not in repr(TextFiles(tmp_path))


def test_unknown_encoding_is_refused_when_the_reader_is_made(tmp_path):
    path = _write(tmp_path / "c.txt", ["a b"], "utf-8")
    for make in (lambda: LineCorpus(path, encoding="klingon"), lambda: as_corpus(path, encoding="klingon"),
                 lambda: CachedCorpus(path, SplitBatchTokenizer(), encoding="klingon", cache_dir=tmp_path)):
        with pytest.raises(ValueError, match="unknown encoding 'klingon'"):
            make()
    with pytest.raises(ValueError, match="not a text encoding"):
        check_encoding("base64")
    assert encoding_key("Latin1") == encoding_key("latin-1") == "iso8859-1"


def test_a_corpus_object_keeps_its_own_encoding(tmp_path):
    path = _write(tmp_path / "ko.txt", KOREAN_LINES, "cp949")
    corpus = LineCorpus(path, "whitespace", encoding="cp949")
    assert as_corpus(corpus) is corpus
    assert as_corpus(corpus, encoding="CP949") is corpus  # the same codec, spelled otherwise
    with pytest.raises(ValueError, match="reads its files as cp949; encoding='latin-1' cannot apply"):
        as_corpus(corpus, encoding="latin-1")
    tokens = [["a", "b"]]
    assert list(as_corpus(tokens, encoding="latin-1")) == tokens  # token lists have no encoding


def test_the_cache_key_holds_the_encoding(tmp_path):
    path = _write(tmp_path / "ko.txt", KOREAN_LINES, "cp949")
    cache_dir = tmp_path / "cache"
    tok = SplitBatchTokenizer()
    cp949 = CachedCorpus(path, tok, encoding="cp949", cache_dir=cache_dir, progress=False)
    assert list(cp949) == KOREAN_TOKENS and cp949.misses == 1
    same = CachedCorpus(path, tok, encoding="CP949", cache_dir=cache_dir, progress=False)
    assert same.cache_path == cp949.cache_path and same.is_cached()
    assert list(same) == KOREAN_TOKENS and same.hits == 1 and tok.lines == len(KOREAN_LINES)
    # the same bytes read as Latin-1 are other tokens: another cache file, tokenized again
    latin = CachedCorpus(path, tok, encoding="latin-1", cache_dir=cache_dir, progress=False)
    assert latin.cache_path != cp949.cache_path and not latin.is_cached()
    assert list(latin) != KOREAN_TOKENS and latin.misses == 1
    with gzip.open(cp949.cache_path, "rt", encoding="utf-8") as fh:  # the cache itself is UTF-8
        assert "영화가 정말 좋았다" in fh.read()
    # as_corpus with a batch tokenizer passes the encoding on to the cache
    via = as_corpus(path, tok, encoding="cp949", cache_dir=cache_dir, progress=False)
    assert isinstance(via, CachedCorpus) and via.cache_path == cp949.cache_path


def test_tables_in_cp949_and_latin1(tmp_path):
    ko = tmp_path / "ko.tsv"
    ko.write_bytes("text\tlabel\n영화가 좋았다\t1\n별로였다\t0\n".encode("cp949"))
    with Table(ko, expected="a header", encoding="cp949") as table:
        assert table.header == ["text", "label"]
        assert [fields for _, fields in table.records(2)] == [["영화가 좋았다", "1"], ["별로였다", "0"]]
    with pytest.raises(ValueError, match=r"ko\.tsv: not UTF-8 text"), Table(ko, expected="a header") as table:
        list(table.records(2))
    fr = tmp_path / "fr.csv"
    fr.write_bytes('texte,étiquette\n"un café, très bon",oui\n'.encode("latin-1"))
    with Table(fr, expected="a header", encoding="latin-1") as table:
        assert table.header == ["texte", "étiquette"]
        assert [fields for _, fields in table.records(2)] == [["un café, très bon", "oui"]]
    with pytest.raises(ValueError, match="unknown encoding"):
        Table(fr, expected="a header", encoding="nope")
