"""Tables, charts and markdown for the frontier and power commands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coalesce.models.analysis import FrontierResult, PowerResult
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
        if result.magic_number is not None:
            console.print(
                f"Magic number: {result.magic_number}. Beyond it the best architecture scores less; "
                f"target {result.issue.target:.0%} "
                + (
                    f"first reached at size {result.reaches_target}."
                    if result.reaches_target
                    else "not reached."
                )
            )
        if not result.search.exact:
            console.print("Some sizes hit the time limit: their best is the best found, not certified.")

    return capture(draw, color, width)


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
    lines += [
        "",
        f"Magic number: {result.magic_number}; target reached at size {result.reaches_target or 'never'}.",
    ]
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
                f"{m.shapley_shubik:.4f} ({m.shapley_shubik_exact})",
                f"{m.banzhaf:.4f} ({m.banzhaf_exact})",
                f"{m.coleman_prevent:.4f}",
                str(m.swings),
            )
        console.print(table)
        console.print(
            f"Power of the collectivity to act: {result.collectivity_to_act:.4f} "
            f"({result.winning_coalitions} of {result.coalitions} coalitions win). {result.note}"
        )

    return capture(draw, color, width)


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
            f"| {m.actor} | {m.weight:.4g} | {m.shapley_shubik_exact} ({m.shapley_shubik:.4f}) | "
            f"{m.banzhaf_exact} ({m.banzhaf:.4f}) | {m.coleman_prevent:.4f} | {m.swings} |"
        )
    lines += [
        "",
        f"Power of the collectivity to act: {result.collectivity_to_act_exact} ({result.collectivity_to_act:.4f}). {result.note}",
    ]
    return "\n".join(lines) + "\n"
