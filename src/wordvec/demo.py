"""``wordvec demo``: train on the bundled public-domain corpus and show what the vectors learned."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["demo_corpus_path", "run_demo", "DEMO_WORDS", "DEMO_ANALOGY"]

DEMO_WORDS = ("king", "ship", "love", "war", "london", "whale")
DEMO_ANALOGY = ("man", "king", "woman")  # man is to king as woman is to ... queen


def demo_corpus_path() -> Path:
    """Path of the bundled demo corpus (2.6M tokens of public-domain English, see data/README.md).

    >>> path = demo_corpus_path()
    >>> path.name, path.exists()
    ('demo_corpus.txt.xz', True)
    """
    return Path(str(resources.files("wordvec") / "data" / "demo_corpus.txt.xz"))


def run_demo(*, epochs: int = 5, workers: int | None = None, progress: bool | None = None, seed: int = 1,
             echo=print):
    """Train skip-gram on the demo corpus, print nearest neighbours and one analogy; returns the model.

    ``progress``: None (default): bars only on a terminal or in a notebook; True/False force them.

    >>> # Not run as a doctest: it trains on 2.6M tokens (about 10 s an epoch on 2 cores).
    >>> model = run_demo(epochs=1, progress=False)   # doctest: +SKIP
    Training skip-gram (100 dimensions, 1 epochs) on the bundled demo corpus: demo_corpus.txt.xz
    18,332 words, 2,646,878 tokens; trained in 8.7 s (305k words/s)
    <BLANKLINE>
          king: duke (0.88), prince (0.88), servant (0.86), queen (0.86), master (0.84), david (0.83)
          ship: smoke (0.96), wind (0.95), cloud (0.95), oak (0.95), wall (0.95), narrow (0.95)
    ...
    <BLANKLINE>
      man is to king as woman is to: queen (0.82), daughter (0.80), david (0.79)
    """
    from wordvec.models.word2vec import Word2Vec

    path = demo_corpus_path()
    echo(f"Training skip-gram (100 dimensions, {epochs} epochs) on the bundled demo corpus: {path.name}")
    model = Word2Vec(vector_size=100, window=5, min_count=5, epochs=epochs, workers=workers, seed=seed,
                     progress=progress).fit(path)
    wv = model.wv
    stats = model.training_stats_
    echo(f"{len(wv):,} words, {model.corpus_stats_['total_words']:,} tokens; trained in "
         f"{stats['seconds_train']:.1f} s ({stats['words_per_second'] / 1000:,.0f}k words/s)")
    echo("")
    for word in DEMO_WORDS:
        if word in wv:
            near = ", ".join(f"{w} ({s:.2f})" for w, s in wv.most_similar(word, topn=6))
            echo(f"  {word:>8s}: {near}")
    a, b, c = DEMO_ANALOGY
    answer = wv.most_similar(positive=[b, c], negative=[a], topn=3)
    echo("")
    echo(f"  {a} is to {b} as {c} is to: " + ", ".join(f"{w} ({s:.2f})" for w, s in answer))
    return model
