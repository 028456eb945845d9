"""capability: concentration of capability (Naím's "largest possible impact").

Model. Coverage C(S) is the share of weighted world capability in the issue's domains held by the union
of the members' atomic units (a bloc's member states count once). The score is min(1, C(S) / target):
full marks once the core holds the issue's target share.

Sources. The shares and their sources are in data/states.yaml; docs/data.md describes each domain.

Passing example: for semiconductor export controls, USA + NLD + JPN hold most chip-making equipment.
Failing example: a core of small states holds almost none of the frontier-AI capability.
"""

from __future__ import annotations

from coalesce.architecture import Architecture
from coalesce.coalition import Node
from coalesce.compiled import Context
from coalesce.criteria.base import Scored

NAME = "capability"
SIZE_DEPENDENT = False


def score(ctx: Context, arch: Architecture, explain: bool) -> Scored:
    """min(1, coverage / target), with the per-domain coverage and the largest holders."""
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
    text = (
        f"Holds {coverage:.0%} of weighted world capability against a target of {ctx.issue.target:.0%} "
        f"({'; '.join(per_domain)})" + (f"; largest holders {top}" if top else "") + "."
    )
    sources = sorted({ctx.world_domain_source(d) for d in ctx.domain_ids})
    return Scored(value, text, tuple(sources), {"coverage": round(coverage, 6)})


def _domain_share(ctx: Context, mask: int, d: int) -> float:
    total, unit = 0.0, 0
    while mask:
        low = mask & -mask
        unit = low.bit_length() - 1
        total += ctx.unit_domain_share[unit][d]
        mask ^= low
    return total


def gain(ctx: Context, actor: int) -> float:
    """An actor's standalone coverage over the target: coverage is submodular, so this bounds any gain."""
    return ctx.actor_value(actor) / ctx.issue.target


def gain_beside(ctx: Context, actor: int, covered: int) -> float:
    """The gain bound for sets whose units already include `covered` (say, a bloc's): only the actor's
    other units can add coverage."""
    return ctx.mask_value(ctx.unit_masks[actor] & ~covered) / ctx.issue.target


def base(ctx: Context, node: Node, size: int, remaining: object = None, span: float = 0.0) -> float:
    """The current coverage over the target (adding members only adds units)."""
    return node.coverage / ctx.issue.target
