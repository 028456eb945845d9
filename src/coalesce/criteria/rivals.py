"""rivals: inclusion of the key rivals, in the core or through a rival track.

Model (the layered answer of the AI-minilateralism seed). Each key rival earns credit 1 inside the core,
`track_credit` (0.5) when a separate rival track engages it, and 0 when it is excluded and no track can
seat it. The score is the mean credit over all key rivals (1.0 when the issue names none). A track carries
no veto risk for the core (the veto criterion scores only the core), which is why it earns less credit.

Passing example: the US in the core and China engaged through a US-China track.
Failing example: a scenario in which China walks out: China earns nothing anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coalesce.architecture import track_needed, track_seats
from coalesce.criteria.base import Criterion, Scored
from coalesce.models.base import Frozen, Unit

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.compiled import Context


class RivalsParameters(Frozen):
    """The rivals criterion's parameters."""

    track_credit: Unit = 0.5
    """Credit for a key rival engaged through a rival track instead of the core."""


class Rivals(Criterion[RivalsParameters]):
    """Key rivals engaged: full credit in the core, part credit through a rival track."""

    NAME = "rivals"
    SUMMARY = "key rivals engaged: full credit in the core, half through a rival track"
    PARAMS = RivalsParameters
    SIZE_DEPENDENT = False

    def score(self, ctx: Context, arch: Architecture, explain: bool) -> Scored:
        """Mean credit over the key rivals."""
        return _score(ctx, arch, explain, self.params(ctx).track_credit)

    def gain(self, ctx: Context, actor: int) -> float:
        """Moving a rival from a track (or nowhere) into the core."""
        if not ctx.rivalries:
            return 0.0
        rivals = ctx.rival_set
        if actor not in rivals:
            return 0.0
        trackable = any(actor in group and track_seats(ctx, group) for group in ctx.rivalries)
        return (1.0 - (self.params(ctx).track_credit if trackable else 0.0)) / len(rivals)

    def base(self, ctx: Context, node: Node, size: int, remaining: object = None, span: float = 0.0) -> float:
        """The current credit: non-rival members change nothing. Same arithmetic as `score`, without objects."""
        if not ctx.rivalries:
            return 1.0
        inside = set(node.members)
        credit = self.params(ctx).track_credit
        credits: dict[int, float] = {}
        for group in ctx.rivalries:
            seats = track_seats(ctx, group)
            tracked = track_needed(seats, inside)
            for r in group:
                if r in inside:
                    credits[r] = 1.0
                elif tracked and r in seats:
                    credits[r] = max(credits.get(r, 0.0), credit)
                else:
                    credits.setdefault(r, 0.0)
        return sum(credits[r] for r in sorted(credits)) / len(credits)


CRITERION = Rivals()


def _credits(ctx: Context, members: tuple[int, ...], tracked: set[int], credit: float) -> dict[int, float]:
    inside = set(members)
    credits = {}
    for group in ctx.rivalries:
        for r in group:
            if r in inside:
                credits[r] = 1.0
            elif r in tracked:
                credits[r] = max(credits.get(r, 0.0), credit)
            else:
                credits.setdefault(r, 0.0)
    return credits


def _score(ctx: Context, arch: Architecture, explain: bool, credit: float) -> Scored:
    if not ctx.rivalries:
        return Scored(1.0, "The issue names no key rivals." if explain else "")
    tracked = {m for track in arch.tracks for m in track.members}
    credits = _credits(ctx, arch.members, tracked, credit)
    value = sum(credits[r] for r in sorted(credits)) / len(credits)
    if not explain:
        return Scored(value)
    parts = []
    for r in sorted(credits, key=lambda i: ctx.codes[i]):
        if credits[r] == 1.0:
            parts.append(f"{ctx.codes[r]} in the core")
        elif credits[r] > 0:
            track = next(t for t in arch.tracks if r in t.members)
            conv = ctx.codes[track.convener] if track.convener is not None else "no convener"
            parts.append(f"{ctx.codes[r]} through a {track.kind} track convened by {conv}")
        else:
            parts.append(f"{ctx.codes[r]} not engaged (excluded)")
    return Scored(value, f"Key rivals: {'; '.join(parts)}.")
