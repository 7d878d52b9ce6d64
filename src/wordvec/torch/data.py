"""Labelled text files for the classifier: TSV or CSV with a header, optionally gzip-compressed.

The header names the columns; the text and label columns are chosen by name (``text_column``,
``label_column``) or found among common names (``text``, ``sentence``, ``content``, ...;
``label``, ...). TSV is read without quoting (one record per line, as SST-2 ships); CSV with
the ``csv`` module's quoting rules (a quoted field may span lines). Errors name the file and
line: a missing column, a row with too few fields, an empty label. An empty text is skipped
with a warning that names the file and line.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["LABEL_COLUMNS", "TEXT_COLUMNS", "LabelledTexts", "check_labels", "read_labelled"]

#: Column names tried, in order, when no text column is given.
TEXT_COLUMNS = ("text", "sentence", "content", "review", "document", "message", "body")
#: Column names tried, in order, when no label column is given.
LABEL_COLUMNS = ("label", "labels", "class", "category", "sentiment", "target", "y")


@dataclass(frozen=True)
class LabelledTexts:
    """Texts and their labels (strings) as read from ``path``; ``lines[i]`` is the file line of row i."""

    texts: list[str]
    labels: list[str]
    path: str = "<memory>"
    lines: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def where(self, i: int) -> str:
        """``file:line`` of row ``i`` (for messages)."""
        return f"{self.path}:{self.lines[i]}" if self.lines else f"{self.path} row {i + 1}"


def _open_text(path: Path):
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")  # noqa: SIM115 - closed with the wrapper
    # newline="" keeps "\r\n" inside the text for csv; TSV lines are stripped of "\r\n" below.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _delimiter(path: Path, delimiter: str | None) -> str:
    if delimiter is not None:
        return delimiter
    name = path.name.removesuffix(".gz")
    if name.lower().endswith(".csv"):
        return ","
    return "\t"


def _rows(fh, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each non-blank record."""
    if delimiter == "\t":
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if line.strip():
                yield lineno, line.split("\t")
        return
    if csv.field_size_limit() < 1 << 30:  # e-mail bodies exceed the default 128 KiB
        csv.field_size_limit(min(sys.maxsize, 1 << 30))
    reader = csv.reader(fh, delimiter=delimiter)
    start = 1
    for fields in reader:
        if any(f.strip() for f in fields):
            yield start, fields
        start = reader.line_num + 1


def _pick(header: list[str], wanted: str | None, candidates: Sequence[str], what: str, option: str,
          where: str) -> int:
    lowered = [h.strip().lower() for h in header]
    if wanted is not None:
        if wanted in header:
            return header.index(wanted)
        if wanted.lower() in lowered:
            return lowered.index(wanted.lower())
        raise ValueError(f"{where}: no {what} column {wanted!r} in the header; columns are {header}")
    for name in candidates:
        if name in lowered:
            return lowered.index(name)
    raise ValueError(f"{where}: no {what} column in the header {header}; name it with {option}")


def read_labelled(path: str | os.PathLike[str], *, text_column: str | None = None,
                  label_column: str | None = None, delimiter: str | None = None) -> LabelledTexts:
    """Read a TSV/CSV file (``.gz`` accepted) with a header line into :class:`LabelledTexts`.

    ``delimiter`` defaults to a comma for ``*.csv[.gz]`` and a tab otherwise. Raises
    ValueError naming the file and line for a missing column, a short row or an empty label;
    warns (and skips the row) for an empty text; raises if no row is left.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    sep = _delimiter(path, delimiter)
    texts: list[str] = []
    labels: list[str] = []
    lines: list[int] = []
    empty: list[int] = []
    with _open_text(path) as fh:
        rows = _rows(fh, sep)
        try:
            header_line, header = next(rows)
        except StopIteration:
            raise ValueError(f"{path}: empty file (expected a header naming the text and label columns)") from None
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from None
        header = [h.strip() for h in header]
        where = f"{path}:{header_line}"
        ti = _pick(header, text_column, TEXT_COLUMNS, "text", "--text-column / text_column", where)
        li = _pick(header, label_column, LABEL_COLUMNS, "label", "--label-column / label_column", where)
        if ti == li:
            raise ValueError(f"{where}: the text and label columns are the same column {header[ti]!r}")
        need = max(ti, li) + 1
        try:
            for lineno, fields in rows:
                if len(fields) < need:
                    raise ValueError(f"{path}:{lineno}: {len(fields)} field(s), expected at least {need} "
                                     f"(columns {header})")
                label = fields[li].strip()
                if not label:
                    raise ValueError(f"{path}:{lineno}: empty label in column {header[li]!r}")
                text = fields[ti].strip()
                if not text:
                    empty.append(lineno)
                    continue
                texts.append(text)
                labels.append(label)
                lines.append(lineno)
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text after line {lines[-1] if lines else header_line} "
                             f"({exc.reason})") from None
        except csv.Error as exc:
            raise ValueError(f"{path}: malformed CSV: {exc}") from None
    if empty:
        shown = ", ".join(str(n) for n in empty[:5]) + (f" and {len(empty) - 5} more" if len(empty) > 5 else "")
        warnings.warn(f"{path}: skipped {len(empty)} row(s) with an empty text at line(s) {shown}",
                      stacklevel=2)
    if not texts:
        raise ValueError(f"{path}: no labelled text after the header")
    return LabelledTexts(texts, labels, str(path), lines)


def check_labels(data: LabelledTexts, known: Sequence[str]) -> list[int]:
    """Rows of ``data`` whose label is not in ``known`` (labels the model never saw in training).

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
