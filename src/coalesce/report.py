"""Turn an evaluated architecture into a Recommendation: reasons, tracks, passengers, expansion ladder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from coalesce.architecture import co_convener
from coalesce.coalition import Node
from coalesce.compiled import Constraints, Context
from coalesce.criteria.parsimony import joins_as_rider
from coalesce.criteria.registry import NAMES
from coalesce.models.issue import Issue
from coalesce.models.results import (
    ConvenerCandidate,
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


def strategic_invitees(ctx: Context, members: tuple[int, ...]) -> list[tuple[float, float, float, int]]:
    """Invitees who would bring something, by expected contribution: (value, join probability, coverage
    gained, actor), best first (ties by code).

    The join probability is the invitee's agreement with the core's convener in the issue's UN vote
    categories (the probability it votes with the convener: that it accepts the convener's text). The
    value is that probability times what it brings: the coverage it adds, plus one unit of the issue's
    target for a needed niche the core lacks and one for a key rival's seat (what an analyst invites for).
    Passengers are never proposed."""
    from coalesce.architecture import choose_convener, convener_figures

    node = Node.of(ctx, members)
    convener, _, _ = choose_convener(ctx, node)
    inside = set(members)
    out = []
    for actor in ctx.candidates:
        if actor in inside or not brings_something(ctx, node, actor):
            continue
        gain = max(0.0, node.add(ctx, actor).coverage - node.coverage)
        if convener is None or convener == actor:
            p = 1.0
        else:
            p = convener_figures(ctx, convener, (actor,))["acceptability"]
        niche = any(
            score > held + 1e-9 for score, held in zip(ctx.tag_scores[actor], node.tagmax, strict=True)
        )
        role = ctx.issue.target * (float(niche) + float(actor in ctx.rival_set))
        out.append((p * (gain + role), p, gain, actor))
    out.sort(key=lambda t: (-t[0], ctx.codes[t[3]]))
    return out


def ladder(ctx: Context, evaluation: Evaluation, steps: int = LADDER_STEPS) -> list[ExpansionStep]:
    """Strategic next invitees (issue 15): at each rung the invitee with the largest expected contribution
    (`strategic_invitees`), with who would join (its probability of accepting the convener's text), what
    it brings (coverage, a needed niche, a rival's seat) and what it costs (the change in each criterion
    and in the total, which may fall: the ladder is not the least damaging addition)."""
    out: list[ExpansionStep] = []
    members = evaluation.arch.members
    previous = evaluation
    for step in range(1, steps + 1):
        options = strategic_invitees(ctx, members)
        if not options:
            break
        _, p, gain, actor = options[0]
        before = previous.arch.node
        members = tuple(sorted((*members, actor)))
        after = evaluate(ctx, members)
        deltas = {name: r6(after.criteria[name].value - previous.criteria[name].value) for name in NAMES}
        # What moves the total: a criterion at weight 0 moves nothing.
        costs = [
            f"{name} {d:+.2f}"
            for name, d in sorted(deltas.items(), key=lambda kv: -abs(kv[1]))
            if abs(d) >= 0.005 and ctx.weights[name] > 0
        ]
        brings = [f"{gain:.0%} more coverage"] if gain >= 0.005 else []
        niches = [
            t
            for t, score, held in zip(ctx.tag_ids, ctx.tag_scores[actor], before.tagmax, strict=True)
            if score > held + 1e-9
        ]
        if niches:
            brings.append("niche " + ", ".join(niches))
        if actor in ctx.rival_set:
            brings.append("a key rival's seat")
        out.append(
            ExpansionStep(
                step=step,
                invite=ctx.codes[actor],
                name=ctx.names[actor],
                score_after=r6(after.total),
                delta=r6(after.total - previous.total),
                criteria_delta=deltas,
                reason=(
                    f"would join with p={p:.2f}; brings {', '.join(brings) or 'little'}; costs "
                    + (", ".join(costs[:3]) if costs else "no criterion 0.01 or more")
                ),
                join_probability=r6(p),
                brings=brings,
            )
        )
        previous = after
    return out


CONVENER_LIST = 5
"""How many convener candidates a recommendation lists."""


def convener_candidates(
    ctx: Context, members: tuple[int, ...], limit: int = CONVENER_LIST
) -> list[ConvenerCandidate]:
    """The convener ranking for a core, best first: any state, members included."""
    from coalesce.architecture import convener_figures, convener_ranking

    inside = set(members)
    return [
        ConvenerCandidate(
            rank=k + 1,
            actor=ctx.codes[c],
            quality=r6(q),
            member=c in inside,
            figures={name: r6(v) for name, v in convener_figures(ctx, c, members).items()},
        )
        for k, (c, q) in enumerate(convener_ranking(ctx, members)[:limit])
    ]


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
    low = criteria["timeliness"].details.get("months_low")
    high = criteria["timeliness"].details.get("months_high")
    second = co_convener(ctx, arch.members, arch.convener)
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
        months_interval=[float(low), float(high)]
        if isinstance(low, int | float) and isinstance(high, int | float)
        else None,
        co_convener=ctx.codes[second] if second is not None else None,
        conveners=convener_candidates(ctx, arch.members),
    )


def honest(ctx: Context, cores: list[tuple[int, ...]], recs: list[Recommendation]) -> list[Recommendation]:
    """Ties and member probabilities on propose's list (issue 15): the listed cores re-scored under the
    robustness draws (`analysis.robustness.listed_noise`)."""
    from coalesce.analysis.robustness import listed_noise

    tied, shares = listed_noise(ctx, cores)
    return [
        rec.model_copy(
            update={
                "tied_with_best": tie,
                "member_probability": {ctx.codes[m]: r6(v) for m, v in sorted(share.items())},
            }
        )
        for rec, tie, share in zip(recs, tied, shares, strict=True)
    ]
