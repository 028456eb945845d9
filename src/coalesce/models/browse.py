"""Result models of the browsing commands: issues, actors, show, sources, validate."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from coalesce.models.base import Frozen
from coalesce.models.results import SCHEMA_VERSION, Result


class Listing(Result):
    """A titled table: what `issues`, `actors` and `sources` print."""

    schema_version: int = SCHEMA_VERSION
    command: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description="One object per row, keyed by column.")


class Detail(Result):
    """One issue or actor in full, with the sources it cites (what `show` prints)."""

    schema_version: int = SCHEMA_VERSION
    command: str = "show"
    kind: str
    id: str
    data: dict[str, Any]
    sources: list[dict[str, Any]]


class ProblemItem(Frozen):
    """One problem `validate` found, where it is and what is wrong."""

    file: str
    line: int = Field(description="1-based line; 0 when unknown.")
    column: int = Field(description="1-based column; 0 when unknown.")
    message: str
    text: str = Field(description="The problem as the line printed on stderr: file:line:col: message.")


class ValidationReport(Result):
    """What `validate` found: every problem, in one pass."""

    schema_version: int = SCHEMA_VERSION
    command: str = "validate"
    ok: bool
    checked: list[str]
    problems: list[ProblemItem] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
