"""What every criterion module provides, and the scored result it returns.

A criterion is a module with:

- `NAME`: its key in `--weight` and in the JSON;
- `score(ctx, arch, explain) -> Scored`: a value in [0, 1] with plain-language reasons and sources;
- `gain(ctx, actor) -> float`: an upper bound on how much adding `actor` can raise the score of any set;
- `base(ctx, node, size, remaining, span) -> float`: an upper bound on the score of any superset of
  `node` with `size` members whose ideal points span at least `span`, before the added members' gains;
- `SIZE_DEPENDENT`: whether `base` depends on `size` (if not, the search calls it once per node);
  a size-dependent criterion may also provide `base_by_size(ctx, node, sizes, span) -> list[float]`,
  the same values for a range of sizes in one call (the search's hot path);
- optionally `gain_beside(ctx, actor, covered) -> float`: a gain bound valid for any set whose atomic
  units include the bitmask `covered` (the search uses it below a node that holds a bloc);
- optionally `single_bound(ctx, node, actor, size) -> float` (size-dependent criteria): an upper bound
  for exactly node + {actor}, at most its `base` at that size (the search's filter of single additions);
- optionally `summarise(ctx, order) -> list`: a summary of the candidates still available at each
  position of the search order (`remaining` is `summary[i]`, or None when the criterion has none).

For every set S, every addition A drawn from the remaining candidates and n = |S| + |A|:
    score(S u A) <= min(1, base(S, n, remaining) + sum of gain(a) for a in A).
The search relies on that inequality and nothing else, so a new criterion only has to keep it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from coalesce.architecture import Architecture
from coalesce.coalition import Node
from coalesce.compiled import Context


@dataclass(frozen=True)
class Scored:
    """A criterion's verdict on one architecture."""

    value: float
    rationale: str = ""
    sources: tuple[str, ...] = ()
    details: dict[str, object] = field(default_factory=dict)


class Criterion(Protocol):
    """The interface of a criterion module."""

    NAME: str

    def score(self, ctx: Context, arch: Architecture, explain: bool) -> Scored: ...

    def gain(self, ctx: Context, actor: int) -> float: ...

    def base(self, ctx: Context, node: Node, size: int, remaining: object, span: float) -> float: ...


def name_list(ctx: Context, actors: list[int] | tuple[int, ...]) -> str:
    """Codes joined for a rationale."""
    return ", ".join(ctx.codes[a] for a in actors) if actors else "none"
