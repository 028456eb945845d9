"""Markdown: a one-page brief that can go into a memo."""

from __future__ import annotations

from coalesce.models.results import ProposeResult, Recommendation, ScoreResult


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _architecture(rec: Recommendation, lines: list[str]) -> None:
    p = rec.member_probability
    lines.append(
        "- **Core:** "
        + ", ".join(
            f"{n} ({c}{f', in {p[c]:.0%} of draws' if c in p else ''})"
            for n, c in zip(rec.names, rec.members, strict=True)
        )
    )
    lines.append(
        f"- **Convener:** {rec.convener or 'none eligible'}"
        + (f", with {rec.co_convener} as co-convener" if rec.co_convener else "")
    )
    for track in rec.tracks:
        lines.append(
            f"- **Rival track ({track.kind}):** {' and '.join(track.members)}, convened by {track.convener or 'nobody'}"
        )
    if rec.passengers:
        lines.append(f"- **Passengers:** {', '.join(rec.passengers)}")
    lines.append(
        f"- **Capability held:** {rec.coverage:.0%}; **expected time to agree:** {rec.expected_months:.0f} months"
        + (
            f" (80% interval {rec.months_interval[0]:.0f}-{rec.months_interval[1]:.0f})"
            if rec.months_interval
            else ""
        )
    )
    lines.append("")
    lines.append("| criterion | score | weight | why |")
    lines.append("|---|---:|---:|---|")
    for name, c in rec.criteria.items():
        lines.append(f"| {name} | {c.score:.2f} | {c.weight:g} | {_cell(c.rationale)} |")
    if rec.expansion:
        lines.append("")
        lines.append(
            "**Who to invite next:** "
            + "; ".join(
                f"{s.step}. {s.name} ({s.invite}), score {s.score_after:.3f} ({s.delta:+.3f}): {s.reason}"
                for s in rec.expansion
            )
        )


def render_propose(result: ProposeResult) -> str:
    """A memo-ready brief: recommendation, reasons, alternatives, method."""
    issue = result.issue
    lines = [f"# {issue.title}: recommended minilateral architecture", ""]
    lines.append(
        f"*Decision rule:* {issue.decision_rule}. *Target:* {issue.target:.0%} of weighted world capability. "
        f"*Deadline:* {issue.deadline_months:g} months."
    )
    lines.append("")
    if not result.recommendations:
        lines.append(f"No recommendation: {result.note or 'no grouping satisfies the request'}.")
        return "\n".join(lines) + "\n"
    top = result.recommendations[0]
    lines.append(f"## Recommendation (score {top.score:.3f})")
    lines.append("")
    _architecture(top, lines)
    if len(result.recommendations) > 1:
        lines += ["", "## Alternatives", "", "| # | score | members | convener |", "|---:|---:|---|---|"]
        for rec in result.recommendations[1:]:
            tie = " (tie)" if rec.tied_with_best else ""
            lines.append(
                f"| {rec.rank} | {rec.score:.3f}{tie} | {', '.join(rec.members)} | {rec.convener or '-'} |"
            )
    search = result.search
    names = list(result.parameters.weights)
    lines += [
        "",
        "## Method",
        "",
        f"{_counted(names)} each score the architecture in [0, 1]; the total is their weighted mean. "
        + (
            "The ranking is exact: the search certifies the top list."
            if search.exact
            else (
                f"The --time-limit of {search.time_limit:g}s cut the search (output may differ between runs); "
                f"optimality gap {search.gap:.4f}."
                if search.stopped_by == "time limit"
                else f"The search stopped at its work budget; optimality gap {search.gap:.4f}."
            )
        ),
    ]
    if result.note:
        lines += ["", f"Note: {result.note}"]
    return "\n".join(lines) + "\n"


def render_score(result: ScoreResult) -> str:
    """A brief on one grouping."""
    lines = [
        f"# {result.issue.title}: assessment of {', '.join(result.members)}",
        "",
        f"**Score:** {result.score:.3f}",
        "",
    ]
    _architecture(result, lines)
    advice = result.advice
    lines.append("")
    if advice.best_addition:
        a = advice.best_addition
        lines.append(f"- **Best addition:** {a.name} ({a.actor}), score {a.score_after:.3f} ({a.delta:+.3f})")
    if advice.best_removal:
        r = advice.best_removal
        lines.append(f"- **Best removal:** {r.name} ({r.actor}), score {r.score_after:.3f} ({r.delta:+.3f})")
    lines.append(f"- **Rank:** {advice.rank_note}")
    return "\n".join(lines) + "\n"


_NUMBERS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


def _counted(names: list[str]) -> str:
    """'Six criteria (capability, ...)': the criteria as the result reports them."""
    count = _NUMBERS[len(names)] if len(names) < len(_NUMBERS) else str(len(names))
    return f"{count} criteri{'on' if len(names) == 1 else 'a'} ({', '.join(names)})"
