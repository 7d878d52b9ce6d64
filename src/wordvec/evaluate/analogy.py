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

3CosAdd scores candidates x by ``cos(x, b - a + c)`` on unit vectors; 3CosMul (Levy &
Goldberg 2014, eq. 4, as gensim's ``most_similar_cosmul``) by
``s(x, b) * s(x, c) / (s(x, a) + 1e-6)`` with cosines shifted to ``s = (1 + cos) / 2``.

Instead of gensim's one ``most_similar`` call per question, questions are solved in
batches: the restricted vectors are normalised once, a batch of B queries is scored
against all of them with one matrix product, the question words are masked, and the
argmax taken. Memory per batch: about ``batch_size * restrict_vocab * 4`` bytes (three
times that for 3CosMul).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wordvec.evaluate.datasets import AnalogyDataset, is_syntactic_section, load_analogies
from wordvec.evaluate.similarity import restricted_vocab

if TYPE_CHECKING:
    from wordvec.vectors.keyed import KeyedVectors

__all__ = ["AnalogyResult", "SectionResult", "evaluate_analogies"]

METHODS = ("3cosadd", "3cosmul")


@dataclass(frozen=True)
class SectionResult:
    """Counts for one section (or an aggregate of sections)."""

    name: str
    correct: int
    total: int  # questions answered: all four words in the vocabulary
    skipped: int  # questions with a word outside the (restricted) vocabulary
    syntactic: bool

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
        }


def _aggregate(name: str, parts, syntactic: bool) -> SectionResult:
    parts = list(parts)
    return SectionResult(
        name,
        sum(p.correct for p in parts),
        sum(p.total for p in parts),
        sum(p.skipped for p in parts),
        syntactic,
    )


@dataclass(frozen=True)
class AnalogyResult:
    """Analogy accuracy per section, semantic / syntactic and overall."""

    dataset: str
    method: str
    restrict_vocab: int
    case_insensitive: bool
    sections: tuple[SectionResult, ...]

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
        """Questions answered (all four words in the restricted vocabulary)."""
        return self.overall.total

    @property
    def skipped(self) -> int:
        """Questions skipped because a word is outside the restricted vocabulary."""
        return self.overall.skipped

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
            "accuracy": self.accuracy,
            "correct": self.correct,
            "total": self.total,
            "skipped": self.skipped,
            "questions": self.questions,
            "coverage": self.coverage,
            "semantic": self.semantic.to_dict(),
            "syntactic": self.syntactic.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
        }

    def summary(self) -> str:
        case = "case-insensitive" if self.case_insensitive else "case-sensitive"
        width = max([len(s.name) for s in self.sections] + [9])
        head = f"{'section':<{width}}  {'correct':>7}  {'total':>6}  {'skipped':>7}  {'accuracy':>8}"

        def row(s: SectionResult) -> str:
            return (f"{s.name:<{width}}  {s.correct:>7,}  {s.total:>6,}  {s.skipped:>7,}  "
                    f"{100 * s.accuracy:>7.1f}%")

        lines = [
            f"Analogies: {self.dataset} ({self.method}, restrict_vocab={self.restrict_vocab}, {case})",
            head,
            "-" * len(head),
            *(row(s) for s in self.sections),
            "-" * len(head),
            row(self.semantic),
            row(self.syntactic),
            row(self.overall),
            f"coverage: {self.total:,} of {self.questions:,} questions answered "
            f"({100 * self.coverage:.1f}%); {self.skipped:,} skipped (out of vocabulary)",
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
) -> AnalogyResult:
    """Accuracy of ``kv`` on an analogy set, per section and overall.

    Parameters
    ----------
    kv:
        The vectors to evaluate.
    dataset:
        ``"google"``, a path to a file in the same format (``: section`` lines, then
        ``a b c d``), or an already loaded :class:`AnalogyDataset`.
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
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(repr(m) for m in METHODS)}, got {method!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    data = dataset if isinstance(dataset, AnalogyDataset) else load_analogies(dataset)
    limit, lookup, group = restricted_vocab(kv, restrict_vocab, case_insensitive)

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

    unit = kv.unit_vectors[:limit]
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
    sections = tuple(
        SectionResult(sec.name, int(correct[i]), int(total[i]), int(skipped[i]), is_syntactic_section(sec.name))
        for i, sec in enumerate(data.sections)
    )
    return AnalogyResult(data.name, method, limit, case_insensitive, sections)
