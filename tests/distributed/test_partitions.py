"""Partitions of a corpus (wordvec.distributed.partitions): no cluster needed.

The property that everything else rests on: the partitions' sentences, in partition order, are
exactly the single-machine corpus's sentences, whatever the cut size (lines of any length, empty
lines, CRLF and lone CR line ends, multi-byte UTF-8 next to a cut, with or without a final newline).
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordvec.corpus import LineCorpus, TextFiles
from wordvec.distributed.partitions import (
    Partition,
    make_partitions,
    make_tokenizer,
    read_partition,
    splittable_encoding,
    tokenizer_spec,
)


def raw_line(text: str) -> list[str]:
    """A "tokenizer" that returns the line itself, so the test compares the exact text of every line."""
    return [text]


def partition_sentences(paths, target, tokenizer, encoding="utf-8", **kw):
    return [s for p in make_partitions(paths, target, encoding=encoding)
            for s in read_partition(p, tokenizer, encoding, **kw)]


# Pieces that make lines hard to cut: multi-byte characters (2, 3 and 4 bytes), spaces, CR.
_CHARS = st.sampled_from(["a", "b", "é", "한", "😀", " ", "\u2019", "x"])
_LINE = st.text(_CHARS, max_size=12)
_END = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(_LINE, _END), max_size=12), final_newline=st.booleans(),
       target=st.integers(1, 40))
def test_partitions_read_the_corpus_exactly(tmp_path, lines, final_newline, target):
    text = "".join(line + end for line, end in lines)
    if not final_newline and text.endswith("\n"):
        text = text[:-1]
    path = tmp_path / "corpus.txt"
    path.write_bytes(text.encode("utf-8"))
    for tokenizer in (raw_line, "whitespace", "regex"):
        expected = list(LineCorpus(path, tokenizer))
        assert partition_sentences(path, target, tokenizer) == expected, (text, target, tokenizer)


def test_ranges_cover_the_file_and_a_line_belongs_to_the_range_it_starts_in(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes(b"aaaa\nbb\n\ncccccccccc\nd")  # lines start at 0, 5, 8, 9, 20; 21 bytes
    parts = make_partitions(path, 6)
    assert [(p.start, p.end) for p in parts] == [(0, 6), (6, 12), (12, 18), (18, 21)]
    assert [list(read_partition(p, raw_line)) for p in parts] == [
        [["aaaa\n"], ["bb\n"]], [["\n"], ["cccccccccc\n"]], [], [["d"]]]
    cut_at_newline = make_partitions(path, 5)  # byte 4 is "\n": range 1 starts with a whole line
    assert [list(read_partition(p, raw_line)) for p in cut_at_newline][:2] == [
        [["aaaa\n"]], [["bb\n"], ["\n"], ["cccccccccc\n"]]]


def test_files_are_listed_as_the_single_machine_readers_list_them(tmp_path):
    d = tmp_path / "texts"
    d.mkdir()
    (d / "b.txt").write_text("the queen rules\nlong live the queen\n", encoding="utf-8")
    (d / "a.txt").write_text("the king rules\n", encoding="utf-8")
    (d / ".hidden").write_text("never read\n", encoding="utf-8")
    with gzip.open(d / "c.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("a compressed line\nand another\n")
    parts = make_partitions([d, d / "a.txt"], 8)
    assert [Path(p.path).name for p in parts if p.whole] == ["c.txt.gz"]  # compressed: read whole
    assert partition_sentences([d, d / "a.txt"], 8, None) == list(TextFiles([d, d / "a.txt"]))


def test_an_empty_file_is_one_empty_partition(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    parts = make_partitions(path, 10)
    assert parts == [Partition(os.fspath(path), 0, 0, 0)]
    assert list(read_partition(parts[0])) == []


@pytest.mark.parametrize("encoding,splittable", [("utf-8", True), ("latin-1", True), ("cp949", True),
                                                 ("euc-kr", True), ("utf-8-sig", True), ("utf-16", False),
                                                 ("utf-32-le", False), ("utf-7", False), ("iso2022_kr", False)])
def test_which_encodings_can_be_cut(encoding, splittable):
    assert splittable_encoding(encoding) is splittable


def test_a_file_that_cannot_be_cut_is_one_partition_read_as_a_whole(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_text("한국어 문장\n두 번째 줄\n" * 20, encoding="utf-16")
    parts = make_partitions(path, 16, encoding="utf-16")
    assert len(parts) == 1 and parts[0].whole
    assert partition_sentences(path, 16, "whitespace", "utf-16") == list(LineCorpus(path, "whitespace", "utf-16"))


def test_cp949_ranges_read_as_one_file(tmp_path):
    path = tmp_path / "cp949.txt"
    path.write_bytes(("영화가 정말 재미있었다\r\n배우들의 연기\n" * 30).encode("cp949"))
    for target in (1, 7, 50):
        got = partition_sentences(path, target, "whitespace", "cp949")
        assert got == list(LineCorpus(path, "whitespace", "cp949"))


def test_a_bom_is_dropped_at_the_start_of_the_file_only(tmp_path):
    # utf-8-sig removes the BOM of the file; a U+FEFF that starts a later line is text and stays
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffthe king\n\ufeffzero width\n".encode("utf-8"))
    for target in (1, 5, 13, 100):
        got = partition_sentences(path, target, "whitespace", "utf-8-sig")
        assert got == list(LineCorpus(path, "whitespace", "utf-8-sig")) == [["the", "king"], ["\ufeffzero", "width"]]


def test_a_line_that_does_not_decode_is_named_with_its_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"good line\n" * 50 + b"bad \xff line\n" + b"good again\n" * 5)
    with pytest.raises(ValueError) as single:
        list(LineCorpus(path))
    parts = make_partitions(path, 64)
    with pytest.raises(ValueError) as cut:
        for p in parts:
            list(read_partition(p))
    assert str(cut.value) == str(single.value)
    assert f"{path}, line 51: not valid utf-8" in str(cut.value)


def test_a_file_changed_since_it_was_partitioned_is_refused(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("the king\n" * 10, encoding="utf-8")
    parts = make_partitions(path, 20)
    path.write_text("the king\n" * 11, encoding="utf-8")
    with pytest.raises(ValueError, match="changed since the corpus was partitioned"):
        list(read_partition(parts[-1]))


def test_a_stream_and_bad_sizes_are_refused(tmp_path):
    with pytest.raises(ValueError, match="is a stream"):
        make_partitions("-")
    (tmp_path / "c.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="target_bytes"):
        make_partitions(tmp_path / "c.txt", 0)
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        make_partitions(tmp_path / "missing.txt")


def test_tokenizers_travel_as_descriptions():
    from wordvec.corpus.tokenizers import RegexTokenizer, WhitespaceTokenizer

    for tok in (None, "regex", "whitespace", WhitespaceTokenizer(lowercase=True), RegexTokenizer(lowercase=False)):
        spec = tokenizer_spec(tok)
        assert isinstance(spec, dict)
        built = make_tokenizer(spec)
        original = make_tokenizer(tok)
        assert built.describe() == original.describe()
        assert built("The King's court, 1066.") == original("The King's court, 1066.")
    assert tokenizer_spec(str.split) is str.split  # a callable wordvec does not know is sent as it is
    with pytest.raises(ValueError, match="unknown tokenizer"):
        make_tokenizer({"name": "klingon"})


def test_korean_tokenizer_description_is_built_on_the_worker_and_versions_are_checked():
    pytest.importorskip("kiwipiepy", reason="the Korean tokenizer needs kiwipiepy (pip install 'wordvec[ko]')")
    from wordvec.corpus.korean import KOREAN_STOPWORDS, KoreanTokenizer

    tok = KoreanTokenizer(tags=True, stopwords=KOREAN_STOPWORDS)
    spec = tokenizer_spec(tok)
    json.dumps(spec)  # plain data (options and versions), never the analyser
    built = make_tokenizer(spec)
    assert built == tok and built.describe() == tok.describe()
    assert built("영화가 정말 재미있었다") == tok("영화가 정말 재미있었다")
    with pytest.raises(ImportError, match="kiwipiepy"):
        make_tokenizer({**spec, "versions": {"kiwipiepy": "0.0.1", "kiwipiepy_model": "0.0.1"}})


class CountingBatchTokenizer:
    """A batch tokenizer (tokenize_many + describe) that counts the lines it tokenizes."""

    name = "counting"

    def __init__(self):
        self.lines = 0

    def __call__(self, text):
        self.lines += 1
        return text.split()

    def tokenize_many(self, texts):
        for text in texts:
            yield self(text)

    def describe(self):
        return {"name": self.name}


def test_a_batch_tokenizer_caches_each_range_once(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("".join(f"line {i} of text\n" for i in range(100)), encoding="utf-8")
    cache = tmp_path / "cache"
    tok = CountingBatchTokenizer()
    first = partition_sentences(path, 300, tok, token_cache=cache)
    assert first == list(LineCorpus(path, "whitespace")) and tok.lines == 100
    n_files = len(list(cache.iterdir()))
    assert n_files == len(make_partitions(path, 300)) > 1  # one cache file per range
    again = partition_sentences(path, 300, tok, token_cache=cache)
    assert again == first and tok.lines == 100  # read from the cache: not tokenized again
    assert partition_sentences(path, 300, tok, token_cache=False) == first and tok.lines == 200
    assert len(list(cache.iterdir())) == n_files
    # one partition holding the whole file: the single-machine cache file, shared with runs on one machine
    from wordvec.corpus.cache import CachedCorpus

    whole = tmp_path / "whole"
    assert partition_sentences(path, 10**6, tok, token_cache=whole) == first and tok.lines == 300
    assert [f.name for f in whole.iterdir()] == [CachedCorpus(path, tok, cache_dir=whole).cache_path.name]
