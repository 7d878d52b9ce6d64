"""Evaluation sets: the bundled standard ones by name, any file in the same formats by path.

Bundled (see ``data/SOURCES.md``):

* ``"google"`` -- Google word analogies (``questions-words.txt``, 19,544 questions);
* ``"wordsim353"`` -- WordSim-353 (353 pairs);
* ``"simlex999"`` -- SimLex-999 (999 pairs);
* ``"ko-analogy"`` -- Korean word analogies (``word_analogy_korean.txt``, Park et al. 2018:
  10,000 questions in 5 semantic ``sem*`` and 5 syntactic ``syn*`` sections);
* ``"ko-wordsim353"`` -- Korean WordSim-353 (``WS353_korean.csv``, Park et al. 2018: 353 pairs,
  a CSV file with a UTF-8 byte-order mark and a ``word 1,word 2,kor_score`` header).

Formats, as in word2vec's ``questions-words.txt`` and gensim's ``test_data``:

* analogies: ``: section name`` lines, each followed by ``a b c d`` question lines
  ("a is to b as c is to d"); blank lines are ignored;
* word pairs: ``#`` comment lines and blank lines are ignored; every other line is
  ``word1<TAB>word2<TAB>score``. Comma-separated (``word 1,word 2,kor_score``) and
  whitespace-separated lines are accepted too, a UTF-8 byte-order mark is dropped, and a
  first data line whose third field is not a number is taken as a header.

Anything else raises a ``ValueError`` that names the file and the line.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "ANALOGY_SETS",
    "WORD_PAIR_SETS",
    "AnalogyDataset",
    "AnalogySection",
    "WordPairDataset",
    "load_analogies",
    "load_word_pairs",
    "is_syntactic_section",
]

#: Bundled analogy sets: name -> file in ``wordvec/evaluate/data``.
ANALOGY_SETS: dict[str, str] = {"google": "questions-words.txt", "ko-analogy": "word_analogy_korean.txt"}
#: Bundled word-similarity sets: name -> file in ``wordvec/evaluate/data``.
WORD_PAIR_SETS: dict[str, str] = {
    "wordsim353": "wordsim353.tsv",
    "simlex999": "simlex999.txt",
    "ko-wordsim353": "WS353_korean.csv",
}

# Section-name prefixes that mark syntactic analogies: "gram" in the Google set
# (gram1-adjective-to-adverb ...), "syn" in the Korean set (syn1_case ...).
_SYNTACTIC_PREFIXES = ("gram", "syn")


def is_syntactic_section(name: str) -> bool:
    """True for syntactic analogy sections (names starting with ``gram`` or ``syn``).

    >>> is_syntactic_section("gram3-comparative"), is_syntactic_section("syn_tense"), is_syntactic_section("family")
    (True, True, False)

    In the Google set the first five sections (capital-common-countries, capital-world,
    currency, city-in-state, family) are semantic and the nine ``gram*`` sections syntactic.
    """
    return name.lower().startswith(_SYNTACTIC_PREFIXES)


@dataclass(frozen=True)
class AnalogySection:
    """One ``: name`` block of an analogy file.

    >>> section = load_analogies("google").sections[0]
    >>> section.name, section.questions[0]
    ('capital-common-countries', ('Athens', 'Greece', 'Baghdad', 'Iraq'))
    """

    name: str
    questions: tuple[tuple[str, str, str, str], ...]

    @property
    def syntactic(self) -> bool:
        return is_syntactic_section(self.name)

    def __len__(self) -> int:
        return len(self.questions)


@dataclass(frozen=True)
class AnalogyDataset:
    """Analogy questions grouped in sections, in file order.

    >>> google = load_analogies("google")
    >>> google.name, len(google.sections), google.sections[0].name
    ('google', 14, 'capital-common-countries')
    """

    name: str
    sections: tuple[AnalogySection, ...]

    def __len__(self) -> int:
        return sum(len(s) for s in self.sections)


@dataclass(frozen=True)
class WordPairDataset:
    """Word pairs with a human similarity score each, in file order.

    >>> ws = load_word_pairs("wordsim353")
    >>> len(ws.pairs), ws.pairs[0], ws.scores[0]
    (353, ('love', 'sex'), 6.77)
    """

    name: str
    pairs: tuple[tuple[str, str], ...]
    scores: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.pairs)


# --------------------------------------------------------------------------- reading
def _read_lines(source: str | os.PathLike, bundled: dict[str, str], kind: str,
                other: dict[str, str], other_loader: str) -> tuple[str, str, list[str]]:
    """Resolve a bundled name or a path.

    Returns (name, where, lines): ``name`` is the set name or the path, ``where`` the
    name used in error messages, ``lines`` the text lines without their line ends.
    """
    if isinstance(source, str) and source in bundled:
        name, where = source, f"{source} ({bundled[source]})"
        data = (resources.files("wordvec.evaluate") / "data" / bundled[source]).read_bytes()
    elif isinstance(source, str) and source in other:
        raise ValueError(f"{source!r} is not a {kind} set; load it with {other_loader}({source!r})")
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            names = ", ".join(repr(n) for n in bundled)
            raise FileNotFoundError(f"no {kind} file {str(path)!r}; bundled {kind} sets: {names}")
        name = where = str(path)
        data = path.read_bytes()
    else:
        raise TypeError(f"expected a bundled set name or a path, got {type(source).__name__}: {source!r}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line_no = data[: e.start].count(b"\n") + 1
        raise ValueError(f"{where}, line {line_no}: not valid UTF-8 ({e.reason})") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return name, where, [ln.rstrip("\r") for ln in lines]


def load_analogies(source: str | os.PathLike = "google") -> AnalogyDataset:
    """Load an analogy set: a bundled name (``"google"``, ``"ko-analogy"``) or a path to a file in that format.

    >>> with open("questions.txt", "w", encoding="utf-8") as f:
    ...     print(": family", file=f)
    ...     print("man king woman queen", file=f)
    ...
    >>> load_analogies("questions.txt").sections
    (AnalogySection(name='family', questions=(('man', 'king', 'woman', 'queen'),)),)
    >>> len(load_analogies("google").sections), len(load_analogies("ko-analogy").sections)
    (14, 10)
    """
    name, where, lines = _read_lines(source, ANALOGY_SETS, "analogy", WORD_PAIR_SETS, "load_word_pairs")
    sections: list[AnalogySection] = []
    current: str | None = None
    questions: list[tuple[str, str, str, str]] = []
    for line_no, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(":"):
            if current is not None:
                sections.append(AnalogySection(current, tuple(questions)))
            current = stripped.lstrip(": ").strip()
            if not current:
                raise ValueError(f"{where}, line {line_no}: section line without a name: {line!r}")
            questions = []
            continue
        if current is None:
            raise ValueError(f"{where}, line {line_no}: question before the first ': section' line: {line!r}")
        words = stripped.split()
        if len(words) != 4:
            raise ValueError(
                f"{where}, line {line_no}: expected 4 words 'a b c d', got {len(words)}: {line!r}"
            )
        questions.append((words[0], words[1], words[2], words[3]))
    if current is not None:
        sections.append(AnalogySection(current, tuple(questions)))
    if not any(len(s) for s in sections):
        raise ValueError(f"{where}: no analogy questions found")
    return AnalogyDataset(name, tuple(sections))


def _split_pair_line(line: str) -> list[str]:
    if "\t" in line:
        fields = line.split("\t")
    elif "," in line:
        fields = line.split(",")
    else:
        fields = line.split()
    fields = [f.strip() for f in fields]
    return [f[1:-1] if len(f) >= 2 and f[0] == f[-1] == '"' else f for f in fields]


def _parse_score(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value


def load_word_pairs(source: str | os.PathLike = "wordsim353") -> WordPairDataset:
    """Load a word-similarity set: a bundled name (``"wordsim353"``, ``"simlex999"``,
    ``"ko-wordsim353"``) or a path.

    >>> with open("pairs.txt", "w", encoding="utf-8") as f:
    ...     print("# word1 word2 score", file=f)
    ...     print("king queen 8.5", file=f)
    ...
    >>> load_word_pairs("pairs.txt").pairs
    (('king', 'queen'),)
    >>> len(load_word_pairs("simlex999").pairs), len(load_word_pairs("ko-wordsim353").pairs)
    (999, 353)
    """
    name, where, lines = _read_lines(source, WORD_PAIR_SETS, "word-pair", ANALOGY_SETS, "load_analogies")
    pairs: list[tuple[str, str]] = []
    scores: list[float] = []
    first_data_line = True
    for line_no, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = _split_pair_line(stripped)
        if len(fields) != 3 or not all(fields):
            raise ValueError(
                f"{where}, line {line_no}: expected 'word1<TAB>word2<TAB>score', got {len(fields)} "
                f"field(s): {line!r}"
            )
        score = _parse_score(fields[2])
        if score is None:
            if first_data_line:  # a header such as "word 1,word 2,kor_score"
                first_data_line = False
                continue
            raise ValueError(f"{where}, line {line_no}: score {fields[2]!r} is not a number: {line!r}")
        if not math.isfinite(score):
            raise ValueError(f"{where}, line {line_no}: score {fields[2]!r} is not finite: {line!r}")
        first_data_line = False
        pairs.append((fields[0], fields[1]))
        scores.append(score)
    if not pairs:
        raise ValueError(f"{where}: no word pairs found")
    return WordPairDataset(name, tuple(pairs), tuple(scores))
