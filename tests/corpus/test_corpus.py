"""Corpus readers and tokenizers."""

from __future__ import annotations

import bz2
import gzip
import lzma

import pytest

from wordvec.corpus import (LineCorpus, RegexTokenizer, TextFiles, TokenLists, WhitespaceTokenizer, as_corpus,
                            get_tokenizer)


def test_regex_tokenizer_unicode_and_apostrophes():
    tok = RegexTokenizer()
    assert tok("Don't panic: it\u2019s 42 ÉLAN! o'er under_score") == [
        "don't", "panic", "it's", "42", "élan", "o'er", "under", "score"]
    assert tok("영화가 정말 좋았다... 최고!") == ["영화가", "정말", "좋았다", "최고"]
    assert tok("'quoted' rock'n'roll") == ["quoted", "rock'n'roll"]
    assert RegexTokenizer(lowercase=False)("The Cat") == ["The", "Cat"]


def test_whitespace_tokenizer_and_lookup():
    assert WhitespaceTokenizer()("  A b\tc\n") == ["A", "b", "c"]
    assert isinstance(get_tokenizer("whitespace"), WhitespaceTokenizer)
    assert get_tokenizer(str.split) is str.split
    with pytest.raises(ValueError, match="unknown tokenizer 'nope'"):
        get_tokenizer("nope")


@pytest.mark.parametrize("opener,suffix", [(open, ".txt"), (gzip.open, ".txt.gz"), (bz2.open, ".bz2"),
                                           (lzma.open, ".xz")])
def test_line_corpus_reads_compressed_files_and_restarts(tmp_path, opener, suffix):
    path = tmp_path / f"c{suffix}"
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("Hello world\n\n  \nSecond LINE here\n")
    corpus = LineCorpus(path)
    assert list(corpus) == [["hello", "world"], ["second", "line", "here"]]
    assert list(corpus) == list(corpus)  # restartable


def test_a_line_of_any_length_is_read_in_full(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(" ".join(["w"] * 200_000) + "\nend\n", encoding="utf-8")
    lines = list(LineCorpus(path, tokenizer="whitespace"))
    assert len(lines[0]) == 200_000 and lines[1] == ["end"]


def test_directory_and_file_list(tmp_path):
    (tmp_path / "b.txt").write_text("two\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("one\n", encoding="utf-8")
    (tmp_path / ".hidden").write_text("no\n", encoding="utf-8")
    assert list(as_corpus(tmp_path)) == [["one"], ["two"]]
    assert list(as_corpus([tmp_path / "b.txt", tmp_path / "a.txt"])) == [["two"], ["one"]]
    assert list(TextFiles([str(tmp_path / "a.txt")])) == [["one"]]


def test_missing_file_and_bad_encoding_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        LineCorpus(tmp_path / "nope.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("ok\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1.txt, line 2: not valid utf-8"):
        list(LineCorpus(bad))
    assert list(LineCorpus(bad, encoding="latin-1"))[1] == ["café"]


def test_one_shot_generator_is_refused():
    gen = (s for s in [["a", "b"]])
    with pytest.raises(TypeError, match="one-shot iterator"):
        as_corpus(gen)
    with pytest.raises(TypeError, match="one-shot"):
        as_corpus(iter([["a"]]))


def test_in_memory_token_lists():
    corpus = as_corpus([["a", "b"], ["c"]])
    assert isinstance(corpus, TokenLists) and list(corpus) == [["a", "b"], ["c"]]
    with pytest.raises(TypeError, match="sentence #0 is a string"):
        list(as_corpus(["not tokenized text", "more"]))
