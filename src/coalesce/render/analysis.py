"""Tables, charts and markdown for the frontier and power commands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coalesce.models.analysis import (
    CompareResult,
    FrontierResult,
    PowerResult,
    RobustnessResult,
    ScenarioComparison,
    SweepResult,
)
from coalesce.render.console import capture

BAR = "█"


def _bar(value: float | None, width: int) -> str:
    if value is None:
        return ""
    filled = max(0, min(width, round(value * width)))
    return BAR * filled + "·" * (width - filled)


def frontier_table(result: FrontierResult, color: bool, width: int) -> str:
    """The best architecture per size, with bars for coverage and score, and the magic number."""
    bar_width = max(8, min(30, (width - 60) // 2))

    def draw(console: Console) -> None:
        console.print(Text(f"Naím's curve: {result.issue.title} ({result.issue.id})", style="bold"))
        table = Table(title="Best architecture of each size", title_justify="left")
        table.add_column("size", justify="right")
        table.add_column("score", justify="right")
        table.add_column("score bar", no_wrap=True)
        table.add_column("coverage", justify="right")
        table.add_column("coverage bar", no_wrap=True)
        table.add_column("members", overflow="fold")
        for p in result.points:
            mark = " <- magic number" if p.size == result.magic_number else ""
            table.add_row(
                str(p.size),
                "-" if p.score is None else f"{p.score:.3f}",
                _bar(p.score, bar_width),
                "-" if p.coverage is None else f"{p.coverage:.0%}",
                _bar(p.coverage, bar_width),
                ", ".join(p.members) + mark,
            )
        console.print(table)
        for note in frontier_notes(result):
            console.print(note)

    return capture(draw, color, width)


def frontier_notes(result: FrontierResult) -> list[str]:
    """The sentences under the curve, the same in every format."""
    notes = []
    if result.magic_number is not None:
        notes.append(
            f"Magic number: {result.magic_number}. Beyond it the best architecture scores less; "
            f"target {result.issue.target:.0%} "
            + (f"first reached at size {result.reaches_target}." if result.reaches_target else "not reached.")
        )
    if not result.search.exact:
        notes.append("Some sizes hit the time limit: their best is the best found, not certified.")
    return notes


def frontier_markdown(result: FrontierResult) -> str:
    """The curve as a markdown table."""
    lines = [
        f"# Naím's curve: {result.issue.title}",
        "",
        "| size | score | coverage | members |",
        "|---:|---:|---:|---|",
    ]
    for p in result.points:
        star = " **(magic number)**" if p.size == result.magic_number else ""
        score = "-" if p.score is None else f"{p.score:.3f}"
        cover = "-" if p.coverage is None else f"{p.coverage:.0%}"
        lines.append(f"| {p.size} | {score} | {cover} | {', '.join(p.members)}{star} |")
    for note in frontier_notes(result):
        lines += ["", note]
    return "\n".join(lines) + "\n"


def power_table(result: PowerResult, color: bool, width: int) -> str:
    """Each member's indices, exact and rounded."""

    def draw(console: Console) -> None:
        console.print(Text(f"Voting power under {result.rule} ({result.issue.id})", style="bold"))
        table = Table(title_justify="left")
        for column in ("member", "weight", "Shapley-Shubik", "Banzhaf", "Coleman prevent", "swings"):
            table.add_column(column, justify="left" if column == "member" else "right")
        for m in result.members:
            table.add_row(
                m.actor,
                f"{m.weight:.4g}",
                power_index(m.shapley_shubik, m.shapley_shubik_exact),
                power_index(m.banzhaf, m.banzhaf_exact),
                f"{m.coleman_prevent:.4f}",
                str(m.swings),
            )
        console.print(table)
        console.print(collectivity_line(result))

    return capture(draw, color, width)


def power_index(value: float, exact: str) -> str:
    """A power index, rounded then exact, the same in every format."""
    return f"{value:.4f} ({exact})"


def collectivity_line(result: PowerResult) -> str:
    return (
        f"Power of the collectivity to act: {power_index(result.collectivity_to_act, result.collectivity_to_act_exact)}; "
        f"{result.winning_coalitions} of {result.coalitions} coalitions win. {result.note}"
    )


def power_markdown(result: PowerResult) -> str:
    """The indices as a markdown table."""
    lines = [
        f"# Voting power: {result.issue.title}",
        "",
        f"Rule: {result.rule}.",
        "",
        "| member | weight | Shapley-Shubik | Banzhaf | Coleman (prevent) | swings |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in result.members:
        lines.append(
            f"| {m.actor} | {m.weight:.4g} | {power_index(m.shapley_shubik, m.shapley_shubik_exact)} | "
            f"{power_index(m.banzhaf, m.banzhaf_exact)} | {m.coleman_prevent:.4f} | {m.swings} |"
        )
    lines += ["", collectivity_line(result)]
    return "\n".join(lines) + "\n"


def _codes(members: list[str]) -> str:
    return ", ".join(members) if members else "-"


def compare_table(result: CompareResult, color: bool, width: int) -> str:
    """Baseline and each scenario side by side, then what changed."""

    def draw(console: Console) -> None:
        console.print(Text(f"What-if: {result.issue.title} ({result.issue.id})", style="bold"))
        for comparison in result.comparisons:
            table = Table(title=f"Baseline vs {comparison.scenario}", title_justify="left")
            table.add_column("#", justify="right")
            table.add_column("baseline", overflow="fold")
            table.add_column("score", justify="right")
            table.add_column(comparison.scenario, overflow="fold")
            table.add_column("score", justify="right")
            rows = max(len(result.baseline_top), len(comparison.top))
            for i in range(rows):
                table.add_row(
                    str(i + 1),
                    _codes(result.baseline_top[i]) if i < len(result.baseline_top) else "",
                    f"{result.baseline_scores[i]:.3f}" if i < len(result.baseline_scores) else "",
                    _codes(comparison.top[i]) if i < len(comparison.top) else "",
                    f"{comparison.scores[i]:.3f}" if i < len(comparison.scores) else "",
                )
            console.print(table)
            if comparison.description:
                console.print(comparison.description)
            console.print(f"Entered the core: {_codes(comparison.entered)}; left: {_codes(comparison.left)}.")
            if comparison.convener_before != comparison.convener_after:
                console.print(f"Convener: {comparison.convener_before} -> {comparison.convener_after}.")
            deltas = ", ".join(f"{k} {v:+.2f}" for k, v in comparison.criteria_delta.items())
            console.print(f"Winner's criteria, scenario minus baseline: {deltas or '-'}")
            moved = rank_changes_line(comparison)
            if moved:
                console.print("Rank changes: " + moved)

    return capture(draw, color, width)


def rank_changes_line(comparison: ScenarioComparison) -> str:
    """The baseline cores whose rank moved, the same in every format ("" when none did)."""
    return "; ".join(
        f"{_codes(c.members)}: #{c.baseline_rank} -> " + (f"#{c.scenario_rank}" if c.scenario_rank else "out")
        for c in comparison.rank_changes
        if c.scenario_rank != c.baseline_rank
    )


def compare_markdown(result: CompareResult) -> str:
    """A memo section per scenario."""
    lines = [f"# What-if: {result.issue.title}", ""]
    for c in result.comparisons:
        lines += [
            f"## {c.scenario}",
            "",
            c.description or "",
            "",
            "| # | baseline | score | scenario | score |",
            "|---:|---|---:|---|---:|",
        ]
        for i in range(max(len(result.baseline_top), len(c.top))):
            b = _codes(result.baseline_top[i]) if i < len(result.baseline_top) else ""
            bs = f"{result.baseline_scores[i]:.3f}" if i < len(result.baseline_scores) else ""
            s = _codes(c.top[i]) if i < len(c.top) else ""
            ss = f"{c.scores[i]:.3f}" if i < len(c.scores) else ""
            lines.append(f"| {i + 1} | {b} | {bs} | {s} | {ss} |")
        lines += [
            "",
            f"- Entered the core: {_codes(c.entered)}; left: {_codes(c.left)}",
            f"- Convener: {c.convener_before} -> {c.convener_after}",
            "- Criteria (scenario minus baseline): "
            + ", ".join(f"{k} {v:+.2f}" for k, v in c.criteria_delta.items()),
            *([f"- Rank changes: {rank_changes_line(c)}"] if rank_changes_line(c) else []),
            "",
        ]
    return "\n".join(lines) + "\n"


def robustness_table(result: RobustnessResult, color: bool, width: int) -> str:
    """First-place shares, membership probabilities and conveners."""

    def draw(console: Console) -> None:
        console.print(
            Text(f"Robustness: {result.issue.title} ({result.draws} draws, seed {result.seed})", style="bold")
        )
        console.print(robustness_summary(result))
        first = Table(title="Winning cores", title_justify="left")
        first.add_column("share", justify="right")
        first.add_column("core", overflow="fold")
        for item in result.first_place[:10]:
            first.add_row(f"{item.share:.1%}", _codes(item.members))
        console.print(first)
        members = Table(title="Probability of being in the winning core", title_justify="left")
        members.add_column("actor")
        members.add_column("probability", justify="right")
        members.add_column("", no_wrap=True)
        for member in result.membership[:15]:
            members.add_row(member.actor, f"{member.share:.1%}", _bar(member.share, 20))
        console.print(members)
        console.print("Conveners: " + ", ".join(f"{c.actor} {c.share:.0%}" for c in result.conveners))

    return capture(draw, color, width)


def robustness_markdown(result: RobustnessResult) -> str:
    """The distributions as markdown tables."""
    lines = [
        f"# Robustness: {result.issue.title}",
        "",
        robustness_summary(result),
        "",
        "| share | winning core |",
        "|---:|---|",
        *[f"| {i.share:.1%} | {_codes(i.members)} |" for i in result.first_place[:10]],
        "",
        "| actor | P(in winning core) |",
        "|---|---:|",
        *[f"| {m.actor} | {m.share:.1%} |" for m in result.membership[:15]],
        "",
        "Conveners: " + ", ".join(f"{c.actor} {c.share:.0%}" for c in result.conveners),
    ]
    return "\n".join(lines) + "\n"


def sweep_table(result: SweepResult, color: bool, width: int) -> str:
    """The winner along the range, and the tipping points."""

    def draw(console: Console) -> None:
        console.print(
            Text(
                f"Sweep {result.path} from {result.start:g} to {result.stop:g} ({result.issue.id})",
                style="bold",
            )
        )
        table = Table(title_justify="left")
        table.add_column("value", justify="right")
        table.add_column("winner", overflow="fold")
        table.add_column("score", justify="right")
        for p in result.points:
            table.add_row(f"{p.value:.4g}", _codes(p.members), "-" if p.score is None else f"{p.score:.3f}")
        console.print(table)
        if not result.tipping_points:
            console.print("No tipping point: the winner is the same across the range.")
        for t in result.tipping_points:
            console.print(
                f"Tipping point between {t.below:.6g} and {t.above:.6g}: {_codes(t.before)} -> {_codes(t.after)}"
            )

    return capture(draw, color, width)


def sweep_markdown(result: SweepResult) -> str:
    """The sweep as markdown."""
    lines = [
        f"# Sweep of {result.path}: {result.issue.title}",
        "",
        "| value | winner | score |",
        "|---:|---|---:|",
    ]
    for p in result.points:
        lines.append(
            f"| {p.value:.4g} | {_codes(p.members)} | {'-' if p.score is None else f'{p.score:.3f}'} |"
        )
    lines.append("")
    for t in result.tipping_points:
        lines.append(
            f"- Tipping point between {t.below:.6g} and {t.above:.6g}: {_codes(t.before)} -> {_codes(t.after)}"
        )
    if not result.tipping_points:
        lines.append("- No tipping point in the range.")
    return "\n".join(lines) + "\n"


def _opt(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def robustness_summary(result: RobustnessResult) -> str:
    """The draws and the baseline's fate, the same in every format."""
    return (
        f"{result.draws} draws (seed {result.seed}, Dirichlet concentration {result.concentration:g}); "
        f"baseline winner {_codes(result.baseline)}{_uncertified(result)} still wins "
        f"{result.baseline_share:.0%} of draws; "
        f"{result.exact_draws} of {result.draws} draws certified exact{_gap_note(result)}."
    )


def _gap_note(result: RobustnessResult) -> str:
    """How far an uncertified draw's winner may be from its best (empty when every draw is certified)."""
    if result.exact_draws == result.draws:
        return ""
    return (
        f"; in the others the best core may score up to {result.largest_gap:.4f} more than the one reported"
    )


def _uncertified(result: RobustnessResult) -> str:
    return "" if result.baseline_exact else " (best found, not certified)"
