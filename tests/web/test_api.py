"""The projector page's app through fastapi.testclient: pages, assets, JSON API, validation."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
pytest.importorskip("plotly")
pytest.importorskip("sklearn")

from fastapi.testclient import TestClient

from wordvec.vectors.keyed import KeyedVectors
from wordvec.web.server import DEFAULT_LIMIT, create_app

WORDS = ["king", "queen", "man", "woman", "prince", "princess", "왕", "여왕"]


@pytest.fixture(scope="module")
def kv() -> KeyedVectors:
    rng = np.random.default_rng(5)
    keys = WORDS + [f"w{i}" for i in range(200)]
    vectors = rng.normal(size=(len(keys), 12)).astype(np.float32)
    vectors[1] = vectors[0] + 0.05 * rng.normal(size=12)  # queen ~ king
    return KeyedVectors(keys, vectors, counts=np.arange(len(keys), 0, -1))


@pytest.fixture(scope="module")
def client(kv):
    return TestClient(create_app(kv), base_url="http://127.0.0.1")


def test_page_and_local_assets(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'src="/static/plotly.min.js"' in page.text and "http" not in page.text.split("<body>")[0].replace(
        'name="viewport"', "")
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000 and "javascript" in js.headers["content-type"]
    assert client.get("/static/../server.py").status_code == 404
    assert client.get("/static/secret.txt").status_code == 404


def test_info(client, kv):
    info = client.get("/api/info").json()
    assert info["words"] == len(kv) and info["dimensions"] == 12
    assert info["methods"] == ["pca", "tsne", "umap"] and info["has_counts"] is True


@pytest.mark.parametrize("dims", [2, 3])
def test_projection(client, kv, dims):
    res = client.get("/api/projection", params={"dims": dims, "limit": 50})
    assert res.status_code == 200
    body = res.json()
    assert body["words"] == kv.index_to_key[:50] and body["method"] == "pca" and body["dims"] == dims
    coords = np.array(body["coords"])
    assert coords.shape == (50, dims) and np.abs(coords).max() <= 1.0 + 1e-9
    assert client.get("/api/projection", params={"dims": dims, "limit": 50}).json() == body  # cached


def test_projection_tsne_on_the_server(client):
    body = client.get("/api/projection", params={"method": "tsne", "limit": 30}).json()
    assert len(body["coords"]) == 30 and body["method"] == "tsne"


@pytest.mark.parametrize("params", [{"method": "lda"}, {"dims": 4}, {"dims": "x"}, {"limit": 1}, {"limit": 10**9}])
def test_projection_bad_parameters(client, params):
    assert client.get("/api/projection", params=params).status_code == 422


def test_neighbors(client, kv):
    body = client.get("/api/neighbors", params={"word": "king", "topn": 5}).json()
    assert body["word"] == "king"
    got = [(n["word"], n["similarity"]) for n in body["neighbors"]]
    want = kv.most_similar("king", topn=5)
    assert [w for w, _ in got] == [w for w, _ in want] and got[0][0] == "queen"
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], atol=1e-5)
    assert client.get("/api/neighbors", params={"word": "왕"}).status_code == 200


def test_unknown_word_is_404_with_a_message(client):
    res = client.get("/api/neighbors", params={"word": "kingg"})
    assert res.status_code == 404
    assert "'kingg' is not in the vocabulary" in res.json()["detail"] and "did you mean 'king'" in res.json()["detail"]
    assert client.get("/api/word/nope").status_code == 404
    assert client.get("/api/analogy", params={"a": "man", "b": "king", "c": "nope"}).status_code == 404


@pytest.mark.parametrize("params", [{}, {"word": ""}, {"word": "king", "topn": 0}, {"word": "king", "topn": 1000},
                                    {"word": "king", "topn": "many"}])
def test_neighbors_bad_parameters(client, params):
    assert client.get("/api/neighbors", params=params).status_code == 422


def test_analogy(client, kv):
    body = client.get("/api/analogy", params={"a": "man", "b": "king", "c": "woman", "topn": 3}).json()
    want = kv.most_similar(positive=["king", "woman"], negative=["man"], topn=3)
    # 3CosAdd over unit vectors: b - a + c, the query words excluded.
    assert [r["word"] for r in body["results"]] == [w for w, _ in want]
    assert client.get("/api/analogy", params={"a": "man", "b": "king"}).status_code == 422


def test_word_details(client, kv):
    body = client.get("/api/word/여왕").json()
    i = kv.get_index("여왕")
    assert body["index"] == i and body["count"] == int(kv.counts[i])
    assert len(body["vector_head"]) == 10 and len(body["neighbors"]) == 10


def test_large_vocabulary():
    rng = np.random.default_rng(0)
    n = 100_000
    kv = KeyedVectors([f"w{i}" for i in range(n)], rng.normal(size=(n, 16)).astype(np.float32))
    client = TestClient(create_app(kv), base_url="http://127.0.0.1")
    body = client.get("/api/projection").json()
    assert len(body["words"]) == DEFAULT_LIMIT  # the projection takes the most frequent words
    last = client.get("/api/neighbors", params={"word": f"w{n - 1}", "topn": 3}).json()  # search covers all
    assert [w for w, _ in kv.most_similar(f"w{n - 1}", topn=3)] == [x["word"] for x in last["neighbors"]]


def test_too_small_vocabulary_is_refused():
    with pytest.raises(ValueError, match="at least 4 words"):
        create_app(KeyedVectors(["a", "b"], np.eye(2)))


# ------------------------------------------------------------------ Korean
KOREAN = ["왕", "여왕", "남자", "여자", "왕자", "공주", "서울", "한국어"]


@pytest.fixture(scope="module")
def ko_kv() -> KeyedVectors:
    rng = np.random.default_rng(8)
    keys = KOREAN + [f"단어{i}" for i in range(60)]
    vectors = rng.normal(size=(len(keys), 10)).astype(np.float32)
    vectors[1] = vectors[0] + 0.05 * rng.normal(size=10)  # 여왕 ~ 왕
    vectors[4] = vectors[0] + 0.1 * rng.normal(size=10)  # 왕자 ~ 왕
    return KeyedVectors(keys, vectors, counts=np.arange(len(keys), 0, -1))


@pytest.fixture(scope="module")
def ko_client(ko_kv):
    return TestClient(create_app(ko_kv), base_url="http://127.0.0.1")


def test_korean_search_neighbours_analogy_and_details(ko_client, ko_kv):
    res = ko_client.get("/api/neighbors", params={"word": "왕", "topn": 5})
    assert res.status_code == 200
    assert "\\u" not in res.text and "여왕".encode() in res.content  # UTF-8 as is, not \uXXXX escapes
    body = res.json()
    assert body["word"] == "왕"
    assert [n["word"] for n in body["neighbors"]] == [w for w, _ in ko_kv.most_similar("왕", topn=5)]
    assert body["neighbors"][0]["word"] == "여왕"

    body = ko_client.get("/api/analogy", params={"a": "남자", "b": "왕", "c": "여자", "topn": 4}).json()
    assert (body["a"], body["b"], body["c"]) == ("남자", "왕", "여자")
    want = ko_kv.most_similar(positive=["왕", "여자"], negative=["남자"], topn=4)
    assert [r["word"] for r in body["results"]] == [w for w, _ in want]

    body = ko_client.get("/api/word/한국어").json()  # a Korean path segment, percent-encoded on the wire
    assert body["word"] == "한국어" and body["index"] == ko_kv.get_index("한국어")

    proj = ko_client.get("/api/projection", params={"limit": 20}).json()
    assert proj["words"][:8] == KOREAN


def test_korean_unknown_word_is_named_in_the_404(ko_client):
    res = ko_client.get("/api/neighbors", params={"word": "왕자를"})
    assert res.status_code == 404
    detail = res.json()["detail"]
    assert "'왕자를' is not in the vocabulary" in detail and "did you mean '왕자'" in detail
    res = ko_client.get("/api/word/왕비")
    assert res.status_code == 404 and "'왕비'" in res.json()["detail"]
    res = ko_client.get("/api/analogy", params={"a": "남자", "b": "왕", "c": "여자들"})
    assert res.status_code == 404 and "'여자들'" in res.json()["detail"]


def test_page_fonts_cover_korean(client):
    css = client.get("/static/style.css")
    assert "charset=utf-8" in css.headers["content-type"]
    for family in ("Noto Sans CJK KR", "NanumGothic", "Apple SD Gothic Neo", "Malgun Gothic"):
        assert f'"{family}"' in css.text
    js = client.get("/static/app.js")
    assert "charset=utf-8" in js.headers["content-type"]
    assert "getComputedStyle(document.body).fontFamily" in js.text  # plotly's SVG text uses the same stack
    assert "font: { family: FONT }" in js.text and "hoverlabel: { font: { family: FONT } }" in js.text
    assert '<meta charset="utf-8">' in client.get("/").text


# ------------------------------------------------------------------ placing words outside the projection
def test_locate_places_unprojected_words_with_the_same_pca(client, kv):
    from wordvec.viz.reduce import reduce

    body = client.get("/api/locate", params={"word": ["king", "w150"], "limit": 20}).json()
    assert (body["method"], body["dims"], body["limit"]) == ("pca", 2, 20)
    inside, outside = body["points"]
    proj = client.get("/api/projection", params={"limit": 20}).json()
    assert inside == {"word": "king", "coords": proj["coords"][proj["words"].index("king")], "placement": "projected"}
    assert outside["word"] == "w150" and outside["placement"] == "pca"
    # the same fitted PCA, in the served frame (centred, largest coordinate 1)
    red = reduce(kv, top=20, method="pca")
    centre = red.coords.mean(axis=0)
    scale = np.abs(red.coords - centre).max()
    want = (red.project(kv["w150"])[0] - centre) / scale
    np.testing.assert_allclose(outside["coords"], want, atol=1e-5)


def test_locate_with_tsne_uses_the_nearest_projected_words(client, kv):
    body = client.get("/api/locate", params={"word": "w150", "limit": 20, "method": "tsne"}).json()
    point = body["points"][0]
    assert point["placement"] == "neighbours" and len(point["near"]) == 3
    proj = client.get("/api/projection", params={"limit": 20, "method": "tsne"}).json()
    sims = {w: kv.similarity("w150", w) for w in proj["words"]}
    assert point["near"] == sorted(sims, key=lambda w: -sims[w])[:3]
    near = np.array([proj["coords"][proj["words"].index(w)] for w in point["near"]])
    lo, hi = near.min(axis=0) - 1e-6, near.max(axis=0) + 1e-6  # a weighted mean lies among them
    assert np.all(point["coords"] >= lo) and np.all(point["coords"] <= hi)


@pytest.mark.parametrize("params, status", [({}, 422), ({"word": "kingg"}, 404), ({"word": ["w1"] * 51}, 422),
                                            ({"word": "king", "limit": 10**9}, 422), ({"word": ""}, 422)])
def test_locate_errors(client, params, status):
    res = client.get("/api/locate", params=params)
    assert res.status_code == status
    if status == 404:
        assert "'kingg' is not in the vocabulary" in res.json()["detail"]


# ------------------------------------------------------------------ /docs only when asked
def test_api_docs_are_off_by_default_and_on_when_asked(client, kv):
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert client.get(path).status_code == 404
    assert client.get("/api/info").json()["api_docs"] is False
    docs = TestClient(create_app(kv, api_docs=True), base_url="http://127.0.0.1")
    assert docs.get("/docs").status_code == 200 and "swagger" in docs.get("/docs").text.lower()
    schema = docs.get("/openapi.json").json()
    assert set(schema["paths"]) == {"/api/info", "/api/projection", "/api/locate", "/api/neighbors", "/api/analogy",
                                    "/api/word/{word}"}  # the page and its assets are not API
    assert "3CosAdd" in schema["paths"]["/api/analogy"]["get"]["description"]
    assert docs.get("/api/info").json()["api_docs"] is True
    assert docs.get("/docs", headers={"host": "evil.example"}).status_code == 400  # the Host check covers it


def test_serve_api_docs_option(tmp_path, kv, monkeypatch):
    from typer.testing import CliRunner

    import wordvec
    import wordvec.web.server as server
    from wordvec.cli.app import app

    wordvec.save(kv, tmp_path / "m")
    built = {}

    def fake_run(app_, sock, **_):
        built["app"] = app_
        sock.close()

    monkeypatch.setattr(server, "run", fake_run)
    result = CliRunner().invoke(app, ["serve", str(tmp_path / "m"), "--port", "0", "--api-docs"])
    assert result.exit_code == 0, result.output
    assert "/docs" in result.output
    assert TestClient(built["app"], base_url="http://127.0.0.1").get("/docs").status_code == 200
    result = CliRunner().invoke(app, ["serve", str(tmp_path / "m"), "--port", "0"])
    assert result.exit_code == 0 and "/docs" not in result.output
    assert TestClient(built["app"], base_url="http://127.0.0.1").get("/docs").status_code == 404


def test_docs_api_md_lists_every_endpoint(kv):
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "api.md"
    if not doc.exists():
        pytest.skip(f"{doc} is absent")
    text = doc.read_text(encoding="utf-8")
    schema = TestClient(create_app(kv, api_docs=True), base_url="http://127.0.0.1").get("/openapi.json").json()
    for path in schema["paths"]:
        assert f"GET {path}" in text, f"docs/api.md does not describe {path}"
