"""Delimited files with a header (wordvec.corpus.tables): the reader behind read_labelled and read_documents."""

from __future__ import annotations

import bz2

import pytest

from wordvec.corpus.tables import Table, table_delimiter


def test_delimiter_from_the_name(tmp_path):
    assert table_delimiter(tmp_path / "a.csv") == ","
    assert table_delimiter(tmp_path / "a.CSV.bz2") == ","
    assert table_delimiter(tmp_path / "a.tsv.gz") == "\t"
    assert table_delimiter(tmp_path / "a.csv", ";") == ";"


def test_header_columns_and_records(tmp_path):
    p = tmp_path / "t.csv.bz2"
    p.write_bytes(bz2.compress("\ufeff\n Label ,Text\nx,\"two\nlines\"\n\n,\ny,z\n".encode()))
    with Table(p, expected="a header") as table:
        assert table.header == ["Label", "Text"] and table.header_line == 2 and table.where == f"{p}:2"
        assert table.column("Text", "text") == 1 and table.column("label", "label", ignore_case=True) == 0
        assert table.guess_column(("body", "text"), "text", "--text-column") == 1
        with pytest.raises(ValueError, match=r"t\.csv\.bz2:2: no label column 'label' in the header"):
            table.column("label", "label")
        with pytest.raises(ValueError, match=r":2: no id column in the header \['Label', 'Text'\]; name it with --id"):
            table.guess_column(("id",), "id", "--id")
        assert list(table.records(2)) == [(3, ["x", "two\nlines"]), (7, ["y", "z"])]  # blank records skipped


def test_errors_name_the_file_and_line(tmp_path):
    p = tmp_path / "t.tsv"
    with pytest.raises(FileNotFoundError, match=r"t\.tsv: no such file"):
        Table(p, expected="a header")
    p.write_text("\n \n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t\.tsv: empty file \(expected a header with 'id'\)"):
        Table(p, expected="a header with 'id'")
    p.write_text("a\tb\n1\t2\n3\n", encoding="utf-8")
    with Table(p, expected="a header") as table, pytest.raises(ValueError, match=r"t\.tsv:3: 1 field\(s\), "
                                                                               r"expected at least 2"):
        list(table.records(2))
    p.write_bytes(b"\xff\tb\n1\t2\n")  # text decodes in blocks: a small file fails at its header
    with pytest.raises(ValueError, match=r"t\.tsv: not UTF-8 text \(invalid start byte\)"):
        Table(p, expected="a header")
    p.write_bytes(b"a\tb\n" + b"1\t2\n" * 10_000 + b"3\t\xff\n")
    with Table(p, expected="a header") as table, pytest.raises(ValueError, match=r"t\.tsv: not UTF-8 text after "
                                                                               r"line \d+ \(invalid start byte\)"):
        list(table.records(2))
