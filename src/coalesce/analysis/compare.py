"""`coalesce compare`: the baseline against each scenario, side by side.

Each scenario file is compared with the baseline on its own (not cumulatively); --set flags and --weight
apply to both sides. For the baseline's top cores the comparison gives their rank and score under the
scenario, and for the winners it gives the per-criterion deltas, who enters and leaves the core, and any
change of convener or tracks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from coalesce import engine
from coalesce.models.analysis import CompareResult, RankChange, ScenarioComparison
from coalesce.models.results import ProposeResult
from coalesce.report import r6
from coalesce.request import DEFAULT_WORK_BUDGET, build_request
from coalesce.scenarios import Applied, apply_scenario, load_scenario
from coalesce.scoring import evaluate


def _options(
    applied: Applied, top: int, weights: Mapping[str, float], max_size: int | None
) -> dict[str, Any]:
    """The request options of a run: the scenario's include, exclude and weights, then the flags'."""
    return {
        "top": top,
        "max_size": max_size,
        "include": applied.include,
        "exclude": applied.exclude,
        "weights": {**applied.weights, **weights},
    }


def _run(
    applied: Applied,
    issue: str,
    top: int,
    weights: Mapping[str, float],
    max_size: int | None,
    work_limit: int = DEFAULT_WORK_BUDGET,
) -> ProposeResult:
    return engine.propose(
        applied.dataset,
        issue,
        **_options(applied, top, weights, max_size),
        work_limit=work_limit,
        scenarios=applied.names,
        sets=applied.sets,
    )


def compare(
    base: Applied,
    issue: str,
    scenario_paths: list[Path],
    *,
    top: int = 5,
    weights: Mapping[str, float] | None = None,
    max_size: int | None = None,
    work_limit: int = DEFAULT_WORK_BUDGET,
) -> CompareResult:
    """Baseline (`base`, with any --set already applied) against each scenario file."""
    weights = dict(weights or {})
    baseline = _run(base, issue, top, weights, max_size, work_limit)
    comparisons = []
    for path in scenario_paths:
        scenario, tree, label = load_scenario(path)
        applied = apply_scenario(replace(base, names=()), scenario, tree, label)
        result = _run(applied, issue, top, weights, max_size, work_limit)
        request = build_request(applied.dataset, issue, **_options(applied, top, weights, max_size))
        ctx = engine.context_for(applied.dataset, request)
        scenario_tops = [rec.members for rec in result.recommendations]
        changes = []
        for rec in baseline.recommendations:
            allowed = all(c in ctx.index and ctx.index[c] not in ctx.excluded for c in rec.members) and all(
                c in rec.members for c in request.constraints.include
            )
            score = r6(evaluate(ctx, tuple(ctx.index[c] for c in rec.members)).total) if allowed else None
            changes.append(
                RankChange(
                    members=rec.members,
                    baseline_rank=rec.rank or 0,
                    scenario_rank=scenario_tops.index(rec.members) + 1
                    if rec.members in scenario_tops
                    else None,
                    baseline_score=rec.score,
                    scenario_score=score,
                )
            )
        before = baseline.recommendations[0] if baseline.recommendations else None
        after = result.recommendations[0] if result.recommendations else None
        deltas = (
            {name: r6(after.criteria[name].score - before.criteria[name].score) for name in before.criteria}
            if before and after
            else {}
        )
        comparisons.append(
            ScenarioComparison(
                scenario=scenario.name,
                description=scenario.description,
                top=scenario_tops,
                scores=[rec.score for rec in result.recommendations],
                rank_changes=changes,
                criteria_delta=deltas,
                score_delta=r6(after.score - before.score) if before and after else None,
                entered=sorted(set(after.members) - set(before.members)) if before and after else [],
                left=sorted(set(before.members) - set(after.members)) if before and after else [],
                convener_before=before.convener if before else None,
                convener_after=after.convener if after else None,
                tracks_before=[t.members for t in before.tracks] if before else [],
                tracks_after=[t.members for t in after.tracks] if after else [],
            )
        )
    return CompareResult(
        issue=baseline.issue,
        baseline_top=[rec.members for rec in baseline.recommendations],
        baseline_scores=[rec.score for rec in baseline.recommendations],
        comparisons=comparisons,
    )
