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

from coalesce.architecture import Architecture
from coalesce.coalition import Node
from coalesce.compiled import Context
from coalesce.criteria.base import Scored, name_list

NAME = "parsimony"
SIZE_DEPENDENT = True


def passengers(ctx: Context, arch: Architecture) -> list[int]:
    """Members who add under one point of coverage and no expertise, rival or convener role."""
    members = arch.members
    rivals = {i for group in ctx.rivalries for i in group}
    found = []
    for m in members:
        if m in rivals or m == arch.convener:
            continue
        others_mask = 0
        for o in members:
            if o != m:
                others_mask |= ctx.unit_masks[o]
        loss = ctx.mask_value(ctx.unit_masks[m] & ~others_mask)
        if loss >= ctx.params.passenger_coverage:
            continue
        if ctx.small[m] and _adds_expertise(ctx, members, m):
            continue
        found.append(m)
    return found


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


def score(ctx: Context, arch: Architecture, explain: bool) -> Scored:
    """Size against the minimum, discounted for passengers."""
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


def gain(ctx: Context, actor: int) -> float:
    """Adding members never raises parsimony."""
    return 0.0


def base_by_size(ctx: Context, node: Node, sizes: range, span: float) -> list[float]:
    """`base` for each size in `sizes`."""
    return [size_score(ctx, size) for size in sizes]


def base(ctx: Context, node: Node, size: int, remaining: object = None, span: float = 0.0) -> float:
    """The size score at the final size (passengers only lower it)."""
    return size_score(ctx, size)
