"""`coalesce power`: voting power of a grouping's members under the issue's decision rule."""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from coalesce.analysis.power import Game, indices
from coalesce.errors import UsageError
from coalesce.loading.files import Dataset
from coalesce.models.analysis import MemberPower, PowerResult
from coalesce.models.issue import (
    Consensus,
    DecisionRule,
    DoubleMajority,
    Majority,
    QualifiedMajority,
    VetoQuota,
    WeightedVote,
)
from coalesce.models.rules import OptIn
from coalesce.models.world import Actor
from coalesce.request import find_issue, resolve_actors
from coalesce.rules import WEIGHT_SCALE, describe, integer_weights, required_count


def game_for(rule: DecisionRule, actors: list[Actor]) -> tuple[Game, list[float]]:
    """The simple game a decision rule defines over these members, and each member's displayed weight."""
    n = len(actors)
    if isinstance(rule, Consensus | Majority | QualifiedMajority | OptIn):
        return Game(tuple(0 for _ in actors), ((required_count(rule, n), 0),)), [1.0] * n
    if isinstance(rule, DoubleMajority):
        pops = [round((a.population_m or 0.0) * 100) for a in actors]
        clauses = (
            (required_count(rule, n), math.ceil(rule.population * sum(pops) - 1e-9)),
            (n - rule.blocking_min + 1, 0),
        )
        return Game(tuple(pops), clauses), [a.population_m or 0.0 for a in actors]
    if isinstance(rule, WeightedVote):
        raw = [rule.weight_of(a) for a in actors]
        if rule.of == "institution":  # the quota is of the whole institution's votes (shares of 1)
            ints = [round(w * WEIGHT_SCALE) for w in raw]
            return Game(tuple(ints), ((0, math.ceil(rule.quota * WEIGHT_SCALE - 1e-9)),)), raw
        ints = integer_weights(raw)
        return Game(tuple(ints), ((0, math.ceil(rule.quota * sum(ints) - 1e-9)),)), raw
    if isinstance(rule, VetoQuota):
        holders = [1 if rule.holds_veto(a.memberships) else 0 for a in actors]
        return Game(tuple(holders), ((required_count(rule, n), sum(holders)),)), [float(h) for h in holders]
    raise TypeError(f"unknown rule {rule!r}")


def _pair(value: Fraction) -> tuple[float, str]:
    return round(float(value), 6), f"{value.numerator}/{value.denominator}"


def power(dataset: Dataset, issue_id: str, members: Iterable[str]) -> PowerResult:
    """Shapley-Shubik, normalised Banzhaf and Coleman indices for each member, exactly."""
    from coalesce.report import issue_summary

    issue = find_issue(dataset, issue_id)
    codes = sorted(resolve_actors(dataset, members, "members"))
    if not codes:
        raise UsageError("name the grouping, e.g. USA,CHN,GBR")
    if len(codes) > 62:
        raise UsageError(f"power is computed for at most 62 members, not {len(codes)}")
    actors = [dataset.world.actor(c) for c in codes]
    game, shown = game_for(issue.decision_rule, actors)
    result = indices(game)
    rows = []
    for i, actor in enumerate(actors):
        ss, ss_exact = _pair(result.shapley_shubik[i])
        bz, bz_exact = _pair(result.banzhaf[i])
        cp, cp_exact = _pair(result.coleman_prevent[i])
        rows.append(
            MemberPower(
                actor=actor.code,
                name=actor.name,
                weight=shown[i],
                shapley_shubik=ss,
                shapley_shubik_exact=ss_exact,
                banzhaf=bz,
                banzhaf_exact=bz_exact,
                coleman_prevent=cp,
                coleman_prevent_exact=cp_exact,
                swings=result.swings[i],
            )
        )
    act, act_exact = _pair(result.collectivity_to_act)
    dummies = [r.actor for r in rows if r.swings == 0]
    note = (
        "Every member counts equally under a count-based rule."
        if isinstance(issue.decision_rule, Consensus | Majority | QualifiedMajority | OptIn)
        else "Members with no swing have no voting power: " + ", ".join(dummies)
        if dummies
        else "Every member can swing some decision."
    )
    return PowerResult(
        issue=issue_summary(issue),
        rule=describe(issue.decision_rule),
        members=rows,
        winning_coalitions=result.winning,
        coalitions=2 ** len(codes),
        collectivity_to_act=act,
        collectivity_to_act_exact=act_exact,
        note=note,
    )
