"""`coalesce backtest`: the engine against what really formed, under the protocol in docs/backtest.md.

Founding cores (`cases`), failed or refused groupings (`failures`) and the calibration sets (signature
decisions for the acceptance model, negotiations for timeliness) are read from the data directory;
each case runs on its year's vintage layer with default weights and a deterministic search budget.
Means carry seeded percentile-bootstrap intervals; the engine is compared with each baseline by a
paired bootstrap of the per-case difference.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from coalesce import progress
from coalesce.analysis.backtest import metrics, run, vintage
from coalesce.analysis.backtest.metrics import jaccard
from coalesce.analysis.calibration import Invitee, acceptance_errors, fit, leave_one_out, predict_months
from coalesce.cases import CaseFile, load_cases, load_signatures
from coalesce.errors import UsageError
from coalesce.loading.files import Dataset
from coalesce.models.backtest import (
    AcceptanceCalibration,
    BacktestCase,
    BacktestResult,
    Comparison,
    FailureCase,
    FailureSummary,
    MetricSummary,
    TimelinessCalibration,
)
from coalesce.report import r6

__all__ = ["backtest", "jaccard"]

PROTOCOL = "docs/backtest.md (Protocol)"
SIGNATURES = "signatures.yaml"

Getter = Callable[[BacktestCase], float | None]
METRICS: list[tuple[str, str, Getter]] = [
    ("jaccard", "Jaccard (expanded)", lambda c: c.recommended.jaccard if c.recommended else 0.0),
    ("precision", "precision (expanded)", lambda c: c.recommended.precision if c.recommended else 0.0),
    ("recall", "recall (expanded)", lambda c: c.recommended.recall if c.recommended else 0.0),
    (
        "convener_top3",
        "real convener in the top 3 (undetermined as no)",
        lambda c: float(c.convener_rank is not None and c.convener_rank <= 3),
    ),
    ("real_core_top10", "real core in the top 10", lambda c: float(c.real_rank is not None)),
    ("brier", "membership Brier (all states)", lambda c: c.brier),
    ("auc", "membership AUC", lambda c: c.auc),
    ("member_probability", "mean probability of real members", lambda c: c.mean_member_probability),
    (
        "abs_log_months",
        "absolute log-months error",
        lambda c: abs(c.months_log_error) if c.months_log_error is not None else None,
    ),
    ("veto_probability", "veto model: P(real core acts)", lambda c: c.veto_probability),
]


def _summary(rows: list[BacktestCase], key: str, label: str, get: Getter) -> MetricSummary:
    values = [v for v in (get(r) for r in rows) if v is not None]
    if not values:
        return MetricSummary(metric=key, label=label, cases=0, mean=None, low=None, high=None)
    mean, low, high = metrics.bootstrap(values)
    return MetricSummary(
        metric=key, label=label, cases=len(values), mean=r6(mean), low=r6(low), high=r6(high)
    )


def _comparisons(rows: list[BacktestCase]) -> list[Comparison]:
    engine = [r.recommended.jaccard if r.recommended else 0.0 for r in rows]
    out = []
    for key, label in run.BASELINES.items():
        other = [r.baselines[key].jaccard for r in rows]
        diff, low, high = metrics.paired_bootstrap(engine, other)
        out.append(
            Comparison(
                baseline=key,
                label=label,
                oracle=key == "top_n_oracle",
                metric="jaccard",
                engine=r6(sum(engine) / len(engine)),
                other=r6(sum(other) / len(other)),
                difference=r6(diff),
                low=r6(low),
                high=r6(high),
            )
        )
    return out


def _failure_summary(rows: list[BacktestCase], failures: list[FailureCase]) -> FailureSummary:
    founded = [r.veto_probability for r in rows]
    failed = [f.veto_probability for f in failures]
    labels = [True] * len(founded) + [False] * len(failed)
    area = metrics.auc(founded + failed, labels)
    founded_scores = [r.real_score for r in rows]
    failed_scores = [f.score for f in failures]
    score_area = metrics.auc(founded_scores + failed_scores, labels)
    return FailureSummary(
        failures=len(failures),
        predicted=sum(1 for f in failures if f.predicts_failure),
        refuser_named=sum(1 for f in failures if f.refuser_named),
        mean_veto_failed=r6(sum(failed) / len(failed)) if failed else None,
        mean_veto_founded=r6(sum(founded) / len(founded)) if founded else None,
        auc=r6(area) if area is not None else None,
        mean_score_failed=r6(sum(failed_scores) / len(failed_scores)) if failed_scores else None,
        mean_score_founded=r6(sum(founded_scores) / len(founded_scores)) if founded_scores else None,
        score_auc=r6(score_area) if score_area is not None else None,
    )


def acceptance_calibration(dataset: Dataset, path: Path | None = None) -> AcceptanceCalibration | None:
    """The acceptance model on the signature decisions (None if the file is absent)."""
    path = path or dataset.directory / SIGNATURES
    if not path.exists():
        return None
    doc = load_signatures(dataset, path)
    invitees: list[Invitee] = []
    skipped: list[str] = []
    for d in doc.decisions:
        dated, _ = vintage.apply(dataset, d.year)
        points = {a.code: a.alignment.ideal_point for a in dated.world.actors if a.alignment is not None}
        for code, signed in [*((c, True) for c in d.signed), *((c, False) for c in d.declined)]:
            if code not in points:
                skipped.append(f"{d.id}:{code}")
                continue
            invitees.append(Invitee(d.id, code, points[code], points.get(d.initiator), signed))
    errors = (
        acceptance_errors(invitees, dataset.params.acceptance_sigma, dataset.params.baseline_defection)
        if invitees
        else None
    )
    return AcceptanceCalibration(
        decisions=len(doc.decisions),
        invitees=len(invitees),
        signed=sum(1 for i in invitees if i.signed),
        skipped=skipped,
        brier_model=r6(errors.model) if errors else None,
        brier_anchored=r6(errors.anchored) if errors else None,
        brier_refit=r6(errors.refit) if errors else None,
        brier_base_rate=r6(errors.base_rate) if errors else None,
        difference=[r6(x) for x in errors.difference] if errors else None,
        sources=len(doc.sources),
    )


def timeliness_calibration(cases: CaseFile) -> TimelinessCalibration:
    """Leave-one-out log-months errors of the fit on the fitted negotiations, and the full fit's errors on
    the held-out (minilateral) negotiations it never saw."""
    negs = cases.fitted
    held = [n for n in cases.negotiations if not n.fitted]
    if len(negs) < 3:
        return TimelinessCalibration(
            negotiations=len(negs),
            mean_abs_log_error=None,
            rmse_log=None,
            typical_factor=None,
            holdout=len(held),
            holdout_mean_abs_log_error=None,
            holdout_errors={},
        )
    errors = leave_one_out([n.parties for n in negs], [n.spread for n in negs], [n.months for n in negs])
    mae = sum(abs(e) for e in errors) / len(errors)
    model = fit([n.parties for n in negs], [n.spread for n in negs], [n.months for n in negs])
    held_errors = {
        n.id: r6(math.log(predict_months(model, n.parties, n.spread) / max(n.months, run.MIN_MONTHS)))
        for n in held
    }
    return TimelinessCalibration(
        negotiations=len(negs),
        mean_abs_log_error=r6(mae),
        rmse_log=r6(math.sqrt(sum(e * e for e in errors) / len(errors))),
        typical_factor=r6(math.exp(mae)),
        holdout=len(held),
        holdout_mean_abs_log_error=r6(sum(abs(e) for e in held_errors.values()) / len(held))
        if held
        else None,
        holdout_errors=held_errors,
    )


def backtest(dataset: Dataset, cases_path: Path | None = None, case_id: str | None = None) -> BacktestResult:
    """Every case (or one) and every failure (or none, with --case), with totals and calibration."""
    cases = load_cases(dataset, cases_path or dataset.directory / "cases.yaml")
    known = [c.id for c in cases.cases] + [f.id for f in cases.failures]
    if case_id is not None and case_id not in known:
        raise UsageError(f"--case {case_id!r}: no such case; known: {', '.join(known)}")
    chosen = [c for c in cases.cases if case_id in (None, c.id)]
    rows = [run.run_case(dataset, cases, c) for c in progress.each("backtest cases", chosen)]
    failures = [run.run_failure(dataset, cases, f) for f in cases.failures if case_id in (None, f.id)]
    return BacktestResult(
        protocol=PROTOCOL,
        cases=rows,
        metrics=[_summary(rows, k, label, get) for k, label, get in METRICS] if rows else [],
        comparisons=_comparisons(rows) if rows else [],
        convener_top3=sum(1 for r in rows if r.convener_rank is not None and r.convener_rank <= 3),
        convener_ranked=len(rows),
        convener_undetermined=sum(1 for r in rows if not r.convener_settled),
        failures=failures,
        failure_summary=_failure_summary(rows, failures),
        acceptance=acceptance_calibration(dataset) if cases_path is None else None,
        timeliness=timeliness_calibration(cases),
        bootstrap={"resamples": metrics.RESAMPLES, "seed": metrics.SEED},
    )
