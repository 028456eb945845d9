"""Result models of the analysis commands: frontier and power."""

from __future__ import annotations

from pydantic import Field

from coalesce.models.backtest import (
    BacktestResult as BacktestResult,  # re-exported: moved to models/backtest.py
)
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


class ArchitectureShare(Result):
    """How often one core won across the draws."""

    members: list[str]
    count: int
    share: float


class Share(Result):
    """An actor's share of draws (in the winning core, or as convener)."""

    actor: str
    name: str
    share: float


class RobustnessResult(Result):
    """How the winner moves when weights and figures move within their stated uncertainty."""

    schema_version: int = SCHEMA_VERSION
    command: str = "robustness"
    issue: IssueSummary
    parameters: Parameters
    draws: int
    seed: int
    concentration: float = Field(description="Dirichlet concentration of the weight draws.")
    workers: int = Field(
        exclude=True,
        description="Processes used; kept out of the JSON, which must not depend on the machine's cores.",
    )
    baseline: list[str] = Field(description="The winner with the data and weights as given.")
    baseline_share: float = Field(description="Share of draws in which the baseline winner still wins.")
    baseline_exact: bool = Field(
        default=True, description="Whether the baseline winner was certified (false: the best found)."
    )
    first_place: list[ArchitectureShare] = Field(
        description="Each winning core with its share of draws; shares sum to 1."
    )
    membership: list[Share] = Field(description="Each actor's probability of being in the winning core.")
    conveners: list[Share]
    exact_draws: int = Field(description="Draws whose winner was certified by the exact search.")
    largest_gap: float = Field(
        default=0.0,
        description="Over the draws not certified, the most by which another core could beat the reported "
        "winner (0 when every draw is certified).",
    )


class RankChange(Result):
    """Where one of the baseline's top cores stands under the scenario."""

    members: list[str]
    baseline_rank: int
    scenario_rank: int | None = Field(description="Its rank in the scenario's top list; null if it fell out.")
    baseline_score: float
    scenario_score: float | None = Field(
        description="Its score under the scenario; null if it is no longer allowed."
    )


class ScenarioComparison(Result):
    """One scenario against the baseline."""

    scenario: str
    description: str
    top: list[list[str]] = Field(description="The scenario's top cores, best first.")
    scores: list[float]
    rank_changes: list[RankChange]
    criteria_delta: dict[str, float] = Field(
        description="Scenario winner minus baseline winner, per criterion."
    )
    score_delta: float | None
    entered: list[str] = Field(description="Actors in the scenario winner's core but not the baseline's.")
    left: list[str] = Field(description="Actors in the baseline winner's core but not the scenario's.")
    convener_before: str | None
    convener_after: str | None
    tracks_before: list[list[str]]
    tracks_after: list[list[str]]


class CompareResult(Result):
    """Baseline against each scenario."""

    schema_version: int = SCHEMA_VERSION
    command: str = "compare"
    issue: IssueSummary
    baseline_top: list[list[str]]
    baseline_scores: list[float]
    comparisons: list[ScenarioComparison]


class SweepPoint(Result):
    """The winner at one value of the varied parameter."""

    value: float
    members: list[str]
    score: float | None
    convener: str | None


class TippingPoint(Result):
    """Where the winner changes, located by bisection to within `tolerance`."""

    below: float = Field(description="A value at which the winner is `before`.")
    above: float = Field(description="A value at which the winner is `after`.")
    before: list[str]
    after: list[str]


class SweepResult(Result):
    """How the winner changes along one parameter."""

    schema_version: int = SCHEMA_VERSION
    command: str = "sweep"
    issue: IssueSummary
    path: str
    start: float
    stop: float
    steps: int
    points: list[SweepPoint]
    tipping_points: list[TippingPoint]
    tolerance: float
