"""Naím's curve: the best architecture of every size, and the size after which adding members stops paying.

For each size k from 1 to the maximum, an exact search with min = max = k finds the best architecture.
The *magic number* is the size whose best architecture scores highest (the first, on ties): below it,
one more member still pays; beyond it, every larger group scores less. `reaches_target` is the smallest
size whose best architecture holds the issue's target share of capability.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from coalesce import progress
from coalesce.compiled import Constraints
from coalesce.loading.files import Dataset
from coalesce.models.analysis import FrontierPoint, FrontierResult
from coalesce.models.results import SearchInfo
from coalesce.problem import compile as compile_problem
from coalesce.report import issue_summary, parameters, r6
from coalesce.request import DEFAULT_WORK_BUDGET, build_request
from coalesce.scoring import evaluate
from coalesce.search import top_k


def frontier(
    dataset: Dataset,
    issue_id: str,
    *,
    max_size: int | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    time_limit: float | None = None,
    scenarios: Iterable[str] = (),
    sets: Mapping[str, object] | None = None,
    work_limit: int = DEFAULT_WORK_BUDGET,
) -> FrontierResult:
    """The best architecture of each size from 1 (or the number of forced members) to the maximum."""
    request = build_request(
        dataset,
        issue_id,
        top=1,
        min_size=1,
        max_size=max_size,
        include=include,
        exclude=exclude,
        weights=weights,
    )
    base = request.constraints
    problem = compile_problem(dataset, request)
    began = time.perf_counter()
    points: list[FrontierPoint] = []
    nodes, all_exact = 0, True
    smallest = max(1, len(base.include))
    sizes = list(range(smallest, base.max_size + 1))
    for position, size in enumerate(progress.each("frontier sizes", sizes)):
        budget = None
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - began)
            budget = max(0.05, left / (len(sizes) - position))
        constraints = Constraints(
            min_size=size, max_size=size, include=base.include, exclude=base.exclude, weights=base.weights
        )
        ctx = problem.with_constraints(constraints).context
        outcome = top_k(ctx, 1, budget, work_limit=work_limit)
        nodes += outcome.nodes
        all_exact = all_exact and outcome.exact
        if not outcome.results:
            points.append(
                FrontierPoint(
                    size=size, score=None, coverage=None, members=[], convener=None, exact=outcome.exact
                )
            )
            continue
        best = outcome.results[0]
        evaluation = evaluate(ctx, best.members)
        points.append(
            FrontierPoint(
                size=size,
                score=r6(best.score),
                coverage=r6(evaluation.arch.node.coverage),
                members=[ctx.codes[m] for m in best.members],
                convener=ctx.codes[evaluation.arch.convener]
                if evaluation.arch.convener is not None
                else None,
                criteria={name: r6(v.value) for name, v in evaluation.criteria.items()},
                exact=outcome.exact,
            )
        )
    scored = [p for p in points if p.score is not None]
    magic = max(scored, key=lambda p: (p.score, -p.size)).size if scored else None
    target = request.issue.target
    reaches = next((p.size for p in scored if p.coverage is not None and p.coverage >= target - 1e-9), None)
    return FrontierResult(
        issue=issue_summary(request.issue),
        parameters=parameters(base, 1, scenarios, sets, min_size=smallest),
        points=points,
        magic_number=magic,
        reaches_target=reaches,
        search=SearchInfo(
            exact=all_exact,
            gap=0.0,
            nodes=nodes,
            time_limit=time_limit,
            candidates=len(problem.context.candidates),
        ),
        note=None
        if reaches is not None
        else f"no size up to {base.max_size} reaches the {target:.0%} target",
    )
