"""The documentation site builds with zero warnings, so a broken reference fails the suite (and CI).

``python -m mkdocs build --strict`` turns every warning into an error: a ``::: wordvec.x`` that
names nothing, a link to a missing page or anchor, a cross-reference that resolves to nothing.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings_handlers") is None,
    reason="the documentation tools are not installed: pip install -e '.[docs]'",
)


def _build(config: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                           "--site-dir", str(site)],
                          cwd=config.parent, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = _build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-6000:]}"
    assert "WARNING" not in result.stderr, result.stderr[-6000:]
    return site


def test_site_builds_without_warnings(site):
    for page in ["index.html", "getting-started.html", "cli.html", "korean.html", "formats.html",
                 "projector.html", "api.html", "reference/vectors.html", "reference/models.html"]:
        assert (site / page).is_file(), page


def test_reference_pages_show_the_docstrings_and_fenced_examples(site):
    html = (site / "reference" / "vectors.html").read_text(encoding="utf-8")
    assert "wordvec.vectors.keyed.KeyedVectors" in html
    assert "most_similar" in html
    # doctest blocks are code, not block quotes (docs/griffe_doctests.py fences them)
    assert "&gt;&gt;&gt; wv = KeyedVectors" in html
    assert "<blockquote" not in html


def test_site_needs_no_network(site):
    """Every script and stylesheet is local, so the built site opens offline."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        remote = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["'](?:https?:)?//[^"']+""", html)
        assert not remote, f"{page.relative_to(site)} loads {remote}"


def test_broken_reference_fails_the_build(tmp_path):
    """The check can fail: a page naming a module that does not exist stops the strict build."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (project / "docs" / "reference" / "models.md").write_text("# Models\n\n::: wordvec.no_such_module\n")
    result = _build(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "no_such_module" in result.stderr


def test_doctest_blocks_are_fenced_for_markdown():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from griffe_doctests import fence_doctests
    finally:
        sys.path.pop(0)
    text = "Summary with :class:`~wordvec.vectors.KeyedVectors`.\n\n>>> f(1)  # doctest: +SKIP\n[1]\n\nMore."
    assert fence_doctests(text) == ("Summary with `KeyedVectors`.\n\n```pycon\n>>> f(1)\n[1]\n```\n\nMore.")
