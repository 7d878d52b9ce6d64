"""Word-analogy evaluation ("a is to b as c is to ?"), batched.

Semantics follow gensim 4.4 ``KeyedVectors.evaluate_word_analogies`` (``dummy4unknown=False``),
itself the ``compute-accuracy`` program of word2vec:

* only the first ``restrict_vocab`` keys in index order take part, as question words and
  as candidate answers;
* with ``case_insensitive=True`` keys and question words are compared upper-cased; when
  several keys collide (``Paris`` / ``paris``) the first in index order supplies the
  vector, while every variant stays a candidate answer;
* a question with any of its four words outside that vocabulary is skipped (and counted);
* the answer is the best-scoring candidate other than the three question words (all their
  case variants excluded); it is correct when it equals the expected word (up to case).

With ``oov=True`` (vectors with subword information only, e.g. FastText's
:class:`~wordvec.vectors.subword.SubwordVectors`) a question word outside that vocabulary is
not a reason to skip: it gets the vector the model builds for it (``kv.get_vector``, see
:mod:`wordvec.evaluate.oov`), and every such word of the dataset that got a vector is also
appended to the answer candidates -- otherwise an unseen expected answer (a form such as
``인터넷을`` the corpus never had) could never be found. The candidates are then the
restricted vocabulary *plus the dataset's out-of-vocabulary words*, a slightly easier
search than over the vocabulary alone; the result counts those words (``oov_words``) and the
questions answered through them (``via_oov``). Only questions with a word that has no
vector at all are skipped.

3CosAdd scores candidates x by ``cos(x, b - a + c)`` on unit vectors; 3CosMul (Levy &
Goldberg 2014, eq. 4, as gensim's ``most_similar_cosmul``) by
``s(x, b) * s(x, c) / (s(x, a) + 1e-6)`` with cosines shifted to ``s = (1 + cos) / 2``.

Instead of gensim's one ``most_similar`` call per question, questions are solved in
batches: the restricted vectors are normalised once, a batch of B queries is scored
against all of them with one matrix product, the question words are masked, and the
argmax taken. Memory per batch: about ``batch_size * restrict_vocab * 4`` bytes (three
times that for 3CosMul). With ``oov=True`` and out-of-vocabulary words, their rows are
appended to a copy of the restricted unit vectors, and the scores grow by as many columns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wordvec.evaluate.datasets import AnalogyDataset, is_syntactic_section, load_analogies
from wordvec.evaluate.oov import check_subword_vectors, oov_vectors
from wordvec.evaluate.similarity import restricted_vocab

if TYPE_CHECKING:
    from wordvec.vectors.keyed import KeyedVectors

__all__ = ["AnalogyResult", "SectionResult", "evaluate_analogies"]

METHODS = ("3cosadd", "3cosmul")


@dataclass(frozen=True)
class SectionResult:
    """Counts for one section (or an aggregate of sections).

    >>> section = SectionResult("family", correct=3, total=4, skipped=1, syntactic=False)
    >>> section.accuracy, section.questions, section.coverage
    (0.75, 5, 0.8)
    """

    name: str
    correct: int
    total: int  # questions answered: all four words have a vector
    skipped: int  # questions with a word outside the (restricted) vocabulary (and, with oov=True, no vector)
    syntactic: bool
    via_oov: int = 0  # of the answered questions, those with a word given a vector by oov=True

    @property
    def questions(self) -> int:
        return self.total + self.skipped

    @property
    def accuracy(self) -> float:
        """``correct / total``; 0.0 when nothing was answered (as gensim)."""
        return self.correct / self.total if self.total else 0.0

    @property
    def coverage(self) -> float:
        return self.total / self.questions if self.questions else 0.0

    def to_dict(self) -> dict:
        return {
            "section": self.name,
            "kind": "syntactic" if self.syntactic else "semantic",
            "correct": self.correct,
            "total": self.total,
            "skipped": self.skipped,
            "accuracy": self.accuracy,
            "via_oov": self.via_oov,
        }


def _aggregate(name: str, parts, syntactic: bool) -> SectionResult:
    parts = list(parts)
    return SectionResult(
        name,
        sum(p.correct for p in parts),
        sum(p.total for p in parts),
        sum(p.skipped for p in parts),
        syntactic,
        sum(p.via_oov for p in parts),
    )


@dataclass(frozen=True)
class AnalogyResult:
    """Analogy accuracy per section, semantic / syntactic and overall.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen", "man", "woman"], np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> with open("questions.txt", "w", encoding="utf-8") as f:
    ...     print(": family", file=f)
    ...     print("man king woman queen", file=f)
    ...     print("man king girl princess", file=f)
    ...
    >>> result = evaluate_analogies(wv, "questions.txt")
    >>> result.overall.accuracy, result.overall.coverage
    (1.0, 0.5)
    >>> [(section.name, section.correct, section.skipped) for section in result.sections]
    [('family', 1, 1)]

    ``oov`` tells whether out-of-vocabulary words got vectors from subwords; ``oov_words``
    is how many distinct dataset words did -- the answer candidates appended to the
    restricted vocabulary (0 when ``oov`` is off).
    """

    dataset: str
    method: str
    restrict_vocab: int
    case_insensitive: bool
    sections: tuple[SectionResult, ...]
    oov: bool = False
    oov_words: int = 0

    @property
    def semantic(self) -> SectionResult:
        return _aggregate("semantic", (s for s in self.sections if not s.syntactic), False)

    @property
    def syntactic(self) -> SectionResult:
        return _aggregate("syntactic", (s for s in self.sections if s.syntactic), True)

    @property
    def overall(self) -> SectionResult:
        return _aggregate("total", self.sections, False)

    @property
    def correct(self) -> int:
        return self.overall.correct

    @property
    def total(self) -> int:
        """Questions answered: all four words in the restricted vocabulary (or, with ``oov``, given a vector)."""
        return self.overall.total

    @property
    def skipped(self) -> int:
        """Questions skipped because a word is outside the restricted vocabulary (with ``oov``: has no vector)."""
        return self.overall.skipped

    @property
    def via_oov(self) -> int:
        """Questions answered through at least one vector built for an out-of-vocabulary word."""
        return self.overall.via_oov

    @property
    def questions(self) -> int:
        return self.overall.questions

    @property
    def accuracy(self) -> float:
        """Correct / answered, as gensim's ``evaluate_word_analogies`` score."""
        return self.overall.accuracy

    @property
    def coverage(self) -> float:
        """Fraction of the questions answered (not skipped)."""
        return self.overall.coverage

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "method": self.method,
            "restrict_vocab": self.restrict_vocab,
            "case_insensitive": self.case_insensitive,
            "oov": self.oov,
            "accuracy": self.accuracy,
            "correct": self.correct,
            "total": self.total,
            "skipped": self.skipped,
            "questions": self.questions,
            "coverage": self.coverage,
            "via_oov": self.via_oov,
            "oov_words": self.oov_words,
            "semantic": self.semantic.to_dict(),
            "syntactic": self.syntactic.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
        }

    def summary(self) -> str:
        case = "case-insensitive" if self.case_insensitive else "case-sensitive"
        oov = ", OOV words from subwords" if self.oov else ""
        width = max([len(s.name) for s in self.sections] + [9])
        head = f"{'section':<{width}}  {'correct':>7}  {'total':>6}  {'skipped':>7}  {'accuracy':>8}"
        if self.oov:
            head += f"  {'via OOV':>7}"

        def row(s: SectionResult) -> str:
            text = (f"{s.name:<{width}}  {s.correct:>7,}  {s.total:>6,}  {s.skipped:>7,}  "
                    f"{100 * s.accuracy:>7.1f}%")
            return text + f"  {s.via_oov:>7,}" if self.oov else text

        if self.oov:
            coverage = (f"coverage: {self.total:,} of {self.questions:,} questions answered "
                        f"({100 * self.coverage:.1f}%), {self.via_oov:,} of them through vectors built for "
                        f"{self.oov_words:,} out-of-vocabulary words (also answer candidates); "
                        f"{self.skipped:,} skipped (no vector)")
        else:
            coverage = (f"coverage: {self.total:,} of {self.questions:,} questions answered "
                        f"({100 * self.coverage:.1f}%); {self.skipped:,} skipped (out of vocabulary)")
        lines = [
            f"Analogies: {self.dataset} ({self.method}, restrict_vocab={self.restrict_vocab}, {case}{oov})",
            head,
            "-" * len(head),
            *(row(s) for s in self.sections),
            "-" * len(head),
            row(self.semantic),
            row(self.syntactic),
            row(self.overall),
            coverage,
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _mask_variants(scores: np.ndarray, qb: np.ndarray, variants: dict[int, np.ndarray]) -> None:
    """Exclude the other case variants of the question words (case-insensitive mode)."""
    for r in range(qb.shape[0]):
        for g in qb[r, :3]:
            extra = variants.get(int(g))
            if extra is not None:
                scores[r, extra] = -np.inf


def evaluate_analogies(
    kv: KeyedVectors,
    dataset: str | os.PathLike | AnalogyDataset = "google",
    *,
    restrict_vocab: int | None = 30000,
    case_insensitive: bool = True,
    method: str = "3cosadd",
    batch_size: int = 512,
    oov: bool = False,
) -> AnalogyResult:
    """Accuracy of ``kv`` on an analogy set, per section and overall.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen", "man", "woman"], np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> with open("questions.txt", "w", encoding="utf-8") as f:
    ...     print(": family", file=f)
    ...     print("man king woman queen", file=f)
    ...     print(": gram-plural", file=f)
    ...     print("king kings queen queens", file=f)
    ...
    >>> result = evaluate_analogies(wv, "questions.txt")       # or "google", "ko-analogy"
    >>> print(result.summary())
    Analogies: questions.txt (3cosadd, restrict_vocab=4, case-insensitive)
    section      correct   total  skipped  accuracy
    -----------------------------------------------
    family             1       1        0    100.0%
    gram-plural        0       0        1      0.0%
    -----------------------------------------------
    semantic           1       1        0    100.0%
    syntactic          0       0        1      0.0%
    total              1       1        1    100.0%
    coverage: 1 of 2 questions answered (50.0%); 1 skipped (out of vocabulary)

    Parameters
    ----------
    kv:
        The vectors to evaluate.
    dataset:
        ``"google"``, ``"ko-analogy"``, a path to a file in the same format (``: section``
        lines, then ``a b c d``), or an already loaded :class:`AnalogyDataset`.
    restrict_vocab:
        Use only the first N keys (the most frequent, for trained models), as question
        words and as answers; ``None`` for all keys. A question with a word outside them
        is skipped and counted in ``skipped``.
    case_insensitive:
        Compare words upper-cased, as gensim does.
    method:
        ``"3cosadd"`` (gensim's ``evaluate_word_analogies``) or ``"3cosmul"``.
    batch_size:
        Questions scored per matrix product.
    oov:
        Give words outside the restricted vocabulary the vector the model builds for them
        (``kv.get_vector``: from character n-grams for unseen words) instead of skipping
        their questions, and add those words of the dataset to the answer candidates (see
        the module docstring). Needs vectors with subword information, such as FastText's
        ``SubwordVectors``; with plain ``KeyedVectors`` it raises a ``ValueError``. Questions
        with a word that has no vector even so are skipped.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(repr(m) for m in METHODS)}, got {method!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    if oov:
        check_subword_vectors(kv)
    data = dataset if isinstance(dataset, AnalogyDataset) else load_analogies(dataset)
    limit, lookup, group = restricted_vocab(kv, restrict_vocab, case_insensitive)
    unit = kv.unit_vectors[:limit]
    extra = None
    if oov:
        extra = oov_vectors(kv, (w for s in data.sections for q in s.questions for w in q),
                            lookup, limit, case_insensitive)
        if len(extra):  # the extra words are candidates too: appended rows, groups of their own
            lookup = {**lookup, **extra.index}
            group = np.concatenate([group, np.arange(limit, limit + len(extra), dtype=np.int64)])
            unit = np.concatenate([unit, extra.unit])

    # Map questions to representative indexes; count the skipped ones per section.
    rows: list[tuple[int, int, int, int]] = []
    owner: list[int] = []
    skipped = np.zeros(len(data.sections), dtype=np.int64)
    for s, section in enumerate(data.sections):
        for question in section.questions:
            ids = [lookup.get(w.upper() if case_insensitive else w) for w in question]
            if None in ids:
                skipped[s] += 1
            else:
                rows.append(tuple(ids))  # type: ignore[arg-type]
                owner.append(s)
    questions = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
    hits = np.zeros(len(rows), dtype=bool)

    variants: dict[int, np.ndarray] = {}
    if case_insensitive and len(rows):
        sizes = np.bincount(group, minlength=limit)
        for g in np.flatnonzero(sizes > 1):
            variants[int(g)] = np.flatnonzero(group == g)

    unit_t = unit.T
    for start in range(0, len(rows), batch_size):
        qb = questions[start : start + batch_size]
        if method == "3cosadd":
            query = unit[qb[:, 1]] - unit[qb[:, 0]] + unit[qb[:, 2]]
            scores = query @ unit_t
        else:
            cos_a = unit[qb[:, 0]] @ unit_t
            scores = unit[qb[:, 1]] @ unit_t
            cos_c = unit[qb[:, 2]] @ unit_t
            # ((1+cb)/2 * (1+cc)/2) / ((1+ca)/2 + 1e-6), in place
            scores += 1.0
            cos_c += 1.0
            scores *= cos_c
            scores *= 0.25
            cos_a += 1.0
            cos_a *= 0.5
            cos_a += 1e-6
            scores /= cos_a
            del cos_a, cos_c
        scores[np.arange(qb.shape[0])[:, None], qb[:, :3]] = -np.inf
        if variants:
            _mask_variants(scores, qb, variants)
        predicted = np.argmax(scores, axis=1)
        hits[start : start + qb.shape[0]] = group[predicted] == qb[:, 3]

    owner_arr = np.asarray(owner, dtype=np.int64)
    n_sections = len(data.sections)
    correct = np.bincount(owner_arr, weights=hits, minlength=n_sections).astype(np.int64)
    total = np.bincount(owner_arr, minlength=n_sections)
    built = questions.max(axis=1) >= limit if len(rows) else np.zeros(0, dtype=bool)  # a word from oov_vectors
    via_oov = np.bincount(owner_arr, weights=built, minlength=n_sections).astype(np.int64)
    sections = tuple(
        SectionResult(sec.name, int(correct[i]), int(total[i]), int(skipped[i]), is_syntactic_section(sec.name),
                      int(via_oov[i]))
        for i, sec in enumerate(data.sections)
    )
    return AnalogyResult(data.name, method, limit, case_insensitive, sections,
                         oov=bool(oov), oov_words=0 if extra is None else len(extra))
