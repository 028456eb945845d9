"""The criterion contract (criteria/base.py), checked for every criterion in the registry.

Each property the search relies on is checked against brute force on random small worlds: for a node S
grown in a drawn search order, every superset S + A with A drawn from the candidates after the search
position is scored exactly and compared with what the criterion's bounds promised. A new criterion is
covered the day it is registered.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from conftest import WorldSpec, examples, world_specs, write_world
from hypothesis import given, note
from hypothesis import strategies as st

from coalesce import architecture
from coalesce.coalition import Node
from coalesce.compiled import Context, compile_context
from coalesce.criteria.base import Criterion, overrides
from coalesce.criteria.registry import NAMES, REGISTRY, ModelParameters, Weights
from coalesce.loading.files import load_dataset
from coalesce.request import build_request

EPSILON = 1e-9
BY_ID = pytest.mark.parametrize("criterion", REGISTRY, ids=NAMES)


def _context(spec: WorldSpec, draw: st.DrawFn) -> Context:
    ds = load_dataset(write_world(spec.states, spec.issues))
    exclude = draw(st.lists(st.sampled_from(spec.aligned), max_size=1, unique=True)) if spec.aligned else []
    # Every size up to the whole world, so that size effects show (the drawn issues mostly cap it low).
    request = build_request(ds, spec.issue_id, exclude=exclude, min_size=1, max_size=len(spec.codes))
    return compile_context(ds.world, request.issue, ds.params, request.constraints)


def _grown(ctx: Context, members: list[int]) -> Node:
    """The node as the search grows it: forced members first, then in search order."""
    node = Node.of(ctx, ctx.forced)
    for actor in members:
        node = node.add(ctx, actor)
    return node


def _score(criterion: Criterion[Any], ctx: Context, members: tuple[int, ...]) -> float:
    return criterion.score(ctx, architecture.build(ctx, members), False).value


def _spread(ctx: Context, members: tuple[int, ...]) -> float:
    points = [ctx.alignment[m] for m in members]
    return max(points) - min(points) if len(points) > 1 else 0.0


@st.composite
def _situations(draw: st.DrawFn) -> tuple[Context, list[int], int, list[int]]:
    """A context, a search order, a search position and a node's members drawn before that position."""
    spec = draw(world_specs(max_states=7))
    ctx = _context(spec, draw)
    order = list(draw(st.permutations(list(ctx.candidates))))
    start = draw(st.integers(0, len(order)))
    room = max(0, ctx.constraints.max_size - len(ctx.forced))
    before = draw(st.lists(st.sampled_from(order[:start]), unique=True, max_size=room)) if start else []
    inside = [a for a in order[:start] if a in set(before)]  # in search order
    return ctx, order, start, inside


@BY_ID
@given(situation=_situations())
@examples(40)
def test_bound_holds_for_every_superset(criterion: Criterion[Any], situation: Any) -> None:
    """Properties 1, 2, 4, 6 and 8: score(S + A) <= min(ceiling, base + the gains of A, counted once per
    gain class), values in [0, 1]."""
    ctx, order, start, inside = situation
    node = _grown(ctx, inside)
    summary = criterion.summarise(ctx, order)
    remaining = summary[start] if summary is not None else None
    key = criterion.gain_key(ctx, node)
    static = [criterion.gain(ctx, a) for a in range(len(ctx.codes))]
    gains = static if key is None else criterion.gains_given(ctx, key)
    assert all(g <= s + EPSILON for g, s in zip(gains, static, strict=True))
    ceiling = criterion.ceiling(ctx, node, remaining)
    classes = criterion.gain_classes(ctx, key)
    assert classes is None or not criterion.SIZE_DEPENDENT
    later = [a for a in order[start:] if a not in set(inside)]
    room = ctx.constraints.max_size - node.size
    for extra in range(0, max(0, min(room, len(later))) + 1):
        for added in itertools.combinations(later, extra):
            members = tuple(sorted((*node.members, *added)))
            if not members:
                continue
            value = _score(criterion, ctx, members)
            assert 0.0 <= value <= 1.0
            spread = _spread(ctx, members)
            size = len(members)
            if criterion.SIZE_DEPENDENT:
                bound = criterion.base_by_size(ctx, node, range(size, size + 1), spread)[0]
            else:
                bound = criterion.base(ctx, node, node.size, remaining) + sum(gains[a] for a in added)
            note(f"{[ctx.codes[m] for m in members]}: {value} against {bound}, ceiling {ceiling}")
            assert value <= min(ceiling, bound) + EPSILON
            if classes is not None:  # property 8: one class's gains count once
                heads: dict[int, float] = {}
                counted = 0.0
                for a in added:
                    if classes[a] < 0:
                        counted += gains[a]
                    else:
                        heads[classes[a]] = max(heads.get(classes[a], 0.0), gains[a])
                classed = criterion.base(ctx, node, node.size, remaining) + counted + sum(heads.values())
                assert value <= classed + EPSILON, (value, classed)
    if node.members:
        own = criterion.base(ctx, node, node.size, None, node.spread)
        assert _score(criterion, ctx, tuple(sorted(node.members))) <= min(1.0, own) + EPSILON


@BY_ID
@given(situation=_situations(), spans=st.lists(st.floats(0.0, 3.0), min_size=2, max_size=2))
@examples(40)
def test_size_and_spread_only_hurt(criterion: Criterion[Any], situation: Any, spans: list[float]) -> None:
    """Property 3: a size-dependent criterion has no gains and its base never rises with size or span;
    a size-free one's base ignores both."""
    ctx, _, _, inside = situation
    node = _grown(ctx, inside)
    low_span, high_span = sorted(spans)
    top = max(node.size + 1, ctx.constraints.max_size)
    sizes = range(max(1, node.size), top + 1)
    if criterion.SIZE_DEPENDENT:
        assert all(criterion.gain(ctx, a) == 0.0 for a in range(len(ctx.codes)))
        narrow = criterion.base_by_size(ctx, node, sizes, node.spread + low_span)
        wide = criterion.base_by_size(ctx, node, sizes, node.spread + high_span)
        assert all(b <= a + EPSILON for a, b in itertools.pairwise(narrow))
        assert all(w <= n + EPSILON for n, w in zip(narrow, wide, strict=True))
    else:
        values = {criterion.base(ctx, node, size, None, span) for size in sizes for span in spans}
        assert max(values) - min(values) <= EPSILON


@BY_ID
@given(situation=_situations())
@examples(30)
def test_single_additions_are_bounded(criterion: Criterion[Any], situation: Any) -> None:
    """Property 5: single_bound(S, a) >= score(S + {a}), and at most the size-dependent base."""
    if not overrides(criterion, "single_bound"):
        return
    ctx, order, start, inside = situation
    node = _grown(ctx, inside)
    size = node.size + 1
    if size > ctx.constraints.max_size:
        return
    loose = criterion.base_by_size(ctx, node, range(size, size + 1), node.spread)[0]
    for actor in order[start:]:
        if actor in set(inside):
            continue
        single = criterion.single_bound(ctx, node, actor, size)
        if single is None:
            continue
        members = tuple(sorted((*node.members, actor)))
        assert _score(criterion, ctx, members) <= single + EPSILON
        assert single <= loose + EPSILON


@BY_ID
@given(situation=_situations(), data=st.data())
@examples(20)
def test_aggregates_ignore_the_order_of_growth(
    criterion: Criterion[Any], situation: Any, data: st.DataObject
) -> None:
    """A node grown in any order has the same aggregate, gain key and score as the canonical one."""
    ctx, _, _, inside = situation
    shuffled = data.draw(st.permutations(inside))
    grown, canonical = _grown(ctx, list(shuffled)), Node.of(ctx, (*ctx.forced, *inside))
    assert grown.aggregates == canonical.aggregates
    assert criterion.gain_key(ctx, grown) == criterion.gain_key(ctx, canonical)


@BY_ID
def test_declarations(criterion: Criterion[Any]) -> None:
    """Every declared hook is there and the derived models carry the criterion."""
    assert criterion.NAME in Weights.model_fields
    assert Weights().as_dict()[criterion.NAME] == criterion.DEFAULT_WEIGHT
    assert criterion.DEFAULT_WEIGHT >= 0.0
    assert criterion.SUMMARY and criterion.SUMMARY.strip() == criterion.SUMMARY
    for name in criterion.PARAMS.model_fields:
        assert name in ModelParameters.model_fields
    criterion.PARAMS()  # every parameter has a default
    assert type(criterion).__doc__, criterion.NAME
    assert not (criterion.SIZE_DEPENDENT and overrides(criterion, "gain_key"))


def test_registry_names_are_unique_and_complete() -> None:
    assert len(set(NAMES)) == len(NAMES) == len(REGISTRY)
    assert list(Weights.model_fields) == list(NAMES)
