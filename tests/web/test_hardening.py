"""The projector page's defences: the Host check (DNS rebinding), the bounded projection cache,
the per-method limit, and ``wordvec serve`` binding before it prints (port 0, a busy port)."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
pytest.importorskip("plotly")
pytest.importorskip("sklearn")

from fastapi.testclient import TestClient

from wordvec.vectors.keyed import KeyedVectors
from wordvec.web.server import MAX_LIMIT, MAX_LIMITS, _HostCheck, bind, create_app

LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def kv() -> KeyedVectors:
    rng = np.random.default_rng(3)
    keys = [f"w{i}" for i in range(60)]
    return KeyedVectors(keys, rng.normal(size=(len(keys), 8)).astype(np.float32), counts=np.arange(60, 0, -1))


@pytest.fixture(scope="module")
def client(kv):
    return TestClient(create_app(kv), base_url=LOCAL)


# ------------------------------------------------------------------ Host header
@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "localhost:1234", "LocalHost.",
                                  "[::1]", "[::1]:80"])
def test_loopback_names_are_answered(client, host):
    assert client.get("/api/info", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "10.0.0.7",
                                  "::1", "localhost:http", "[::1", "testserver"])
@pytest.mark.parametrize("route", ["/", "/api/info", "/static/app.js", "/api/neighbors?word=w1"])
def test_other_names_are_refused(client, host, route):
    res = client.get(route, headers={"host": host})
    assert res.status_code == 400
    assert "DNS-rebinding protection" in res.json()["detail"]


def test_the_refusal_says_how_to_allow_a_name(client):
    detail = client.get("/", headers={"host": "box.lan:8000"}).json()["detail"]
    assert detail.startswith("Host 'box.lan:8000' is not a name this server answers to (DNS-rebinding protection)")
    assert "--allow-host box.lan" in detail and "allowed_hosts=['box.lan']" in detail
    assert "no Host header" in _HostCheck("127.0.0.1", ()).refusal(None)
    assert not _HostCheck("127.0.0.1", ()).accepts(None)


def test_the_bound_host_and_allowed_hosts_are_answered(kv):
    app = create_app(kv, host="box.lan", allowed_hosts=["wordvec.test", "[fd00::1]:9000"])
    c = TestClient(app, base_url=LOCAL)
    for ok in ("box.lan", "BOX.LAN:8000", "wordvec.test:1", "[fd00::1]", "localhost"):
        assert c.get("/api/info", headers={"host": ok}).status_code == 200, ok
    assert c.get("/api/info", headers={"host": "other.lan"}).status_code == 400
    anything = TestClient(create_app(kv, allowed_hosts=["*"]), base_url="http://anything.example")
    assert anything.get("/api/info").status_code == 200


def test_every_interface_answers_addresses_but_not_names(kv):
    c = TestClient(create_app(kv, host="0.0.0.0"), base_url=LOCAL)
    for ok in ("192.168.1.20:8000", "[fe80::1]:8000", socket.gethostname(), "localhost"):
        assert c.get("/api/info", headers={"host": ok}).status_code == 200, ok
    assert c.get("/api/info", headers={"host": "rebound.evil.example"}).status_code == 400


# ------------------------------------------------------------------ projections
def test_the_projection_cache_keeps_the_most_recent(kv):
    app = create_app(kv, cache_size=2)
    c, cache = TestClient(app, base_url=LOCAL), app.state.projections
    for limit in (10, 11, 12):
        assert c.get("/api/projection", params={"limit": limit}).status_code == 200
    assert cache.keys() == [("pca", 2, 11), ("pca", 2, 12)]
    c.get("/api/projection", params={"limit": 11})  # used again: now the most recent
    c.get("/api/projection", params={"limit": 13})
    assert cache.keys() == [("pca", 2, 11), ("pca", 2, 13)]
    c.get("/api/projection", params={"limit": 1000})  # more than the vocabulary: the same as all of it
    c.get("/api/projection", params={"limit": 60})
    assert cache.keys()[-1] == ("pca", 2, 60) and len(cache.keys()) == 2
    with pytest.raises(ValueError, match="cache_size"):
        create_app(kv, cache_size=0)


def test_concurrent_requests_compute_a_projection_once(kv, monkeypatch):
    app = create_app(kv)
    cache = app.state.projections
    calls, compute = [], cache._compute

    def slow(*key):
        calls.append(key)
        time.sleep(0.3)
        return compute(*key)

    monkeypatch.setattr(cache, "_compute", slow)
    c = TestClient(app, base_url=LOCAL)
    results = []
    threads = [threading.Thread(target=lambda: results.append(c.get("/api/projection", params={"limit": 20}).json()))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert calls == [("pca", 2, 20)] and len(results) == 3 and results[0] == results[1] == results[2]


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_limit_is_capped_per_method_with_a_clear_error(client, method):
    res = client.get("/api/projection", params={"method": method, "limit": MAX_LIMITS[method] + 1})
    assert res.status_code == 422
    detail = res.json()["detail"]
    assert detail.startswith(f"limit={MAX_LIMITS[method] + 1:,} is too many words for {method}: at most "
                             f"{MAX_LIMITS[method]:,}")
    if method != "pca":
        assert "take minutes" in detail and f"{MAX_LIMIT:,}" in detail
    assert client.get("/api/info").json()["max_limits"] == MAX_LIMITS


# ------------------------------------------------------------------ binding, wordvec serve
def test_bind_reports_a_busy_port_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(OSError) as info:
            bind("127.0.0.1", port)
    assert str(info.value) == (f"port {port} is already in use on 127.0.0.1; stop what uses it or choose another "
                               f"with --port (--port 0 picks a free one)")
    with pytest.raises(OSError, match="cannot serve on 'no-such-host.invalid'"):
        bind("no-such-host.invalid", 0)
    with bind("127.0.0.1", 0) as sock:
        assert sock.getsockname()[1] != 0


def test_serve_on_a_busy_port_prints_one_line_and_no_address(tmp_path, kv):
    from typer.testing import CliRunner

    import wordvec
    from wordvec.cli.app import app

    wordvec.save(kv, tmp_path / "m")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        try:
            runner = CliRunner(mix_stderr=False)
        except TypeError:
            runner = CliRunner()
        res = runner.invoke(app, ["serve", str(tmp_path / "m"), "--port", str(port)])
    assert res.exit_code == 1 and "Serving" not in res.stdout
    assert res.stderr.strip() == (f"error: port {port} is already in use on 127.0.0.1; stop what uses it or "
                                  f"choose another with --port (--port 0 picks a free one)")


def test_serve_port_0_prints_the_port_it_bound_and_checks_hosts(tmp_path, kv):
    import wordvec

    wordvec.save(kv, tmp_path / "m")
    proc = subprocess.Popen([sys.executable, "-m", "wordvec", "serve", str(tmp_path / "m"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # printed once the port is bound
        assert line.startswith("Serving 60 words at http://127.0.0.1:"), (line, proc.stderr.read() if not line else "")
        port = int(line.split("127.0.0.1:")[1].split()[0])
        assert port != 0
        for host, status in (("127.0.0.1:%d" % port, 200), ("localhost", 200), ("evil.example:%d" % port, 400)):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/info", headers={"Host": host})
            assert conn.getresponse().status == status, host
            conn.close()
    finally:
        proc.terminate()
        proc.wait(30)
        proc.stdout.close()
        proc.stderr.close()
