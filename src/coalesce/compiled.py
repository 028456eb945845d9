"""Compile a World and an Issue into flat, index-based arrays for fast scoring and search.

Actors are indexed in code order, so every sum runs in the same order whatever the order of the files.
Capability is held in *atomic units*: a state is one unit; a bloc is its member states' units plus a
residual unit for any part of its own total that its members do not account for. A coalition's coverage
is the sum over the union of its members' units, so nothing is counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from coalesce.criteria.registry import NAMES, REGISTRY, criterion_parameters
from coalesce.criteria.timeliness import normal_cdf
from coalesce.shapes import Constraints, ConvenerModel, SharedParameters

if TYPE_CHECKING:
    from coalesce.criteria.base import Criterion
    from coalesce.loading.alignment import AlignmentData
    from coalesce.models.base import Frozen
    from coalesce.models.issue import Issue
    from coalesce.models.world import Actor, World

__all__ = ["Constraints", "Context", "compile_context", "normal_cdf", "perturbed"]


@dataclass(frozen=True)
class Context:
    """Everything the criteria and the search need, precomputed once per (world, issue, constraints)."""

    world: World
    issue: Issue
    params: SharedParameters
    """The flat model parameters (a `ModelParameters`); each criterion reads its own via `params(ctx)`."""
    constraints: Constraints
    codes: tuple[str, ...]
    names: tuple[str, ...]
    index: dict[str, int]
    alignment: tuple[float, ...]
    has_alignment: tuple[bool, ...]
    small: tuple[bool, ...]
    is_bloc: tuple[bool, ...]
    population: tuple[float, ...]
    memberships: tuple[frozenset[str], ...]
    unit_masks: tuple[int, ...]
    unit_value: tuple[float, ...]
    """Weighted coverage of each atomic unit (domain weights normalised to 1)."""
    unit_domain_share: tuple[tuple[float, ...], ...]
    """Per unit, its share in each of the issue's domains (issue order)."""
    unit_label: tuple[str, ...]
    domain_ids: tuple[str, ...]
    domain_weights: tuple[float, ...]
    tag_ids: tuple[str, ...]
    tag_scores: tuple[tuple[float, ...], ...]
    """Per actor, its score in each needed tag (0 if none)."""
    rivalries: tuple[tuple[int, ...], ...]
    rival_set: frozenset[int]
    """Every actor named in a rivalry."""
    excluded: frozenset[int]
    forced: tuple[int, ...]
    candidates: tuple[int, ...]
    """Actors the search may add (not forced, not excluded, with an alignment), in code order."""
    convener_pool: tuple[int, ...]
    weights: dict[str, float]
    weight_total: float
    skipped: tuple[str, ...] = field(default=())
    """Actors left out of the search for lack of an alignment figure."""
    fit: tuple[float, ...] = field(default=())
    """Per actor, mean score over the issue's needed tags (1.0 when it needs none)."""
    neutrality: tuple[float, ...] = field(default=())
    """Per actor, how evenly it sits between each rivalry's members (1.0 when no rivals)."""
    pool_order: tuple[int, ...] = field(default=())
    """Convener pool sorted by the convener model's static part, best first (architecture.compile_conveners)."""
    track_conveners: tuple[int | None, ...] = field(default=())
    """Per rivalry, the state best placed to convene a separate rival track (architecture.compile_conveners)."""
    actors: tuple[Actor, ...] = field(default=())
    """The world's actors in code order."""
    n_min: int = 1
    """Fewest members that can reach the target (see the parsimony criterion)."""
    best_coverage: tuple[float, ...] = field(default=())
    """Best reachable coverage for each size 0..max_size."""
    actor_values: tuple[float, ...] = field(default=())
    """Per actor, its standalone weighted coverage (the sum over its units)."""
    domain_sources: dict[str, str] = field(default_factory=dict)
    tag_sources: dict[str, str] = field(default_factory=dict)
    criterion_params: dict[str, Frozen] = field(default_factory=dict)
    """Per criterion, its own parameter model (`Criterion.params`)."""
    criterion_arrays: dict[str, object] = field(default_factory=dict)
    """Per criterion, what its `compile` returned (`Criterion.arrays`)."""
    aggregators: tuple[Criterion[Any], ...] = ()
    """The criteria that keep a running aggregate on each node, in registry order."""
    aggregate_slot: dict[str, int] = field(default_factory=dict)
    """Per aggregating criterion, its slot in `Node.aggregates`."""
    alignment_data: AlignmentData | None = None
    """The data directory's issue-specific alignment files (data/alignment/), None without them."""
    convener_model: ConvenerModel | None = None
    """The convener model's arrays (architecture.compile_conveners; it also sets the pool fields above)."""

    def world_domain_source(self, domain: str) -> str:
        """The source id a domain cites."""
        return self.domain_sources.get(domain, "")

    def world_tag_source(self, tag: str) -> str:
        """The source id a tag cites."""
        return self.tag_sources.get(tag, "")

    def actor_value(self, actor: int) -> float:
        """Standalone weighted coverage of one actor."""
        return self.actor_values[actor]

    def coverage(self, members: tuple[int, ...]) -> float:
        """Weighted coverage of the union of the members' units, summed in unit order."""
        mask = 0
        for actor in members:
            mask |= self.unit_masks[actor]
        return self.mask_value(mask)

    def mask_value(self, mask: int) -> float:
        """Sum of unit values over a unit bitmask, in unit order."""
        total, unit = 0.0, 0
        while mask:
            low = mask & -mask
            unit = low.bit_length() - 1
            total += self.unit_value[unit]
            mask ^= low
        return total


def compile_context(
    world: World,
    issue: Issue,
    params: SharedParameters,
    constraints: Constraints,
    unseated: frozenset[str] = frozenset(),
    alignment_data: AlignmentData | None = None,
) -> Context:
    """Build the Context. Assumes the world and issue were validated (codes and ids resolve).

    `unseated` are actors that do not sit at this issue's table (problem.unseated: blocs where they do not
    act for their members, members where their bloc acts alone); they are treated as excluded unless the
    request includes them.
    """
    actors = sorted(world.actors, key=lambda a: a.code)
    codes = tuple(a.code for a in actors)
    index = {code: i for i, code in enumerate(codes)}
    by_code = {a.code: a for a in actors}
    domain_ids = tuple(sorted(issue.domains))
    raw_weights = [issue.domains[d] for d in domain_ids]
    weight_sum = sum(raw_weights)
    domain_weights = tuple(w / weight_sum for w in raw_weights)

    # Atomic units: one per actor index (a bloc's index is its residual unit).
    unit_shares: list[list[float]] = []
    for actor in actors:
        shares = []
        for d in domain_ids:
            fig = actor.capabilities.get(d)
            own = fig.share if fig is not None else 0.0
            if actor.kind == "bloc" and fig is not None:
                listed = 0.0
                for m in sorted(actor.members):
                    member_fig = by_code[m].capabilities.get(d) if m in by_code else None
                    listed += member_fig.share if member_fig is not None else 0.0
                own = max(0.0, own - listed)
            shares.append(own)
        unit_shares.append(shares)
    unit_value = tuple(
        sum(w * s for w, s in zip(domain_weights, shares, strict=True)) for shares in unit_shares
    )
    masks = []
    for i, actor in enumerate(actors):
        mask = 1 << i
        for m in actor.members:
            if m in index:
                mask |= 1 << index[m]
        masks.append(mask)

    small_rule = world.small_states
    excluded_groups = set(small_rule.exclude_memberships)
    small = tuple(
        a.kind == "state"
        and not (excluded_groups & set(a.memberships))
        and (
            small_rule.max_population_m is None
            or (a.population_m is not None and a.population_m < small_rule.max_population_m)
        )
        for a in actors
    )
    tag_ids = tuple(issue.expertise)
    tag_scores = tuple(
        tuple((a.expertise[t].score if t in a.expertise else 0.0) for t in tag_ids) for a in actors
    )
    alignment = tuple(a.alignment.ideal_point if a.alignment is not None else 0.0 for a in actors)
    has_alignment = tuple(a.alignment is not None for a in actors)

    forced_codes = set(constraints.include)
    excluded = frozenset(index[c] for c in constraints.exclude) | frozenset(
        index[c] for c in unseated if c in index and c not in forced_codes
    )
    forced = tuple(sorted(index[c] for c in constraints.include))
    skipped = tuple(codes[i] for i in range(len(codes)) if not has_alignment[i] and i not in excluded)
    candidates = tuple(
        i for i in range(len(codes)) if i not in excluded and i not in forced and has_alignment[i]
    )
    rivalries = tuple(tuple(sorted(index[c] for c in group)) for group in issue.rivals)
    weights = dict(constraints.weights) if constraints.weights else issue.weights.as_dict()
    weights = {name: float(weights.get(name, 0.0)) for name in NAMES}
    fit = tuple((sum(scores) / len(scores)) if scores else 1.0 for scores in tag_scores)
    context = Context(
        world=world,
        issue=issue,
        params=params,
        constraints=constraints,
        codes=codes,
        names=tuple(a.name for a in actors),
        index=index,
        alignment=alignment,
        has_alignment=has_alignment,
        small=small,
        is_bloc=tuple(a.kind == "bloc" for a in actors),
        population=tuple(a.population_m or 0.0 for a in actors),
        memberships=tuple(frozenset(a.memberships) for a in actors),
        unit_masks=tuple(masks),
        unit_value=unit_value,
        unit_domain_share=tuple(tuple(s) for s in unit_shares),
        unit_label=codes,
        domain_ids=domain_ids,
        domain_weights=domain_weights,
        tag_ids=tag_ids,
        tag_scores=tag_scores,
        rivalries=rivalries,
        rival_set=frozenset(i for group in rivalries for i in group),
        excluded=excluded,
        forced=forced,
        candidates=candidates,
        convener_pool=(),  # the convener pool and its order: compile_conveners, below
        weights=weights,
        weight_total=sum(weights.values()),
        skipped=skipped,
        fit=fit,
        actors=tuple(actors),
        domain_sources={d.id: d.source for d in world.domains},
        tag_sources={t.id: t.source for t in world.tags},
        criterion_params=criterion_parameters(params),
        criterion_arrays={c.NAME: c.compile(world, issue, tuple(actors)) for c in REGISTRY},
        aggregators=tuple(c for c in REGISTRY if c.AGGREGATES),
        aggregate_slot={c.NAME: slot for slot, c in enumerate(c for c in REGISTRY if c.AGGREGATES)},
        alignment_data=alignment_data,
    )
    object.__setattr__(context, "actor_values", tuple(context.mask_value(m) for m in masks))
    best = best_coverage_by_size(context, constraints.max_size)
    object.__setattr__(context, "best_coverage", tuple(best))
    object.__setattr__(context, "n_min", fewest_members(best, issue.target, params.passenger_coverage))
    from coalesce.loading.cache import compiled_conveners  # the compile, its agreement table cached

    compiled_conveners(context, alignment_data)
    return context


def fewest_members(best: list[float], target: float, passenger_coverage: float) -> int:
    """The parsimony yardstick: the fewest members whose best coverage reaches the target; when no size
    up to the maximum reaches it, the size after which one more member adds less than a passenger's
    worth of coverage (the point of diminishing returns)."""
    for k in range(1, len(best)):
        if best[k] >= target - 1e-9:
            return k
    for k in range(1, len(best) - 1):
        if best[k + 1] - best[k] < passenger_coverage:
            return k
    return max(1, len(best) - 1)


def unit_uncertainty(ctx: Context) -> tuple[tuple[float, ...], ...]:
    """Per unit and domain, the stated uncertainty of the figure behind that unit's share."""
    out = []
    for actor in ctx.actors:
        out.append(
            tuple(
                (actor.capabilities[d].uncertainty if d in actor.capabilities else 0.0)
                for d in ctx.domain_ids
            )
        )
    return tuple(out)


def perturbed(ctx: Context, unit_shares: list[list[float]], weights: dict[str, float]) -> Context:
    """The same context with new unit shares per domain and new criterion weights (robustness draws).

    Unit values, the coverage yardstick (n_min) and the weights are recomputed; nothing else changes
    (each criterion's compiled arrays are kept: the contract keeps shares out of them).
    """
    unit_value = tuple(
        sum(w * s for w, s in zip(ctx.domain_weights, shares, strict=True)) for shares in unit_shares
    )
    changed = replace(
        ctx,
        unit_value=unit_value,
        unit_domain_share=tuple(tuple(s) for s in unit_shares),
        weights=dict(weights),
        weight_total=sum(weights.values()),
    )
    object.__setattr__(changed, "actor_values", tuple(changed.mask_value(m) for m in ctx.unit_masks))
    best = best_coverage_by_size(changed, ctx.constraints.max_size)
    object.__setattr__(changed, "best_coverage", tuple(best))
    object.__setattr__(
        changed, "n_min", fewest_members(best, ctx.issue.target, ctx.params.passenger_coverage)
    )
    from coalesce.architecture import compile_conveners

    compile_conveners(changed, ctx.alignment_data)
    return changed


def best_coverage_by_size(ctx: Context, max_size: int) -> list[float]:
    """Exact best coverage for every size 0..max_size.

    Includes and excludes are ignored except that excluded actors cannot take part: the parsimony
    yardstick is what the world allows, not what one run forces. Only blocs overlap (a state is one
    unit), so with few blocs every choice of blocs is tried, topped up with the best states they do not
    cover; with many, a small branch and bound on coverage alone.
    """
    pool = [i for i in range(len(ctx.codes)) if i not in ctx.excluded]
    values = {i: ctx.actor_value(i) for i in pool}
    pool = [i for i in sorted(pool, key=lambda i: (-values[i], i)) if values[i] > 0]
    blocs = [i for i in pool if ctx.unit_masks[i] & (ctx.unit_masks[i] - 1)]
    if len(blocs) <= MAX_ENUMERATED_BLOCS:
        return _best_by_bloc_choice(ctx, pool, blocs, max_size)
    best = [0.0]
    for k in range(1, max_size + 1):
        best.append(_best_of_size(ctx, pool, values, k, best[-1]))
    return best


MAX_ENUMERATED_BLOCS = 6


def _best_by_bloc_choice(ctx: Context, pool: list[int], blocs: list[int], max_size: int) -> list[float]:
    states = [i for i in pool if i not in set(blocs)]  # already best first
    best_mask = [0] * (max_size + 1)
    best_value = [0.0] * (max_size + 1)
    for choice in range(1 << len(blocs)):
        chosen = [b for j, b in enumerate(blocs) if choice >> j & 1]
        if len(chosen) > max_size:
            continue
        mask = 0
        for b in chosen:
            mask |= ctx.unit_masks[b]
        value = ctx.mask_value(mask)
        size = len(chosen)
        for state in states:
            if size >= max_size:
                break
            if mask >> state & 1:
                continue
            if value > best_value[size]:
                best_mask[size], best_value[size] = mask, value
            mask |= ctx.unit_masks[state]
            value += ctx.unit_value[state]
            size += 1
        for k in range(size, max_size + 1):  # states run out or the size limit is reached
            if value > best_value[k]:
                best_mask[k], best_value[k] = mask, value
    best = [0.0]
    for k in range(1, max_size + 1):
        if best_value[k - 1] > best_value[k]:  # a smaller group never beats a larger one
            best_mask[k], best_value[k] = best_mask[k - 1], best_value[k - 1]
        best.append(ctx.mask_value(best_mask[k]))
    return best


def _best_of_size(ctx: Context, pool: list[int], values: dict[int, float], k: int, floor: float) -> float:
    prefix = [0.0]
    for i in pool:
        prefix.append(prefix[-1] + values[i])
    best = floor
    stack: list[tuple[int, int, int]] = [(0, 0, 0)]  # (mask, next index, size)
    while stack:
        mask, start, size = stack.pop()
        current = ctx.mask_value(mask)
        if current > best:
            best = current
        if size == k:
            continue
        for j in range(start, len(pool)):
            room = min(k - size, len(pool) - j)
            if current + prefix[j + room] - prefix[j] <= best + 1e-12:
                break
            stack.append((mask | ctx.unit_masks[pool[j]], j + 1, size + 1))
    return best
