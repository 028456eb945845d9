"""The layout of the back-test report (drawn as markdown, it is the results part of docs/backtest.md)."""

from __future__ import annotations

from coalesce.models.backtest import BacktestResult, MetricSummary
from coalesce.render.document import Block, Bullets, Column, Document, Heading, Paragraph, Table


def _num(value: float | None, fmt: str = ".3f") -> str:
    return "-" if value is None else format(value, fmt)


def _interval(m: MetricSummary) -> str:
    if m.mean is None:
        return "-"
    return f"{m.mean:.3f} [{_num(m.low)}, {_num(m.high)}]"


def _signed(value: float) -> str:
    return f"{value:+.3f}"


def _codes(codes: list[str]) -> str:
    return ", ".join(codes)


def _columns(*headers: str, numbers: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """Columns by header: `case` is an id; those named in `numbers` (after the first column, which
    labels the row) are right-aligned figures."""
    return tuple(
        Column(h, "id" if h == "case" else "number" if i > 0 and h in numbers else "text")
        for i, h in enumerate(headers)
    )


def calibration_lines(result: BacktestResult) -> list[str]:
    """The out-of-sample calibration of the acceptance and timeliness models."""
    lines = []
    a = result.acceptance
    if a is not None:
        lines.append(
            f"Acceptance model on {a.decisions} signature decisions ({a.invitees} invitees, {a.signed} "
            f"signed): Brier {_num(a.brier_model)} with the shipped parameters against "
            f"{_num(a.brier_base_rate)} for the leave-one-decision-out base rate"
            + (
                f" (difference {_signed(a.difference[0])} [{_signed(a.difference[1])}, {_signed(a.difference[2])}],"
                " decisions resampled)"
                if a.difference
                else ""
            )
            + "; refitted "
            f"leave-one-decision-out {_num(a.brier_refit)}; text at the initiator's position "
            f"{_num(a.brier_anchored)}."
        )
    t = result.timeliness
    if t.negotiations:
        lines.append(
            f"Timeliness on {t.negotiations} negotiations, leave-one-out: mean absolute log error "
            f"{_num(t.mean_abs_log_error)} (a typical factor of x{_num(t.typical_factor, '.2f')}), RMSE "
            f"{_num(t.rmse_log)}."
        )
    if t.holdout:
        per = ", ".join(f"{k} {v:+.2f}" for k, v in t.holdout_errors.items())
        lines.append(
            f"Timeliness on {t.holdout} held-out minilateral negotiations (never in the fit): mean absolute "
            f"log error {_num(t.holdout_mean_abs_log_error)} ({per})."
        )
    return lines


def _cases(result: BacktestResult) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(
            "Jaccard with blocs expanded to their member states as of the case year. Baselines: G7, G20, "
            "top-N holders at the engine's size, top-N at the true size (oracle), like-minded top-N."
        ),
        Table(
            _columns(
                "case",
                "year",
                "real core",
                "recommended core",
                "Jaccard",
                "precision",
                "recall",
                "G7",
                "G20",
                "top-N",
                "oracle",
                "like-minded",
                numbers=(
                    "year",
                    "Jaccard",
                    "precision",
                    "recall",
                    "G7",
                    "G20",
                    "top-N",
                    "oracle",
                    "like-minded",
                ),
            ),
            tuple(
                (
                    c.id,
                    str(c.year),
                    _codes(c.real_core),
                    _codes(c.recommended.members) if c.recommended else "-",
                    _num(c.recommended.jaccard if c.recommended else None, ".2f"),
                    _num(c.recommended.precision if c.recommended else None, ".2f"),
                    _num(c.recommended.recall if c.recommended else None, ".2f"),
                    *(
                        f"{c.baselines[k].jaccard:.2f}"
                        for k in ("g7", "g20", "top_n", "top_n_oracle", "like_minded")
                    ),
                )
                for c in result.cases
            ),
        ),
        Table(
            _columns(
                "case",
                "sizes",
                "real core score / rank",
                "recommended score",
                "conveners",
                "convener rank",
                "engine's conveners",
                "Brier",
                "AUC",
                "P(real member)",
                "P(acts)",
                "est. / actual months",
                numbers=(
                    "sizes",
                    "real core score / rank",
                    "recommended score",
                    "Brier",
                    "AUC",
                    "P(real member)",
                    "P(acts)",
                    "est. / actual months",
                ),
            ),
            tuple(
                (
                    c.id,
                    f"{c.min_size}-{c.max_size}",
                    f"{c.real_score:.3f} / {c.real_rank_bound}",
                    _num(c.recommended_score),
                    _codes(c.conveners),
                    c.convener_rank_bound,
                    f"{_codes(c.convener_chain[:3])}{' ...' if len(c.convener_chain) > 3 else ''}",
                    f"{c.brier:.3f}",
                    _num(c.auc),
                    f"{c.mean_member_probability:.2f}",
                    f"{c.veto_probability:.2f}",
                    f"{c.estimated_months:.1f} / {_num(c.actual_months, 'g')}",
                )
                for c in result.cases
            ),
        ),
    ]
    recorded = [f"{c.id}: {'; '.join(c.non_state)}" for c in result.cases if c.non_state]
    if recorded:
        blocks.append(Paragraph("Non-state parties, recorded and not scored: " + " | ".join(recorded) + "."))
    exact = sum(1 for c in result.cases if c.exact)
    zero = _codes([c.id for c in result.cases if c.weights.get("capability") == 0]) or "none"
    vintage = [c.vintage for c in result.cases]
    blocks += [
        Paragraph(
            f"Searches certified exact: {exact} of {len(result.cases)}. Capability weight 0 (no domain "
            f"measures the problem): {zero}."
        ),
        Heading("Means over cases (95% bootstrap interval)", 3),
        Table(
            _columns(
                "metric",
                "cases",
                "mean [interval]",
                numbers=("cases",),
            ),
            tuple((m.label, str(m.cases), _interval(m)) for m in result.metrics),
        ),
        Paragraph(
            f"Real convener in the top 3: {result.convener_top3} of {result.convener_ranked} certain; "
            f"{result.convener_undetermined} undetermined (the engine's convener for the real core is one of "
            "its members, so it cannot be set aside to rank the next); the mean above counts them as no."
        ),
        Heading("The engine against each baseline (mean Jaccard, paired bootstrap)", 3),
        Table(
            _columns(
                "baseline",
                "engine",
                "baseline",
                "engine - baseline [interval]",
                numbers=(
                    "engine",
                    "baseline",
                ),
            ),
            tuple(
                (
                    k.label,
                    f"{k.engine:.3f}",
                    f"{k.other:.3f}",
                    f"{_signed(k.difference)} [{_signed(k.low)}, {_signed(k.high)}]",
                )
                for k in result.comparisons
            ),
        ),
        Paragraph(
            f"Data vintage: population, GDP and alignment as of the case year for "
            f"{sum(1 for v in vintage if v.applied)} of {len(vintage)} cases (`data/case_vintage.yaml`); "
            "every other domain is today's figure."
        ),
    ]
    return blocks


def _failures(result: BacktestResult) -> list[Block]:
    s = result.failure_summary
    return [
        Heading("Failed and refused groupings", 3),
        Table(
            _columns(
                "case",
                "year",
                "grouping",
                "refused",
                "score / best",
                "rank",
                "P(acts)",
                "likeliest to block",
                numbers=(
                    "year",
                    "score / best",
                    "rank",
                    "P(acts)",
                ),
            ),
            tuple(
                (
                    f.id,
                    str(f.year),
                    _codes(f.members),
                    _codes(f.refused),
                    f"{f.score:.3f} / {_num(f.best_score)}",
                    f.rank_bound,
                    f"{f.veto_probability:.2f}",
                    f.likeliest_to_block or "-",
                )
                for f in result.failures
            ),
        ),
        Bullets(
            (
                f"Predicted not to act (P(acts) < 0.5): {s.predicted} of {s.failures}; the refusing member "
                f"named likeliest to block: {s.refuser_named} of {s.failures}.",
                f"Mean P(acts): failed groupings {_num(s.mean_veto_failed)}, founding cores "
                f"{_num(s.mean_veto_founded)}; AUC (founding against failed) {_num(s.auc)}.",
                f"Mean total score: failed groupings {_num(s.mean_score_failed)}, founding cores "
                f"{_num(s.mean_score_founded)}; AUC {_num(s.score_auc)}.",
            )
        ),
    ]


def backtest(result: BacktestResult) -> Document:
    """The report: its protocol, then the results."""
    return Document(
        (
            Heading("Back-test against real minilaterals"),
            Paragraph(f"Protocol: {result.protocol}."),
            *results(result).blocks,
        )
    )


def results(result: BacktestResult) -> Document:
    """Per case, the means with intervals, the paired comparisons, failures and calibration (the
    generated part of docs/backtest.md, below its hand-written protocol)."""
    blocks: list[Block] = [Heading("Results", 2)]
    if result.cases:
        blocks += _cases(result)
    if result.failures:
        blocks += _failures(result)
    boot = result.bootstrap
    blocks += [
        Heading("Calibration, out of sample", 3),
        Bullets(tuple(calibration_lines(result))),
        Paragraph(f"Bootstrap: {boot.get('resamples')} resamples, seed {boot.get('seed')}, over cases."),
    ]
    return Document(tuple(blocks))
