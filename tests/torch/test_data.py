"""Labelled TSV/CSV files: columns by name, gzip, and errors that name file and line."""

from __future__ import annotations

import gzip

import pytest

pytest.importorskip("torch")

from wordvec.torch.data import check_labels, read_labelled


def test_tsv_with_crlf_and_detected_columns(tmp_path):
    p = tmp_path / "train.tsv"
    p.write_bytes(b"label\tsentence\r\n0\thide new secretions\r\n1\ta \"quoted\" gem\r\n")
    data = read_labelled(p)
    assert data.texts == ["hide new secretions", 'a "quoted" gem'] and data.labels == ["0", "1"]
    assert data.lines == [2, 3]


def test_gzip_csv_and_named_columns(tmp_path):
    p = tmp_path / "mail.csv.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write('kind,body,extra\nspam,"buy now, cheap\nreally",x\nham,hello there,y\n')
    data = read_labelled(p, text_column="body", label_column="kind")
    assert data.texts == ["buy now, cheap\nreally", "hello there"] and data.labels == ["spam", "ham"]
    assert data.lines == [2, 4]


def test_missing_column_names_file_and_header_line(tmp_path):
    p = tmp_path / "bad.tsv"
    p.write_text("label\ttext\n1\tfine\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:1: no text column 'review'"):
        read_labelled(p, text_column="review")
    p.write_text("polarity\twords\n1\tfine\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:1: no text column in the header"):
        read_labelled(p)


def test_short_row_and_empty_label_name_the_line(tmp_path):
    p = tmp_path / "bad.tsv"
    p.write_text("label\ttext\n1\tfine\n0\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:3: 1 field"):
        read_labelled(p)
    p.write_text("label\ttext\n1\tfine\n\tno label\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:3: empty label"):
        read_labelled(p)


def test_empty_text_warns_with_file_and_line(tmp_path):
    p = tmp_path / "gaps.tsv"
    p.write_text("label\ttext\n1\tfine\n0\t  \n1\tgood\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"gaps\.tsv: skipped 1 row\(s\) with an empty text at line\(s\) 3"):
        data = read_labelled(p)
    assert data.texts == ["fine", "good"]


def test_label_only_in_test_set_warns_with_file_and_line(tmp_path):
    p = tmp_path / "test.tsv"
    p.write_text("label\ttext\npos\tfine\nneutral\tso so\n", encoding="utf-8")
    data = read_labelled(p)
    with pytest.warns(UserWarning, match=r"test\.tsv: 1 row\(s\).*'neutral' \(first at .*test\.tsv:3\)"):
        assert check_labels(data, ["neg", "pos"]) == [1]


def test_no_known_label_at_all_is_an_error(tmp_path):
    p = tmp_path / "other.tsv"
    p.write_text("label\ttext\n0\tfine\n1\tbad\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"other\.tsv: none of the labels \['0', '1'\]"):
        check_labels(read_labelled(p), ["ham", "spam"])
