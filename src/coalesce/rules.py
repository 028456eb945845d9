"""Decision rules: the exact probability that a group acts, given each member's acceptance probability.

Every rule is computed exactly, by products or by dynamic programming over the distribution of the
accepting set (a Poisson-binomial convolution, extended with a second coordinate for population or vote
weight); nothing is sampled. Weights and populations are turned into integers at the data's own
precision so the DP is exact for the figures as given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from coalesce.models.rules import (
    Consensus,
    DecisionRule,
    DoubleMajority,
    Majority,
    OptIn,
    QualifiedMajority,
    VetoQuota,
    WeightedVote,
)

WEIGHT_SCALE = 10_000
"""Weights (vote shares, population in millions) are resolved to 1/10,000 before the exact DP."""


def integer_weights(weights: Sequence[float]) -> list[int]:
    """Weights as integers for the exact DP: shares (all <= 1) at 1/10,000 as given; absolute figures
    (population, GDP) as 1/10,000 of the group's total, so the table stays small whatever the unit."""
    if any(w > 1.0 for w in weights):
        total = sum(weights)
        return [round(w / total * WEIGHT_SCALE) for w in weights]
    return [round(w * WEIGHT_SCALE) for w in weights]


def required_count(rule: DecisionRule, n: int) -> int:
    """How many members must accept under a count-based rule (the rule's own `required`)."""
    return rule.required(n)


def count_distribution(probabilities: Sequence[float]) -> list[float]:
    """P(exactly k accept) for k = 0..n, by convolution (Poisson-binomial)."""
    dist = [1.0]
    for p in probabilities:
        q = 1.0 - p
        nxt = [0.0] * (len(dist) + 1)
        for k, mass in enumerate(dist):
            nxt[k] += mass * q
            nxt[k + 1] += mass * p
        dist = nxt
    return dist


def _weighted_quota(
    weights: Sequence[float], quota: float, total: float | None = None
) -> tuple[list[int], int]:
    """The integer weights of a weighted vote and the accepting weight it needs: `quota` of the group's
    weight, or with `total` (an institution's whole weight, in the same shares) of that total."""
    if total is not None:
        return [round(w * WEIGHT_SCALE) for w in weights], math.ceil(quota * total * WEIGHT_SCALE - 1e-9)
    ints = integer_weights(weights)
    return ints, math.ceil(quota * sum(ints) - 1e-9)


def _weighted_pass(probabilities: Sequence[float], weights: Sequence[int], quota: int) -> float:
    """P(sum of accepting weights >= quota), exact.

    The group acts unless the opposing weight exceeds `tolerance` = total - quota, so the DP runs over
    the opposing weight 0..tolerance; any mass beyond it is blocked and dropped.
    """
    tolerance = sum(weights) - quota
    if tolerance < 0:
        return 0.0
    dist = [0.0] * (tolerance + 1)
    dist[0] = 1.0
    for p, w in zip(probabilities, weights, strict=True):
        q = 1.0 - p
        accepted = [mass * p for mass in dist]
        if w <= tolerance:
            shifted = dist[: tolerance + 1 - w]
            accepted[w:] = [a + q * b for a, b in zip(accepted[w:], shifted, strict=True)]
        dist = accepted
    return sum(dist)


def _double_pass(
    probabilities: Sequence[float],
    populations: Sequence[int],
    need_count: int,
    need_pop: int,
    blocking_min: int,
) -> float:
    """P(pass) under a double majority with a blocking-minority floor, exact DP over (count, population)."""
    n = len(probabilities)
    states: dict[tuple[int, int], float] = {(0, 0): 1.0}
    for p, w in zip(probabilities, populations, strict=True):
        nxt: dict[tuple[int, int], float] = {}
        q = 1.0 - p
        for (count, pop), mass in states.items():
            key = (count, pop)
            nxt[key] = nxt.get(key, 0.0) + mass * q
            key = (count + 1, min(need_pop, pop + w))
            nxt[key] = nxt.get(key, 0.0) + mass * p
        states = nxt
    total = 0.0
    for (count, pop), mass in states.items():
        opposed = n - count
        if (count >= need_count and pop >= need_pop) or opposed < blocking_min:
            total += mass
    return total


def probability_of_action(
    rule: DecisionRule,
    probabilities: Sequence[float],
    populations: Sequence[float],
    weights: Sequence[float],
    veto_holders: Sequence[bool],
) -> float:
    """Exact probability that the group acts under `rule` (members accept independently).

    Sums over a distribution can round a hair past 1 (1.0000000000000002 was seen under a double
    majority); a probability is clipped to [0, 1], so a score never leaves its range.
    """
    return min(1.0, max(0.0, _unclipped_probability(rule, probabilities, populations, weights, veto_holders)))


def _unclipped_probability(
    rule: DecisionRule,
    probabilities: Sequence[float],
    populations: Sequence[float],
    weights: Sequence[float],
    veto_holders: Sequence[bool],
) -> float:
    n = len(probabilities)
    if n == 0:
        return 1.0
    if isinstance(rule, Consensus):
        product = 1.0
        for p in probabilities:
            product *= p
        return product
    if isinstance(rule, Majority | QualifiedMajority):
        need = required_count(rule, n)
        return sum(count_distribution(probabilities)[need:])
    if isinstance(rule, VetoQuota):
        product, others = 1.0, []
        for p, holder in zip(probabilities, veto_holders, strict=True):
            if holder:
                product *= p
            else:
                others.append(p)
        holders = n - len(others)
        need = max(0, required_count(rule, n) - holders)
        return product * sum(count_distribution(others)[need:])
    if isinstance(rule, WeightedVote):
        ints, quota = _weighted_quota(weights, rule.quota, institution_total(rule))
        return _weighted_pass(probabilities, ints, quota) if sum(ints) else 0.0
    if isinstance(rule, OptIn):
        return 1.0 - math.prod(1.0 - p for p in probabilities)  # at least one signer
    if isinstance(rule, DoubleMajority):
        pops = [round(p * 100) for p in populations]  # population_m at 0.01 m precision
        need_pop = math.ceil(rule.population * sum(pops) - 1e-9)
        return _double_pass(probabilities, pops, required_count(rule, n), need_pop, rule.blocking_min)
    raise TypeError(f"unknown decision rule {rule!r}")


def institution_total(rule: WeightedVote) -> float | None:
    """The whole institution's weight when the quota is of the institution: its shares sum to 1 by
    definition (a member's share of the total votes), whoever the world lists; None for the group's."""
    return 1.0 if rule.of == "institution" else None


def veto_player_bound(
    probabilities: Sequence[float], weights: Sequence[float], quota: float, total: float | None = None
) -> float:
    """An upper bound on P(pass) under a weighted vote, without the DP: a member whose weight alone
    exceeds what the group may lose (its weight - the quota) blocks by opposing, so every such veto
    player must accept (0 when the group's weight is short of the quota). `total`: the institution's
    whole weight when the quota is of the institution."""
    ints, needed = _weighted_quota(weights, quota, total)
    tolerance = sum(ints) - needed
    if not sum(ints) or tolerance < 0:
        return 0.0
    product = 1.0
    for p, w in zip(probabilities, ints, strict=True):
        if w > tolerance:
            product *= p
    return product


def describe(rule: DecisionRule) -> str:
    """The rule in plain words (the rule's own `describe`)."""
    return rule.describe()
