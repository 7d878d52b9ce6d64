"""``wordvec serve``: the local projector page (2-D/3-D projection, search, analogies)."""

from typing import Annotated

import typer

from wordvec.cli._common import HelpOption, VectorsArgument, load_vectors, user_errors

__all__ = ["serve"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def serve(
    model: VectorsArgument,
    host: Annotated[str, typer.Option(help="Address to bind; other than loopback exposes the page.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 8000,
    seed: Annotated[int, typer.Option(help="Seed for t-SNE / UMAP.")] = 0,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", metavar="NAME",
        help="Also answer requests for this host name (repeatable; '*' for any). Others are refused to "
             "protect against DNS rebinding; localhost, 127.0.0.1, [::1] and --host are always answered.",
        show_default=False)] = None,
    api_docs: Annotated[bool, typer.Option(
        "--api-docs", help="Also serve FastAPI's interactive API docs at /docs and the schema at /openapi.json "
                           "(Swagger UI loads its script from a CDN, so /docs needs a network connection). "
                           "The JSON API is described in docs/api.md.")] = False,
    show_help: HelpOption = False,
) -> None:
    """Serve a projector page for MODEL at http://HOST:PORT (Ctrl+C stops it)."""
    with user_errors():
        kv = load_vectors(model)
        from wordvec.web.server import bind, create_app, run

        # built and bound before printing, so errors (a busy port included) come first, as one line
        app = create_app(kv, seed=seed, host=host, allowed_hosts=allow_host or (), api_docs=api_docs)
        sock = bind(host, port)
    bound = sock.getsockname()[1]
    if host not in _LOOPBACK:
        typer.echo(f"warning: binding {host} makes the page reachable from other machines", err=True)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    typer.echo(f"Serving {len(kv):,} words at http://{shown}:{bound} (Ctrl+C to stop)")
    if api_docs:
        typer.echo(f"API docs at http://{shown}:{bound}/docs")
    with user_errors():
        run(app, sock)
