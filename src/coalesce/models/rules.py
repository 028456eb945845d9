"""Decision rules: how a group decides (consensus, majorities, weighted votes, vetoes).

Each rule answers for itself what every caller asks of it: its plain-words description, how many
members must accept, each member's vote weight and who holds a veto. The exact probabilities and the
voting games are computed from those in rules.py and analysis/voting.py.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from coalesce.models.base import Frozen, GroupingId

if TYPE_CHECKING:
    from coalesce.models.world import Actor


class Rule(Frozen):
    """What every decision rule answers."""

    def describe(self) -> str:
        """The rule in plain words."""
        raise NotImplementedError

    def required(self, n: int) -> int:
        """How many of `n` members must accept (0 when the rule does not count heads)."""
        return 0

    def weight_of(self, actor: Actor) -> float:
        """A member's vote weight (1 under rules that count heads)."""
        return 1.0

    def holds_veto(self, memberships: Collection[str]) -> bool:
        """Whether a member with these memberships can block alone (beyond the count)."""
        return False


class Consensus(Rule):
    """Every member must accept."""

    kind: Literal["consensus"]

    def describe(self) -> str:
        """The rule in plain words."""
        return "consensus (any member can block)"

    def required(self, n: int) -> int:
        """Everyone."""
        return n


class Majority(Rule):
    """More than half of the members must accept."""

    kind: Literal["majority"]

    def describe(self) -> str:
        """The rule in plain words."""
        return "simple majority"

    def required(self, n: int) -> int:
        """More than half."""
        return n // 2 + 1


class QualifiedMajority(Rule):
    """At least ceil(quota * n) members must accept."""

    kind: Literal["qualified-majority"]
    quota: float = Field(gt=0.0, le=1.0)

    def describe(self) -> str:
        """The rule in plain words."""
        return f"qualified majority of {self.quota:.0%} of members"

    def required(self, n: int) -> int:
        """ceil(quota * n), at least one."""
        return max(1, math.ceil(self.quota * n - 1e-9))


class DoubleMajority(Rule):
    """EU Council style: a share of members and a share of population, with a blocking-minority floor."""

    kind: Literal["double-majority"]
    members: float = Field(default=0.55, gt=0.0, le=1.0)
    population: float = Field(default=0.65, gt=0.0, le=1.0)
    blocking_min: int = Field(default=4, ge=1)

    def describe(self) -> str:
        """The rule in plain words."""
        return (
            f"double majority ({self.members:.0%} of members and {self.population:.0%} of population; "
            f"a blocking minority needs {self.blocking_min})"
        )

    def required(self, n: int) -> int:
        """The members' share, at least one."""
        return max(1, math.ceil(self.members * n - 1e-9))


class WeightedVote(Rule):
    """IMF style: accepting members' weights must reach a quota of the group's total weight, or with
    `of: institution` of the whole institution's (the IMF's 85% of total voting power): the group then
    acts only if its accepting members alone carry the institution's vote, and an actor without a weight
    is not a member of the institution and does not sit (problem.unseated)."""

    kind: Literal["weighted"]
    field: str = Field(pattern=r"^(capabilities\.[a-z0-9-]+\.share|population_m|gdp_usd_bn)$")
    quota: float = Field(gt=0.0, le=1.0)
    of: Literal["group", "institution"] = "group"
    """Whose total weight the quota is of: the group's own, or the institution's (every state's)."""

    @model_validator(mode="after")
    def _institution_needs_shares(self) -> WeightedVote:
        if self.of == "institution" and not self.field.startswith("capabilities."):
            raise ValueError("of: institution needs a capabilities.<domain>.share field (shares of a total)")
        return self

    def describe(self) -> str:
        """The rule in plain words."""
        if self.of == "institution":
            return f"weighted vote, {self.quota:.0%} of the institution's total {self.field}"
        return f"weighted vote, {self.quota:.0%} of {self.field}"

    def weight_of(self, actor: Actor) -> float:
        """The figure the vote weighs by (0 when the actor has none)."""
        if self.field == "population_m":
            return actor.population_m or 0.0
        if self.field == "gdp_usd_bn":
            return actor.gdp_usd_bn or 0.0
        figure = actor.capabilities.get(self.field.split(".")[1])
        return figure.share if figure is not None else 0.0


class VetoQuota(Rule):
    """UN Security Council style: members holding a membership can veto; a quota of all must accept."""

    kind: Literal["veto-quota"]
    veto_membership: GroupingId
    quota: float = Field(gt=0.0, le=1.0)

    def describe(self) -> str:
        """The rule in plain words."""
        return f"{self.veto_membership} veto plus {self.quota:.0%} of members"

    def required(self, n: int) -> int:
        """ceil(quota * n), at least one."""
        return max(1, math.ceil(self.quota * n - 1e-9))

    def holds_veto(self, memberships: Collection[str]) -> bool:
        """Members of the veto grouping."""
        return self.veto_membership in memberships


class OptIn(Rule):
    """A pledge or declaration: each member signs or stays out, and nobody can block the others.

    The group acts for those who sign; the veto criterion scores the expected share of the core's
    coverage that signs (criteria/veto.py). As a voting game any single member is winning (it acts
    for itself), so no member has more power than another.
    """

    kind: Literal["opt-in"]

    def describe(self) -> str:
        """The rule in plain words."""
        return "opt-in (a non-signer stays out; nobody can block)"

    def required(self, n: int) -> int:
        """One signer suffices to act (for itself)."""
        return min(1, n)


DecisionRule = Annotated[
    Consensus | Majority | QualifiedMajority | DoubleMajority | WeightedVote | VetoQuota | OptIn,
    Field(discriminator="kind"),
]
