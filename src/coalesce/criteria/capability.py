"""capability: concentration of capability (Naím's "largest possible impact").

Model. Coverage C(S) is the share of weighted world capability in the issue's domains held by the union
of the members' atomic units (a bloc's member states count once). The score is min(1, C(S) / target):
full marks once the core holds the issue's target share.

The target is also a threshold (Riker's minimum winning coalition: a coalition that cannot carry the
decision is not a solution, however cheap). When some group within the size limits can reach the target
(`reachable`), a core that misses it ranks below every core that reaches it, whatever their totals: the
search ranks by (misses, -total) lexicographically. It stays exact because the total is in [0, 1], so
the search orders by total - MISS_PENALTY * misses, and `must_miss` gives the bound it can use: no
superset of S with at most m more members reaches the target when C(S) + best(m) < target, where
best(m) is the best coverage any m actors hold (coverage is subadditive: C(S u A) <= C(S) + C(A)). The
reported total stays the weighted mean; only the order changes.

Sources. The shares and their sources are in data/states.yaml; docs/data.md describes each domain.

Passing example: for semiconductor export controls, USA + NLD + JPN hold most chip-making equipment.
Failing example: a core of small states holds almost none of the frontier-AI capability.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from coalesce.criteria.base import Criterion, NoParameters, Scored

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.shapes import ContextView


class Capability(Criterion[NoParameters]):
    """Share of weighted world capability held, against the issue's target."""

    NAME = "capability"
    SUMMARY = "share of weighted world capability in the issue's domains held by the members"
    SIZE_DEPENDENT = False

    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """min(1, coverage / target), with the per-domain coverage and the largest holders."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: ContextView, actor: int) -> float:
        """An actor's standalone coverage over the target: coverage is submodular, so this bounds any gain."""
        return ctx.actor_value(actor) / ctx.issue.target

    def gain_key(self, ctx: ContextView, node: Node) -> Hashable:
        """The units of the first bloc in the node: below it, the bloc's members add no coverage."""
        masks = ctx.unit_masks
        for member in node.members:
            covered = masks[member]
            if covered & (covered - 1):  # several units: a bloc covering its members'
                return covered
        return None

    def gains_given(self, ctx: ContextView, key: Hashable) -> list[float]:
        """The gain bound for sets whose units already include `key` (a bloc's): only an actor's
        other units can add coverage."""
        if key is None:
            return [self.gain(ctx, a) for a in range(len(ctx.codes))]
        covered = key if isinstance(key, int) else 0
        target = ctx.issue.target
        return [ctx.mask_value(ctx.unit_masks[a] & ~covered) / target for a in range(len(ctx.codes))]

    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """The current coverage over the target (adding members only adds units)."""
        return node.coverage / ctx.issue.target


CRITERION = Capability()

MISS_PENALTY = 1.0
"""Subtracted from a total (in [0, 1]) to rank a core that misses a reachable target below all others."""
TOLERANCE = 1e-9


def reachable(ctx: ContextView) -> bool:
    """Whether some group within the size limits reaches the issue's target."""
    best = ctx.best_coverage
    return bool(best) and best[-1] >= ctx.issue.target - TOLERANCE


def misses(ctx: ContextView, coverage: float) -> bool:
    """Whether a core of this coverage misses a target that some group within the limits reaches."""
    return coverage < ctx.issue.target - TOLERANCE and reachable(ctx)


def must_miss(ctx: ContextView, node: Node, final_size: int) -> bool:
    """Whether every superset of `node` with at most `final_size` members misses a reachable target."""
    if not reachable(ctx) or node.coverage >= ctx.issue.target - TOLERANCE:
        return False
    best = ctx.best_coverage
    extra = max(0, min(final_size - node.size, len(best) - 1))
    return node.coverage + best[extra] < ctx.issue.target - TOLERANCE


def _score(ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
    coverage = arch.node.coverage
    value = min(1.0, coverage / ctx.issue.target)
    if not explain:
        return Scored(value)
    per_domain = []
    for d, domain in enumerate(ctx.domain_ids):
        held = _domain_share(ctx, arch.node.mask, d)
        per_domain.append(f"{domain} {held:.0%}")
    holders = sorted(arch.members, key=lambda a: (-ctx.actor_value(a), ctx.codes[a]))[:3]
    top = ", ".join(f"{ctx.codes[a]} {ctx.actor_value(a):.0%}" for a in holders if ctx.actor_value(a) > 0)
    missed = ""
    if misses(ctx, coverage):
        missed = " It misses a target that a group within the size limits reaches, so it ranks below every core that reaches it."
    text = (
        f"Holds {coverage:.0%} of weighted world capability against a target of {ctx.issue.target:.0%} "
        f"({'; '.join(per_domain)})" + (f"; largest holders {top}" if top else "") + "." + missed
    )
    sources = sorted({ctx.world_domain_source(d) for d in ctx.domain_ids})
    return Scored(value, text, tuple(sources), {"coverage": round(coverage, 6)})


def _domain_share(ctx: ContextView, mask: int, d: int) -> float:
    total, unit = 0.0, 0
    while mask:
        low = mask & -mask
        unit = low.bit_length() - 1
        total += ctx.unit_domain_share[unit][d]
        mask ^= low
    return total
