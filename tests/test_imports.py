"""The package's import graph has no circle, counting the imports only a type checker follows.

Read with `ast` from the source (nothing is imported): an edge A -> B for every `import` or `from ...
import` at A's module level that names B, including those under `if TYPE_CHECKING:` (a circle there
is still one layer naming the layer above it). Imports inside a function are left out: they are the
deliberate lazy ones that keep `--help` fast, run only when called. The implicit import of a parent
package's `__init__` is not an edge (as in grimp and pydeps).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from conftest import SRC

PACKAGE = SRC / "coalesce"


def package_sources() -> dict[str, tuple[str, bool]]:
    """Module name -> (its source, whether it is a package's __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = (path.read_text(encoding="utf-8"), path.name == "__init__.py")
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(body: list[ast.stmt], typing_only: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """The module-level import statements of `body`, each with whether it is under TYPE_CHECKING."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, typing_only
        elif isinstance(node, ast.If):
            yield from _imports(node.body, typing_only or _is_type_checking(node.test))
            yield from _imports(node.orelse, typing_only)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _imports(block, typing_only)
        elif isinstance(node, ast.With):
            yield from _imports(node.body, typing_only)


def import_graph(modules: dict[str, tuple[str, bool]]) -> dict[str, dict[str, bool]]:
    """Module -> {imported module: whether only under TYPE_CHECKING}."""

    def nearest(name: str) -> str | None:
        parts = name.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        return ".".join(parts) if parts else None

    graph: dict[str, dict[str, bool]] = {}
    for module, (source, is_package) in modules.items():
        package = module if is_package else module.rpartition(".")[0]
        edges: dict[str, bool] = {}
        for node, typing_only in _imports(ast.parse(source).body, False):
            if isinstance(node, ast.Import):
                targets = [nearest(alias.name) for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [nearest(f"{base}.{alias.name}") for alias in node.names]
            for target in targets:
                if target is not None and target != module:
                    edges[target] = edges.get(target, True) and typing_only
        graph[module] = edges
    return graph


def find_cycle(graph: dict[str, dict[str, bool]]) -> list[str] | None:
    """One circle as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


SAMPLE = {
    "p": ("from p import a\n", True),
    "p.a": ("import p.b.c as c\nfrom . import b\n", False),
    "p.b": ("from .c import thing\n\ndef lazy():\n    from p import a\n", True),
    "p.b.c": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.a import x\n", False),
}


def test_edges_are_read_from_every_kind_of_import_but_not_lazy_ones() -> None:
    graph = import_graph(SAMPLE)
    assert graph == {
        "p": {"p.a": False},
        "p.a": {"p.b.c": False, "p.b": False},
        "p.b": {"p.b.c": False},  # the import inside lazy() is left out
        "p.b.c": {"p.a": True},  # under TYPE_CHECKING only
    }
    assert find_cycle(graph) == ["p.a", "p.b", "p.b.c", "p.a"]


def test_the_shipped_graph_is_read_with_its_type_checking_edges() -> None:
    graph = import_graph(package_sources())
    assert len(graph) > 50
    assert graph["coalesce.criteria.registry"]["coalesce.criteria.base"] is False  # a run-time import
    assert graph["coalesce.compiled"]["coalesce.criteria.base"] is True  # under TYPE_CHECKING only


def test_a_circle_is_found_when_there_is_one() -> None:
    assert find_cycle({"a": {"b": True}, "b": {"c": False}, "c": {"a": True}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": True}, "b": {}, "c": {"a": False}}) is None


def test_the_package_imports_have_no_circle() -> None:
    cycle = find_cycle(import_graph(package_sources()))
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])
