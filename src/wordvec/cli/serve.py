"""``wordvec serve``: the local projector page (2-D/3-D projection, search, analogies)."""

from typing import Annotated

import typer

from wordvec.cli._common import VectorsArgument, load_vectors, user_errors

__all__ = ["serve"]


def serve(
    model: VectorsArgument,
    host: Annotated[str, typer.Option(help="Address to bind; other than loopback exposes the page.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    seed: Annotated[int, typer.Option(help="Seed for t-SNE / UMAP.")] = 0,
) -> None:
    """Serve a projector page for MODEL at http://HOST:PORT (Ctrl+C stops it)."""
    with user_errors():
        kv = load_vectors(model)
        from wordvec.web.server import create_app

        app = create_app(kv, seed=seed)  # built before printing, so errors come first
        from wordvec.viz._extras import require

        uvicorn = require("uvicorn", "wordvec serve", extra="web")
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(f"warning: binding {host} makes the page reachable from other machines", err=True)
        typer.echo(f"Serving {len(kv):,} words at http://{host}:{port} (Ctrl+C to stop)")
        uvicorn.run(app, host=host, port=port, log_level="warning")
