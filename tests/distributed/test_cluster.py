"""The corpus pass and co-occurrence counting on a real Dask cluster: a LocalCluster of 2 worker
processes (1 thread each) over loopback, started once for the module. Every result is compared with
the single-machine code on the same files: vocabularies and encodings exactly, co-occurrence
matrices bit for bit (rows, columns and the float32 bits of the values).
"""

from __future__ import annotations

import gzip
import operator
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

distributed = pytest.importorskip("distributed", reason="the cluster tests need Dask (pip install 'wordvec[dask]')")

from clitools import invoke  # noqa: E402

from wordvec.cooccur import Cooccurrence, build_cooccurrence  # noqa: E402
from wordvec.cooccur.builder import _count_words  # noqa: E402
from wordvec.config import CooccurrenceConfig  # noqa: E402
from wordvec.corpus import LineCorpus, TextFiles, as_corpus  # noqa: E402
from wordvec.corpus.encode import EncodedCorpus, encode_with_vocab, scan_corpus  # noqa: E402
from wordvec.distributed import (  # noqa: E402
    MappedEncodedCorpus,
    build_cooccurrence_distributed,
    build_vocab,
    concat_encoded,
    connect,
    describe_cluster,
    encode_partitions,
    make_partitions,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("WORDVEC_SHARED_DATA", ROOT.parent / "shared" / "data"))
RUNNING = SHARED_DATA / "corpora" / "en" / "running.txt.gz"
REVIEWS = SHARED_DATA / "corpora" / "ko" / "nsmc_reviews.txt.gz"


def _head(src: Path, dst: Path, lines: int) -> Path:
    with gzip.open(src, "rt", encoding="utf-8") as fh, open(dst, "w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            if i >= lines:
                break
            out.write(line)
    return dst


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Path:
    """The first 20,000 lines of the English running text, as a plain file (about 1.9 MB)."""
    if not RUNNING.exists():
        pytest.skip(f"shared data not found at {RUNNING} (set WORDVEC_SHARED_DATA)")
    return _head(RUNNING, tmp_path_factory.mktemp("running") / "running20k.txt", 20_000)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A directory of files: plain ones cut into ranges, a gzip'ed one read whole, mixed case and
    punctuation, empty lines, CRLF, a sentence longer than the tests' max_sentence_length."""
    d = tmp_path_factory.mktemp("small")
    rng = np.random.default_rng(0)
    words = np.array(["the", "King", "queen", "rules", "the", "land", "of", "a", "Court", "é", "don't", "sea,"])
    for name in ("a.txt", "b.txt"):
        lines = [" ".join(rng.choice(words, rng.integers(0, 12))) for _ in range(400)]
        (d / name).write_bytes("\r\n".join(lines).encode("utf-8") + b"\n")
    (d / "long.txt").write_text(" ".join(rng.choice(words, 50)) + "\n", encoding="utf-8")
    with gzip.open(d / "c.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(" ".join(rng.choice(words, 6)) for _ in range(100)) + "\n")
    return d


def _same_vocab(a, b):
    assert a.index_to_key == b.index_to_key
    assert np.array_equal(a.counts, b.counts)
    assert (a.total_words, a.retained_words, a.n_types) == (b.total_words, b.retained_words, b.n_types)


# ------------------------------------------------------------------------------- vocabulary
@pytest.mark.parametrize("target", [997, 50_000, 1 << 30])
def test_vocabulary_equals_both_single_machine_vocabularies(client, small, target):
    parts = make_partitions(small, target)
    for min_count, max_vocab_size in ((1, None), (5, None), (2, 7)):
        vocab = build_vocab(client, parts, min_count=min_count, max_vocab_size=max_vocab_size)
        single, _ = scan_corpus(TextFiles(small), min_count=min_count, max_vocab_size=max_vocab_size)
        _same_vocab(vocab, single)
        cfg = CooccurrenceConfig(min_count=min_count, max_vocab_size=max_vocab_size)
        _same_vocab(vocab, _count_words(TextFiles(small), cfg, lambda n: None))


@pytest.mark.parametrize("target", [300_000, 1 << 30])
def test_vocabulary_of_real_text(client, running, target):
    parts = make_partitions(running, target)
    vocab = build_vocab(client, parts, tokenizer="whitespace", min_count=5)
    single, _ = scan_corpus(LineCorpus(running, "whitespace"), min_count=5)
    _same_vocab(vocab, single)
    assert len(vocab) > 5000 and (len(parts) > 5 or target > running.stat().st_size)


def test_an_empty_corpus_says_so(client, tmp_path):
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="the corpus is empty"):
        build_vocab(client, make_partitions(tmp_path / "empty.txt"))


def test_a_bad_line_on_a_worker_is_reported_with_its_file_and_line(client, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"the king\n" * 300 + b"the \xff queen\n" + b"the end\n" * 10)
    with pytest.raises(ValueError, match=r"bad\.txt, line 301: not valid utf-8"):
        build_vocab(client, make_partitions(path, 500))


# ------------------------------------------------------------------------------- encoding
def test_encoded_partitions_join_into_the_single_machine_encoding(client, small):
    parts = make_partitions(small, 997)
    vocab = build_vocab(client, parts, min_count=3)
    futures = encode_partitions(client, parts, vocab, max_sentence_length=8)
    assert len(futures) == len(parts)
    joined = concat_encoded(futures)
    single = encode_with_vocab(TextFiles(small), vocab, max_sentence_length=8)
    assert np.array_equal(joined.tokens, single.tokens) and np.array_equal(joined.offsets, single.offsets)
    assert (joined.total_words, joined.n_split) == (single.total_words, single.n_split)
    assert single.n_split > 0 and joined.retained_words == vocab.retained_words


def test_encoded_partitions_in_a_cache_dir_are_mapped_and_reused(client, small, tmp_path):
    parts = make_partitions(small, 2000)
    vocab = build_vocab(client, parts, min_count=2)
    single = encode_with_vocab(TextFiles(small), vocab)
    futures = encode_partitions(client, parts, vocab, cache_dir=tmp_path / "enc", shared_cache=True)
    # on the workers: memory-mapped files
    assert client.submit(type, futures[0]).result() is MappedEncodedCorpus
    assert client.submit(operator.attrgetter("tokens.__class__"), futures[0]).result() is np.memmap
    # the cache directory is shared (one machine): the client maps the same files
    got = client.gather(futures)
    assert all(type(g) is MappedEncodedCorpus for g in got)
    joined = concat_encoded(got)
    assert np.array_equal(joined.tokens, single.tokens) and np.array_equal(joined.offsets, single.offsets)
    files = sorted((tmp_path / "enc").iterdir())
    assert len(files) == 3 * len(parts)  # tokens.npy, offsets.npy, .json
    stamps = [f.stat().st_mtime_ns for f in files]
    again = encode_partitions(client, parts, vocab, cache_dir=tmp_path / "enc")  # reused, not rewritten
    assert [f.stat().st_mtime_ns for f in sorted((tmp_path / "enc").iterdir())] == stamps
    # not shared: the arrays travel, and arrive as an ordinary in-memory EncodedCorpus
    moved = client.gather(again)
    assert all(type(m) is EncodedCorpus for m in moved)
    assert np.array_equal(concat_encoded(moved).tokens, single.tokens)


# ------------------------------------------------------------------------------- co-occurrence
def _same_matrix(a: Cooccurrence, b: Cooccurrence):
    assert a.keys == b.keys and np.array_equal(a.counts, b.counts)
    assert np.array_equal(a.rows, b.rows) and np.array_equal(a.cols, b.cols)
    assert a.values.dtype == b.values.dtype == np.float32
    assert np.array_equal(a.values.view(np.uint32), b.values.view(np.uint32))  # bit for bit
    skip = {"seconds", "distributed", "spilled_runs"}  # how long, where, and what went to disk
    assert {k: v for k, v in a.settings.items() if k not in skip} == {k: v for k, v in b.settings.items()
                                                                     if k not in skip}


@pytest.mark.parametrize("target", [250_000, 700_000, 1 << 30])
def test_cooccurrence_of_real_text_is_bit_identical(client, running, target):
    options = dict(window=10, distance_weighting=True, min_count=5, tokenizer="whitespace", memory_mb=64,
                   progress=False)
    single = build_cooccurrence(running, **options)
    dist = build_cooccurrence_distributed(client, running, target_bytes=target, **options)
    _same_matrix(dist, single)
    assert single.nnz > 1_000_000
    assert dist.settings["distributed"]["workers"] == 2
    assert dist.settings["distributed"]["partitions"] == len(make_partitions(running, target))


def test_cooccurrence_unweighted_left_only_many_ranges(client, small):
    options = dict(window=3, distance_weighting=False, symmetric=False, min_count=1, memory_mb=0.01,
                   progress=False)
    single = build_cooccurrence(small, **options)
    dist = build_cooccurrence_distributed(client, small, target_bytes=997, reducers=5, **options)
    _same_matrix(dist, single)
    assert dist.settings["distributed"]["reducers"] == 5


def test_token_lists_are_refused(client):
    with pytest.raises(TypeError, match="reads its corpus from files"):
        build_cooccurrence_distributed(client, [["the", "king"]])


# ------------------------------------------------------------------------------- Korean
def test_korean_tokenization_on_the_workers_equals_one_process(client, tmp_path):
    pytest.importorskip("kiwipiepy", reason="the Korean tokenizer needs kiwipiepy (pip install 'wordvec[ko]')")
    if not REVIEWS.exists():
        pytest.skip(f"NSMC reviews not found at {REVIEWS}")
    path = _head(REVIEWS, tmp_path / "reviews.txt", 300)
    parts = make_partitions(path, 4000)
    assert len(parts) > 2
    vocab = build_vocab(client, parts, tokenizer="korean", min_count=1, token_cache=tmp_path / "worker-cache")
    single, encoded = scan_corpus(as_corpus(path, "korean", cache_dir=tmp_path / "cache", progress=False),
                                  min_count=1)
    _same_vocab(vocab, single)
    assert len(list((tmp_path / "worker-cache").iterdir())) == len(parts)  # one token cache per range
    joined = concat_encoded(encode_partitions(client, parts, vocab, tokenizer="korean",
                                              token_cache=tmp_path / "worker-cache"))
    assert np.array_equal(joined.tokens, encoded.tokens) and np.array_equal(joined.offsets, encoded.offsets)


# ------------------------------------------------------------------------------- the command line
def test_cooccur_command_with_a_scheduler(client, small, tmp_path):
    here, there = tmp_path / "here.npz", tmp_path / "there.npz"
    args = ["cooccur", small, "--window", "4", "--min-count", "2", "--quiet"]
    assert invoke(*args, "-o", here).exit_code == 0
    result = invoke(*args, "-o", there, "--scheduler", client.scheduler.address)
    assert result.exit_code == 0, result.output
    assert "Counted on a Dask cluster: 2 workers, 2 threads" in result.output
    _same_matrix(Cooccurrence.load(there), Cooccurrence.load(here))


# ------------------------------------------------------------------------------- phrases
def _same_phrases(a, b):
    assert a.layers == b.layers and a.counts == b.counts
    for x, y in zip(a.stats, b.stats):
        for key in ("corpus_word_count", "unigrams", "bigrams", "phrases"):
            assert x[key] == y[key], key


@pytest.mark.parametrize("passes", [1, 2])
def test_phrases_of_real_text_equal_single_machine(client, running, passes):
    from wordvec.corpus.phrases import ENGLISH_CONNECTOR_WORDS, Phrases
    from wordvec.distributed.phrases import learn_phrases

    def make():
        return Phrases(min_count=5, threshold=10, connector_words=ENGLISH_CONNECTOR_WORDS, passes=passes,
                       progress=False)

    single = make().fit(str(running), tokenizer="whitespace").freeze()
    there = learn_phrases(client, str(running), make(), tokenizer="whitespace", partition_bytes=300_000)
    assert there.distributed_["partitions"] > 5
    _same_phrases(there.freeze(), single)
    assert len(single.layers[0]) > 100 and single.digest == there.freeze().digest
    if passes == 2:
        assert any(len(key) > 1 and "_" in "".join(key) for key in single.layers[1])  # phrases of phrases


def test_phrases_npmi_and_a_pruned_table(client, small):
    from wordvec.corpus.phrases import Phrases
    from wordvec.distributed.phrases import learn_phrases

    single = Phrases(min_count=1, threshold=0.1, scoring="npmi", progress=False).fit(str(small)).freeze()
    there = learn_phrases(client, make_partitions(small, 997), Phrases(min_count=1, threshold=0.1, scoring="npmi",
                                                                      progress=False))
    _same_phrases(there.freeze(), single)
    # a cap below the table: pruned once, at the end, by gensim's rule (min_reduce rising from 1)
    capped = learn_phrases(client, str(small), Phrases(min_count=1, threshold=0.1, scoring="npmi", max_vocab_size=20,
                                                       progress=False))
    stats = capped.pass_stats_[0]
    assert stats["unigrams"] + stats["bigrams"] <= 20 < stats["peak_entries"] and stats["prunes"] >= 1


def test_phrases_command_with_a_scheduler(client, running, tmp_path):
    from wordvec.corpus.phrases import load_phrases

    here, there = tmp_path / "here", tmp_path / "there"
    args = ["phrases", running, "--tokenizer", "whitespace", "--connector-words", "english", "--quiet"]
    assert invoke(*args, "-o", here).exit_code == 0
    result = invoke(*args, "-o", there, "--scheduler", client.scheduler.address)
    assert result.exit_code == 0, result.output
    assert "Counted on a Dask cluster: 2 workers, 2 threads" in result.output
    _same_phrases(load_phrases(there), load_phrases(here))
    assert (there / "phrases.tsv").read_bytes() == (here / "phrases.tsv").read_bytes()


def test_connect_starts_a_local_cluster_and_names_an_unreachable_scheduler():
    with connect("local:1") as c:
        assert describe_cluster(c).startswith("1 worker, 1 thread (scheduler tcp://127.0.0.1:")
    with pytest.raises(OSError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        with connect("tcp://127.0.0.1:9", timeout=1):
            pass
    with pytest.raises(ValueError, match="scheduler address"):
        with connect(""):
            pass


def test_import_wordvec_loads_no_dask():
    code = ("import sys, wordvec, wordvec.distributed, wordvec.distributed.cooccur, wordvec.cli.cooccur; "
            "bad = [m for m in ('dask', 'distributed') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_missing_extra_names_the_install_command(monkeypatch):
    from wordvec.distributed._extras import require_distributed

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"pip install 'wordvec\[dask\]'"):
        require_distributed()
