"""veto: the risk that the group is blocked, or for a pledge how much of it signs, under the decision rule.

Model (Tsebelis's veto players: more players and wider distance shrink the set of feasible agreements).
The text is anchored on what the group would propose: the lead's draft. The initiator drafts: the lead
is the core's convener when the convener sits in the core (architecture.choose_convener), as the US,
which convened them, drafted the chip controls and New Zealand the Christchurch text; when the convener
is an outside broker (Norway at Oslo), the member with the most standalone coverage of the issue's
domains drafts (ties to the lower code). Each other member accepts it with the probability the
acceptance model gives for its issue-specific affinity with the lead (coalesce.acceptance: UN votes in
the issue's categories against the Assembly baseline, shared regimes, shared IGOs; a logistic fitted on
data/signatures.yaml, never on the back-test cases); the lead accepts its own draft with 1 - e, e =
`baseline_defection`. The score is the exact probability that the group acts under the issue's decision
rule (rules.py): under consensus the product of acceptances, otherwise an exact convolution over who
accepts. Under an `opt-in` rule (a pledge or declaration: a non-signer simply stays out, it does not
block) the score is the expected share of the core's standalone coverage held by those who sign. A bloc
is one voice. Without alignment data (a user's own world) the vote feature is the standardised distance
between UNGA ideal points and the other two are missing (read at their mean).

Passing example: a like-minded core of close allies under consensus.
Failing example: the US and China in one consensus core without a track.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import Field

from coalesce.acceptance import (
    Coefficients,
    Features,
    FeatureTable,
    IdealPointCloseness,
    IdealPointRows,
    link_of,
    pair_table,
)
from coalesce.criteria.base import Criterion, Reaching, Scored
from coalesce.models.base import Frozen
from coalesce.models.rules import Consensus, DoubleMajority, Majority, OptIn, QualifiedMajority, WeightedVote
from coalesce.rules import (
    WEIGHT_SCALE,
    count_distribution,
    describe,
    institution_total,
    integer_weights,
    probability_of_action,
    required_count,
    veto_player_bound,
)

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.models.world import Actor, World
    from coalesce.shapes import ContextView, IssueView


class VetoParameters(Frozen):
    """The acceptance model's coefficients, fitted by scripts/fit_acceptance.py on data/signatures.yaml."""

    # Defaults for a world without a `model:` block (the test worlds): stop 20's fit. The shipped
    # data/issues.yaml carries the current fit (tests/test_calibration.py checks it).
    acceptance_intercept: float = Field(default=-1.005, ge=-10.0, le=10.0, allow_inf_nan=False)
    """Log-odds of accepting the lead's text at mean affinity and no shared regime."""
    acceptance_votes: float = Field(default=0.681, ge=0.0, le=10.0, allow_inf_nan=False)
    """>= 0: log-odds per z unit of issue vote affinity with the lead."""
    acceptance_regimes: float = Field(default=0.807, ge=0.0, le=10.0, allow_inf_nan=False)
    """>= 0: log-odds for sharing every one of the issue's regimes with the lead."""
    acceptance_igos: float = Field(default=0.5077, ge=0.0, le=10.0, allow_inf_nan=False)
    """>= 0: log-odds per z unit of shared-IGO overlap with the lead."""

    def coefficients(self) -> Coefficients:
        """As the acceptance model reads them."""
        return Coefficients(
            self.acceptance_intercept, self.acceptance_votes, self.acceptance_regimes, self.acceptance_igos
        )


@dataclass(frozen=True)
class AcceptanceTable:
    """accept[i][j]: the probability that i accepts a text drafted by j (j accepts its own with 1 - e)."""

    accept: Sequence[Sequence[float]]
    """A tuple of rows, or without alignment data rows computed on first use (acceptance.IdealPointRows)."""
    ceiling: float
    """The most any member accepts any text, its own included: a bound for each added member."""
    features: FeatureTable | None
    """The pair features (None: the ideal-point fallback)."""
    fallback: Mapping[tuple[int, int], float]
    """Without alignment data: the standardised ideal-point closeness per pair (i, j)."""
    source: str | None


_TABLES: dict[tuple[object, ...], AcceptanceTable] = {}


def _members_and_memberships(
    actors: tuple[Actor, ...],
) -> tuple[dict[str, list[str]], dict[str, frozenset[str]]]:
    members = {a.code: sorted(a.members) for a in actors if a.kind == "bloc"}
    return members, {a.code: frozenset(a.memberships) for a in actors}


_Memo = TypeVar("_Memo")


def _per_context(
    store: dict[Any, tuple[object, Any]], ctx: object, build: Callable[[], _Memo], extra: object = ()
) -> _Memo:
    """`build()` computed once per `ctx` object (and `extra` key) and remembered in `store` (at most 16
    entries; the identity check keeps a recycled id from returning another object's value)."""
    key = (id(ctx), extra)
    hit = store.get(key)
    if hit is not None and hit[0] is ctx:
        value: _Memo = hit[1]
        return value
    value = build()
    if len(store) >= 16:
        store.clear()
    store[key] = (ctx, value)
    return value


_BY_CONTEXT: dict[Any, tuple[object, Any]] = {}


def table(ctx: ContextView) -> AcceptanceTable:
    """The context's acceptance table, computed once per (alignment data, issue link, actors, parameters)
    and remembered per context object, so the search's many calls do not rebuild the key."""
    return _per_context(_BY_CONTEXT, ctx, lambda: _table(ctx))


def _table(ctx: ContextView) -> AcceptanceTable:
    coef = CRITERION.params(ctx).coefficients()
    keep = 1.0 - ctx.params.baseline_defection
    data = ctx.alignment_data
    link = link_of(data, issue_id=ctx.issue.id) if data is not None else None
    members, memberships = _members_and_memberships(ctx.actors)
    key: tuple[object, ...] = (
        data,  # the object, not its id: a freed object's id is handed on (identity hash)
        link,
        ctx.codes,
        tuple(sorted((k, tuple(v)) for k, v in members.items())),
        tuple(tuple(sorted(memberships[c] & frozenset(link.regimes))) for c in ctx.codes) if link else (),
        ctx.alignment if data is None else (),
        ctx.has_alignment if data is None else (),  # a missing point is not its placeholder value
        coef,
        keep,
    )
    hit = _TABLES.get(key)
    if hit is not None:
        return hit
    features: FeatureTable | None = None
    fallback: Mapping[tuple[int, int], float] = {}
    rows: Sequence[Sequence[float]]
    if data is not None and link is not None:
        rows, features = pair_table(data, link, ctx.codes, members, memberships, coef, keep)
        ceiling = max([keep, *(p for r in rows for p in r)])
    else:  # the ideal-point fallback, computed as the search reads it (the same values)
        fallback = IdealPointCloseness(ctx.alignment, ctx.has_alignment)
        rows = IdealPointRows(fallback, len(ctx.codes), coef, keep)
        ceiling = rows.ceiling
    source = data.manifest.votes.source if data is not None else None
    built = AcceptanceTable(rows, ceiling, features, fallback, source)
    if len(_TABLES) >= 16:
        _TABLES.clear()
    _TABLES[key] = built
    return built


def largest_holder(ctx: ContextView, members: Collection[int]) -> int:
    """The member with the most standalone coverage, ties to the lower index (code order)."""
    return min(members, key=lambda m: (-ctx.actor_values[m], m))


def lead_of(ctx: ContextView, members: Collection[int], convener: int | None) -> int:
    """The member that drafts: the initiator, i.e. the core's convener when it sits in the core, else
    (an outside broker, or no convener) the largest holder (docs/model.md, veto)."""
    if convener is not None and convener in members:
        return convener
    return largest_holder(ctx, members)


def _convener_of(ctx: ContextView, members: tuple[int, ...]) -> int | None:
    from coalesce.architecture import choose_convener
    from coalesce.coalition import Node

    return choose_convener(ctx, Node.of(ctx, members))[0]


def member_acceptances(
    ctx: ContextView, members: tuple[int, ...], convener: int | Literal["find"] | None = "find"
) -> tuple[int | None, list[float]]:
    """The lead and each member's probability of accepting the lead's draft (the core's convener is
    found when not given)."""
    if not members:
        return None, []
    accept = table(ctx).accept
    if convener == "find":
        convener = _convener_of(ctx, members)
    lead = lead_of(ctx, members, convener)
    return lead, [accept[m][lead] for m in members]


def opt_in_share(ctx: ContextView, members: tuple[int, ...], probs: list[float]) -> float:
    """Expected share of the core's standalone coverage held by its signers (a plain mean without any)."""
    values = [ctx.actor_values[m] for m in members]
    total = sum(values)
    if total <= 0:
        return min(1.0, sum(probs) / len(probs))
    return min(1.0, sum(v * p for v, p in zip(values, probs, strict=True)) / total)


def _rule_weights(ctx: ContextView, members: tuple[int, ...]) -> list[float]:
    rule = ctx.issue.decision_rule
    return [rule.weight_of(ctx.actors[m]) for m in members]


def _veto_holders(ctx: ContextView, members: tuple[int, ...]) -> list[bool]:
    rule = ctx.issue.decision_rule
    return [rule.holds_veto(ctx.memberships[m]) for m in members]


def _value(ctx: ContextView, members: tuple[int, ...], probs: list[float]) -> float:
    rule = ctx.issue.decision_rule
    if not members:
        return 1.0
    if isinstance(rule, OptIn):
        return opt_in_share(ctx, members, probs)
    return probability_of_action(
        rule,
        probs,
        [ctx.population[m] for m in members],
        _rule_weights(ctx, members),
        _veto_holders(ctx, members),
    )


def _describe_affinity(ctx: ContextView, t: AcceptanceTable, member: int, lead: int) -> str:
    if t.features is None:
        z = t.fallback.get((member, lead))
        return "UNGA ideal-point closeness " + ("missing" if z is None else f"z {z:+.2f}")
    x: Features = t.features.of(ctx.codes[member], ctx.codes[lead])
    votes, regimes, igos = x
    parts = [
        "votes " + ("missing, read at the mean" if votes is None else f"z {votes:+.2f}"),
        f"{regimes:.0%} of the issue's regimes shared" if t.features.link.regimes else "no regime named",
        "shared IGOs " + ("missing, read at the mean" if igos is None else f"z {igos:+.2f}"),
    ]
    return ", ".join(parts)


def _score(ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
    members = arch.members
    rule = ctx.issue.decision_rule
    lead, probs = member_acceptances(ctx, members, arch.convener)
    value = _value(ctx, members, probs)
    if not explain:
        return Scored(value)
    t = table(ctx)
    details: dict[str, object] = {}
    risk = ""
    if members and lead is not None:
        details = {
            "lead": ctx.codes[lead],
            "acceptance": {ctx.codes[m]: round(p, 6) for m, p in zip(members, probs, strict=True)},
        }
        others = [i for i, m in enumerate(members) if m != lead]
        role = "the convener" if lead == arch.convener else "most coverage"
        risk = f"; the text is drafted by {ctx.codes[lead]} ({role})"
        if others:
            weakest = min(others, key=lambda i: (probs[i], ctx.codes[members[i]]))
            w = members[weakest]
            verb = "least likely to sign" if isinstance(rule, OptIn) else "likeliest to block"
            risk += (
                f"; {verb}: {ctx.codes[w]} (accepts with p={probs[weakest]:.2f}; with "
                f"{ctx.codes[lead]}: {_describe_affinity(ctx, t, w, lead)})"
            )
    what = (
        "the expected share of the core's coverage that signs is"
        if isinstance(rule, OptIn)
        else "the group acts with probability"
    )
    text = f"Under {describe(rule)}, {what} {value:.2f}{risk}."
    source = t.source
    if source is None and ctx.world.defaults is not None and ctx.world.defaults.alignment:
        source = ctx.world.defaults.alignment.source
    return Scored(value, text, (source,) if source else (), details)


class _Prefix:
    """For the bound: rank[i] is i's place by standalone coverage among the seated actors (the
    candidates and the forced members: only they can be in a core, so only they can draft its text);
    best(m, k) is the most m accepts the draft of any other seated actor ranked k or better. Rows are
    computed on first use (a search reads the rows of the few actors in its nodes, and a robustness
    draw, whose coverage values change the ranks, starts afresh); not_lead_column[k], also on first use,
    is the candidates by `_not_lead` at k, highest first. An actor that is not seated ranks after every
    seated one."""

    __slots__ = ("accept", "not_lead_column", "order", "rank", "rows", "seated", "values")

    def __init__(
        self, values: tuple[float, ...], accept: Sequence[Sequence[float]], seated: tuple[int, ...]
    ) -> None:
        n = len(values)
        self.values = values
        self.accept = accept
        self.seated = seated
        self.order = sorted(seated, key=lambda i: (-values[i], i))
        rank = [n] * n
        for k, i in enumerate(self.order):
            rank[i] = k
        self.rank = rank
        self.rows: dict[int, list[float]] = {}
        self.not_lead_column: dict[int, tuple[object, object, list[tuple[float, int]]]] = {}
        """Per k: the candidates and reach rows it was built for, and (`_not_lead`, a) for those
        candidates, highest first."""

    def best(self, m: int, k: int) -> float:
        """The most m accepts the draft of an actor other than m ranked k or better (0 if none)."""
        row = self.rows.get(m)
        if row is None:
            accept, running = self.accept[m], 0.0
            row = []
            for j in self.order:
                if j != m and accept[j] > running:
                    running = accept[j]
                row.append(running)
            self.rows[m] = row
        return row[k]


_PREFIX: dict[int, tuple[AcceptanceTable, _Prefix]] = {}


def _prefix(ctx: ContextView, t: AcceptanceTable) -> _Prefix:
    """Per (table, coverage values): a robustness draw changes the values, not the table."""
    seated = (*ctx.candidates, *ctx.forced)
    hit = _PREFIX.get(id(ctx.actor_values))
    if hit is not None and hit[0] is t and hit[1].values is ctx.actor_values and hit[1].seated == seated:
        return hit[1]
    built = _Prefix(ctx.actor_values, t.accept, seated)
    if len(_PREFIX) >= 16:
        _PREFIX.clear()
    _PREFIX[id(ctx.actor_values)] = (t, built)
    return built


_REACH_ROWS: dict[Any, tuple[object, Any]] = {}


def _reach(ctx: ContextView, t: AcceptanceTable) -> list[float]:
    """Per actor m, the most m accepts a draft by any possible convener-lead: a state of the convener
    pool that can sit in a core (a candidate or forced), other than m (0 if none)."""

    def build() -> list[float]:
        pool = frozenset(ctx.pool_order) & {*ctx.candidates, *ctx.forced}

        def rows() -> list[float]:
            if isinstance(t.accept, IdealPointRows):  # without alignment data: from the sorted points
                return t.accept.reach(pool)
            return [max((row[j] for j in pool if j != m), default=0.0) for m, row in enumerate(t.accept)]

        # the rows read only the table and the pool, which a robustness draw does not change: kept
        # across the draws' contexts
        return _per_context(_REACH_BY_TABLE, t, rows, pool)

    return _per_context(_REACH_ROWS, ctx, build)


_REACH_BY_TABLE: dict[Any, tuple[object, Any]] = {}


def _not_lead(p: _Prefix, reach: list[float], m: int, k: int) -> float:
    """The most m accepts a draft it does not write, in any core whose largest holder ranks k or better:
    the lead is that largest holder (ranked k or better: `best(m, k)`) or the core's convener sitting in
    it (a pool member that can sit: `reach`)."""
    return max(p.best(m, k), reach[m])


def _not_lead_ranked(ctx: ContextView, p: _Prefix, reach: list[float], k: int) -> list[tuple[float, int]]:
    """(`_not_lead`, a) for every candidate, highest first (cached per k)."""
    hit = p.not_lead_column.get(k)
    if hit is not None and hit[0] is ctx.candidates and hit[1] is reach:
        return hit[2]
    ranked = sorted(((_not_lead(p, reach, a, k), a) for a in ctx.candidates), reverse=True)
    p.not_lead_column[k] = (ctx.candidates, reach, ranked)
    return ranked


def _added_bounds(
    ctx: ContextView, p: _Prefix, reach: list[float], members: Collection[int], k: int, extra: int
) -> list[float]:
    """The largest `extra` of `_not_lead` over the candidates outside the node, highest first (the
    table's ceiling for slots beyond the candidates)."""
    if extra <= 0:
        return []
    ranked = _not_lead_ranked(ctx, p, reach, k)
    inside = set(members)
    tops: list[float] = []
    for u, a in ranked:
        if a not in inside:
            tops.append(u)
            if len(tops) >= extra:
                break
    return tops + [table(ctx).ceiling] * (extra - len(tops))


def acceptance_bounds(ctx: ContextView, members: Collection[int], extra: int) -> list[float]:
    """Per member of any core holding `members` and `extra` more, upper bounds on the acceptances, as a
    vector that dominates theirs once both are sorted (node members first, in code order, then the added).

    The lead (docs/model.md, veto) is the core's convener when it sits in the core, else its largest
    holder, who ranks at or above the node's largest holder by coverage (k). Every member other than the
    lead accepts at most `_not_lead` (u); the lead its own draft with at most the table's ceiling. So with
    the node's u and the added members' largest u (u_1 >= u_2 >= ...), the vector with the node's least u
    (f) raised to the ceiling and each added entry raised to at least f dominates both cases: the lead in
    the node (its entry at most the ceiling, the added at most u_i) and the lead among the added (the
    node at u, the added at most (ceiling, u_1, ..., u_{extra-1})).
    """
    t = table(ctx)
    if not members:
        return [t.ceiling] * extra
    p = _prefix(ctx, t)
    reach = _reach(ctx, t)
    k = p.rank[largest_holder(ctx, members)]
    ordered = sorted(members)
    node = [_not_lead(p, reach, m, k) for m in ordered]
    low = min(range(len(node)), key=lambda i: (node[i], i))
    floor = node[low]
    node[low] = t.ceiling
    return node + [max(u, floor) for u in _added_bounds(ctx, p, reach, ordered, k, extra)]


def not_lead_bounds(ctx: ContextView, members: Collection[int]) -> list[float]:
    """Per node member (code order), the most it accepts a draft it does not write in any superset
    (`_not_lead`); any one of them may instead be the lead, accepting at most the table's ceiling."""
    t = table(ctx)
    p = _prefix(ctx, t)
    reach = _reach(ctx, t)
    k = p.rank[largest_holder(ctx, members)]
    return [_not_lead(p, reach, m, k) for m in sorted(members)]


REACHING_STEPS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
"""The multipliers `reaching_consensus` tries, in log-acceptance per shortfall."""


def reaching_consensus(
    ctx: ContextView, members: Collection[int], reaching: Reaching, extras: range
) -> list[float]:
    """Per number of additions e in `extras`, an upper bound on the consensus probability of a core
    holding `members` and e allowed additions whose covers sum to at least the shortfall.

    The lead is the core's convener when it sits in the core, else its largest holder (docs/model.md,
    veto), and every member other than the lead accepts at most `_not_lead` (u). Two cases, each bounded
    by a Lagrangian relaxation of the coverage constraint (for every lambda >= 0, the sum of log f over
    such an A is at most the e largest of log f(a) + lambda * cover(a), less lambda * shortfall), and the
    bound is the larger of the two, each at its best lambda of a few:
    - the lead in the node: the node at `acceptance_bounds` (its least u raised to the table's
      ceiling, which covers whichever member leads), every added member at u(a);
    - the lead among the added: the node at u, one added member at the ceiling (with the most cover any
      listed one has), the others at u(a) (the e - 1 largest).
    Only the allowed candidates with the largest u and those with the most coverage are listed; every
    other one has u at most the last listed and cover at most `reaching.floor`, and e copies of that pair
    stand for them."""
    own = math.prod(acceptance_bounds(ctx, members, 0))
    top = extras[-1] if extras else 0
    if not members or own <= 0.0 or top <= 0:
        return [own] * len(extras)
    t = table(ctx)
    p = _prefix(ctx, t)
    reach = _reach(ctx, t)
    ordered = sorted(members)
    k = p.rank[largest_holder(ctx, ordered)]
    own_led = math.prod(_not_lead(p, reach, m, k) for m in ordered)  # the lead among the added
    allowed, cover_of, short = reaching.allowed, reaching.cover_of, reaching.short
    pool: set[int] = set()
    listed, u_floor = 0, 0.0
    for u, a in _not_lead_ranked(ctx, p, reach, k):
        if not allowed(a):
            continue
        if listed >= top:
            u_floor = u
            break
        pool.add(a)
        listed += 1
    pool.update(reaching.by_cover)
    logs, covers = [], []
    for a in pool:
        u = _not_lead(p, reach, a, k)
        logs.append(math.log(u) if u > 0.0 else -math.inf)
        covers.append(cover_of(a))
    rest = math.log(u_floor) if u_floor > 0.0 else -math.inf
    most_cover = max([*covers, reaching.floor])
    lead_log = math.log(t.ceiling) if t.ceiling > 0.0 else -math.inf
    in_node = [math.inf] * (top + 1)
    added = [math.inf] * (top + 1)
    for step in REACHING_STEPS:
        lam = step / short if short > 0 else 0.0
        shifted = [v + lam * c for v, c in zip(logs, covers, strict=True)]
        shifted.extend([rest + lam * reaching.floor] * top)
        shifted.sort(reverse=True)
        lead_term = lead_log + lam * most_cover
        running = -lam * short  # the sum of the e largest, less lambda * shortfall
        for e in range(1, top + 1):
            before = running  # the e - 1 largest
            running = running + shifted[e - 1] if e <= len(shifted) else -math.inf
            in_node[e] = min(in_node[e], running)
            added[e] = min(added[e], before + lead_term)
    out = []
    for e in extras:
        if e <= 0 or in_node[e] == math.inf:
            out.append(own)
            continue
        value = max(own * math.exp(in_node[e]), own_led * math.exp(added[e]))
        out.append(min(1.0, value))
    return out


def consensus_bound(ctx: ContextView, members: Collection[int], extra: int) -> float:
    """An upper bound on the consensus probability of any core holding `members` and `extra` more."""
    return consensus_bounds(ctx, members, [extra])[0]


def consensus_bounds(ctx: ContextView, members: Collection[int], extras: Sequence[int]) -> list[float]:
    """`consensus_bound` for each number of added members in `extras`.

    Under consensus every member accepts one text, the lead's: P(F acts) = prod over m in F of
    accept[m][L] (the lead's own entry is its 1 - e). The lead L sits in F, so it is a node member or an
    added candidate. With L in the node: the node's product for that L times the added members' largest
    `_not_lead` bounds u_1 >= u_2 >= ...; with L added: its own 1 - e times the node's product for L,
    times u_1 ... u_{extra-1}. The bound is the larger of the two, each maximised over L (the node's
    product for every possible L is one pass over the node's rows), then the largest over every larger
    number of additions in `extras`, so that it never rises with size.
    """
    t = table(ctx)
    if not members:
        return [math.prod(acceptance_bounds(ctx, members, e)) for e in extras]
    ordered = sorted(members)
    inside = set(ordered)
    n = len(t.accept)
    column = [1.0] * n  # column[L] = prod over node members m of accept[m][L]
    for m in ordered:
        row = t.accept[m]
        column = [c * r for c, r in zip(column, row, strict=True)]
    in_node = max(column[L] for L in ordered)
    added_lead = max(
        (column[L] * t.accept[L][L] for L in ctx.candidates if L not in inside),
        default=0.0,
    )
    p = _prefix(ctx, t)
    reach = _reach(ctx, t)
    k = p.rank[largest_holder(ctx, ordered)]
    top = max(extras, default=0)
    tops = _added_bounds(ctx, p, reach, ordered, k, top)
    prefix = [1.0, *itertools.accumulate(tops, lambda a, b: a * b)]
    out = []
    for e in extras:
        value = in_node * prefix[e]
        if e >= 1:
            value = max(value, added_lead * prefix[e - 1])
        out.append(value)
    # a lead among the added can make a larger core's bound exceed a smaller one's; the search needs
    # bounds that never rise with size, so each is the largest over it and every larger size asked for
    order = sorted(range(len(extras)), key=lambda i: extras[i], reverse=True)
    running = 0.0
    for i in order:
        running = max(running, out[i])
        out[i] = running
    return out


def count_bounds(
    ctx: ContextView, members: Collection[int], rule: Majority | QualifiedMajority
) -> list[float]:
    """Per size from the node's own to the largest allowed, an upper bound on P(the required count
    accepts) for any core of that size holding `members`, non-increasing in size.

    The event is monotone and its probability symmetric in the members, so it only grows with each
    member's acceptance and is largest at the `acceptance_bounds` (the added members' vector grows by
    one entry per size); the running maximum from the largest size down keeps the bound valid and
    non-increasing (the search prunes by size, and a larger core may need proportionally fewer)."""
    base = len(members)
    top = max(base + 1, ctx.constraints.max_size)
    bounds = acceptance_bounds(ctx, members, top - base)
    dist = count_distribution(bounds[:base])
    tails = []
    for size in range(base, top + 1):
        if size > base:  # one more member, accepting at most its entry of the bounds
            c = bounds[size - 1]
            dist = [
                (dist[k] if k < len(dist) else 0.0) * (1.0 - c) + (dist[k - 1] * c if k >= 1 else 0.0)
                for k in range(len(dist) + 1)
            ]
        tails.append(min(1.0, sum(dist[required_count(rule, size) :])))
    for i in range(len(tails) - 2, -1, -1):
        tails[i] = max(tails[i], tails[i + 1])
    return tails


def _base_by_size(ctx: ContextView, node: Node, sizes: range, span: float) -> list[float]:
    """`base` for each size in `sizes`.

    For the node itself (one size, its own): the exact value, except under a weighted vote (the veto
    players' joint acceptance, an upper bound that skips the DP) and a double majority (1). For larger
    sizes: under consensus `consensus_bound`, under a (qualified) majority `count_bounds`; under opt-in the share is a weighted mean of acceptances,
    at most the table's ceiling; under any other rule 1 (an added ally can raise the chance of acting).
    """
    rule = ctx.issue.decision_rule
    if not sizes:
        return []
    if len(sizes) == 1 and sizes[0] == node.size and node.size > 0:
        from coalesce.architecture import choose_convener

        return [_own_value(ctx, tuple(sorted(node.members)), choose_convener(ctx, node)[0])]
    if isinstance(rule, WeightedVote) and rule.of == "institution":
        return [institution_bound(ctx, node, max(sizes[-1], ctx.constraints.max_size), rule)] * len(sizes)
    if isinstance(rule, Consensus):
        # every size up to the largest allowed, so that the running maximum is the same whatever sizes
        # the caller asks for
        top = max(node.size + 1, ctx.constraints.max_size, sizes[-1] if sizes else 0)
        bounds = consensus_bounds(ctx, node.members, range(top - node.size + 1))
        return [bounds[max(0, size - node.size)] for size in sizes]
    if isinstance(rule, Majority | QualifiedMajority):
        bounds = count_bounds(ctx, node.members, rule)
        return [bounds[min(len(bounds) - 1, max(0, size - node.size))] for size in sizes]
    if isinstance(rule, OptIn):
        return [table(ctx).ceiling] * len(sizes)
    if isinstance(rule, WeightedVote) and node.size > 0:
        return [weighted_bound(ctx, node.members, rule)] * len(sizes)
    return [1.0] * len(sizes)


_REACH: dict[Any, tuple[object, Any]] = {}


def institution_bound(ctx: ContextView, node: Node, size: int, rule: WeightedVote) -> float:
    """Under a weighted vote of the whole institution, an upper bound on P(pass) for every core of at
    most `size` members holding the node.

    The weights are the score's own integers (rules.py rounds each share to 1/WEIGHT_SCALE and asks
    for ceil(quota * WEIGHT_SCALE)). A core F passes when the weight opposing in F is at most W_F less
    the quota; W_F is at most the node's weight plus the largest `size` - |node| weights of the seated
    actors outside the node (`_institution_most`), so 0 when even that is short of the quota, else
    P(the weight opposing among the node's own members <= that slack), taken at the
    not-lead bounds with the best-placed lead (`_lead_within`, as `weighted_bound`). The search asks it at the largest size
    allowed, for every size: the bound must never rise with size (contract property 3)."""
    slack = _institution_most(ctx, node, size, rule) - _institution_needed(rule)
    if slack < 0:
        return 0.0
    ordered = sorted(node.members)
    ints, _ = _institution_weights(ctx, rule)
    return _lead_within(ctx, ordered, [ints[m] for m in ordered], slack)


def _institution_needed(rule: WeightedVote) -> int:
    """The accepting weight the score's DP asks for, in its integers (rules._weighted_quota)."""
    return math.ceil(rule.quota * (institution_total(rule) or 1.0) * WEIGHT_SCALE - 1e-9)


def _institution_weights(ctx: ContextView, rule: WeightedVote) -> tuple[list[int], list[tuple[int, int]]]:
    """Per actor its integer weight as the score reads it, and the seated actors (the candidates and the
    forced members) by weight, heaviest first; once per context."""

    def ranked() -> tuple[list[int], list[tuple[int, int]]]:
        ints = [round(rule.weight_of(a) * WEIGHT_SCALE) for a in ctx.actors]
        seated = sorted(((ints[i], i) for i in (*ctx.candidates, *ctx.forced)), reverse=True)
        return ints, seated

    return _per_context(_REACH, ctx, ranked)


def _institution_most(ctx: ContextView, node: Node, size: int, rule: WeightedVote) -> int:
    """The most (integer) weight any core of `size` holding the node can have."""
    ints, seated = _institution_weights(ctx, rule)
    inside = set(node.members)
    total = sum(ints[m] for m in inside)
    extra = size - len(inside)
    for w, a in seated:
        if extra <= 0 or w <= 0:
            break
        if a not in inside:
            total += w
            extra -= 1
    return total


_SHARES: dict[Any, tuple[object, Any]] = {}


def _share_weights(ctx: ContextView, rule: WeightedVote) -> tuple[list[int] | None, list[tuple[int, int]]]:
    """Per actor its integer vote weight as rules.integer_weights gives it for any group, when every
    actor's figure is a share (<= 1, so a member's integer weight does not depend on the group; else
    None), and the candidates by that weight, heaviest first."""

    def build() -> tuple[list[int] | None, list[tuple[int, int]]]:
        figures = [rule.weight_of(a) for a in ctx.actors]
        ints = integer_weights(figures) if all(f <= 1.0 for f in figures) else None
        ranked = sorted(((ints[a], a) for a in ctx.candidates), reverse=True) if ints is not None else []
        return ints, ranked

    return _per_context(_SHARES, ctx, build)


def weighted_bound(ctx: ContextView, members: Collection[int], rule: WeightedVote) -> float:
    """An upper bound on P(pass) under a weighted vote for any core holding `members` (within the size
    limit), 1 when the weights are not shares.

    A core F = S + A passes when the weight opposing in F is at most its tolerance T(W_F) = W_F -
    ceil(quota W_F) (integer weights, as rules.py computes them). The weight opposing among S alone is at
    most that, T never falls as W_F grows, and W_F is at most W_S plus the largest max_size - |S| weights
    of the candidates outside S; so P(pass) <= P(the weight opposing in S <= T(that total)), which only
    grows with each member's acceptance. The weights differ, so the bound is taken member by member:
    every member at `not_lead_bounds` except one, the lead, at the table's ceiling, the largest over
    which member leads (a lead among the added leaves every node member at its bound, which is below;
    an exact DP over S's opposing weight each). It does not depend on the final size, so it never rises
    with it.
    """
    ints, ranked = _share_weights(ctx, rule)
    if ints is None:
        return 1.0
    ordered = sorted(members)
    inside = set(ordered)
    extra = max(0, ctx.constraints.max_size - len(ordered))
    added = 0
    for w, a in ranked:
        if extra <= 0:
            break
        if a not in inside:
            added += w
            extra -= 1
    total = sum(ints[m] for m in ordered) + added
    tolerance = total - math.ceil(rule.quota * total - 1e-9)
    if total == 0 or tolerance < 0:
        return 0.0 if tolerance < 0 else 1.0
    return _lead_within(ctx, ordered, [ints[m] for m in ordered], tolerance)


def _lead_within(ctx: ContextView, ordered: list[int], weights: Sequence[int], tolerance: int) -> float:
    """An upper bound on P(the weight of the node's members who do not accept is at most `tolerance`)
    in any superset: every member at `not_lead_bounds` except one, the lead, at the table's ceiling, the
    largest over which member leads (a lead among the added leaves every node member at its bound, which
    is below). The weights differ, so the lead's place matters: one exact DP per possible lead."""
    if not ordered:
        return 1.0
    bounds = not_lead_bounds(ctx, ordered)
    ceiling = table(ctx).ceiling
    best = 0.0
    for lead in range(len(ordered)):
        accepts = [ceiling if i == lead else u for i, u in enumerate(bounds)]
        best = max(best, _opposing_within(accepts, weights, tolerance))
    return min(1.0, best)


def _opposing_within(accepts: Sequence[float], weights: Sequence[int], tolerance: int) -> float:
    """P(the weight of the members who do not accept is at most `tolerance`), exact; it only grows with
    each member's acceptance."""
    dist = [0.0] * (tolerance + 1)  # P(the weight opposing so far is exactly o), o <= tolerance
    dist[0] = 1.0
    for p, w in zip(accepts, weights, strict=True):
        q = 1.0 - p
        accepted = [mass * p for mass in dist]
        if w <= tolerance:
            accepted[w:] = [a + q * b for a, b in zip(accepted[w:], dist[: tolerance + 1 - w], strict=True)]
        dist = accepted
    return min(1.0, sum(dist))


def _own_value(ctx: ContextView, members: tuple[int, ...], convener: int | None) -> float:
    rule = ctx.issue.decision_rule
    if isinstance(rule, DoubleMajority):
        return 1.0
    _, probs = member_acceptances(ctx, members, convener)
    if isinstance(rule, WeightedVote):
        return veto_player_bound(probs, _rule_weights(ctx, members), rule.quota, institution_total(rule))
    return _value(ctx, members, probs)


class Veto(Criterion[VetoParameters]):
    """The probability that the group acts under its decision rule (for a pledge: the share that signs)."""

    NAME = "veto"
    SUMMARY = "exact probability that the group acts under its decision rule"
    PARAMS = VetoParameters
    SIZE_DEPENDENT = True

    def compile(self, world: World, issue: IssueView, actors: tuple[Actor, ...]) -> object:
        """Nothing ahead of the context: the acceptance table is built on first use (`table`)."""
        return None

    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """Exact probability that no blocking coalition forms under the decision rule."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: ContextView, actor: int) -> float:
        """Adding a member never raises the bound used below, so no gain is needed."""
        return 0.0

    def base_by_size(self, ctx: ContextView, node: Node, sizes: range, span: float) -> list[float]:
        """`base` for each size in `sizes` (see _base_by_size)."""
        return _base_by_size(ctx, node, sizes, span)

    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """An upper bound on the score of any superset of `node` with `size` members (_base_by_size)."""
        return _base_by_size(ctx, node, range(size, size + 1), span)[0]

    def reaching_bound(
        self, ctx: ContextView, node: Node, reaching: Reaching, extras: range
    ) -> list[float] | None:
        """Under consensus, the acceptances of the members who must bring the coverage
        (`reaching_consensus`); None under the other rules."""
        if not isinstance(ctx.issue.decision_rule, Consensus) or not node.members:
            return None
        return reaching_consensus(ctx, node.members, reaching, extras)


CRITERION = Veto()
