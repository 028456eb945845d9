"""Every command's JSON output has a JSON Schema, and the output validates against it (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import DATA, TINY, run

from coalesce.schemas import COMMAND_DOCUMENT, documents, schema_for

T = str(TINY)
RUNS: dict[str, list[str]] = {
    "propose": ["propose", "chips", "--data", T],
    "score": ["score", "chips", "USA,NOR", "--data", T],
    "issues": ["issues", "--data", T],
    "actors": ["actors", "--data", T],
    "sources": ["sources", "--data", T],
    "scenarios": ["scenarios"],
    "show": ["show", "NOR", "--data", T],
    "validate": ["validate", "--data", T],
    "frontier": ["frontier", "chips", "--max-size", "3", "--data", T],
    "power": ["power", "chips", "USA,NOR,NLD", "--data", T],
    "compare": ["compare", "chips", "--scenario", "china-walks-out", "--top", "2", "--data", T],
    "robustness": ["robustness", "chips", "--draws", "20", "--workers", "1", "--data", T],
    "sweep": ["sweep", "chips", "--vary", "weights.veto=0..2", "--steps", "2", "--data", T],
    "backtest": ["backtest", "--case", "chip-tools-2023", "--data", str(DATA)],
}


def test_every_command_that_prints_json_is_covered() -> None:
    from coalesce.cli import app

    named = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}  # type: ignore[union-attr]
    assert named - {"schema"} == {c for c in COMMAND_DOCUMENT if " " not in c}
    assert set(RUNS) | {"score --batch"} == set(COMMAND_DOCUMENT)


@pytest.mark.parametrize("document", documents())
def test_each_schema_is_valid_json_schema(document: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema_for(document))
    outcome = run("schema", document)
    assert outcome.code == 0 and json.loads(outcome.out) == json.loads(json.dumps(schema_for(document)))


@pytest.mark.parametrize("command", sorted(RUNS))
def test_the_output_validates_against_its_schema(command: str) -> None:
    outcome = run(*RUNS[command], "--format", "json")
    assert outcome.code == 0, outcome.err
    payload = json.loads(outcome.out)
    jsonschema.Draft202012Validator(schema_for(COMMAND_DOCUMENT[command])).validate(payload)


def test_batch_output_validates_against_the_listing_schema(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("USA,NOR\nNLD,JPN\n", encoding="utf-8")
    outcome = run("score", "chips", "--batch", str(path), "--format", "json", "--data", T)
    assert outcome.code == 0, outcome.err
    jsonschema.Draft202012Validator(schema_for(COMMAND_DOCUMENT["score --batch"])).validate(
        json.loads(outcome.out)
    )


def test_an_unknown_document_is_a_usage_error_with_a_suggestion() -> None:
    outcome = run("schema", "froniter")
    assert outcome.code == 2 and "did you mean frontier?" in outcome.err
    listed = json.loads(run("schema", "list").out)
    assert set(listed["outputs"]) | set(listed["inputs"]) == set(documents())
