"""Intrinsic evaluation: word analogies and word similarity on standard sets.

>>> import numpy as np
>>> from wordvec import KeyedVectors
>>> from wordvec.evaluate import evaluate_all
>>> wv = KeyedVectors(["king", "queen", "man", "woman"], np.eye(4))
>>> report = evaluate_all(wv)                     # Google analogies, WordSim-353, SimLex-999
>>> report.analogies.overall.total, report.wordsim353.pairs_used
(2, 2)

``evaluate_all(fasttext.wv, language="ko", oov=True)`` runs the Korean sets, with vectors built
from n-grams for the words the vocabulary lacks.

Bundled sets, loaded by name: ``"google"`` and ``"ko-analogy"`` (analogies),
``"wordsim353"``, ``"simlex999"`` and ``"ko-wordsim353"`` (word pairs); any file in the
same formats loads by path. :data:`SUITES` groups them by language for :func:`evaluate_all`.

Out-of-vocabulary words: by default a question or pair with a word outside the (restricted)
vocabulary is skipped and counted (coverage). With ``oov=True``, vectors with subword
information (FastText's ``SubwordVectors``) give such words the vector they build from
character n-grams instead; see :mod:`wordvec.evaluate.oov` and :func:`evaluate_analogies`
for the rule and for what it does to the answer candidates.
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
    "SUITES",
    "SectionResult",
    "SimilarityResult",
    "WordPairDataset",
    "evaluate_all",
    "evaluate_analogies",
    "evaluate_similarity",
    "load_analogies",
    "load_word_pairs",
]


#: Bundled sets run by :func:`evaluate_all`, by language: (analogy set, word-pair sets).
SUITES: dict[str, tuple[str, tuple[str, ...]]] = {
    "en": ("google", ("wordsim353", "simlex999")),
    "ko": ("ko-analogy", ("ko-wordsim353",)),
}

# How the summary table names the bundled sets.
_TITLES = {
    "google": "Google analogies",
    "ko-analogy": "Korean analogies",
    "wordsim353": "WordSim-353",
    "simlex999": "SimLex-999",
    "ko-wordsim353": "Korean WS-353",
}


@dataclass(frozen=True)
class EvaluationReport:
    """One suite's results (:data:`SUITES`) for one set of vectors.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen", "man", "woman"], np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> report = evaluate_all(wv)
    >>> report.analogies.dataset, [r.dataset for r in report.similarity]
    ('google', ['wordsim353', 'simlex999'])
    >>> report.wordsim353 is report.similarity_result("wordsim353")
    True

    ``analogies`` is the suite's analogy result and ``similarity`` its word-pair results in
    suite order. The English suite's results keep their names: ``report.wordsim353`` and
    ``report.simlex999``; any word-pair result is also found by its set name with
    :meth:`similarity_result` (``report.similarity_result("ko-wordsim353")``).
    """

    analogies: AnalogyResult
    similarity: tuple[SimilarityResult, ...] = ()
    language: str = "en"

    def similarity_result(self, name: str) -> SimilarityResult:
        """The word-pair result of the set called ``name``; a KeyError listing the sets otherwise."""
        for result in self.similarity:
            if result.dataset == name:
                return result
        names = ", ".join(repr(r.dataset) for r in self.similarity) or "none"
        raise KeyError(f"no word-similarity result for {name!r} in this {self.language!r} report; it holds {names}")

    @property
    def wordsim353(self) -> SimilarityResult:
        """WordSim-353 (English suite)."""
        return self.similarity_result("wordsim353")

    @property
    def simlex999(self) -> SimilarityResult:
        """SimLex-999 (English suite)."""
        return self.similarity_result("simlex999")

    def to_dict(self) -> dict:
        """``{"language", "analogies", <set name>: ...}``: each word-pair result under its set name."""
        out: dict = {"language": self.language, "analogies": self.analogies.to_dict()}
        for result in self.similarity:
            out[result.dataset] = result.to_dict()
        return out

    def summary(self) -> str:
        """One short table: the headline figure of each benchmark with its coverage."""
        a = self.analogies
        oov = a.oov or any(r.oov for r in self.similarity)
        rows = [
            (_TITLES.get(a.dataset, a.dataset), "accuracy", a.accuracy, a.total, a.questions, a.via_oov),
            ("  semantic", "accuracy", a.semantic.accuracy, a.semantic.total, a.semantic.questions,
             a.semantic.via_oov),
            ("  syntactic", "accuracy", a.syntactic.accuracy, a.syntactic.total, a.syntactic.questions,
             a.syntactic.via_oov),
            *((_TITLES.get(r.dataset, r.dataset), "Spearman", r.spearman, r.pairs_used, r.pairs, r.pairs_via_oov)
              for r in self.similarity),
        ]
        width = max(18, *(len(r[0]) for r in rows))
        head = f"{'benchmark':<{width}} {'measure':<9} {'value':>7}   {'coverage':>15}"
        if oov:
            head += f"   {'via OOV':>7}"
        lines = [head, "-" * len(head)]
        for name, measure, value, used, total, via in rows:
            line = f"{name:<{width}} {measure:<9} {value:>7.4f}   {used:>7,}/{total:<7,}"
            lines.append(line + f"   {via:>7,}" if oov else line)
        if oov:
            lines.append("via OOV: answered through vectors built from subwords for out-of-vocabulary words")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def evaluate_all(
    kv: KeyedVectors,
    *,
    language: str = "en",
    analogy_restrict_vocab: int | None = 30000,
    similarity_restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
    oov: bool = False,
) -> EvaluationReport:
    """Run one language's bundled benchmarks (:data:`SUITES`) with 3CosAdd analogies.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> wv = KeyedVectors(["king", "queen", "man", "woman"], np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> report = evaluate_all(wv)            # Google analogies, WordSim-353, SimLex-999; language="ko": Korean
    >>> report.analogies.overall.total, report.analogies.overall.correct    # questions with all 4 words known
    (2, 2)
    >>> print(report.summary())
    benchmark          measure     value          coverage
    ------------------------------------------------------
    Google analogies   accuracy   1.0000         2/19,544 
      semantic         accuracy   1.0000         2/8,869  
      syntactic        accuracy   0.0000         0/10,675 
    WordSim-353        Spearman   1.0000         2/353    
    SimLex-999         Spearman      nan         1/999    

    ``language="en"``: Google analogies, WordSim-353 and SimLex-999; ``language="ko"``:
    the Korean analogies and Korean WordSim-353 of Park et al. (2018). The defaults match
    the usual reporting: analogies among the 30,000 most frequent keys, word pairs among
    the first 300,000, words compared case-insensitively. ``oov=True`` gives words outside
    those keys vectors built from subwords (FastText only; see :func:`evaluate_analogies`).
    """
    if language not in SUITES:
        raise ValueError(f"language must be one of {', '.join(repr(k) for k in SUITES)}, got {language!r}")
    analogy_set, pair_sets = SUITES[language]
    return EvaluationReport(
        analogies=evaluate_analogies(
            kv, analogy_set, restrict_vocab=analogy_restrict_vocab, case_insensitive=case_insensitive, oov=oov
        ),
        similarity=tuple(
            evaluate_similarity(
                kv, name, restrict_vocab=similarity_restrict_vocab, case_insensitive=case_insensitive, oov=oov
            )
            for name in pair_sets
        ),
        language=language,
    )
