"""The bounds for the supersets that reach capability's target (bounds._reaching, veto.reaching_consensus)
and the institution rule's bound, against brute force on random worlds.

`_reaching` relaxes the coverage the additions must bring with a Lagrange multiplier; veto's
`reaching_bound` does the same for the consensus product. Under consensus and legitimacy at weight 1,
for every node of up to two candidates and every search position, the node bound holds for every
superset, and every call of veto's hook is checked on the spot against every set of additions it
covers (property 7 of criteria/base.py). The institution rule (a weighted vote of the whole
institution, which the random worlds do not draw) gets the same node check.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from typing import Any

from conftest import WorldSpec, examples, world_specs, write_world
from hypothesis import assume, given, note
from hypothesis import strategies as st

from coalesce import architecture, problem
from coalesce.coalition import Node
from coalesce.compiled import Context
from coalesce.criteria import parsimony, veto
from coalesce.criteria.base import Reaching
from coalesce.criteria.capability import TOLERANCE
from coalesce.loading.files import load_dataset
from coalesce.request import build_request
from coalesce.search.bounds import LAMBDAS_GAIN, Bounds, _lagrangian
from coalesce.search.branch import _value


def _with_rule(spec: WorldSpec, rule: dict[str, Any]) -> WorldSpec:
    issues = copy.deepcopy(spec.issues)
    issues["issues"][0]["decision_rule"] = rule
    return WorldSpec(spec.states, issues, spec.issue_id, spec.codes, spec.aligned)


def _context(spec: WorldSpec, legitimacy: float) -> Context:
    stated = spec.issues["issues"][0].get("weights", {})
    # an issue that weighs legitimacy alone has no positive weight left at legitimacy 0 (a usage error)
    assume(legitimacy > 0 or any(v for name, v in stated.items() if name != "legitimacy"))
    ds = load_dataset(write_world(spec.states, spec.issues))
    request = build_request(ds, spec.issue_id, min_size=1, weights={"legitimacy": legitimacy})
    return problem.compile(ds, request).context


def _veto_score(ctx: Context, members: tuple[int, ...]) -> float:
    return veto.CRITERION.score(ctx, architecture.build(ctx, members), False).value


def _checked_hook(ctx: Context, bounds: Bounds, calls: list[int]) -> None:
    """Replace veto's reaching hook in `bounds` by one that checks each answer by brute force."""
    v = next(i for i, c in enumerate(bounds.criteria) if c.NAME == "veto")
    original = bounds.reaching_by[v]
    assert original is not None

    def checked(ctx_: Any, node: Node, reaching: Reaching, extras: range) -> list[float] | None:
        answer = original(ctx_, node, reaching, extras)
        if answer is None:
            return None
        calls.append(1)
        allowed = [a for a in ctx.candidates if reaching.allowed(a)]
        for extra, bound in zip(extras, answer, strict=True):
            for added in itertools.combinations(allowed, extra):
                if sum(reaching.cover_of(a) for a in added) < reaching.short:
                    continue
                members = tuple(sorted((*node.members, *added)))
                value = _veto_score(ctx, members)
                note(f"node {node.members} added {added}: {value} against {bound}")
                assert value <= bound + 1e-9
        return answer

    bounds.reaching_by[v] = checked


def _check_node_bounds(ctx: Context, bounds: Bounds) -> int:
    order, checked = bounds.order, 0
    for k in range(3):
        for picked in itertools.combinations(order, k):
            node = Node.of(ctx, tuple(sorted((*ctx.forced, *picked))))
            for start in range(len(order) + 1):
                sizes = bounds.sizes(node, start, 1)
                if not sizes:
                    continue
                bound = bounds.bound(node, start, sizes)
                rest = [a for a in order[start:] if a not in node.members]
                for extra in range(1, len(rest) + 1):
                    if node.size + extra not in sizes:
                        continue
                    for added in itertools.combinations(rest, extra):
                        members = tuple(sorted((*node.members, *added)))
                        value = _value(ctx, members)
                        note(f"node {node.members} start {start} added {added}")
                        assert value <= bound + 1e-9, (value, bound)
                        checked += 1
    return checked


@given(spec=world_specs(max_states=7), legitimacy=st.sampled_from([1.0, 3.0]))
@examples(30)
def test_reaching_bounds_hold_under_consensus(spec: WorldSpec, legitimacy: float) -> None:
    ctx = _context(_with_rule(spec, {"kind": "consensus"}), legitimacy)
    bounds = Bounds(ctx)
    calls: list[int] = []
    _checked_hook(ctx, bounds, calls)
    checked = _check_node_bounds(ctx, bounds)
    assert checked > 0 or len(bounds.order) < 2
    HOOK_CALLS.extend(calls)


HOOK_CALLS: list[int] = []
"""Every checked call of veto's hook in the test above (the next test reads it)."""


def test_the_hook_was_checked_on_the_random_worlds() -> None:
    if not HOOK_CALLS:  # run alone (-k): the random worlds again, counted here
        test_reaching_bounds_hold_under_consensus()
    assert len(HOOK_CALLS) > 20


@given(
    spec=world_specs(max_states=7),
    quota=st.sampled_from([0.05, 0.1, 0.2, 0.34, 0.5]),
)
@examples(25)
def test_node_bound_holds_under_an_institution_vote(spec: WorldSpec, quota: float) -> None:
    domain = next(iter(spec.issues["issues"][0]["domains"]))
    rule = {"kind": "weighted", "field": f"capabilities.{domain}.share", "quota": quota, "of": "institution"}
    ctx = _context(_with_rule(spec, rule), 1.0)
    checked = _check_node_bounds(ctx, Bounds(ctx))
    assert checked > 0 or len(Bounds(ctx).order) < 2


def test_the_reaching_hook_is_met_and_sharper_on_the_shipped_data() -> None:
    # ai-governance: without China the United States must take Taiwan, Korea and the EU to reach
    # the target in three additions, and Taiwan accepts a US text far less than the best ally does
    ds = load_dataset()
    request = build_request(ds, "ai-governance", max_size=20, weights={"legitimacy": 1.0})
    ctx = problem.compile(ds, request).context
    bounds = Bounds(ctx)
    usa = ctx.index["USA"]
    node = Node.of(ctx, (usa,))
    start = bounds.order.index(ctx.index["CHN"]) + 1
    short = ctx.issue.target - TOLERANCE - node.coverage
    assert short > 0
    by_cover = sorted((a for a in bounds.order[start:]), key=lambda a: -ctx.actor_values[a])[:3]
    reaching = Reaching(
        lambda a: bounds.position[a] >= start and a != usa,
        lambda a: min(short, ctx.actor_values[a]),
        by_cover,
        min(short, sorted(ctx.actor_values[a] for a in bounds.order[start:])[-4]),
        short,
    )
    sharp = veto.reaching_consensus(ctx, (usa,), reaching, range(3, 4))[0]
    plain = veto.consensus_bound(ctx, (usa,), 3)
    # Sharper, though not by half since the initiator drafts (issue 15): the lead may be any convener
    # who sits in the core, so each added member's bound is its best acceptance of such a draft too.
    assert sharp < plain * 0.95
    twn, kor, eu = (ctx.index[c] for c in ("TWN", "KOR", "EU"))
    assert _veto_score(ctx, tuple(sorted((usa, twn, kor, eu)))) <= sharp


def _situations(ctx: Context, bounds: Bounds) -> Iterator[tuple[Node, int, range, list[int]]]:
    """Every node of up to two candidates, every search position with final sizes left: (node,
    position, sizes, the candidates left to add)."""
    order = bounds.order
    for k in range(3):
        for picked in itertools.combinations(order, k):
            node = Node.of(ctx, tuple(sorted((*ctx.forced, *picked))))
            for start in range(len(order) + 1):
                sizes = bounds.sizes(node, start, 1)
                if sizes:
                    yield node, start, sizes, [a for a in order[start:] if a not in node.members]


def _supersets(node: Node, rest: list[int], size: int) -> Iterator[tuple[int, ...]]:
    """Every superset of `node` of `size` members adding candidates from `rest`."""
    for added in itertools.combinations(rest, size - node.size):
        note(f"node {node.members} added {added}")
        yield tuple(sorted((*node.members, *added)))


@given(spec=world_specs(max_states=7), legitimacy=st.sampled_from([0.0, 1.0, 3.0]))
@examples(40)
def test_the_riders_split_alone_holds_for_every_superset(spec: WorldSpec, legitimacy: float) -> None:
    """bounds._riders on its own (the node bound takes the least of several): for every node of up to
    two candidates and every position, at least the value of every superset at every size."""
    ctx = _context(spec, legitimacy)
    bounds = Bounds(ctx)
    checked = 0
    for node, start, sizes, rest in _situations(ctx, bounds):
        fixed, growing = bounds.unsized_values(node, start)
        tables = bounds.tables_at(node)
        if bounds.must_miss(node, start, sizes[-1]):
            penalty, reach = 1.0, None
        else:
            penalty, reach = 0.0, bounds._reach_left(node, start)
        for size in sizes:
            bound = bounds._riders(node, start, range(size, size + 1), fixed, growing, tables, penalty, reach)
            for members in _supersets(node, rest, size):
                assert _value(ctx, members) <= bound + 1e-9
                checked += 1
    assert checked > 0 or len(bounds.order) < 2


def _parsimony_score(ctx: Context, members: tuple[int, ...]) -> float:
    return parsimony.CRITERION.score(ctx, architecture.build(ctx, members), False).value


@given(spec=world_specs(max_states=7), legitimacy=st.sampled_from([0.0, 1.0, 3.0]))
@examples(40)
def test_the_fewest_riders_bound_parsimony_of_every_superset(spec: WorldSpec, legitimacy: float) -> None:
    """bounds._fewest_riders (parsimony when at most |N| additions are not riders, used by the reaching
    split): at every final size, at least parsimony's score of every superset adding members from the
    positions left. (Breaking it, say crediting one more exemption or one fewer non-rider, fails here.)"""
    ctx = _context(spec, legitimacy)
    bounds = Bounds(ctx)
    checked = 0
    for node, start, sizes, rest in _situations(ctx, bounds):
        for size, cap in zip(sizes, bounds._fewest_riders(node, start, sizes), strict=True):
            for members in _supersets(node, rest, size):
                assert _parsimony_score(ctx, members) <= cap + 1e-9
                checked += 1
    assert checked > 0 or len(bounds.order) < 2


@given(spec=world_specs(max_states=7), legitimacy=st.sampled_from([0.0, 1.0, 3.0]))
@examples(40)
def test_the_reaching_split_alone_holds_for_every_superset(spec: WorldSpec, legitimacy: float) -> None:
    """bounds._reaching on its own (the node bound takes the least of several), at the issue's own rule:
    for every node of up to two candidates and every position where the target is still to reach, at
    least the value of every superset at every size it covers (those that miss it are worth at most
    their total less the penalty, which `_reaching` returns as its floor)."""
    ctx = _context(spec, legitimacy)
    bounds = Bounds(ctx)
    checked = 0
    for node, start, sizes, rest in _situations(ctx, bounds):
        reach = bounds._reach_left(node, start)
        if reach is None or bounds.must_miss(node, start, sizes[-1]):
            continue
        fixed, growing = bounds.unsized_values(node, start)
        tables = bounds.tables_at(node)
        for size in sizes:
            bound = bounds._reaching(node, start, range(size, size + 1), fixed, growing, tables, reach)
            for members in _supersets(node, rest, size):
                assert _value(ctx, members) <= bound + 1e-9
                checked += 1
    REACHING_CHECKS.append(checked)


REACHING_CHECKS: list[int] = []
"""Supersets checked per example in the test above (many random worlds have no reachable target)."""


def test_the_reaching_split_was_checked_on_the_random_worlds() -> None:
    if not REACHING_CHECKS:  # run alone (-k): the random worlds again, counted here
        test_the_reaching_split_alone_holds_for_every_superset()
    assert sum(1 for c in REACHING_CHECKS if c > 0) >= 5


@given(
    rows=st.lists(
        st.tuples(st.sampled_from([0.0, 0.2, 0.4]), st.floats(0.0, 0.3), st.integers(-1, 2)),
        min_size=1,
        max_size=7,
    ),
    short=st.floats(0.01, 0.5),
)
def test_the_class_counted_lagrangian_bounds_every_reaching_choice(
    rows: list[tuple[float, float, int]], short: float
) -> None:
    """bounds._lagrangian with classes: for every e and every e candidates whose covers reach `short`, at least
    their gains counted once per class (property 8 of criteria/base.py), by brute force."""
    values, covers, classes = (list(x) for x in zip(*rows, strict=True))
    top = len(rows)
    limit = _lagrangian(values, covers, (0.0, 0.0, 0), short, top, LAMBDAS_GAIN, max(values), classes)
    for e in range(1, top + 1):
        for chosen in itertools.combinations(range(top), e):
            if sum(covers[i] for i in chosen) < short:
                continue
            classed = {classes[i] for i in chosen if classes[i] >= 0}
            counted = sum(values[i] for i in chosen if classes[i] < 0) + sum(
                max(values[i] for i in chosen if classes[i] == k) for k in classed
            )
            note(f"chosen {chosen}")
            assert counted <= limit[e] + 1e-9
