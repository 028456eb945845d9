"""Golden files: the exact table, markdown and JSON output of `propose` and `score` on the tiny world.

The CLI runs in a fresh process with a pinned terminal (COLUMNS=100, NO_COLOR=1, TERM=dumb) from the
repository root, with the data directory given as a relative path. Any change to the output shows up as
a diff against tests/golden/. When the change is intended, regenerate and review the diff:

    UPDATE_GOLDEN=1 PYTHONPATH=src python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

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
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "LINES")}
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "COLUMNS": "100",
            "NO_COLOR": "1",
            "TERM": "dumb",
            "PYTHONIOENCODING": "utf-8",
        }
    )
    proc = subprocess.run(
        [sys.executable, "-m", "coalesce", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


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
