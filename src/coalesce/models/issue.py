"""Issues: the problem to organise around, its decision rule, and the criterion weights.

The weights and model-parameter models are derived from the criteria registry; the decision rules
live in models/rules.py. Both are re-exported here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from coalesce.criteria.registry import MAX_WEIGHT, NAMES, ModelParameters, Weight, Weights
from coalesce.models.base import ActorCode, Frozen, Identifier, NonNegative, Unit
from coalesce.models.rules import (
    Consensus,
    DecisionRule,
    DoubleMajority,
    Majority,
    QualifiedMajority,
    VetoQuota,
    WeightedVote,
)

CRITERIA = NAMES
"""The criterion names, derived from the registry (kept here for older imports)."""

__all__ = [
    "CRITERIA",
    "MAX_WEIGHT",
    "Consensus",
    "DecisionRule",
    "DoubleMajority",
    "Issue",
    "IssueFile",
    "Justification",
    "Majority",
    "ModelParameters",
    "QualifiedMajority",
    "VetoQuota",
    "Weight",
    "WeightedVote",
    "Weights",
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


class IssueFile(Frozen):
    """The contents of issues.yaml."""

    schema_version: Literal[1] = 1
    model: ModelParameters = Field(default_factory=ModelParameters)
    sources: list[object] = Field(default_factory=list)
    issues: list[Issue]
