"""The ranking: ranked sets, the top-K kept so far, and the documented tie-break."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from coalesce.criteria.capability import MISS_PENALTY

if TYPE_CHECKING:
    from coalesce.compiled import Context


class Found(NamedTuple):
    """One ranked member set."""

    score: float
    members: tuple[int, ...]
    missed: bool = False
    """Whether it misses a target some group within the size limits reaches (capability's threshold)."""

    @property
    def value(self) -> float:
        """What the search orders by: the total, less MISS_PENALTY when the core misses the target."""
        return self.score - MISS_PENALTY if self.missed else self.score


class SearchOutcome(NamedTuple):
    """The certified (or best-found) top K and how the search went."""

    results: tuple[Found, ...]
    exact: bool
    gap: float
    """Largest open bound minus the K-th best score (0 when exact)."""
    nodes: int
    seconds: float
    timed_out: bool


RankKey = tuple[bool, float, int, tuple[str, ...]]


def rank_key(found: Found, ctx: Context) -> RankKey:
    """Cores that reach a reachable target first (capability's threshold), then the best score; ties go to
    the smaller group, then to the alphabetically first codes."""
    return (found.missed, -found.score, len(found.members), tuple(ctx.codes[m] for m in found.members))


class TopK:
    """The best K sets seen so far, by `rank_key`."""

    def __init__(self, ctx: Context, k: int) -> None:
        self.ctx = ctx
        self.k = k
        self.heap: list[tuple[RankKey, Found]] = []
        self._kth = float("-inf")

    def kth(self) -> float:
        """The K-th best value (score less any miss penalty) so far (-inf until K sets are known)."""
        return self._kth

    def push(self, found: Found) -> None:
        """Keep `found` if it belongs in the top K."""
        key = rank_key(found, self.ctx)
        if len(self.heap) < self.k:
            self.heap.append((key, found))
            self._update_kth()
            return
        worst_index = max(range(len(self.heap)), key=lambda i: self.heap[i][0])
        if key < self.heap[worst_index][0]:
            self.heap[worst_index] = (key, found)
            self._update_kth()

    def ranked(self) -> list[Found]:
        """The kept sets, best first."""
        return sorted((found for _, found in self.heap), key=lambda f: rank_key(f, self.ctx))

    def _update_kth(self) -> None:
        if len(self.heap) >= self.k:
            self._kth = max(self.heap, key=lambda item: item[0])[1].value
