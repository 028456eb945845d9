"""Golden files: the exact table, markdown and JSON output of `propose` and `score` on the tiny world.

The CLI runs through its entry point in-process (conftest.run_cli) with a pinned terminal (COLUMNS=100,
NO_COLOR=1, TERM=dumb, non-terminal UTF-8 streams) from the repository root, with the data directory
given as a relative path. Any change to the output shows up as
a diff against tests/golden/. When the change is intended, regenerate and review the diff:

    UPDATE_GOLDEN=1 PYTHONPATH=src python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
DATA = "tests/examples/worlds/tiny"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
EXTENSIONS = {"table": "txt", "markdown": "md", "json": "json"}
COMMANDS = {
    "propose-chips": ["propose", "chips"],
    "score-chips-usa-nor-nld": ["score", "chips", "USA,NOR,NLD"],
}


def _run(args: list[str]) -> str:
    code, out, err = run_cli(*args, width=100, env={"TERM": "dumb"})
    assert code == 0, err
    assert err == ""
    return out


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_golden(name: str, fmt: str) -> None:
    path = GOLDEN / f"{name}.{EXTENSIONS[fmt]}"
    actual = _run([*COMMANDS[name], "--data", DATA, "--format", fmt])
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.is_file(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path.name} differs; if the change is intended, regenerate with UPDATE_GOLDEN=1"
    )


def test_golden_json_matches_the_published_schemas() -> None:
    for name, document in (("propose-chips", "output"), ("score-chips-usa-nor-nld", "score")):
        schema = json.loads(_run(["schema", document]))
        jsonschema.Draft202012Validator(schema).validate(
            json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
        )


def test_golden_table_respects_the_pinned_width() -> None:
    for name in COMMANDS:
        text = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
        assert max(len(line) for line in text.splitlines()) <= 100
        assert "\x1b[" not in text
