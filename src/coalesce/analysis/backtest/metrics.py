"""Set overlaps, Brier score, AUC and the seeded (paired) percentile bootstrap the back-test reports."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence

RESAMPLES = 2000
SEED = 14


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """|A n B| / |A u B| (1 for two empty sets)."""
    x, y = set(a), set(b)
    union = x | y
    return len(x & y) / len(union) if union else 1.0


def precision(predicted: Iterable[str], real: Iterable[str]) -> float:
    """|P n R| / |P| (0 for an empty prediction)."""
    p = set(predicted)
    return len(p & set(real)) / len(p) if p else 0.0


def recall(predicted: Iterable[str], real: Iterable[str]) -> float:
    """|P n R| / |R| (1 for an empty real set)."""
    r = set(real)
    return len(set(predicted) & r) / len(r) if r else 1.0


def brier(probabilities: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean squared error of probabilities against 0/1 outcomes."""
    if not probabilities:
        raise ValueError("no observations")
    return sum((p - float(y)) ** 2 for p, y in zip(probabilities, outcomes, strict=True)) / len(probabilities)


def auc(scores: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half); None if
    either class is empty."""
    pos = [s for s, y in zip(scores, outcomes, strict=True) if y]
    neg = [s for s, y in zip(scores, outcomes, strict=True) if not y]
    if not pos or not neg:
        return None
    ordered = sorted(neg)
    total = 0.0
    for s in pos:
        below = _count_below(ordered, s)
        ties = _count_below(ordered, s, inclusive=True) - below
        total += below + 0.5 * ties
    return total / (len(pos) * len(neg))


def _count_below(ordered: list[float], value: float, inclusive: bool = False) -> int:
    lo, hi = 0, len(ordered)
    while lo < hi:
        mid = (lo + hi) // 2
        if ordered[mid] < value or (inclusive and ordered[mid] == value):
            lo = mid + 1
        else:
            hi = mid
    return lo


def _percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolation percentile of sorted values, q in [0, 1]."""
    position = q * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def bootstrap(
    values: Sequence[float],
    statistic: Callable[[Sequence[float]], float] | None = None,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[float, float, float]:
    """(estimate, 2.5%, 97.5%) of the statistic (default: the mean) over cases resampled with replacement."""
    if not values:
        raise ValueError("no values to bootstrap")
    stat = statistic or (lambda xs: sum(xs) / len(xs))
    rng = random.Random(f"coalesce-backtest:{seed}")
    n = len(values)
    draws = sorted(stat([values[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples))
    return stat(values), _percentile(draws, 0.025), _percentile(draws, 0.975)


def paired_bootstrap(
    engine: Sequence[float], other: Sequence[float], resamples: int = RESAMPLES, seed: int = SEED
) -> tuple[float, float, float]:
    """(mean difference, 2.5%, 97.5%) of engine - other, the same resampled cases for both."""
    differences = [a - b for a, b in zip(engine, other, strict=True)]
    return bootstrap(differences, resamples=resamples, seed=seed)
