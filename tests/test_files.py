"""wordvec._files and wordvec._saving: opening plain and compressed text and streams, listing a corpus's files, atomic saves."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import re
from pathlib import Path

import pytest

from wordvec._files import corpus_files, first_undecodable_line, open_binary, open_counting, open_text, strip_compression, text_read_error

from wordvec._saving import atomic_directory, atomic_write

COMPRESSORS = {"": lambda b: b, ".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress, ".GZ": gzip.compress}


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_every_reader_decompresses_by_suffix(tmp_path, suffix):
    data = "one\r\ntwo\ncafé\n".encode()
    path = tmp_path / f"t.txt{suffix}"
    path.write_bytes(COMPRESSORS[suffix](data))
    with open_text(path) as fh:
        assert fh.read() == "one\ntwo\ncafé\n"  # universal newlines
    with open_text(path, newline="") as fh:
        assert fh.read() == "one\r\ntwo\ncafé\n"  # line ends kept, for csv
    with open_binary(path) as fh:
        assert fh.read() == data
    fh, raw = open_counting(path, "utf-8")
    with fh, raw:
        assert fh.read() == "one\ntwo\ncafé\n" and raw.tell() == path.stat().st_size


def test_strip_compression():
    assert strip_compression("train.csv.gz") == "train.csv"
    assert strip_compression("v.bin.XZ") == "v.bin"
    assert strip_compression("notes.txt") == "notes.txt"


def test_undecodable_text_names_the_first_bad_line(tmp_path):
    path = tmp_path / "bad.txt.gz"
    path.write_bytes(gzip.compress(b"ok\nfine\ncaf\xe9\nmore\xff\n"))
    assert first_undecodable_line(path, "utf-8") == 3
    assert first_undecodable_line(path, "latin-1") is None
    with pytest.raises(UnicodeDecodeError) as info, open_text(path) as fh:
        fh.read()
    err = text_read_error(path, "utf-8", info.value, 1)
    assert re.fullmatch(r".*bad\.txt\.gz, line 3: not valid utf-8 text \(.*\); to read it in another encoding, "
                        r"pass --encoding CODEC \(command line\) or encoding=\.\.\. \(Python\)", str(err))
    assert str(text_read_error(path, "utf-8", EOFError("truncated"), 7)).endswith(
        "bad.txt.gz, after line 7: cannot read the file (truncated)")


def test_corpus_files(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".hidden").write_text("h")
    (tmp_path / "sub").mkdir()
    assert corpus_files(tmp_path) == [tmp_path / "a.txt", tmp_path / "b.txt"]
    assert corpus_files([str(tmp_path / "b.txt"), tmp_path / "a.txt"]) == [tmp_path / "b.txt", tmp_path / "a.txt"]
    with pytest.raises(FileNotFoundError, match="corpus file not found: .*nope"):
        corpus_files(tmp_path / "nope")
    with pytest.raises(ValueError, match="corpus directory .*sub holds no files"):
        corpus_files(tmp_path / "sub")
    with pytest.raises(ValueError, match="no corpus files given"):
        corpus_files([])


def test_atomic_write_leaves_the_old_file_when_the_body_fails(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(path) as fh:
        fh.write(b"new, half")
        raise RuntimeError("boom")
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["f.txt"]
    with atomic_write(path) as fh:
        fh.write(b"new")
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["f.txt"]
    with pytest.raises(FileNotFoundError, match="directory .* does not exist"):
        with atomic_write(tmp_path / "missing" / "f.txt"):
            pass


def test_atomic_write_gzip_is_reproducible(tmp_path):
    for name in ("a.txt.gz", "b.txt.gz"):
        with atomic_write(tmp_path / name, compress=True) as fh:
            fh.write(b"same text\n")
    a, b = (tmp_path / "a.txt.gz").read_bytes(), (tmp_path / "b.txt.gz").read_bytes()
    assert gzip.decompress(a) == b"same text\n"
    assert a.replace(b"a.txt", b"b.txt") == b  # only the recorded name differs: no timestamp


def test_atomic_directory_replaces_or_keeps_the_old_one(tmp_path):
    dest = tmp_path / "d"  # a wordvec directory (config.json with a format_version) may be replaced
    with atomic_directory(dest) as tmp:
        (tmp / "x").write_text("1")
        (tmp / "config.json").write_text('{"format_version": 1}')
    with pytest.raises(RuntimeError), atomic_directory(dest) as tmp:
        (tmp / "x").write_text("2")
        raise RuntimeError
    assert (dest / "x").read_text() == "1" and os.listdir(tmp_path) == ["d"]
    with atomic_directory(dest) as tmp:
        (tmp / "y").write_text("3")
    assert os.listdir(dest) == ["y"] and os.listdir(tmp_path) == ["d"]
    (tmp_path / "file").write_text("")
    with pytest.raises(FileExistsError, match="not a directory"):
        with atomic_directory(tmp_path / "file"):
            pass


def test_atomic_directory_never_replaces_unrelated_data(tmp_path):
    from wordvec._saving import atomic_directory, check_replaceable_directory

    unrelated = tmp_path / "documents"
    unrelated.mkdir()
    (unrelated / "thesis.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="refusing to replace"):
        with atomic_directory(unrelated) as tmp:
            (tmp / "config.json").write_text('{"format_version": 1}')
    assert [p.name for p in unrelated.iterdir()] == ["thesis.txt"]
    a_file = tmp_path / "f"
    a_file.write_text("x")
    with pytest.raises(FileExistsError, match="is a file"):
        check_replaceable_directory(a_file)
    model = tmp_path / "model"  # a wordvec directory (config.json with format_version) is replaced
    for version in ("1", "2"):
        with atomic_directory(model) as tmp:
            (tmp / "config.json").write_text('{"format_version": %s}' % version)
    assert (model / "config.json").read_text() == '{"format_version": 2}'
    (tmp_path / "empty").mkdir()
    check_replaceable_directory(tmp_path / "empty")


# ------------------------------------------------------------------ streams (stdin, FIFOs)
def fifo_with(tmp_path, name: str, data: bytes):
    """A FIFO at tmp_path/name that a thread fills with ``data`` once a reader opens it."""
    import threading

    path = tmp_path / name
    os.mkfifo(path)

    def write():
        with open(path, "wb") as fh:
            fh.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return path, thread


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_a_corpus_file_read_once(tmp_path):
    from wordvec._files import is_stream

    path, thread = fifo_with(tmp_path, "pipe", "one\ncafé\n".encode())
    assert is_stream(path) and is_stream("-") and not is_stream(tmp_path)
    assert corpus_files(path) == [path] and corpus_files([path, "-"]) == [path, Path("-")]
    with pytest.raises(ValueError, match="named twice"):
        corpus_files(["-", "-"])
    with open_text(path) as fh:
        assert fh.read() == "one\ncafé\n"
    thread.join(5)
    with pytest.raises(ValueError, match=r"pipe is a stream and was already read: a stream can be read only once"):
        open_text(path)  # instead of waiting forever for another writer
    assert first_undecodable_line(path, "utf-8") is None  # a stream is never opened again to look


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_stream_spool_reads_a_stream_many_times(tmp_path):
    from wordvec._files import StreamSpool

    path, _ = fifo_with(tmp_path, "pipe.gz", gzip.compress(b"a b\nc\n" * 1000))
    spool = StreamSpool(path, directory=tmp_path)
    for _ in range(3):  # decompressed by the suffix, from the start every time
        with spool.open_text() as fh:
            assert fh.read() == "a b\nc\n" * 1000
    fh, raw = spool.open_counting("utf-8")
    with fh, raw:
        assert sum(1 for _ in fh) == 2000 and raw.tell() == spool.size
    assert os.listdir(tmp_path) == ["pipe.gz"]  # the copy has no name
    spool.close()

    bad, _ = fifo_with(tmp_path, "bad", b"ok\n" * 5000 + b"caf\xe9\n")
    spool = StreamSpool(bad)
    with pytest.raises(UnicodeDecodeError) as info, spool.open_text() as fh:
        fh.read()
    assert str(spool.read_error("utf-8", info.value, 0)).startswith(f"{bad}, line 5001: not valid utf-8 text")
    assert str(text_read_error(bad, "utf-8", info.value, 4096)).startswith(f"{bad}, after line 4096: not valid")


def test_standard_input_is_spooled_once_and_refused_twice():
    import subprocess
    import sys

    script = ("from wordvec._files import StreamSpool, open_text\n"
              "s = StreamSpool('-')\n"
              "print(repr(s.open_text().read() + s.open_text().read()))\n"
              "try:\n    open_text('-')\nexcept ValueError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", script], input=b"x y\n", capture_output=True, timeout=60)
    assert out.stdout.decode().splitlines() == [
        "'x y\\nx y\\n'", "standard input is a stream and was already read: a stream can be read only once "
        "(save it to a file and read the file to use it again)"], out.stderr.decode()


def test_corpus_files_refuses_what_is_no_file_directory_or_stream(tmp_path):
    import socket

    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no unix sockets here")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s"))
    except OSError:
        pytest.skip("cannot bind a unix socket here")
    with sock, pytest.raises(ValueError, match="is not a file, a directory or a stream"):
        corpus_files(tmp_path / "s")


# ------------------------------------------------------------------ full disk
def test_a_full_disk_names_the_path_and_leaves_nothing(tmp_path):
    import errno

    from wordvec.cli._common import describe_error

    path = tmp_path / "v.txt"
    path.write_bytes(b"old")
    with pytest.raises(OSError) as info, atomic_write(path) as fh:
        fh.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(path)
    assert describe_error(info.value) == (f"{path}: No space left on device while saving; nothing was replaced "
                                          f"(free space on that disk, or save elsewhere, and try again)")
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["v.txt"]
    model = tmp_path / "model"
    with pytest.raises(OSError, match=r"No space left on device while saving.*: '.*model'"):
        with atomic_directory(model) as tmp:
            (tmp / "config.json").write_text("{}")
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp / "vectors.npy"))
    assert os.listdir(tmp_path) == ["v.txt"]
