"""The bounds: per-criterion gain tables over the search order and the optimistic bound of a node.

The bound is, for every reachable final size n,

    sum over criteria of  weight * min(ceiling, base(S, n) + the largest (n - |S|) gains left in the suffix)

refined by how far the additions would stretch the members' ideal-point range. The properties each
criterion promises (criteria/base.py) make it an upper bound; the hooks are resolved once per search.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Sequence
from itertools import accumulate, islice
from typing import TYPE_CHECKING, NamedTuple, cast

from coalesce.criteria.base import Reaching, overrides
from coalesce.criteria.capability import MISS_PENALTY, TOLERANCE, must_miss, reachable
from coalesce.criteria.parsimony import ROLE_EXEMPTIONS, joins_as_rider, size_score, sure_riders
from coalesce.criteria.registry import REGISTRY

if TYPE_CHECKING:
    from coalesce.coalition import Node
    from coalesce.compiled import Context

STRETCH_LEVELS = (0.0, 0.5, 1.0, 2.0, float("inf"))
"""How far additions may stretch the members' ideal-point range, in buckets (see `bound`)."""


class GainTables(NamedTuple):
    """Per-criterion gains and the suffix summaries built from them."""

    gains: list[list[float]]
    suffix_tops: dict[int, list[list[float]]]
    by_gain: dict[int, list[tuple[int, float, float]]]


class Bounds:
    """The criteria's bounds over one context and one search order."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.criteria = REGISTRY
        self.weights = [ctx.weights[c.NAME] / ctx.weight_total for c in self.criteria]
        gains = [[c.gain(ctx, a) for a in range(len(ctx.codes))] for c in self.criteria]
        combined = [
            sum(w * g[a] for w, g in zip(self.weights, gains, strict=True)) for a in range(len(ctx.codes))
        ]
        self.gains = gains
        self.max_size = ctx.constraints.max_size
        self.min_size = ctx.constraints.min_size
        self.sized = [i for i, c in enumerate(self.criteria) if c.SIZE_DEPENDENT]
        self.capability = next(i for i, c in enumerate(self.criteria) if c.NAME == "capability")
        self.parsimony = next(i for i, c in enumerate(self.criteria) if c.NAME == "parsimony")
        self.parsimony_weight = self.weights[self.parsimony]
        self.blocs = frozenset(a for a in ctx.candidates if ctx.unit_masks[a] & (ctx.unit_masks[a] - 1))
        self.unsized = [i for i, c in enumerate(self.criteria) if not c.SIZE_DEPENDENT]
        # Optional hooks, resolved once: the hot path never asks a criterion what it provides.
        # (A criterion at weight 0 bounds nothing, so its gain key is not even computed.)
        self.keyed = [
            (i, c) for i, c in enumerate(self.criteria) if overrides(c, "gain_key") and self.weights[i] > 0
        ]
        self.ceilings = [c.ceiling if overrides(c, "ceiling") else None for c in self.criteria]
        self.reaching_by = [
            c.reaching_bound if c.SIZE_DEPENDENT and overrides(c, "reaching_bound") else None
            for c in self.criteria
        ]
        # Gain classes (property 8: the gains of one class do not add up), per (criterion, gain key).
        self.classes_by = [
            c.gain_classes if not c.SIZE_DEPENDENT and overrides(c, "gain_classes") else None
            for c in self.criteria
        ]
        self.class_cache: dict[tuple[int, Hashable], Sequence[int] | None] = {}
        self.singles_by = [
            (i, c.single_bound)
            for i, c in enumerate(self.criteria)
            if c.SIZE_DEPENDENT and overrides(c, "single_bound")
        ]
        self._set_order(sorted(ctx.candidates, key=lambda a: (-combined[a], ctx.codes[a])))

    def _set_order(self, order: list[int]) -> None:
        """Fix the candidate order and precompute the suffix summaries the bounds read."""
        ctx, gains = self.ctx, self.gains
        self.order = order
        # A criterion at weight 0 adds nothing to any total: leaving its gains out of the bound changes
        # no bound value, only the work (a new criterion ships at weight 0).
        self.gainful = [
            c for c, g in enumerate(gains) if self.weights[c] > 0 and any(g[a] > 0 for a in self.order)
        ]
        self.tables = self._tables_for(gains)
        # Criteria whose gains depend on the node's aggregate (`gain_key`: a bloc's covered units, the
        # groups already represented) get their own tables for each key met, built on first use: many
        # keys are never reached.
        self.keyed_tables: dict[tuple[Hashable, ...], GainTables] = {}
        self.keyed_gains: dict[tuple[int, Hashable], list[float]] = {}
        self.summaries: list[Sequence[object] | None] = [c.summarise(ctx, self.order) for c in self.criteria]
        self.by_tag = [
            sorted(
                (a for a in self.order if ctx.tag_scores[a][t] > 0), key=lambda a: (-ctx.tag_scores[a][t], a)
            )
            for t in range(len(ctx.tag_ids))
        ]
        self.position = {a: p for p, a in enumerate(self.order)}
        self.position.update((a, -1) for a in ctx.forced)  # never an addition
        self.by_value = sorted(self.order, key=lambda a: (-ctx.actor_values[a], a))
        # Capability's threshold: per position, the best coverage any m further members drawn from
        # order[start:] can hold (m = 0..max_size), which bounds what they add to any node (coverage is
        # subadditive). A final size whose additions cannot lift a node to a reachable target pays the
        # miss penalty (see `bound`).
        self.reach_tops: list[tuple[float, ...]] = (
            suffix_reach(ctx, self.order, self.max_size) if reachable(ctx) else []
        )

    def _tables_for(self, gains: list[list[float]]) -> GainTables:
        """For each criterion with gains: the prefix sums of the largest positive gains in every suffix
        of the order, and (position, ideal point, gain) of each gainful candidate, best first."""
        ctx, order = self.ctx, self.order
        suffix_tops: dict[int, list[list[float]]] = {}
        by_gain: dict[int, list[tuple[int, float, float]]] = {}
        for c in self.gainful:
            tops: list[list[float]] = [[0.0]] * (len(order) + 1)
            ranked: list[float] = []  # the largest gains in the suffix, negated and sorted
            for i in range(len(order) - 1, -1, -1):
                g = gains[c][order[i]]
                if g > 0 and (len(ranked) < self.max_size or -g < ranked[-1]):
                    bisect.insort(ranked, -g)
                    if len(ranked) > self.max_size:
                        ranked.pop()
                    tops[i] = [0.0, *accumulate(-negative for negative in ranked)]
                else:
                    tops[i] = tops[i + 1]  # unchanged: share the list (never mutated)
            suffix_tops[c] = tops
            by_gain[c] = [
                (p, ctx.alignment[order[p]], gains[c][order[p]])
                for p in sorted(
                    (p for p, a in enumerate(order) if gains[c][a] > 0), key=lambda p: -gains[c][order[p]]
                )
            ]
        return GainTables(gains, suffix_tops, by_gain)

    def tables_at(self, node: Node) -> GainTables:
        """The gain tables valid below `node`, for the keys its aggregates give (property 2)."""
        if not self.keyed:
            return self.tables
        ctx = self.ctx
        key = tuple(c.gain_key(ctx, node) for _, c in self.keyed)
        found = self.keyed_tables.get(key)
        if found is None:
            found = self._keyed(key)
        return found

    def _keyed(self, key: tuple[Hashable, ...]) -> GainTables:
        variant = list(self.gains)
        for (c, criterion), k in zip(self.keyed, key, strict=True):
            if k is None:
                continue
            gains = self.keyed_gains.get((c, k))
            if gains is None:
                gains = self.keyed_gains[(c, k)] = criterion.gains_given(self.ctx, k)
            variant[c] = gains
        tables = self.tables if variant == self.gains else self._tables_for(variant)
        self.keyed_tables[key] = tables
        return tables

    def must_miss(self, node: Node, start: int, final_size: int) -> bool:
        """Whether every superset of node using order[start:] with at most `final_size` members misses
        a reachable target: capability.must_miss, sharpened with the candidates left."""
        if not self.reach_tops or must_miss(self.ctx, node, final_size):
            return bool(self.reach_tops)
        if node.coverage >= self.ctx.issue.target - TOLERANCE:
            return False
        tops = self.reach_tops[min(start, len(self.reach_tops) - 1)]
        extra = max(0, min(final_size - node.size, len(tops) - 1))
        return node.coverage + tops[extra] < self.ctx.issue.target - TOLERANCE

    def bound(self, node: Node, start: int, sizes: range, threshold: float | None = None) -> float:
        """Upper bound on the value (total, less the miss penalty) of any superset of node using
        order[start:], with final size in `sizes`. The penalty is deducted at each final size that cannot
        reach a reachable target (capability's threshold): a size n misses when the node's coverage plus
        the best coverage n - |S| of the candidates left can add stays below the target.

        First the plain bound (the largest remaining gains, the node's own spread). Unless it is already
        below `threshold`, it is refined: additions are bucketed by how far each would stretch the
        members' ideal-point range. If the final range grows by between two consecutive levels, only
        candidates within the upper level can be in the set, and the size-dependent criteria see at least
        the lower level's extra spread; the coverage those candidates can add bounds the threshold too.
        The refined bound is the best case over levels and sizes.
        """
        if sizes and self.must_miss(node, start, sizes[-1]):
            penalty, start_reach = MISS_PENALTY, None  # every size misses
        else:
            penalty, start_reach = 0.0, self._reach_left(node, start)
        fixed, growing = self.unsized_values(node, start)
        tables = self.tables_at(node)
        plain = [(0.0, {c: tables.suffix_tops[c][start] for c, _, _, _ in growing})]
        best = self._best_over(node, sizes, fixed, growing, plain, start_reach) - penalty
        max_extra = sizes[-1] - node.size if sizes else 0
        if (threshold is not None and best < threshold) or node.size == 0 or max_extra <= 0:
            return best
        if growing:
            levels = self._stretch_levels(node, start, [c for c, _, _, _ in growing], max_extra, tables)
            best = self._best_over(node, sizes, fixed, growing, levels, start_reach) - penalty
            if threshold is not None and best < threshold:
                return best
        if start_reach is not None:
            best = min(best, self._reaching(node, start, sizes, fixed, growing, tables, start_reach))
            if threshold is not None and best < threshold:
                return best
        if self.parsimony_weight > 0:
            best = min(best, self._riders(node, start, sizes, fixed, growing, tables, penalty, start_reach))
        return best

    def not_riders(self, node: Node, start: int) -> frozenset[int]:
        """N: the candidates at or after `start`, outside the node, that do not join it as riders
        (`parsimony.joins_as_rider`); every other addition is a rider in every superset. Only those with
        a point of coverage, a better tag score than the members' or a key rival's seat can be in N, so
        only they are tested. Kept in the node's memo per position (both splits ask)."""
        memo = node.memo
        if memo is None:
            memo = node.memo = {}
        key = ("not_riders", start)
        cached = memo.get(key)
        if cached is not None:
            return cast("frozenset[int]", cached)
        ctx, values, members, position = self.ctx, self.ctx.actor_values, set(node.members), self.position
        floor = ctx.params.passenger_coverage
        found: set[int] = set()

        def consider(a: int) -> None:
            if (
                a not in found
                and position[a] >= start
                and a not in members
                and not joins_as_rider(ctx, node, a)
            ):
                found.add(a)

        for a in self.by_value:
            if values[a] < floor:
                break
            consider(a)
        for t, ranked in enumerate(self.by_tag):
            held = node.tagmax[t]
            for a in ranked:
                if ctx.tag_scores[a][t] <= held:
                    break
                consider(a)
        for a in ctx.rival_set:
            if a in position:
                consider(a)
        out = frozenset(found)
        memo[key] = out
        return out

    def _riders(
        self,
        node: Node,
        start: int,
        sizes: range,
        fixed: float,
        growing: list[tuple[int, float, float, float]],
        tables: GainTables,
        penalty: float,
        reach: tuple[float, ...] | None,
    ) -> float:
        """The bound split by how many additions are riders (parsimony's passengers but for the
        convener's exemption) in every superset.

        A candidate that joins the node as a rider (`parsimony.joins_as_rider`: under a point of
        coverage beyond the node, no needed expertise beyond its members', no key rival) stays one in
        every superset; only the few others (`N`: much coverage, a better tag score, a rival) may not.
        With r riders among e additions the final set has at least |Q(node)| + r - ROLE_EXEMPTIONS
        passengers, and the other e - r additions come from N, so each growing criterion gains at most
        the best e - r of N's gains plus the best r of all (and at most the best e of all). The bound is
        the best case over r and the final sizes (all of them: no size is skipped here)."""
        ctx = self.ctx
        found = self.not_riders(node, start)
        size_now = node.size
        known = len(sure_riders(ctx, node))
        not_riders = len(found)
        weights = self.weights
        target = ctx.issue.target - TOLERANCE
        last_reach = len(reach) - 1 if reach is not None else 0
        n_tops: dict[int, list[float]] = {}
        for c, _, _, _ in growing:
            gains = tables.gains[c]
            n_tops[c] = [0.0, *accumulate(sorted((gains[a] for a in found), reverse=True))]
        memo = node.memo
        if memo is None:
            memo = node.memo = {}
        key = ("riders", sizes.start, sizes.stop)
        sized_all = cast("list[list[float]] | None", memo.get(key))
        if sized_all is None:
            sized_all = [self.sized_values(c, node, sizes, node.spread) for c in self.sized]
            memo[key] = sized_all
        others = [(c, v) for c, v in zip(self.sized, sized_all, strict=True) if c != self.parsimony]
        best = float("-inf")
        for i, size in enumerate(sizes):
            extra = size - size_now
            base_total = fixed - penalty
            if reach is not None and node.coverage + reach[min(extra, last_reach)] < target:
                base_total -= MISS_PENALTY
            for c, column in others:
                x = column[i]
                base_total += weights[c] * (x if x < 1.0 else 1.0)
            most = size_score(ctx, size)
            for r in range(max(0, extra - not_riders), extra + 1):
                passengers = max(0, known + r - ROLE_EXEMPTIONS)
                total = base_total + self.parsimony_weight * min(1.0, most * (1.0 - passengers / size))
                for c, weight, value, cap in growing:
                    tops = tables.suffix_tops[c][start]
                    last = len(tops) - 1
                    mine = n_tops[c]
                    added = min(
                        tops[min(extra, last)], mine[min(extra - r, len(mine) - 1)] + tops[min(r, last)]
                    )
                    v = value + added
                    total += weight * (v if v < cap else cap)
                if total > best:
                    best = total
        return best

    def _reaching(
        self,
        node: Node,
        start: int,
        sizes: range,
        fixed: float,
        growing: list[tuple[int, float, float, float]],
        tables: GainTables,
        reach: tuple[float, ...],
    ) -> float:
        """The bound split by whether the final set reaches capability's (reachable) target.

        A superset that misses it is worth at most its total less MISS_PENALTY. One that reaches it
        holds additions A whose coverage beyond the node, at most the sum of each one's own (`cover`,
        coverage is subadditive), is at least the shortfall. For every lambda >= 0 the sum of any
        criterion's gains over such an A is then at most the largest |A| values of gain + lambda * cover
        less lambda * shortfall (a Lagrangian relaxation of the coverage constraint; lambda 0 is the plain
        bound); each growing criterion takes its best lambda of a few. Size-dependent criteria with a
        `reaching_bound` (veto under consensus) bound their own score the same way, and capability is
        at its cap. The members who bring the coverage are then the ones whose gains count: a core that
        needs Taiwan to reach the target gets Taiwan's acceptance, not the best ally's."""
        ctx, masks, values = self.ctx, self.ctx.unit_masks, self.ctx.actor_values
        size_now = node.size
        short = ctx.issue.target - TOLERANCE - node.coverage
        missing = 1.0 - MISS_PENALTY  # a total is at most 1
        last_reach = len(reach) - 1
        first = next(
            (e for e in range(max_extra_of(sizes, size_now) + 1) if reach[min(e, last_reach)] >= short), None
        )
        if first is None:
            return missing
        window = range(max(sizes[0], size_now + first), sizes[-1] + 1)
        if not window:
            return missing
        inside, members, position = node.mask, set(node.members), self.position
        top_extra = window[-1] - size_now
        covers: dict[int, float] = {}

        def cover_of(a: int) -> float:
            found = covers.get(a)
            if found is None:
                found = covers[a] = min(
                    short, ctx.mask_value(masks[a] & ~inside) if masks[a] & inside else values[a]
                )
            return found

        def allowed(a: int) -> bool:
            return position[a] >= start and a not in members

        # The candidates with the most standalone coverage (which bounds what each adds); every other
        # allowed candidate adds at most `floor`.
        by_cover: list[int] = []
        floor = 0.0
        for a in self.by_value:
            if not allowed(a):
                continue
            if len(by_cover) >= top_extra:
                floor = min(short, values[a])
                break
            by_cover.append(a)
        weights = self.weights
        totals = [fixed] * len(window)
        for c, weight, value, cap in growing:
            if c == self.capability:
                for i in range(len(window)):
                    totals[i] += weight * cap
                continue
            gains = tables.gains[c]
            kept: list[int] = []
            g_floor = 0.0
            for p, _, g in tables.by_gain[c]:
                if p < start or order_at(self.order, p) in members:
                    continue
                if len(kept) >= top_extra:
                    g_floor = g
                    break
                kept.append(order_at(self.order, p))
            pool = sorted(set(kept).union(by_cover))
            scale = max((gains[a] for a in pool), default=0.0)
            classes = self._classes(c, node)
            limit = _lagrangian(
                [gains[a] for a in pool],
                [cover_of(a) for a in pool],
                (g_floor, floor, top_extra),
                short,
                top_extra,
                LAMBDAS_GAIN,
                scale,
                None if classes is None else [classes[a] for a in pool],
            )
            tops = tables.suffix_tops[c][start]
            last = len(tops) - 1
            for i, size in enumerate(window):
                extra = size - size_now
                added = min(tops[min(extra, last)], limit[extra])
                v = value + added
                totals[i] += weight * (v if v < cap else cap)
        memo = node.memo
        if memo is None:
            memo = node.memo = {}
        key = (window.start, window.stop, 0.0)
        sized_all = cast("list[list[float]] | None", memo.get(key))
        if sized_all is None:
            sized_all = [self.sized_values(c, node, window, node.spread) for c in self.sized]
            memo[key] = sized_all
        for c, sized in zip(self.sized, sized_all, strict=True):
            sharper = self.reaching_by[c]
            if sharper is not None:
                extras = range(window[0] - size_now, top_extra + 1)
                tighter = sharper(ctx, node, Reaching(allowed, cover_of, by_cover, floor, short), extras)
                if tighter is not None:
                    sized = [min(v, t) for v, t in zip(sized, tighter, strict=True)]
            if c == self.parsimony:
                sized = [
                    min(v, t) for v, t in zip(sized, self._fewest_riders(node, start, window), strict=True)
                ]
            for i, v in enumerate(sized):
                totals[i] += weights[c] * (v if v < 1.0 else 1.0)
        return max(missing, max(totals))

    def _classes(self, c: int, node: Node) -> Sequence[int] | None:
        """Criterion c's gain classes below `node` (for the key its gains there are read with)."""
        hook = self.classes_by[c]
        if hook is None:
            return None
        key = self.criteria[c].gain_key(self.ctx, node)
        cache_key = (c, key)
        if cache_key not in self.class_cache:
            self.class_cache[cache_key] = hook(self.ctx, key)
        return self.class_cache[cache_key]

    def _fewest_riders(self, node: Node, start: int, sizes: range) -> list[float]:
        """Parsimony at each final size when only N (`not_riders`) may join as non-riders: of e
        additions at least e - |N| are riders, and they stay riders with the node's own (Q) in every
        superset, so at least |Q(node)| + e - |N| - ROLE_EXEMPTIONS members are passengers. (The riders
        split takes the best case over every number of riders; this is its least number, for the
        reaching split, which otherwise reads parsimony at the node's own passengers only.)"""
        ctx, size_now = self.ctx, node.size
        known = len(sure_riders(ctx, node))
        free = len(self.not_riders(node, start))
        out = []
        for size in sizes:
            passengers = max(0, known + max(0, size - size_now - free) - ROLE_EXEMPTIONS)
            out.append(size_score(ctx, size) * (1.0 - passengers / size) if size > 0 else 1.0)
        return out

    def _reach_left(self, node: Node, start: int) -> tuple[float, ...] | None:
        """The most coverage any m further members from order[start:] can add, for m = 0, 1, ...; None
        when no size can miss (no reachable target, or the node already holds it)."""
        if not self.reach_tops or node.coverage >= self.ctx.issue.target - TOLERANCE:
            return None
        return self.reach_tops[min(start, len(self.reach_tops) - 1)]

    def _best_over(
        self,
        node: Node,
        sizes: range,
        fixed: float,
        growing: list[tuple[int, float, float, float]],
        levels: list[tuple[float, dict[int, list[float]]]],
        reach: tuple[float, ...] | None = None,
    ) -> float:
        """The bound's best case over stretch levels and final sizes; with `reach` (see `_reach_left`),
        a size whose additions cannot lift the node to the target pays the miss penalty. At a stretch
        level, capability's gains there (marginal coverage over the target) bound the coverage too."""
        weights = self.weights
        max_extra = sizes[-1] - node.size if sizes else 0
        best = float("-inf")
        size_now = node.size
        previous: dict[int, list[float]] | None = None
        capability = self.capability if reach is not None else None
        target = self.ctx.issue.target
        short = target - TOLERANCE - node.coverage  # coverage the additions must bring
        for span_floor, tops_by_c in levels:
            if previous is not None and all(tops_by_c[c] == previous[c] for c, _, _, _ in growing):
                continue  # no new candidates at this level: same gains, more spread, so dominated
            previous = tops_by_c
            saturation = 0
            padded = {}
            for c, _, value, cap in growing:
                tops = tops_by_c[c]
                count = len(tops)
                k = 0
                while k < count - 1 and value + tops[k] < cap:
                    k += 1
                saturation = max(saturation, k)
                # Pad so the hot loop can index by the number of extra members directly.
                padded[c] = tops + [tops[-1]] * (max_extra + 1 - count) if count <= max_extra else tops
            # The fewest extra members that can reach the target (past max_extra: none can).
            reaching = 0
            if reach is not None:
                last_reach = len(reach) - 1
                cap_tops = padded.get(capability) if capability is not None else None
                reaching = max_extra + 1
                for extra in range(max_extra + 1):
                    added = reach[extra if extra < last_reach else last_reach]
                    if cap_tops is not None:
                        added = min(added, target * cap_tops[extra])
                    if added >= short:
                        reaching = extra
                        break
            span = node.spread + span_floor
            # Past `saturation` extra members the gains stop growing, and the size-dependent criteria
            # only fall, so larger sizes cannot do better once they also reach the target.
            last = min(sizes[-1], size_now + max(saturation, reaching)) if sizes else size_now
            window = range(sizes[0], max(sizes[0], last) + 1) if sizes else sizes
            # The same node is bounded again for each next position; its size-dependent values repeat.
            memo = node.memo
            if memo is None:
                memo = node.memo = {}
            key = (window.start, window.stop, span_floor)
            sized_values = cast("list[list[float]] | None", memo.get(key))
            if sized_values is None:
                sized_values = [self.sized_values(c, node, window, span) for c in self.sized]
                memo[key] = sized_values
            for position, size in enumerate(window):
                extra = size - size_now
                total = fixed - MISS_PENALTY if extra < reaching else fixed
                for c, weight, value, cap in growing:
                    v = value + padded[c][extra]
                    total += weight * (v if v < cap else cap)
                for c, values in zip(self.sized, sized_values, strict=True):
                    v = values[position]
                    total += weights[c] * (v if v < 1.0 else 1.0)
                if total > best:
                    best = total
        return best

    def unsized_values(self, node: Node, start: int) -> tuple[float, list[tuple[int, float, float, float]]]:
        """The size-free criteria at a node: the weighted total of those no candidate can raise, and
        (criterion, weight, base, ceiling) for those whose gains add up."""
        ctx, weights, criteria, ceilings = self.ctx, self.weights, self.criteria, self.ceilings
        fixed = 0.0
        growing = []
        for c in self.unsized:
            summary = self.summaries[c]
            remaining = summary[start] if summary is not None else None
            value = criteria[c].base(ctx, node, node.size, remaining)
            ceiling = ceilings[c]
            cap = 1.0 if ceiling is None else min(ceiling(ctx, node, remaining), 1.0)
            if c in self.tables.suffix_tops:
                growing.append((c, weights[c], value, cap))
            else:
                fixed += weights[c] * min(value, cap)
        return fixed, growing

    def sized_values(self, c: int, node: Node, sizes: range, span: float) -> list[float]:
        return self.criteria[c].base_by_size(self.ctx, node, sizes, span)

    def _stretch_levels(
        self, node: Node, start: int, criteria: list[int], max_extra: int, tables: GainTables
    ) -> list[tuple[float, dict[int, list[float]]]]:
        """For each stretch level: (least extra spread, per criterion the prefix sums of the best gains
        among remaining candidates whose own stretch of the members' range is within the level)."""
        low, high = node.amin, node.amax
        out: list[tuple[float, dict[int, list[float]]]] = []
        for level, reach in enumerate(STRETCH_LEVELS):
            tops: dict[int, list[float]] = {}
            for c in criteria:
                if c == self.capability and self.blocs:
                    tops[c] = self._coverage_tops(start, low - reach, high + reach, max_extra, tables)
                    continue
                picked = islice(
                    (
                        g
                        for position, a, g in tables.by_gain[c]
                        if position >= start and low - a <= reach and a - high <= reach
                    ),
                    max_extra,
                )
                tops[c] = [0.0, *accumulate(picked)]
            out.append((STRETCH_LEVELS[level - 1] if level > 0 else 0.0, tops))
        return out

    def _coverage_tops(
        self, start: int, low: float, high: float, max_extra: int, tables: GainTables
    ) -> list[float]:
        """Capability's prefix sums of gains among the candidates at or after `start` with ideal points
        in [low, high], aware that a bloc and its own members overlap.

        Coverage is a union of units, so what members add is at most the gains of the blocs among them
        plus the gains of their states that none of those blocs covers. For every choice B of the blocs
        allowed, that is the gains of B plus the best k - |B| states outside B's units; index k holds the
        best over the choices (at most the plain sum of the k largest gains, the bound without blocs).
        """
        masks, order = self.ctx.unit_masks, self.order
        blocs: list[tuple[int, float]] = []
        states: list[tuple[int, float]] = []  # (unit mask, gain), best first
        union_all = 0
        outside = 0  # states that no allowed bloc covers: enough of them ends the scan
        for position, a, g in tables.by_gain[self.capability]:
            if position < start or a < low or a > high:
                continue
            actor = order[position]
            mask = masks[actor]
            if actor in self.blocs:
                if len(blocs) < MAX_REACH_BLOCS:
                    blocs.append((mask, g))
                    union_all |= mask
                    continue
                mask = 0  # past the choices tried: counted as a state that overlaps nothing
            states.append((mask, g))
            if not mask & union_all:
                outside += 1
                if outside >= max_extra:
                    break
        best = [0.0] * (max_extra + 1)
        for choice in range(1 << len(blocs)):
            chosen = [blocs[j] for j in range(len(blocs)) if choice >> j & 1]
            size = len(chosen)
            if size > max_extra:
                continue
            covered = 0
            total = 0.0
            for mask, g in chosen:
                covered |= mask
                total += g
            if total > best[size]:
                best[size] = total
            k = size
            for mask, g in states:
                if k >= max_extra:
                    break
                if mask & covered:
                    continue
                k += 1
                total += g
                if total > best[k]:
                    best[k] = total
        for k in range(1, max_extra + 1):
            if best[k - 1] > best[k]:
                best[k] = best[k - 1]
        return best

    def sizes(self, node: Node, start: int, at_least: int) -> range:
        """Final sizes reachable from node by adding at least `at_least` members from order[start:]."""
        low = max(self.min_size, node.size + at_least)
        high = min(self.max_size, node.size + len(self.order) - start)
        return range(low, high + 1)


LAMBDAS_GAIN = (0.0, 0.5, 1.0, 2.0, 4.0)
"""The multipliers `_reaching` tries for a growing criterion, in units of its largest gain over the
shortfall."""


def max_extra_of(sizes: range, size_now: int) -> int:
    """The most members a final size in `sizes` adds to a node of `size_now`."""
    return sizes[-1] - size_now if sizes else 0


def order_at(order: Sequence[int], position: int) -> int:
    """The candidate at a search position."""
    return order[position]


def _lagrangian(
    values: Sequence[float],
    cover: Sequence[float],
    rest: tuple[float, float, int],
    short: float,
    top: int,
    grid: Sequence[float],
    scale: float,
    classes: Sequence[int] | None = None,
) -> list[float]:
    """Index e (0..top): min over lambda in grid * scale / short of the sum of the e largest of
    value + lambda * cover, less lambda * short: an upper bound on the sum of the values of any e
    candidates whose covers sum to at least `short`. `values` and `cover` list some candidates; every
    other one has value at most rest[0] and cover at most rest[1], so rest[2] copies of that pair
    stand for them (the e largest over all candidates are at most the e largest of the two together).
    With `classes` (criteria/base.py, property 8) the listed candidates' gains count once per class
    (`_class_items`); the copies have no class, which can only add."""
    best = [float("inf")] * (top + 1)
    value_floor, cover_floor, copies = rest
    for step in grid:
        lam = step * scale / short if short > 0 else 0.0
        if classes is None:
            items = [v + lam * c for v, c in zip(values, cover, strict=True)]
        else:
            items = _class_items(values, cover, classes, lam)
        items.extend([value_floor + lam * cover_floor] * copies)
        items.sort(reverse=True)
        running = -lam * short
        for e in range(1, top + 1):
            running = running + items[e - 1] if e <= len(items) else float("-inf")
            if running < best[e]:
                best[e] = running
    return best


def _class_items(
    values: Sequence[float], cover: Sequence[float], classes: Sequence[int], lam: float
) -> list[float]:
    """The items of `_lagrangian` at one lambda when a class's gains count once: value + lambda * cover
    for a candidate without a class (class < 0), and per class one item, its largest lambda * cover
    plus its largest value, and lambda * cover for each of its other candidates. The e largest items
    bound the class-counted gains plus lambda * covers of any e candidates: the members of one class
    are worth at most their lambda * covers plus the class's largest value, and those covers are at
    most the class's best one plus the next largest."""
    items: list[float] = []
    heads: dict[int, tuple[float, float]] = {}  # per class: (largest lambda * cover, largest value)
    for v, c, k in zip(values, cover, classes, strict=True):
        shifted = lam * c
        if k < 0:
            items.append(v + shifted)
            continue
        head = heads.get(k)
        if head is None:
            heads[k] = (shifted, v)
            continue
        if shifted > head[0]:
            items.append(head[0])
            heads[k] = (shifted, max(v, head[1]))
        else:
            items.append(shifted)
            if v > head[1]:
                heads[k] = (head[0], v)
    items.extend(h + v for h, v in heads.values())
    return items


def suffix_reach(ctx: Context, order: Sequence[int], max_size: int) -> list[tuple[float, ...]]:
    """Index start, then m: the best coverage of any m actors from order[start:], exact.

    States are single units, so only blocs overlap: for every choice B of the blocs in the suffix, the
    best is the coverage of B topped up with the m - |B| best states of the suffix that B does not cover
    (the same reasoning as compiled.best_coverage_by_size). The tables are built from the last position
    back, one actor at a time, each choice keeping its own best states.
    """
    masks, value = ctx.unit_masks, ctx.actor_values
    bloc_of = {a for a in order if masks[a] & (masks[a] - 1)}
    if len(bloc_of) > MAX_REACH_BLOCS:  # too many choices: the largest standalone coverages instead
        return _standalone_reach(ctx, order, max_size)
    choices: list[tuple[int, int, float, list[float]]] = [(0, 0, 0.0, [])]  # (mask, size, value, tops)
    tables: list[tuple[float, ...]] = [tuple([0.0] * (max_size + 1))]
    for actor in reversed(order):
        if actor in bloc_of:
            grown: list[tuple[int, int, float, list[float]]] = []
            for mask, size, _covered, _ in choices:
                if size < max_size:
                    union = mask | masks[actor]
                    grown.append((union, size + 1, ctx.mask_value(union), []))
            # A new choice's states come from the suffix seen so far (none yet covered by it).
            seen = [a for a in order[len(order) - len(tables) + 1 :] if a not in bloc_of]
            for union, size, _covered, tops in grown:
                tops.extend(sorted(-value[a] for a in seen if not masks[a] & union and value[a] > 0))
                del tops[max_size - size :]
            choices.extend(grown)
        elif value[actor] > 0:
            v = -value[actor]
            for mask, size, _, tops in choices:
                if masks[actor] & mask or size >= max_size:
                    continue
                if len(tops) < max_size - size or v < tops[-1]:
                    bisect.insort(tops, v)
                    del tops[max_size - size :]
        best = [0.0] * (max_size + 1)
        for _, size, covered, tops in choices:
            total = covered
            if total > best[size]:
                best[size] = total
            for k, v in enumerate(tops, size + 1):
                total -= v
                if total > best[k]:
                    best[k] = total
        for k in range(1, max_size + 1):  # a smaller group never beats a larger one
            if best[k - 1] > best[k]:
                best[k] = best[k - 1]
        tables.append(tuple(best))
    tables.reverse()  # tables[start] is order[start:]
    return tables


MAX_REACH_BLOCS = 6
"""`suffix_reach` tries every choice of blocs up to this many; with more it sums standalone coverages."""


def _standalone_reach(ctx: Context, order: Sequence[int], max_size: int) -> list[tuple[float, ...]]:
    """Index start, then m: the sum of the m largest standalone coverages in order[start:]."""
    top: list[float] = []
    tables: list[tuple[float, ...]] = [(0.0,)]
    for actor in reversed(order):
        bisect.insort(top, -ctx.actor_values[actor])
        del top[max_size:]
        tables.append(tuple(accumulate((-v for v in top), initial=0.0)))
    tables.reverse()
    return tables


def own_bound(ctx: Context, node: Node) -> float:
    """An upper bound on the score of exactly this set (no further members): nearly its score."""
    total = 0.0
    for criterion in REGISTRY:
        value = criterion.base(ctx, node, node.size, None, node.spread)
        total += ctx.weights[criterion.NAME] * (value if value < 1.0 else 1.0)
    return total / ctx.weight_total if ctx.weight_total > 0 else 0.0
