"""``wordvec print-word-vectors / print-sentence-vectors / shell`` and ``classify predict`` on
fastText files, against the fastText package's answers on the same models and input.

Models are trained with ``fasttext`` on the bundled demo corpus (a few seconds); standard input is
fed through typer's CliRunner.
"""

from __future__ import annotations

import collections
import lzma
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from clitools import assert_one_line_error, plain
from wordvec.cli.app import app
from wordvec.cli.fasttext_verbs import Shell, format_vector, sentence_vector
from wordvec.demo import demo_corpus_path

fasttext = pytest.importorskip("fasttext")


def run(*args, input: str | bytes | None = None):
    """``wordvec ARGS`` in-process with ``input`` on standard input (stderr kept apart)."""
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps them apart anyway
        runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": "200"})


def _corpus_lines(limit: int) -> list[str]:
    with lzma.open(demo_corpus_path(), "rt", encoding="utf-8") as f:
        return [line.strip() for _, line in zip(range(limit), f) if line.strip()]


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    d = tmp_path_factory.mktemp("verbs")
    lines = _corpus_lines(30000)
    (d / "text.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    unsup = fasttext.train_unsupervised(input=str(d / "text.txt"), model="skipgram", dim=16, epoch=1, minCount=3,
                                        minn=3, maxn=5, bucket=20000, thread=1, verbose=0)
    unsup.save_model(str(d / "unsup.bin"))
    top = {w for w, _ in collections.Counter(ln.split()[0] for ln in lines).most_common(8)}
    with open(d / "labelled.txt", "w", encoding="utf-8") as f:
        for ln in lines:
            first, _, rest = ln.partition(" ")
            if first in top and rest:
                f.write(f"__label__{first} {rest}\n")
    sup = fasttext.train_supervised(input=str(d / "labelled.txt"), dim=16, epoch=2, wordNgrams=2, bucket=20000,
                                    thread=1, seed=1, verbose=0)
    sup.save_model(str(d / "sup.bin"))
    return {"dir": d, "unsup": unsup, "sup": sup, "texts": lines[-200:]}


def _parse_vectors(stdout: str) -> list[tuple[str, np.ndarray]]:
    out = []
    for line in stdout.strip("\n").split("\n"):
        word, *numbers = line.split(" ")
        out.append((word, np.array([float(x) for x in numbers], dtype=np.float32)))
    return out


# ------------------------------------------------------------------------------ print-word-vectors
def test_print_word_vectors_match_fasttext(models):
    ft = models["unsup"]
    text = "king queen\tthe\n\n  kingliness zzqxj\r\nlondon\n"  # in-vocabulary and unseen words, any spacing
    result = run("print-word-vectors", models["dir"] / "unsup.bin", "--precision", "9", input=text)
    assert result.exit_code == 0, result.output
    rows = _parse_vectors(result.stdout)
    assert [w for w, _ in rows] == ["king", "queen", "the", "kingliness", "zzqxj", "london"]
    for word, vec in rows:
        np.testing.assert_allclose(vec, ft.get_word_vector(word), rtol=1e-6, atol=1e-7, err_msg=word)
    # the default: fastText's 5 significant digits, the numbers of fastText's own vectors
    result = run("print-word-vectors", models["dir"] / "unsup.bin", input="king zzqxj\n")
    lines = result.stdout.strip().split("\n")
    assert lines == [f"{w} {format_vector(ft.get_word_vector(w), 5)}" for w in ("king", "zzqxj")]
    assert result.stderr == ""  # every word had a vector (n-grams for the unseen one)


def test_print_word_vectors_of_a_supervised_model(models):
    ft = models["sup"]
    result = run("print-word-vectors", models["dir"] / "sup.bin", "--precision", "9",
                 input=f"the zzqxj {ft.labels[0]}\n")
    assert result.exit_code == 0, result.output
    rows = dict(_parse_vectors(result.stdout))
    np.testing.assert_allclose(rows["the"], ft.get_word_vector("the"), rtol=1e-6, atol=1e-7)
    assert not rows["zzqxj"].any() and not ft.get_word_vector("zzqxj").any()  # no n-grams: zeros, as fastText
    assert not rows[ft.labels[0]].any()
    err = plain(result.stderr)
    assert "'zzqxj' is not in the vocabulary and has no character n-grams; printed zeros" in err
    assert f"{ft.labels[0]!r} is a label of the model, not a word" in err


def test_print_word_vectors_of_word2vec_vectors_prints_zeros_and_a_note(tmp_path):
    (tmp_path / "v.txt").write_text("3 2\nking 1 2\nqueen 3 4\nthe 0.5 -0.25\n", encoding="utf-8")
    result = run("print-word-vectors", tmp_path / "v.txt", input="queen nobody queen nobody\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n")[:4] == ["queen 3 4", "nobody 0 0", "queen 3 4", "nobody 0 0"]
    assert plain(result.stderr).strip() == "note: 'nobody' is not in the vocabulary; printed zeros"  # once


def test_print_word_vectors_errors_are_one_line(tmp_path, models):
    assert_one_line_error(run("print-word-vectors", tmp_path / "missing.bin", input="a\n"), "missing.bin")
    result = run("print-word-vectors", models["dir"] / "unsup.bin", input=b"king\n\xff\xfe bad\n")
    assert_one_line_error(result, "standard input, line 2", "utf-8")


def test_format_vector_prints_as_cpp_setprecision():
    v = np.array([0.012345678, 1e-5, -0.0, 123456.7, 1.0, -2.5e-7], dtype=np.float32)
    assert format_vector(v) == "0.012346 1e-05 -0 1.2346e+05 1 -2.5e-07"
    assert format_vector(v[:1], 3) == "0.0123"


# -------------------------------------------------------------------------- print-sentence-vectors
def test_print_sentence_vectors_match_fasttext(models):
    ft = models["unsup"]
    lines = models["texts"][:20] + ["", "zzqxj qqqzx", "kingliness of the   queen"]
    result = run("print-sentence-vectors", models["dir"] / "unsup.bin", "--precision", "9",
                 input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout.rstrip("\n").split("\n")
    assert len(out) == len(lines)
    for line, printed in zip(lines, out):
        vec = np.array([float(x) for x in printed.split(" ")], dtype=np.float32)
        np.testing.assert_allclose(vec, ft.get_sentence_vector(line), rtol=1e-5, atol=1e-6, err_msg=line)


def test_print_sentence_vectors_of_a_supervised_model_average_its_input_rows(models):
    ft = models["sup"]
    lines = models["texts"][:20] + [""]
    result = run("print-sentence-vectors", models["dir"] / "sup.bin", "--precision", "9",
                 input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    for line, printed in zip(lines, result.stdout.rstrip("\n").split("\n")):
        vec = np.array([float(x) for x in printed.split(" ")], dtype=np.float32)
        np.testing.assert_allclose(vec, ft.get_sentence_vector(line), rtol=1e-6, atol=1e-7, err_msg=line)


def test_sentence_vector_of_word_vectors_skips_unknown_and_zero_words():
    from wordvec.vectors.keyed import KeyedVectors

    kv = KeyedVectors(["a", "b", "zero"], np.array([[3, 4], [0, 2], [0, 0]], dtype=np.float32))
    np.testing.assert_allclose(sentence_vector(kv, "a b zero unknown"), [0.3, 0.9], rtol=1e-6)
    assert not sentence_vector(kv, "zero unknown").any()


# ------------------------------------------------------------------------------------------ shell
def _neighbours(stdout_block: str) -> list[tuple[str, float]]:
    return [(m.group(1), float(m.group(2))) for m in re.finditer(r"^\s*\d+\s+(\S+)\s+(-?\d\.\d{4})$", stdout_block, re.M)]


def test_shell_answers_as_fastText_nn_and_analogies(models):
    ft = models["unsup"]
    script = "nn king 5\nanalogy man king woman 4\nsim king queen\nnn kingliness 3\n"
    result = run("shell", models["dir"] / "unsup.bin", input=script)
    assert result.exit_code == 0, result.output
    found = _neighbours(result.stdout)
    want = ([(w, s) for s, w in ft.get_nearest_neighbors("king", 5)]
            + [(w, s) for s, w in ft.get_analogies("king", "man", "woman", 4)]  # fastText reads A - B + C
            + [(w, s) for s, w in ft.get_nearest_neighbors("kingliness", 3)])
    assert [w for w, _ in found] == [w for w, _ in want]
    np.testing.assert_allclose([s for _, s in found], [s for _, s in want], atol=1e-4)
    a, b = ft.get_word_vector("king"), ft.get_word_vector("queen")
    cosine = float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert f"{cosine:.4f}" in result.stdout.split("\n")


def test_shell_reports_bad_lines_and_goes_on_until_quit(models):
    script = "help\nfly me\nnn\nnn king zero\nanalogy a b\nsim king\n\n# a comment\nnn king 2\nquit\nnn queen 2\n"
    result = run("shell", models["dir"] / "sup.bin", input=script)
    assert result.exit_code == 0, result.output
    errors = plain(result.stderr).strip().split("\n")
    assert errors == [
        "error: line 2: unknown command 'fly'; the commands are nn, analogy, sim, help, quit",
        "error: line 3: nn takes 1 word and an optional K (nn WORD [K]), got 0 arguments",
        "error: line 4: K must be a whole number of 1 or more (nn WORD [K]), got 'zero'",
        "error: line 5: analogy takes 3 words and an optional K (analogy A B C [K]), got 2 arguments",
        "error: line 6: sim takes two words (sim A B), got 1",
    ]
    assert "nn WORD [K]" in result.stdout and len(_neighbours(result.stdout)) == 2  # nothing after quit


def test_shell_reads_any_vectors_and_names_unknown_words(tmp_path):
    from wordvec.io import load

    (tmp_path / "v.txt").write_text("4 2\nking 1 0.1\nqueen 0.9 0.2\nman 0 1\nwoman 0.1 0.9\n", encoding="utf-8")
    result = run("shell", tmp_path / "v.txt", "--topn", "2", input="nn king\nnn kingg\nanalogy man king woman 1\n")
    assert result.exit_code == 0, result.output
    kv = load(tmp_path / "v.txt")
    want = kv.most_similar("king", topn=2) + kv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)
    found = _neighbours(result.stdout)
    assert [w for w, _ in found] == [w for w, _ in want] == ["queen", "woman", "queen"]
    err = plain(result.stderr).strip()
    assert err.startswith("error: line 2: 'kingg' is not in the vocabulary") and "did you mean 'king'" in err


def test_shell_object_answers_through_callbacks():
    from wordvec.vectors.keyed import KeyedVectors

    out, err = [], []
    kv = KeyedVectors(["a", "b", "c"], np.array([[1, 0], [1, 0.1], [0, 1]], dtype=np.float32))
    shell = Shell(kv, topn=1, write=out.append, error=err.append)
    shell.run(["sim a b", "nn a", "nn z", "exit", "nn b"])
    assert out[0] == f"{kv.similarity('a', 'b'):.4f}" and "b" in out[1] and len(out) == 2
    assert len(err) == 1 and "'z' is not in the vocabulary" in err[0]


# ----------------------------------------------------------------------- classify predict MODEL.bin
def test_classify_predict_with_a_fasttext_model_matches_fasttext(models):
    ft = models["sup"]
    texts = models["texts"][:50] + ["", "zzqxj"]
    result = run("classify", "predict", models["dir"] / "sup.bin", "-", "one more text", "-k", "2",
                 input="\n".join(texts) + "\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").split("\n")
    assert len(lines) == len(texts) + 1
    for text, line in zip(texts + ["one more text"], lines):
        fields = line.split("\t")
        assert fields[-1] == text
        want = ft.f.predict(text + "\n", 2, 0.0, "strict")
        assert fields[0:4:2] == [label for _, label in want]
        np.testing.assert_allclose([float(p) for p in fields[1:4:2]], [p for p, _ in want], rtol=1e-5, atol=1e-5)


def test_classify_predict_threshold_and_all_labels(models):
    ft = models["sup"]
    text = models["texts"][0]
    result = run("classify", "predict", models["dir"] / "sup.bin", text, "-k", "-1", "--threshold", "0.1")
    assert result.exit_code == 0, result.output
    fields = result.stdout.rstrip("\n").split("\t")
    want = ft.f.predict(text + "\n", -1, 0.1, "strict")
    assert fields[:-1:2] == [label for _, label in want] and fields[-1] == text
    result = run("classify", "predict", models["dir"] / "sup.bin", text, "--threshold", "1")
    assert result.stdout == f"\t\t{text}\n"  # no label reaches the threshold: empty fields


def test_classify_predict_refuses_word_vectors_and_bad_input(models):
    assert_one_line_error(run("classify", "predict", models["dir"] / "unsup.bin", "text"),
                          "unsupervised fastText model (sg: word vectors), not a classifier")
    assert_one_line_error(run("classify", "predict", models["dir"] / "sup.bin", "-", input=b"fine\n\xff\n"),
                          "standard input, line 2: not valid utf-8")
    assert_one_line_error(run("classify", "predict", models["dir"] / "sup.bin", "x", "-k", "0"), "--top-k")


def test_classify_predict_reads_stdin_for_a_wordvec_classifier(tmp_path):
    pytest.importorskip("torch")
    rows = ["text\tlabel"] + [f"a lovely film {i}\tpos" if i % 2 else f"the awful plot {i}\tneg" for i in range(40)]
    (tmp_path / "train.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    trained = run("classify", "train", tmp_path / "train.tsv", "-o", tmp_path / "clf", "--epochs", "30",
                  "--embedding-dim", "8", "--learning-rate", "0.05", "--quiet", "--seed", "1")
    assert trained.exit_code == 0, trained.output
    result = run("classify", "predict", tmp_path / "clf", "-", "-k", "2", input="a lovely film\nthe awful plot\n")
    assert result.exit_code == 0, result.output
    lines = [ln.split("\t") for ln in result.stdout.rstrip("\n").split("\n")]
    assert [ln[0] for ln in lines] == ["pos", "neg"] and [ln[-1] for ln in lines] == ["a lovely film", "the awful plot"]
    assert all(len(ln) == 5 and abs(float(ln[1]) + float(ln[3]) - 1) < 1e-3 for ln in lines)


def test_the_verbs_are_listed_in_the_help():
    result = run("--help")
    for name in ("print-word-vectors", "print-sentence-vectors", "shell"):
        assert name in plain(result.stdout)
