"""Intrinsic evaluation: word analogies and word similarity on standard sets.

>>> from wordvec.evaluate import evaluate_all
>>> report = evaluate_all(model.wv)          # doctest: +SKIP
>>> print(report)                           # doctest: +SKIP

Bundled sets, loaded by name: ``"google"`` (analogies), ``"wordsim353"`` and
``"simlex999"`` (word pairs); any file in the same formats loads by path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wordvec.evaluate.analogy import AnalogyResult, SectionResult, evaluate_analogies
from wordvec.evaluate.datasets import (
    AnalogyDataset,
    AnalogySection,
    WordPairDataset,
    load_analogies,
    load_word_pairs,
)
from wordvec.evaluate.similarity import SimilarityResult, evaluate_similarity

if TYPE_CHECKING:
    from wordvec.vectors.keyed import KeyedVectors

__all__ = [
    "AnalogyDataset",
    "AnalogyResult",
    "AnalogySection",
    "EvaluationReport",
    "SectionResult",
    "SimilarityResult",
    "WordPairDataset",
    "evaluate_all",
    "evaluate_analogies",
    "evaluate_similarity",
    "load_analogies",
    "load_word_pairs",
]


@dataclass(frozen=True)
class EvaluationReport:
    """Google analogies, WordSim-353 and SimLex-999 results for one set of vectors."""

    analogies: AnalogyResult
    wordsim353: SimilarityResult
    simlex999: SimilarityResult

    def to_dict(self) -> dict:
        return {
            "analogies": self.analogies.to_dict(),
            "wordsim353": self.wordsim353.to_dict(),
            "simlex999": self.simlex999.to_dict(),
        }

    def summary(self) -> str:
        """One short table: the headline figure of each benchmark with its coverage."""
        a, w, s = self.analogies, self.wordsim353, self.simlex999
        rows = [
            ("Google analogies", "accuracy", a.accuracy, a.total, a.questions),
            ("  semantic", "accuracy", a.semantic.accuracy, a.semantic.total, a.semantic.questions),
            ("  syntactic", "accuracy", a.syntactic.accuracy, a.syntactic.total, a.syntactic.questions),
            ("WordSim-353", "Spearman", w.spearman, w.pairs_used, w.pairs),
            ("SimLex-999", "Spearman", s.spearman, s.pairs_used, s.pairs),
        ]
        lines = [f"{'benchmark':<18} {'measure':<9} {'value':>7}   {'coverage':>15}"]
        lines.append("-" * len(lines[0]))
        for name, measure, value, used, total in rows:
            lines.append(f"{name:<18} {measure:<9} {value:>7.4f}   {used:>7,}/{total:<7,}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def evaluate_all(
    kv: KeyedVectors,
    *,
    analogy_restrict_vocab: int | None = 30000,
    similarity_restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
) -> EvaluationReport:
    """Run the bundled benchmarks: Google analogies (3CosAdd), WordSim-353 and SimLex-999.

    The defaults match the usual reporting: analogies among the 30,000 most frequent
    keys, word pairs among the first 300,000, words compared case-insensitively.
    """
    return EvaluationReport(
        analogies=evaluate_analogies(
            kv, "google", restrict_vocab=analogy_restrict_vocab, case_insensitive=case_insensitive
        ),
        wordsim353=evaluate_similarity(
            kv, "wordsim353", restrict_vocab=similarity_restrict_vocab, case_insensitive=case_insensitive
        ),
        simlex999=evaluate_similarity(
            kv, "simlex999", restrict_vocab=similarity_restrict_vocab, case_insensitive=case_insensitive
        ),
    )
