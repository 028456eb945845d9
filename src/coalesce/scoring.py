"""The total score of an architecture: the weighted mean of the criteria."""

from __future__ import annotations

from dataclasses import dataclass

from coalesce import architecture
from coalesce.architecture import Architecture
from coalesce.compiled import Context
from coalesce.criteria.base import Scored
from coalesce.criteria.registry import REGISTRY


@dataclass(frozen=True)
class Evaluation:
    """An architecture with each criterion's verdict and the weighted total."""

    arch: Architecture
    criteria: dict[str, Scored]
    total: float


def evaluate(ctx: Context, members: tuple[int, ...] | list[int], explain: bool = False) -> Evaluation:
    """Score a member set canonically (code order), so the same set always gets the same number."""
    arch = architecture.build(ctx, members)
    verdicts = {criterion.NAME: criterion.score(ctx, arch, explain) for criterion in REGISTRY}
    return Evaluation(arch, verdicts, weighted_total(ctx, verdicts))


def weighted_total(ctx: Context, verdicts: dict[str, Scored]) -> float:
    """Weighted mean of the criterion values, summed in the canonical criterion order."""
    if ctx.weight_total <= 0:
        return 0.0
    total = 0.0
    for criterion in REGISTRY:
        total += ctx.weights[criterion.NAME] * verdicts[criterion.NAME].value
    return total / ctx.weight_total
