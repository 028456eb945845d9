"""JSON Schemas of the documents coalesce reads and writes, generated from the models."""

from __future__ import annotations

import json

from coalesce.errors import UsageError


def schema_for(document: str) -> dict[str, object]:
    """The JSON Schema of `document`: output, score, states, issues or scenario."""
    from pydantic import BaseModel

    from coalesce.models.issue import IssueFile
    from coalesce.models.results import ProposeResult, ScoreResult
    from coalesce.models.scenario import Scenario
    from coalesce.models.world import World

    models: dict[str, type[BaseModel]] = {
        "output": ProposeResult,
        "score": ScoreResult,
        "states": World,
        "issues": IssueFile,
        "scenario": Scenario,
    }
    if document not in models:
        raise UsageError(f"unknown document {document!r}; choose from {', '.join(models)}")
    schema: dict[str, object] = models[document].model_json_schema(
        mode="serialization" if document in ("output", "score") else "validation"
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(document: str) -> str:
    """The schema as indented JSON."""
    return json.dumps(schema_for(document), indent=2, sort_keys=True) + "\n"
