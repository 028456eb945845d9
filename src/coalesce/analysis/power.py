"""Voting power, exactly: Shapley-Shubik, normalised Banzhaf, Coleman's power to prevent action and the
power of the collectivity to act, for every decision rule coalesce knows.

A rule is a *game*: each player has an integer weight (population at 0.01 m, vote share at 1/10,000,
1 for a veto holder, or 0), and a coalition of size s and weight t wins when t >= theta(s), a threshold
that falls as s grows (every rule here is a union of clauses "at least a members and at least b weight").
Coalitions are counted exactly with generating functions in (size, weight): one polynomial in the weight
per size, its coefficients packed 64 bits apart into a Python integer, so adding a player is a shift and
an add, and removing one is the exact inverse. Counts are integers; indices are Fractions.

Definitions (Felsenthal & Machover, *The Measurement of Voting Power*, 1998):
- a swing for i is a coalition S without i that loses while S + i wins;
- Shapley-Shubik: sum over swings of |S|! (n - |S| - 1)! / n!;
- Banzhaf (normalised): i's swings over all players' swings;
- Coleman's power to prevent action: i's swings over the number of winning coalitions;
- Coleman's power of the collectivity to act: winning coalitions over 2^n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

BITS = 64
"""Bits per packed coefficient: counts up to 2^62 players' coalitions fit."""
MAX_PLAYERS = 62


@dataclass(frozen=True)
class Game:
    """A simple voting game: integer weights and clauses (min members, min weight); any clause wins."""

    weights: tuple[int, ...]
    clauses: tuple[tuple[int, int], ...]

    @property
    def n(self) -> int:
        """Number of players."""
        return len(self.weights)

    def threshold(self, size: int) -> float:
        """Least weight with which a coalition of `size` wins (inf when no clause admits the size)."""
        best = math.inf
        for min_members, min_weight in self.clauses:
            if size >= min_members:
                best = min(best, min_weight)
        return best

    def wins(self, members: list[int]) -> bool:
        """Whether a coalition (player indices) wins; used by the tests' brute force."""
        return sum(self.weights[m] for m in members) >= self.threshold(len(members))


def weighted_game(quota: int, weights: list[int]) -> Game:
    """[quota; w1, ..., wn]: a coalition wins with total weight >= quota."""
    return Game(tuple(weights), ((0, quota),))


@dataclass(frozen=True)
class PowerIndices:
    """Exact indices for every player and the game as a whole."""

    shapley_shubik: tuple[Fraction, ...]
    banzhaf: tuple[Fraction, ...]
    swings: tuple[int, ...]
    coleman_prevent: tuple[Fraction, ...]
    winning: int
    collectivity_to_act: Fraction


def _coefficient_sum(poly: int, low: int, high: int) -> int:
    """Sum of the packed coefficients of x^low..x^high."""
    if high < low or poly == 0:
        return 0
    low = max(low, 0)
    chunk = (poly >> (low * BITS)) & ((1 << ((high - low + 1) * BITS)) - 1)
    if chunk == 0:
        return 0
    raw = chunk.to_bytes((chunk.bit_length() + 63) // 64 * 8, "little")
    return sum(memoryview(raw).cast("Q"))


def _max_degree(poly: int) -> int:
    return max(0, (poly.bit_length() - 1) // BITS)


def indices(game: Game) -> PowerIndices:
    """All four indices, exactly."""
    n = game.n
    if n == 0:
        return PowerIndices((), (), (), (), 1, Fraction(1))
    if n > MAX_PLAYERS:
        raise ValueError(f"power indices are computed for at most {MAX_PLAYERS} players")
    # Full generating function: polys[s] = sum over coalitions of size s of x^weight.
    polys = [1] + [0] * n
    for w in game.weights:
        for s in range(n, 0, -1):
            if polys[s - 1]:
                polys[s] += polys[s - 1] << (w * BITS)
    thresholds = [game.threshold(s) for s in range(n + 1)]
    winning = 0
    for s in range(n + 1):
        if thresholds[s] != math.inf:
            winning += _coefficient_sum(polys[s], int(thresholds[s]), _max_degree(polys[s]))
    n_factorial = math.factorial(n)
    shapley, swings = [], []
    for w in game.weights:
        # Remove this player: polys = others * (1 + y x^w), so others[s] = polys[s] - others[s-1] x^w.
        others = [polys[0]]
        for s in range(1, n):
            others.append(polys[s] - (others[s - 1] << (w * BITS)))
        count, ss = 0, Fraction(0)
        for s in range(n):
            if thresholds[s + 1] == math.inf:
                continue
            low = int(thresholds[s + 1]) - w
            high = (int(thresholds[s]) - 1) if thresholds[s] != math.inf else _max_degree(others[s])
            swing = _coefficient_sum(others[s], low, high)
            if swing:
                count += swing
                ss += Fraction(swing * math.factorial(s) * math.factorial(n - s - 1), n_factorial)
        swings.append(count)
        shapley.append(ss)
    total_swings = sum(swings)
    banzhaf = tuple(Fraction(c, total_swings) if total_swings else Fraction(0) for c in swings)
    prevent = tuple(Fraction(c, winning) if winning else Fraction(0) for c in swings)
    return PowerIndices(tuple(shapley), banzhaf, tuple(swings), prevent, winning, Fraction(winning, 2**n))
