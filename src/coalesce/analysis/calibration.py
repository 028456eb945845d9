"""Fit the timeliness model on real negotiations: log(months) = b0 + b1 * log(parties) [+ b2 * spread].

The veto-player argument (Tsebelis) says more parties and wider preference distance slow agreement, so
b1 and b2 are restricted to be >= 0: the fit is least squares under those sign restrictions, solved
exactly by trying each set of active constraints. The residual standard deviation gives the spread of
the log-normal duration the timeliness criterion uses. `leave_one_out` reports honest prediction errors.

The shipped fit uses size alone (`USE_SPREAD`, issue 15 cause 8): the spread is the range on one UNGA
dimension, and across the negotiations it rises with the number of parties (a text open to all has the
world's spread), so with both regressors the fit loaded everything on the spread and put size at its
bound 0, although time grows with the number of parties. `prediction_interval` gives the interval of
a new negotiation's months (residual and coefficient uncertainty, t quantile).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

from coalesce.acceptance import Coefficients, solve_linear
from coalesce.acceptance import fit as fit_acceptance

if TYPE_CHECKING:
    from coalesce.cases import SignatureFile
    from coalesce.loading.files import Dataset


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


def _least_squares(rows: list[list[float]], ys: list[float]) -> list[float] | None:
    """Ordinary least squares by the normal equations (tiny systems), None if singular."""
    k = len(rows[0])
    xtx = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    xty = [sum(r[i] * y for r, y in zip(rows, ys, strict=True)) for i in range(k)]
    return solve_linear(xtx, xty)


USE_SPREAD = False
"""Whether the shipped fit may use the ideal-point spread (see the module docstring)."""


def fit(
    parties: Sequence[int],
    spreads: Sequence[float],
    months: Sequence[float],
    use_spread: bool = USE_SPREAD,
) -> TimelinessFit:
    """Sign-restricted least squares on log months (size only unless `use_spread`)."""
    ys = [math.log(m) for m in months]
    full = [[1.0, math.log(n), s] for n, s in zip(parties, spreads, strict=True)]
    unconstrained = _least_squares(full, ys) or [sum(ys) / len(ys), 0.0, 0.0]
    best: tuple[float, list[float]] | None = None
    for free_size, free_spread in product((True, False), repeat=2):
        if free_spread and not use_spread:
            continue
        columns = [0] + ([1] if free_size else []) + ([2] if free_spread else [])
        solution = _least_squares([[r[c] for c in columns] for r in full], ys)
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


T_90 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397, 9: 1.383}
"""Student t 0.90 quantiles by degrees of freedom (an 80% two-sided interval), from standard tables;
10-29 interpolated, 30 and above tending to the normal 1.2816."""


def _t90(dof: int) -> float:
    if dof in T_90:
        return T_90[dof]
    if dof >= 30:  # 1.310 at 30 tending to the normal 1.2816
        return 1.2816 + (1.310 - 1.2816) * 30 / dof
    # 10..29: the table's 1.372 at 10 to 1.311 at 29, linear (error under 0.002)
    return 1.372 + (1.311 - 1.372) * (dof - 10) / 19


def prediction_interval(
    parties: Sequence[int],
    months: Sequence[float],
    at_parties: int,
    coverage: float = 0.8,
) -> tuple[float, float, float]:
    """(median, low, high) months for a new negotiation of `at_parties` under the size-only fit: the
    usual least-squares prediction interval, s * sqrt(1 + 1/n + (x0 - mean x)^2 / Sxx) times the t
    quantile. Only the 80% interval is supported (the one the output shows)."""
    if coverage != 0.8:
        raise ValueError("only the 80% interval is tabulated")
    model = fit(parties, [0.0] * len(parties), months, use_spread=False)
    xs = [math.log(n) for n in parties]
    n = len(xs)
    mean = sum(xs) / n
    sxx = sum((x - mean) ** 2 for x in xs)
    x0 = math.log(at_parties)
    centre = model.intercept + model.size_elasticity * x0
    lever = 1.0 + 1.0 / n + ((x0 - mean) ** 2 / sxx if sxx > 0 else 0.0)
    half = _t90(max(1, n - 2)) * model.residual_sd * math.sqrt(lever)
    return math.exp(centre), math.exp(centre - half), math.exp(centre + half)


def leave_one_out(parties: Sequence[int], spreads: Sequence[float], months: Sequence[float]) -> list[float]:
    """Out-of-sample log errors (predicted minus actual log months), refitting without each case."""
    errors = []
    for i in range(len(months)):
        keep = [j for j in range(len(months)) if j != i]
        model = fit([parties[j] for j in keep], [spreads[j] for j in keep], [months[j] for j in keep])
        errors.append(math.log(predict_months(model, parties[i], spreads[i])) - math.log(months[i]))
    return errors


# --------------------------------------------------------------------------------------------------
# Acceptance (the veto model) on signature decisions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """One actor's decision on one text: its ideal point, the initiator's, and whether it signed."""

    decision: str
    actor: str
    ideal_point: float
    initiator_point: float | None
    signed: bool


def acceptance_probability(position: float, ideal_point: float, sigma: float, defection: float) -> float:
    """The veto criterion's acceptance curve: (1 - e) * exp(-(a - x)^2 / (2 s^2)) (criteria/veto.py)."""
    distance = ideal_point - position
    return (1.0 - defection) * math.exp(-(distance * distance) / (2.0 * sigma * sigma))


def _predict(invitees: Sequence[Invitee], sigma: float, defection: float, anchored: bool) -> list[float]:
    """Each invitee's probability of signing, the text at the invitees' mean (or the initiator's point)."""
    by_decision: dict[str, list[Invitee]] = {}
    for inv in invitees:
        by_decision.setdefault(inv.decision, []).append(inv)
    out = []
    for inv in invitees:
        group = by_decision[inv.decision]
        if anchored and inv.initiator_point is not None:
            position = inv.initiator_point
        else:
            position = sum(g.ideal_point for g in group) / len(group)
        out.append(acceptance_probability(position, inv.ideal_point, sigma, defection))
    return out


def _brier(probs: Sequence[float], invitees: Sequence[Invitee]) -> float:
    return sum((p - float(i.signed)) ** 2 for p, i in zip(probs, invitees, strict=True)) / len(invitees)


SIGMA_GRID = tuple(round(0.25 + 0.05 * k, 2) for k in range(96))  # 0.25 .. 5.0
DEFECTION_GRID = tuple(round(0.01 * k, 2) for k in range(51))  # 0 .. 0.5


def refit_acceptance(invitees: Sequence[Invitee]) -> tuple[float, float]:
    """(sigma, defection) minimising the Brier score on these invitees, by grid search (ties: the
    smaller sigma, then the smaller defection)."""
    best: tuple[float, float, float] | None = None
    for sigma in SIGMA_GRID:
        for defection in DEFECTION_GRID:
            score = _brier(_predict(invitees, sigma, defection, False), invitees)
            if best is None or score < best[0] - 1e-12:
                best = (score, sigma, defection)
    assert best is not None
    return best[1], best[2]


@dataclass(frozen=True)
class AcceptanceErrors:
    """Out-of-sample Brier scores of the acceptance model and its references."""

    model: float
    anchored: float
    refit: float
    base_rate: float
    difference: tuple[float, float, float]
    """Model minus base rate: (estimate, 2.5%, 97.5%), bootstrap resampling whole decisions (seeded)."""


def acceptance_errors(
    invitees: Sequence[Invitee], sigma: float, defection: float, refit: bool = True
) -> AcceptanceErrors:
    """Brier scores: shipped parameters (nothing fitted on these data), the text anchored on the
    initiator, both parameters refitted leaving each decision out (unless `refit` is False: the grid
    search is slow on hundreds of invitees; `refit` is then NaN), and the base rate leaving each
    decision out."""
    if not invitees:
        raise ValueError("no invitees")
    model = _brier(_predict(invitees, sigma, defection, False), invitees)
    anchored = _brier(_predict(invitees, sigma, defection, True), invitees)
    decisions = sorted({i.decision for i in invitees})
    refit_sq = base_sq = 0.0
    model_probs = dict(
        zip((id(i) for i in invitees), _predict(invitees, sigma, defection, False), strict=True)
    )
    clusters: list[tuple[int, float, float]] = []  # per decision: invitees, model and base squared errors
    for d in decisions:
        test = [i for i in invitees if i.decision == d]
        train = [i for i in invitees if i.decision != d]
        if train:
            s, e = refit_acceptance(train) if refit else (sigma, defection)
            rate = sum(i.signed for i in train) / len(train)
        else:
            s, e, rate = sigma, defection, 0.5
        probs = _predict(test, s, e, False)
        refit_sq += sum((p - float(i.signed)) ** 2 for p, i in zip(probs, test, strict=True))
        base_here = sum((rate - float(i.signed)) ** 2 for i in test)
        base_sq += base_here
        model_here = sum((model_probs[id(i)] - float(i.signed)) ** 2 for i in test)
        clusters.append((len(test), model_here, base_here))
    n = len(invitees)
    return AcceptanceErrors(
        model=model,
        anchored=anchored,
        refit=refit_sq / n if refit else math.nan,
        base_rate=base_sq / n,
        difference=_cluster_bootstrap(clusters),
    )


def _cluster_bootstrap(
    clusters: Sequence[tuple[int, float, float]], resamples: int = 2000, seed: int = 14
) -> tuple[float, float, float]:
    """(estimate, 2.5%, 97.5%) of (sum of a - sum of b) / n over clusters resampled with replacement."""

    def stat(chosen: Sequence[tuple[int, float, float]]) -> float:
        return sum(a - b for _, a, b in chosen) / sum(k for k, _, _ in chosen)

    rng = random.Random(f"coalesce-calibration:{seed}")
    m = len(clusters)
    draws = sorted(stat([clusters[rng.randrange(m)] for _ in range(m)]) for _ in range(resamples))

    def pct(q: float) -> float:
        pos = q * (len(draws) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(draws) - 1)
        return draws[lo] + (draws[hi] - draws[lo]) * (pos - lo)

    return stat(clusters), pct(0.025), pct(0.975)


# --------------------------------------------------------------------------------------------------
# The acceptance model of the veto criterion (coalesce.acceptance) on signature decisions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureRow:
    """One invitee's decision on one text: its features with the initiator, and whether it signed."""

    decision: str
    actor: str
    features: tuple[float | None, float, float | None]
    signed: bool
    full_list: bool
    """The decision lists every UN member (`invitees: un-members`), not only the named ones."""


@dataclass(frozen=True)
class FitErrors:
    """Out-of-sample Brier scores of the acceptance model against the base rate."""

    coefficients: Coefficients
    """Fitted on every decision (what ships)."""
    in_sample: float
    loo: float
    base_rate: float
    difference: tuple[float, float, float]
    """loo - base rate: (estimate, 2.5%, 97.5%), whole decisions resampled (seeded)."""
    by_list: dict[str, tuple[int, float, float]]
    """Per kind of invitee list (`un-members`, `named`): (invitees, loo Brier, base-rate Brier)."""
    per_decision: dict[str, tuple[int, float, float]]
    """Per decision: (invitees, loo Brier, base-rate Brier)."""


def fit_rows(rows: Sequence[SignatureRow]) -> Coefficients:
    """The acceptance model's maximum-likelihood fit on these rows."""
    return fit_acceptance([r.features for r in rows], [r.signed for r in rows])


def acceptance_fit_errors(rows: Sequence[SignatureRow]) -> FitErrors:
    """Fit on every decision; refit leaving each decision out to predict it; the base rate likewise."""
    if not rows:
        raise ValueError("no invitees")
    shipped = fit_rows(rows)
    in_sample = sum((shipped.probability(r.features) - r.signed) ** 2 for r in rows) / len(rows)
    clusters: list[tuple[int, float, float]] = []
    per_decision: dict[str, tuple[int, float, float]] = {}
    by_list: dict[str, list[float]] = {}
    for d in sorted({r.decision for r in rows}):
        test = [r for r in rows if r.decision == d]
        train = [r for r in rows if r.decision != d]
        coef = fit_rows(train) if train else shipped
        rate = sum(r.signed for r in train) / len(train) if train else 0.5
        model_sq = sum((coef.probability(r.features) - r.signed) ** 2 for r in test)
        base_sq = sum((rate - r.signed) ** 2 for r in test)
        clusters.append((len(test), model_sq, base_sq))
        per_decision[d] = (len(test), model_sq / len(test), base_sq / len(test))
        kind = "un-members" if test[0].full_list else "named"
        acc = by_list.setdefault(kind, [0.0, 0.0, 0.0])
        acc[0] += len(test)
        acc[1] += model_sq
        acc[2] += base_sq
    n = len(rows)
    return FitErrors(
        coefficients=shipped,
        in_sample=in_sample,
        loo=sum(c[1] for c in clusters) / n,
        base_rate=sum(c[2] for c in clusters) / n,
        difference=_cluster_bootstrap(clusters),
        by_list={k: (int(v[0]), v[1] / v[0], v[2] / v[0]) for k, v in sorted(by_list.items())},
        per_decision=per_decision,
    )


def previous_model_brier(invitees: Sequence[Invitee], sigma: float, defection: float) -> float:
    """The previous veto model (one UNGA dimension, the text at the invitees' mean), nothing fitted."""
    return _brier(_predict(invitees, sigma, defection, False), invitees)


def signature_rows(dataset: Dataset, doc: SignatureFile) -> tuple[list[SignatureRow], list[str]]:
    """Each invitee's features with its decision's initiator (the initiator itself is not scored), from
    the alignment data (data/alignment/). Returns (rows, decisions without alignment data)."""
    from coalesce.acceptance import PairFeatures, link_of

    alignment = dataset.alignment()
    if alignment is None:
        return [], [d.id for d in doc.decisions]
    actors = {a.code: a for a in dataset.world.actors}
    members = {a.code: sorted(a.members) for a in actors.values() if a.kind == "bloc"}
    memberships = {a.code: a.memberships for a in actors.values()}
    rows: list[SignatureRow] = []
    for d in doc.decisions:
        pairs = PairFeatures(alignment, link_of(alignment, decision_id=d.id), members, memberships)
        for code, signed in [*((c, True) for c in d.signed), *((c, False) for c in d.declined)]:
            if code == d.initiator:
                continue
            rows.append(
                SignatureRow(d.id, code, pairs.of(code, d.initiator), signed, d.invitees == "un-members")
            )
    return rows, []
