"""Fit the timeliness model on real negotiations: log(months) = b0 + b1 * log(parties) + b2 * spread.

The veto-player argument (Tsebelis) says more parties and wider preference distance slow agreement, so
b1 and b2 are restricted to be >= 0: the fit is least squares under those sign restrictions, solved
exactly by trying each set of active constraints. The residual standard deviation gives the spread of
the log-normal duration the timeliness criterion uses. `leave_one_out` reports honest prediction errors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product


@dataclass(frozen=True)
class TimelinessFit:
    """Coefficients, residual sd and fit diagnostics."""

    intercept: float
    size_elasticity: float
    spread_coefficient: float
    residual_sd: float
    observations: int
    unconstrained: tuple[float, float, float]
    """The unrestricted least-squares coefficients, for the record."""


def _solve(rows: list[list[float]], ys: list[float]) -> list[float] | None:
    """Ordinary least squares by the normal equations (tiny systems), None if singular."""
    k = len(rows[0])
    xtx = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    xty = [sum(r[i] * y for r, y in zip(rows, ys, strict=True)) for i in range(k)]
    # Gauss-Jordan elimination with partial pivoting.
    m = [[*row[:], v] for row, v in zip(xtx, xty, strict=True)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(k):
            if r != col:
                factor = m[r][col] / m[col][col]
                m[r] = [a - factor * b for a, b in zip(m[r], m[col], strict=True)]
    return [m[i][k] / m[i][i] for i in range(k)]


def fit(parties: Sequence[int], spreads: Sequence[float], months: Sequence[float]) -> TimelinessFit:
    """Sign-restricted least squares on log months."""
    ys = [math.log(m) for m in months]
    full = [[1.0, math.log(n), s] for n, s in zip(parties, spreads, strict=True)]
    unconstrained = _solve(full, ys) or [sum(ys) / len(ys), 0.0, 0.0]
    best: tuple[float, list[float]] | None = None
    for free_size, free_spread in product((True, False), repeat=2):
        columns = [0] + ([1] if free_size else []) + ([2] if free_spread else [])
        solution = _solve([[r[c] for c in columns] for r in full], ys)
        if solution is None:
            continue
        coef = [0.0, 0.0, 0.0]
        for c, value in zip(columns, solution, strict=True):
            coef[c] = value
        if coef[1] < -1e-12 or coef[2] < -1e-12:
            continue
        sse = sum(
            (y - (coef[0] + coef[1] * r[1] + coef[2] * r[2])) ** 2 for r, y in zip(full, ys, strict=True)
        )
        if best is None or sse < best[0] - 1e-12:
            best = (sse, coef)
    assert best is not None  # the intercept-only model is always feasible
    sse, coef = best
    free = 1 + (coef[1] > 0) + (coef[2] > 0)
    dof = max(1, len(ys) - free)
    return TimelinessFit(
        intercept=coef[0],
        size_elasticity=max(0.0, coef[1]),
        spread_coefficient=max(0.0, coef[2]),
        residual_sd=math.sqrt(sse / dof),
        observations=len(ys),
        unconstrained=(unconstrained[0], unconstrained[1], unconstrained[2]),
    )


def predict_months(model: TimelinessFit, parties: int, spread: float) -> float:
    """Median predicted months."""
    return math.exp(
        model.intercept + model.size_elasticity * math.log(parties) + model.spread_coefficient * spread
    )


def leave_one_out(parties: Sequence[int], spreads: Sequence[float], months: Sequence[float]) -> list[float]:
    """Out-of-sample log errors (predicted minus actual log months), refitting without each case."""
    errors = []
    for i in range(len(months)):
        keep = [j for j in range(len(months)) if j != i]
        model = fit([parties[j] for j in keep], [spreads[j] for j in keep], [months[j] for j in keep])
        errors.append(math.log(predict_months(model, parties[i], spreads[i])) - math.log(months[i]))
    return errors
