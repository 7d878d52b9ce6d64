"""The corpus pass on a Dask cluster: vocabulary counting as map-reduce, then encoding per partition.

Map: each partition's tokens are counted into a dict in first-seen order (a ``Counter``; its raw
token and sentence counts ride along). Reduce: the dicts are merged in partition order, so the
merged dict's order is the whole corpus's first-seen order (the merge is associative, so a tree
of merges over neighbouring partitions gives the same dict). The vocabulary is then built on the
client by :meth:`wordvec.vocab.Vocab.from_counts`, the rule of both single-machine paths (by
decreasing count, ties in order of first appearance; :func:`~wordvec.corpus.encode.scan_corpus`
and :func:`~wordvec.cooccur.build_cooccurrence`): the same words, counts and order.

Encoding: :func:`encode_partitions` encodes each partition against the vocabulary on a worker,
with :func:`~wordvec.corpus.encode.encode_with_vocab` (pruned words dropped, emptied sentences
dropped, long sentences split), and leaves the :class:`~wordvec.corpus.encode.EncodedCorpus` in
the worker's memory, or in ``.npy`` files under ``cache_dir``, memory-mapped. The partitions'
encodings, concatenated in order (:func:`concat_encoded`), are the single-machine encoding.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wordvec._saving import atomic_write
from wordvec.corpus.encode import MAX_SENTENCE_LENGTH, EncodedCorpus, encode_with_vocab
from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding, encoding_key
from wordvec.corpus.readers import with_eos
from wordvec.distributed.cluster import submit_placed, wait_all, worker_addresses
from wordvec.distributed.partitions import Partition, make_tokenizer, read_partition, tokenizer_spec
from wordvec.exceptions import EmptyVocabularyError
from wordvec.vocab import Vocab

__all__ = ["build_vocab", "encode_partitions", "concat_encoded", "count_partition", "merge_counts",
           "encode_partition", "MappedEncodedCorpus", "vocab_digest"]

#: Partitions merged by one reduce task.
FAN_IN = 8
_ENCODED_FORMAT = 1


# --------------------------------------------------------------------------------- vocabulary
def count_partition(p: Partition, tokenizer=None, encoding: str = DEFAULT_ENCODING,
                    token_cache=None, eos: bool = False) -> tuple[Counter, int, int]:
    """Map: ``(counts in first-seen order, raw tokens, sentences)`` of one partition.

    >>> with open("corpus.txt", "w", encoding="utf-8") as f:
    ...     _ = f.write("the king\\nthe queen\\n")
    >>> from wordvec.distributed.partitions import make_partitions
    >>> count_partition(make_partitions("corpus.txt")[0])
    (Counter({'the': 2, 'king': 1, 'queen': 1}), 4, 2)

    ``eos``: every sentence ends with ``</s>`` (FastText's, :func:`wordvec.corpus.readers.with_eos`).
    """
    counts: Counter = Counter()
    n_tokens = n_sentences = 0
    for sent in _sentences(read_partition(p, tokenizer, encoding, token_cache=token_cache), eos):
        counts.update(sent)
        n_tokens += len(sent)
        n_sentences += 1
    return counts, n_tokens, n_sentences


def merge_counts(*parts: tuple[Counter, int, int]) -> tuple[Counter, int, int]:
    """Reduce: the partitions' counts merged in the order given (keys in first-seen order overall).

    >>> counts, n_tokens, n_sentences = merge_counts((Counter({"b": 1, "a": 1}), 2, 1),
    ...                                              (Counter({"c": 2, "a": 1}), 3, 1))
    >>> list(counts.items()), n_tokens, n_sentences      # b, a (first partition), then c
    ([('b', 1), ('a', 2), ('c', 2)], 5, 2)
    """
    merged: Counter = Counter()
    n_tokens = n_sentences = 0
    for counts, tokens, sentences in parts:
        merged.update(counts)  # a Counter adds in place and appends new keys at the end
        n_tokens += tokens
        n_sentences += sentences
    return merged, n_tokens, n_sentences


def corpus_counts(client, partitions: list[Partition], *, tokenizer=None, encoding: str = DEFAULT_ENCODING,
                  token_cache=None, progress: bool | None = None, eos: bool = False) -> tuple[Counter, int, int]:
    """Every word's count over ``partitions`` (first-seen order), the raw tokens and the sentences,
    counted on the cluster and merged by a tree of in-order merges; the merged counts come to the client."""
    partitions = _check_partitions(partitions)
    spec = tokenizer_spec(tokenizer)
    workers = worker_addresses(client)
    level = [submit_placed(client, workers, i, count_partition, p, spec, encoding, token_cache, eos)
             for i, p in enumerate(partitions)]
    wait_all(level, "counting words", progress)
    while len(level) > 1:
        level = [client.submit(merge_counts, *level[i:i + FAN_IN], pure=False)
                 for i in range(0, len(level), FAN_IN)]
    return level[0].result()


def vocab_from_counts(counts: Counter, total_words: int, *, min_count: int, max_vocab_size: int | None) -> Vocab:
    """The Vocab of merged counts, by the single-machine rule (:meth:`Vocab.from_counts`)."""
    if not counts:
        raise EmptyVocabularyError(
            "the corpus is empty: it holds no tokens (check the path, the file's encoding and the tokenizer)")
    return Vocab.from_counts(counts, min_count=min_count, max_vocab_size=max_vocab_size, total_words=total_words)


def build_vocab(client, partitions: list[Partition], *, tokenizer=None, min_count: int = 5,
                max_vocab_size: int | None = None, encoding: str = DEFAULT_ENCODING, token_cache=None,
                progress: bool | None = None, eos: bool = False) -> Vocab:
    """The vocabulary of ``partitions`` (from :func:`~wordvec.distributed.make_partitions`), counted on the cluster.

    >>> from distributed import Client                   # doctest: +SKIP
    >>> from wordvec.distributed import make_partitions
    >>> # skipped: the examples need a running Dask cluster
    >>> client = Client("tcp://scheduler:8786")          # doctest: +SKIP
    >>> vocab = build_vocab(client, make_partitions("corpus/"), min_count=5)   # doctest: +SKIP

    The result equals, words, counts and order, the single-machine vocabulary of the same files
    (``scan_corpus`` or the co-occurrence builder's, with the same ``min_count``,
    ``max_vocab_size``, tokenizer and encoding). ``tokenizer``: a name, a tokenizer, or a
    description (:func:`~wordvec.distributed.partitions.tokenizer_spec`); built on each worker.
    ``token_cache``: where a batch tokenizer (``korean``) caches each partition's tokens (None:
    each worker's default cache directory; False: none). ``progress``: a bar of partitions
    counted (None: only on a terminal). ``eos``: every sentence ends with ``</s>`` (FastText's).
    """
    encoding = check_encoding(encoding)
    counts, total, _ = corpus_counts(client, partitions, tokenizer=tokenizer, encoding=encoding,
                                     token_cache=token_cache, progress=progress, eos=eos)
    return vocab_from_counts(counts, total, min_count=min_count, max_vocab_size=max_vocab_size)


def _check_partitions(partitions) -> list[Partition]:
    partitions = list(partitions)
    if not partitions:
        raise ValueError("no partitions given (make them with wordvec.distributed.make_partitions(paths))")
    bad = next((p for p in partitions if not isinstance(p, Partition)), None)
    if bad is not None:
        raise TypeError(f"expected Partition objects (from make_partitions(paths)), got {type(bad).__name__} {bad!r}")
    return partitions


# --------------------------------------------------------------------------------- encoding
@dataclass(frozen=True)
class MappedEncodedCorpus(EncodedCorpus):
    """An :class:`EncodedCorpus` whose arrays are ``.npy`` files memory-mapped read-only (``paths``).

    >>> from wordvec.distributed.partitions import make_partitions
    >>> _ = open("corpus.txt", "w", encoding="utf-8").write("the king\\n")
    >>> vocab = Vocab.from_counts({"the": 1, "king": 1})
    >>> mapped = encode_partition(make_partitions("corpus.txt")[0], vocab, cache_dir="encoded")
    >>> [p.split("/")[-1].split(".")[-2] for p in mapped.paths], type(mapped.tokens).__name__
    (['tokens', 'offsets'], 'memmap')

    Moved to another process (another worker, or the client), it is rebuilt by what ``shared``
    says the receiver can see: True (``cache_dir`` is a path every worker sees, such as a network
    file system): only the paths travel and the receiver maps the same files; False (a
    worker-local directory): the arrays travel, and the receiver holds an in-memory
    :class:`EncodedCorpus` (equal, no longer mapped).
    """

    paths: tuple[str, str] = ("", "")
    shared: bool = False

    def __reduce__(self):
        if self.shared:
            return (_open_encoded, (self.paths, self.total_words, self.n_split, True))
        return (EncodedCorpus, (np.array(self.tokens), np.array(self.offsets), self.total_words, self.n_split))


def _open_encoded(paths: tuple[str, str], total_words: int, n_split: int, shared: bool) -> MappedEncodedCorpus:
    arrays = []
    for path in paths:
        try:
            arrays.append(np.load(path, mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError) as exc:
            raise OSError(f"cannot map the encoded partition {path} ({exc}); is cache_dir shared by every "
                          f"worker? (shared_cache=False copies the arrays instead)") from None
    return MappedEncodedCorpus(arrays[0], arrays[1], total_words=total_words, n_split=n_split,
                               paths=tuple(paths), shared=shared)


def _cache_key(p: Partition, tok, encoding: str, vocab_digest: str, max_sentence_length: int,
               eos: bool = False) -> str | None:
    describe = getattr(tok, "describe", None)
    if not callable(describe):
        return None  # a tokenizer that cannot say what it does: never reuse its files
    st = os.stat(p.path)
    parts = {"format": _ENCODED_FORMAT, "path": str(Path(p.path).resolve()), "size": st.st_size,
             "mtime_ns": st.st_mtime_ns, "range": [p.start, p.end], "encoding": encoding_key(encoding),
             "tokenizer": describe(), "vocab": vocab_digest, "max_sentence_length": max_sentence_length}
    if eos:  # (the keys of encodings without it are those written before it existed)
        parts["eos"] = True
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def vocab_digest(vocab: Vocab) -> str:
    """A SHA-256 of the vocabulary's keys in order: what an encoding's ids refer to.

    >>> digest = vocab_digest(Vocab.from_counts({"the": 2, "king": 1}))
    >>> len(digest), digest == vocab_digest(Vocab.from_counts({"king": 1, "the": 2}))   # order: the, king
    (64, True)
    """
    h = hashlib.sha256()
    for key in vocab.index_to_key:
        h.update(key.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def encode_partition(p: Partition, vocab: Vocab, tokenizer=None, encoding: str = DEFAULT_ENCODING, *,
                     max_sentence_length: int = MAX_SENTENCE_LENGTH, token_cache=None,
                     cache_dir: str | os.PathLike | None = None, shared_cache: bool = False,
                     digest: str | None = None, eos: bool = False) -> EncodedCorpus:
    """One partition encoded against ``vocab`` (:func:`~wordvec.corpus.encode.encode_with_vocab`).

    >>> from wordvec.distributed.partitions import make_partitions
    >>> with open("corpus.txt", "w", encoding="utf-8") as f:
    ...     _ = f.write("the king\\nthe new queen\\n")
    >>> vocab = Vocab.from_counts({"the": 2, "king": 1, "queen": 1})
    >>> encoded = encode_partition(make_partitions("corpus.txt")[0], vocab)
    >>> encoded.tokens.tolist(), encoded.offsets.tolist(), encoded.total_words
    ([0, 1, 0, 2], [0, 2, 4], 5)
    >>> mapped = encode_partition(make_partitions("corpus.txt")[0], vocab, cache_dir="encoded")
    >>> type(mapped).__name__, mapped.tokens.tolist()      # the same ids, memory-mapped from encoded/
    ('MappedEncodedCorpus', [0, 1, 0, 2])

    With ``cache_dir``, the ids and offsets are written there as ``.npy`` files (atomically; a
    ``.json`` beside them, written last, holds the key and the counts) and returned memory-mapped
    (:class:`MappedEncodedCorpus`); files of an earlier run with the same file, range, encoding,
    tokenizer options, vocabulary and ``max_sentence_length`` are mapped again instead of
    re-encoding (not for a tokenizer without ``describe()``, which cannot be told apart).
    ``eos``: every sentence ends with ``</s>`` (FastText's).
    """
    tok = make_tokenizer(tokenizer)
    if cache_dir is None:
        return encode_with_vocab(_sentences(read_partition(p, tok, encoding, token_cache=token_cache), eos), vocab,
                                 max_sentence_length=max_sentence_length)
    cache_dir = Path(cache_dir).expanduser()
    digest = digest or vocab_digest(vocab)
    key = _cache_key(p, tok, encoding, digest, max_sentence_length, eos)
    stem = re.sub(r"[^\w.-]+", "_", Path(p.path).name)[:60]
    rng = "all" if p.end is None else f"{p.start}-{p.end}"
    base = cache_dir / f"{stem}.{rng}.{(key or digest)[:24]}"
    paths = (f"{base}.tokens.npy", f"{base}.offsets.npy")
    meta_path = Path(f"{base}.json")
    if key is not None and meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("key") == key:
                return _open_encoded(paths, meta["total_words"], meta["n_split"], shared_cache)
        except (OSError, ValueError, KeyError):
            pass  # damaged or foreign: encode again and replace it
    encoded = encode_with_vocab(_sentences(read_partition(p, tok, encoding, token_cache=token_cache), eos), vocab,
                                max_sentence_length=max_sentence_length)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for path, array in zip(paths, (encoded.tokens, encoded.offsets)):
        with atomic_write(path) as fh:
            np.save(fh, np.ascontiguousarray(array), allow_pickle=False)
    meta = {"key": key, "source": p.path, "range": [p.start, p.end], "total_words": encoded.total_words,
            "n_split": encoded.n_split}
    with atomic_write(meta_path) as fh:
        fh.write(json.dumps(meta).encode("utf-8"))
    encoded.close()
    return _open_encoded(paths, meta["total_words"], meta["n_split"], shared_cache)


def encode_partitions(client, partitions: list[Partition], vocab: Vocab, *, tokenizer=None,
                      encoding: str = DEFAULT_ENCODING, max_sentence_length: int = MAX_SENTENCE_LENGTH,
                      token_cache=None, cache_dir: str | os.PathLike | None = None,
                      shared_cache: bool = False, progress: bool | None = None, eos: bool = False) -> list:
    """Encode every partition on the cluster: one future per partition, in order, each resolving to
    an :class:`~wordvec.corpus.encode.EncodedCorpus` (int32 ids of kept words, int64 sentence
    offsets, the partition's raw token count ``total_words`` and ``n_split``).

    >>> # skipped: the examples need a running Dask cluster (``client``)
    >>> parts = make_partitions("corpus/")                                    # doctest: +SKIP
    >>> vocab = build_vocab(client, parts)                                    # doctest: +SKIP
    >>> futures = encode_partitions(client, parts, vocab, cache_dir="/scratch/wordvec")   # doctest: +SKIP
    >>> concat_encoded(futures).retained_words == vocab.retained_words                    # doctest: +SKIP
    True

    The results stay where they were computed: in the workers' memory (``cache_dir=None``), or as
    ``.npy`` files under ``cache_dir`` mapped read-only by the worker (:class:`MappedEncodedCorpus`:
    little resident memory, and a later run with the same inputs maps the files instead of reading
    the text again). ``shared_cache``: whether every worker (and the client) sees ``cache_dir``
    (a network file system); then a result that moves to another worker moves as two paths, else
    as its arrays. Keep the futures to keep the data; ``client.gather`` or :func:`concat_encoded`
    brings it to the client. The concatenation, in partition order, equals
    ``encode_with_vocab(<the whole corpus>, vocab, max_sentence_length=...)``.

    Each partition is placed on the same worker as in :func:`build_vocab` (a preference), so a
    worker-local token cache written there is read back. ``eos``: every sentence ends with
    ``</s>`` (FastText's).
    """
    partitions = _check_partitions(partitions)
    encoding = check_encoding(encoding)
    if max_sentence_length < 2:
        raise ValueError(f"max_sentence_length must be >= 2, got {max_sentence_length}")
    spec = tokenizer_spec(tokenizer)
    workers = worker_addresses(client)
    shared_vocab = client.scatter(vocab, broadcast=True, hash=False)
    digest = vocab_digest(vocab) if cache_dir is not None else None
    cache = None if cache_dir is None else os.fspath(cache_dir)
    futures = [submit_placed(client, workers, i, _encode_task, p, shared_vocab, spec, encoding,
                             max_sentence_length, token_cache, cache, shared_cache, digest, eos)
               for i, p in enumerate(partitions)]
    wait_all(futures, "encoding", progress)
    return futures


def _encode_task(p, vocab, spec, encoding, max_sentence_length, token_cache, cache_dir, shared_cache, digest,
                 eos=False):
    return encode_partition(p, vocab, spec, encoding, max_sentence_length=max_sentence_length,
                            token_cache=token_cache, cache_dir=cache_dir, shared_cache=shared_cache, digest=digest,
                            eos=eos)


def _sentences(sentences, eos: bool):
    """``sentences``, each ended by ``</s>`` when ``eos`` (as FastText's single-machine training reads them)."""
    return with_eos(sentences) if eos else sentences


def concat_encoded(parts) -> EncodedCorpus:
    """The partitions' encodings (EncodedCorpus objects, or futures of them) joined in order into one,
    in memory: what :func:`~wordvec.corpus.encode.encode_with_vocab` gives for the whole corpus.

    >>> a = EncodedCorpus(np.array([0, 1], dtype=np.int32), np.array([0, 2]), total_words=3)
    >>> b = EncodedCorpus(np.array([1], dtype=np.int32), np.array([0, 1]), total_words=1)
    >>> joined = concat_encoded([a, b])
    >>> joined.tokens.tolist(), joined.offsets.tolist(), joined.total_words
    ([0, 1, 1], [0, 2, 3], 4)
    """
    parts = [p.result() if callable(getattr(p, "result", None)) else p for p in parts]
    if not parts:
        raise ValueError("no encoded partitions to join")
    tokens = np.concatenate([np.asarray(p.tokens, dtype=np.int32) for p in parts])
    offsets, at = [np.zeros(1, dtype=np.int64)], 0
    for p in parts:
        o = np.asarray(p.offsets, dtype=np.int64)
        offsets.append(o[1:] - o[0] + at)
        at += int(o[-1] - o[0])
    return EncodedCorpus(tokens, np.concatenate(offsets), total_words=sum(p.total_words for p in parts),
                         n_split=sum(p.n_split for p in parts))
