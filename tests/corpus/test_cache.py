"""The on-disk token cache (CachedCorpus): keys, hits and misses, atomic writes, errors.

The tests use a small fake batch tokenizer, so they count its calls exactly and run without
kiwipiepy; the cache with the real Korean tokenizer is tested in test_korean.py.
"""

from __future__ import annotations

import gc
import gzip
import os
from pathlib import Path

import pytest

from wordvec.corpus import CachedCorpus, LineCorpus, as_corpus
from wordvec.corpus.cache import CACHE_DIR_ENV, default_cache_dir


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


LINES = ["The cat sat", "", "   ", "on the MAT", "a\u3000b", "end"]
EXPECTED = [["The", "cat", "sat"], ["on", "the", "MAT"], ["a", "b"], ["end"]]


def test_second_pass_and_second_instance_read_the_cache(tmp_path, write, leftovers):
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


def test_other_options_or_a_modified_file_miss(tmp_path, write, leftovers):
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


def test_no_partial_cache_when_the_tokenizer_fails_or_the_reader_stops(tmp_path, write, leftovers):
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


def test_cache_disabled_tokenizes_every_pass(tmp_path, write):
    src = write(tmp_path / "c.txt", LINES)
    tok = FakeBatchTokenizer()
    corpus = CachedCorpus(src, tok, cache=False, cache_dir=tmp_path / "cache", progress=False)
    assert list(corpus) == EXPECTED and list(corpus) == EXPECTED
    assert tok.lines == 2 * len(LINES) and corpus.cache_hit is False and corpus.cache_paths == [None]
    assert not (tmp_path / "cache").exists()


def test_several_files_each_have_a_cache(tmp_path, write):
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


def test_cache_directory_from_the_environment(tmp_path, monkeypatch, write):
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


def test_errors_name_the_file_and_line(tmp_path, write, leftovers):
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


def test_damaged_or_foreign_cache_files(tmp_path, write):
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


def test_progress_bar_when_asked(tmp_path, capsys, write):
    src = write(tmp_path / "c.txt", LINES)
    list(CachedCorpus(src, FakeBatchTokenizer(), cache_dir=tmp_path / "cache", progress=True))
    assert "tokenizing c.txt" in capsys.readouterr().err
