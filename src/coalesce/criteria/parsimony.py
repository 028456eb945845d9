"""parsimony: the smallest possible number (Naím), with passengers flagged.

Model. The yardstick is relative to what the core achieves: n_need(C) is the fewest members any group
needs to hold the core's own coverage C, capped at the target (so a core that reaches the target is
measured against n_min, the fewest that can reach it; when no group within the size limit reaches the
target, n_min is the size after which one more member adds less than `passenger_coverage`: the point
of diminishing returns). The size score is min(1, n_need(C) / n): a small core that misses the target
earns full marks only if no smaller group could hold as much, and never for being smaller than n_min.

A passenger is judged by its own contribution: a member whose removal costs less than one point of
coverage (`passenger_coverage`) and who is the best holder of no needed expertise (credited once per
need, so a second holder of a covered need is a passenger), unless it holds a role of its own: a key
rival (the rival exemption) or the convener. The score is the size score times (1 - passengers / n).

Passing example: three states that hold the target share score 1.0 when three is the minimum.
Failing example: adding Luxembourg to a chip-tools core adds no coverage and no role: a passenger.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING

from coalesce.architecture import choose_convener
from coalesce.criteria.base import Criterion, NoParameters, Scored, name_list

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.shapes import ContextView

ROLE_EXEMPTIONS = 1
"""How many members of a core at most are exempt from the passenger test for a convening role (the
convener); the bounds deduct this many, whoever the convener may be."""


def riders(ctx: ContextView, members: tuple[int, ...]) -> tuple[int, ...]:
    """Q: the members who are not key rivals, add under `passenger_coverage` of coverage and are the best
    holder of no needed expertise (passengers but for the convener's exemption).

    The one passenger test: `passengers`, the search's bounds and the expansion ladder all use it.
    Adding members only lowers a member's coverage loss and only takes an expertise role away, so a
    member in Q stays in Q in every superset.
    """
    rivals = ctx.rival_set
    found = []
    for i, m in enumerate(members):
        if m in rivals:
            continue
        others_mask = 0
        for j, o in enumerate(members):
            if j != i:
                others_mask |= ctx.unit_masks[o]
        if ctx.mask_value(ctx.unit_masks[m] & ~others_mask) >= ctx.params.passenger_coverage:
            continue
        if _adds_expertise(ctx, members, m):
            continue
        found.append(m)
    return tuple(found)


def joins_as_rider(ctx: ContextView, node: Node, actor: int) -> bool:
    """Whether `actor` would be in Q of node + {actor}: the same test as `riders`, read from the node's
    aggregates (its unit mask and its members' best tag scores)."""
    return (
        actor not in ctx.rival_set
        and ctx.mask_value(ctx.unit_masks[actor] & ~node.mask) < ctx.params.passenger_coverage
        and not any(s > 0.0 and s > best for s, best in zip(ctx.tag_scores[actor], node.tagmax, strict=True))
    )


def passengers(ctx: ContextView, arch: Architecture) -> list[int]:
    """Members who add under one point of coverage and no expertise, rival or convener role."""
    return [m for m in _riders(ctx, arch.node) if m != arch.convener]


def _adds_expertise(ctx: ContextView, members: tuple[int, ...], m: int) -> bool:
    for t, score_m in enumerate(ctx.tag_scores[m]):
        if score_m <= 0.0:
            continue
        best_other = max((ctx.tag_scores[o][t] for o in members if o != m), default=0.0)
        if score_m > best_other:
            return True
    return False


def size_score(ctx: ContextView, size: int) -> float:
    """min(1, n_min / size): the most any core of this size can score (n_need never exceeds n_min)."""
    return min(1.0, ctx.n_min / size) if size > 0 else 1.0


def needed(ctx: ContextView, coverage: float) -> int:
    """n_need: the fewest members any group needs to hold `coverage`, capped at the target (n_min)."""
    best = ctx.best_coverage
    if coverage >= ctx.issue.target - 1e-9 or not best:
        return ctx.n_min
    k = bisect_left(best, coverage - 1e-9)
    return max(1, min(ctx.n_min, k))


def relative_size_score(ctx: ContextView, coverage: float, size: int) -> float:
    """min(1, n_need(coverage) / size): the size score against the size the coverage needs."""
    return min(1.0, needed(ctx, coverage) / size) if size > 0 else 1.0


def _score(ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
    n = arch.node.size
    riders = passengers(ctx, arch)
    need = needed(ctx, arch.node.coverage)
    value = relative_size_score(ctx, arch.node.coverage, n) * (1.0 - len(riders) / n if n else 1.0)
    if not explain:
        return Scored(value)
    target = ctx.issue.target
    reachable = bool(ctx.best_coverage) and ctx.best_coverage[-1] >= target - 1e-9
    if arch.node.coverage >= target - 1e-9:
        yardstick = f"against the {need} that can reach the target"
    elif reachable:
        yardstick = (
            f"against the {need} that can hold its {arch.node.coverage:.0%} coverage "
            f"({ctx.n_min} can reach the {target:.0%} target)"
        )
    else:
        yardstick = (
            f"against the {need} that can hold its {arch.node.coverage:.0%} coverage (no group within "
            f"the size limit reaches the {target:.0%} target)"
        )
    text = (
        f"{n} member{'s' if n != 1 else ''} {yardstick}"
        + (
            f"; passengers (add under {ctx.params.passenger_coverage:.0%} coverage and no role): "
            f"{name_list(ctx, riders)}"
            if riders
            else "; no passengers"
        )
        + "."
    )
    return Scored(
        value, text, (), {"n_min": ctx.n_min, "n_need": need, "passengers": [ctx.codes[p] for p in riders]}
    )


def _riders(ctx: ContextView, node: Node) -> tuple[int, ...]:
    """`riders` of the node's members, cached on the node."""
    if node.riders is None:
        node.riders = riders(ctx, node.members)
    return node.riders


def sure_riders(ctx: ContextView, node: Node) -> tuple[int, ...]:
    """Q of the node's members: riders in every superset (see `riders`)."""
    return _riders(ctx, node)


def sure_passengers(ctx: ContextView, node: Node) -> int:
    """The fewest passengers any superset of `node` can have: Q, less the role exemptions (the final
    convener could be any of them)."""
    return max(0, len(_riders(ctx, node)) - ROLE_EXEMPTIONS)


def _base_by_size(ctx: ContextView, node: Node, sizes: range) -> list[float]:
    """`base` for each size in `sizes`.

    For the node itself (one size, its own) the passengers are known exactly: Q less the convener.
    Otherwise, at final size n the score is at most size_score(n) * (1 - r / n), with r the passengers
    every superset keeps. That is not monotone in n (passengers weigh less in a larger group), and the
    search assumes the size-dependent criteria never rise with size, so each value is the largest over
    n and every larger size allowed: still an upper bound, and non-increasing.
    """
    if not sizes:
        return []
    if len(sizes) == 1 and sizes[0] == node.size and node.size > 0:
        riders = _riders(ctx, node)
        convener, _, _ = choose_convener(ctx, node)
        exact = len(riders) - (1 if convener in riders else 0)
        return [relative_size_score(ctx, node.coverage, node.size) * (1.0 - exact / node.size)]
    riders_left = sure_passengers(ctx, node)
    if riders_left <= 0:
        return [size_score(ctx, size) for size in sizes]
    caps = _capped(ctx.n_min, max(sizes[-1], ctx.constraints.max_size), riders_left)
    return list(caps[sizes[0] : sizes[-1] + 1])


def _single_bound(ctx: ContextView, node: Node, actor: int, size: int) -> float:
    """An upper bound for exactly node + {actor} (of `size` members): Q(node) stays, and the actor is
    in Q if it adds under `passenger_coverage` beyond the node and no expertise the node's members
    lack; up to ROLE_EXEMPTIONS of them may hold a convening role."""
    count = len(_riders(ctx, node)) + (1 if joins_as_rider(ctx, node, actor) else 0)
    count = max(0, count - ROLE_EXEMPTIONS)
    return size_score(ctx, size) * (1.0 - count / size)


@lru_cache(maxsize=1024)
def _capped(n_min: int, top: int, riders: int) -> tuple[float, ...]:
    """Index n: the largest of min(1, n_min / m) * (1 - riders / m) over n <= m <= top (0 for n = 0)."""
    best, out = 0.0, [0.0] * (top + 1)
    for size in range(top, 0, -1):
        value = min(1.0, n_min / size) * (1.0 - riders / size)
        best = value if value > best else best
        out[size] = best
    return tuple(out)


class Parsimony(Criterion[NoParameters]):
    """Size against the fewest members that can hold the core's coverage, discounted for passengers."""

    NAME = "parsimony"
    SUMMARY = "size against the fewest members that can hold the core's coverage (up to the target); passengers penalised"
    SIZE_DEPENDENT = True

    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """Size against the minimum, discounted for passengers."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: ContextView, actor: int) -> float:
        """Adding members never raises parsimony."""
        return 0.0

    def base_by_size(self, ctx: ContextView, node: Node, sizes: range, span: float) -> list[float]:
        """The size score at each final size, less the passengers that must remain (see _base_by_size)."""
        return _base_by_size(ctx, node, sizes)

    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """The size score at the final size, less the passengers that must remain."""
        return _base_by_size(ctx, node, range(size, size + 1))[0]

    def single_bound(self, ctx: ContextView, node: Node, actor: int, size: int) -> float | None:
        """The passengers of exactly node + {actor} that are certain (see _single_bound)."""
        return _single_bound(ctx, node, actor, size)


CRITERION = Parsimony()
