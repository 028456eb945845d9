"""The core API: propose and score. Computes and returns result models; never prints or exits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from coalesce.compiled import Context
from coalesce.errors import UsageError
from coalesce.loading.files import Dataset
from coalesce.models.results import Advice, Move, Parameters, ProposeResult, ScoreResult, SearchInfo
from coalesce.problem import compile as compile_problem
from coalesce.report import best_additions, issue_summary, parameters, r6, recommendation
from coalesce.request import DEFAULT_WORK_BUDGET, HARD_MAX_SIZE, Request, build_request, resolve_actors
from coalesce.scoring import evaluate
from coalesce.search import SearchOutcome, top_k

DEFAULT_TIME_LIMIT: float | None = None
"""No wall-clock limit unless the user sets one: searches stop on DEFAULT_WORK_BUDGET, so output is
byte-identical on every machine; `--time-limit` is a safety net, and output it cut says so."""


def _parameters(request: Request, scenarios: Iterable[str], sets: Mapping[str, object] | None) -> Parameters:
    return parameters(request.constraints, request.top, scenarios, sets)


def context_for(dataset: Dataset, request: Request) -> Context:
    """Compile the dataset for one request (through the one door, `problem.compile`)."""
    return compile_problem(dataset, request).context


def propose(
    dataset: Dataset,
    issue_id: str,
    *,
    top: int = 5,
    min_size: int | None = None,
    max_size: int | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    timing: bool = False,
    scenarios: Iterable[str] = (),
    sets: Mapping[str, object] | None = None,
    node_limit: int | None = None,
    work_limit: int | None = DEFAULT_WORK_BUDGET,
) -> ProposeResult:
    """Ranked architectures for an issue: the exact top `top` (or best found within `time_limit`)."""
    request = build_request(
        dataset,
        issue_id,
        top=top,
        min_size=min_size,
        max_size=max_size,
        include=include,
        exclude=exclude,
        weights=weights,
    )
    ctx = context_for(dataset, request)
    note = None
    available = len(ctx.candidates) + len(ctx.forced)
    if available < request.constraints.min_size:
        outcome = None
        note = (
            f"infeasible: only {available} actors are available (after exclusions) but --min-size is "
            f"{request.constraints.min_size}"
        )
    else:
        outcome = top_k(ctx, request.top, time_limit, node_limit=node_limit, work_limit=work_limit)
        if not outcome.results:
            note = "infeasible: no grouping satisfies the size limits"
        elif len(outcome.results) < request.top:
            note = f"only {len(outcome.results)} groupings satisfy the size limits"
    recommendations = [
        recommendation(ctx, found.members, rank)
        for rank, found in enumerate(outcome.results if outcome else (), 1)
    ]
    return ProposeResult(
        issue=issue_summary(ctx.issue),
        parameters=_parameters(request, scenarios, sets),
        search=SearchInfo(
            exact=outcome.exact if outcome else True,
            gap=r6(outcome.gap) if outcome else 0.0,
            nodes=outcome.nodes if outcome else 0,
            seconds=round(outcome.seconds, 4) if (outcome and timing) else None,
            time_limit=time_limit,
            stopped_by=_stopped_by(outcome, time_limit) if outcome else None,
            candidates=len(ctx.candidates),
            skipped=list(ctx.skipped),
        ),
        recommendations=recommendations,
        note=note,
    )


def _stopped_by(outcome: SearchOutcome, time_limit: float | None) -> str | None:
    """Why an inexact search stopped: the deterministic work budget, or the user's time limit."""
    if not outcome.timed_out:
        return None
    if time_limit is not None and outcome.seconds >= time_limit:
        return "time limit"
    return "work budget"


def score(
    dataset: Dataset,
    issue_id: str,
    members: Iterable[str],
    *,
    weights: Mapping[str, float] | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    exclude: Iterable[str] = (),
    rank_depth: int = 10,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    scenarios: Iterable[str] = (),
    sets: Mapping[str, object] | None = None,
    node_limit: int | None = None,
    ranked: bool = True,
    work_limit: int = DEFAULT_WORK_BUDGET,
) -> ScoreResult:
    """Assess a given grouping with the same rules and rationale, plus advice."""
    codes = resolve_actors(dataset, members, "members")
    if not codes:
        raise UsageError("name at least one member, e.g. USA,CHN,GBR")
    issue = dataset.issues.get(issue_id)
    actors = len(dataset.world.actors)
    if len(codes) > min(HARD_MAX_SIZE, actors):
        raise UsageError(
            f"the grouping names {len(codes)} actors; a grouping has at most {min(HARD_MAX_SIZE, actors)} "
            f"(coalitions above {HARD_MAX_SIZE} are not minilateral)"
        )
    high = (
        max_size
        if max_size is not None
        else max(len(codes), min(issue.max_size, actors) if issue else len(codes))
    )
    low = min(high, min_size if min_size is not None else (issue.min_size if issue else 1))
    request = build_request(
        dataset, issue_id, top=rank_depth, min_size=low, max_size=high, exclude=exclude, weights=weights
    )
    excluded = set(request.constraints.exclude) & set(codes)
    if excluded:
        raise UsageError(f"the grouping names excluded actors: {', '.join(sorted(excluded))}")
    ctx = context_for(dataset, request)
    indices = tuple(sorted(ctx.index[c] for c in codes))
    missing = [ctx.codes[i] for i in indices if not ctx.has_alignment[i]]
    if missing:
        raise UsageError(f"cannot score {', '.join(missing)}: no alignment figure in the data")
    rec = recommendation(ctx, indices, None)
    current = evaluate(ctx, indices).total
    additions = best_additions(ctx, indices, 1) if len(indices) < request.constraints.max_size else []
    best_add = None
    if additions:
        total, actor = additions[0]
        best_add = Move(
            actor=ctx.codes[actor], name=ctx.names[actor], score_after=r6(total), delta=r6(total - current)
        )
    best_remove = None
    if len(indices) > max(1, request.constraints.min_size):
        removals = []
        for m in indices:
            rest = tuple(i for i in indices if i != m)
            removals.append((evaluate(ctx, rest).total, m))
        removals.sort(key=lambda item: (-item[0], ctx.codes[item[1]]))
        total, actor = removals[0]
        best_remove = Move(
            actor=ctx.codes[actor], name=ctx.names[actor], score_after=r6(total), delta=r6(total - current)
        )
    rank, rank_note = (
        _rank(ctx, indices, request.top, time_limit, node_limit, work_limit)
        if ranked
        else (None, "not ranked")
    )
    return ScoreResult(
        **rec.model_dump(),
        issue=issue_summary(ctx.issue),
        parameters=_parameters(request, scenarios, sets),
        advice=Advice(best_addition=best_add, best_removal=best_remove, rank=rank, rank_note=rank_note),
    )


def _rank(
    ctx: Context,
    members: tuple[int, ...],
    depth: int,
    time_limit: float | None,
    node_limit: int | None = None,
    work_limit: int = DEFAULT_WORK_BUDGET,
) -> tuple[int | None, str]:
    size_ok = ctx.constraints.min_size <= len(members) <= ctx.constraints.max_size
    if not size_ok:
        return None, "outside the size limits, so not ranked"
    outcome = top_k(ctx, depth, time_limit, node_limit=node_limit, work_limit=work_limit)
    for rank, found in enumerate(outcome.results, 1):
        if found.members == members:
            return (
                rank,
                f"rank {rank} of all groupings of {ctx.constraints.min_size}-{ctx.constraints.max_size} members",
            )
    if outcome.exact:
        return (
            None,
            f"below the top {depth} groupings of {ctx.constraints.min_size}-{ctx.constraints.max_size} members",
        )
    return None, f"not in the best groupings found within the {_stopped_by(outcome, time_limit)}"
