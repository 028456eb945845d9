"""One case under the protocol (docs/backtest.md): the engine, the baselines and the failure checks.

Only the public engine API is used (`coalesce.engine.propose` / `score`, `coalesce.robustness`), so this
keeps working when the engine's internals change. Every search has a node or work budget.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from coalesce import engine
from coalesce.analysis.backtest import metrics, vintage
from coalesce.analysis.calibration import fit
from coalesce.analysis.robustness import robustness
from coalesce.architecture import convener_ranking
from coalesce.cases import LEGITIMACY_BY_CLASS, Case, CaseFile, Failure, case_dataset
from coalesce.loading.files import Dataset
from coalesce.models.backtest import BacktestCase, FailureCase, MemberProbability, Overlap, VintageInfo
from coalesce.models.issue import Issue, Weights
from coalesce.models.results import ProposeResult, ScoreResult
from coalesce.models.world import World
from coalesce.report import r6
from coalesce.request import build_request

TOP = 10
NODE_LIMIT = 200_000
DRAWS = 20
DRAW_SEED = 14
CONVENER_DEPTH = 10
MIN_MONTHS = 0.5
MAX_SIZE_CEILING = 60
"""SPEC: coalitions above 60 are not minilateral (nor above the world's number of actors)."""
BASELINES = {
    "g7": "the G7",
    "g20": "the G20",
    "top_n": "top-N holders (engine's size)",
    "top_n_oracle": "top-N holders (true size, oracle)",
    "like_minded": "like-minded top-N (engine's size)",
}


@dataclass(frozen=True)
class Prepared:
    """A case's world, issue, weights and size limits under the protocol."""

    data: Dataset
    issue: Issue
    weights: dict[str, float]
    min_size: int
    max_size: int
    info: VintageInfo


def _loo_params(dataset: Dataset, cases: CaseFile, case: Case) -> Dataset:
    """The timeliness model refitted without the case's own negotiation (leave-one-out)."""
    if case.negotiation is None:
        return dataset
    rest = [n for n in cases.fitted if n.id != case.negotiation]
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


def prepare(dataset: Dataset, cases: CaseFile, case: Case) -> Prepared:
    """Vintage layer, the case's issue, default weights (capability 0 where unmeasured, legitimacy its
    issue class's), size limits."""
    dated, info = vintage.apply(_loo_params(dataset, cases, case), case.year)
    data, issue = case_dataset(dated, case)
    weights = Weights().as_dict()
    if case.capability_unmeasured:
        weights["capability"] = 0.0
    weights["legitimacy"] = LEGITIMACY_BY_CLASS[case.issue_class] if case.issue_class is not None else 0.0
    n = len(case.members)
    low = case.min_size if case.min_size is not None else min(issue.min_size, n)
    high = case.max_size if case.max_size is not None else max(issue.max_size, 10 * math.ceil(n / 10))
    high = min(high, MAX_SIZE_CEILING, len(data.world.actors))
    return Prepared(data, issue, weights, low, max(high, low), info)


def expand(world: World, codes: list[str]) -> set[str]:
    """Member states: a bloc becomes its members, a state stays itself."""
    out: set[str] = set()
    for code in codes:
        actor = next((a for a in world.actors if a.code == code), None)
        if actor is not None and actor.kind == "bloc":
            out |= set(actor.members)
        else:
            out.add(code)
    return out


def overlap(world: World, members: list[str], real: set[str]) -> Overlap:
    states = expand(world, members)
    return Overlap(
        members=sorted(members),
        states=len(states),
        jaccard=r6(metrics.jaccard(states, real)),
        precision=r6(metrics.precision(states, real)),
        recall=r6(metrics.recall(states, real)),
    )


def _value(world: World, issue: Issue, code: str) -> float:
    actor = world.actor(code)
    total = sum(issue.domains.values())
    value = 0.0
    for domain, weight in issue.domains.items():
        fig = actor.capabilities.get(domain)
        if fig is not None:
            value += weight / total * fig.share
    return value


def _holders(world: World, issue: Issue, pool: list[str], n: int) -> list[str]:
    ranked = sorted(pool, key=lambda c: (-_value(world, issue, c), c))
    return ranked[: max(0, n)]


def baselines(
    data: Dataset, issue: Issue, case: Case, engine_size: int, real: set[str]
) -> dict[str, Overlap]:
    """G7, G20, top-N at the engine's size and at the true size (oracle), like-minded top-N.

    Sizes count members as the engine does (a bloc is one); the top-N holders are states.
    """
    world = data.world
    states = [a for a in world.actors if a.kind == "state" and a.code not in issue.exclude]
    codes = [a.code for a in states]
    out = {}
    for key, grouping in (("g7", "G7"), ("g20", "G20")):
        members = [a.code for a in world.actors if grouping in a.memberships]
        out[key] = overlap(world, members, real)
    out["top_n"] = overlap(world, _holders(world, issue, codes, engine_size), real)
    out["top_n_oracle"] = overlap(world, _holders(world, issue, codes, len(case.members)), real)
    lead = world.actor(case.convener)
    if lead.alignment is None:
        near = codes
    else:
        point = lead.alignment.ideal_point
        aligned = [a for a in states if a.alignment is not None and a.code != lead.code]
        aligned.sort(key=lambda a: (abs(a.alignment.ideal_point - point), a.code))  # type: ignore[union-attr]
        near = [a.code for a in aligned[: len(aligned) // 2]]
    rest = _holders(world, issue, [c for c in near if c != lead.code], engine_size - 1)
    out["like_minded"] = overlap(world, sorted({lead.code, *rest}), real)
    return out


def rank_bound(proposal: ProposeResult, members: list[str], score: float) -> tuple[int | None, str]:
    """Exact rank if the real grouping is in the top list of an exact search, else a bound."""
    for rec in proposal.recommendations:
        if rec.members == members:
            return (rec.rank, str(rec.rank)) if proposal.search.exact else (None, f">= {rec.rank}")
    if proposal.search.exact:
        return None, f"> {len(proposal.recommendations)}"
    above = sum(1 for rec in proposal.recommendations if rec.score > score)
    return None, f">= {above + 1}"


def convener_rank(
    p: Prepared, case_id: str, members: list[str], conveners: list[str]
) -> tuple[int | None, str, list[str], bool]:
    """The rank of the best-ranked real convener in the engine's full ranking of convener candidates for
    the real core (any state, members too; `architecture.convener_ranking`).

    Returns (rank, rank as text, the engine's first CONVENER_DEPTH candidates, settled). The ranking is
    defined for members and outsiders alike, so the rank is always settled; "not a candidate" when no
    real convener can convene under the case's settings (excluded or without an alignment figure).
    """
    request = build_request(
        p.data, case_id, top=1, min_size=p.min_size, max_size=p.max_size, weights=p.weights
    )
    ctx = engine.context_for(p.data, request)
    indices = tuple(sorted(ctx.index[c] for c in members))
    ranked = [ctx.codes[c] for c, _ in convener_ranking(ctx, indices)]
    chain = ranked[:CONVENER_DEPTH]
    for rank, code in enumerate(ranked, 1):
        if code in conveners:
            return rank, str(rank), chain, True
    return None, "not a candidate", chain, True


def _membership(
    p: Prepared, case_id: str, real: set[str]
) -> tuple[list[float], list[bool], dict[str, float]]:
    spread = robustness(
        p.data,
        case_id,
        draws=DRAWS,
        seed=DRAW_SEED,
        workers=1,
        min_size=p.min_size,
        max_size=p.max_size,
        weights=p.weights,
    )
    world = p.data.world
    share = {s.actor: s.share for s in spread.membership}
    prob: dict[str, float] = {}
    for actor in world.actors:
        if actor.kind == "bloc" and actor.code in share:
            for m in actor.members:
                prob[m] = max(prob.get(m, 0.0), share[actor.code])
    states = sorted(a.code for a in world.actors if a.kind == "state")
    for code in states:
        prob[code] = max(prob.get(code, 0.0), share.get(code, 0.0))
    return [prob[c] for c in states], [c in real for c in states], prob


def _score_grouping(p: Prepared, issue_id: str, members: list[str]) -> ScoreResult:
    """The engine's assessment of a real grouping under the case's settings (no rank search)."""
    return engine.score(
        p.data,
        issue_id,
        [",".join(members)],
        weights=p.weights,
        min_size=p.min_size,
        max_size=p.max_size,
        rank_depth=1,
        time_limit=None,
        node_limit=1,
    )


def run_case(dataset: Dataset, cases: CaseFile, case: Case) -> BacktestCase:
    """One founding core, measured."""
    p = prepare(dataset, cases, case)
    world = p.data.world
    real_units = sorted(case.members)
    real = expand(world, real_units)
    proposal = engine.propose(
        p.data,
        case.id,
        top=TOP,
        min_size=p.min_size,
        max_size=p.max_size,
        weights=p.weights,
        time_limit=None,
        node_limit=NODE_LIMIT,
    )
    top = proposal.recommendations[0] if proposal.recommendations else None
    recommended = overlap(world, top.members, real) if top else None
    scored = _score_grouping(p, case.id, real_units)
    rank, bound = rank_bound(proposal, real_units, scored.score)
    conv, conv_bound, chain, settled = convener_rank(p, case.id, real_units, case.conveners)
    probs, outcomes, prob = _membership(p, case.id, real)
    engine_size = len(top.members) if top else 0
    months = scored.expected_months
    actual = case.months_to_agreement
    return BacktestCase(
        id=case.id,
        name=case.name,
        year=case.year,
        real_core=real_units,
        non_state=list(case.non_state),
        conveners=case.conveners,
        min_size=p.min_size,
        max_size=p.max_size,
        weights=p.weights,
        recommended=recommended,
        recommended_convener=top.convener if top else None,
        baselines=baselines(p.data, p.issue, case, engine_size, real),
        real_score=scored.score,
        recommended_score=top.score if top else None,
        real_rank=rank,
        real_rank_bound=bound,
        convener_rank=conv,
        convener_rank_bound=conv_bound,
        convener_chain=chain,
        convener_settled=settled,
        membership=[MemberProbability(actor=c, probability=r6(prob.get(c, 0.0))) for c in sorted(real)],
        brier=r6(metrics.brier(probs, outcomes)),
        auc=None if (a := metrics.auc(probs, outcomes)) is None else r6(a),
        mean_member_probability=r6(sum(prob.get(c, 0.0) for c in real) / len(real)),
        draws=DRAWS,
        veto_probability=scored.criteria["veto"].score if "veto" in scored.criteria else 1.0,
        estimated_months=r6(months),
        actual_months=actual,
        months_log_error=r6(math.log(months / max(actual, MIN_MONTHS))) if actual is not None else None,
        left_out_of_fit=case.negotiation,
        exact=proposal.search.exact,
        nodes=proposal.search.nodes,
        vintage=p.info,
    )


_BLOCKER = re.compile(r"(?:likeliest to block|least likely to sign): ([A-Z0-9]+)")
"""The member the veto criterion names: likeliest to block, or under opt-in least likely to sign."""


def run_failure(dataset: Dataset, cases: CaseFile, failure: Failure) -> FailureCase:
    """A failed or refused grouping: its score, rank bound and the veto model's verdict."""
    p = prepare(dataset, cases, failure)
    members = sorted(failure.members)
    proposal = engine.propose(
        p.data,
        failure.id,
        top=TOP,
        min_size=p.min_size,
        max_size=p.max_size,
        weights=p.weights,
        time_limit=None,
        node_limit=NODE_LIMIT,
    )
    scored = _score_grouping(p, failure.id, members)
    _, bound = rank_bound(proposal, members, scored.score)
    veto = scored.criteria.get("veto")
    match = _BLOCKER.search(veto.rationale) if veto else None
    blocker = match.group(1) if match else None
    probability = veto.score if veto else 1.0
    return FailureCase(
        id=failure.id,
        name=failure.name,
        year=failure.year,
        members=members,
        refused=list(failure.refused),
        outcome=failure.outcome,
        score=scored.score,
        best_score=proposal.recommendations[0].score if proposal.recommendations else None,
        rank_bound=bound,
        veto_probability=probability,
        likeliest_to_block=blocker,
        refuser_named=blocker in failure.refused if blocker else False,
        predicts_failure=probability < 0.5,
        vintage=p.info,
    )
