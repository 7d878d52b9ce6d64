"""Loading the bundled evaluation sets by name and any file in the same formats by path."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pytest

from wordvec.evaluate import (
    AnalogyDataset,
    WordPairDataset,
    load_analogies,
    load_word_pairs,
)
from wordvec.evaluate.datasets import ANALOGY_SETS, WORD_PAIR_SETS, is_syntactic_section

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "benchmarks" / "en"
GOOGLE_SEMANTIC = ["capital-common-countries", "capital-world", "currency", "city-in-state", "family"]


def _data_file(name: str) -> bytes:
    return (resources.files("wordvec.evaluate") / "data" / name).read_bytes()


# ------------------------------------------------------------------ bundled sets
def test_google_by_name():
    ds = load_analogies("google")
    assert isinstance(ds, AnalogyDataset)
    assert ds.name == "google"
    assert len(ds) == 19544
    assert len(ds.sections) == 14
    assert [s.name for s in ds.sections[:5]] == GOOGLE_SEMANTIC
    assert [s.syntactic for s in ds.sections] == [False] * 5 + [True] * 9
    assert ds.sections[0].questions[0] == ("Athens", "Greece", "Baghdad", "Iraq")
    assert sum(len(s) for s in ds.sections if not s.syntactic) == 8869


def test_default_analogy_set_is_google():
    assert len(load_analogies()) == 19544


@pytest.mark.parametrize(("name", "n", "first"), [
    ("wordsim353", 353, ("love", "sex", 6.77)),
    ("simlex999", 999, ("old", "new", 1.58)),
])
def test_word_pairs_by_name(name, n, first):
    ds = load_word_pairs(name)
    assert isinstance(ds, WordPairDataset)
    assert ds.name == name
    assert len(ds) == n == len(ds.scores)
    assert (*ds.pairs[0], ds.scores[0]) == first
    assert all(0.0 <= s <= 10.0 for s in ds.scores)


@pytest.mark.parametrize("filename", ["questions-words.txt", "wordsim353.tsv", "simlex999.txt"])
def test_bundled_files_are_byte_copies(filename):
    expected = {
        "questions-words.txt": "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36",
        "wordsim353.tsv": "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d",
        "simlex999.txt": "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d",
    }
    assert hashlib.sha256(_data_file(filename)).hexdigest() == expected[filename]
    if (SHARED / filename).exists():
        assert (SHARED / filename).read_bytes() == _data_file(filename)


def test_sources_file_present():
    text = (resources.files("wordvec.evaluate") / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for name in [*ANALOGY_SETS.values(), *WORD_PAIR_SETS.values()]:
        assert name in text


def test_bundled_file_loads_by_path_too(tmp_path):
    path = tmp_path / "qw.txt"
    path.write_bytes(_data_file("questions-words.txt"))
    by_path = load_analogies(path)
    assert by_path.name == str(path)
    assert by_path.sections == load_analogies("google").sections
    assert load_analogies(str(path)).sections == by_path.sections


def test_section_kinds():
    assert not is_syntactic_section("family")
    assert is_syntactic_section("gram3-comparative")
    assert is_syntactic_section("syn2_tense")  # Korean analogy set
    assert not is_syntactic_section("sem1_capital-conturies")


# ------------------------------------------------------------------ other files by path
def test_analogy_file_by_path(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text(": animals\nCat cats dog dogs\n\n:gram-plural\n  a b c d  \n", encoding="utf-8")
    ds = load_analogies(path)
    assert [(s.name, s.syntactic, len(s)) for s in ds.sections] == [
        ("animals", False, 1), ("gram-plural", True, 1)]
    assert ds.sections[0].questions == (("Cat", "cats", "dog", "dogs"),)


def test_word_pairs_tab_space_and_comments(tmp_path):
    path = tmp_path / "pairs.txt"
    path.write_text("# comment\n\nking\tqueen\t8.5\nman woman 7\r\n# more\ncar,auto,9.25\n", encoding="utf-8")
    ds = load_word_pairs(path)
    assert ds.pairs == (("king", "queen"), ("man", "woman"), ("car", "auto"))
    assert ds.scores == (8.5, 7.0, 9.25)


def test_korean_style_csv_with_bom_and_header(tmp_path):
    path = tmp_path / "WS353_korean.csv"
    path.write_bytes("\ufeffword 1,word 2,kor_score\n사랑,섹스,6.42\n호랑이,고양이,7.17\n".encode("utf-8"))
    ds = load_word_pairs(path)
    assert ds.pairs == (("사랑", "섹스"), ("호랑이", "고양이"))
    assert ds.scores == (6.42, 7.17)


def test_tsv_header_line_is_skipped(tmp_path):
    path = tmp_path / "h.tsv"
    path.write_text("Word 1\tWord 2\tHuman (mean)\na\tb\t1\n", encoding="utf-8")
    assert load_word_pairs(path).pairs == (("a", "b"),)


# ------------------------------------------------------------------ errors
def _write(tmp_path, text, name="bad.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_analogy_wrong_word_count_names_file_and_line(tmp_path):
    path = _write(tmp_path, ": s\na b c d\na b c\n")
    with pytest.raises(ValueError, match=r"bad\.txt, line 3: expected 4 words"):
        load_analogies(path)


def test_analogy_question_before_section(tmp_path):
    path = _write(tmp_path, "\na b c d\n")
    with pytest.raises(ValueError, match=r"bad\.txt, line 2: question before the first"):
        load_analogies(path)


def test_analogy_empty_file(tmp_path):
    with pytest.raises(ValueError, match="no analogy questions"):
        load_analogies(_write(tmp_path, ": only-a-header\n"))


def test_pairs_bad_score_names_file_and_line(tmp_path):
    path = _write(tmp_path, "# c\na\tb\t1.0\nc\td\tlots\n")
    with pytest.raises(ValueError, match=r"bad\.txt, line 3: score 'lots' is not a number"):
        load_word_pairs(path)


@pytest.mark.parametrize("line", ["a\tb\n", "a\tb\t1\t2\n", "a\t\t1\n", "a b c 1\n"])
def test_pairs_wrong_field_count(tmp_path, line):
    path = _write(tmp_path, "x\ty\t1\n" + line)
    with pytest.raises(ValueError, match=r"bad\.txt, line 2: expected 'word1<TAB>word2<TAB>score'"):
        load_word_pairs(path)


def test_pairs_non_finite_score(tmp_path):
    with pytest.raises(ValueError, match=r"line 1: .*not finite"):
        load_word_pairs(_write(tmp_path, "a\tb\tnan\n"))


def test_pairs_only_header(tmp_path):
    with pytest.raises(ValueError, match="no word pairs"):
        load_word_pairs(_write(tmp_path, "word 1,word 2,score\n"))


def test_invalid_utf8_names_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b": s\na b c d\nx y \xff z\n")
    with pytest.raises(ValueError, match=r"bad\.txt, line 3: not valid UTF-8"):
        load_analogies(path)


def test_unknown_name_lists_bundled_sets():
    with pytest.raises(FileNotFoundError, match="'google'"):
        load_analogies("no-such-set")
    with pytest.raises(FileNotFoundError, match="'wordsim353', 'simlex999'"):
        load_word_pairs("no-such-set")


def test_wrong_kind_of_bundled_set():
    with pytest.raises(ValueError, match=r"load_word_pairs\('simlex999'\)"):
        load_analogies("simlex999")
    with pytest.raises(ValueError, match=r"load_analogies\('google'\)"):
        load_word_pairs("google")


def test_source_type_checked():
    with pytest.raises(TypeError):
        load_analogies(42)  # type: ignore[arg-type]
