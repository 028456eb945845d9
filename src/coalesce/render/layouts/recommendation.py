"""The layout of `propose` and `score`: the question, the recommendation with its reasons, the method."""

from __future__ import annotations

from collections.abc import Mapping

from coalesce.models.results import ProposeResult, Recommendation, ScoreResult
from coalesce.render import numbers
from coalesce.render.document import (
    Block,
    Column,
    Document,
    Fields,
    Heading,
    Note,
    Paragraph,
    Table,
    Value,
)

NAMES = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


def named(code: str | None, rec: Recommendation, names: Mapping[str, str], missing: str = "none") -> str:
    """'Norway (NOR)': an actor's full name with its code, from the result or the data's names."""
    if code is None:
        return missing
    own = dict(zip(rec.members, rec.names, strict=True))
    name = own.get(code) or names.get(code)
    return f"{name} ({code})" if name and name != code else code


def _shares(rec: Recommendation) -> str:
    """'EU 85%, NOR 60%': each member's share of robustness draws, where measured."""
    return ", ".join(
        f"{code} {numbers.percent(rec.member_probability[code])}"
        for code in rec.members
        if code in rec.member_probability
    )


def _convener(rec: Recommendation, names: Mapping[str, str]) -> str:
    text = named(rec.convener, rec, names, "none eligible")
    if rec.co_convener:
        text += f", with {named(rec.co_convener, rec, names)} as co-convener"
    return text


def _months(rec: Recommendation) -> str:
    text = f"{rec.expected_months:.0f} months"
    if rec.months_interval:
        low, high = rec.months_interval
        text += f" (80% interval {low:.0f} to {high:.0f})"
    return text


def _score(rec: Recommendation) -> str:
    """The score, marked '=' where it ties with the best within the robustness noise."""
    return f"{rec.score:.3f}" + ("=" if rec.tied_with_best and rec.rank != 1 else "")


def question(result: ProposeResult | ScoreResult) -> Paragraph:
    issue = result.issue
    return Paragraph(
        f"The question: which small group of states should act together on {issue.title}? "
        f"Rule: {issue.decision_rule}. Target {numbers.percent(issue.target)} of weighted world capability. "
        f"Deadline {issue.deadline_months:g} months."
    )


def architecture(rec: Recommendation, names: Mapping[str, str]) -> list[Block]:
    """The core, its convener and tracks, the criteria with their reasons, and the expansion ladder."""
    items: list[tuple[str, Value]] = [
        ("Core", ", ".join(named(code, rec, names) for code in rec.members)),
        ("Convener", _convener(rec, names)),
    ]
    if rec.member_probability:
        items.append(("Share of draws each member is in", _shares(rec)))
    for track in rec.tracks:
        items.append(
            (
                f"Rival track ({track.kind})",
                f"{' and '.join(track.members)}, convened by {track.convener or 'nobody'}"
                + ("" if track.probability is None else f", agrees with p = {track.probability:.2f}"),
            )
        )
    if rec.passengers:
        items.append(("Passengers", ", ".join(rec.passengers)))
    items.append(("Capability held", numbers.percent(rec.coverage)))
    items.append(("Expected time to agree", _months(rec)))
    blocks: list[Block] = [
        Fields(tuple(items)),
        Table(
            (
                Column("criterion", "id"),
                Column("score", "number"),
                Column("weight", "number"),
                Column("reason"),
            ),
            tuple((name, f"{c.score:.2f}", f"{c.weight:g}", c.rationale) for name, c in rec.criteria.items()),
            title="Criteria",
        ),
    ]
    if rec.expansion:
        blocks.append(
            Table(
                (
                    Column("step", "number"),
                    Column("invite", "id"),
                    Column("name"),
                    Column("joins", "number"),
                    Column("score after", "number"),
                    Column("what it changes"),
                ),
                tuple(
                    (
                        s.step,
                        s.invite,
                        s.name,
                        numbers.MISSING
                        if s.join_probability is None
                        else numbers.percent(s.join_probability),
                        f"{s.score_after:.3f} ({s.delta:+.3f})",
                        s.reason,
                    )
                    for s in rec.expansion
                ),
                title="Expansion ladder (who to invite next)",
            )
        )
    return blocks


def _tracks(rec: Recommendation) -> str:
    if not rec.tracks:
        return numbers.MISSING
    return "; ".join(f"{'-'.join(t.members)} ({t.convener or 'no convener'})" for t in rec.tracks)


def _counted(names: list[str]) -> str:
    """'Seven criteria (capability, ...)': the criteria as the result reports them."""
    count = NAMES[len(names)] if len(names) < len(NAMES) else str(len(names))
    return f"{count} criteri{'on' if len(names) == 1 else 'a'} ({', '.join(names)})"


def method(result: ProposeResult) -> list[Block]:
    """How the ranking was made, how far it is certified, and what cut the search."""
    search = result.search
    if search.exact:
        verdict = "The ranking is exact: the search certifies the top list."
    else:
        verdict = f"Not certified: the list is the best found, with optimality gap {search.gap:.4f}."
    status = "exact (certified top-K)" if search.exact else f"best found, optimality gap {search.gap:.4f}"
    timing = f" in {search.seconds:.2f}s" if search.seconds is not None else ""
    blocks: list[Block] = [
        Heading("Method", 2),
        Paragraph(
            f"{_counted(list(result.parameters.weights))} each score the architecture in [0, 1]; the total "
            f"is their weighted mean. {verdict}"
        ),
        Paragraph(
            f"Search: {status}; {numbers.count(search.nodes)} nodes over {search.candidates} "
            f"candidates{timing}."
        ),
    ]
    if search.stopped_by == "time limit":
        blocks.append(
            Note(
                f"The --time-limit of {search.time_limit:g}s cut the search: output may differ between runs."
            )
        )
    elif not search.exact:
        blocks.append(Note("The search stopped at its deterministic work budget."))
    return blocks


def propose(result: ProposeResult, names: Mapping[str, str] | None = None) -> Document:
    """Ranked recommendations, the top architecture in detail, then the method."""
    names = names or {}
    issue = result.issue
    blocks: list[Block] = [
        Heading(f"{issue.title} ({issue.id}): recommended minilateral architecture"),
        question(result),
    ]
    if result.recommendations:
        blocks.append(
            Table(
                (
                    Column("#", "number"),
                    Column("score", "number"),
                    Column("members"),
                    Column("convener", "id"),
                    Column("rival tracks"),
                    Column("coverage", "number"),
                    Column("months", "number"),
                ),
                tuple(
                    (
                        rec.rank,
                        _score(rec),
                        ", ".join(rec.members),
                        rec.convener,
                        _tracks(rec),
                        numbers.percent(rec.coverage),
                        f"{rec.expected_months:.0f}",
                    )
                    for rec in result.recommendations
                ),
                title="Recommendations",
            )
        )
        if any(rec.tied_with_best for rec in result.recommendations[1:]):
            blocks.append(Note("=: tied with #1 within the robustness noise."))
    if result.note:
        blocks.append(Note(f"Note: {result.note}"))
    if not result.recommendations:
        blocks.append(Paragraph(f"No recommendation: {result.note or 'no grouping satisfies the request'}."))
    else:
        top = result.recommendations[0]
        blocks.append(Heading(f"Top architecture (score {top.score:.3f})", 2))
        blocks += architecture(top, names)
    blocks += method(result)
    return Document(tuple(blocks))


def score(result: ScoreResult, names: Mapping[str, str] | None = None) -> Document:
    """One grouping in detail, with advice."""
    names = names or {}
    issue = result.issue
    advice = result.advice
    blocks: list[Block] = [
        Heading(f"{issue.title} ({issue.id}): assessment of {', '.join(result.members)}"),
        question(result),
        Fields((("Score", f"{result.score:.3f}"),)),
        *architecture(result, names),
    ]
    moves: list[tuple[str, Value]] = []
    for label, move in (("Best addition", advice.best_addition), ("Best removal", advice.best_removal)):
        if move is not None:
            moves.append(
                (label, f"{move.name} ({move.actor}), score {move.score_after:.3f} ({move.delta:+.3f})")
            )
    moves.append(("Rank", advice.rank_note))
    blocks.append(Fields(tuple(moves)))
    return Document(tuple(blocks))
