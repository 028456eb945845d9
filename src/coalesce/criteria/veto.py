"""veto: the risk that the group is blocked, or for a pledge how much of it signs, under the decision rule.

Model (Tsebelis's veto players: more players and wider distance shrink the set of feasible agreements).
The text is anchored on what the group would propose: the lead's draft, the lead being the member with
the most standalone coverage of the issue's domains (ties to the lower code), as the US drafted the chip
controls and New Zealand the Christchurch text. Each other member accepts it with the probability the
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

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import Field

from coalesce.acceptance import Coefficients, Features, FeatureTable, link_of, pair_table
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

    accept: tuple[tuple[float, ...], ...]
    ceiling: float
    """The most any member accepts any text, its own included: a bound for each added member."""
    features: FeatureTable | None
    """The pair features (None: the ideal-point fallback)."""
    fallback: dict[tuple[int, int], float]
    """Without alignment data: the standardised ideal-point closeness per pair (i, j)."""
    source: str | None


_TABLES: dict[tuple[object, ...], AcceptanceTable] = {}


def _members_and_memberships(
    actors: tuple[Actor, ...],
) -> tuple[dict[str, list[str]], dict[str, frozenset[str]]]:
    members = {a.code: sorted(a.members) for a in actors if a.kind == "bloc"}
    return members, {a.code: frozenset(a.memberships) for a in actors}


def _fallback_closeness(ctx: ContextView) -> dict[tuple[int, int], float]:
    """Minus the ideal-point distance, standardised over the pairs that have both points."""
    n = len(ctx.codes)
    raw = {
        (i, j): -abs(ctx.alignment[i] - ctx.alignment[j])
        for i in range(n)
        for j in range(n)
        if i != j and ctx.has_alignment[i] and ctx.has_alignment[j]
    }
    if not raw:
        return raw
    mu = sum(raw.values()) / len(raw)
    sd = math.sqrt(sum((v - mu) ** 2 for v in raw.values()) / len(raw)) or 1.0
    return {k: (v - mu) / sd for k, v in raw.items()}


_Memo = TypeVar("_Memo")


def _per_context(store: dict[int, tuple[object, Any]], ctx: ContextView, build: Callable[[], _Memo]) -> _Memo:
    """`build()` computed once per context object and remembered in `store` (at most 16 contexts; the
    identity check keeps a recycled id from returning another context's value)."""
    hit = store.get(id(ctx))
    if hit is not None and hit[0] is ctx:
        value: _Memo = hit[1]
        return value
    value = build()
    if len(store) >= 16:
        store.clear()
    store[id(ctx)] = (ctx, value)
    return value


_BY_CONTEXT: dict[int, tuple[object, Any]] = {}


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
        id(data),
        link,
        ctx.codes,
        tuple(sorted((k, tuple(v)) for k, v in members.items())),
        tuple(tuple(sorted(memberships[c] & frozenset(link.regimes))) for c in ctx.codes) if link else (),
        ctx.alignment if data is None else (),
        coef,
        keep,
    )
    hit = _TABLES.get(key)
    if hit is not None:
        return hit
    n = len(ctx.codes)
    features: FeatureTable | None = None
    fallback: dict[tuple[int, int], float] = {}
    if data is not None and link is not None:
        rows, features = pair_table(data, link, ctx.codes, members, memberships, coef, keep)
    else:
        fallback = _fallback_closeness(ctx)
        rows = tuple(
            tuple(keep if i == j else coef.probability((fallback.get((i, j)), 0.0, None)) for j in range(n))
            for i in range(n)
        )
    ceiling = max([keep, *(p for r in rows for p in r)])
    source = data.manifest.votes.source if data is not None else None
    built = AcceptanceTable(tuple(rows), ceiling, features, fallback, source)
    if len(_TABLES) >= 16:
        _TABLES.clear()
    _TABLES[key] = built
    return built


def lead_of(ctx: ContextView, members: Collection[int]) -> int:
    """The member that drafts: the most standalone coverage, ties to the lower index (code order)."""
    return min(members, key=lambda m: (-ctx.actor_values[m], m))


def member_acceptances(ctx: ContextView, members: tuple[int, ...]) -> tuple[int | None, list[float]]:
    """The lead and each member's probability of accepting the lead's draft."""
    if not members:
        return None, []
    accept = table(ctx).accept
    lead = lead_of(ctx, members)
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
    lead, probs = member_acceptances(ctx, members)
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
        risk = f"; the text is drafted by {ctx.codes[lead]} (most coverage)"
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
    draw, whose coverage values change the ranks, starts afresh); by_rank[k], also on first use, is the
    candidates by best(a, k), highest first. An actor that is not seated ranks after every seated one."""

    __slots__ = ("accept", "by_rank", "order", "rank", "rows", "seated", "values")

    def __init__(
        self, values: tuple[float, ...], accept: tuple[tuple[float, ...], ...], seated: tuple[int, ...]
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
        self.by_rank: dict[int, list[tuple[float, int]]] = {}

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

    def column(self, k: int, actors: Sequence[int]) -> list[tuple[float, int]]:
        """(best(a, k), a) for each of `actors`, highest first (cached per k)."""
        found = self.by_rank.get(k)
        if found is None:
            leads = self.order[: k + 1]
            out = []
            for a in actors:
                row = self.rows.get(a)
                if row is not None:
                    out.append((row[k], a))
                    continue
                accept, running = self.accept[a], 0.0
                for j in leads:
                    if j != a and accept[j] > running:
                        running = accept[j]
                out.append((running, a))
            found = self.by_rank[k] = sorted(out, reverse=True)
        return found


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


def _added_bounds(ctx: ContextView, p: _Prefix, members: Collection[int], k: int, extra: int) -> list[float]:
    """Bounds on the acceptances of `extra` members added to a node whose lead has rank k, as a vector
    that dominates theirs once both are sorted.

    The final lead ranks k or better. An added member that is not the final lead accepts a text drafted
    by an actor ranked k or better, so at most u(a) = best[a][k]; at most one added member is the final
    lead, and only one ranked above the node's lead, accepting its own text with at most the ceiling.
    So with u_1 >= u_2 >= ... the largest u over the candidates outside the node, the added members'
    sorted bounds are at most (ceiling, u_1, ..., u_{extra-1}) when some candidate outranks the node's
    lead, else (u_1, ..., u_extra). Each entry is at most the ceiling the bound used before."""
    if extra <= 0:
        return []
    ranked = p.column(k, ctx.candidates)
    inside = set(members)
    tops: list[float] = []
    for u, a in ranked:
        if a not in inside:
            tops.append(u)
            if len(tops) >= extra:
                break
    ceiling = table(ctx).ceiling
    outranked = any(p.rank[a] < k for a in ctx.candidates if a not in inside) if k > 0 else False
    if outranked:
        tops = [ceiling, *tops[: extra - 1]]
    return tops + [ceiling] * (extra - len(tops))  # fewer candidates than slots: the old bound


def acceptance_bounds(ctx: ContextView, members: Collection[int], extra: int) -> list[float]:
    """Per member of any core holding `members` and `extra` more, an upper bound on its acceptance (the
    added members' as `_added_bounds` gives them: a vector that dominates theirs once sorted).

    The final lead ranks at or above the node's lead by coverage (a superset's best member is at least as
    good), so each node member other than the node's lead accepts at most the best draft of a state ranked
    at or above the node's lead; the node's lead at most the table's ceiling.
    """
    t = table(ctx)
    if not members:
        return [t.ceiling] * extra
    p = _prefix(ctx, t)
    lead = lead_of(ctx, members)
    k = p.rank[lead]
    return [t.ceiling if m == lead else p.best(m, k) for m in sorted(members)] + _added_bounds(
        ctx, p, members, k, extra
    )


REACHING_STEPS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
"""The multipliers `reaching_consensus` tries, in log-acceptance per shortfall."""


def reaching_consensus(
    ctx: ContextView, members: Collection[int], reaching: Reaching, extras: range
) -> list[float]:
    """Per number of additions e in `extras`, an upper bound on the consensus probability of a core
    holding `members` and e allowed additions whose covers sum to at least the shortfall.

    Each added member a accepts at most f(a): the table's ceiling if it outranks the node's lead (it
    may become the lead), else its best draft of a lead ranked at or above the node's lead; the node's
    members at most their `acceptance_bounds`. For every lambda >= 0, the sum of log f over such an A is
    at most the e largest of log f(a) + lambda * cover(a), less lambda * shortfall (the coverage
    constraint relaxed); the bound is the product with the node's factors at the best lambda of a few.
    Only the allowed candidates with the largest f, those that may become the lead and those with the
    most coverage are listed; every other one has f at most the last listed and cover at most
    `reaching.floor`, and e copies of that pair stand for them."""
    own = math.prod(acceptance_bounds(ctx, members, 0))
    top = extras[-1] if extras else 0
    if not members or own <= 0.0 or top <= 0:
        return [own] * len(extras)
    t = table(ctx)
    p = _prefix(ctx, t)
    k = p.rank[lead_of(ctx, members)]
    allowed, cover_of, short = reaching.allowed, reaching.cover_of, reaching.short
    pool = {a for a in p.order[:k] if allowed(a)}  # may become the lead: at the ceiling
    listed, f_floor = 0, 0.0
    for u, a in p.column(k, ctx.candidates):
        if not allowed(a):
            continue
        if listed >= top:
            f_floor = u
            break
        pool.add(a)
        listed += 1
    pool.update(reaching.by_cover)
    logs, covers = [], []
    for a in pool:
        f = t.ceiling if p.rank[a] < k else p.best(a, k)
        logs.append(math.log(f) if f > 0.0 else -math.inf)
        covers.append(cover_of(a))
    rest = math.log(f_floor) if f_floor > 0.0 else -math.inf
    best = [math.inf] * (top + 1)
    for step in REACHING_STEPS:
        lam = step / short if short > 0 else 0.0
        shifted = [v + lam * c for v, c in zip(logs, covers, strict=True)]
        shifted.extend([rest + lam * reaching.floor] * top)
        shifted.sort(reverse=True)
        running = -lam * short
        for e in range(1, top + 1):
            running = running + shifted[e - 1] if e <= len(shifted) else -math.inf
            if running < best[e]:
                best[e] = running
    return [min(1.0, own * math.exp(best[e])) if best[e] < math.inf else own for e in extras]


def consensus_bound(ctx: ContextView, members: Collection[int], extra: int) -> float:
    """An upper bound on the consensus probability (the product of `acceptance_bounds`: the product is
    symmetric and rises with each factor)."""
    return math.prod(acceptance_bounds(ctx, members, extra))


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
        return [_own_value(ctx, tuple(sorted(node.members)))]
    if isinstance(rule, WeightedVote) and rule.of == "institution":
        return [institution_bound(ctx, node, max(sizes[-1], ctx.constraints.max_size), rule)] * len(sizes)
    if isinstance(rule, Consensus):
        return [consensus_bound(ctx, node.members, max(0, size - node.size)) for size in sizes]
    if isinstance(rule, Majority | QualifiedMajority):
        bounds = count_bounds(ctx, node.members, rule)
        return [bounds[min(len(bounds) - 1, max(0, size - node.size))] for size in sizes]
    if isinstance(rule, OptIn):
        return [table(ctx).ceiling] * len(sizes)
    if isinstance(rule, WeightedVote) and node.size > 0:
        return [weighted_bound(ctx, node.members, rule)] * len(sizes)
    return [1.0] * len(sizes)


_REACH: dict[int, tuple[object, Any]] = {}


def institution_bound(ctx: ContextView, node: Node, size: int, rule: WeightedVote) -> float:
    """Under a weighted vote of the whole institution, an upper bound on P(pass) for every core of at
    most `size` members holding the node.

    The weights are the score's own integers (rules.py rounds each share to 1/WEIGHT_SCALE and asks
    for ceil(quota * WEIGHT_SCALE)). A core F passes when the weight opposing in F is at most W_F less
    the quota; W_F is at most the node's weight plus the largest `size` - |node| weights of the seated
    actors outside the node (`_institution_most`), so 0 when even that is short of the quota, else
    P(the weight opposing among the node's own members <= that slack), taken at the
    `acceptance_bounds` (an exact DP, as `weighted_bound`). The search asks it at the largest size
    allowed, for every size: the bound must never rise with size (contract property 3)."""
    slack = _institution_most(ctx, node, size, rule) - _institution_needed(rule)
    if slack < 0:
        return 0.0
    ordered = sorted(node.members)
    ints, _ = _institution_weights(ctx, rule)
    return _opposing_within(acceptance_bounds(ctx, ordered, 0), [ints[m] for m in ordered], slack)


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


_SHARES: dict[int, tuple[object, Any]] = {}


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
    grows with each member's acceptance and is taken at the `acceptance_bounds` (an exact DP over S's
    opposing weight). It does not depend on the final size, so it never rises with it.
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
    return _opposing_within(acceptance_bounds(ctx, ordered, 0), [ints[m] for m in ordered], tolerance)


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


def _own_value(ctx: ContextView, members: tuple[int, ...]) -> float:
    rule = ctx.issue.decision_rule
    if isinstance(rule, DoubleMajority):
        return 1.0
    _, probs = member_acceptances(ctx, members)
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
