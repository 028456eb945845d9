"""`coalesce backtest`: run the historical cases and report how close coalesce comes to what formed.

For each case in cases.yaml: the issue as it stood that year (an issue id with `issue_overrides`, or an
inline issue), the world with the case's own `set` overrides, then `propose`. Reported per case:
- the Jaccard overlap of the recommended core with the real core (codes as written; a bloc is one code);
- the real convener's rank among all actors by the engine's convener quality for the recommended core
  (the engine only proposes small states, so a great-power convener is noted as ineligible);
- the real core's score and rank (among the top 10) and its gap to the recommendation;
- the timeliness model's months for the real core against the real months. Where the case is one of the
  calibration negotiations, the model is refitted without it (leave-one-out), so no case predicts itself.
Baselines in the same table: the G7 states, and the N largest capability holders in the case's domains
(N = the size of the real core). Searches use a node budget, not a time limit, so the report is the same
on every machine.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from coalesce import engine
from coalesce.analysis.calibration import fit
from coalesce.architecture import acceptability
from coalesce.cases import Case, CaseFile, case_dataset, load_cases
from coalesce.coalition import Node
from coalesce.compiled import Constraints, Context, compile_context
from coalesce.criteria.timeliness import expected_log_months
from coalesce.errors import UsageError
from coalesce.loading.files import Dataset
from coalesce.models.analysis import BacktestCase, BacktestResult, BacktestTotals
from coalesce.report import r6

NODE_LIMIT = 200_000
RANK_DEPTH = 10


def jaccard(a: list[str], b: list[str]) -> float:
    """|A n B| / |A u B|."""
    union = set(a) | set(b)
    return len(set(a) & set(b)) / len(union) if union else 1.0


def _loo_params(dataset: Dataset, cases: CaseFile, case: Case) -> Dataset:
    if case.negotiation is None:
        return dataset
    rest = [n for n in cases.negotiations if n.id != case.negotiation]
    model = fit([n.parties for n in rest], [n.spread for n in rest], [n.months for n in rest])
    params = dataset.params.model_copy(
        update={
            "timeliness_intercept": model.intercept,
            "timeliness_size_elasticity": model.size_elasticity,
            "timeliness_spread_coefficient": model.spread_coefficient,
            "timeliness_residual_sd": model.residual_sd,
        }
    )
    return replace(dataset, params=params)


def convener_rank(ctx: Context, members: tuple[int, ...], real: int) -> int:
    """Rank of `real` among all actors by convener quality for this core (1 = the engine's choice)."""
    node = Node.of(ctx, members)

    def quality(c: int) -> float:
        accept = acceptability(ctx, c, node.amin, node.amax, not node.members)
        return float((ctx.fit[c] * ctx.neutrality[c] * accept) ** (1.0 / 3.0))

    eligible = [c for c in range(len(ctx.codes)) if ctx.has_alignment[c] and c not in ctx.excluded]
    target = quality(real)
    return 1 + sum(1 for c in eligible if c != real and (quality(c), -c) > (target, -real))


def run_case(dataset: Dataset, cases: CaseFile, case: Case) -> BacktestCase:
    """One case, measured."""
    data, issue = case_dataset(_loo_params(dataset, cases, case), case)
    real = sorted(case.members)
    max_size = max(issue.max_size, len(real))
    proposal = engine.propose(data, case.id, top=RANK_DEPTH, time_limit=None, node_limit=NODE_LIMIT)
    ctx = compile_context(
        data.world, issue, data.params, Constraints(min_size=issue.min_size, max_size=max_size)
    )
    top = proposal.recommendations[0] if proposal.recommendations else None
    recommended = top.members if top else []
    real_idx = tuple(sorted(ctx.index[c] for c in real))
    real_score = engine.score(
        data, case.id, [",".join(real)], max_size=max_size, rank_depth=1, time_limit=None
    )
    rank = next((rec.rank for rec in proposal.recommendations if rec.members == real), None)
    rec_idx = tuple(ctx.index[c] for c in recommended)
    conv = convener_rank(ctx, rec_idx, ctx.index[case.convener]) if case.convener in ctx.index else None
    node = Node.of(ctx, real_idx)
    estimate = math.exp(expected_log_months(ctx, node.size, node.spread))
    g7 = sorted(a.code for a in data.world.actors if "G7" in a.memberships and a.kind == "state")
    holders = sorted(ctx.candidates, key=lambda a: (-ctx.actor_value(a), ctx.codes[a]))[: len(real)]
    top_n = sorted(ctx.codes[a] for a in holders)
    return BacktestCase(
        id=case.id,
        name=case.name,
        year=case.year,
        real_core=real,
        real_convener=case.convener,
        recommended=recommended,
        recommended_convener=top.convener if top else None,
        jaccard=r6(jaccard(recommended, real)),
        convener_rank=conv,
        convener_eligible=bool(case.convener in ctx.index and ctx.small[ctx.index[case.convener]]),
        real_score=real_score.score,
        recommended_score=top.score if top else None,
        score_gap=r6(top.score - real_score.score) if top else None,
        real_rank=rank,
        estimated_months=r6(estimate),
        actual_months=case.months_to_agreement,
        months_log_error=r6(math.log(estimate / case.months_to_agreement))
        if case.months_to_agreement
        else None,
        left_out_of_fit=case.negotiation,
        exact=proposal.search.exact,
        g7_jaccard=r6(jaccard(g7, real)),
        top_n=top_n,
        top_n_jaccard=r6(jaccard(top_n, real)),
    )


def backtest(dataset: Dataset, cases_path: Path | None = None, case_id: str | None = None) -> BacktestResult:
    """Every case (or one), with totals."""
    cases = load_cases(dataset, cases_path or dataset.directory / "cases.yaml")
    chosen = [c for c in cases.cases if case_id is None or c.id == case_id]
    if not chosen:
        known = ", ".join(c.id for c in cases.cases)
        raise UsageError(f"--case {case_id!r}: no such case; known: {known}")
    rows = [run_case(dataset, cases, case) for case in chosen]
    timed = [r.months_log_error for r in rows if r.months_log_error is not None]
    ranked = [r for r in rows if r.convener_rank is not None]
    mean_abs = sum(abs(e) for e in timed) / len(timed) if timed else None
    totals = BacktestTotals(
        cases=len(rows),
        mean_jaccard=r6(sum(r.jaccard for r in rows) / len(rows)),
        mean_jaccard_g7=r6(sum(r.g7_jaccard for r in rows) / len(rows)),
        mean_jaccard_top_n=r6(sum(r.top_n_jaccard for r in rows) / len(rows)),
        convener_top3=sum(1 for r in ranked if r.convener_rank is not None and r.convener_rank <= 3),
        convener_ranked=len(ranked),
        real_core_in_top10=sum(1 for r in rows if r.real_rank is not None),
        timed_cases=len(timed),
        mean_abs_log_months_error=r6(mean_abs) if mean_abs is not None else None,
        typical_months_factor=r6(math.exp(mean_abs)) if mean_abs is not None else None,
        exact_cases=sum(1 for r in rows if r.exact),
    )
    return BacktestResult(cases=rows, totals=totals)
