"""The local projector page: a FastAPI app over one KeyedVectors, served by uvicorn.

``create_app(kv)`` builds the app (tests drive it with ``fastapi.testclient``); ``serve(kv)``
runs it, bound to 127.0.0.1 unless told otherwise (``bind`` then ``run``: the command line
prints the address between the two, once the port is really bound). Everything is served
locally: the page, its script and style from ``wordvec/web/static``, and ``plotly.min.js`` from
the installed plotly package, so the page works with no network.

Host check (DNS rebinding: a web page whose name an attacker points at 127.0.0.1 would
otherwise read this API): a request is answered only when its ``Host`` header names
``localhost``, ``127.0.0.1``, ``[::1]``, the host the app serves on (``host=``) or one of
``allowed_hosts`` (``"*"``: any), with any port; when bound to every interface (``0.0.0.0``,
``::``) any IP address and this machine's name are accepted too (rebinding needs a name).
Anything else is a 400 whose ``detail`` says how to reach the page.

Projections are cached, the most recent :data:`PROJECTION_CACHE_SIZE` of them (least recently
used dropped first); ``limit`` is capped per method (:data:`MAX_LIMITS`: t-SNE and UMAP of
thousands of words take minutes), a larger one is a 422 that says so.

JSON API (every input validated: an unknown word is a 404 whose ``detail`` names it and
suggests close keys; a bad parameter is a 422):

=================================  ==========================================================
``GET /api/info``                  vocabulary size, dimensions, methods, projection limits
                                   (``max_limits``: per method)
``GET /api/projection``            ``method`` (pca|tsne|umap), ``dims`` (2|3), ``limit``: the
                                   most frequent ``limit`` words' coordinates (cached)
``GET /api/neighbors``             ``word``, ``topn``: nearest words by cosine, over the whole
                                   vocabulary
``GET /api/analogy``               ``a``, ``b``, ``c``, ``topn``: a is to b as c is to ?
``GET /api/locate``                ``word`` (repeatable), ``method``, ``dims``, ``limit``:
                                   where words lie in that projection, projected or not (PCA:
                                   the same fitted projection; t-SNE/UMAP: among their nearest
                                   projected words)
``GET /api/word/{word}``           one word: index, count, norm, nearest words, first values
=================================  ==========================================================

docs/api.md describes each endpoint with examples. FastAPI's interactive ``/docs`` (and
``/openapi.json``) are served only when asked (``create_app(api_docs=True)``,
``wordvec serve --api-docs``); ``/docs`` loads Swagger UI's script from a CDN, so it needs a
network connection in the browser, unlike the page itself.
"""

# No `from __future__ import annotations`: FastAPI must evaluate the endpoint annotations, which
# name Query, imported inside create_app.


import errno
import ipaddress
import os
import socket
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

import numpy as np

from wordvec.viz._extras import require

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "MAX_LIMITS", "MAX_LOCATE", "PROJECTION_CACHE_SIZE", "bind", "create_app",
           "run", "serve"]

STATIC = Path(__file__).resolve().parent / "static"
#: Words projected by default (the most frequent): enough to see structure, light to draw.
DEFAULT_LIMIT = 2000
#: The most words one projection may hold (PCA).
MAX_LIMIT = 20000
#: The most words per method: t-SNE and UMAP of more take minutes.
MAX_LIMITS = {"pca": MAX_LIMIT, "tsne": 5000, "umap": 5000}
#: The most words one /api/locate request may place.
MAX_LOCATE = 50
#: Projected words whose coordinates, weighted by similarity, place a word t-SNE or UMAP did not project.
_NEAREST = 3
#: Projections kept (the least recently used is dropped first); each holds up to MAX_LIMIT words.
PROJECTION_CACHE_SIZE = 4
#: Host names every app answers to (the loopback interface), whatever it is bound to.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
_EVERY_INTERFACE = ("0.0.0.0", "::", "")


class _Projection(dict):
    """A projection as served (``method``, ``dims``, ``words``, ``coords``), plus what is needed to
    place other words in it: the :class:`~wordvec.viz.reduce.Reduction` and the centre and scale
    that map its coordinates into the served frame (centred, largest coordinate 1)."""

    def __init__(self, public: dict, reduction, centre: np.ndarray, scale: float):
        super().__init__(public)
        self.reduction, self.centre, self.scale = reduction, centre, scale
        self.position = {w: i for i, w in enumerate(reduction.words)}

    def locate(self, kv, unit: np.ndarray, index: int) -> dict:
        """Where the word at row ``index`` of ``kv`` lies in this projection (see ``/api/locate``)."""
        word = kv.index_to_key[index]
        if word in self.position:
            return {"word": word, "coords": self["coords"][self.position[word]], "placement": "projected"}
        if self.reduction.basis is not None:  # PCA: the same fitted projection
            xy = (self.reduction.project(kv.vectors[index])[0] - self.centre) / self.scale
            return {"word": word, "coords": np.round(xy, 5).tolist(), "placement": "pca"}
        # t-SNE and UMAP cannot place a new point: the similarity-weighted mean of its nearest projected words
        projected = self.reduction.indices
        sims = unit[projected] @ unit[index]
        near = np.argsort(-sims, kind="stable")[:_NEAREST]
        weights = np.clip(sims[near], 1e-6, None)
        coords = np.asarray(self["coords"])[near]
        xy = (weights[:, None] * coords).sum(axis=0) / weights.sum()
        return {"word": word, "coords": np.round(xy, 5).tolist(), "placement": "neighbours",
                "near": [self.reduction.words[i] for i in near]}


class _ProjectionCache:
    """Projections by (method, dims, limit): each computed once even under concurrent requests,
    the ``size`` most recently used kept."""

    def __init__(self, kv, seed: int, size: int = PROJECTION_CACHE_SIZE):
        self.kv, self.seed, self.size = kv, seed, size
        self._done: OrderedDict[tuple, dict] = OrderedDict()
        self._locks: dict[tuple, threading.Lock] = {}  # one per projection being computed
        self._guard = threading.Lock()

    def _cached(self, key: tuple) -> dict | None:
        with self._guard:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
        return None

    def get(self, method: str, dims: int, limit: int) -> dict:
        key = (method, dims, min(limit, len(self.kv)))
        if (found := self._cached(key)) is not None:
            return found
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # a second request for the same projection waits for the first
            if (found := self._cached(key)) is not None:
                return found
            try:
                result = self._compute(*key)
                with self._guard:
                    self._done[key] = result
                    while len(self._done) > self.size:
                        self._done.popitem(last=False)
            finally:
                with self._guard:
                    self._locks.pop(key, None)
        return result

    def keys(self) -> list[tuple]:
        """The cached projections, least recently used first."""
        with self._guard:
            return list(self._done)

    def _compute(self, method: str, dims: int, limit: int) -> dict:
        from wordvec.viz.reduce import reduce

        red = reduce(self.kv, top=limit, method=method, dims=dims, seed=self.seed)
        centre = red.coords.mean(axis=0)
        coords = red.coords - centre
        scale = float(np.abs(coords).max()) or 1.0
        public = {"method": method, "dims": dims, "words": red.words, "coords": np.round(coords / scale, 5).tolist()}
        return _Projection(public, red, centre, scale)


def _host_name(header: str) -> str | None:
    """The name in a ``Host`` header (``name``, ``name:port``, ``[v6]``, ``[v6]:port``),
    lowercased, without brackets and a trailing dot; None when malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        if end < 0:
            return None
        name, rest = header[1:end], header[end + 1:]
    else:
        name, colon, port = header.partition(":")
        rest = colon + port
    if rest and not (rest[0] == ":" and rest[1:].isdigit()):
        return None
    return name.rstrip(".") or None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _HostCheck:
    """Which ``Host`` headers an app bound to ``host`` answers (see the module docstring)."""

    def __init__(self, host: str, allowed: Iterable[str]):
        extra = [_host_name(h) or h.strip().lower() for h in allowed]
        self.any = "*" in extra
        self.every_interface = host.strip("[]") in _EVERY_INTERFACE
        self.names = {*LOOPBACK_HOSTS, _host_name(host) or host.strip("[]").lower(), *extra}
        if self.every_interface:
            self.names.add(socket.gethostname().lower())

    def accepts(self, header: str | None) -> bool:
        if self.any:
            return True
        name = _host_name(header) if header else None
        if name is None:
            return False
        return name in self.names or (self.every_interface and _is_ip(name))

    def refusal(self, header: str | None) -> str:
        if not header:
            return "no Host header: this server answers only requests that name it (DNS-rebinding protection)"
        name = _host_name(header)
        hint = (f"; to serve it under that name too, start it with --allow-host {name} "
                f"(Python: allowed_hosts=[{name!r}])") if name else ""
        return (f"Host {header!r} is not a name this server answers to (DNS-rebinding protection): open the "
                f"page at http://localhost or http://127.0.0.1 with its port{hint}")


def create_app(kv, *, seed: int = 0, default_limit: int = DEFAULT_LIMIT, title: str = "wordvec projector",
               host: str = "127.0.0.1", allowed_hosts: Iterable[str] = (),
               cache_size: int = PROJECTION_CACHE_SIZE, api_docs: bool = False):
    """The FastAPI app serving the projector page and its JSON API for ``kv``.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman"],
    ...                   np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app(kv), base_url="http://127.0.0.1:8000")
    >>> client.get("/api/neighbors", params={"word": "king", "topn": 1}).json()
    {'word': 'king', 'neighbors': [{'word': 'man', 'similarity': 0.707107}]}
    >>> client.get("/api/word/kingg").status_code          # unknown word: 404 naming it
    404

    ``host`` is the address it is served on and ``allowed_hosts`` the extra names it answers
    to (``"*"``: any), for the ``Host`` check; ``cache_size`` projections are kept.
    ``api_docs=True`` also serves FastAPI's ``/docs`` and ``/openapi.json`` (off by default).
    """
    fastapi = require("fastapi", "the projector page", extra="web")
    responses = require("fastapi.responses", "the projector page", extra="web")
    from fastapi import HTTPException, Query

    if len(kv) < 4:
        raise ValueError(f"the projector page needs at least 4 words, these vectors hold {len(kv)}")
    if cache_size < 1:
        raise ValueError(f"cache_size must be at least 1, got {cache_size}")
    app = fastapi.FastAPI(title=title, docs_url="/docs" if api_docs else None, redoc_url=None,
                          openapi_url="/openapi.json" if api_docs else None,
                          description="The projector page's JSON API; see docs/api.md in the wordvec sources.")
    cache = _ProjectionCache(kv, seed, cache_size)
    hosts = _HostCheck(host, allowed_hosts)
    app.state.projections = cache

    @app.middleware("http")
    async def check_host(request, call_next):
        header = request.headers.get("host")
        if not hosts.accepts(header):
            return responses.JSONResponse({"detail": hosts.refusal(header)}, status_code=400)
        return await call_next(request)

    unit = kv.unit_vectors
    default_limit = int(min(default_limit, len(kv)))
    plotly_js = _plotly_js()

    def index_of(word: str) -> int:
        try:
            return kv.get_index(word)
        except KeyError as exc:
            raise HTTPException(status_code=404, detail=str(exc.args[0])) from None

    def neighbours(query: np.ndarray, topn: int, exclude: list[int], positive=(), negative=()) -> list[dict]:
        if kv.index is not None:  # saved by `wordvec index`: most_similar asks it for large vocabularies
            pairs = kv.most_similar(positive=list(positive), negative=list(negative), topn=topn)
            return [{"word": w, "similarity": round(s, 6)} for w, s in pairs]
        norm = float(np.linalg.norm(query))
        scores = unit @ (query / norm if norm > 0 else query).astype(np.float32)
        scores[exclude] = -np.inf
        k = min(topn, len(kv) - len(exclude))
        best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        best = best[np.argsort(-scores[best], kind="stable")]
        return [{"word": kv.index_to_key[i], "similarity": round(float(scores[i]), 6)} for i in best[:k]]

    @app.get("/", response_class=responses.HTMLResponse, include_in_schema=False)
    def index() -> str:
        return (STATIC / "index.html").read_text(encoding="utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str):
        if name not in ("app.js", "style.css", "plotly.min.js"):
            raise HTTPException(status_code=404, detail=f"no static file {name!r}")
        if name == "plotly.min.js":
            return responses.Response(plotly_js, media_type="text/javascript")
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return responses.Response((STATIC / name).read_bytes(), media_type=media)

    @app.get("/api/info")
    def info() -> dict:
        """The model and the page's settings: vocabulary size, dimensions, methods, projection limits."""
        return {"title": title, "words": len(kv), "dimensions": kv.vector_size, "methods": ["pca", "tsne", "umap"],
                "default_limit": default_limit, "max_limit": MAX_LIMIT, "max_limits": MAX_LIMITS,
                "has_counts": kv.counts is not None, "api_docs": api_docs}

    @app.get("/api/projection")
    def projection(
        method: Literal["pca", "tsne", "umap"] = "pca",
        dims: Annotated[int, Query(ge=2, le=3)] = 2,
        limit: Annotated[int | None, Query(ge=4)] = None,
    ) -> dict:
        """The ``limit`` most frequent words and their coordinates, centred, largest coordinate 1 (cached)."""
        return get_projection(method, dims, limit)

    def get_projection(method: str, dims: int, limit: int | None) -> dict:
        limit = min(default_limit, MAX_LIMITS[method]) if limit is None else limit
        if limit > MAX_LIMITS[method]:
            why = "" if method == "pca" else f" (t-SNE and UMAP of more take minutes; pca takes up to {MAX_LIMIT:,})"
            raise HTTPException(status_code=422, detail=f"limit={limit:,} is too many words for {method}: at most "
                                                        f"{MAX_LIMITS[method]:,}{why}")
        try:
            return cache.get(method, dims, limit)
        except ImportError as exc:
            raise HTTPException(status_code=501, detail=str(exc)) from None

    @app.get("/api/locate")
    def locate(
        word: Annotated[list[str], Query(min_length=1, max_length=MAX_LOCATE)],
        method: Literal["pca", "tsne", "umap"] = "pca",
        dims: Annotated[int, Query(ge=2, le=3)] = 2,
        limit: Annotated[int | None, Query(ge=4)] = None,
    ) -> dict:
        """Where each ``word`` lies in the projection that ``/api/projection`` serves for the same
        ``method``, ``dims`` and ``limit``: its own coordinates when it is projected; otherwise PCA
        places it with the same fitted projection, and t-SNE or UMAP (which cannot place new points)
        at the similarity-weighted mean of its nearest projected words, listed in ``near``."""
        for w in word:
            if not 1 <= len(w) <= 200:
                raise HTTPException(status_code=422, detail=f"word must be 1 to 200 characters, got {w[:40]!r}")
        rows = [index_of(w) for w in word]
        proj = get_projection(method, dims, limit)
        return {"method": proj["method"], "dims": proj["dims"], "limit": len(proj["words"]),
                "points": [proj.locate(kv, unit, i) for i in rows]}

    @app.get("/api/neighbors")
    def neighbors(word: Annotated[str, Query(min_length=1, max_length=200)],
                  topn: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
        """The ``topn`` nearest words to ``word`` by cosine similarity, over the whole vocabulary."""
        i = index_of(word)
        return {"word": word, "neighbors": neighbours(unit[i], topn, [i], [word])}

    @app.get("/api/analogy")
    def analogy(a: Annotated[str, Query(min_length=1, max_length=200)],
                b: Annotated[str, Query(min_length=1, max_length=200)],
                c: Annotated[str, Query(min_length=1, max_length=200)],
                topn: Annotated[int, Query(ge=1, le=100)] = 5) -> dict:
        """``a`` is to ``b`` as ``c`` is to ?: the words nearest ``b - a + c`` (unit vectors; 3CosAdd),
        the three query words excluded."""
        ia, ib, ic = index_of(a), index_of(b), index_of(c)
        query = unit[ib] - unit[ia] + unit[ic]
        return {"a": a, "b": b, "c": c, "results": neighbours(query, topn, sorted({ia, ib, ic}), [b, c], [a])}

    @app.get("/api/word/{word}")
    def word_info(word: str, topn: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
        """One word: its index (frequency rank - 1), count, vector norm, first 10 values and nearest words."""
        i = index_of(word)
        return {"word": word, "index": i, "count": None if kv.counts is None else int(kv.counts[i]),
                "norm": round(float(np.linalg.norm(kv.vectors[i])), 6),
                "vector_head": [round(float(v), 4) for v in kv.vectors[i][:10]],
                "neighbors": neighbours(unit[i], topn, [i], [word])}

    return app


def _plotly_js() -> bytes:
    """plotly.min.js from the installed plotly package (no CDN)."""
    plotly = require("plotly", "the projector page", extra="web")
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ImportError(f"plotly.min.js not found in the installed plotly package ({path}); "
                          "reinstall plotly: pip install 'wordvec[web]'")
    return path.read_bytes()


def bind(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: any free port; ``getsockname()`` tells which).

    >>> sock = bind("127.0.0.1", 0)                        # 0: any free port
    >>> host, port = sock.getsockname()
    >>> host, port > 0
    ('127.0.0.1', True)
    >>> sock.close()

    Errors are one clear line: a busy port (``OSError`` with ``EADDRINUSE``) says to choose
    another; an unknown host name or an address not on this machine says so.
    """
    try:
        infos = socket.getaddrinfo(host.strip("[]") or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise OSError(f"cannot serve on {host!r}: not an address or a known host name ({exc.strerror})") from None
    except OverflowError:
        raise OSError(f"cannot serve on port {port}: ports go from 0 to 65535") from None
    infos.sort(key=lambda info: info[0] != socket.AF_INET)  # "localhost": 127.0.0.1, as uvicorn binds it
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        where = f"{host}:{port}" if ":" not in host.strip("[]") else f"[{host.strip('[]')}]:{port}"
        if exc.errno == errno.EADDRINUSE:
            message = (f"port {port} is already in use on {host}; stop what uses it or choose another with "
                       f"--port (--port 0 picks a free one)")
        else:
            message = f"cannot listen on {where}: {exc.strerror or exc}"
        error = OSError(message)  # one line, without "[Errno ...]"
        error.errno = exc.errno
        raise error from None
    return sock


def run(app, sock: socket.socket, *, log_level: str = "warning") -> None:
    """Serve ``app`` on the listening socket ``sock`` (from :func:`bind`) until interrupted.

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman"],
    ...                   np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> sock = bind("127.0.0.1", 0)
    >>> # Not run as a doctest: it serves until Ctrl+C.
    >>> run(create_app(kv), sock)                          # doctest: +SKIP
    >>> sock.close()
    """
    uvicorn = require("uvicorn", "the projector page", extra="web")
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def serve(kv, host: str = "127.0.0.1", port: int = 8000, *, seed: int = 0, log_level: str = "warning",
          allowed_hosts: Iterable[str] = (), api_docs: bool = False) -> None:
    """Run the projector page for ``kv`` until interrupted (bound to ``host``: loopback by default;
    ``allowed_hosts``: extra names it answers to, see the module docstring; ``api_docs``: also
    serve FastAPI's ``/docs``).

    >>> import numpy as np
    >>> from wordvec import KeyedVectors
    >>> kv = KeyedVectors(["king", "queen", "man", "woman"],
    ...                   np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]]))
    >>> # Not run as a doctest: it serves until Ctrl+C (open http://127.0.0.1:8000 in a browser).
    >>> serve(kv, port=8000)                               # doctest: +SKIP
    """
    require("uvicorn", "the projector page", extra="web")
    app = create_app(kv, seed=seed, host=host, allowed_hosts=allowed_hosts, api_docs=api_docs)
    run(app, bind(host, port), log_level=log_level)
