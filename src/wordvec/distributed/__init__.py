"""The corpus pass, co-occurrence counting, phrases and training on a Dask cluster (the ``[dask]`` extra).

``pip install 'wordvec[dask]'``; ``import wordvec`` never imports Dask, nor does this package:
only the functions that reach a cluster do (a missing extra is an ImportError naming the pip
command). A cluster is Dask.distributed's, never a home-made one: pass a ``distributed.Client``
(``Client("tcp://scheduler:8786")``, or a ``LocalCluster`` on one big machine), or on the command
line ``wordvec train|cooccur|phrases ... --scheduler tcp://host:8786`` (``--scheduler local:N`` starts N worker
processes here). Without a client nothing changes: the single-machine code runs.

>>> from wordvec.distributed import make_partitions, read_partition
>>> with open("corpus.txt", "w", encoding="utf-8") as f:
...     _ = f.write("the king rules\\nthe queen rules\\n")
>>> parts = make_partitions("corpus.txt", target_bytes=15)     # 31 bytes: 3 ranges
>>> [list(read_partition(p)) for p in parts]                    # the last starts inside a line
[[['the', 'king', 'rules']], [['the', 'queen', 'rules']], []]

Design
------
**Partitions** (:mod:`~wordvec.distributed.partitions`). The unit of work is a
:class:`Partition`: a byte range ``[start, end)`` of a plain text file, or a whole file (``end``
None: ``.gz``/``.bz2``/``.xz``, or an encoding such as UTF-16 where a ``\\n`` byte can sit inside a
character). :func:`make_partitions` lists files as the single-machine readers do (directories
sorted by name) and cuts plain files every ``target_bytes`` (64 MiB) without reading them. A line
belongs to the range it starts in; :func:`read_partition` yields its token lists exactly as
:class:`~wordvec.corpus.LineCorpus` would (same decoding, same tokenizer code, batches for the
Korean tokenizer), so the partitions' sentences, in order, are the corpus's sentences. Tokenizers
travel as descriptions (:func:`~wordvec.distributed.partitions.tokenizer_spec`) and are built on
each worker; batch tokenizers cache tokens per partition on the workers' disks or in a directory
the caller names (``token_cache``).

**Vocabulary** (:mod:`~wordvec.distributed.vocab`). Map: count each partition's tokens in
first-seen order; reduce: merge in partition order (a tree of in-order merges), so the merged
order is the corpus's first-seen order; then :meth:`wordvec.vocab.Vocab.from_counts` on the
client, the rule of ``scan_corpus`` and of the co-occurrence builder. :func:`build_vocab` returns
exactly the single-machine :class:`~wordvec.vocab.Vocab` (words, counts, order, totals).

**Encoded partitions** (the interface for training on the cluster). :func:`encode_partitions`
returns one Dask future per partition, in partition order, each resolving on its worker to a
:class:`~wordvec.corpus.encode.EncodedCorpus`: ``tokens`` (int32 ids of kept words), ``offsets``
(int64 sentence bounds, from 0), ``total_words`` (raw tokens of the partition, kept or not) and
``n_split``, made by :func:`~wordvec.corpus.encode.encode_with_vocab` (pruned words and emptied
sentences dropped, sentences over ``max_sentence_length`` split). The data stays on the workers:
in memory, or with ``cache_dir`` as ``.npy`` files mapped read-only
(:class:`~wordvec.distributed.vocab.MappedEncodedCorpus`; ``shared_cache=True`` when every worker
sees the directory, so a result that moves travels as paths). A trainer submits its tasks with
these futures as arguments, so each runs where its partition lives; :func:`concat_encoded` joins
them into the single-machine encoding (a test checks that they are equal). Partition ``i`` is
placed on worker ``i mod W`` in every pass (a preference, not a rule), so worker-local caches are
found again.

**Co-occurrence** (:mod:`~wordvec.distributed.cooccur`). Each partition's windows are counted by
the single-machine kernels into a sorted sparse shard (int64 key ``row * n + col``, float64 sum),
cut into R key ranges of whole rows; reduce task r merges the shards' slices r and rounds to
float32; the client joins the ranges in order. :func:`build_cooccurrence_distributed` takes
:func:`wordvec.cooccur.build_cooccurrence`'s options and returns the same
:class:`~wordvec.cooccur.Cooccurrence` (bit for bit: the weighted sums are exact, see :mod:`wordvec.distributed.cooccur`).

**Phrases** (:mod:`~wordvec.distributed.phrases`). :func:`learn_phrases` fits a
:class:`~wordvec.corpus.phrases.Phrases` on the cluster: each partition's unigram and bigram
counts (the single-machine counter), summed by a tree of merges on the workers, scored once there;
the same phrases as :meth:`Phrases.fit <wordvec.corpus.phrases.Phrases.fit>` below its
``max_vocab_size``. ``wordvec phrases ... --scheduler ADDRESS`` on the command line.

Layer: this package sits with ``train``, ``vectors`` and ``cooccur`` (layer 3, ARCHITECTURE.md),
below the estimators, so that ``fit(..., client=)`` can use it; it imports nothing above.
"""

from wordvec.distributed.cluster import connect, describe_cluster
from wordvec.distributed.cooccur import build_cooccurrence_distributed
from wordvec.distributed.partitions import DEFAULT_PARTITION_BYTES, Partition, make_partitions, read_partition
from wordvec.distributed.phrases import learn_phrases
from wordvec.distributed.vocab import MappedEncodedCorpus, build_vocab, concat_encoded, encode_partitions

__all__ = ["Partition", "make_partitions", "read_partition", "build_vocab", "encode_partitions", "concat_encoded",
           "MappedEncodedCorpus", "build_cooccurrence_distributed", "learn_phrases", "connect", "describe_cluster",
           "DEFAULT_PARTITION_BYTES"]
