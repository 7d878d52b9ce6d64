"""Delimited text files with a header line: TSV or CSV, plain or compressed.

The reader shared by :func:`wordvec.torch.read_labelled` (texts and their labels, for the
classifier) and :func:`wordvec.documents.read_documents` (``id``, ``title``, ``text`` records):

* the delimiter is a comma for ``*.csv`` (``*.csv.gz`` ... too) and a tab otherwise, unless given;
* TSV is read without quoting, one record per line (as SST-2 ships), ``"\\r\\n"`` stripped;
  CSV with the :mod:`csv` module's quoting rules, so a quoted field may span lines;
* the text is UTF-8 (a byte-order mark is dropped) unless another ``encoding`` is given
  (``"cp949"``, ``"latin-1"``, ...); ``.gz``, ``.bz2`` and ``.xz`` files are decompressed on
  the fly (:func:`wordvec._files.open_text`);
* blank records are skipped; the first record is the header, its names stripped of spaces;
* every error names the file and the line: a missing column (the header's line), a record with
  too few fields, text that does not decode, malformed CSV.

What the columns mean, and what makes a record invalid beyond that, is the caller's business.
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from wordvec._files import open_text, strip_compression
from wordvec.corpus.encodings import DEFAULT_ENCODING, check_encoding, encoding_key

__all__ = ["Table", "table_delimiter"]


def table_delimiter(path: Path, delimiter: str | None = None) -> str:
    r"""``delimiter`` if given, else a comma for ``*.csv[.gz|.bz2|.xz]`` and a tab for any other name.

    >>> from pathlib import Path
    >>> table_delimiter(Path("reviews.csv.gz")), table_delimiter(Path("x.txt"), ";")
    (',', ';')
    >>> table_delimiter(Path("reviews.tsv")) == "\t"
    True
    """
    if delimiter is not None:
        return delimiter
    return "," if strip_compression(path.name).lower().endswith(".csv") else "\t"


def _records(fh, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each non-blank record; a CSV record's number is its first line."""
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


class Table:
    r"""A delimited file with a header, open for reading; use it as a context manager.

    >>> with open("reviews.tsv", "w", encoding="utf-8") as f:
    ...     print("id", "text", "label", sep="\t", file=f)
    ...     print("1", "a fine film", "1", sep="\t", file=f)
    ...
    >>> with Table("reviews.tsv", expected="a header with 'text'") as table:
    ...     text = table.guess_column(["text", "sentence"], "text", "--text-column")
    ...     print(table.header, [row[text] for _, row in table.records(need=text + 1)])
    ...
    ['id', 'text', 'label'] ['a fine film']

    ``Table(path, expected="a header with 'id' and 'text'")`` opens ``path`` and reads the
    header: :attr:`header` (the names), :attr:`header_line` (its line number). Look columns up
    with :meth:`column` or :meth:`guess_column`, then iterate :meth:`records`.
    ``expected`` completes the message for an empty file: ``"<path>: empty file (expected ...)"``.
    ``encoding``: the file's (UTF-8 by default, a byte-order mark dropped).
    """

    def __init__(self, path: str | os.PathLike[str], *, expected: str, delimiter: str | None = None,
                 encoding: str = DEFAULT_ENCODING):
        self.path = Path(path)
        self.encoding = check_encoding(encoding)
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no such file")
        # UTF-8 drops a byte-order mark; the csv module handles line ends inside quoted fields
        codec = "utf-8-sig" if encoding_key(self.encoding) == "utf-8" else self.encoding
        self._fh = open_text(self.path, codec, newline="")
        try:
            self._rows = self._read(_records(self._fh, table_delimiter(self.path, delimiter)))
            first = next(self._rows, None)
            if first is None:
                raise ValueError(f"{self.path}: empty file (expected {expected})")
            self.header_line: int = first[0]
            self.header: list[str] = [h.strip() for h in first[1]]
        except BaseException:
            self._fh.close()
            raise

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self._fh.close()

    @property
    def where(self) -> str:
        """``path:line`` of the header, for messages about columns."""
        return f"{self.path}:{self.header_line}"

    def column(self, name: str, what: str, *, ignore_case: bool = False) -> int:
        """The index of column ``name`` (``ignore_case``: an exact match first, then any case);
        a ValueError naming the file, the header's line and the columns when there is none."""
        if name in self.header:
            return self.header.index(name)
        if ignore_case:
            lowered = [h.lower() for h in self.header]
            if name.lower() in lowered:
                return lowered.index(name.lower())
        raise ValueError(f"{self.where}: no {what} column {name!r} in the header; columns are {self.header}")

    def guess_column(self, candidates: Sequence[str], what: str, option: str) -> int:
        """The index of the first of ``candidates`` (lower-case names) in the header, in any case;
        a ValueError that names ``option`` (how to name the column) when none is there."""
        lowered = [h.lower() for h in self.header]
        for name in candidates:
            if name in lowered:
                return lowered.index(name)
        raise ValueError(f"{self.where}: no {what} column in the header {self.header}; name it with {option}")

    def records(self, need: int) -> Iterator[tuple[int, list[str]]]:
        """(line number, fields) of each record after the header; a record with fewer than
        ``need`` fields is a ValueError naming its line."""
        for lineno, fields in self._rows:
            if len(fields) < need:
                raise ValueError(f"{self.path}:{lineno}: {len(fields)} field(s), expected at least {need} "
                                 f"(columns {self.header})")
            yield lineno, fields

    def _read(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        """``rows``, with decoding and CSV errors turned into ValueErrors that name the file
        and the last line read (text decodes in blocks: the bad line itself is not known)."""
        last = 0
        try:
            for lineno, fields in rows:
                yield lineno, fields
                last = lineno
        except UnicodeDecodeError as exc:
            after = f" after line {last}" if last else ""
            name = "UTF-8" if encoding_key(self.encoding) == "utf-8" else self.encoding
            raise ValueError(f"{self.path}: not {name} text{after} ({exc.reason}); to read it in another "
                             f"encoding, pass --encoding CODEC (command line) or encoding=... (Python)") from None
        except csv.Error as exc:
            raise ValueError(f"{self.path}: malformed CSV: {exc}") from None
