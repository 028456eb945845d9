"""Decision rules: how a group decides (consensus, majorities, weighted votes, vetoes)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from coalesce.models.base import Frozen, GroupingId


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
