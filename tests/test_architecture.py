"""The layer table of ARCHITECTURE.md, enforced: who may import whom, and no import cycles.

Every ``import`` in ``src/wordvec`` counts, including the lazy ones inside functions (a lazy
import still ties the two modules together). The table below is the one ARCHITECTURE.md draws;
a test checks that the two agree, so the document cannot drift from the code.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path


SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "wordvec"
ARCHITECTURE_MD = Path(__file__).resolve().parents[1] / "ARCHITECTURE.md"

# Bottom to top. A module may import from its own layer or any layer below, never from above;
# within a layer the package-level graph must still be acyclic (checked separately).
LAYERS: dict[str, int] = {
    "exceptions": 1, "_files": 1, "_saving": 1, "_progress": 1, "config": 1,
    "_kernels": 2, "vocab": 2, "corpus": 2,
    "train": 3, "vectors": 3, "cooccur": 3, "distributed": 3,
    "io": 4, "evaluate": 4, "documents": 4, "models": 4, "contextual": 4,
    "viz": 5, "torch": 5, "web": 5, "demo": 5,
    "cli": 6, "__main__": 6,
}


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _exists(name: str, src: Path) -> bool:
    rel = Path(*name.split("."))
    return (src / rel).with_suffix(".py").is_file() or (src / rel / "__init__.py").is_file()


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Module -> the wordvec modules it imports (``from pkg import mod`` names the submodule)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in sorted((src / "wordvec").rglob("*.py")):
        module = _module_name(path, src)
        graph[module]  # every module is a node, even one that imports nothing
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path.name == "__init__.py", node)
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names
                                    if _exists(f"{base}.{alias.name}", src)]
            else:
                continue
            for target in targets:
                if target == "wordvec" or target.startswith("wordvec."):
                    while not _exists(target, src):  # wordvec.x.y.attr -> the module that defines it
                        target = target.rsplit(".", 1)[0]
                    if target != module:
                        graph[module].add(target)
    return graph


def unit(module: str) -> str:
    """The first name below ``wordvec`` (a subpackage or a top-level module); '' for the root."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm; the components with more than one node are the cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for source, targets in graph.items():
        if unit(source) == "":
            continue  # the root package is the facade: it re-exports lazily from every layer
        for target in sorted(targets):
            if unit(target) == "":
                bad.append(f"{source} -> {target} (the root package)")
            elif LAYERS[unit(target)] > LAYERS[unit(source)]:
                bad.append(f"{source} (layer {LAYERS[unit(source)]}) -> {target} (layer {LAYERS[unit(target)]})")
    return bad


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = defaultdict(set)
    for source, targets in graph.items():
        for target in targets:
            if unit(source) and unit(target) and unit(source) != unit(target):
                packages[unit(source)].add(unit(target))
    return packages


def test_every_unit_has_a_layer():
    units = {unit(m) for m in import_graph()} - {""}
    assert not sorted(units - set(LAYERS)), "add new subpackages to LAYERS here and in ARCHITECTURE.md"


def test_no_module_imports_from_a_higher_layer():
    bad = upward_imports(import_graph())
    assert not bad, "imports that go up the layer table:\n" + "\n".join(bad)


def test_no_import_cycle_between_modules():
    cycles = _strongly_connected(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_no_import_cycle_between_packages():
    cycles = _strongly_connected(package_graph(import_graph()))
    assert not cycles, "package cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_exceptions_and_files_import_nothing_above_them():
    graph = import_graph()
    assert graph["wordvec.exceptions"] == set()
    for module in ("wordvec.config", "wordvec._files", "wordvec._progress"):
        assert {unit(t) for t in graph.get(module, ())} <= {"exceptions"}, module
    assert {unit(t) for t in graph.get("wordvec._saving", ())} <= {"exceptions", "_files"}


def test_the_table_in_architecture_md_is_this_table():
    text = ARCHITECTURE_MD.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| ([^|]+) \|", text, flags=re.M)
    documented = {name.strip("` "): int(layer) for layer, names in rows for name in names.split(",")}
    assert documented == LAYERS


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checker_finds_lazy_upward_imports_and_cycles(tmp_path):
    # A fake tree: a lazy import from vocab (2) up to models (4), and corpus.a <-> corpus.b.
    _write(tmp_path, "wordvec/__init__.py", "")
    _write(tmp_path, "wordvec/vocab/__init__.py", "def f():\n    from wordvec.models.m import X\n")
    _write(tmp_path, "wordvec/models/__init__.py", "")
    _write(tmp_path, "wordvec/models/m.py", "from ..vocab import f\nX = 1\n")
    _write(tmp_path, "wordvec/corpus/__init__.py", "")
    _write(tmp_path, "wordvec/corpus/a.py", "from wordvec.corpus import b\n")
    _write(tmp_path, "wordvec/corpus/b.py", "def g():\n    from . import a\n")
    graph = import_graph(tmp_path)
    assert graph["wordvec.vocab"] == {"wordvec.models.m"}  # the lazy import counts
    assert graph["wordvec.models.m"] == {"wordvec.vocab"}  # relative import resolved
    assert upward_imports(graph) == ["wordvec.vocab (layer 2) -> wordvec.models.m (layer 4)"]
    assert ["wordvec.corpus.a", "wordvec.corpus.b"] in _strongly_connected(graph)
    assert ["models", "vocab"] in _strongly_connected(package_graph(graph))
