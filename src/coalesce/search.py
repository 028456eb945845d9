"""Exact top-K search by branch and bound, generic over the criteria's bounds.

Candidates are ordered by their combined optimistic gain. A depth-first search adds them one at a time:
at each node it checks every single addition in one pass, then enumerates the sets with two or more
additions by their first one. The bound is, for every reachable final size n,

    sum over criteria of  weight * min(1, base(S, n) + the largest (n - |S|) gains left in the suffix)

and a branch is cut when its bound falls below the K-th best score found. The properties each criterion
promises (criteria/base.py) makes the cut safe, so when the search finishes the top K is certified.
With a time limit the search may stop early; it then reports the best found and the largest bound still
open, whose difference from the K-th best is the optimality gap.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice
from typing import TYPE_CHECKING, cast

from coalesce.coalition import Node
from coalesce.criteria.base import overrides
from coalesce.criteria.registry import REGISTRY
from coalesce.scoring import evaluate

if TYPE_CHECKING:
    from coalesce.compiled import Context

EPSILON = 1e-9
CHECK_EVERY = 64
CHECKS_PER_NODE = 8
"""A single addition checked costs about an eighth of a node (measured on the shipped issues)."""
STRETCH_LEVELS = (0.0, 0.5, 1.0, 2.0, float("inf"))
"""How far additions may stretch the members' ideal-point range, in buckets (see `bound`)."""
SEED_WIDTH = 48
"""The greedy seed looks at this many of the most promising candidates at each step."""
DEFAULT_WORK_LIMIT = 250_000
"""The work budget of a search given no time, node or work limit: no search anywhere is unbounded.
About a minute on one core; every search the shipped data runs today needs well under a tenth of it."""


@dataclass(frozen=True)
class Found:
    """One ranked member set."""

    score: float
    members: tuple[int, ...]


@dataclass(frozen=True)
class SearchOutcome:
    """The certified (or best-found) top K and how the search went."""

    results: tuple[Found, ...]
    exact: bool
    gap: float
    """Largest open bound minus the K-th best score (0 when exact)."""
    nodes: int
    seconds: float
    timed_out: bool


def _rank_key(found: Found, ctx: Context) -> tuple[float, int, tuple[str, ...]]:
    # Best score first; ties go to the smaller group, then to the alphabetically first codes.
    return (-found.score, len(found.members), tuple(ctx.codes[m] for m in found.members))


@dataclass(frozen=True)
class _Tables:
    """Per-criterion gains and the suffix summaries built from them."""

    gains: list[list[float]]
    suffix_tops: dict[int, list[list[float]]]
    by_gain: dict[int, list[tuple[int, float, float]]]


class _Search:
    def __init__(self, ctx: Context, k: int, time_limit: float | None) -> None:
        self.ctx = ctx
        self.k = k
        self.deadline = None if time_limit is None else time.perf_counter() + time_limit
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
        self.unsized = [i for i, c in enumerate(self.criteria) if not c.SIZE_DEPENDENT]
        # Optional hooks, resolved once: the hot path never asks a criterion what it provides.
        self.keyed = [(i, c) for i, c in enumerate(self.criteria) if overrides(c, "gain_key")]
        self.ceilings = [c.ceiling if overrides(c, "ceiling") else None for c in self.criteria]
        self.singles_by = [
            (i, c.single_bound)
            for i, c in enumerate(self.criteria)
            if c.SIZE_DEPENDENT and overrides(c, "single_bound")
        ]
        self._set_order(sorted(ctx.candidates, key=lambda a: (-combined[a], ctx.codes[a])))
        self.heap: list[tuple[tuple[float, int, tuple[str, ...]], Found]] = []
        self._kth = float("-inf")
        self.nodes = 0
        self.checked = 0
        """Single additions that passed the cheap filter (the time is checked every CHECK_EVERY)."""
        self.timed_out = False
        self.offered: dict[tuple[int, ...], float] = {}
        self.seeds: tuple[tuple[int, ...], ...] = ()
        self.greedy = True
        self.node_limit: int | None = None
        self.work_limit: int | None = None
        """Stop once the work done exceeds this: nodes, single additions checked (CHECKS_PER_NODE to a
        node) and sets fully evaluated (one each); deterministic, like node_limit."""

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
        self.keyed_tables: dict[tuple[Hashable, ...], _Tables] = {}
        self.keyed_gains: dict[tuple[int, Hashable], list[float]] = {}
        self.summaries: list[Sequence[object] | None] = [c.summarise(ctx, self.order) for c in self.criteria]

    def _tables_for(self, gains: list[list[float]]) -> _Tables:
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
        return _Tables(gains, suffix_tops, by_gain)

    def tables_at(self, node: Node) -> _Tables:
        """The gain tables valid below `node`, for the keys its aggregates give (property 2)."""
        if not self.keyed:
            return self.tables
        ctx = self.ctx
        key = tuple(c.gain_key(ctx, node) for _, c in self.keyed)
        found = self.keyed_tables.get(key)
        if found is None:
            found = self._keyed(key)
        return found

    def _keyed(self, key: tuple[Hashable, ...]) -> _Tables:
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

    # -- ranking -------------------------------------------------------------------------------------
    def kth(self) -> float:
        """The K-th best score so far (-inf until K sets are known)."""
        return self._kth

    def _update_kth(self) -> None:
        if len(self.heap) >= self.k:
            self._kth = max(self.heap, key=lambda item: item[0])[1].score

    def offer(self, members: tuple[int, ...]) -> float:
        """Evaluate a set exactly and keep it if it belongs in the top K; returns its score."""
        canonical = tuple(sorted(members))
        if canonical in self.offered:
            return self.offered[canonical]
        found = Found(evaluate(self.ctx, canonical).total, canonical)
        self.offered[canonical] = found.score
        key = _rank_key(found, self.ctx)
        if len(self.heap) < self.k:
            self.heap.append((key, found))
            self._update_kth()
            return found.score
        worst_index = max(range(len(self.heap)), key=lambda i: self.heap[i][0])
        if key < self.heap[worst_index][0]:
            self.heap[worst_index] = (key, found)
            self._update_kth()
        return found.score

    # -- bounds --------------------------------------------------------------------------------------
    def bound(self, node: Node, start: int, sizes: range, threshold: float | None = None) -> float:
        """Upper bound on any superset of node using order[start:], with final size in `sizes`.

        First the plain bound (the largest remaining gains, the node's own spread). Unless it is already
        below `threshold`, it is refined: additions are bucketed by how far each would stretch the
        members' ideal-point range. If the final range grows by between two consecutive levels, only
        candidates within the upper level can be in the set, and the size-dependent criteria see at least
        the lower level's extra spread. The refined bound is the best case over levels and sizes.
        """
        fixed, growing = self._unsized(node, start)
        tables = self.tables_at(node)
        plain = [(0.0, {c: tables.suffix_tops[c][start] for c, _, _, _ in growing})]
        best = self._best_over(node, sizes, fixed, growing, plain)
        max_extra = sizes[-1] - node.size if sizes else 0
        if (threshold is not None and best < threshold) or node.size == 0 or max_extra <= 0 or not growing:
            return best
        levels = self._stretch_levels(node, start, [c for c, _, _, _ in growing], max_extra, tables)
        return self._best_over(node, sizes, fixed, growing, levels)

    def _best_over(
        self,
        node: Node,
        sizes: range,
        fixed: float,
        growing: list[tuple[int, float, float, float]],
        levels: list[tuple[float, dict[int, list[float]]]],
    ) -> float:
        """The bound's best case over stretch levels and final sizes."""
        weights = self.weights
        max_extra = sizes[-1] - node.size if sizes else 0
        best = float("-inf")
        size_now = node.size
        previous: dict[int, list[float]] | None = None
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
            span = node.spread + span_floor
            # Past `saturation` extra members the gains stop growing, and the size-dependent criteria
            # only fall, so larger sizes cannot do better.
            last = min(sizes[-1], size_now + saturation) if sizes else size_now
            window = range(sizes[0], max(sizes[0], last) + 1) if sizes else sizes
            # The same node is bounded again for each next position; its size-dependent values repeat.
            memo = node.memo
            if memo is None:
                memo = node.memo = {}
            key = (window.start, window.stop, span_floor)
            sized_values = cast("list[list[float]] | None", memo.get(key))
            if sized_values is None:
                sized_values = [self._sized(c, node, window, span) for c in self.sized]
                memo[key] = sized_values
            for position, size in enumerate(window):
                extra = size - size_now
                total = fixed
                for c, weight, value, cap in growing:
                    v = value + padded[c][extra]
                    total += weight * (v if v < cap else cap)
                for c, values in zip(self.sized, sized_values, strict=True):
                    v = values[position]
                    total += weights[c] * (v if v < 1.0 else 1.0)
                if total > best:
                    best = total
        return best

    def _unsized(self, node: Node, start: int) -> tuple[float, list[tuple[int, float, float, float]]]:
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

    def _sized(self, c: int, node: Node, sizes: range, span: float) -> list[float]:
        return self.criteria[c].base_by_size(self.ctx, node, sizes, span)

    def _stretch_levels(
        self, node: Node, start: int, criteria: list[int], max_extra: int, tables: _Tables
    ) -> list[tuple[float, dict[int, list[float]]]]:
        """For each stretch level: (least extra spread, per criterion the prefix sums of the best gains
        among remaining candidates whose own stretch of the members' range is within the level)."""
        low, high = node.amin, node.amax
        out: list[tuple[float, dict[int, list[float]]]] = []
        for level, reach in enumerate(STRETCH_LEVELS):
            tops: dict[int, list[float]] = {}
            for c in criteria:
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

    def sizes(self, node: Node, start: int, at_least: int) -> range:
        """Final sizes reachable from node by adding at least `at_least` members from order[start:]."""
        low = max(self.min_size, node.size + at_least)
        high = min(self.max_size, node.size + len(self.order) - start)
        return range(low, high + 1)

    # -- search --------------------------------------------------------------------------------------
    def seed(self, root: Node) -> None:
        """Greedy forward selection to find good sets early, so the exact search can prune from the start.

        At each step the candidates are ranked by the bound of adding them alone; the most promising are
        evaluated exactly until the bound falls below the best evaluated, and the best becomes the base of
        the next step. Every evaluated set is offered to the top-K. This changes speed, never the result.
        """
        ctx, current = self.ctx, root
        while current.size < self.max_size and not self._past_deadline():
            inside = set(current.members)
            ranked = []
            for position, actor in enumerate(self.order[:SEED_WIDTH]):
                if actor in inside:
                    continue
                child = current.add(ctx, actor)
                ranked.append(
                    (self.bound(child, len(self.order), range(child.size, child.size + 1)), position, child)
                )
            if not ranked:
                return
            ranked.sort(key=lambda item: (-item[0], item[1]))
            best_total, best_child = float("-inf"), None
            for bound, _, child in ranked:
                if bound < best_total or (best_child is not None and bound < self.kth() - EPSILON):
                    break
                total = (
                    self.offer(child.members)
                    if child.size >= self.min_size
                    else evaluate(ctx, child.members).total
                )
                if total > best_total:
                    best_total, best_child = total, child
            if best_child is None:
                return
            current = best_child

    def _out_of_work(self) -> bool:
        if self.work_limit is None:
            return False
        return self.nodes + self.checked // CHECKS_PER_NODE + len(self.offered) > self.work_limit

    def _past_deadline(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline

    def run(self) -> float:
        """Search; returns the largest bound left open (or -inf when the search finished)."""
        ctx = self.ctx
        root = Node.of(ctx, ctx.forced)
        if self.min_size <= root.size <= self.max_size:
            self.offer(root.members)
        allowed = set(self.order) | set(ctx.forced)
        for members in self.seeds:
            if (
                set(members) <= allowed
                and set(ctx.forced) <= set(members)
                and self.min_size <= len(members) <= self.max_size
            ):
                self.offer(tuple(members))
        if self.greedy or not self.heap:
            self.seed(root)
        # Each stack item is (node, start, multi). With multi False it stands for every superset of node
        # with at least one member from order[start:]; its expansion checks each single addition in one
        # pass, then hands the rest to (node, start, True): the supersets with at least two more members,
        # whose first addition is at position start or later. Those are enumerated depth-first, one first
        # addition at a time, and cut as soon as the bound for the remaining positions falls below the
        # K-th best (the bound only falls as start grows).
        stack: list[tuple[Node, int, bool]] = [(root, 0, False)]
        while stack:
            node, start, multi = stack.pop()
            if node.size >= self.max_size or start >= len(self.order):
                continue
            self.nodes += 1
            out_of_nodes = (
                self.node_limit is not None and self.nodes > self.node_limit
            ) or self._out_of_work()
            out_of_time = (
                self.deadline is not None
                and self.nodes % CHECK_EVERY == 0
                and time.perf_counter() > self.deadline
            )
            if out_of_nodes or out_of_time:
                self.timed_out = True
                stack.append((node, start, multi))
                return max(self._open_bound(n, s, m) for n, s, m in stack)
            sizes = self.sizes(node, start, 2 if multi else 1)
            if not sizes:
                continue
            threshold = self.kth() - EPSILON
            if self.bound(node, start, sizes, threshold) < threshold:
                continue
            if multi:
                # First addition at `start`; the child must still take at least one more member.
                stack.append((node, start + 1, True))
                stack.append((node.add(ctx, self.order[start]), start + 1, False))
            else:
                stack.append((node, start, True))
                stopped = self.singles(node, start)
                if stopped is not None:  # out of time part-way: the unchecked singles stay open
                    self.timed_out = True
                    stack.append((node, stopped, False))
                    return max(self._open_bound(n, s, m) for n, s, m in stack)
        return float("-inf")

    def _open_bound(self, node: Node, start: int, multi: bool) -> float:
        sizes = self.sizes(node, start, 2 if multi else 1)
        return self.bound(node, start, sizes) if sizes and start < len(self.order) else float("-inf")

    def singles(self, node: Node, start: int) -> int | None:
        """Offer every set node + {a} for a in order[start:] whose bound reaches the K-th best.

        A cheap first filter adds each candidate's own gains to the node's values, with the size-dependent
        criteria at the node's spread (spread only grows); the survivors get their exact own bound.
        Returns the position reached if the time limit struck first, else None.
        """
        size = node.size + 1
        if not self.min_size <= size <= self.max_size:
            return None
        ctx, weights, order = self.ctx, self.weights, self.order
        end = len(order)
        fixed, unsized = self._unsized(node, start)
        below = self.tables_at(node).gains
        growing = [(weight, value, cap, below[c]) for c, weight, value, cap in unsized]
        sized = range(size, size + 1)
        # The size-dependent criteria per stretch level: a candidate that stretches the members' range
        # past one level widens the spread by at least that much (a lone first member stretches nothing).
        by_level = []
        for level in range(len(STRETCH_LEVELS)):
            span = node.spread + (STRETCH_LEVELS[level - 1] if level > 0 else 0.0)
            total = 0.0
            for c in self.sized:
                total += weights[c] * min(1.0, self._sized(c, node, sized, span)[0])
            by_level.append(total)
        # Criteria that can bound exactly node + {a} refine the filter for candidates that pass it.
        refine = [
            (weights[c], min(1.0, self._sized(c, node, sized, node.spread)[0]), single)
            for c, single in self.singles_by
        ]
        low, high, alignment = node.amin, node.amax, ctx.alignment
        for position in range(start, end):
            actor = order[position]
            level = 0
            if node.members:
                a = alignment[actor]
                stretch = (low - a if a < low else 0.0) + (a - high if a > high else 0.0)
                while STRETCH_LEVELS[level] < stretch:
                    level += 1
            total = fixed + by_level[level]
            for weight, value, cap, gains in growing:
                v = value + gains[actor]
                total += weight * (v if v < cap else cap)
            if total < self.kth() - EPSILON:
                continue
            for weight, loose, single in refine:
                sharper = single(ctx, node, actor, size)
                if sharper is not None:
                    total -= weight * (loose - min(1.0, sharper))
            if refine and total < self.kth() - EPSILON:
                continue
            self.checked += 1
            if (self.checked % CHECK_EVERY == 0 and self._past_deadline()) or self._out_of_work():
                return position
            child = node.add(ctx, actor)
            if self.bound(child, end, sized) >= self.kth() - EPSILON:
                self.offer(child.members)
        return None


def own_bound(ctx: Context, node: Node) -> float:
    """An upper bound on the score of exactly this set (no further members): nearly its score."""
    total = 0.0
    for criterion in REGISTRY:
        value = criterion.base(ctx, node, node.size, None, node.spread)
        total += ctx.weights[criterion.NAME] * (value if value < 1.0 else 1.0)
    return total / ctx.weight_total if ctx.weight_total > 0 else 0.0


def top_k(
    ctx: Context,
    k: int,
    time_limit: float | None = None,
    seeds: tuple[tuple[int, ...], ...] = (),
    greedy: bool = True,
    node_limit: int | None = None,
    work_limit: int | None = None,
) -> SearchOutcome:
    """The certified top-K member sets (or the best found within the time limit, with its gap).

    `seeds` are sets known to be good (say, yesterday's answer); they are scored first so the search
    can prune from the start. With seeds, the greedy pass may be skipped. Neither changes the result.
    `node_limit` stops the search after that many nodes, deterministically (unlike a time limit);
    `work_limit` likewise after that much work: nodes, single additions checked (CHECKS_PER_NODE to a
    node) and sets fully evaluated. With none of the three, the work limit is DEFAULT_WORK_LIMIT.
    """
    began = time.perf_counter()
    if time_limit is None and node_limit is None and work_limit is None:
        work_limit = DEFAULT_WORK_LIMIT
    search = _Search(ctx, k, time_limit)
    search.seeds = seeds
    search.greedy = greedy
    search.node_limit = node_limit
    search.work_limit = work_limit
    open_bound = search.run()
    ranked = sorted((found for _, found in search.heap), key=lambda f: _rank_key(f, ctx))
    kth = ranked[-1].score if len(ranked) >= k else 0.0
    gap = max(0.0, open_bound - kth) if search.timed_out else 0.0
    return SearchOutcome(
        results=tuple(ranked),
        exact=not search.timed_out,
        gap=gap,
        nodes=search.nodes,
        seconds=time.perf_counter() - began,
        timed_out=search.timed_out,
    )
