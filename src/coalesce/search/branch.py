"""The branching: depth-first enumeration of the candidate sets, the greedy seed, and `top_k`.

Candidates are ordered by their combined optimistic gain. A depth-first search adds them one at a time:
at each node it checks every single addition in one pass, then enumerates the sets with two or more
additions by their first one. A branch is cut when its bound (bounds.py) falls below the K-th best score
found, so when the search finishes the top K is certified. With a budget (budget.py) the search may stop
early; it then reports the best found and the largest bound still open, whose difference from the K-th
best is the optimality gap.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from coalesce.coalition import Node
from coalesce.criteria.capability import MISS_PENALTY, TOLERANCE, misses, reachable
from coalesce.scoring import evaluate
from coalesce.search.bounds import STRETCH_LEVELS, Bounds
from coalesce.search.budget import CHECK_EVERY, Budget
from coalesce.search.ranking import Found, SearchOutcome, TopK

if TYPE_CHECKING:
    from coalesce.compiled import Context

EPSILON = 1e-9
"""A branch is cut when its bound is below the K-th best less this."""
POLISH_ROUNDS = 8
"""The local search (`polish`) restarts from a new best at most this many times."""
SEED_WIDTH = 48
"""The greedy seed looks at this many of the most promising candidates at each step."""


class _Search(Bounds):
    def __init__(self, ctx: Context, k: int, budget: Budget) -> None:
        super().__init__(ctx)
        self.k = k
        self.budget = budget
        self.top = TopK(ctx, k)
        self.nodes = 0
        self.checked = 0
        """Single additions that passed the cheap filter (the time is checked every CHECK_EVERY)."""
        self.timed_out = False
        self.offered: dict[tuple[int, ...], float] = {}
        self.seeds: tuple[tuple[int, ...], ...] = ()
        self.greedy = True

    def kth(self) -> float:
        """The K-th best score so far (-inf until K sets are known)."""
        return self.top.kth()

    def offer(self, members: tuple[int, ...]) -> float:
        """Evaluate a set exactly and keep it if it belongs in the top K; returns its value (the score,
        less the miss penalty when it misses a reachable target)."""
        canonical = tuple(sorted(members))
        if canonical in self.offered:
            return self.offered[canonical]
        evaluation = evaluate(self.ctx, canonical)
        found = Found(evaluation.total, canonical, misses(self.ctx, evaluation.arch.node.coverage))
        self.offered[canonical] = found.value
        self.top.push(found)
        return found.value

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
                    self.offer(child.members) if child.size >= self.min_size else _value(ctx, child.members)
                )
                if total > best_total:
                    best_total, best_child = total, child
            if best_child is None:
                return
            current = best_child

    def seed_reaching(self, root: Node) -> None:
        """Sets that reach a reachable target, offered early so the threshold does not leave the K-th
        best at a missing set's penalised value: from the root and from each of the most promising
        candidates, add the candidate with the largest marginal coverage until the target is reached.
        This changes speed, never the result."""
        ctx = self.ctx
        if not reachable(ctx):
            return
        target = ctx.issue.target - TOLERANCE
        pool = sorted(self.order, key=lambda a: (-ctx.actor_values[a], a))[: 4 * SEED_WIDTH]
        for first in (None, *self.order[:SEED_WIDTH]):
            if self._past_deadline():
                return
            node = root if first is None else root.add(ctx, first)
            while node.coverage < target and node.size < self.max_size:
                inside = set(node.members)
                best, best_gain = None, 0.0
                for actor in pool:
                    if actor in inside:
                        continue
                    gain = ctx.mask_value(ctx.unit_masks[actor] & ~node.mask)
                    if gain > best_gain:
                        best, best_gain = actor, gain
                if best is None:
                    break
                node = node.add(ctx, best)
            if node.coverage >= target and self.min_size <= node.size <= self.max_size:
                self.offer(node.members)

    def polish(self) -> None:
        """Local search on the best set found so far, so the exact search prunes by a better K-th best:
        every set one addition, one removal or one swap away from it is a candidate, and those whose
        bound reaches the K-th best are evaluated (`singles` on the set and on the set less each
        member). Repeated from the new best while it improves, at most POLISH_ROUNDS times. Deterministic
        and counted in the work budget; it changes speed, never the result of a finished search."""
        ctx, forced = self.ctx, set(self.ctx.forced)
        tried: set[tuple[int, ...]] = set()
        for _ in range(POLISH_ROUNDS):
            ranked = self.top.ranked()
            if not ranked or ranked[0].members in tried:
                return
            best = ranked[0]
            tried.add(best.members)
            members = best.members
            inside = frozenset(members)
            if self._past_deadline() or self._out_of_work():
                return
            if self.singles(Node.of(ctx, members), 0, inside) is not None:
                return
            for m in members:
                if m in forced:
                    continue
                rest = tuple(x for x in members if x != m)
                if len(rest) >= self.min_size and rest:
                    self.offer(rest)
                if self.singles(Node.of(ctx, rest), 0, inside) is not None:
                    return

    def _out_of_work(self) -> bool:
        return self.budget.out_of_work(self.nodes, self.checked, len(self.offered))

    def _past_deadline(self) -> bool:
        return self.budget.past_deadline()

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
        # The sets that reach the target are seeded (under capability's threshold a seed that misses it
        # leaves the search nothing to cut by). Given seeds (robustness passes the unperturbed winners),
        # the greedy pass is skipped unless a seed misses a reachable target.
        # Given seeds of which the best already reaches it (robustness's draws, seeded with the
        # unperturbed winners), the threshold is not left at a penalised value: the reaching pass is
        # skipped too (it evaluated up to SEED_WIDTH sets per draw, a third of a draw's time).
        seeded = bool(self.seeds) and bool(self.top.heap) and not any(f.missed for f in self.top.ranked())
        if self.greedy or not seeded:
            self.seed_reaching(root)
        if self.greedy or not self.top.heap or any(found.missed for found in self.top.ranked()):
            self.seed(root)
        if self.greedy:
            self.polish()
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
            out_of_nodes = self.budget.out_of_nodes(self.nodes) or self._out_of_work()
            out_of_time = self.nodes % CHECK_EVERY == 0 and self.budget.past_deadline()
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

    def singles(self, node: Node, start: int, skip: frozenset[int] = frozenset()) -> int | None:
        """Offer every set node + {a} for a in order[start:] (not in `skip`, nor in the node) whose bound
        reaches the K-th best.

        A cheap first filter adds each candidate's own gains to the node's values, with the size-dependent
        criteria at the node's spread (spread only grows); the survivors get their exact own bound.
        Returns the position reached if the time limit struck first, else None.
        """
        size = node.size + 1
        if not self.min_size <= size <= self.max_size:
            return None
        ctx, weights, order = self.ctx, self.weights, self.order
        end = len(order)
        fixed, unsized = self.unsized_values(node, start)
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
                total += weights[c] * min(1.0, self.sized_values(c, node, sized, span)[0])
            by_level.append(total)
        # Criteria that can bound exactly node + {a} refine the filter for candidates that pass it.
        refine = [
            (weights[c], min(1.0, self.sized_values(c, node, sized, node.spread)[0]), single)
            for c, single in self.singles_by
        ]
        low, high, alignment = node.amin, node.amax, ctx.alignment
        reach_bar = ctx.issue.target - TOLERANCE - node.coverage if reachable(ctx) else None
        for position in range(start, end):
            actor = order[position]
            if skip and actor in skip:
                continue
            level = 0
            if node.members:
                a = alignment[actor]
                stretch = (low - a if a < low else 0.0) + (a - high if a > high else 0.0)
                while STRETCH_LEVELS[level] < stretch:
                    level += 1
            total = fixed + by_level[level]
            if reach_bar is not None and reach_bar > 0.0 and ctx.actor_values[actor] < reach_bar:
                total -= MISS_PENALTY  # node + {actor} misses the reachable target (coverage is subadditive)
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


def _value(ctx: Context, members: tuple[int, ...]) -> float:
    """A set's total, less the miss penalty when it misses a reachable target (what the search orders by)."""
    evaluation = evaluate(ctx, members)
    missed = misses(ctx, evaluation.arch.node.coverage)
    return evaluation.total - MISS_PENALTY if missed else evaluation.total


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
    search = _Search(ctx, k, Budget(time_limit, node_limit, work_limit))
    search.seeds = seeds
    search.greedy = greedy
    open_bound = search.run()
    ranked = search.top.ranked()
    kth = ranked[-1].value if len(ranked) >= k else 0.0
    gap = max(0.0, open_bound - kth) if search.timed_out else 0.0
    return SearchOutcome(
        results=tuple(ranked),
        exact=not search.timed_out,
        gap=gap,
        nodes=search.nodes,
        seconds=time.perf_counter() - began,
        timed_out=search.timed_out,
    )
