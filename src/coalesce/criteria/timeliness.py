"""timeliness: estimated time to agreement against the issue's deadline.

Model. Months to agreement are log-normal: log(months) = b0 + b1 * log(n) + b2 * spread + noise, with n
the number of members and spread the range of their UNGA ideal points. b0, b1, b2 and the residual
standard deviation are fitted by least squares on the real negotiations in data/cases.yaml
(`negotiations`); docs/model.md lists them and the fit. The score is the probability of agreeing within
the deadline: Phi((log(deadline) - expected log-months) / residual sd).

Passing example: three like-minded states against an 18-month deadline.
Failing example: twenty members spread from Iran to the US against a 6-month deadline.
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
    from coalesce.compiled import Context


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


def expected_log_months(ctx: Context, size: int, spread: float) -> float:
    """The fitted mean of log(months) for a group of `size` with ideal-point range `spread`."""
    p = CRITERION.params(ctx)
    return (
        p.timeliness_intercept
        + p.timeliness_size_elasticity * math.log(max(1, size))
        + (p.timeliness_spread_coefficient * spread)
    )


def probability_in_time(ctx: Context, size: int, spread: float) -> float:
    """P(agreement within the deadline)."""
    mu = expected_log_months(ctx, size, spread)
    return normal_cdf(
        (math.log(ctx.issue.deadline_months) - mu) / CRITERION.params(ctx).timeliness_residual_sd
    )


def _score(ctx: Context, arch: Architecture, explain: bool) -> Scored:
    node = arch.node
    value = probability_in_time(ctx, node.size, node.spread)
    if not explain:
        return Scored(value)
    months = math.exp(expected_log_months(ctx, node.size, node.spread))
    text = (
        f"Expected {months:.0f} months to agree for {node.size} members with an ideal-point spread of "
        f"{node.spread:.2f}; {value:.0%} chance within the {ctx.issue.deadline_months:g}-month deadline."
    )
    return Scored(value, text, (), {"expected_months": round(months, 3)})


def _base_by_size(ctx: Context, node: Node, sizes: range, span: float) -> list[float]:
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

    def score(self, ctx: Context, arch: Architecture, explain: bool) -> Scored:
        """Probability of agreeing before the deadline."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: Context, actor: int) -> float:
        """More members never speed agreement."""
        return 0.0

    def base_by_size(self, ctx: Context, node: Node, sizes: range, span: float) -> list[float]:
        """`base` for each size in `sizes`."""
        return _base_by_size(ctx, node, sizes, span)

    def base(self, ctx: Context, node: Node, size: int, remaining: object = None, span: float = 0.0) -> float:
        """The final size with the least final spread (spread only grows)."""
        return probability_in_time(ctx, size, max(node.spread, span))


CRITERION = Timeliness()
