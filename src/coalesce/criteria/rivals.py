"""rivals: inclusion of the key rivals, in the core or through a rival track.

Model (the layered answer of the AI-minilateralism seed; issue 15). Each key rival earns credit 1 inside
the core. Outside it, a rival is engaged only through a separate rival track (architecture.Track), which
is a negotiation of its own: it earns the track's probability of agreeing (each rival accepts the track
convener's text with the probability that it votes with that convener in the issue's UN vote categories)
times the track's probability of agreeing within the deadline (the timeliness model at the track's size).
No credit is free: a rivalry no state can convene, or whose members are excluded, earns 0. The score is
the mean credit over all key rivals (1.0 when the issue names none). A track carries no veto risk for
the core (the veto criterion scores only the core).

Passing example: the US and China both in the core.
Failing example: a scenario in which China walks out: China earns nothing anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coalesce.architecture import track_credit, track_needed, track_seats
from coalesce.criteria.base import Criterion, Scored
from coalesce.models.base import Frozen

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.shapes import ContextView, Track


class RivalsParameters(Frozen):
    """The rivals criterion's parameters (none: a track's credit is its own probability)."""


class Rivals(Criterion[RivalsParameters]):
    """Key rivals engaged: full credit in the core, part credit through a rival track."""

    NAME = "rivals"
    SUMMARY = "key rivals engaged: full credit in the core, a rival track's probability of agreeing in time outside it"
    PARAMS = RivalsParameters
    SIZE_DEPENDENT = False

    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """Mean credit over the key rivals."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: ContextView, actor: int) -> float:
        """Moving a rival from a track (or nowhere) into the core."""
        if not ctx.rivalries:
            return 0.0
        rivals = ctx.rival_set
        if actor not in rivals:
            return 0.0
        outside = max(
            (track_credit(ctx, g) for g, group in enumerate(ctx.rivalries) if actor in group), default=0.0
        )
        return (1.0 - outside) / len(rivals)

    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """The current credit: non-rival members change nothing. Same arithmetic as `score`, without objects."""
        if not ctx.rivalries:
            return 1.0
        inside = set(node.members)
        credits: dict[int, float] = {}
        for g, group in enumerate(ctx.rivalries):
            seats = track_seats(ctx, group)
            credit = track_credit(ctx, g) if track_needed(seats, inside) else 0.0
            for r in group:
                if r in inside:
                    credits[r] = 1.0
                elif r in seats:
                    credits[r] = max(credits.get(r, 0.0), credit)
                else:
                    credits.setdefault(r, 0.0)
        return sum(credits[r] for r in sorted(credits)) / len(credits)


CRITERION = Rivals()


def _credits(ctx: ContextView, arch: Architecture) -> dict[int, tuple[float, Track | None]]:
    inside = set(arch.members)
    credits: dict[int, tuple[float, Track | None]] = {}
    for group in ctx.rivalries:
        for r in group:
            if r in inside:
                credits[r] = (1.0, None)
            else:
                credits.setdefault(r, (0.0, None))
    for track in arch.tracks:
        for r in track.members:
            if r not in inside and track.credit > credits[r][0]:
                credits[r] = (track.credit, track)
    return credits


def _score(ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
    if not ctx.rivalries:
        return Scored(1.0, "The issue names no key rivals." if explain else "")
    credits = _credits(ctx, arch)
    value = sum(credits[r][0] for r in sorted(credits)) / len(credits)
    if not explain:
        return Scored(value)
    parts = []
    for r in sorted(credits, key=lambda i: ctx.codes[i]):
        credit, track = credits[r]
        if credit == 1.0 and track is None:
            parts.append(f"{ctx.codes[r]} in the core")
        elif track is not None:
            parts.append(
                f"{ctx.codes[r]} through a {track.kind} track convened by {ctx.codes[track.convener]} "
                f"(agrees with p={track.probability:.2f}, in time with p={track.in_time:.2f}, about "
                f"{track.months:.0f} months: credit {credit:.2f})"
            )
        elif r in ctx.excluded:
            parts.append(f"{ctx.codes[r]} not engaged (excluded)")
        else:
            parts.append(f"{ctx.codes[r]} not engaged (no track can seat or convene it)")
    details: dict[str, object] = {
        "tracks": [
            {
                "members": [ctx.codes[m] for m in t.members],
                "convener": ctx.codes[t.convener],
                "probability": round(t.probability, 6),
                "in_time": round(t.in_time, 6),
                "expected_months": round(t.months, 3),
            }
            for t in arch.tracks
        ]
    }
    return Scored(value, f"Key rivals: {'; '.join(parts)}.", (), details)
