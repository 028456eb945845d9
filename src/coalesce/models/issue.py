"""Issues: the problem to organise around, its decision rule, and the criterion weights."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from coalesce.models.base import ActorCode, Frozen, GroupingId, Identifier, NonNegative, Unit

CRITERIA = ("capability", "parsimony", "expertise", "veto", "timeliness", "rivals")
"""The six criterion names: keys of `--weight` and of the JSON output."""


MAX_WEIGHT = 1e6
"""Weights are relative; a bound keeps their total finite."""
Weight = Annotated[float, Field(ge=0.0, le=MAX_WEIGHT, allow_inf_nan=False)]


class Weights(Frozen):
    """Relative importance of the six criteria; the total is their weighted mean."""

    capability: Weight = 1.0
    parsimony: Weight = 1.0
    expertise: Weight = 1.0
    veto: Weight = 1.0
    timeliness: Weight = 1.0
    rivals: Weight = 1.0

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("at least one criterion weight must be positive")
        return self

    def as_dict(self) -> dict[str, float]:
        """The weights keyed by criterion name, in the canonical order."""
        return {name: float(getattr(self, name)) for name in CRITERIA}


class Consensus(Frozen):
    """Every member must accept."""

    kind: Literal["consensus"]


class Majority(Frozen):
    """More than half of the members must accept."""

    kind: Literal["majority"]


class QualifiedMajority(Frozen):
    """At least ceil(quota * n) members must accept."""

    kind: Literal["qualified-majority"]
    quota: float = Field(gt=0.0, le=1.0)


class DoubleMajority(Frozen):
    """EU Council style: a share of members and a share of population, with a blocking-minority floor."""

    kind: Literal["double-majority"]
    members: float = Field(default=0.55, gt=0.0, le=1.0)
    population: float = Field(default=0.65, gt=0.0, le=1.0)
    blocking_min: int = Field(default=4, ge=1)


class WeightedVote(Frozen):
    """IMF style: accepting members' weights must reach a quota of the group's total weight."""

    kind: Literal["weighted"]
    field: str = Field(pattern=r"^(capabilities\.[a-z0-9-]+\.share|population_m|gdp_usd_bn)$")
    quota: float = Field(gt=0.0, le=1.0)


class VetoQuota(Frozen):
    """UN Security Council style: members holding a membership can veto; a quota of all must accept."""

    kind: Literal["veto-quota"]
    veto_membership: GroupingId
    quota: float = Field(gt=0.0, le=1.0)


DecisionRule = Annotated[
    Consensus | Majority | QualifiedMajority | DoubleMajority | WeightedVote | VetoQuota,
    Field(discriminator="kind"),
]


class Justification(Frozen):
    """A one-line reason for each issue parameter."""

    domains: str | None = None
    target: str | None = None
    rivals: str | None = None
    expertise: str | None = None
    decision_rule: str | None = None
    deadline_months: str | None = None
    size: str | None = None
    weights: str | None = None
    exclude: str | None = None


class Issue(Frozen):
    """A problem to organise a coalition around."""

    id: Identifier
    title: str = Field(min_length=1)
    summary: str = ""
    domains: dict[Identifier, NonNegative] = Field(min_length=1)
    target: Unit
    rivals: list[list[ActorCode]] = Field(default_factory=list)
    exclude: list[ActorCode] = Field(default_factory=list)
    """Actors the issue itself rules out (the target of export controls, the supplier to be replaced):
    they sit in no core, convene nothing and join no track."""
    expertise: list[Identifier] = Field(default_factory=list)
    decision_rule: DecisionRule = Field(default_factory=lambda: Consensus(kind="consensus"))
    deadline_months: float = Field(gt=0.0, le=600.0)
    min_size: int = Field(default=1, ge=1, le=200)
    max_size: int = Field(default=12, ge=1, le=200)
    weights: Weights = Field(default_factory=Weights)
    justification: Justification = Field(default_factory=Justification)
    sources: list[Identifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sizes(self) -> Issue:
        if self.min_size > self.max_size:
            raise ValueError(f"min_size {self.min_size} is above max_size {self.max_size}")
        if sum(self.domains.values()) <= 0:
            raise ValueError("domain weights must not all be zero")
        if self.target <= 0:
            raise ValueError("target must be above 0")
        return self


class ModelParameters(Frozen):
    """Parameters of the criteria; docs/model.md gives each one's meaning and basis."""

    acceptance_sigma: float = Field(default=1.5, gt=0.0, le=10.0)
    """Width of a member's acceptance curve in ideal-point units."""
    baseline_defection: float = Field(default=0.02, ge=0.0, lt=1.0)
    """Probability that even a perfectly aligned member opposes, for domestic reasons."""
    track_credit: Unit = 0.5
    """Credit for a key rival engaged through a rival track instead of the core."""
    passenger_coverage: Unit = 0.01
    """A member whose removal costs less coverage than this (and plays no other role) is a passenger."""
    timeliness_intercept: float = Field(default=0.0, ge=-20.0, le=20.0, allow_inf_nan=False)
    """log-months at one party and zero spread (fitted; see docs/model.md)."""
    timeliness_size_elasticity: float = Field(default=0.5, ge=0.0, le=10.0, allow_inf_nan=False)
    """>= 0: the search's bounds rely on larger groups never agreeing faster."""
    timeliness_spread_coefficient: float = Field(default=0.3, ge=0.0, le=10.0, allow_inf_nan=False)
    """>= 0: the search's bounds rely on wider groups never agreeing faster."""
    timeliness_residual_sd: float = Field(default=0.8, gt=0.0, le=10.0, allow_inf_nan=False)
    expertise_convener_share: Unit = 0.5
    """Part of the expertise score that is the convener's quality (the rest is members' tag coverage)."""


class IssueFile(Frozen):
    """The contents of issues.yaml."""

    schema_version: Literal[1] = 1
    model: ModelParameters = Field(default_factory=ModelParameters)
    sources: list[object] = Field(default_factory=list)
    issues: list[Issue]
