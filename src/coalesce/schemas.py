"""JSON Schemas of the documents coalesce reads and writes, generated from the models (pydantic's
`model_json_schema`): every command's `--format json` output, and the input files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coalesce.errors import UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

INPUTS = ("states", "issues", "scenario")
"""Documents coalesce reads: states.yaml, issues.yaml, scenario files."""
OUTPUTS: dict[str, str] = {
    "output": "propose",
    "propose": "propose",
    "score": "score",
    "listing": "issues, actors, sources, scenarios and score --batch",
    "show": "show",
    "validate": "validate",
    "frontier": "frontier",
    "power": "power",
    "compare": "compare",
    "robustness": "robustness",
    "sweep": "sweep",
    "backtest": "backtest",
}
"""Output documents, by name, with the commands whose `--format json` prints each (`output` is the
older name of `propose`)."""
COMMAND_DOCUMENT: dict[str, str] = {
    "propose": "propose",
    "score": "score",
    "score --batch": "listing",
    "issues": "listing",
    "actors": "listing",
    "sources": "listing",
    "scenarios": "listing",
    "show": "show",
    "validate": "validate",
    "frontier": "frontier",
    "power": "power",
    "compare": "compare",
    "robustness": "robustness",
    "sweep": "sweep",
    "backtest": "backtest",
}
"""The schema of each command's JSON output (`schema` prints JSON Schema itself)."""


def _models() -> dict[str, type[BaseModel]]:
    from coalesce.models.analysis import (
        CompareResult,
        FrontierResult,
        PowerResult,
        RobustnessResult,
        SweepResult,
    )
    from coalesce.models.backtest import BacktestResult
    from coalesce.models.browse import Detail, Listing, ValidationReport
    from coalesce.models.issue import IssueFile
    from coalesce.models.results import ProposeResult, ScoreResult
    from coalesce.models.scenario import Scenario
    from coalesce.models.world import World

    return {
        "output": ProposeResult,
        "propose": ProposeResult,
        "score": ScoreResult,
        "listing": Listing,
        "show": Detail,
        "validate": ValidationReport,
        "frontier": FrontierResult,
        "power": PowerResult,
        "compare": CompareResult,
        "robustness": RobustnessResult,
        "sweep": SweepResult,
        "backtest": BacktestResult,
        "states": World,
        "issues": IssueFile,
        "scenario": Scenario,
    }


def documents() -> list[str]:
    """Every document name `schema_for` takes."""
    return [*OUTPUTS, *INPUTS]


def schema_for(document: str) -> dict[str, object]:
    """The JSON Schema of `document`: a command's output (see OUTPUTS) or an input (states, issues,
    scenario)."""
    models = _models()
    if document not in models:
        import difflib

        close = difflib.get_close_matches(document, list(models), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise UsageError(
            f"unknown document {document!r}; {hint}choose from {', '.join(documents())} (or list)"
        )
    schema: dict[str, object] = models[document].model_json_schema(
        mode="validation" if document in INPUTS else "serialization"
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(document: str) -> str:
    """The schema as indented JSON; `list` gives the documents and the commands that print each."""
    if document == "list":
        listing = {
            "outputs": {name: OUTPUTS[name] for name in OUTPUTS},
            "inputs": {"states": "states.yaml", "issues": "issues.yaml", "scenario": "a scenario file"},
        }
        return json.dumps(listing, indent=2) + "\n"
    return json.dumps(schema_for(document), indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class SchemaView:
    """A schema (or the `list` of documents) for the human formats: markdown, table and html draw its
    properties and then the schema itself, exactly as `--format json` prints it."""

    document: str
    text: str
    schema: dict[str, object] = field(default_factory=dict)
    command: str = "schema"
    """Named in the usage error of a format a schema has no drawing in (csv)."""


def schema_view(document: str) -> SchemaView:
    """The schema of `document` (or the `list`) with its JSON text."""
    text = schema_text(document)
    return SchemaView(document, text, json.loads(text))
