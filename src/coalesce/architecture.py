"""For a member set: the convener, the rival tracks, and the expansion ladder.

The convener is a small state, inside the core or not. Its quality is the geometric mean of three
things an analyst weighs (Cohen & Fontaine's microlateralism): its fit to the issue's niche needs, its
neutrality between the key rivals (palatability), and how acceptable it is to the member farthest from
it (the same acceptance curve the veto criterion uses).

A rival track is a separate bilateral or trilateral channel that brings in the key rivals the core
leaves out (the layered answer of the AI-minilateralism seed), convened by the small state best placed
between that rivalry's members.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coalesce.coalition import Node

if TYPE_CHECKING:
    from coalesce.compiled import Context


@dataclass(frozen=True)
class Track:
    """A separate channel that engages a rivalry left (partly) outside the core."""

    rivalry: int
    members: tuple[int, ...]
    convener: int | None

    @property
    def kind(self) -> str:
        """bilateral, trilateral or plurilateral, by the number of rivals it seats."""
        return {2: "bilateral", 3: "trilateral"}.get(len(self.members), "plurilateral")


@dataclass(frozen=True)
class Architecture:
    """A core coalition with its convener and rival tracks."""

    node: Node
    convener: int | None
    convener_quality: float
    convener_acceptability: float
    tracks: tuple[Track, ...]

    @property
    def members(self) -> tuple[int, ...]:
        """Member indices in code order."""
        return self.node.members


def acceptance(ctx: Context, position: float, ideal_point: float) -> float:
    """Probability that an actor at `ideal_point` accepts a text at `position` (quadratic-loss curve)."""
    sigma = ctx.params.acceptance_sigma
    distance = ideal_point - position
    return (1.0 - ctx.params.baseline_defection) * math.exp(-(distance * distance) / (2.0 * sigma * sigma))


def acceptability(ctx: Context, candidate: int, low: float, high: float, empty: bool) -> float:
    """How acceptable the convener is to the member farthest from it (1.0 for an empty core).

    A convener has to be acceptable to every party, so the farthest member decides. The members'
    ideal points span [low, high]; the farthest is at one end. Adding members can only lower this.
    """
    if empty:
        return 1.0
    a = ctx.alignment[candidate]
    d = max(abs(a - low), abs(a - high))
    return math.exp(-(d * d) / (2.0 * ctx.params.acceptance_sigma**2))


def choose_convener(ctx: Context, node: Node) -> tuple[int | None, float, float]:
    """The best convener for a coalition: (actor, quality, acceptability). Ties go to the lower code."""
    if node.convener is None:
        node.convener = _choose_convener(ctx, node)
    return node.convener


def convener_quality(ctx: Context, candidate: int, accept: float) -> float:
    """The convener formula: the geometric mean of fit, neutrality between the rivals and acceptability
    to the members (`accept`, from `acceptability`)."""
    quality: float = (ctx.fit[candidate] * ctx.neutrality[candidate] * accept) ** (1.0 / 3.0)
    return quality


def _choose_convener(ctx: Context, node: Node) -> tuple[int | None, float, float]:
    best: int | None = None
    best_quality, best_accept = -1.0, 0.0
    empty = not node.members
    for candidate in ctx.pool_order:
        # With acceptability at its best (1) the formula bounds every later candidate of the pool,
        # which is sorted by fit x neutrality.
        if best is not None and convener_quality(ctx, candidate, 1.0) < best_quality:
            break
        accept = acceptability(ctx, candidate, node.amin, node.amax, empty)
        quality = convener_quality(ctx, candidate, accept)
        if quality > best_quality or (quality == best_quality and best is not None and candidate < best):
            best, best_quality, best_accept = candidate, quality, accept
    if best is None:
        return None, 0.0, 0.0
    return best, best_quality, best_accept


def convener_ranking(ctx: Context, members: tuple[int, ...] | list[int]) -> list[tuple[int, float]]:
    """Every candidate convener for this core, best first (ties by code): (actor, quality).

    Defined whether or not a candidate sits in the core; `choose_convener` returns the first of it.
    """
    node = Node.of(ctx, members)
    empty = not node.members
    ranked = [
        (c, convener_quality(ctx, c, acceptability(ctx, c, node.amin, node.amax, empty)))
        for c in ctx.pool_order
    ]
    ranked.sort(key=lambda t: (-t[1], ctx.codes[t[0]]))
    return ranked


def track_seats(ctx: Context, group: tuple[int, ...]) -> tuple[int, ...]:
    """The members of a rivalry a rival track can seat: those not excluded; no track below two.

    The one rule of rival-track availability: the tracks, the rivals criterion's score, base and gains
    all read it.
    """
    available = tuple(i for i in group if i not in ctx.excluded)
    return available if len(available) >= 2 else ()


def track_needed(seats: tuple[int, ...], inside: set[int] | frozenset[int]) -> bool:
    """Whether a rivalry with these seats needs a track beside this core (not all of them are in it)."""
    return bool(seats) and not all(i in inside for i in seats)


def rival_tracks(ctx: Context, members: tuple[int, ...]) -> tuple[Track, ...]:
    """One track per rivalry whose available members are not all in the core."""
    inside = set(members)
    tracks = []
    for r, group in enumerate(ctx.rivalries):
        seats = track_seats(ctx, group)
        if track_needed(seats, inside):
            tracks.append(Track(rivalry=r, members=seats, convener=ctx.track_conveners[r]))
    return tuple(tracks)


def build(ctx: Context, members: tuple[int, ...] | list[int]) -> Architecture:
    """The architecture the engine recommends around a member set."""
    node = Node.of(ctx, members)
    convener, quality, accept = choose_convener(ctx, node)
    return Architecture(
        node=node,
        convener=convener,
        convener_quality=quality,
        convener_acceptability=accept,
        tracks=rival_tracks(ctx, node.members),
    )
