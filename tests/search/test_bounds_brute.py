"""The search's node bound (search/bounds.py, with the joint bound of the growing criteria and veto's
bounds that read the members) against brute force, with legitimacy at weight 1 as issue 12 asks.

On random small worlds, for every node of up to two candidates and every search position, the bound is
at least the value (score less the miss penalty) of every superset that adds members from the positions
left, at every final size the bound covers; and the search still returns the brute-force top K.
"""

from __future__ import annotations

import itertools

from conftest import WorldSpec, examples, world_specs, write_world
from hypothesis import given, note
from hypothesis import strategies as st
from test_search import brute_force

from coalesce import problem
from coalesce.coalition import Node
from coalesce.loading.files import load_dataset
from coalesce.request import build_request
from coalesce.search import top_k
from coalesce.search.bounds import Bounds
from coalesce.search.branch import _value


@given(spec=world_specs(max_states=7), legitimacy=st.sampled_from([1.0, 3.0]))
@examples(25)
def test_node_bound_holds_for_every_superset(spec: WorldSpec, legitimacy: float) -> None:
    ds = load_dataset(write_world(spec.states, spec.issues))
    request = build_request(ds, spec.issue_id, min_size=1, weights={"legitimacy": legitimacy})
    ctx = problem.compile(ds, request).context
    bounds = Bounds(ctx)
    order = bounds.order
    checked = 0
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
    assert checked > 0 or len(order) < 2


@given(spec=world_specs(), data=st.data())
@examples(25)
def test_top_k_with_legitimacy_at_weight_one_is_the_brute_force_top_k(
    spec: WorldSpec, data: st.DataObject
) -> None:
    ds = load_dataset(write_world(spec.states, spec.issues))
    k = data.draw(st.integers(1, 5))
    request = build_request(ds, spec.issue_id, top=k, weights={"legitimacy": 1.0})
    ctx = problem.compile(ds, request).context
    outcome = top_k(ctx, k, None)
    assert [(f.score, f.members) for f in outcome.results] == brute_force(ctx, k)
    assert outcome.exact
