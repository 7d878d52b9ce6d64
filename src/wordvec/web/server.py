"""The local projector page: a FastAPI app over one KeyedVectors, served by uvicorn.

``create_app(kv)`` builds the app (tests drive it with ``fastapi.testclient``); ``serve(kv)``
runs it, bound to 127.0.0.1 unless told otherwise. Everything is served locally: the page,
its script and style from ``wordvec/web/static``, and ``plotly.min.js`` from the installed
plotly package, so the page works with no network.

JSON API (every input validated: an unknown word is a 404 whose ``detail`` names it and
suggests close keys; a bad parameter is a 422):

=================================  ==========================================================
``GET /api/info``                  vocabulary size, dimensions, methods, projection limits
``GET /api/projection``            ``method`` (pca|tsne|umap), ``dims`` (2|3), ``limit``: the
                                   most frequent ``limit`` words' coordinates (cached)
``GET /api/neighbors``             ``word``, ``topn``: nearest words by cosine, over the whole
                                   vocabulary
``GET /api/analogy``               ``a``, ``b``, ``c``, ``topn``: a is to b as c is to ?
``GET /api/word/{word}``           one word: index, count, norm, nearest words, first values
=================================  ==========================================================
"""

# No `from __future__ import annotations`: FastAPI must evaluate the endpoint annotations, which
# name Query, imported inside create_app.


import threading
from pathlib import Path
from typing import Annotated, Literal

import numpy as np

from wordvec.viz._extras import require

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "create_app", "serve"]

STATIC = Path(__file__).resolve().parent / "static"
#: Words projected by default (the most frequent): enough to see structure, light to draw.
DEFAULT_LIMIT = 2000
#: The most words one projection may hold (t-SNE and UMAP of more take minutes).
MAX_LIMIT = 20000


class _ProjectionCache:
    """Projections by (method, dims, limit), each computed once even under concurrent requests."""

    def __init__(self, kv, seed: int):
        self.kv, self.seed = kv, seed
        self._done: dict[tuple, dict] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, method: str, dims: int, limit: int) -> dict:
        key = (method, dims, min(limit, len(self.kv)))
        with self._guard:
            if key in self._done:
                return self._done[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._done:
                from wordvec.viz.reduce import reduce

                red = reduce(self.kv, top=key[2], method=method, dims=dims, seed=self.seed)
                coords = red.coords - red.coords.mean(axis=0)
                scale = float(np.abs(coords).max()) or 1.0
                self._done[key] = {"method": method, "dims": dims, "words": red.words,
                                   "coords": np.round(coords / scale, 5).tolist()}
        return self._done[key]


def create_app(kv, *, seed: int = 0, default_limit: int = DEFAULT_LIMIT, title: str = "wordvec projector"):
    """The FastAPI app serving the projector page and its JSON API for ``kv``."""
    fastapi = require("fastapi", "the projector page", extra="web")
    responses = require("fastapi.responses", "the projector page", extra="web")
    from fastapi import HTTPException, Query

    if len(kv) < 4:
        raise ValueError(f"the projector page needs at least 4 words, these vectors hold {len(kv)}")
    app = fastapi.FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)
    cache = _ProjectionCache(kv, seed)
    unit = kv.unit_vectors
    default_limit = int(min(default_limit, len(kv)))
    plotly_js = _plotly_js()

    def index_of(word: str) -> int:
        try:
            return kv.get_index(word)
        except KeyError as exc:
            raise HTTPException(status_code=404, detail=str(exc.args[0])) from None

    def neighbours(query: np.ndarray, topn: int, exclude: list[int]) -> list[dict]:
        norm = float(np.linalg.norm(query))
        scores = unit @ (query / norm if norm > 0 else query).astype(np.float32)
        scores[exclude] = -np.inf
        k = min(topn, len(kv) - len(exclude))
        best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        best = best[np.argsort(-scores[best], kind="stable")]
        return [{"word": kv.index_to_key[i], "similarity": round(float(scores[i]), 6)} for i in best[:k]]

    @app.get("/", response_class=responses.HTMLResponse)
    def index() -> str:
        return (STATIC / "index.html").read_text(encoding="utf-8")

    @app.get("/static/{name}")
    def static(name: str):
        if name not in ("app.js", "style.css", "plotly.min.js"):
            raise HTTPException(status_code=404, detail=f"no static file {name!r}")
        if name == "plotly.min.js":
            return responses.Response(plotly_js, media_type="text/javascript")
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return responses.Response((STATIC / name).read_bytes(), media_type=media)

    @app.get("/api/info")
    def info() -> dict:
        return {"title": title, "words": len(kv), "dimensions": kv.vector_size, "methods": ["pca", "tsne", "umap"],
                "default_limit": default_limit, "max_limit": MAX_LIMIT, "has_counts": kv.counts is not None}

    @app.get("/api/projection")
    def projection(
        method: Literal["pca", "tsne", "umap"] = "pca",
        dims: Annotated[int, Query(ge=2, le=3)] = 2,
        limit: Annotated[int | None, Query(ge=4, le=MAX_LIMIT)] = None,
    ) -> dict:
        try:
            return cache.get(method, dims, default_limit if limit is None else limit)
        except ImportError as exc:
            raise HTTPException(status_code=501, detail=str(exc)) from None

    @app.get("/api/neighbors")
    def neighbors(word: Annotated[str, Query(min_length=1, max_length=200)],
                  topn: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
        i = index_of(word)
        return {"word": word, "neighbors": neighbours(unit[i], topn, [i])}

    @app.get("/api/analogy")
    def analogy(a: Annotated[str, Query(min_length=1, max_length=200)],
                b: Annotated[str, Query(min_length=1, max_length=200)],
                c: Annotated[str, Query(min_length=1, max_length=200)],
                topn: Annotated[int, Query(ge=1, le=100)] = 5) -> dict:
        ia, ib, ic = index_of(a), index_of(b), index_of(c)
        query = unit[ib] - unit[ia] + unit[ic]
        return {"a": a, "b": b, "c": c, "results": neighbours(query, topn, sorted({ia, ib, ic}))}

    @app.get("/api/word/{word}")
    def word_info(word: str, topn: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
        i = index_of(word)
        return {"word": word, "index": i, "count": None if kv.counts is None else int(kv.counts[i]),
                "norm": round(float(np.linalg.norm(kv.vectors[i])), 6),
                "vector_head": [round(float(v), 4) for v in kv.vectors[i][:10]],
                "neighbors": neighbours(unit[i], topn, [i])}

    return app


def _plotly_js() -> bytes:
    """plotly.min.js from the installed plotly package (no CDN)."""
    plotly = require("plotly", "the projector page", extra="web")
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ImportError(f"plotly.min.js not found in the installed plotly package ({path}); "
                          "reinstall plotly: pip install wordvec[web]")
    return path.read_bytes()


def serve(kv, host: str = "127.0.0.1", port: int = 8000, *, seed: int = 0, log_level: str = "warning") -> None:
    """Run the projector page for ``kv`` until interrupted (bound to ``host``: loopback by default)."""
    uvicorn = require("uvicorn", "the projector page", extra="web")
    app = create_app(kv, seed=seed)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
