"""For a member set: the convener, the co-convener, the rival tracks, and the expansion ladder.

Conveners (issue 15; docs/model.md, "Conveners"). Any state may convene, inside the core or not: the
convener is a role of its own. A candidate's quality is the geometric mean of three things an analyst
weighs, each in [0, 1]:

- **acceptability to the members**: the least agreement, in this issue's UN vote categories, between
  the candidate and any other member (a convener has to be acceptable to every party, so the farthest
  member decides; a member agrees with itself, so it is not counted against itself). Adding members can
  only lower it, which the search's bounds rely on.
- **palatability to the rivals seated in the core**: for each of the issue's rivalries whose members all
  sit in the core, the candidate's agreement with the rival it agrees with least divided by the one it
  agrees with most (1 when it sits evenly between them, a rival agrees with itself), with a great power (a permanent member of the Security
  Council or a G7 member) discounted by `GREAT_POWER_PALATABILITY`: Cohen and Fontaine's argument that
  leadership by smaller countries makes an effort more palatable to great powers locked in rivalry. A
  rivalry not wholly in the core counts 1: its rival track, with its own convener, reaches it. The mean
  over rivalries; 1 without rivals. Adding members can only lower it.
- **capacity to convene**: the mean of the figures the candidate has, each relative to the best:
  its diplomatic network (posts abroad, Lowy Global Diplomacy Index 2023, log scale), its mediation and
  hosting record (PA-X third-party and hosted agreements, log scale), its stake in the issue (its share
  of the issue's capability relative to the largest holder, only where a capability domain measures the
  problem: the minilateralism-for-AI seed's "where the labs and the chips are"), and its niche fit (its
  mean score over the issue's needed expertise tags it has a figure for). A missing figure is left out
  of the mean, never read as 0.

Without the alignment data (a test world), agreement is the acceptance curve on the UNGA ideal points
and the network and record figures are missing.

A co-convener is shown (not scored) when the convener is not a great power and a great power sits in the
core: the best-ranked such member, as France beside New Zealand for the Christchurch Call.

A rival track is a separate channel that brings in the key rivals the core leaves out (the layered
answer of the AI-minilateralism seed), convened by the state best placed between that rivalry's members
(the same quality, with acceptability to the rivals). It carries its own probability of agreement (each
rival accepts the convener's text with the probability that it votes with the convener in the issue's
categories; the product over the rivals) and its cost (a separate negotiation: its expected months from the timeliness model). A rivalry
no state can convene gets no track.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, overload

from coalesce.coalition import Node
from coalesce.models.alignment import VoteCategoryId
from coalesce.shapes import ConvenerModel, Track

if TYPE_CHECKING:
    from coalesce.loading.alignment import AlignmentData
    from coalesce.shapes import ContextView


GREAT_POWER_PALATABILITY = 0.8
"""Palatability factor for a great power (P5 or G7) as convener where the issue names a rivalry. A
priori: the seed (Cohen and Fontaine) argues small-country leadership is more palatable to rivals; it
gives no figure, so a fifth off is a stated judgement, not fitted on any case."""
GREAT_POWER_GROUPS = ("UNSC-P5", "G7")
DEFAULT_CATEGORIES: tuple[VoteCategoryId, ...] = ("all",)
"""Vote categories read for an issue the alignment manifest does not map (every roll call)."""


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


def acceptance(ctx: ContextView, position: float, ideal_point: float) -> float:
    """Probability that an actor at `ideal_point` accepts a text at `position` (quadratic-loss curve)."""
    sigma = ctx.params.acceptance_sigma
    distance = ideal_point - position
    return (1.0 - ctx.params.baseline_defection) * math.exp(-(distance * distance) / (2.0 * sigma * sigma))


def great_power(ctx: ContextView, i: int) -> bool:
    """A permanent member of the Security Council or a G7 member."""
    return any(g in ctx.memberships[i] for g in GREAT_POWER_GROUPS)


# --------------------------------------------------------------------------------------------------
# Compiling the model
# --------------------------------------------------------------------------------------------------

_AGREEMENT_CACHE: dict[tuple[object, ...], Sequence[Sequence[float]]] = {}


def issue_categories(ctx: ContextView, alignment: AlignmentData | None) -> tuple[VoteCategoryId, ...]:
    """The vote categories that bear on this issue (the alignment manifest's link, else every vote)."""
    if alignment is None:
        return ()
    link = alignment.manifest.issues.get(ctx.issue.id)
    if link is None:
        return DEFAULT_CATEGORIES
    return tuple(link.categories)


class _IdealRow(Sequence[float]):
    """One actor's agreement with every other from the ideal points, computed on demand."""

    def __init__(self, ctx: ContextView, i: int) -> None:
        self._ctx, self._i = ctx, i
        self._two_s2 = 2.0 * ctx.params.acceptance_sigma**2

    @overload
    def __getitem__(self, j: int) -> float: ...
    @overload
    def __getitem__(self, j: slice) -> Sequence[float]: ...
    def __getitem__(self, j: int | slice) -> float | Sequence[float]:
        if isinstance(j, slice):
            return [self[k] for k in range(len(self))[j]]
        ctx, i = self._ctx, self._i
        if i == j:
            return 1.0
        if not (ctx.has_alignment[i] and ctx.has_alignment[j]):
            return math.nan
        d = ctx.alignment[i] - ctx.alignment[j]
        return math.exp(-(d * d) / self._two_s2)

    def __len__(self) -> int:
        return len(self._ctx.codes)


class _IdealRows(Sequence[Sequence[float]]):
    """Agreement from the ideal points (no alignment data), lazily: a world of thousands of actors never
    builds the full matrix."""

    def __init__(self, ctx: ContextView) -> None:
        self._ctx = ctx

    @overload
    def __getitem__(self, i: int) -> Sequence[float]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Sequence[float]]: ...
    def __getitem__(self, i: int | slice) -> Sequence[float] | Sequence[Sequence[float]]:
        if isinstance(i, slice):
            return [_IdealRow(self._ctx, k) for k in range(len(self))[i]]
        return _IdealRow(self._ctx, i)

    def __len__(self) -> int:
        return len(self._ctx.codes)

    def least(self, i: int, members: tuple[int, ...]) -> float:
        """min over members j of row i (members have ideal points; i itself contributes distance 0)."""
        return self.least_given(i, self.span(members))

    def span(self, members: tuple[int, ...]) -> tuple[float, float] | None:
        """The members' ideal-point range (None when none has one)."""
        ctx = self._ctx
        points = [ctx.alignment[m] for m in members if ctx.has_alignment[m]]
        return (min(points), max(points)) if points else None

    def least_given(self, i: int, span: tuple[float, float] | None) -> float:
        """`least` with the members' range computed once."""
        ctx = self._ctx
        if span is None or not ctx.has_alignment[i]:
            return 1.0
        a = ctx.alignment[i]
        d = max(abs(a - span[0]), abs(a - span[1]))
        return math.exp(-(d * d) / (2.0 * ctx.params.acceptance_sigma**2))


def _agreement(
    ctx: ContextView, alignment: AlignmentData | None, categories: tuple[VoteCategoryId, ...]
) -> Sequence[Sequence[float]]:
    if alignment is None:
        return _IdealRows(ctx)
    key = (alignment, categories, ctx.codes)  # the object (identity hash), never a recyclable id
    hit = _AGREEMENT_CACHE.get(key)
    if hit is not None:
        return hit
    matrices = [alignment.votes(c) for c in categories]
    out = []
    for i, a in enumerate(ctx.codes):
        row = []
        for j, b in enumerate(ctx.codes):
            if i == j:
                row.append(1.0)
                continue
            values = [v for m in matrices if (v := m.value(a, b)) is not None]
            row.append(sum(values) / len(values) if values else math.nan)
        out.append(tuple(row))
    result = tuple(out)
    if len(_AGREEMENT_CACHE) > 32:
        _AGREEMENT_CACHE.clear()
    _AGREEMENT_CACHE[key] = result
    return result


def _log_share(value: float, top: float) -> float:
    return math.log1p(value) / math.log1p(top) if top > 0 else 0.0


def _capacity(ctx: ContextView, alignment: AlignmentData | None) -> tuple[dict[str, float], ...]:
    n = len(ctx.codes)
    records = alignment.conveners() if alignment is not None else {}
    posts = [r.lowy_posts for r in records.values() if r.lowy_posts is not None]
    record = [r.pax_agreements + r.pax_hosted for r in records.values()]
    top_posts, top_record = max(posts, default=0), max(record, default=0)
    measured = ctx.weights.get("capability", 0.0) > 0
    state_values = [ctx.actor_values[i] for i in range(n) if not ctx.is_bloc[i]] if ctx.actor_values else []
    top_value = max(state_values, default=0.0)
    out = []
    for i, code in enumerate(ctx.codes):
        parts: dict[str, float] = {}
        rec = records.get(code)
        if rec is not None:
            if rec.lowy_posts is not None and top_posts > 0:
                parts["network"] = _log_share(rec.lowy_posts, top_posts)
            if top_record > 0:
                parts["mediation"] = _log_share(rec.pax_agreements + rec.pax_hosted, top_record)
        if measured and top_value > 0:
            parts["stake"] = ctx.actor_values[i] / top_value
        if ctx.tag_ids:
            # the mean over the needed tags the candidate has a figure for: a tag no dataset measures
            # (counter-terrorism, cyber) or a state the index does not cover is missing, not 0
            held = [ctx.actors[i].expertise[t].score for t in ctx.tag_ids if t in ctx.actors[i].expertise]
            if held:
                parts["fit"] = sum(held) / len(held)
        out.append(parts)
    return tuple(out)


def _neutrality(model_agreement: Sequence[Sequence[float]], i: int, group: tuple[int, ...]) -> float | None:
    """Least over most agreement of `i` with the rivals of one rivalry; None with fewer than two figures."""
    values = [model_agreement[i][r] for r in group if not math.isnan(model_agreement[i][r])]
    if len(values) < 2:
        return None
    top = max(values)
    return min(values) / top if top > 0 else 0.0


_STATIC: dict[int, tuple[tuple[object, ...], list[tuple[float, ...]], tuple[int, ...]]] = {}


def _static_part(
    ctx: ContextView, agreement: Sequence[Sequence[float]]
) -> tuple[list[tuple[float, ...]], tuple[int, ...]]:
    """Each rivalry's palatability per actor and the convener pool: what a robustness draw (new shares
    and weights, the same actors and agreement) does not change, so computed once per agreement matrix
    and actors and kept (the identity of every input is checked; never for the ideal-point rows, built
    afresh per context)."""
    inputs = (
        agreement,
        ctx.memberships,
        ctx.rivalries,
        ctx.alignment,
        ctx.has_alignment,
        ctx.is_bloc,
        ctx.excluded,
    )
    hit = _STATIC.get(id(agreement))
    if hit is not None and all(a is b for a, b in zip(hit[0], inputs, strict=True)):
        return hit[1], hit[2]
    n = len(ctx.codes)
    per_rivalry: list[tuple[float, ...]] = []
    for group in ctx.rivalries:
        values = []
        for i in range(n):
            value = _neutrality(agreement, i, group)
            if value is None:  # too few figures: the ideal-point neutrality
                value = rival_neutrality(ctx.alignment[i], [ctx.alignment[r] for r in group])
            modesty = GREAT_POWER_PALATABILITY if great_power(ctx, i) else 1.0
            values.append(modesty * value)
        per_rivalry.append(tuple(values))
    # A state with no agreement figure at all (Taiwan casts no UN votes) cannot be assessed as convener:
    # its missing figures are not read as agreement.
    pool = tuple(
        i
        for i in range(n)
        if not ctx.is_bloc[i]
        and i not in ctx.excluded
        and ctx.has_alignment[i]
        and (
            isinstance(agreement, _IdealRows)  # every actor with an ideal point has figures
            or any(not math.isnan(v) for j, v in enumerate(agreement[i]) if j != i)
        )
    )
    if not isinstance(agreement, _IdealRows):
        if len(_STATIC) >= 16:
            _STATIC.clear()
        _STATIC[id(agreement)] = (inputs, per_rivalry, pool)
    return per_rivalry, pool


def compile_conveners(ctx: ContextView, alignment: AlignmentData | None) -> ConvenerModel:
    """The convener model for this context; also sets the context's pool, order and track conveners."""
    n = len(ctx.codes)
    categories = issue_categories(ctx, alignment)
    agreement = _agreement(ctx, alignment, categories)
    per_rivalry, pool = _static_part(ctx, agreement)
    palatability = tuple(
        sum(r[i] for r in per_rivalry) / len(per_rivalry) if per_rivalry else 1.0 for i in range(n)
    )
    components = _capacity(ctx, alignment)
    capacity = tuple((sum(c.values()) / len(c)) if c else 1.0 for c in components)
    # palatability counts only the rivalries seated in the core (`palatability_in`), at most 1, so the
    # capacity is the part of the quality that bounds it whatever the core
    static = capacity
    model = ConvenerModel(
        agreement=agreement,
        palatability=palatability,
        capacity=capacity,
        components=components,
        static=static,
        categories=categories,
        source="votes" if alignment is not None else "ideal points",
        rivalry_palatability=tuple(per_rivalry),
    )
    order = tuple(sorted(pool, key=lambda i: (-static[i], ctx.codes[i])))
    track_conveners: list[int | None] = []
    for group in ctx.rivalries:
        ranked = sorted(
            ((_track_quality(ctx, model, i, group), i) for i in pool if i not in group),
            key=lambda t: (-t[0], ctx.codes[t[1]]),
        )
        track_conveners.append(ranked[0][1] if ranked and ranked[0][0] > 0 else None)
    set_ = object.__setattr__
    set_(ctx, "convener_model", model)
    set_(ctx, "convener_pool", pool)
    set_(ctx, "pool_order", order)
    set_(ctx, "neutrality", model.palatability)
    set_(ctx, "track_conveners", tuple(track_conveners))
    tracks = tuple(_make_track(ctx, model, r) for r in range(len(ctx.rivalries)))
    model = replace(model, tracks=tracks)
    set_(ctx, "convener_model", model)
    return model


def _model(ctx: ContextView) -> ConvenerModel:
    model = ctx.convener_model
    if model is None:  # a context built without `compile_context` (never in the package)
        model = compile_conveners(ctx, None)
    return model


def _track_quality(ctx: ContextView, model: ConvenerModel, i: int, group: tuple[int, ...]) -> float:
    accept = _least_agreement(model, i, group)
    neutral = _neutrality(model.agreement, i, group)
    if neutral is None:
        return 0.0
    modesty = GREAT_POWER_PALATABILITY if great_power(ctx, i) else 1.0
    value: float = (accept * neutral * modesty * model.capacity[i]) ** (1.0 / 3.0)
    return value


def _least_agreement(model: ConvenerModel, candidate: int, members: tuple[int, ...]) -> float:
    """The least known agreement of the candidate with the members other than itself (1.0 if none)."""
    agreement = model.agreement
    if isinstance(agreement, _IdealRows):
        # the curve falls with distance, so the farthest member decides: one evaluation, not one per member
        return agreement.least(candidate, members)
    row = agreement[candidate]
    least = 1.0
    for m in members:
        v = row[m]
        if v < least:  # NaN compares False: a missing figure is left out
            least = v
    return least


# --------------------------------------------------------------------------------------------------
# Choosing and ranking
# --------------------------------------------------------------------------------------------------


def seated_rivalries(ctx: ContextView, members: Collection[int]) -> tuple[int, ...]:
    """The rivalries whose every available member sits in the core (no track needed): the rivals a
    core's convener has to bridge itself. Adding members can only add to them."""
    inside = set(members)
    return tuple(
        r
        for r, group in enumerate(ctx.rivalries)
        if (seats := track_seats(ctx, group)) and all(i in inside for i in seats)
    )


def _palatability_given(model: ConvenerModel, candidate: int, seated: tuple[int, ...]) -> float:
    total = len(model.rivalry_palatability)
    if not total or not seated:
        return 1.0
    per = model.rivalry_palatability
    return (sum(per[r][candidate] for r in seated) + (total - len(seated))) / total


def palatability_in(ctx: ContextView, candidate: int, members: Collection[int]) -> float:
    """Palatability to the rivals seated in the core: over the issue's rivalries, the candidate's
    palatability for each rivalry wholly in the core (great-power discount included) and 1 for the
    others, which a rival track reaches with its own convener; averaged. Adding members can only lower
    it."""
    return _palatability_given(_model(ctx), candidate, seated_rivalries(ctx, members))


def acceptability(ctx: ContextView, candidate: int, members: tuple[int, ...]) -> float:
    """How acceptable the convener is to the member that agrees with it least (1.0 for an empty core).

    Adding members can only lower this.
    """
    return _least_agreement(_model(ctx), candidate, members)


def convener_quality(ctx: ContextView, candidate: int, accept: float, palatability: float = 1.0) -> float:
    """The convener formula: the geometric mean of acceptability to the members (`accept`), palatability
    to the rivals seated in the core and capacity to convene."""
    quality: float = (_model(ctx).static[candidate] * palatability * accept) ** (1.0 / 3.0)
    return quality


def choose_convener(ctx: ContextView, node: Node) -> tuple[int | None, float, float]:
    """The best convener for a coalition: (actor, quality, acceptability). Ties go to the lower code.

    A member of the core leads it; any state of the pool may broker when a rivalry sits in the core
    (docs/model.md, "Conveners")."""
    if node.convener is None:
        node.convener = _choose_convener(ctx, node, _candidates(ctx, node.members))
    return node.convener


def _candidates(ctx: ContextView, members: Collection[int]) -> set[int] | None:
    """Who may convene a core: its members, or (None) every state of the pool when a rivalry sits in it."""
    return None if seated_rivalries(ctx, members) else set(members)


def convener_ceiling(ctx: ContextView, node: Node) -> float:
    """An upper bound on the convener quality of this node and of every superset: the best quality over
    the whole pool (acceptability and palatability only fall as members join, and every member-convener
    of a superset is in the pool)."""
    if node.convener_ceiling is None:
        node.convener_ceiling = _choose_convener(ctx, node, None)[1]
    return node.convener_ceiling


def convener_among(ctx: ContextView, node: Node, joinable: frozenset[int]) -> float:
    """The best convener quality at this node among its members and the `joinable` states: it bounds
    the member-convener of every superset that adds only joinable states."""
    return _choose_convener(ctx, node, joinable.union(node.members))[1]


def _choose_convener(
    ctx: ContextView, node: Node, among: Collection[int] | None
) -> tuple[int | None, float, float]:
    model = _model(ctx)
    best: int | None = None
    best_quality, best_accept = -1.0, 0.0
    ideal = model.agreement if isinstance(model.agreement, _IdealRows) else None
    span = ideal.span(node.members) if ideal is not None else None
    seated = seated_rivalries(ctx, node.members)
    for candidate in ctx.pool_order:
        if among is not None and candidate not in among:
            continue
        static = model.static[candidate]
        # With acceptability and palatability at their best (1) the static part (capacity) bounds every
        # later candidate of the pool, which is sorted by it.
        if best is not None and static ** (1.0 / 3.0) < best_quality:
            break
        accept = (
            ideal.least_given(candidate, span)
            if ideal is not None
            else _least_agreement(model, candidate, node.members)
        )
        quality = (static * _palatability_given(model, candidate, seated) * accept) ** (1.0 / 3.0)
        if quality > best_quality or (quality == best_quality and best is not None and candidate < best):
            best, best_quality, best_accept = candidate, quality, accept
    if best is None:
        return None, 0.0, 0.0
    return best, best_quality, best_accept


def convener_ranking(ctx: ContextView, members: tuple[int, ...] | list[int]) -> list[tuple[int, float]]:
    """Every candidate convener for this core, best first (ties by code): (actor, quality).

    The members of the pool in the core, or every state of the pool when a rivalry sits in the core (a
    broker); `choose_convener` returns the first of it.
    """
    model = _model(ctx)
    inside = tuple(sorted(members))
    seated = seated_rivalries(ctx, inside)
    among = _candidates(ctx, inside)
    ranked = [
        (
            c,
            (model.static[c] * _palatability_given(model, c, seated) * _least_agreement(model, c, inside))
            ** (1.0 / 3.0),
        )
        for c in ctx.pool_order
        if among is None or c in among
    ]
    ranked.sort(key=lambda t: (-t[1], ctx.codes[t[0]]))
    return ranked


def co_convener(ctx: ContextView, members: tuple[int, ...], convener: int | None) -> int | None:
    """A great power in the core beside a convener that is not one (None otherwise): the best-ranked."""
    if convener is None or great_power(ctx, convener):
        return None
    powers = {m for m in members if m != convener and not ctx.is_bloc[m] and great_power(ctx, m)}
    if not powers:
        return None
    return next((c for c, _ in convener_ranking(ctx, members) if c in powers), None)


def convener_figures(ctx: ContextView, candidate: int, members: tuple[int, ...]) -> dict[str, float]:
    """The figures behind a candidate's quality for this core (for rationales and JSON details)."""
    model = _model(ctx)
    out = {
        "acceptability": _least_agreement(model, candidate, members),
        "palatability": _palatability_given(model, candidate, seated_rivalries(ctx, members)),
        "capacity": model.capacity[candidate],
    }
    out.update(model.components[candidate])
    return out


# --------------------------------------------------------------------------------------------------
# Rival tracks
# --------------------------------------------------------------------------------------------------


def track_seats(ctx: ContextView, group: tuple[int, ...]) -> tuple[int, ...]:
    """The members of a rivalry a rival track can seat: those not excluded; no track below two.

    The one rule of rival-track availability: the tracks, the rivals criterion's score, base and gains
    all read it.
    """
    available = tuple(i for i in group if i not in ctx.excluded)
    return available if len(available) >= 2 else ()


def track_needed(seats: tuple[int, ...], inside: set[int] | frozenset[int]) -> bool:
    """Whether a rivalry with these seats needs a track beside this core (not all of them are in it)."""
    return bool(seats) and not all(i in inside for i in seats)


def make_track(ctx: ContextView, rivalry: int) -> Track | None:
    """The track for one rivalry (whatever the core), or None when it has no seats or no convener."""
    return _model(ctx).tracks[rivalry]


def _make_track(ctx: ContextView, model: ConvenerModel, rivalry: int) -> Track | None:
    group = ctx.rivalries[rivalry]
    seats = track_seats(ctx, group)
    convener = ctx.track_conveners[rivalry]
    if not seats or convener is None:
        return None
    from coalesce.criteria.timeliness import expected_log_months, probability_in_time

    probability = 1.0
    for r in seats:
        v = model.agreement[convener][r]
        probability *= 0.0 if math.isnan(v) else v
    points = [ctx.alignment[r] for r in seats]
    spread = max(points) - min(points)
    return Track(
        rivalry=rivalry,
        members=seats,
        convener=convener,
        probability=probability,
        in_time=probability_in_time(ctx, len(seats), spread),
        months=math.exp(expected_log_months(ctx, len(seats), spread)),
    )


def track_credit(ctx: ContextView, rivalry: int) -> float:
    """The credit a rival earns through this rivalry's track (0 when there is none)."""
    track = make_track(ctx, rivalry)
    return track.credit if track is not None else 0.0


def rival_tracks(ctx: ContextView, members: tuple[int, ...]) -> tuple[Track, ...]:
    """One track per rivalry whose available members are not all in the core and that someone convenes."""
    inside = set(members)
    tracks = []
    for r, group in enumerate(ctx.rivalries):
        if track_needed(track_seats(ctx, group), inside):
            track = make_track(ctx, r)
            if track is not None:
                tracks.append(track)
    return tuple(tracks)


def build(ctx: ContextView, members: tuple[int, ...] | list[int]) -> Architecture:
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


def rival_neutrality(position: float, rival_positions: list[float]) -> float:
    """1 when equidistant from every rival, 0 when the distance gap equals the rivals' own spread."""
    if len(rival_positions) < 2:
        return 1.0
    spread = max(rival_positions) - min(rival_positions)
    if spread <= 1e-12:
        return 1.0
    distances = [abs(position - p) for p in rival_positions]
    return max(0.0, 1.0 - (max(distances) - min(distances)) / spread)
