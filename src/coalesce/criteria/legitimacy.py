"""legitimacy: how many of the world's regions the core speaks for (first version).

Model. The score is the share of the five UN regional groups (African, Asia-Pacific, Eastern European,
Latin American and Caribbean, Western European and other States) with at least one member in the core.
A bloc speaks for the groups of its member states (the EU for Eastern and Western Europe). Only the
groups the data declares are counted; with none, every core scores 0 and the criterion ranks nothing.

Sources. The groupings `UN-Africa`, `UN-Asia-Pacific`, `UN-Eastern-Europe`, `UN-GRULAC` and `UN-WEOG` in
data/states.yaml, from the UN Department for General Assembly and Conference Management's list
(data/curation/groupings.yaml gives the special cases: the United States, Israel, Turkiye).

It ships with weight 0: the model issue refines it before it counts.

Passing example: the United States, Brazil, Nigeria, India and Poland: all five groups, 1.0.
Failing example: a core of G7 states: Western Europe and others plus Asia-Pacific (Japan), 0.4.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from coalesce.criteria.base import Criterion, NoParameters, Scored

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.models.world import Actor, World
    from coalesce.shapes import ContextView, IssueView

GROUPS = ("UN-Africa", "UN-Asia-Pacific", "UN-Eastern-Europe", "UN-GRULAC", "UN-WEOG")
"""The five UN regional groups, as grouping ids in states.yaml."""


class Regions:
    """Per actor, the bitmask of the regional groups it speaks for; and which groups the data has."""

    __slots__ = ("declared", "masks", "sources")

    def __init__(self, masks: tuple[int, ...], declared: tuple[str, ...], sources: tuple[str, ...]) -> None:
        self.masks = masks
        self.declared = declared
        self.sources = sources


class Legitimacy(Criterion[NoParameters]):
    """The share of the UN regional groups represented in the core."""

    NAME = "legitimacy"
    DEFAULT_WEIGHT = 0.0
    SUMMARY = "share of the five UN regional groups with a member in the core"
    SIZE_DEPENDENT = False
    AGGREGATES = True

    def compile(self, world: World, issue: IssueView, actors: tuple[Actor, ...]) -> Regions:
        """Each actor's groups as bits in GROUPS order (a bloc's: its members')."""
        known = {g.id: g.source for g in world.groupings}
        declared = tuple(g for g in GROUPS if g in known)
        bit = {g: 1 << i for i, g in enumerate(GROUPS) if g in known}
        own = {a.code: sum(bit.get(m, 0) for m in set(a.memberships)) for a in actors}
        masks = []
        for actor in actors:
            mask = own[actor.code]
            for member in actor.members:
                mask |= own.get(member, 0)
            masks.append(mask)
        sources = tuple(sorted({known[g] for g in declared}))
        return Regions(tuple(masks), declared, sources)

    def regions(self, ctx: ContextView) -> Regions:
        """The compiled arrays, typed."""
        arrays = self.arrays(ctx)
        assert isinstance(arrays, Regions)  # what compile returned
        return arrays

    def start(self, ctx: ContextView) -> int:
        """No group represented."""
        return 0

    def aggregate(self, ctx: ContextView, running: object, actor: int) -> int:
        """The groups represented once `actor` joins (a union: order-free)."""
        return _mask(running) | self.regions(ctx).masks[actor]

    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """Groups represented over five."""
        held = _mask(self.running(ctx, arch.node))
        value = held.bit_count() / len(GROUPS)
        if not explain:
            return Scored(value)
        regions = self.regions(ctx)
        if not regions.declared:
            return Scored(value, "The data lists no UN regional groups, so no region is counted.")
        inside = [g for i, g in enumerate(GROUPS) if held >> i & 1]
        outside = [g for i, g in enumerate(GROUPS) if not held >> i & 1]
        text = (
            f"Speaks for {len(inside)} of the {len(GROUPS)} UN regional groups"
            + (f" ({', '.join(inside)})" if inside else "")
            + (f"; none from {', '.join(outside)}" if outside else "")
            + "."
        )
        return Scored(value, text, regions.sources, {"groups": len(inside)})

    def gain(self, ctx: ContextView, actor: int) -> float:
        """The groups an actor speaks for, over five."""
        return self.regions(ctx).masks[actor].bit_count() / len(GROUPS)

    def gain_key(self, ctx: ContextView, node: Node) -> Hashable:
        """The groups already represented: below the node only the others can be gained."""
        return _mask(self.running(ctx, node))

    def gains_given(self, ctx: ContextView, key: Hashable) -> list[float]:
        """Per actor, the groups it adds to those in `key`, over five."""
        held = key if isinstance(key, int) else 0
        return [(mask & ~held).bit_count() / len(GROUPS) for mask in self.regions(ctx).masks]

    def gain_classes(self, ctx: ContextView, key: Hashable) -> list[int]:
        """Per actor, the one group it would add to those in `key` (-1 when it adds none or several, as a
        bloc may): two states that bring the same new group bring it once."""
        held = key if isinstance(key, int) else 0
        out = []
        for mask in self.regions(ctx).masks:
            new = mask & ~held
            out.append(new if new and not new & (new - 1) else -1)
        return out

    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """The groups represented now (members only add groups)."""
        return _mask(self.running(ctx, node)).bit_count() / len(GROUPS)

    def summarise(self, ctx: ContextView, order: Sequence[int]) -> list[int]:
        """For each search position, the groups the remaining candidates could still bring."""
        masks = self.regions(ctx).masks
        out = [0] * (len(order) + 1)
        for i in range(len(order) - 1, -1, -1):
            out[i] = out[i + 1] | masks[order[i]]
        return out

    def ceiling(self, ctx: ContextView, node: Node, remaining: object) -> float:
        """Every group the node holds or a remaining candidate could bring."""
        reach = _mask(self.running(ctx, node)) | (
            remaining if isinstance(remaining, int) else (1 << len(GROUPS)) - 1
        )
        return reach.bit_count() / len(GROUPS)


def _mask(value: object) -> int:
    return value if isinstance(value, int) else 0


CRITERION = Legitimacy()
