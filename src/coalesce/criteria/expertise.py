"""expertise: niche expertise matching the issue's needs, and the convener's fit.

Model (Cohen & Fontaine's microlateralism: "a productive division of labor that combines deep expertise
with the kinds of resources that larger, more influential countries bring"). Tag coverage is the mean,
over the issue's needed tags, of the best score held by any member: each need is credited once, to its
best holder, whoever holds it (a great power's expertise counts as much as a small state's). A member
whose only claim is a need another member covers as well gains nothing here and is a passenger under
parsimony (`parsimony.riders`). Convener quality is the geometric mean of the convener's
fit (its mean score over the needed tags), its neutrality between the key rivals (palatability: 1 when
equidistant from each rival in UNGA ideal points) and its acceptability to the members. The score is
(1 - b) * tag coverage + b * convener quality, with b = `expertise_convener_share` (0.5).

A small state (the convener pool) is by default a state of under 10 million people, the Forum of Small
States' definition (SPEC, "Words"); states.yaml `small_states` can change the cap or exclude groupings.

Passing example: Norway convening with Estonia in the core for a digital-governance issue.
Failing example: a core of great powers, convened by a small state far from one of the rivals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coalesce.architecture import convener_among, convener_ceiling, convener_figures
from coalesce.criteria.base import Criterion, Scored
from coalesce.models.base import Frozen, Unit

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.shapes import ContextView


class ExpertiseParameters(Frozen):
    """The expertise criterion's parameters."""

    expertise_convener_share: Unit = 0.5
    """Part of the expertise score that is the convener's quality (the rest is members' tag coverage)."""


class Expertise(Criterion[ExpertiseParameters]):
    """Members' niche expertise matching the issue (once per need), and the convener's fit."""

    NAME = "expertise"
    SUMMARY = "members' niche expertise matching the issue (best holder per need), plus the convener's fit"
    PARAMS = ExpertiseParameters
    SIZE_DEPENDENT = False

    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """Members' niche coverage blended with the convener's quality."""
        return _score(ctx, arch, explain, self.params(ctx).expertise_convener_share)

    def gain(self, ctx: ContextView, actor: int) -> float:
        """An actor's mean needed-tag score bounds what it adds to the (submodular) coverage."""
        if not ctx.tag_ids:
            return 0.0
        return (1.0 - self.params(ctx).expertise_convener_share) * ctx.fit[actor]

    def summarise(self, ctx: ContextView, order: Sequence[int]) -> list[tuple[object, ...]]:
        """For each position of the search order, the best score per tag still available, and last the
        pool states still available (the conveners that can still join: `convener_bound`)."""
        pool = set(ctx.pool_order)
        best = [0.0] * len(ctx.tag_ids)
        joinable: frozenset[int] = frozenset()
        out: list[tuple[object, ...]] = [(*best, joinable)]
        for actor in reversed(order):
            best = [max(b, s) for b, s in zip(best, ctx.tag_scores[actor], strict=True)]
            if actor in pool:
                joinable = joinable | {actor}
            out.append((*best, joinable))
        out.reverse()
        return out

    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """The current coverage plus the convener term's ceiling (`convener_bound`).

        The search adds gains on top; the ceiling from the remaining candidates comes from `ceiling`.
        """
        share = self.params(ctx).expertise_convener_share
        return (1.0 - share) * node.tag_coverage + share * convener_bound(ctx, node, remaining)

    def ceiling(self, ctx: ContextView, node: Node, remaining: object) -> float:
        """The most this criterion can reach from `node` with the remaining candidates."""
        share = self.params(ctx).expertise_convener_share
        quality = convener_bound(ctx, node, remaining)
        if not ctx.tag_ids:
            return (1.0 - share) + share * quality
        best = remaining[:-1] if isinstance(remaining, tuple) else tuple(1.0 for _ in ctx.tag_ids)
        reach = sum(max(c, b) for c, b in zip(node.tagmax, best, strict=True)) / len(ctx.tag_ids)
        return (1.0 - share) * reach + share * quality


def convener_bound(ctx: ContextView, node: Node, remaining: object) -> float:
    """An upper bound on the convener quality of `node` and every superset the search can still build.

    The whole pool's best at the node bounds it always (`architecture.convener_ceiling`). Without
    rivals no broker is ever chosen, so the convener of a superset is a member: one already in the node
    or one of the pool states still to join (`remaining[-1]`); either's quality only falls as members
    join, so the best of them at the node bounds it.
    """
    if ctx.rivalries or not isinstance(remaining, tuple):
        return convener_ceiling(ctx, node)
    joinable = remaining[-1]
    assert isinstance(joinable, frozenset)
    # `base` and `ceiling` both ask at every bound of the node: computed once per (node, joinable)
    memo = node.memo
    if memo is None:
        memo = node.memo = {}
    key = ("convener_among", joinable)
    quality = memo.get(key)
    if quality is None:
        quality = memo[key] = convener_among(ctx, node, joinable)
    assert isinstance(quality, float)
    return quality


CRITERION = Expertise()


def _score(ctx: ContextView, arch: Architecture, explain: bool, share: float) -> Scored:
    coverage = arch.node.tag_coverage
    value = (1.0 - share) * coverage + share * arch.convener_quality
    if not explain:
        return Scored(value)
    if ctx.tag_ids:
        best = []
        for t, tag in enumerate(ctx.tag_ids):
            holders = [m for m in arch.members if ctx.tag_scores[m][t] > 0]
            if holders:
                top = max(holders, key=lambda m: (ctx.tag_scores[m][t], -m))
                best.append(f"{tag} {ctx.codes[top]} {ctx.tag_scores[top][t]:.2f}")
            else:
                best.append(f"{tag} none")
        cover = f"niche coverage {coverage:.2f} ({'; '.join(best)})"
    else:
        cover = "the issue names no niche expertise"
    if arch.convener is None:
        conv = "no eligible small-state convener"
    else:
        c = arch.convener
        where = "inside" if c in arch.members else "outside"
        figures = convener_figures(ctx, c, arch.members)  # what the quality read (issue 15)
        fit = f"{figures['fit']:.2f}" if "fit" in figures else "missing"
        conv = (
            f"convener {ctx.codes[c]} ({where} the core): fit {fit}, "
            f"palatability to the rivals in the core {figures['palatability']:.2f}, acceptability to members "
            f"{arch.convener_acceptability:.2f}"
        )
    sources = sorted({ctx.world_tag_source(t) for t in ctx.tag_ids})
    return Scored(
        value, f"{cover[0].upper()}{cover[1:]}; {conv}.", tuple(sources), {"tag_coverage": round(coverage, 6)}
    )
