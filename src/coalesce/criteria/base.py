"""The criterion contract: what a criterion declares, and every property the search relies on.

A criterion is one module holding one subclass of `Criterion` and an instance of it named
`CRITERION`; `criteria/registry.py` lists the instances. Everything else (the `Weights` and
`ModelParameters` models, the `--weight` help, the JSON Schema, the search's bounds, the tests in
`tests/criteria/`) is derived from the registry, so adding a criterion means one module, its data and
its goldens.

Declarations (class attributes):

- `NAME`: its key in `--weight`, in issues.yaml `weights:` and in the JSON output;
- `DEFAULT_WEIGHT`: its weight when an issue names none (0 ships a criterion without changing results);
- `SUMMARY`: one line for `--weight` help and the docs;
- `PARAMS`: its own parameter model (flat fields of issues.yaml `model:`; no name may clash with another
  criterion's or with `SharedParameters`);
- `SIZE_DEPENDENT`: whether `base` depends on the final size (see property 3);
- `AGGREGATES`: whether it keeps a running aggregate on each node (`start` and `aggregate`).

Lifecycle, in the order the engine calls it:

1. `compile(world, issue, actors)`: its own arrays, indexed like `actors` (code order); once per context.
   Robustness draws perturb capability shares and weights without recompiling, so arrays built from
   the shares belong in the shared context (`compiled.py`), not here.
2. `start(ctx)` / `aggregate(ctx, running, actor)`: its running aggregate on the empty node and on a node
   grown by one member (read back with `running(ctx, node)`). It must not depend on the order members were
   added in: reported scores use nodes built in code order, the search grows them in its own order.
3. `score(ctx, arch, explain)`: a value in [0, 1]; with `explain`, the reasons, sources and details.
4. Bounds, for the search: `gain`, `gains_given`, `gain_classes`, `base`, `base_by_size`, `ceiling`,
   `single_bound`, `reaching_bound`, `summarise`.

Properties the search relies on (tests/criteria/ checks 1-5 against brute force on random worlds). For
every node S, every set A of additions drawn from the candidates at or after the search position, and
n = |S| + |A|:

1. **Gain/base inequality.** score(S u A) <= min(ceiling(S, remaining), base(S, n, remaining, span) +
   the sum of g(a) for a in A), where g is `gains_given(ctx, gain_key(S))` (the static `gain` when the
   key is None) and `span` is any lower bound on the final ideal-point range.
2. **Gains read the aggregate only through the key.** `gains_given(key)[a] <= gain(a)` for every key, and
   a key computed at S stays valid for every superset of S (the gains it gives bound the marginal gain
   below S, not only at S).
3. **Size only hurts.** A size-dependent criterion has no gains (`gain` is 0), and its `base` never rises
   with n nor with `span`; the search stops growing a branch once the other criteria's gains saturate.
   A size-free criterion's `base` ignores `size` and `span`.
4. **Own bound.** base(S, |S|, None, spread(S)) >= score(S): the search also bounds a set by itself.
5. **Single additions.** For a size-dependent criterion, single_bound(S, a, |S| + 1) >= score(S + {a})
   and is at most base(S, |S| + 1, None, spread(S)); None means "no sharper bound".
6. **Range.** Values are in [0, 1]; the search clips bounds at 1.
7. **Reaching additions.** For a size-dependent criterion, reaching_bound(S, R, extras)[i] >= score(S u A)
   for every A of allowed candidates (`R.allowed`) with |A| = extras[i] whose covers (`R.cover_of`,
   each at least what that candidate adds to the node's coverage) sum to at least `R.short`; None means
   "no sharper bound" (the search uses it for the supersets that reach capability's target).
8. **Gain classes.** For a size-free criterion, with k = gain_key(S) and c = `gain_classes(ctx, k)`:
   score(S u A) <= base(S, n, remaining, span) + the sum of g(a) over the a in A with c[a] < 0 + for each
   class j >= 0 met in A, the largest g(a) of A's members of class j (g as in property 1): the gains of
   one class do not add up (legitimacy: the states that bring the same new region). None: no classes.

The engine resolves the optional hooks once per search (`overrides`); nothing is probed on the hot path.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Generic, NamedTuple, TypeVar, cast

from coalesce.models.base import Frozen

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.models.world import Actor, World
    from coalesce.shapes import ContextView, IssueView


class Reaching(NamedTuple):
    """What `reaching_bound` may read: the additions allowed, each one's cover (at least what it adds to
    the node's coverage, capped at the shortfall), the allowed candidates with the most standalone
    coverage (`by_cover`; every other allowed one covers at most `floor`) and the shortfall."""

    allowed: Callable[[int], bool]
    cover_of: Callable[[int], float]
    by_cover: Sequence[int]
    floor: float
    short: float


@dataclass(frozen=True)
class Scored:
    """A criterion's verdict on one architecture."""

    value: float
    rationale: str = ""
    sources: tuple[str, ...] = ()
    details: dict[str, object] = field(default_factory=dict)


class NoParameters(Frozen):
    """A criterion without parameters of its own."""


P = TypeVar("P", bound=Frozen)


class Criterion(ABC, Generic[P]):
    """One criterion's whole lifecycle. Subclass it in one module; see the module docstring."""

    NAME: ClassVar[str]
    DEFAULT_WEIGHT: ClassVar[float] = 1.0
    SUMMARY: ClassVar[str]
    PARAMS: ClassVar[type[Frozen]] = NoParameters
    SIZE_DEPENDENT: ClassVar[bool]
    AGGREGATES: ClassVar[bool] = False

    # -- lifecycle -------------------------------------------------------------------------------------
    def compile(self, world: World, issue: IssueView, actors: tuple[Actor, ...]) -> object:
        """Its own arrays for one (world, issue), indexed like `actors`; read back with `arrays`."""
        return None

    def params(self, ctx: ContextView) -> P:
        """Its own parameters, validated from the context's model parameters."""
        return cast("P", ctx.criterion_params[self.NAME])

    def arrays(self, ctx: ContextView) -> object:
        """What `compile` returned for this context."""
        return ctx.criterion_arrays[self.NAME]

    def start(self, ctx: ContextView) -> object:
        """The running aggregate of the empty node (only if AGGREGATES)."""
        return None

    def aggregate(self, ctx: ContextView, running: object, actor: int) -> object:
        """The running aggregate once `actor` joins (only if AGGREGATES); order-independent."""
        return running

    def running(self, ctx: ContextView, node: Node) -> object:
        """This criterion's running aggregate on `node`."""
        return node.aggregates[ctx.aggregate_slot[self.NAME]]

    @abstractmethod
    def score(self, ctx: ContextView, arch: Architecture, explain: bool) -> Scored:
        """A value in [0, 1]; with `explain`, plain-language reasons, sources and details."""

    # -- bounds (properties 1-6 of the module docstring) ------------------------------------------------
    @abstractmethod
    def gain(self, ctx: ContextView, actor: int) -> float:
        """An upper bound on how much adding `actor` can raise the score of any set."""

    def gain_key(self, ctx: ContextView, node: Node) -> Hashable:
        """What of `node`'s aggregate the gains below it depend on; None for the static gains."""
        return None

    def gains_given(self, ctx: ContextView, key: Hashable) -> list[float]:
        """Per actor, a gain bound valid below any node with this `gain_key` (at most `gain`)."""
        return [self.gain(ctx, a) for a in range(len(ctx.codes))]

    @abstractmethod
    def base(
        self, ctx: ContextView, node: Node, size: int, remaining: object = None, span: float = 0.0
    ) -> float:
        """An upper bound on any superset of `node` with `size` members, before the added gains."""

    def base_by_size(self, ctx: ContextView, node: Node, sizes: range, span: float) -> list[float]:
        """`base` for each size in `sizes` (size-dependent criteria override it for speed)."""
        return [self.base(ctx, node, size, None, span) for size in sizes]

    def ceiling(self, ctx: ContextView, node: Node, remaining: object) -> float:
        """The most this criterion can reach from `node` with the remaining candidates."""
        return 1.0

    def single_bound(self, ctx: ContextView, node: Node, actor: int, size: int) -> float | None:
        """A bound for exactly node + {actor} (size-dependent criteria), or None for none sharper."""
        return None

    def reaching_bound(
        self, ctx: ContextView, node: Node, reaching: Reaching, extras: range
    ) -> list[float] | None:
        """Per number of additions in `extras`, a bound for the supersets whose allowed additions bring
        at least the shortfall of coverage (property 7), or None for none sharper."""
        return None

    def gain_classes(self, ctx: ContextView, key: Hashable) -> Sequence[int] | None:
        """Per actor, its gain class below any node with this `gain_key` (-1 for none): the gains of one
        class's additions do not add up (property 8). None: every gain adds up."""
        return None

    def summarise(self, ctx: ContextView, order: Sequence[int]) -> Sequence[object] | None:
        """Per search position i, a summary of order[i:] passed to `base` and `ceiling` as `remaining`."""
        return None


def overrides(criterion: Criterion[Frozen], hook: str) -> bool:
    """Whether a criterion defines an optional hook itself (resolved once per search, never per node)."""
    return getattr(type(criterion), hook) is not getattr(Criterion, hook)


def name_list(ctx: ContextView, actors: list[int] | tuple[int, ...]) -> str:
    """Codes joined for a rationale."""
    return ", ".join(ctx.codes[a] for a in actors) if actors else "none"
