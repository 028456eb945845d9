"""A candidate coalition with the running aggregates the criteria and the search bounds read."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coalesce.shapes import ContextView


class Node:
    """A member set and its aggregates: unit mask, coverage, tag maxima, alignment moments and range,
    plus one slot per criterion that keeps its own running aggregate (`Criterion.aggregate`).

    The search grows nodes one member at a time; `Node.of` builds one from scratch in code order, which
    is what every reported score uses, so a score never depends on the path the search took.
    """

    __slots__ = (
        "aggregates",
        "amax",
        "amin",
        "convener",
        "convener_ceiling",
        "coverage",
        "mask",
        "members",
        "memo",
        "riders",
        "s1",
        "s2",
        "tagmax",
    )

    def __init__(
        self,
        members: tuple[int, ...],
        mask: int,
        coverage: float,
        tagmax: tuple[float, ...],
        s1: float,
        s2: float,
        amin: float,
        amax: float,
        aggregates: tuple[object, ...] = (),
    ) -> None:
        self.members = members
        self.mask = mask
        self.coverage = coverage
        self.tagmax = tagmax
        self.s1 = s1
        self.s2 = s2
        self.amin = amin
        self.amax = amax
        self.aggregates = aggregates
        """The criteria's running aggregates, in `ctx.aggregators` order."""
        self.convener: tuple[int | None, float, float] | None = None
        """Cache of architecture.choose_convener for this node."""
        self.convener_ceiling: float | None = None
        """Cache of architecture.convener_ceiling for this node."""
        self.riders: tuple[int, ...] | None = None
        """Cache of the parsimony criterion's would-be passengers for this node."""
        self.memo: dict[tuple[object, ...], object] | None = None
        """The search's cache of bound values for this node (size-dependent values, the convener bound)."""

    @classmethod
    def empty(cls, ctx: ContextView) -> Node:
        """The empty coalition."""
        return cls(
            (),
            0,
            0.0,
            tuple(0.0 for _ in ctx.tag_ids),
            0.0,
            0.0,
            float("inf"),
            float("-inf"),
            tuple(criterion.start(ctx) for criterion in ctx.aggregators),
        )

    @classmethod
    def of(cls, ctx: ContextView, members: tuple[int, ...] | list[int]) -> Node:
        """The node for a member set, aggregated in code order (canonical)."""
        node = cls.empty(ctx)
        for actor in sorted(members):
            node = node.add(ctx, actor)
        return node

    def add(self, ctx: ContextView, actor: int) -> Node:
        """A new node with one more member."""
        new_units = ctx.unit_masks[actor] & ~self.mask
        coverage = self.coverage + ctx.mask_value(new_units) if new_units else self.coverage
        tagmax = self.tagmax
        if tagmax:
            scores = ctx.tag_scores[actor]
            tagmax = tuple(s if s > t else t for s, t in zip(scores, tagmax, strict=True))
        a = ctx.alignment[actor]
        aggregates = self.aggregates
        if aggregates:
            aggregates = tuple(
                criterion.aggregate(ctx, running, actor)
                for criterion, running in zip(ctx.aggregators, aggregates, strict=True)
            )
        return Node(
            (*self.members, actor),
            self.mask | ctx.unit_masks[actor],
            coverage,
            tagmax,
            self.s1 + a,
            self.s2 + a * a,
            a if a < self.amin else self.amin,
            a if a > self.amax else self.amax,
            aggregates,
        )

    @property
    def size(self) -> int:
        """Number of members (a bloc is one)."""
        return len(self.members)

    @property
    def spread(self) -> float:
        """Range of the members' ideal points (0 for fewer than two)."""
        return self.amax - self.amin if len(self.members) > 1 else 0.0

    @property
    def total_squares(self) -> float:
        """Sum of squared distances of the ideal points from their mean."""
        n = len(self.members)
        if n < 2:
            return 0.0
        return max(0.0, self.s2 - self.s1 * self.s1 / n)

    @property
    def tag_coverage(self) -> float:
        """Mean over needed tags of the best member's score (1.0 when none are needed)."""
        if not self.tagmax:
            return 1.0
        return sum(self.tagmax) / len(self.tagmax)
