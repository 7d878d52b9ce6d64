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
``GET /api/word/{word}``           one word: index, count, norm, nearest words, first values
=================================  ==========================================================
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

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "MAX_LIMITS", "PROJECTION_CACHE_SIZE", "bind", "create_app", "run", "serve"]

STATIC = Path(__file__).resolve().parent / "static"
#: Words projected by default (the most frequent): enough to see structure, light to draw.
DEFAULT_LIMIT = 2000
#: The most words one projection may hold (PCA).
MAX_LIMIT = 20000
#: The most words per method: t-SNE and UMAP of more take minutes.
MAX_LIMITS = {"pca": MAX_LIMIT, "tsne": 5000, "umap": 5000}
#: Projections kept (the least recently used is dropped first); each holds up to MAX_LIMIT words.
PROJECTION_CACHE_SIZE = 4
#: Host names every app answers to (the loopback interface), whatever it is bound to.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
_EVERY_INTERFACE = ("0.0.0.0", "::", "")


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
        coords = red.coords - red.coords.mean(axis=0)
        scale = float(np.abs(coords).max()) or 1.0
        return {"method": method, "dims": dims, "words": red.words, "coords": np.round(coords / scale, 5).tolist()}


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
               cache_size: int = PROJECTION_CACHE_SIZE):
    """The FastAPI app serving the projector page and its JSON API for ``kv``.

    ``host`` is the address it is served on and ``allowed_hosts`` the extra names it answers
    to (``"*"``: any), for the ``Host`` check; ``cache_size`` projections are kept.
    """
    fastapi = require("fastapi", "the projector page", extra="web")
    responses = require("fastapi.responses", "the projector page", extra="web")
    from fastapi import HTTPException, Query

    if len(kv) < 4:
        raise ValueError(f"the projector page needs at least 4 words, these vectors hold {len(kv)}")
    if cache_size < 1:
        raise ValueError(f"cache_size must be at least 1, got {cache_size}")
    app = fastapi.FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)
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
                "default_limit": default_limit, "max_limit": MAX_LIMIT, "max_limits": MAX_LIMITS,
                "has_counts": kv.counts is not None}

    @app.get("/api/projection")
    def projection(
        method: Literal["pca", "tsne", "umap"] = "pca",
        dims: Annotated[int, Query(ge=2, le=3)] = 2,
        limit: Annotated[int | None, Query(ge=4)] = None,
    ) -> dict:
        limit = min(default_limit, MAX_LIMITS[method]) if limit is None else limit
        if limit > MAX_LIMITS[method]:
            why = "" if method == "pca" else f" (t-SNE and UMAP of more take minutes; pca takes up to {MAX_LIMIT:,})"
            raise HTTPException(status_code=422, detail=f"limit={limit:,} is too many words for {method}: at most "
                                                        f"{MAX_LIMITS[method]:,}{why}")
        try:
            return cache.get(method, dims, limit)
        except ImportError as exc:
            raise HTTPException(status_code=501, detail=str(exc)) from None

    @app.get("/api/neighbors")
    def neighbors(word: Annotated[str, Query(min_length=1, max_length=200)],
                  topn: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
        i = index_of(word)
        return {"word": word, "neighbors": neighbours(unit[i], topn, [i], [word])}

    @app.get("/api/analogy")
    def analogy(a: Annotated[str, Query(min_length=1, max_length=200)],
                b: Annotated[str, Query(min_length=1, max_length=200)],
                c: Annotated[str, Query(min_length=1, max_length=200)],
                topn: Annotated[int, Query(ge=1, le=100)] = 5) -> dict:
        ia, ib, ic = index_of(a), index_of(b), index_of(c)
        query = unit[ib] - unit[ia] + unit[ic]
        return {"a": a, "b": b, "c": c, "results": neighbours(query, topn, sorted({ia, ib, ic}), [b, c], [a])}

    @app.get("/api/word/{word}")
    def word_info(word: str, topn: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
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
                          "reinstall plotly: pip install wordvec[web]")
    return path.read_bytes()


def bind(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: any free port; ``getsockname()`` tells which).

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
    """Serve ``app`` on the listening socket ``sock`` (from :func:`bind`) until interrupted."""
    uvicorn = require("uvicorn", "the projector page", extra="web")
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def serve(kv, host: str = "127.0.0.1", port: int = 8000, *, seed: int = 0, log_level: str = "warning",
          allowed_hosts: Iterable[str] = ()) -> None:
    """Run the projector page for ``kv`` until interrupted (bound to ``host``: loopback by default;
    ``allowed_hosts``: extra names it answers to, see the module docstring)."""
    require("uvicorn", "the projector page", extra="web")
    app = create_app(kv, seed=seed, host=host, allowed_hosts=allowed_hosts)
    run(app, bind(host, port), log_level=log_level)
