"""Turn an evaluated architecture into a Recommendation: reasons, tracks, passengers, expansion ladder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from coalesce.coalition import Node
from coalesce.compiled import Constraints, Context
from coalesce.criteria.parsimony import joins_as_rider
from coalesce.criteria.registry import NAMES
from coalesce.models.issue import Issue
from coalesce.models.results import (
    CriterionResult,
    ExpansionStep,
    IssueSummary,
    Parameters,
    Recommendation,
    TrackResult,
)
from coalesce.rules import describe
from coalesce.scoring import Evaluation, evaluate

LADDER_STEPS = 3
"""How many invitees the expansion ladder names."""


def r6(value: float) -> float:
    """Round for output: six decimals keep JSON readable and stable."""
    return round(value + 0.0, 6)


def parameters(
    constraints: Constraints,
    top: int,
    scenarios: Iterable[str] = (),
    sets: Mapping[str, object] | None = None,
    min_size: int | None = None,
) -> Parameters:
    """The request as reported in every result: sizes, include/exclude, weights, scenarios and sets."""
    return Parameters(
        min_size=constraints.min_size if min_size is None else min_size,
        max_size=constraints.max_size,
        top=top,
        include=list(constraints.include),
        exclude=list(constraints.exclude),
        weights=dict(constraints.weights),
        scenarios=list(scenarios),
        sets=dict(sets or {}),
    )


def issue_summary(issue: Issue) -> IssueSummary:
    """The issue as used (after scenarios)."""
    return IssueSummary(
        id=issue.id,
        title=issue.title,
        decision_rule=describe(issue.decision_rule),
        target=issue.target,
        deadline_months=issue.deadline_months,
        domains=dict(sorted(issue.domains.items())),
        rivals=[sorted(group) for group in issue.rivals],
        exclude=sorted(issue.exclude),
        expertise=list(issue.expertise),
    )


def brings_something(ctx: Context, node: Node, actor: int) -> bool:
    """Whether adding `actor` would bring coverage, a needed niche score or a rival role (not a passenger)."""
    return not joins_as_rider(ctx, node, actor)


def best_additions(
    ctx: Context, members: tuple[int, ...], limit: int, useful_only: bool = False
) -> list[tuple[float, int]]:
    """The `limit` best single additions by total score, exactly, pruning with the criteria's bounds.

    With `useful_only`, candidates who would be passengers are not considered.
    """
    from coalesce.search import own_bound

    node = Node.of(ctx, members)
    inside = set(members)
    scored = [
        (own_bound(ctx, node.add(ctx, actor)), actor)
        for actor in ctx.candidates
        if actor not in inside and (not useful_only or brings_something(ctx, node, actor))
    ]
    scored.sort(key=lambda item: (-item[0], ctx.codes[item[1]]))
    found: list[tuple[float, int]] = []
    for bound, actor in scored:
        if len(found) >= limit and bound < found[-1][0] - 1e-12:
            break
        total = evaluate(ctx, (*members, actor)).total
        found.append((total, actor))
        found.sort(key=lambda item: (-item[0], ctx.codes[item[1]]))
        found = found[:limit] if len(found) > limit else found
    return found


def ladder(ctx: Context, evaluation: Evaluation, steps: int = LADDER_STEPS) -> list[ExpansionStep]:
    """Greedy expansion: at each rung, of the invitees who would bring something (coverage, a needed
    niche, a rival role), the one that leaves the best total. Passengers are never proposed."""
    out: list[ExpansionStep] = []
    members = evaluation.arch.members
    previous = evaluation
    for step in range(1, steps + 1):
        options = best_additions(ctx, members, 1, useful_only=True)
        if not options:
            break
        _, actor = options[0]
        members = tuple(sorted((*members, actor)))
        after = evaluate(ctx, members)
        deltas = {name: r6(after.criteria[name].value - previous.criteria[name].value) for name in NAMES}
        # The reason names what moves the total: a criterion at weight 0 moves nothing.
        gains = [
            f"{name} {d:+.2f}"
            for name, d in sorted(deltas.items(), key=lambda kv: -abs(kv[1]))
            if abs(d) >= 0.005 and ctx.weights[name] > 0
        ]
        out.append(
            ExpansionStep(
                step=step,
                invite=ctx.codes[actor],
                name=ctx.names[actor],
                score_after=r6(after.total),
                delta=r6(after.total - previous.total),
                criteria_delta=deltas,
                reason=("changes " + ", ".join(gains[:3]))
                if gains
                else "changes no criterion by 0.01 or more",
            )
        )
        previous = after
    return out


def recommendation(
    ctx: Context, members: tuple[int, ...], rank: int | None, with_ladder: bool = True
) -> Recommendation:
    """The full, explained recommendation for a member set."""
    evaluation = evaluate(ctx, members, explain=True)
    arch = evaluation.arch
    criteria = {}
    for name in NAMES:
        verdict = evaluation.criteria[name]
        weight = ctx.weights[name]
        criteria[name] = CriterionResult(
            score=r6(verdict.value),
            weight=weight,
            contribution=r6(weight * verdict.value / ctx.weight_total),
            rationale=verdict.rationale,
            sources=[s for s in verdict.sources if s],
            details=dict(verdict.details),
        )
    tracks = []
    for track in arch.tracks:
        convener = ctx.codes[track.convener]
        rivals = " and ".join(ctx.codes[m] for m in track.members)
        tracks.append(
            TrackResult(
                kind=track.kind,
                members=[ctx.codes[m] for m in track.members],
                convener=convener,
                rationale=(
                    f"A separate {track.kind} track seats {rivals}, which the core does not hold together; "
                    f"{convener} is the state best placed between them. It is a negotiation of its own: "
                    f"it agrees with probability {track.probability:.2f} and takes about {track.months:.0f} "
                    f"months ({track.in_time:.0%} within the deadline)."
                ),
                probability=r6(track.probability),
                in_time=r6(track.in_time),
                expected_months=r6(track.months),
            )
        )
    details = criteria["parsimony"].details
    passengers = list(details.get("passengers", [])) if isinstance(details.get("passengers"), list) else []
    months = criteria["timeliness"].details.get("expected_months", 0.0)
    return Recommendation(
        rank=rank,
        score=r6(evaluation.total),
        members=[ctx.codes[m] for m in arch.members],
        names=[ctx.names[m] for m in arch.members],
        convener=ctx.codes[arch.convener] if arch.convener is not None else None,
        tracks=tracks,
        criteria=criteria,
        expansion=ladder(ctx, evaluation) if with_ladder else [],
        passengers=passengers,
        coverage=r6(arch.node.coverage),
        expected_months=float(months) if isinstance(months, int | float) else 0.0,
    )
