"""The house rules of docs/architecture.md, read from the code: every import (top-level, inside a
function, or under TYPE_CHECKING) goes to a lower layer or stays inside its own package, and no set of
modules imports itself round. No server, no import of the project: the sources are parsed, not run."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.helpers import ROOT

# Lowest first. A module may import its own layer's modules (without a circle) and any lower layer.
# docs/architecture.md states the same table in words; change both together.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "graph_loader.errors",
        "graph_loader.models",
        "graph_loader.config",
        "graph_loader.progress",
        "graph_loader.seen",
        "graph_loader.records",
        "graph_loader.data",
    ),
    ("graph_loader.text", "graph_loader.fetch"),
    ("graph_loader.normalize",),
    ("graph_loader.extract",),
    ("graph_loader.graph",),
    ("graph_loader.server", "graph_loader.stored_queries"),
    ("graph_loader.load",),
    ("graph_loader.engines", "graph_loader.export"),
    ("api.cypher",),
    ("api.graphql",),
    ("api.web",),
    ("graph_loader.cli",),
)
PACKAGES = ("graph_loader", "api")


def _unit(module: str) -> tuple[int, str] | None:
    """(layer, unit) of a project module: the longest unit name it falls under."""
    best: tuple[int, str] | None = None
    for rank, units in enumerate(LAYERS):
        for unit in units:
            if (module == unit or module.startswith(unit + ".")) and (
                best is None or len(unit) > len(best[1])
            ):
                best = (rank, unit)
    return best


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(module: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """Every project module `module` imports, with the line: `from a.b import c` names a.b.c when
    that is a module, else a.b."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield (candidate if candidate in known else base), node.lineno


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    modules = _modules()
    known = set(modules)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    problems: list[str] = []
    for module, path in modules.items():
        for target, line in _imports(module, path, known):
            if target not in known or target == module:
                continue
            edges[module].add(target)
            here, there = _unit(module), _unit(target)
            if here is None or there is None:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {module} or {target} is in no layer")
            elif there[1] != here[1] and there[0] >= here[0]:
                problems.append(
                    f"{path.relative_to(ROOT)}:{line}: {module} (layer {here[0]}, {here[1]}) imports "
                    f"{target} (layer {there[0]}, {there[1]}): not a lower layer"
                )
    return edges, problems


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
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

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_every_import_goes_down_the_layers() -> None:
    _, problems = _graph()
    assert problems == []


def test_no_import_circle() -> None:
    edges, _ = _graph()
    assert _circles(edges) == []


def test_every_module_has_a_layer() -> None:
    assert [m for m in _modules() if m not in PACKAGES and _unit(m) is None] == []


def test_the_rule_sees_a_violation() -> None:
    """The checker itself: an upward import and a circle are reported."""
    assert _unit("graph_loader.normalize.reasons.rules") == (2, "graph_loader.normalize")
    assert _circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_package_tops_stay_small() -> None:
    """At most 8 modules directly in graph_loader/ and api/, and no module over 450 lines."""
    for package in PACKAGES:
        assert len(list((ROOT / package).glob("*.py"))) <= 8, package
    long = {
        str(p.relative_to(ROOT)): n
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long == {}


def test_architecture_doc_names_every_package_and_module() -> None:
    """docs/architecture.md draws the layout: every package and every module of the code is named there."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for module, path in _modules().items():
        name = path.parent.name if path.name == "__init__.py" else path.stem
        if not re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", doc):
            missing.append(module)
    assert missing == [], "name these in docs/architecture.md"
