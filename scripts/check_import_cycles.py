#!/usr/bin/env python3
"""Report import cycles in src/coalesce, from the source (no import is executed).

Usage (from the repository root): python scripts/check_import_cycles.py [src/coalesce]

Two graphs: module-level runtime imports, and the same plus the imports under `if TYPE_CHECKING:`
(annotations only). Imports inside functions are left out (they run after every module is loaded).
`from pkg import submodule` inside `pkg` counts as an edge to the submodule only. Exit 1 if the runtime
graph has a cycle.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _edges(name: str, path: Path, modules: dict[str, Path], typing_too: bool) -> set[str]:
    out: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == (
                "TYPE_CHECKING"
            ):
                if typing_too:
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coalesce"):
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules]
                out.update(subs)
                if len(subs) < len(node.names) or not name.startswith(node.module + "."):
                    out.add(node.module)
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names if a.name.startswith("coalesce"))
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {m for m in out if m in modules and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return cycles


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "src/coalesce")
    modules = _modules(root)
    runtime_cycles = 0
    for label, typing_too in (("runtime (module level)", False), ("with TYPE_CHECKING imports", True)):
        graph = {n: _edges(n, p, modules, typing_too) for n, p in modules.items()}
        cycles = _cycles(graph)
        runtime_cycles = runtime_cycles or (0 if typing_too else len(cycles))
        edges = sum(len(v) for v in graph.values())
        print(f"{label}: {len(modules)} modules, {edges} edges, {len(cycles)} cycles")
        for cycle in cycles:
            print("   " + " -> ".join(cycle))
    return 1 if runtime_cycles else 0


if __name__ == "__main__":
    sys.exit(main())
