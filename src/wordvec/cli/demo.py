"""``wordvec demo``: train on the bundled corpus and show neighbours and an analogy."""

import inspect
from typing import Annotated

import typer

from wordvec.cli._common import HelpOption, user_errors
from wordvec.demo import run_demo  # light: the model is imported inside run_demo

__all__ = ["demo"]

_DEMO_DEFAULTS = {name: p.default for name, p in inspect.signature(run_demo).parameters.items()}


def demo(
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the demo corpus.")] = _DEMO_DEFAULTS["epochs"],
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Training threads.",
        show_default="one per core" if _DEMO_DEFAULTS["workers"] is None else True)
    ] = _DEMO_DEFAULTS["workers"],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    show_help: HelpOption = False,
) -> None:
    """Train skip-gram on the bundled public-domain corpus (about a minute), then show what it learned."""
    with user_errors():
        run_demo(epochs=epochs, workers=workers, progress=False if quiet else None, echo=typer.echo)
