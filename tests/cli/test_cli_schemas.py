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
    "backtest": ["backtest", "--case", "depa-2020", "--data", str(DATA)],
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


def _fenced_json(markdown: str) -> object:
    return json.loads(markdown.split("```json\n", 1)[1].split("\n```", 1)[0])


@pytest.mark.parametrize("document", ["propose", "scenario", "list"])
def test_human_formats_show_the_properties_and_the_schema_itself(document: str) -> None:
    exact = json.loads(run("schema", document).out)
    markdown = run("schema", document, "--format", "markdown")
    assert markdown.code == 0, markdown.err
    assert document == "list" or _fenced_json(markdown.out) == exact
    html = run("schema", document, "--format", "html")
    assert html.code == 0 and html.out.startswith("<!DOCTYPE html>"), html.err
    table = run("schema", document, "--format", "table")
    assert table.code == 0, table.err
    if document == "list":
        assert "| backtest | output | backtest |" in markdown.out and "scenario" in table.out
        return
    import html as html_module

    pre = html.out.split("<pre><code>", 1)[1].split("</code></pre>", 1)[0]
    assert json.loads(html_module.unescape(pre)) == exact  # the page carries the schema exactly
    for prop in exact["properties"]:  # type: ignore[index]
        assert f"| {prop} |" in markdown.out and f'<td class="id">{prop}</td>' in html.out
    assert "| recommendations | array of Recommendation | yes |" in markdown.out or document != "propose"


def test_global_format_applies_to_schema() -> None:
    outcome = run("--format", "markdown", "schema", "score")
    assert outcome.code == 0 and outcome.out.startswith("# JSON Schema: score"), outcome.out[:80]


def test_csv_of_a_schema_is_a_usage_error() -> None:
    outcome = run("schema", "propose", "--format", "csv")
    assert outcome.code == 2 and outcome.out == ""
    assert outcome.err.count("\n") == 1 and "--format csv" in outcome.err and "schema" in outcome.err
