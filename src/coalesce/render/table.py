"""Terminal tables (rich) for people reading at a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coalesce.models.results import ProposeResult, Recommendation, ScoreResult
from coalesce.render.console import capture


def _members(rec: Recommendation) -> str:
    p = rec.member_probability
    return ", ".join(f"{m} {p[m]:.0%}" if m in p else m for m in rec.members)


def _tracks(rec: Recommendation) -> str:
    if not rec.tracks:
        return "-"
    return "; ".join(f"{'-'.join(t.members)} ({t.convener or 'no convener'})" for t in rec.tracks)


def _criteria_table(rec: Recommendation) -> Table:
    table = Table(title="Criteria", title_justify="left", expand=False, show_lines=False)
    table.add_column("criterion", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("reason", overflow="fold")
    for name, c in rec.criteria.items():
        table.add_row(name, f"{c.score:.2f}", f"{c.weight:g}", c.rationale)
    return table


def _ladder(rec: Recommendation) -> Table:
    table = Table(title="Expansion ladder (who to invite next)", title_justify="left")
    table.add_column("step", justify="right")
    table.add_column("invite", no_wrap=True)
    table.add_column("score after", justify="right")
    table.add_column("what it changes", overflow="fold")
    for step in rec.expansion:
        table.add_row(
            str(step.step), f"{step.invite}", f"{step.score_after:.3f} ({step.delta:+.3f})", step.reason
        )
    return table


def _architecture(console: Console, rec: Recommendation) -> None:
    console.print(Text(f"Core: {_members(rec)}", style="bold"))
    console.print(
        f"Convener: {rec.convener or 'none eligible'}"
        + (f", co-convener {rec.co_convener}" if rec.co_convener else "")
    )
    for track in rec.tracks:
        console.print(
            f"Track ({track.kind}): {'-'.join(track.members)}, convened by {track.convener or 'nobody'}"
        )
    if rec.passengers:
        console.print(f"Passengers: {', '.join(rec.passengers)}")
    console.print(_criteria_table(rec))
    if rec.expansion:
        console.print(_ladder(rec))


def render_propose(result: ProposeResult, color: bool, width: int) -> str:
    """Ranked list, then the top architecture in detail."""

    def draw(console: Console) -> None:
        issue = result.issue
        console.print(Text(f"{issue.title} ({issue.id})", style="bold"))
        console.print(
            f"Rule: {issue.decision_rule}. Target {issue.target:.0%} of weighted capability. "
            f"Deadline {issue.deadline_months:g} months."
        )
        table = Table(
            title="Recommendations (=: tied with #1 within the robustness noise; member %: share of draws)",
            title_justify="left",
        )
        table.add_column("#", justify="right")
        table.add_column("score", justify="right")
        table.add_column("members", overflow="fold")
        table.add_column("convener", no_wrap=True)
        table.add_column("rival tracks", overflow="fold")
        table.add_column("coverage", justify="right")
        table.add_column("months", justify="right")
        for rec in result.recommendations:
            table.add_row(
                str(rec.rank),
                f"{rec.score:.3f}" + ("=" if rec.tied_with_best and rec.rank != 1 else ""),
                _members(rec),
                rec.convener or "-",
                _tracks(rec),
                f"{rec.coverage:.0%}",
                f"{rec.expected_months:.0f}",
            )
        console.print(table)
        if result.note:
            console.print(f"Note: {result.note}")
        if result.recommendations:
            console.print(Text("Top architecture", style="bold underline"))
            _architecture(console, result.recommendations[0])
        search = result.search
        status = "exact (certified top-K)" if search.exact else f"best found, optimality gap {search.gap:.4f}"
        timing = f" in {search.seconds:.2f}s" if search.seconds is not None else ""
        console.print(f"Search: {status}; {search.nodes} nodes over {search.candidates} candidates{timing}.")
        if search.stopped_by == "time limit":
            console.print(
                f"The --time-limit of {search.time_limit:g}s cut the search: output may differ between runs."
            )

    return capture(draw, color, width)


def render_score(result: ScoreResult, color: bool, width: int) -> str:
    """One grouping in detail, with advice."""

    def draw(console: Console) -> None:
        console.print(
            Text(f"{result.issue.title} ({result.issue.id}): score {result.score:.3f}", style="bold")
        )
        _architecture(console, result)
        advice = result.advice
        if advice.best_addition:
            a = advice.best_addition
            console.print(f"Best addition: {a.actor} ({a.name}) -> {a.score_after:.3f} ({a.delta:+.3f})")
        if advice.best_removal:
            r = advice.best_removal
            console.print(f"Best removal: {r.actor} ({r.name}) -> {r.score_after:.3f} ({r.delta:+.3f})")
        console.print(f"Rank: {advice.rank_note}.")

    return capture(draw, color, width)
