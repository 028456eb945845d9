"""The back-test report as a terminal table and as markdown (the results part of docs/backtest.md)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coalesce.models.backtest import BacktestResult, MetricSummary
from coalesce.render.console import capture


def _num(value: float | None, fmt: str = ".3f") -> str:
    return "-" if value is None else format(value, fmt)


def _interval(m: MetricSummary) -> str:
    if m.mean is None:
        return "-"
    return f"{m.mean:.3f} [{_num(m.low)}, {_num(m.high)}]"


def _signed(value: float) -> str:
    return f"{value:+.3f}"


def backtest_table(result: BacktestResult, color: bool, width: int) -> str:
    """Per case, then the means with intervals, the paired comparisons, failures and calibration."""

    def draw(console: Console) -> None:
        console.print(Text("Back-test against real minilaterals", style="bold"))
        console.print(f"Protocol: {result.protocol}.")
        if result.cases:
            table = Table(title_justify="left")
            for column in (
                "case",
                "year",
                "Jaccard",
                "G7",
                "G20",
                "top-N",
                "oracle",
                "like-minded",
                "convener",
                "core rank",
                "Brier",
                "months",
            ):
                table.add_column(column, justify="left" if column == "case" else "right")
            for c in result.cases:
                b = c.baselines
                table.add_row(
                    c.id,
                    str(c.year),
                    _num(c.recommended.jaccard if c.recommended else None, ".2f"),
                    f"{b['g7'].jaccard:.2f}",
                    f"{b['g20'].jaccard:.2f}",
                    f"{b['top_n'].jaccard:.2f}",
                    f"{b['top_n_oracle'].jaccard:.2f}",
                    f"{b['like_minded'].jaccard:.2f}",
                    c.convener_rank_bound.split(" (")[0],
                    c.real_rank_bound,
                    f"{c.brier:.3f}",
                    f"{c.estimated_months:.0f}/{_num(c.actual_months, 'g')}",
                )
            console.print(table)
            for m in result.metrics:
                console.print(f"{m.label}: {_interval(m)} over {m.cases} cases")
            for k in result.comparisons:
                console.print(
                    f"engine - {k.label}: {_signed(k.difference)} [{_signed(k.low)}, {_signed(k.high)}]"
                )
        if result.failures:
            table = Table(title="Failed or refused groupings", title_justify="left")
            for column in ("case", "year", "score", "best", "rank", "P(acts)", "blocker", "refused"):
                table.add_column(column, justify="left" if column == "case" else "right")
            for f in result.failures:
                table.add_row(
                    f.id,
                    str(f.year),
                    f"{f.score:.3f}",
                    _num(f.best_score),
                    f.rank_bound,
                    f"{f.veto_probability:.2f}",
                    f.likeliest_to_block or "-",
                    ", ".join(f.refused),
                )
            console.print(table)
        for line in _calibration_lines(result):
            console.print(line.lstrip("- "))

    return capture(draw, color, width)


def _calibration_lines(result: BacktestResult) -> list[str]:
    lines = []
    a = result.acceptance
    if a is not None and a.acceptance_loo is not None:
        d = a.acceptance_difference or [0.0, 0.0, 0.0]
        lists = "; ".join(
            f"{kind} lists {int(v[0])} invitees, {_num(v[1])} against {_num(v[2])}"
            for kind, v in (a.acceptance_by_list or {}).items()
        )
        lines.append(
            f"- Acceptance model (the veto criterion's) on {a.decisions} signature decisions ({a.scored} "
            f"invitees scored, initiators left out): refitted leave-one-decision-out, Brier "
            f"{_num(a.acceptance_loo)} against {_num(a.acceptance_base_rate)} for the leave-one-decision-out "
            f"base rate (difference {_signed(d[0])} [{_signed(d[1])}, {_signed(d[2])}], decisions "
            f"resampled); {lists}; the shipped coefficients in sample {_num(a.acceptance_in_sample)}."
        )
    if a is not None:
        lines.append(
            f"- Previous acceptance model (one UNGA dimension, text at the invitees' mean; reference) on "
            f"{a.invitees} invitees with an ideal point ({a.signed} signed): Brier {_num(a.brier_model)} with the "
            f"shipped parameters against {_num(a.brier_base_rate)} for the leave-one-decision-out base rate"
            + (
                f" (difference {_signed(a.difference[0])} [{_signed(a.difference[1])}, {_signed(a.difference[2])}],"
                " decisions resampled)"
                if a.difference
                else ""
            )
            + f"; text at the initiator's position {_num(a.brier_anchored)}."
        )
    t = result.timeliness
    if t.negotiations:
        lines.append(
            f"- Timeliness on {t.negotiations} negotiations, leave-one-out: mean absolute log error "
            f"{_num(t.mean_abs_log_error)} (a typical factor of x{_num(t.typical_factor, '.2f')}), RMSE "
            f"{_num(t.rmse_log)}."
        )
    if t.holdout:
        per = ", ".join(f"{k} {v:+.2f}" for k, v in t.holdout_errors.items())
        lines.append(
            f"- Timeliness on {t.holdout} held-out minilateral negotiations (never in the fit): mean absolute "
            f"log error {_num(t.holdout_mean_abs_log_error)} ({per})."
        )
    return lines


def _codes(codes: list[str]) -> str:
    return ", ".join(codes)


def backtest_markdown(result: BacktestResult) -> str:
    """The results, as they appear below the protocol in docs/backtest.md."""
    lines = ["## Results", ""]
    if result.cases:
        lines += [
            "Jaccard with blocs expanded to their member states as of the case year. Baselines: G7, G20, "
            "top-N holders at the engine's size, top-N at the true size (oracle), like-minded top-N.",
            "",
            "| case | year | real core | recommended core | Jaccard | precision | recall | G7 | G20 | top-N | oracle | like-minded |",
            "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for c in result.cases:
            b = c.baselines
            r = c.recommended
            lines.append(
                f"| {c.id} | {c.year} | {_codes(c.real_core)} | {_codes(r.members) if r else '-'} | "
                f"{_num(r.jaccard if r else None, '.2f')} | {_num(r.precision if r else None, '.2f')} | "
                f"{_num(r.recall if r else None, '.2f')} | {b['g7'].jaccard:.2f} | {b['g20'].jaccard:.2f} | "
                f"{b['top_n'].jaccard:.2f} | {b['top_n_oracle'].jaccard:.2f} | {b['like_minded'].jaccard:.2f} |"
            )
        lines += [
            "",
            "| case | sizes | real core score / rank | recommended score | conveners | convener rank | engine's conveners | Brier | AUC | P(real member) | P(acts) | est. / actual months |",
            "|---|---:|---:|---:|---|---|---|---:|---:|---:|---:|---:|",
        ]
        for c in result.cases:
            lines.append(
                f"| {c.id} | {c.min_size}-{c.max_size} | {c.real_score:.3f} / {c.real_rank_bound} | "
                f"{_num(c.recommended_score)} | {_codes(c.conveners)} | {c.convener_rank_bound} | "
                f"{_codes(c.convener_chain[:3])}{' ...' if len(c.convener_chain) > 3 else ''} | {c.brier:.3f} | "
                f"{_num(c.auc)} | {c.mean_member_probability:.2f} | {c.veto_probability:.2f} | "
                f"{c.estimated_months:.1f} / {_num(c.actual_months, 'g')} |"
            )
        recorded = [f"{c.id}: {'; '.join(c.non_state)}" for c in result.cases if c.non_state]
        if recorded:
            lines += ["", "Non-state parties, recorded and not scored: " + " | ".join(recorded) + "."]
        exact = sum(1 for c in result.cases if c.exact)
        lines += [
            "",
            f"Searches certified exact: {exact} of {len(result.cases)}. Capability weight 0 (no domain "
            f"measures the problem): {_codes([c.id for c in result.cases if c.weights.get('capability') == 0]) or 'none'}.",
            "",
            "### Means over cases (95% bootstrap interval)",
            "",
            "| metric | cases | mean [interval] |",
            "|---|---:|---|",
        ]
        lines += [f"| {m.label} | {m.cases} | {_interval(m)} |" for m in result.metrics]
        lines += [
            "",
            f"Real convener in the top 3: {result.convener_top3} of {result.convener_ranked} certain; "
            f"{result.convener_undetermined} undetermined (the engine's convener for the real core is one of "
            "its members, so it cannot be set aside to rank the next); the mean above counts them as no.",
            "",
            "### The engine against each baseline (mean Jaccard, paired bootstrap)",
            "",
            "| baseline | engine | baseline | engine - baseline [interval] |",
            "|---|---:|---:|---|",
        ]
        lines += [
            f"| {k.label} | {k.engine:.3f} | {k.other:.3f} | {_signed(k.difference)} [{_signed(k.low)}, {_signed(k.high)}] |"
            for k in result.comparisons
        ]
        vintage = [c.vintage for c in result.cases]
        applied = sum(1 for v in vintage if v.applied)
        lines += [
            "",
            f"Data vintage: population, GDP and alignment as of the case year for {applied} of "
            f"{len(vintage)} cases (`data/case_vintage.yaml`); every other domain is today's figure.",
        ]
    if result.failures:
        s = result.failure_summary
        lines += [
            "",
            "### Failed and refused groupings",
            "",
            "| case | year | grouping | refused | score / best | rank | P(acts) | likeliest to block |",
            "|---|---:|---|---|---:|---:|---:|---|",
        ]
        for f in result.failures:
            lines.append(
                f"| {f.id} | {f.year} | {_codes(f.members)} | {_codes(f.refused)} | {f.score:.3f} / "
                f"{_num(f.best_score)} | {f.rank_bound} | {f.veto_probability:.2f} | {f.likeliest_to_block or '-'} |"
            )
        lines += [
            "",
            f"- Predicted not to act (P(acts) < 0.5): {s.predicted} of {s.failures}; the refusing member named "
            f"likeliest to block: {s.refuser_named} of {s.failures}.",
            f"- Mean P(acts): failed groupings {_num(s.mean_veto_failed)}, founding cores "
            f"{_num(s.mean_veto_founded)}; AUC (founding against failed) {_num(s.auc)}.",
            f"- Mean total score: failed groupings {_num(s.mean_score_failed)}, founding cores "
            f"{_num(s.mean_score_founded)}; AUC {_num(s.score_auc)}.",
        ]
    lines += ["", "### Calibration, out of sample", "", *_calibration_lines(result)]
    boot = result.bootstrap
    lines += ["", f"Bootstrap: {boot.get('resamples')} resamples, seed {boot.get('seed')}, over cases."]
    return "\n".join(lines) + "\n"
