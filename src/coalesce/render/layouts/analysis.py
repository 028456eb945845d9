"""Layouts of the analyses: frontier (Naím's curve), power, compare, robustness and sweep."""

from __future__ import annotations

from coalesce.models.analysis import (
    CompareResult,
    FrontierResult,
    PowerResult,
    RobustnessResult,
    ScenarioComparison,
    SweepResult,
)
from coalesce.render import numbers
from coalesce.render.document import (
    Block,
    Column,
    Document,
    Fields,
    Figure,
    Heading,
    Note,
    Paragraph,
    Series,
    Table,
)

MAGIC = "magic number"


def frontier_notes(result: FrontierResult) -> list[str]:
    """The sentences under the curve."""
    notes = []
    if result.magic_number is not None:
        notes.append(
            f"Magic number: {result.magic_number}. Beyond it the best architecture scores less; "
            f"target {numbers.percent(result.issue.target)} "
            + (f"first reached at size {result.reaches_target}." if result.reaches_target else "not reached.")
        )
    return notes


NOT_CERTIFIED = "Some sizes hit the time limit: their best is the best found, not certified."


def frontier(result: FrontierResult) -> Document:
    """The best architecture per size, the curve of score and coverage, and the magic number."""
    points = result.points
    labels = tuple(str(p.size) for p in points)
    blocks: list[Block] = [
        Heading(f"Naím's curve: {result.issue.title} ({result.issue.id})"),
        Table(
            (
                Column("size", "number"),
                Column("score", "number"),
                Column("coverage", "number"),
                Column("exact", "number"),
                Column("members"),
            ),
            tuple(
                (
                    p.size,
                    numbers.fixed(p.score),
                    numbers.percent(p.coverage),
                    numbers.yes_no(p.exact),
                    numbers.codes(p.members) + (f" ({MAGIC})" if p.size == result.magic_number else ""),
                )
                for p in points
            ),
            title="Best architecture of each size",
        ),
        Figure(
            "Naím's curve",
            "line",
            labels,
            (
                Series(
                    "score", tuple(p.score for p in points), tuple(numbers.fixed(p.score) for p in points)
                ),
                Series(
                    "coverage",
                    tuple(p.coverage for p in points),
                    tuple(numbers.percent(p.coverage) for p in points),
                ),
            ),
            axis="size",
            marked=None if result.magic_number is None else str(result.magic_number),
            mark_text=MAGIC,
        ),
        *(Paragraph(note) for note in frontier_notes(result)),
    ]
    if not result.search.exact:
        blocks.append(Note(NOT_CERTIFIED))
    if result.note:
        blocks.append(Note(f"Note: {result.note}"))
    return Document(tuple(blocks))


def power_index(value: float, exact: str) -> str:
    """A power index, rounded then exact: the one order in every format."""
    return f"{value:.4f} ({exact})"


def collectivity_line(result: PowerResult) -> str:
    return (
        "Power of the collectivity to act: "
        f"{power_index(result.collectivity_to_act, result.collectivity_to_act_exact)}; "
        f"{numbers.count(result.winning_coalitions)} of {numbers.count(result.coalitions)} coalitions win. "
        f"{result.note}"
    )


def power(result: PowerResult) -> Document:
    """Each member's indices, rounded then exact."""
    return Document(
        (
            Heading(f"Voting power: {result.issue.title} ({result.issue.id})"),
            Paragraph(f"Rule: {result.rule}."),
            Table(
                (
                    Column("member", "id"),
                    Column("weight", "number"),
                    Column("Shapley-Shubik", "number"),
                    Column("Banzhaf", "number"),
                    Column("Coleman prevent", "number"),
                    Column("swings", "number"),
                ),
                tuple(
                    (
                        m.actor,
                        numbers.decimal(m.weight),
                        power_index(m.shapley_shubik, m.shapley_shubik_exact),
                        power_index(m.banzhaf, m.banzhaf_exact),
                        power_index(m.coleman_prevent, m.coleman_prevent_exact),
                        m.swings,
                    )
                    for m in result.members
                ),
            ),
            Paragraph(collectivity_line(result)),
        )
    )


def rank_changes_line(comparison: ScenarioComparison) -> str:
    """The baseline cores whose rank moved ("" when none did)."""
    return "; ".join(
        f"{numbers.codes(c.members)}: #{c.baseline_rank} -> "
        + (f"#{c.scenario_rank}" if c.scenario_rank else "out")
        for c in comparison.rank_changes
        if c.scenario_rank != c.baseline_rank
    )


def _nth(items: list[list[str]], i: int) -> str:
    return numbers.codes(items[i]) if i < len(items) else ""


def _nth_score(scores: list[float], i: int) -> str:
    return f"{scores[i]:.3f}" if i < len(scores) else ""


def compare(result: CompareResult) -> Document:
    """Baseline and each scenario side by side, then what changed."""
    blocks: list[Block] = [Heading(f"What-if: {result.issue.title} ({result.issue.id})")]
    for c in result.comparisons:
        rows = max(len(result.baseline_top), len(c.top))
        blocks.append(Heading(c.scenario, 2))
        if c.description:
            blocks.append(Paragraph(c.description))
        blocks.append(
            Table(
                (
                    Column("#", "number"),
                    Column("baseline"),
                    Column("score", "number"),
                    Column(c.scenario),
                    Column("score", "number"),
                ),
                tuple(
                    (
                        i + 1,
                        _nth(result.baseline_top, i),
                        _nth_score(result.baseline_scores, i),
                        _nth(c.top, i),
                        _nth_score(c.scores, i),
                    )
                    for i in range(rows)
                ),
                title=f"Baseline vs {c.scenario}",
            )
        )
        deltas = ", ".join(f"{k} {v:+.2f}" for k, v in c.criteria_delta.items())
        items: list[tuple[str, str | None]] = [
            ("Entered the core", numbers.codes(c.entered)),
            ("Left the core", numbers.codes(c.left)),
            ("Convener", f"{c.convener_before or '-'} -> {c.convener_after or '-'}"),
            ("Winner's criteria, scenario minus baseline", deltas or numbers.MISSING),
        ]
        moved = rank_changes_line(c)
        if moved:
            items.append(("Rank changes", moved))
        blocks.append(Fields(tuple(items)))
    return Document(tuple(blocks))


def robustness_summary(result: RobustnessResult) -> str:
    """The draws and the baseline's fate."""
    uncertified = "" if result.baseline_exact else " (best found, not certified)"
    gap = (
        ""
        if result.exact_draws == result.draws
        else f"; in the others the best core may score up to {result.largest_gap:.4f} more than the one "
        "reported"
    )
    return (
        f"{numbers.count(result.draws)} draws (seed {result.seed}, Dirichlet concentration "
        f"{result.concentration:g}); baseline winner {numbers.codes(result.baseline)}{uncertified} still "
        f"wins {numbers.percent(result.baseline_share)} of draws; {numbers.count(result.exact_draws)} of "
        f"{numbers.count(result.draws)} draws certified exact{gap}."
    )


def robustness(result: RobustnessResult) -> Document:
    """First-place shares, membership probabilities and conveners."""
    members = result.membership[:15]
    return Document(
        (
            Heading(f"Robustness: {result.issue.title} ({result.issue.id})"),
            Paragraph(robustness_summary(result)),
            Table(
                (Column("share", "number"), Column("winning core")),
                tuple(
                    (numbers.percent(i.share, 1), numbers.codes(i.members)) for i in result.first_place[:10]
                ),
                title="Winning cores",
            ),
            Table(
                (Column("actor", "id"), Column("name"), Column("P(in winning core)", "number")),
                tuple((m.actor, m.name, numbers.percent(m.share, 1)) for m in members),
                title="Probability of being in the winning core",
            ),
            Figure(
                "Probability of being in the winning core",
                "bars",
                tuple(m.actor for m in members),
                (
                    Series(
                        "share of draws",
                        tuple(m.share for m in members),
                        tuple(numbers.percent(m.share, 1) for m in members),
                    ),
                ),
            ),
            Fields(
                (
                    (
                        "Conveners",
                        ", ".join(f"{c.actor} {numbers.percent(c.share)}" for c in result.conveners)
                        or numbers.MISSING,
                    ),
                )
            ),
        )
    )


def sweep(result: SweepResult) -> Document:
    """The winner along the range, and the tipping points."""
    tipping = [
        f"Tipping point between {t.below:.6g} and {t.above:.6g}: {numbers.codes(t.before)} -> "
        f"{numbers.codes(t.after)}"
        for t in result.tipping_points
    ]
    return Document(
        (
            Heading(
                f"Sweep of {result.path} from {result.start:g} to {result.stop:g}: {result.issue.title} "
                f"({result.issue.id})"
            ),
            Table(
                (Column("value", "number"), Column("winner"), Column("score", "number")),
                tuple(
                    (f"{p.value:.4g}", numbers.codes(p.members), numbers.fixed(p.score))
                    for p in result.points
                ),
            ),
            *(
                (Paragraph(line) for line in tipping)
                if tipping
                else (Paragraph("No tipping point: the winner is the same across the range."),)
            ),
        )
    )
