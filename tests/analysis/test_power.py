"""Exact voting power: published values, and every decision rule against brute force."""

from __future__ import annotations

import math
from fractions import Fraction as F
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalesce.analysis.power import Game, indices, weighted_game
from coalesce.analysis.voting import game_for
from coalesce.models.issue import (
    Consensus,
    DoubleMajority,
    Majority,
    QualifiedMajority,
    VetoQuota,
    WeightedVote,
)
from coalesce.models.world import Actor
from coalesce.rules import probability_of_action


def test_textbook_game_51_50_49_1() -> None:
    result = indices(weighted_game(51, [50, 49, 1]))
    assert result.shapley_shubik == (F(2, 3), F(1, 6), F(1, 6))
    assert result.banzhaf == (F(3, 5), F(1, 5), F(1, 5))
    assert result.swings == (3, 1, 1)
    assert result.winning == 3
    assert result.coleman_prevent == (F(1), F(1, 3), F(1, 3))
    assert result.collectivity_to_act == F(3, 8)


def test_eec_1958_luxembourg_has_no_power() -> None:
    # Council of the EEC, 1958: France, Germany, Italy 4; Belgium, Netherlands 2; Luxembourg 1; quota 12.
    result = indices(weighted_game(12, [4, 4, 4, 2, 2, 1]))
    assert result.shapley_shubik == (F(7, 30),) * 3 + (F(3, 20),) * 2 + (F(0),)
    assert result.banzhaf == (F(5, 21),) * 3 + (F(1, 7),) * 2 + (F(0),)
    assert result.swings[-1] == 0


def test_un_security_council() -> None:
    # Five permanent members with a veto, ten elected, nine votes needed.
    game = Game(tuple([1] * 5 + [0] * 10), ((9, 5),))
    result = indices(game)
    assert result.shapley_shubik[0] == F(421, 2145)
    assert result.shapley_shubik[5] == F(4, 2145)
    assert result.swings[0] == 848 and result.swings[5] == 84
    assert result.banzhaf[0] == F(848, 5080) and result.banzhaf[5] == F(84, 5080)
    assert sum(result.shapley_shubik) == 1


def brute(game: Game) -> tuple[list[int], list[F], int]:
    n = game.n
    swings, shapley, winning = [0] * n, [F(0)] * n, 0
    for mask in range(1 << n):
        members = [i for i in range(n) if mask >> i & 1]
        if game.wins(members):
            winning += 1
        for i in range(n):
            if i not in members and not game.wins(members) and game.wins([*members, i]):
                swings[i] += 1
                s = len(members)
                shapley[i] += F(math.factorial(s) * math.factorial(n - s - 1), math.factorial(n))
    return swings, shapley, winning


@settings(max_examples=150, deadline=None)
@given(
    weights=st.lists(st.integers(0, 9), min_size=1, max_size=7),
    clauses=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 40)), min_size=1, max_size=3),
)
def test_indices_equal_brute_force(weights: list[int], clauses: list[tuple[int, int]]) -> None:
    game = Game(tuple(weights), tuple(clauses))
    result = indices(game)
    swings, shapley, winning = brute(game)
    assert list(result.swings) == swings
    assert list(result.shapley_shubik) == shapley
    assert result.winning == winning


def _actor(code: str, population: float, share: float, groups: list[str]) -> Actor:
    return Actor.model_validate(
        {
            "code": code,
            "name": code,
            "population_m": population,
            "gdp_usd_bn": 1.0,
            "memberships": groups,
            "capabilities": {"votes": {"share": share, "source": "s"}},
        }
    )


RULES = [
    Consensus(kind="consensus"),
    Majority(kind="majority"),
    QualifiedMajority(kind="qualified-majority", quota=0.67),
    DoubleMajority(kind="double-majority", members=0.55, population=0.65, blocking_min=2),
    WeightedVote(kind="weighted", field="capabilities.votes.share", quota=0.7),
    WeightedVote(kind="weighted", field="capabilities.votes.share", quota=0.55, of="institution"),
    VetoQuota(kind="veto-quota", veto_membership="P", quota=0.6),
]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_every_rule_game_and_probability_agree_with_enumeration(rule: object) -> None:
    """For each rule: the power game's winning coalitions are exactly those the veto DP lets act."""
    actors = [
        _actor("AAA", 80.0, 0.30, ["P"]),
        _actor("BBB", 60.0, 0.25, []),
        _actor("CCC", 10.5, 0.20, ["P"]),
        _actor("DDD", 5.25, 0.15, []),
        _actor("EEE", 0.5, 0.10, []),
    ]
    game, _ = game_for(rule, actors)  # type: ignore[arg-type]
    probabilities = [0.9, 0.7, 0.6, 0.55, 0.3]
    expected = 0.0
    for accepted in product((False, True), repeat=len(actors)):
        members = [i for i, a in enumerate(accepted) if a]
        chance = math.prod(p if a else 1 - p for p, a in zip(probabilities, accepted, strict=True))
        if game.wins(members):
            expected += chance
    actual = probability_of_action(
        rule,  # type: ignore[arg-type]
        probabilities,
        [a.population_m or 0.0 for a in actors],
        [a.capabilities["votes"].share for a in actors],
        ["P" in a.memberships for a in actors],
    )
    assert actual == pytest.approx(expected, abs=1e-12)
