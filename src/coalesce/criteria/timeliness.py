"""timeliness: estimated time to agreement against the issue's deadline.

Model. Months to agreement are log-normal: log(months) = b0 + b1 * log(n) + b2 * spread + noise, with n
the number of members and spread the range of their UNGA ideal points. b0, b1, b2 and the residual
standard deviation are fitted by least squares on the real negotiations in data/cases.yaml
(`negotiations`, calibration data, never the back-test cases); the shipped fit uses size alone (b2 = 0,
issue 15: with the spread the fit put size at its bound 0), so time grows with size (b1 = 0.41).
docs/model.md lists them and the fit. The score is the probability of agreeing within the deadline:
Phi((log(deadline) - expected log-months) / residual sd). The rationale shows the median and an 80%
interval, exp(mu +- 1.2816 sd), from the residual spread alone (the coefficient uncertainty widens it
further away from the fitted sizes: `analysis.calibration.prediction_interval`).

Passing example: three like-minded states against an 18-month deadline.
Failing example: twenty members against a 6-month deadline.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import Field

from coalesce.criteria.base import Criterion, Scored
from coalesce.models.base import Frozen

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.shapes import ContextView


class TimelinessParameters(Frozen):
    """The timeliness model's fitted coefficients (scripts/fit_timeliness.py)."""

    timeliness_intercept: float = Field(default=0.0, ge=-20.0, le=20.0, allow_inf_nan=False)
    """log-months at one party and zero spread (fitted; see docs/model.md)."""
    timeliness_size_elasticity: float = Field(default=0.5, ge=0.0, le=10.0, allow_inf_nan=False)
    """>= 0: the search's bounds rely on larger groups never agreeing faster."""
    timeliness_spread_coefficient: float = Field(default=0.3, ge=0.0, le=10.0, allow_inf_nan=False)
    """>= 0: the search's bounds rely on wider groups never agreeing faster."""
    timeliness_residual_sd: float = Field(default=0.8, gt=0.0, le=10.0, allow_inf_nan=False)


def normal_cdf(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def expected_log_months(ctx: ContextView, size: int, spread: float) -> float:
    """The fitted mean of log(months) for a group of `size` with ideal-point range `spread`."""
    p = CRITERION.params(ctx)
    return (
        p.timeliness_intercept
        + p.timeliness_size_elasticity * math.log(max(1, size))
        + (p.timeliness_spread_coefficient * spread)
    )


def probability_in_time(ctx: ContextView, size: int, spread: float) -> float:
    """P(agreement within the deadline)."""
    mu = expected_log_months(ctx, size, spread)
    return normal_cdf(
        (math.log(ctx.issue.deadline_months) - mu) / CRITERION.params(ctx).timeliness_residual_sd
    )


def _score(ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
    node = arch.node
    value = probability_in_time(ctx, node.size, node.spread)
    if not explain:
        return Scored(value)
    mu = expected_log_months(ctx, node.size, node.spread)
    months = math.exp(mu)
    low, high = months_interval(ctx, mu)
    spread = (
        f" with an ideal-point spread of {node.spread:.2f}"
        if CRITERION.params(ctx).timeliness_spread_coefficient > 0
        else ""
    )
    text = (
        f"Expected {months:.0f} months to agree for {node.size} members{spread} (80% interval "
        f"{low:.0f}-{high:.0f}); {value:.0%} chance within the {ctx.issue.deadline_months:g}-month deadline."
    )
    details: dict[str, object] = {
        "expected_months": round(months, 3),
        "months_low": round(low, 3),
        "months_high": round(high, 3),
        "interval": 0.8,
    }
    return Scored(value, text, (), details)


Z_80 = 1.2816
"""The standard normal 0.90 quantile: an 80% two-sided interval."""


def months_interval(ctx: ContextView, mu: float) -> tuple[float, float]:
    """The 80% interval of months around log-median `mu` from the residual spread."""
    sd = CRITERION.params(ctx).timeliness_residual_sd
    return math.exp(mu - Z_80 * sd), math.exp(mu + Z_80 * sd)


def _base_by_size(ctx: ContextView, node: Node, sizes: range, span: float) -> list[float]:
    p = CRITERION.params(ctx)
    spread = max(node.spread, span)
    fixed = (
        math.log(ctx.issue.deadline_months)
        - p.timeliness_intercept
        - p.timeliness_spread_coefficient * spread
    )
    if p.timeliness_size_elasticity == 0.0:
        value = normal_cdf(fixed / p.timeliness_residual_sd)
        return [value] * len(sizes)
    return [
        normal_cdf((fixed - p.timeliness_size_elasticity * math.log(max(1, size))) / p.timeliness_residual_sd)
        for size in sizes
    ]


class Timeliness(Criterion[TimelinessParameters]):
    """The probability of agreeing within the issue's deadline."""

    NAME = "timeliness"
    SUMMARY = "probability of agreeing within the deadline, from a log-normal duration model"
    PARAMS = TimelinessParameters
    SIZE_DEPENDENT = True

    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """Probability of agreeing before the deadline."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: ContextView, actor: int) -> float:
        """More members never speed agreement."""
        return 0.0

    def base_by_size(self, ctx: ContextView, node: Node, sizes: range, span: float) -> list[float]:
        """`base` for each size in `sizes`."""
        return _base_by_size(ctx, node, sizes, span)

    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """The final size with the least final spread (spread only grows)."""
        return probability_in_time(ctx, size, max(node.spread, span))


CRITERION = Timeliness()
