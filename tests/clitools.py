"""The command-line tests' shared helpers: run ``wordvec`` in-process and read its output.

Importable from any test (``from clitools import invoke``): pyproject.toml puts tests/ on the path.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from wordvec.cli.app import app

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def invoke(*args):
    """Run ``wordvec ARGS`` in-process. A wide terminal keeps each option of the help on one line;
    rich may colour the output when it thinks it runs in CI, so compare through :func:`plain`."""
    return _runner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def plain(text: str) -> str:
    """``text`` without ANSI escape codes."""
    return ANSI.sub("", text)


def assert_one_line_error(result, *fragments: str, code: int = 1) -> str:
    """The command failed with exit ``code`` and one ``error: ...`` line holding every fragment."""
    assert result.exit_code == code, (result.exit_code, result.output)
    err = plain(result.stderr).strip()
    assert "\n" not in err, err
    assert err.startswith("error: "), err
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err
