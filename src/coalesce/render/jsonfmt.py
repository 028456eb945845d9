"""JSON: one document, deterministic, valid for jq. The models' JSON is the CLI's JSON."""

from __future__ import annotations

from pydantic import BaseModel


def render(result: BaseModel) -> str:
    """The result as indented JSON with a trailing newline."""
    return result.model_dump_json(indent=2) + "\n"
