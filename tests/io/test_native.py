"""Native directory format: exact round trips, memory mapping, versioning, atomic saves."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from wordvec.io import (
    FormatError,
    load,
    load_native,
    native,
    read_native_config,
    save,
    save_native,
)
from wordvec.vectors.keyed import KeyedVectors


@pytest.fixture
def kv():
    keys = ["the", "café", "한국어", "naïve", "a b", "</s>"]  # spaces are fine in the native format
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(keys), 5)).astype(np.float32)
    return KeyedVectors(keys, vectors, np.array([600, 500, 400, 300, 2**40, 0]))


def test_round_trip_with_counts_and_extra(tmp_path, kv):
    extra = {
        "model": "word2vec",
        "config": {"window": 5, "architecture": "skipgram"},
        "keys": ["한국어"],
    }
    save_native(kv, tmp_path / "v", extra=extra)
    assert sorted(os.listdir(tmp_path / "v")) == ["config.json", "vectors.npy", "vocab.tsv"]
    back = load_native(tmp_path / "v")
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors, strict=False)
    assert back.vectors.dtype == np.float32
    np.testing.assert_array_equal(back.counts, kv.counts)
    config = read_native_config(tmp_path / "v")
    assert config["extra"] == extra
    assert (config["format_version"], config["kind"], config["vector_size"], config["count"]) == (
        1,
        "keyed_vectors",
        5,
        6,
    )
    vocab = (tmp_path / "v" / "vocab.tsv").read_text(encoding="utf-8")
    assert vocab.startswith("the\t600\ncafé\t500\n한국어\t400\n")


def test_round_trip_without_counts_and_empty(tmp_path):
    kv = KeyedVectors(["x", "y"], np.eye(2, dtype=np.float32))
    save(kv, tmp_path / "v")  # native is the default format
    back = load(tmp_path / "v")
    assert back.counts is None and back.index_to_key == ["x", "y"]
    assert read_native_config(tmp_path / "v")["extra"] == {}
    empty = KeyedVectors([], np.zeros((0, 3), dtype=np.float32))
    save_native(empty, tmp_path / "e")
    back = load_native(tmp_path / "e")
    assert len(back) == 0 and back.vector_size == 3


def test_memory_mapped_by_default(tmp_path, kv, is_file_backed):
    save_native(kv, tmp_path / "v")
    mapped = load_native(tmp_path / "v")
    assert is_file_backed(mapped.vectors)
    assert not mapped.vectors.flags.writeable
    np.testing.assert_array_equal(mapped["café"], kv["café"])
    in_memory = load_native(tmp_path / "v", mmap=False)
    assert not is_file_backed(in_memory.vectors) and in_memory.vectors.flags.writeable
    # overwriting a directory that is currently mapped is safe
    save_native(KeyedVectors(["z"], np.ones((1, 2), dtype=np.float32)), tmp_path / "v")
    np.testing.assert_array_equal(mapped["café"], kv["café"])
    assert load_native(tmp_path / "v").index_to_key == ["z"]


def test_limit(tmp_path, kv):
    save_native(kv, tmp_path / "v")
    for mapped in (True, False):
        back = load_native(tmp_path / "v", limit=2, mmap=mapped)
        assert back.index_to_key == ["the", "café"]
        np.testing.assert_array_equal(back.vectors, kv.vectors[:2])
        np.testing.assert_array_equal(back.counts, [600, 500])
    assert len(load(tmp_path / "v", limit=100)) == 6


def test_newer_format_version_is_refused(tmp_path, kv):
    save_native(kv, tmp_path / "v")
    config_path = tmp_path / "v" / "config.json"
    config = json.loads(config_path.read_text())
    config["format_version"] = 3
    config_path.write_text(json.dumps(config))
    with pytest.raises(FormatError, match="format_version 3 was written by a newer wordvec"):
        load_native(tmp_path / "v")


def test_inconsistent_directory(tmp_path, kv):
    save_native(kv, tmp_path / "v")
    vocab = tmp_path / "v" / "vocab.tsv"
    vocab.write_text(
        "".join(vocab.read_text(encoding="utf-8").splitlines(True)[:-1]), encoding="utf-8"
    )
    with pytest.raises(FormatError, match="5 lines but vectors.npy has 6 rows"):
        load_native(tmp_path / "v")
    vocab.write_text("a\t1\nb\tmany\n" + "c\t1\n" * 4, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        load_native(tmp_path / "v")
    assert info.value.line == 2 and "count is not an integer: 'many'" in str(info.value)
    (tmp_path / "v" / "config.json").write_text('{"format_version": 1,\n  "count": }')
    with pytest.raises(FormatError, match=r"config.json, line 2: invalid JSON"):
        load_native(tmp_path / "v")
    (tmp_path / "w").mkdir()
    with pytest.raises(FormatError, match="no config.json"):
        load_native(tmp_path / "w")


@pytest.mark.parametrize("bad", ["tab\there", "new\nline", "cr\rhere"])
def test_keys_with_tab_or_newline_rejected(tmp_path, bad):
    kv = KeyedVectors(["ok", bad], np.zeros((2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"key #1 .* cannot contain tabs or line breaks"):
        save_native(kv, tmp_path / "v")
    assert os.listdir(tmp_path) == []


def test_extra_must_be_json(tmp_path, kv):
    with pytest.raises(ValueError, match="extra must be a JSON-serialisable dict"):
        save_native(kv, tmp_path / "v", extra={"array": np.zeros(2)})
    assert os.listdir(tmp_path) == []


def test_failed_save_keeps_previous_directory(tmp_path, kv, monkeypatch):
    save_native(kv, tmp_path / "v", extra={"version": "old"})

    def failing_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(native.np, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        save_native(
            KeyedVectors(["new"], np.ones((1, 5))), tmp_path / "v", extra={"version": "new"}
        )
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["v"]  # no temporary directory left behind
    assert read_native_config(tmp_path / "v")["extra"] == {"version": "old"}
    assert load_native(tmp_path / "v").index_to_key == kv.index_to_key


def test_failed_swap_restores_previous_directory(tmp_path, kv, monkeypatch):
    from wordvec import _saving as _files

    save_native(kv, tmp_path / "v")
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # moving the new directory into place
            raise OSError("interrupted")
        return real_rename(src, dst)

    monkeypatch.setattr(_files.os, "rename", rename)
    with pytest.raises(OSError, match="interrupted"):
        save_native(KeyedVectors(["new"], np.ones((1, 5))), tmp_path / "v")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["v"]
    assert load_native(tmp_path / "v").index_to_key == kv.index_to_key


def test_refuses_to_replace_foreign_directory_or_file(tmp_path, kv):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.tex").write_text("precious")
    with pytest.raises(FileExistsError, match="refusing to replace"):
        save_native(kv, tmp_path / "home")
    assert (tmp_path / "home" / "thesis.tex").read_text() == "precious"
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match="is a file"):
        save_native(kv, tmp_path / "file")
    (tmp_path / "empty").mkdir()
    save_native(kv, tmp_path / "empty")  # an empty directory may be used
    assert len(load_native(tmp_path / "empty")) == len(kv)


def test_vectors_npy_is_plain_numpy(tmp_path, kv):
    save_native(kv, tmp_path / "v")
    matrix = np.load(tmp_path / "v" / "vectors.npy", allow_pickle=False)
    assert matrix.dtype == np.float32 and matrix.shape == (6, 5)


# ------------------------------------------------------------------------------ subword vectors
def subword_vectors(jamo: bool):
    from wordvec.vectors.subword import SubwordVectors

    keys = ["영화가", "먹었다", "film", "café", "</s>"]
    rng = np.random.default_rng(4)
    return SubwordVectors(keys, rng.standard_normal((5, 4)).astype(np.float32),
                          rng.standard_normal((97, 4)).astype(np.float32), min_n=2, max_n=5, bucket=97,
                          counts=np.array([9, 7, 5, 3, 1]), jamo=jamo)


@pytest.mark.parametrize("jamo", [False, True])
def test_subword_round_trip_keeps_jamo_and_oov_vectors(tmp_path, jamo):
    sv = subword_vectors(jamo)
    save_native(sv, tmp_path / "v")
    assert read_native_config(tmp_path / "v")["jamo"] is jamo
    # jamo directories are version 2, so that a wordvec without the option refuses them
    assert read_native_config(tmp_path / "v")["format_version"] == (2 if jamo else 1)
    for mmap_ in (True, False):
        back = load_native(tmp_path / "v", mmap=mmap_)
        assert back.jamo is jamo and back.index_to_key == sv.index_to_key
        np.testing.assert_array_equal(back.vectors, sv.vectors)
        for word in ["영화를", "먹었어요", "films", "영화가"]:
            np.testing.assert_array_equal(back[word], sv[word])
    assert load_native(tmp_path / "v", limit=2).jamo is jamo


def test_subword_directory_without_jamo_field_loads_as_syllables(tmp_path):
    """Directories saved before the jamo option have no "jamo" field: syllable n-grams, as then."""
    sv = subword_vectors(False)
    save_native(sv, tmp_path / "v")
    config_path = tmp_path / "v" / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    del config["jamo"]
    config_path.write_text(json.dumps(config), encoding="utf-8")
    back = load_native(tmp_path / "v")
    assert back.jamo is False
    np.testing.assert_array_equal(back["영화를"], sv["영화를"])
    config["jamo"] = "yes"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(FormatError, match=r"config.json.*invalid 'jamo': 'yes'"):
        load_native(tmp_path / "v")


def test_check_save_target_refuses_what_save_refuses_without_writing(tmp_path):
    from wordvec.io import check_save_target, save

    kv = KeyedVectors(["a", "b"], np.eye(2, dtype=np.float32))
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me")
    unrelated = tmp_path / "unrelated"
    unrelated.mkdir()
    (unrelated / "notes.txt").write_text("keep me")
    for target, fmt, error in [(a_file, "native", FileExistsError), (unrelated, "native", FileExistsError),
                               (unrelated, "glove", IsADirectoryError),
                               (unrelated, "word2vec-binary", IsADirectoryError)]:
        with pytest.raises(error, match=str(target.name)):
            check_save_target(target, fmt)
        with pytest.raises(error):
            save(kv, target, format=fmt)
    assert a_file.read_text() == "keep me" and sorted(p.name for p in unrelated.iterdir()) == ["notes.txt"]
    save(kv, tmp_path / "model")
    check_save_target(tmp_path / "model", "native")      # an existing model may be replaced
    check_save_target(tmp_path / "new.txt", "word2vec-text")
    with pytest.raises(ValueError, match="format"):
        check_save_target(tmp_path / "x", "npy")
