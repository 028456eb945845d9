"""The shapes the kernel reads: what a criterion, the convener model and a node see of a compiled problem.

The criteria are registered in `criteria.registry`, which `models.issue` (the issue's `Weights`) and
`compiled` (each criterion's arrays) import; so the criteria, `architecture` and `coalition` cannot name
`compiled.Context` or `models.issue.Issue` without an import circle, even one only a type checker
follows. They name the protocols here instead, which list every attribute they read; the concrete
`Context` and `Issue` satisfy them structurally (mypy checks it where one is passed). The plain records
the context holds (`Constraints`, `SharedParameters`, `ConvenerModel`, `Track`) live here for the same
reason. This module imports only the data models, never a module above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pydantic import Field

from coalesce.models.base import Frozen, Unit

if TYPE_CHECKING:
    from coalesce.loading.alignment import AlignmentData
    from coalesce.models.alignment import VoteCategoryId
    from coalesce.models.rules import DecisionRule
    from coalesce.models.world import Actor, World

__all__ = [
    "Aggregator",
    "Constraints",
    "ContextView",
    "ConvenerModel",
    "IssueView",
    "SharedParameters",
    "Track",
]


@dataclass(frozen=True)
class Constraints:
    """What the user asked of the search: sizes, forced and forbidden members, weights."""

    min_size: int
    max_size: int
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    """Criterion weights after issue, scenarios and flags, in registry order."""


class SharedParameters(Frozen):
    """Parameters read by the kernel (conveners, the parsimony yardstick) and by several criteria."""

    acceptance_sigma: float = Field(default=1.5, gt=0.0, le=10.0)
    """Width of a member's acceptance curve in ideal-point units."""
    baseline_defection: float = Field(default=0.02, ge=0.0, lt=1.0)
    """Probability that even a perfectly aligned member opposes, for domestic reasons."""
    passenger_coverage: Unit = 0.01
    """A member whose removal costs less coverage than this (and plays no other role) is a passenger."""


@dataclass(frozen=True)
class ConvenerModel:
    """Per-issue arrays of the convener model (compiled once per context)."""

    agreement: Sequence[Sequence[float]]
    """Per pair, agreement in the issue's vote categories in [0, 1] (1 on the diagonal); NaN = missing."""
    palatability: tuple[float, ...]
    """Palatability over every rivalry (the figure shown as neutrality; the quality reads only the
    rivalries seated in the core)."""
    capacity: tuple[float, ...]
    components: tuple[dict[str, float], ...]
    """Per actor, the capacity figures it has (network, mediation, stake, fit)."""
    static: tuple[float, ...]
    """capacity: the part of the quality that does not depend on the core, and a bound on the quality's
    product (acceptability and palatability are at most 1)."""
    categories: tuple[VoteCategoryId, ...]
    source: str
    """'votes' (the issue's UN vote categories) or 'ideal points' (no alignment data)."""
    tracks: tuple[Track | None, ...] = ()
    """Per rivalry, its track (None: no seats or no convener), whatever the core."""
    rivalry_palatability: tuple[tuple[float, ...], ...] = ()
    """Per rivalry, each actor's palatability to its rivals (great-power discount included): counted
    for a core only when the rivalry sits in it (architecture.palatability_in)."""


@dataclass(frozen=True)
class Track:
    """A separate channel that engages a rivalry left (partly) outside the core."""

    rivalry: int
    members: tuple[int, ...]
    convener: int
    probability: float
    """Probability that the track agrees: every rival accepts its convener's text."""
    in_time: float
    """Probability that the track agrees within the issue's deadline (timeliness model)."""
    months: float
    """Its expected months (median of the timeliness model): the track's cost in time."""

    @property
    def credit(self) -> float:
        """What engaging a rival through this track is worth: agreeing, and within the deadline."""
        return self.probability * self.in_time

    @property
    def kind(self) -> str:
        """bilateral, trilateral or plurilateral, by the number of rivals it seats."""
        return {2: "bilateral", 3: "trilateral"}.get(len(self.members), "plurilateral")


class IssueView(Protocol):
    """What the kernel reads of an issue (`models.issue.Issue`)."""

    @property
    def id(self) -> str: ...
    @property
    def target(self) -> float: ...
    @property
    def deadline_months(self) -> float: ...
    @property
    def decision_rule(self) -> DecisionRule: ...


class Aggregator(Protocol):
    """A criterion that keeps a running aggregate on each node (`criteria.base.Criterion`)."""

    def start(self, ctx: ContextView) -> object: ...
    def aggregate(self, ctx: ContextView, running: object, actor: int) -> object: ...


class ContextView(Protocol):
    """What the kernel reads of a compiled context (`compiled.Context`, where each field is described)."""

    @property
    def world(self) -> World: ...
    @property
    def issue(self) -> IssueView: ...
    @property
    def params(self) -> SharedParameters: ...
    @property
    def constraints(self) -> Constraints: ...
    @property
    def codes(self) -> tuple[str, ...]: ...
    @property
    def alignment(self) -> tuple[float, ...]: ...
    @property
    def has_alignment(self) -> tuple[bool, ...]: ...
    @property
    def is_bloc(self) -> tuple[bool, ...]: ...
    @property
    def population(self) -> tuple[float, ...]: ...
    @property
    def memberships(self) -> tuple[frozenset[str], ...]: ...
    @property
    def unit_masks(self) -> tuple[int, ...]: ...
    @property
    def unit_domain_share(self) -> tuple[tuple[float, ...], ...]: ...
    @property
    def domain_ids(self) -> tuple[str, ...]: ...
    @property
    def tag_ids(self) -> tuple[str, ...]: ...
    @property
    def tag_scores(self) -> tuple[tuple[float, ...], ...]: ...
    @property
    def rivalries(self) -> tuple[tuple[int, ...], ...]: ...
    @property
    def rival_set(self) -> frozenset[int]: ...
    @property
    def excluded(self) -> frozenset[int]: ...
    @property
    def weights(self) -> dict[str, float]: ...
    @property
    def fit(self) -> tuple[float, ...]: ...
    @property
    def neutrality(self) -> tuple[float, ...]: ...
    @property
    def pool_order(self) -> tuple[int, ...]: ...
    @property
    def track_conveners(self) -> tuple[int | None, ...]: ...
    @property
    def actors(self) -> tuple[Actor, ...]: ...
    @property
    def forced(self) -> tuple[int, ...]: ...
    @property
    def candidates(self) -> tuple[int, ...]: ...
    @property
    def n_min(self) -> int: ...
    @property
    def best_coverage(self) -> tuple[float, ...]: ...
    @property
    def actor_values(self) -> tuple[float, ...]: ...
    @property
    def criterion_params(self) -> dict[str, Frozen]: ...
    @property
    def criterion_arrays(self) -> dict[str, object]: ...
    @property
    def aggregators(self) -> Sequence[Aggregator]: ...
    @property
    def aggregate_slot(self) -> dict[str, int]: ...
    @property
    def alignment_data(self) -> AlignmentData | None: ...
    @property
    def convener_model(self) -> ConvenerModel | None: ...

    def world_domain_source(self, domain: str) -> str: ...
    def world_tag_source(self, tag: str) -> str: ...
    def actor_value(self, actor: int) -> float: ...
    def mask_value(self, mask: int) -> float: ...
