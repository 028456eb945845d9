"""Result models of `coalesce backtest` (protocol: docs/backtest.md). Their JSON is the CLI's JSON."""

from __future__ import annotations

from pydantic import Field

from coalesce.models.results import SCHEMA_VERSION, Result


class Overlap(Result):
    """A grouping against the real core, both expanded to member states."""

    members: list[str] = Field(description="The grouping as scored units (a bloc by its code).")
    states: int = Field(description="How many member states it has once blocs are expanded.")
    jaccard: float
    precision: float
    recall: float


class MemberProbability(Result):
    """A real member's share of robustness draws whose winning core holds it (or a bloc holding it)."""

    actor: str
    probability: float


class VintageInfo(Result):
    """Which figures are as of the case year."""

    year: int
    applied: bool = Field(description="False when the vintage file has no layer for this year.")
    sessions: list[int] = Field(default_factory=list, description="UNGA sessions averaged.")
    missing: dict[str, int] = Field(
        default_factory=dict, description="States keeping today's figure, by field, for lack of one."
    )


class BacktestCase(Result):
    """One founding core against the engine and the baselines."""

    id: str
    name: str
    year: int
    real_core: list[str]
    non_state: list[str]
    conveners: list[str]
    min_size: int
    max_size: int
    weights: dict[str, float]
    recommended: Overlap | None
    recommended_convener: str | None
    baselines: dict[str, Overlap]
    real_score: float
    recommended_score: float | None
    real_rank: int | None = Field(description="Exact rank of the real core, when known.")
    real_rank_bound: str = Field(description="The rank as text: '3', '> 10' or '>= 4' (a lower bound).")
    convener_rank: int | None = Field(description="Rank of the best-ranked real convener, when known.")
    convener_rank_bound: str
    convener_chain: list[str] = Field(description="The engine's conveners for the real core, in order.")
    convener_settled: bool = Field(
        description="False when it is unknown whether a real convener is in the top 3 (the chain stopped "
        "early at a member that cannot be set aside)."
    )
    membership: list[MemberProbability]
    brier: float = Field(description="Brier score of the membership probabilities over all states.")
    auc: float | None = Field(description="AUC of real members against all other states.")
    mean_member_probability: float
    draws: int
    veto_probability: float = Field(description="The veto model's probability that the real core acts.")
    estimated_months: float
    actual_months: float | None
    months_log_error: float | None = Field(description="log(estimated / max(actual, 0.5)).")
    left_out_of_fit: str | None
    exact: bool = Field(description="Whether the proposal's search certified its top 10.")
    nodes: int
    vintage: VintageInfo


class MetricSummary(Result):
    """A mean over cases with its bootstrap interval."""

    metric: str
    label: str
    cases: int
    mean: float | None
    low: float | None
    high: float | None


class Comparison(Result):
    """The engine against one baseline: paired bootstrap of the per-case difference."""

    baseline: str
    label: str
    oracle: bool
    metric: str
    engine: float
    other: float
    difference: float
    low: float
    high: float


class FailureCase(Result):
    """A grouping that stalled, failed or was refused: what the engine says about it."""

    id: str
    name: str
    year: int
    members: list[str]
    refused: list[str]
    outcome: str
    score: float
    best_score: float | None
    rank_bound: str
    veto_probability: float
    likeliest_to_block: str | None
    refuser_named: bool = Field(description="The engine names a refusing member as likeliest to block.")
    predicts_failure: bool = Field(description="The veto model gives the grouping under 0.5 to act.")
    vintage: VintageInfo


class FailureSummary(Result):
    """How well the engine tells failed groupings from founding cores."""

    failures: int
    predicted: int = Field(description="Failed groupings with a veto probability under 0.5.")
    refuser_named: int
    mean_veto_failed: float | None
    mean_veto_founded: float | None
    auc: float | None = Field(description="AUC of the veto probability: founding cores against failures.")
    mean_score_failed: float | None = Field(description="Mean total score of the failed groupings.")
    mean_score_founded: float | None = Field(description="Mean total score of the real founding cores.")
    score_auc: float | None = Field(description="AUC of the total score: founding cores against failures.")


class AcceptanceCalibration(Result):
    """The acceptance model on signature decisions, out of sample."""

    decisions: int
    invitees: int
    signed: int
    skipped: list[str] = Field(description="Invitees without an ideal point, not scored.")
    brier_model: float | None = Field(description="Shipped parameters, group-mean text (nothing fitted).")
    brier_anchored: float | None = Field(description="Shipped parameters, text at the initiator's position.")
    brier_refit: float | None = Field(
        description="No longer computed (None): the previous model's refit, dropped with it (issue 15)."
    )
    brier_base_rate: float | None = Field(description="The leave-one-decision-out base rate.")
    difference: list[float] | None = Field(
        description="brier_model - brier_base_rate and its 95% interval (decisions resampled)."
    )
    sources: int
    scored: int | None = Field(
        default=None, description="Invitees the acceptance model scores (initiators left out)."
    )
    acceptance_loo: float | None = Field(
        default=None, description="The veto criterion's acceptance model refitted leave-one-decision-out."
    )
    acceptance_base_rate: float | None = Field(
        default=None, description="The leave-one-decision-out base rate on the same invitees."
    )
    acceptance_in_sample: float | None = Field(
        default=None, description="The shipped coefficients, in sample."
    )
    acceptance_difference: list[float] | None = Field(
        default=None,
        description="acceptance_loo - acceptance_base_rate and its 95% interval (decisions resampled).",
    )
    acceptance_by_list: dict[str, list[float]] | None = Field(
        default=None, description="Per kind of invitee list (un-members, named): [invitees, loo, base rate]."
    )
    acceptance_coefficients: dict[str, float] | None = Field(
        default=None, description="The fit on every decision: intercept and the three slopes."
    )


class TimelinessCalibration(Result):
    """The timeliness fit on the negotiations, leave-one-out."""

    negotiations: int
    mean_abs_log_error: float | None
    rmse_log: float | None
    typical_factor: float | None
    holdout: int = Field(description="Held-out negotiations (not in the fit).")
    holdout_mean_abs_log_error: float | None = Field(description="The full fit's error on the held-out ones.")
    holdout_errors: dict[str, float] = Field(description="log(predicted / actual) per held-out negotiation.")


class BacktestResult(Result):
    """The back-test report."""

    schema_version: int = SCHEMA_VERSION
    command: str = "backtest"
    protocol: str = Field(description="Where the protocol is written.")
    cases: list[BacktestCase]
    metrics: list[MetricSummary]
    comparisons: list[Comparison]
    convener_top3: int
    convener_ranked: int
    convener_undetermined: int
    failures: list[FailureCase]
    failure_summary: FailureSummary
    acceptance: AcceptanceCalibration | None
    timeliness: TimelinessCalibration
    bootstrap: dict[str, int] = Field(description="Resamples and seed.")
