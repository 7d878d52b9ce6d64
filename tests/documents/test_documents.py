"""Document vectors (mean, TF-IDF, SIF), DocumentIndex and ``wordvec docs``."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import wordvec
from wordvec.cli.app import app
from wordvec.documents import (
    DocumentIndex,
    DocumentVectorizer,
    document_vector,
    read_documents,
)
from wordvec.vectors.keyed import KeyedVectors

WORDS = ["space", "rocket", "planet", "star", "ship", "sea", "whale", "sailor", "island", "storm", "the", "a"]
BOOKS = [
    ("b1", "Star Voyage", "the rocket leaves the planet for a distant star"),
    ("b2", "Moby", "a sailor hunts the whale across the sea in a storm"),
    ("b3", "Orbit", "a ship in space circles the planet near the star"),
    ("b4", "Castaway", "the storm wrecks a ship and the sailor reaches an island in the sea"),
    ("b5", "Unknown", "zzz qqq"),
]


@pytest.fixture
def kv() -> KeyedVectors:
    """Two topics: space words near +x, sea words near +y, filler near the origin."""
    rng = np.random.default_rng(0)
    vecs = rng.normal(scale=0.1, size=(len(WORDS), 4)).astype(np.float32)
    vecs[0:5, 0] += 1.0
    vecs[5:10, 1] += 1.0
    counts = np.array([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 1000, 900])
    return KeyedVectors(WORDS, vecs, counts)


def test_document_vector_is_oov_aware_mean(kv):
    v = document_vector(["space", "zzz", "planet"], kv)
    assert v.dtype == np.float32
    np.testing.assert_allclose(v, (kv["space"] + kv["planet"]) / 2, rtol=1e-6)
    assert not document_vector(["zzz"], kv).any()
    w = document_vector(["space", "planet"], kv, weights={"space": 3.0, "planet": 1.0})
    np.testing.assert_allclose(w, (3 * kv["space"] + kv["planet"]) / 4, rtol=1e-6)


def test_generic_vectors_object(kv):
    class Lookup:  # only __contains__, __getitem__ and vector_size, like SubwordVectors
        vector_size = kv.vector_size

        def __contains__(self, w):
            return w in kv

        def __getitem__(self, w):
            return kv[w]

    for weighting in ("mean", "tfidf", "sif"):
        a = DocumentVectorizer(kv, weighting=weighting).fit_transform([t for _, _, t in BOOKS])
        b = DocumentVectorizer(Lookup(), weighting=weighting).fit_transform([t for _, _, t in BOOKS])
        assert a.shape == (len(BOOKS), 4) and a.dtype == np.float32
        if weighting != "sif":  # SIF takes p(w) from KeyedVectors' counts but from the texts otherwise
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_tfidf_and_sif_downweight_frequent_words(kv):
    texts = ["the space", "the sea", "the star"]
    tfidf = DocumentVectorizer(kv, weighting="tfidf").fit(texts)
    assert tfidf.weights_["the"] < tfidf.weights_["space"]
    sif = DocumentVectorizer(kv, weighting="sif", remove_component=False).fit(texts)
    assert sif.weights_["the"] < 0.01 < sif.weights_["space"]
    with pytest.raises(RuntimeError, match="fit"):
        DocumentVectorizer(kv, weighting="tfidf").transform(["a"])
    with pytest.raises(ValueError, match="weighting"):
        DocumentVectorizer(kv, weighting="max").fit(texts)


@pytest.mark.parametrize("weighting", ["mean", "tfidf", "sif"])
def test_index_returns_the_query_document_first(kv, weighting):
    index = DocumentIndex(kv, BOOKS, weighting=weighting)
    for doc_id, _, text in BOOKS[:4]:
        assert index.most_similar(text=text, topn=2)[0].id == doc_id


def test_recommendations_by_id(kv):
    index = DocumentIndex(kv, BOOKS)
    top = index.most_similar("b1", topn=3)
    assert top[0].id == "b3" and top[0].title == "Orbit" and "b1" not in [m.id for m in top]
    assert index.most_similar("b2", topn=1)[0].id == "b4"
    assert [m.score for m in top] == sorted((m.score for m in top), reverse=True)
    assert index.empty_documents == ["b5"]
    with pytest.raises(KeyError, match="b9"):
        index.most_similar("b9")
    with pytest.raises(ValueError, match="exactly one"):
        index.most_similar("b1", text="space")
    with pytest.raises(ValueError, match="none of the words"):
        index.most_similar(text="qqq")


def test_similarity_matrix(kv):
    index = DocumentIndex(kv, BOOKS[:4])
    m = index.similarity_matrix()
    assert m.shape == (4, 4) and m.dtype == np.float32
    np.testing.assert_allclose(np.diag(m), 1, rtol=1e-5)
    np.testing.assert_allclose(m, m.T, atol=1e-6)
    assert m[0, 2] > m[0, 1]
    with pytest.raises(ValueError, match="max_documents"):
        index.similarity_matrix(max_documents=3)


def test_read_documents_and_errors(tmp_path):
    p = tmp_path / "books.tsv"
    p.write_text("id\ttitle\ttext\n" + "".join(f"{i}\t{t}\t{x}\n" for i, t, x in BOOKS), encoding="utf-8")
    docs = read_documents(p)
    assert [d.id for d in docs] == [b[0] for b in BOOKS] and docs[1].title == "Moby"
    p.write_text("id\ttitle\ttext\nb1\tA\tx\nb1\tB\ty\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"books\.tsv:3: duplicate id 'b1' \(first at line 2\)"):
        read_documents(p)
    p.write_text("id\tplot\nb1\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"books\.tsv:1: no text column 'text' in the header; columns are"):
        read_documents(p, text_column="text")  # named, but absent
    p.write_text("id\tremark\nb1\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"books\.tsv:1: no text column in the header \['id', 'remark'\]; "
                                         r"name it with --text-column / text_column"):
        read_documents(p)  # nothing to guess from
    p.write_text("id\tplot\nb1\tx\nb2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"books\.tsv:3: 1 field"):
        read_documents(p, text_column="plot")
    p.write_text("id\tplot\nb1\tx\n", encoding="utf-8")
    assert read_documents(p, text_column="plot")[0].title == "b1"  # no title column: the id


def test_cli_docs(kv, tmp_path):
    wordvec.save(kv, tmp_path / "vectors")
    docs = tmp_path / "books.tsv"
    docs.write_text("id\ttitle\ttext\n" + "".join(f"{i}\t{t}\t{x}\n" for i, t, x in BOOKS), encoding="utf-8")
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    result = runner.invoke(app, ["docs", str(tmp_path / "vectors"), str(docs), "--query", "whale at sea", "-n", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert "among 5 documents" in lines[0] and "Moby" in lines[1] and len(lines) == 3
    result = runner.invoke(app, ["docs", str(tmp_path / "vectors"), str(docs), "--id", "b1", "-n", "1",
                                 "--weighting", "tfidf"])
    assert result.exit_code == 0, result.output
    assert "Orbit" in result.stdout and "1 document(s) have no word" in result.stderr
    result = runner.invoke(app, ["docs", str(tmp_path / "vectors"), str(docs)])
    assert result.exit_code == 1 and "exactly one of --query" in result.stderr


def test_read_documents_guesses_the_columns_as_classify_does(tmp_path):
    p = tmp_path / "films.csv"
    p.write_text('Doc_ID,Name,Plot\nf1,Alien,"a ship in space, a crew"\nf2,Jaws,a shark at sea\n', encoding="utf-8")
    docs = read_documents(p)
    assert docs[0] == ("f1", "Alien", "a ship in space, a crew") and docs[1].title == "Jaws"
    # named columns win over the guesses, in any case
    assert read_documents(p, id_column="name", title_column="doc_id")[0][:2] == ("Alien", "f1")
    p.write_text("summary\nfirst text\n\nsecond text\n", encoding="utf-8")
    docs = read_documents(p)  # no id column: the line number; no title: the id
    assert [(d.id, d.title, d.text) for d in docs] == [("2", "2", "first text"), ("4", "4", "second text")]
    p.write_text("id,text\n1,a\n", encoding="utf-8")
    with pytest.raises(ValueError, match="the text and title columns are the same column 'text'"):
        read_documents(p, title_column="text")


def test_matches_carry_the_text(kv):
    index = DocumentIndex(kv, BOOKS)
    (best,) = index.most_similar(text="whale at sea", topn=1)
    assert best.id == "b2" and best.text == BOOKS[1][2]
    assert best[:3] == ("b2", "Moby", best.score)  # the first three fields as before


def test_cli_docs_shows_each_text_and_guesses_the_columns(kv, tmp_path):
    from clitools import invoke, plain

    wordvec.save(kv, tmp_path / "vectors")
    docs = tmp_path / "plots.tsv"
    long_text = "a sailor hunts the whale across the sea " * 6
    docs.write_text("key\tplot\n" + "b1\tthe rocket leaves the planet\n" + f"b2\t{long_text}\n"
                    + "b3\ta storm at sea\n", encoding="utf-8")
    result = invoke("docs", tmp_path / "vectors", docs, "--query", "whale at sea", "-n", "2")
    assert result.exit_code == 0, result.output
    lines = plain(result.stdout).splitlines()
    assert lines[1].split()[2] == "b2" and "a sailor hunts the whale" in lines[1]
    assert lines[1].count("b2") == 1  # no title column: the id is not printed twice
    assert lines[1].endswith("…") and len(lines[1]) <= 200  # shortened to the (200-column) width
    full = invoke("docs", tmp_path / "vectors", docs, "--query", "whale at sea", "-n", "1", "--full-text")
    assert " ".join(long_text.split()) in plain(full.stdout)
    # the text column named (any case): the id is guessed among the other columns, none here, so line numbers
    named = invoke("docs", tmp_path / "vectors", docs, "--query", "sea", "--text-column", "KEY", "-n", "3")
    assert named.exit_code == 0, named.output
    rows = [ln.split() for ln in plain(named.stdout).splitlines()[1:]]
    assert sorted((r[2], r[3]) for r in rows) == [("2", "b1"), ("3", "b2"), ("4", "b3")]
    missing = invoke("docs", tmp_path / "vectors", docs, "--query", "sea", "--id-column", "nope")
    assert missing.exit_code == 1 and "no id column 'nope' in the header" in plain(missing.stderr)
