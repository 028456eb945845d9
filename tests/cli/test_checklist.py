"""docs/cli.md's "Issue 17 checklist" names real tests: every `file::test` (and `::test` after it, in
the same file) is a test function in that file, so the table cannot point at a test that is gone."""

from __future__ import annotations

import ast
import re

from conftest import ROOT


def _references() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    table = text.split("## Issue 17 checklist", 1)[1]
    found: list[tuple[str, str]] = []
    for line in table.splitlines():
        if not line.startswith("|"):
            continue
        current = None
        for match in re.finditer(r"([\w/]+\.py)?::(\w+)", line.split("|")[2]):
            current = match.group(1) or current
            assert current is not None, line
            found.append((current, match.group(2)))
    return found


def test_the_checklist_names_only_tests_that_exist() -> None:
    references = _references()
    assert len(references) >= 60, references
    for path, name in references:
        source = (ROOT / "tests" / path).read_text(encoding="utf-8")
        functions = {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
        assert name in functions, f"docs/cli.md names tests/{path}::{name}, which does not exist"
