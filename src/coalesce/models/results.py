"""Result models: what `propose`, `score` and friends return. Their JSON is the CLI's JSON.

Fields are only ever added, never renamed (SPEC). `schema_version` is bumped only for a breaking change.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class Result(BaseModel):
    """Base of result models: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    # Not "forbid": the output's JSON Schema must let later versions add fields (SPEC: only ever added).

    # Notebooks (SPEC): drawn by the html backend, imported here, not at the top (render imports models).
    def _repr_html_(self) -> str | None:
        """The result as a notebook shows it: its layout drawn as html (None for a part of a result)."""
        from coalesce.render.notebook import html_fragment

        return html_fragment(self)

    def to_frame(self) -> Any:
        """The result's main table as a pandas DataFrame (needs pandas: the `notebook` extra)."""
        from coalesce.render.notebook import frame

        return frame(self)


class CriterionResult(Result):
    """One criterion's verdict on an architecture."""

    score: float = Field(description="The criterion's score in [0, 1].")
    weight: float = Field(description="The criterion's weight as configured (issue, scenarios, flags).")
    contribution: float = Field(
        description="weight * score / sum of weights: the share of the total it supplies."
    )
    rationale: str = Field(description="Why, in plain language.")
    sources: list[str] = Field(
        default_factory=list, description="Ids of the sources behind the figures used."
    )
    details: dict[str, Any] = Field(default_factory=dict, description="Figures behind the score.")


class TrackResult(Result):
    """A separate bilateral or trilateral channel that engages key rivals left out of the core."""

    kind: str
    members: list[str]
    convener: str | None
    rationale: str


class ExpansionStep(Result):
    """One rung of the expansion ladder: who to invite next and what each brings."""

    step: int
    invite: str
    name: str
    score_after: float
    delta: float = Field(description="Change in the total score.")
    criteria_delta: dict[str, float] = Field(description="Change in each criterion's score.")
    reason: str


class Recommendation(Result):
    """An architecture: a core, its convener, its rival tracks and its expansion ladder, with reasons."""

    rank: int | None = Field(description="1 for the best; null when the grouping was scored, not ranked.")
    score: float
    members: list[str] = Field(description="Sorted ISO3 codes (a bloc by its code, e.g. EU).")
    names: list[str]
    convener: str | None
    tracks: list[TrackResult]
    criteria: dict[str, CriterionResult]
    expansion: list[ExpansionStep]
    passengers: list[str] = Field(default_factory=list)
    coverage: float = Field(description="Share of weighted world capability the members hold.")
    expected_months: float


class IssueSummary(Result):
    """The issue as it was used (after scenarios)."""

    id: str
    title: str
    decision_rule: str
    target: float
    deadline_months: float
    domains: dict[str, float]
    rivals: list[list[str]]
    exclude: list[str] = Field(default_factory=list, description="Actors the issue rules out.")
    expertise: list[str]


class SearchInfo(Result):
    """How the search went."""

    exact: bool = Field(description="True only when optimality of the whole top-K is proven.")
    gap: float = Field(description="Largest open bound minus the K-th best score; 0 when exact.")
    nodes: int
    seconds: float | None = Field(
        default=None,
        description="Wall time of the search; only with --timing, so that output stays byte-identical.",
    )
    time_limit: float | None = None
    stopped_by: Literal["work budget", "time limit"] | None = Field(
        default=None,
        description="Why an inexact search stopped: its deterministic work budget (the same on every "
        "machine) or the --time-limit the user set (then the output may differ between runs).",
    )
    candidates: int = 0
    skipped: list[str] = Field(
        default_factory=list, description="Actors left out for lack of an alignment figure."
    )


class Parameters(Result):
    """The request, after scenarios and flags."""

    min_size: int
    max_size: int
    top: int
    include: list[str]
    exclude: list[str]
    weights: dict[str, float]
    scenarios: list[str] = Field(default_factory=list)
    sets: dict[str, Any] = Field(default_factory=dict)


class ProposeResult(Result):
    """Ranked recommendations for an issue."""

    schema_version: int = SCHEMA_VERSION
    command: str = "propose"
    issue: IssueSummary
    parameters: Parameters
    search: SearchInfo
    recommendations: list[Recommendation]
    note: str | None = Field(
        default=None, description="Why the list is empty or shorter than asked, if it is."
    )


class Move(Result):
    """A single change to a grouping and its effect."""

    actor: str
    name: str
    score_after: float
    delta: float


class Advice(Result):
    """What to change about a scored grouping."""

    best_addition: Move | None
    best_removal: Move | None
    rank: int | None = Field(description="Rank among all groupings within the size limits, when known.")
    rank_note: str


class ScoreResult(Recommendation):
    """`coalesce score`: the shape of one recommendation, plus the issue, the request and advice."""

    schema_version: int = SCHEMA_VERSION
    command: str = "score"
    issue: IssueSummary
    parameters: Parameters
    advice: Advice
