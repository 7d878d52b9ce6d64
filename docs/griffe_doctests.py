"""A griffe extension for the documentation site (mkdocs.yml loads it by path).

wordvec's docstrings are plain reStructuredText-flavoured text, read by people in ``help()`` and
run by ``tests/test_doctests.py``. Rendered as Markdown, two things in them would go wrong:

* a doctest block (``>>>`` lines and their output) would become nested block quotes, and its
  output (``['king', 'queen']``) would be read as a cross-reference; so each block is fenced as
  ``pycon`` code, with ``# doctest:`` directives trimmed;
* Sphinx roles (``:class:`~wordvec.vectors.KeyedVectors```) would show their markup; they become
  inline code (``KeyedVectors``; the full path without ``~``).

Nothing else in the docstring changes. Only the site uses this file; the package never imports it.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")
_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")


def _role(match: re.Match) -> str:
    target = match.group(2)
    if match.group(1):  # ~a.b.C shows as C
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def fence_doctests(text: str) -> str:
    """``text`` with every doctest block fenced as ``pycon`` code and Sphinx roles as inline code.

    >>> print(fence_doctests("Use it:" + chr(10) + ">>> 1 + 1" + chr(10) + "2"))
    Use it:
    <BLANKLINE>
    ```pycon
    >>> 1 + 1
    2
    ```
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if not stripped.startswith(">>>"):
            out.append(_ROLE.sub(_role, line))
            i += 1
            continue
        indent = line[: len(line) - len(stripped)]
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():  # a doctest block ends at a blank line
            block_line = lines[i]
            if block_line.lstrip().startswith((">>>", "...")):
                block_line = _DIRECTIVE.sub("", block_line)
            out.append(block_line)
            i += 1
        out.append(f"{indent}```")
        if i < len(lines) and lines[i].strip():
            out.append("")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest blocks of every docstring griffe loads (see the module docstring)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring, if it has one, for Markdown."""
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
