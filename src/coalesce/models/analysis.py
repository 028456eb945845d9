"""Result models of the analysis commands: frontier and power."""

from __future__ import annotations

from pydantic import Field

from coalesce.models.results import SCHEMA_VERSION, IssueSummary, Parameters, Result, SearchInfo


class FrontierPoint(Result):
    """The best architecture of one size."""

    size: int
    score: float | None = Field(description="Best total score at this size; null when no grouping fits.")
    coverage: float | None
    members: list[str]
    convener: str | None
    criteria: dict[str, float] = Field(default_factory=dict, description="Criterion scores of the best.")
    exact: bool


class FrontierResult(Result):
    """Naím's curve: the best architecture of each size, and where adding members stops paying."""

    schema_version: int = SCHEMA_VERSION
    command: str = "frontier"
    issue: IssueSummary
    parameters: Parameters
    points: list[FrontierPoint]
    magic_number: int | None = Field(
        description="The size with the best score: adding members beyond it stops paying."
    )
    reaches_target: int | None = Field(
        description="The smallest size whose best architecture holds the target share."
    )
    search: SearchInfo
    note: str | None = None


class MemberPower(Result):
    """One member's voting power under the rule, exact (as a fraction) and as a float."""

    actor: str
    name: str
    weight: float = Field(
        description="The member's weight in the rule (population, vote share, 1 for veto holders, 0)."
    )
    shapley_shubik: float
    shapley_shubik_exact: str
    banzhaf: float
    banzhaf_exact: str
    coleman_prevent: float
    coleman_prevent_exact: str
    swings: int


class PowerResult(Result):
    """Voting power of each member, and the group's power to act, under the issue's decision rule."""

    schema_version: int = SCHEMA_VERSION
    command: str = "power"
    issue: IssueSummary
    rule: str
    members: list[MemberPower]
    winning_coalitions: int
    coalitions: int
    collectivity_to_act: float
    collectivity_to_act_exact: str
    note: str
