"""Every public function and class shows a runnable example, and every example runs.

"Public" means every function or class named in ``__all__`` of a public module of the package
(a module whose dotted name has no part starting with ``_``), wherever it is defined (a name
re-exported from a private module such as ``wordvec._files`` counts too). Constants in
``__all__`` need no example.

The examples run here as doctests, each docstring's in an empty temporary working directory of its own (so an
example may write ``corpus.txt`` or ``vectors/`` next to itself), with ``ELLIPSIS`` and
``NORMALIZE_WHITESPACE``. ``# doctest: +SKIP`` is kept for the few examples that need a server, a
browser or long training, and each says why in a comment next to it.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest

import wordvec

PACKAGE_DIR = Path(wordvec.__file__).resolve().parent
SRC_DIR = PACKAGE_DIR.parent

# The command line (wordvec.cli) is public as the ``wordvec`` command, not as Python functions: its
# examples are the README's tour and docs/cli.md, run as written by tests/test_readme.py, and every
# command's --help is checked at 80 columns by tests/cli/test_help80.py. Its modules' doctests still run.
COMMAND_LINE = "wordvec/cli/"

# Extras a module may need; a module that fails to import for want of one is skipped, not failed.
OPTIONAL_IMPORTS = frozenset({"torch", "matplotlib", "plotly", "umap", "sklearn", "openTSNE", "kiwipiepy",
                              "fastapi", "uvicorn", "starlette", "usearch", "ot", "scipy"})

# Modules that import without an extra but whose examples use it: skipped when it is missing.
EXAMPLE_EXTRAS = {
    "wordvec.vectors.ann": "usearch",
    "wordvec.vectors.wmd": "ot",
    "wordvec.corpus.korean": "kiwipiepy",
    "wordvec.io.fasttext_supervised": "fasttext",  # the examples train a model with the reference fastText
    "wordvec.contextual": "torch",
    "wordvec.contextual.model": "torch",
    "wordvec.corpus.cache": "kiwipiepy",  # its example tokenizes with KoreanTokenizer (batch tokenizer)
    "wordvec.contextual.io": "safetensors",
    "wordvec.viz.fonts": "matplotlib",
    "wordvec.viz.history": "matplotlib",
    "wordvec.viz.interactive": "plotly",
    "wordvec.viz.plot": "matplotlib",
    "wordvec.viz.strip": "matplotlib",
    "wordvec.web.server": "fastapi",
}

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _module_names() -> list[str]:
    """Dotted names of every module of the package, found on disk (nothing imported)."""
    names = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = list(path.relative_to(SRC_DIR).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] == "__main__" or "_kernels" in parts:
            continue  # __main__ runs the CLI on import; kernels are private and tested against their twins
        names.append(".".join(parts))
    return names


MODULES = _module_names()
PUBLIC_MODULES = [name for name in MODULES if not any(part.startswith("_") for part in name.split("."))]


def _import(name: str):
    """Import a module, skipping the test when an optional extra it needs is missing."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] in OPTIONAL_IMPORTS:
            pytest.skip(f"{name} needs the optional package {error.name!r}, which is not installed")
        raise


def _public_objects() -> dict[int, tuple[str, object]]:
    """id -> (where it is defined, object) for every public function and class, once each."""
    found: dict[int, tuple[str, object]] = {}
    for name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if (error.name or "").split(".")[0] in OPTIONAL_IMPORTS:
                continue
            raise
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # constants, type aliases and typer apps need no example
            if id(obj) not in found:
                found[id(obj)] = (_defined_in(obj, f"{name}.{attr}"), obj)
    return found


def _defined_in(obj: object, fallback: str) -> str:
    """'wordvec/io/native.py:save_native': the file (relative to src/) and the qualified name."""
    try:
        source = Path(inspect.getsourcefile(inspect.unwrap(obj))).resolve()
        where = source.relative_to(SRC_DIR).as_posix()
    except (TypeError, ValueError):
        return fallback
    return f"{where}:{obj.__qualname__}"


def _missing_examples() -> list[str]:
    """Every public function/class whose docstring has no ``>>>`` line, sorted by file."""
    return sorted(where for where, obj in _public_objects().values() if ">>>" not in (inspect.getdoc(obj) or ""))


def _command_line(where: str) -> bool:
    return where.startswith(COMMAND_LINE)


def test_every_public_name_has_an_example():
    missing = [where for where in _missing_examples() if not _command_line(where)]
    assert not missing, (f"{len(missing)} public functions/classes have no '>>>' example in their docstring:\n"
                         + "\n".join(missing))


def test_the_check_sees_the_library_and_skips_only_the_command_line():
    """The check is not vacuous: it finds the library's public names, and the command functions it
    leaves to the README and help tests are only those of wordvec.cli."""
    wheres = [where for where, _ in _public_objects().values()]
    assert len(wheres) > 150
    assert any(w.startswith("wordvec/vectors/keyed.py:KeyedVectors") for w in wheres)
    assert {w.split(":")[0] for w in _missing_examples()} <= {w.split(":")[0] for w in wheres if _command_line(w)}


def test_the_check_finds_names_without_examples():
    """The enumeration sees re-exported names and notices a docstring without an example."""
    objects = _public_objects()
    wheres = {where for where, _ in objects.values()}
    assert "wordvec/_files.py:open_text" in wheres  # re-exported from a private module
    assert "wordvec/vectors/keyed.py:KeyedVectors" in wheres
    assert len(objects) > 200

    def undocumented():
        """No example here."""

    assert ">>>" not in inspect.getdoc(undocumented)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name, tmp_path, monkeypatch):
    if module_name in EXAMPLE_EXTRAS:
        pytest.importorskip(EXAMPLE_EXTRAS[module_name], reason=f"the examples of {module_name} need an extra")
    module = _import(module_name)
    monkeypatch.setenv("WORDVEC_CACHE_DIR", str(tmp_path / "cache"))
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = [test for test in finder.find(module, module_name) if test.examples]
    if not tests:
        return
    output: list[str] = []
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS, verbose=False)
    for number, test in enumerate(sorted(tests, key=lambda t: t.name)):
        workdir = tmp_path / str(number)  # each docstring starts in an empty directory of its own
        workdir.mkdir()
        monkeypatch.chdir(workdir)
        runner.run(test, out=output.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {module_name}:\n" + "".join(output)
