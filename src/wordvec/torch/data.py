"""Labelled text files for the classifier: TSV or CSV with a header, optionally compressed.

The header names the columns; the text and label columns are chosen by name (``text_column``,
``label_column``) or found among common names (``text``, ``sentence``, ``content``, ...;
``label``, ...). The file is read by :class:`wordvec.corpus.tables.Table`: TSV without quoting
(one record per line, as SST-2 ships), CSV with the ``csv`` module's quoting rules (a quoted
field may span lines). Errors name the file and line: a missing column, a row with too few
fields, an empty label. An empty text is skipped with a warning that names the file and line.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from wordvec.corpus.tables import Table

__all__ = ["LABEL_COLUMNS", "TEXT_COLUMNS", "LabelledTexts", "check_labels", "read_labelled"]

#: Column names tried, in order, when no text column is given.
TEXT_COLUMNS = ("text", "sentence", "content", "review", "document", "message", "body")
#: Column names tried, in order, when no label column is given.
LABEL_COLUMNS = ("label", "labels", "class", "category", "sentiment", "target", "y")


@dataclass(frozen=True)
class LabelledTexts:
    """Texts and their labels (strings) as read from ``path``; ``lines[i]`` is the file line of row i.

    >>> data = LabelledTexts(["a fine film", "dull"], ["pos", "neg"])
    >>> data.texts, data.labels, data.path
    (['a fine film', 'dull'], ['pos', 'neg'], '<memory>')
    """

    texts: list[str]
    labels: list[str]
    path: str = "<memory>"
    lines: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def where(self, i: int) -> str:
        """``file:line`` of row ``i`` (for messages)."""
        return f"{self.path}:{self.lines[i]}" if self.lines else f"{self.path} row {i + 1}"


def read_labelled(path: str | os.PathLike[str], *, text_column: str | None = None,
                  label_column: str | None = None, delimiter: str | None = None,
                  encoding: str = "utf-8") -> LabelledTexts:
    """Read a TSV/CSV file (``.gz``, ``.bz2``, ``.xz`` accepted) with a header line into :class:`LabelledTexts`.

    >>> with open("reviews.csv", "w", encoding="utf-8") as f:
    ...     print("sentence,label", file=f)
    ...     print('"a fine, moving film",pos', file=f)
    ...     print("dull,neg", file=f)
    ...
    >>> data = read_labelled("reviews.csv")            # text and label columns guessed from the header
    >>> data.texts, data.labels, data.lines
    (['a fine, moving film', 'dull'], ['pos', 'neg'], [2, 3])

    ``delimiter`` defaults to a comma for ``*.csv[.gz]`` and a tab otherwise. Raises
    ``encoding`` is the file's (``"cp949"``, ``"latin-1"``, ...). Raises
    ValueError naming the file and line for a missing column, a short row or an empty label;
    warns (and skips the row) for an empty text; raises if no row is left.
    """
    texts: list[str] = []
    labels: list[str] = []
    lines: list[int] = []
    empty: list[int] = []
    with Table(path, expected="a header naming the text and label columns", delimiter=delimiter,
               encoding=encoding) as table:
        path = table.path
        ti = _column(table, text_column, TEXT_COLUMNS, "text", "--text-column / text_column")
        li = _column(table, label_column, LABEL_COLUMNS, "label", "--label-column / label_column")
        if ti == li:
            raise ValueError(f"{table.where}: the text and label columns are the same column {table.header[ti]!r}")
        for lineno, fields in table.records(max(ti, li) + 1):
            label = fields[li].strip()
            if not label:
                raise ValueError(f"{path}:{lineno}: empty label in column {table.header[li]!r}")
            text = fields[ti].strip()
            if not text:
                empty.append(lineno)
                continue
            texts.append(text)
            labels.append(label)
            lines.append(lineno)
    if empty:
        shown = ", ".join(str(n) for n in empty[:5]) + (f" and {len(empty) - 5} more" if len(empty) > 5 else "")
        warnings.warn(f"{path}: skipped {len(empty)} row(s) with an empty text at line(s) {shown}",
                      stacklevel=2)
    if not texts:
        raise ValueError(f"{path}: no labelled text after the header")
    return LabelledTexts(texts, labels, str(path), lines)


def _column(table: Table, wanted: str | None, candidates: Sequence[str], what: str, option: str) -> int:
    """The column named ``wanted`` (in any case), else the first of ``candidates`` in the header."""
    if wanted is not None:
        return table.column(wanted, what, ignore_case=True)
    return table.guess_column(candidates, what, option)


def check_labels(data: LabelledTexts, known: Sequence[str]) -> list[int]:
    """Rows of ``data`` whose label is not in ``known`` (labels the model never saw in training).

    >>> import warnings
    >>> data = LabelledTexts(["a fine film", "dull", "meh"], ["pos", "neg", "mixed"], lines=[2, 3, 4])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")             # it warns once, naming the file and the line
    ...     unknown = check_labels(data, known=["neg", "pos"])
    ...
    >>> unknown
    [2]

    Warns once, naming the file, the unknown labels and the line of each one's first row;
    raises ValueError when no label at all is known (the wrong column or the wrong model).
    """
    known_set = set(known)
    bad = [i for i, lab in enumerate(data.labels) if lab not in known_set]
    if bad and len(bad) == len(data.labels):
        raise ValueError(f"{data.path}: none of the labels {sorted(set(data.labels))[:10]} is one the model knows "
                         f"({sorted(known_set)}); check --label-column")
    if bad:
        first: dict[str, int] = {}
        for i in bad:
            first.setdefault(data.labels[i], i)
        listed = ", ".join(f"{lab!r} (first at {data.where(i)})" for lab, i in first.items())
        warnings.warn(f"{data.path}: {len(bad)} row(s) have a label the model was not trained on: {listed}; "
                      f"the model knows {sorted(known_set)}", stacklevel=2)
    return bad
