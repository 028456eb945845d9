"""parsimony: the smallest possible number (Naím), with passengers flagged.

Model. n_min is the fewest members that can reach the issue's target (or, when no group within the
size limit reaches it, the size after which one more member adds less than `passenger_coverage` of
coverage: the point of diminishing returns). The
size score is min(1, n_min / n). A passenger is a member whose removal costs less than one point of
coverage (`passenger_coverage`) and who brings no needed niche expertise, is not a key rival and is not
the convener. The score is the size score times (1 - passengers / n).

Passing example: three states that hold the target share score 1.0 when three is the minimum.
Failing example: adding Luxembourg to a chip-tools core adds no coverage and no role: a passenger.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from coalesce.architecture import choose_convener
from coalesce.criteria.base import Criterion, NoParameters, Scored, name_list

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.compiled import Context


def riders(ctx: Context, members: tuple[int, ...]) -> tuple[int, ...]:
    """Q: the members who are not key rivals, add under `passenger_coverage` of coverage and hold no
    needed expertise no other small member matches (passengers but for the convener's exemption).

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
        if ctx.small[m] and _adds_expertise(ctx, members, m):
            continue
        found.append(m)
    return tuple(found)


def joins_as_rider(ctx: Context, node: Node, actor: int) -> bool:
    """Whether `actor` would be in Q of node + {actor}: the same test as `riders`, read from the node's
    aggregates (its unit mask and its small members' best tag scores)."""
    return (
        actor not in ctx.rival_set
        and ctx.mask_value(ctx.unit_masks[actor] & ~node.mask) < ctx.params.passenger_coverage
        and not (
            ctx.small[actor]
            and any(s > 0.0 and s > best for s, best in zip(ctx.tag_scores[actor], node.tagmax, strict=True))
        )
    )


def passengers(ctx: Context, arch: Architecture) -> list[int]:
    """Members who add under one point of coverage and no expertise, rival or convener role."""
    return [m for m in _riders(ctx, arch.node) if m != arch.convener]


def _adds_expertise(ctx: Context, members: tuple[int, ...], m: int) -> bool:
    for t, score_m in enumerate(ctx.tag_scores[m]):
        if score_m <= 0.0:
            continue
        best_other = max((ctx.tag_scores[o][t] for o in members if o != m and ctx.small[o]), default=0.0)
        if score_m > best_other:
            return True
    return False


def size_score(ctx: Context, size: int) -> float:
    """min(1, n_min / size)."""
    return min(1.0, ctx.n_min / size) if size > 0 else 1.0


def _score(ctx: Context, arch: Architecture, explain: bool) -> Scored:
    n = arch.node.size
    riders = passengers(ctx, arch)
    value = size_score(ctx, n) * (1.0 - len(riders) / n if n else 1.0)
    if not explain:
        return Scored(value)
    text = (
        f"{n} member{'s' if n != 1 else ''} against the {ctx.n_min} that can reach the target"
        + (
            f"; passengers (add under {ctx.params.passenger_coverage:.0%} coverage and no role): "
            f"{name_list(ctx, riders)}"
            if riders
            else "; no passengers"
        )
        + "."
    )
    return Scored(value, text, (), {"n_min": ctx.n_min, "passengers": [ctx.codes[p] for p in riders]})


def _riders(ctx: Context, node: Node) -> tuple[int, ...]:
    """`riders` of the node's members, cached on the node."""
    if node.riders is None:
        node.riders = riders(ctx, node.members)
    return node.riders


def sure_passengers(ctx: Context, node: Node) -> int:
    """The fewest passengers any superset of `node` can have: Q, less one if the final convener (the
    only exemption) could be one of them, that is if any is a small state."""
    riders = _riders(ctx, node)
    return len(riders) - 1 if any(ctx.small[m] for m in riders) else len(riders)


def _base_by_size(ctx: Context, node: Node, sizes: range) -> list[float]:
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
        return [size_score(ctx, node.size) * (1.0 - exact / node.size)]
    riders_left = sure_passengers(ctx, node)
    if riders_left <= 0:
        return [size_score(ctx, size) for size in sizes]
    caps = _capped(ctx.n_min, max(sizes[-1], ctx.constraints.max_size), riders_left)
    return list(caps[sizes[0] : sizes[-1] + 1])


def _single_bound(ctx: Context, node: Node, actor: int, size: int) -> float:
    """An upper bound for exactly node + {actor} (of `size` members): Q(node) stays, and the actor is
    in Q if it adds under `passenger_coverage` beyond the node and no expertise the node's small members
    lack; one of them may be the convener if any is a small state."""
    riders = _riders(ctx, node)
    count = len(riders)
    convenable = any(ctx.small[m] for m in riders)
    if joins_as_rider(ctx, node, actor):
        count += 1
        convenable = convenable or ctx.small[actor]
    if convenable:
        count -= 1
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
    """Size against the fewest members that can reach the target, discounted for passengers."""

    NAME = "parsimony"
    SUMMARY = "size against the fewest members that can reach the target; passengers are penalised"
    SIZE_DEPENDENT = True

    def score(self, ctx: Context, arch: Architecture, explain: bool) -> Scored:
        """Size against the minimum, discounted for passengers."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: Context, actor: int) -> float:
        """Adding members never raises parsimony."""
        return 0.0

    def base_by_size(self, ctx: Context, node: Node, sizes: range, span: float) -> list[float]:
        """The size score at each final size, less the passengers that must remain (see _base_by_size)."""
        return _base_by_size(ctx, node, sizes)

    def base(self, ctx: Context, node: Node, size: int, remaining: object = None, span: float = 0.0) -> float:
        """The size score at the final size, less the passengers that must remain."""
        return _base_by_size(ctx, node, range(size, size + 1))[0]

    def single_bound(self, ctx: Context, node: Node, actor: int, size: int) -> float | None:
        """The passengers of exactly node + {actor} that are certain (see _single_bound)."""
        return _single_bound(ctx, node, actor, size)


CRITERION = Parsimony()
