"""Projector export: vecs.tsv / meta.tsv / configs as the TensorFlow Embedding Projector reads them."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from wordvec.io.errors import FormatError
from wordvec.io.projector import load_projector, save_projector
from wordvec.vectors.keyed import KeyedVectors


@pytest.fixture
def kv():
    rng = np.random.default_rng(3)
    keys = ["the", "king", "queen", "왕", "여왕", "café", "x"]
    vectors = rng.normal(size=(len(keys), 5)).astype(np.float32)
    vectors[0, 0] = np.float32(1e-8)
    vectors[1, 1] = np.float32(-3.4028235e38)
    return KeyedVectors(keys, vectors, counts=np.array([70, 60, 50, 40, 30, 20, 10]))


def test_round_trip_is_exact(kv, tmp_path):
    paths = save_projector(kv, tmp_path / "proj", metadata=("count",))
    back = load_projector(tmp_path / "proj")
    assert back.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors)  # bit-exact float32
    np.testing.assert_array_equal(back.counts, kv.counts)
    assert set(paths) == {"vecs", "meta", "pbtxt", "json"}


def test_tsv_layout_matches_the_projector(kv, tmp_path):
    save_projector(kv, tmp_path, metadata=("count",))
    vecs = (tmp_path / "vecs.tsv").read_text(encoding="utf-8").splitlines()
    assert len(vecs) == len(kv)  # no header in the tensor file
    assert all(len(row.split("\t")) == 5 for row in vecs)
    meta = (tmp_path / "meta.tsv").read_text(encoding="utf-8").splitlines()
    assert meta[0] == "word\tcount"  # more than one column: the first row is the header
    assert meta[1:] == [f"{k}\t{c}" for k, c in zip(kv.index_to_key, kv.counts)]


def test_single_column_metadata_has_no_header(kv, tmp_path):
    save_projector(kv, tmp_path)
    meta = (tmp_path / "meta.tsv").read_text(encoding="utf-8").splitlines()
    assert meta == kv.index_to_key
    back = load_projector(tmp_path)
    assert back.index_to_key == kv.index_to_key and back.counts is None


def test_configs(kv, tmp_path):
    save_projector(kv, tmp_path, limit=4, tensor_name='my "vectors"')
    pbtxt = (tmp_path / "projector_config.pbtxt").read_text(encoding="utf-8")
    assert re.fullmatch(
        r'embeddings \{\n  tensor_name: "my \\"vectors\\""\n  tensor_path: "vecs.tsv"\n'
        r'  metadata_path: "meta.tsv"\n  tensor_shape: 4\n  tensor_shape: 5\n\}\n', pbtxt), pbtxt
    config = json.loads((tmp_path / "projector_config.json").read_text(encoding="utf-8"))
    assert config == {"embeddings": [{"tensorName": 'my "vectors"', "tensorShape": [4, 5],
                                      "tensorPath": "vecs.tsv", "metadataPath": "meta.tsv"}]}
    assert len(load_projector(tmp_path)) == 4


def test_pbtxt_parses_as_a_projector_config_when_tensorboard_is_installed(kv, tmp_path):
    projector = pytest.importorskip("tensorboard.plugins.projector.projector_config_pb2")
    text_format = pytest.importorskip("google.protobuf.text_format")
    save_projector(kv, tmp_path)
    config = text_format.Parse((tmp_path / "projector_config.pbtxt").read_text(), projector.ProjectorConfig())
    assert config.embeddings[0].tensor_path == "vecs.tsv"
    assert list(config.embeddings[0].tensor_shape) == [len(kv), 5]


def test_bad_input(kv, tmp_path):
    with pytest.raises(ValueError, match="tab or a line break"):
        save_projector(KeyedVectors(["a\tb"], np.zeros((1, 2))), tmp_path / "a")
    with pytest.raises(ValueError, match="unknown metadata column"):
        save_projector(kv, tmp_path / "b", metadata=("freq",))
    with pytest.raises(ValueError, match="no counts"):
        save_projector(KeyedVectors(["a"], np.zeros((1, 2))), tmp_path / "c", metadata=("count",))
    with pytest.raises(ValueError, match="limit"):
        save_projector(kv, tmp_path / "d", limit=0)


def test_malformed_files_name_the_line(tmp_path):
    (tmp_path / "vecs.tsv").write_text("1\t2\n3\tx\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"vecs.tsv, line 2"):
        load_projector(tmp_path / "vecs.tsv")
    (tmp_path / "vecs.tsv").write_text("1\t2\n3\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"line 2: 1 values, expected 2"):
        load_projector(tmp_path / "vecs.tsv")
    (tmp_path / "vecs.tsv").write_text("1\t2\n3\t4\n", encoding="utf-8")
    assert load_projector(tmp_path / "vecs.tsv").index_to_key == ["0", "1"]
    (tmp_path / "meta.tsv").write_text("a\nb\nc\n", encoding="utf-8")
    with pytest.raises(FormatError, match="3 metadata rows for 2 vectors"):
        load_projector(tmp_path)


def test_cli_export_projector(kv, tmp_path):
    import wordvec
    from wordvec.cli.app import app

    wordvec.save(kv, tmp_path / "model")
    result = CliRunner().invoke(app, ["export-projector", str(tmp_path / "model"), str(tmp_path / "out"),
                                      "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "Wrote 3 vectors of 5 dimensions" in result.output
    back = load_projector(tmp_path / "out")
    assert back.index_to_key == kv.index_to_key[:3]
    np.testing.assert_array_equal(back.vectors, kv.vectors[:3])
    np.testing.assert_array_equal(back.counts, kv.counts[:3])
    result = CliRunner().invoke(app, ["export-projector", str(tmp_path / "model"), str(tmp_path / "o2"), "--no-counts"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o2" / "meta.tsv").read_text(encoding="utf-8").splitlines()[0] == "the"
