"""coalesce.search: the branch and bound returns exactly the brute-force top K.

Every property runs on random small worlds (conftest.world_specs), where every subset can be scored.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from conftest import WorldSpec, examples, read_world, world_specs, write_world
from hypothesis import event, given, note
from hypothesis import strategies as st

from coalesce import compiled, engine, problem
from coalesce.compiled import Context, best_coverage_by_size
from coalesce.loading.files import Dataset, load_dataset
from coalesce.render import jsonfmt
from coalesce.request import build_request
from coalesce.scoring import evaluate
from coalesce.search import top_k


def rank_key(
    ctx: Context, score: float, members: tuple[int, ...]
) -> tuple[bool, float, int, tuple[str, ...]]:
    """The documented ranking: cores that reach a reachable target first, then score descending, then
    fewer members, then codes ascending."""
    coverage = evaluate(ctx, members).arch.node.coverage
    missed = coverage < ctx.issue.target - 1e-9 and ctx.best_coverage[-1] >= ctx.issue.target - 1e-9
    return (missed, -score, len(members), tuple(ctx.codes[m] for m in members))


def brute_force(ctx: Context, k: int) -> list[tuple[float, tuple[int, ...]]]:
    """Score every allowed subset and keep the best k."""
    pool, forced = ctx.candidates, ctx.forced
    low, high = ctx.constraints.min_size, ctx.constraints.max_size
    found = []
    for extra in range(len(pool) + 1):
        size = len(forced) + extra
        if size < low or size > high:
            continue
        for combo in itertools.combinations(pool, extra):
            members = tuple(sorted((*forced, *combo)))
            found.append((evaluate(ctx, members).total, members))
    found.sort(key=lambda item: rank_key(ctx, item[0], item[1]))
    return found[:k]


def context(ds: Dataset, issue: str, **request: Any) -> tuple[Context, int]:
    req = build_request(ds, issue, **request)
    return problem.compile(ds, req).context, req.top


@st.composite
def requests(draw: st.DrawFn, spec: WorldSpec) -> dict[str, Any]:
    """A valid request for the world: K, size limits, includes and excludes."""
    n = len(spec.codes)
    exclude = draw(st.lists(st.sampled_from(spec.aligned), max_size=2, unique=True))
    # A bloc whose member is excluded cannot be included (it would bring the member back).
    members = {a["code"]: set(a.get("members", [])) for a in spec.states["actors"]}
    includable = [c for c in spec.aligned if c not in exclude and not members.get(c, set()) & set(exclude)]
    include = draw(st.lists(st.sampled_from(includable), max_size=2, unique=True)) if includable else []
    issue = spec.issues["issues"][0]
    max_size = draw(st.one_of(st.none(), st.integers(max(1, len(include)), n)))
    high = issue["max_size"] if max_size is None else max_size
    if high < len(include):
        max_size = high = max(len(include), 1)
    min_size = draw(st.one_of(st.none(), st.integers(1, high)))
    if min_size is None and issue["min_size"] > high:
        min_size = high
    return {
        "top": draw(st.integers(1, 8)),
        "min_size": min_size,
        "max_size": max_size,
        "include": include,
        "exclude": exclude,
    }


def drawn_context(data: st.DataObject, spec: WorldSpec) -> tuple[Context, int]:
    """The generated world written out and loaded, with a drawn request: its context and top K."""
    ds = load_dataset(write_world(spec.states, spec.issues))
    request = data.draw(requests(spec), label="request")
    return context(ds, spec.issue_id, **request)


@given(data=st.data(), spec=world_specs())
@examples(60)
def test_top_k_is_the_brute_force_top_k(data: st.DataObject, spec: WorldSpec) -> None:
    ctx, k = drawn_context(data, spec)
    outcome = top_k(ctx, k, None)
    expected = brute_force(ctx, k)
    got = [(found.score, found.members) for found in outcome.results]
    note(f"expected {[(s, [ctx.codes[m] for m in ms]) for s, ms in expected]}")
    note(f"got      {[(s, [ctx.codes[m] for m in ms]) for s, ms in got]}")
    assert got == expected
    assert outcome.exact and outcome.gap == 0.0 and not outcome.timed_out


@given(data=st.data(), spec=world_specs())
@examples(30)
def test_includes_excludes_and_sizes_are_honoured(data: st.DataObject, spec: WorldSpec) -> None:
    ds = load_dataset(write_world(spec.states, spec.issues))
    request = data.draw(requests(spec), label="request")
    ctx, k = context(ds, spec.issue_id, **request)
    # The search runs over the aligned actors that are neither forced nor excluded.
    candidates = {ctx.codes[i] for i in ctx.candidates}
    assert candidates == set(spec.aligned) - set(request["include"]) - set(request["exclude"])
    assert set(ctx.skipped) == set(spec.codes) - set(spec.aligned) - set(request["exclude"])
    outcome = top_k(ctx, k, None)
    assert len(outcome.results) <= k
    low, high = ctx.constraints.min_size, ctx.constraints.max_size
    for found in outcome.results:
        codes = {ctx.codes[m] for m in found.members}
        assert set(request["include"]) <= codes
        assert not codes & set(request["exclude"])
        assert not codes & set(ctx.skipped)
        assert low <= len(found.members) <= high
        assert list(found.members) == sorted(set(found.members))
        assert found.score == evaluate(ctx, found.members).total
    keys = [rank_key(ctx, f.score, f.members) for f in outcome.results]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


@given(spec=world_specs(), seed=st.integers(0, 2**32 - 1), top=st.integers(1, 4))
@examples(25)
def test_output_does_not_depend_on_the_order_of_the_actors(spec: WorldSpec, seed: int, top: int) -> None:
    original = write_world(spec.states, spec.issues)
    states, issues = read_world(original)
    rng = random.Random(seed)
    rng.shuffle(states["actors"])
    for actor in states["actors"]:
        if actor.get("members"):
            rng.shuffle(actor["members"])
    shuffled = write_world(states, issues)
    outputs = []
    for directory in (original, shuffled):
        result = engine.propose(load_dataset(directory), spec.issue_id, top=top, time_limit=None)
        assert result.search.exact
        outputs.append(jsonfmt.render(result))
    assert outputs[0] == outputs[1]


@given(
    spec=world_specs(min_states=9, max_states=12),
    k=st.integers(1, 5),
    limit=st.sampled_from([0.0, 1e-9, 1e-4]),
)
@examples(12)
def test_time_limited_search_is_exact_or_states_a_sound_gap(spec: WorldSpec, k: int, limit: float) -> None:
    issue = spec.issues["issues"][0]
    issue["min_size"], issue["max_size"] = 1, min(issue["max_size"], 5)
    ds = load_dataset(write_world(spec.states, spec.issues))
    ctx, _ = context(ds, spec.issue_id, top=k)
    outcome = top_k(ctx, k, limit)
    assert outcome.gap >= 0.0
    expected = brute_force(ctx, k)
    event("exact" if outcome.exact else "timed out")
    if outcome.exact:
        assert outcome.gap == 0.0
        assert [(f.score, f.members) for f in outcome.results] == expected
        return
    assert outcome.timed_out
    # What was found is real and ranked ...
    keys = [rank_key(ctx, f.score, f.members) for f in outcome.results]
    assert keys == sorted(keys)
    for found in outcome.results:
        assert found.score == evaluate(ctx, found.members).total
    # ... and the gap certifies it: nothing scores more than the found K-th best plus the gap.
    kth = outcome.results[-1].score if len(outcome.results) >= k else 0.0
    if expected:
        assert (
            expected[0][0]
            <= max(outcome.results[0].score if outcome.results else 0.0, kth + outcome.gap) + 1e-9
        )
        assert expected[-1][0] <= kth + outcome.gap + 1e-9


def test_tiny_time_limit_on_the_shipped_world_is_exact_or_reports_a_gap(dataset) -> None:  # type: ignore[no-untyped-def]
    exact = engine.propose(dataset, "ai-governance", top=5, time_limit=None)
    hurried = engine.propose(dataset, "ai-governance", top=5, time_limit=1e-9)
    assert exact.search.exact and exact.search.gap == 0.0
    assert hurried.search.gap >= 0.0
    assert hurried.recommendations, "a time-limited search still returns the best it found"
    if hurried.search.exact:
        assert hurried.search.gap == 0.0
        assert hurried.model_dump(exclude={"search"}) == exact.model_dump(exclude={"search"})
        return
    # The certified best can beat the hurried best by no more than the stated gap.
    assert exact.recommendations[0].score <= hurried.recommendations[0].score + hurried.search.gap + 1e-6
    assert exact.recommendations[-1].score <= hurried.recommendations[-1].score + hurried.search.gap + 1e-6
    for rec in hurried.recommendations:
        assert 2 <= len(rec.members) <= 12


def test_work_limit_is_deterministic_and_states_a_sound_gap(dataset) -> None:  # type: ignore[no-untyped-def]
    ctx, _ = context(dataset, "ai-governance", top=5)
    exact = top_k(ctx, 5)
    first = top_k(ctx, 5, None, work_limit=40)
    second = top_k(ctx, 5, None, work_limit=40)
    assert exact.exact and not first.exact and first.gap > 0.0
    assert first.results == second.results and first.gap == second.gap and first.nodes == second.nodes
    assert exact.results[0].score <= first.results[0].score + first.gap + 1e-9


@pytest.mark.parametrize(
    "issue_id", ["ai-governance", "semiconductor-export-controls", "nuclear-fuel-security"]
)
def test_shipped_search_is_exact_and_sorted(dataset, issue_id: str) -> None:  # type: ignore[no-untyped-def]
    ctx, _ = context(dataset, issue_id, top=5, max_size=4)
    outcome = top_k(ctx, 5, None)
    assert outcome.exact and outcome.gap == 0.0
    keys = [rank_key(ctx, f.score, f.members) for f in outcome.results]
    assert keys == sorted(keys) and len(keys) == 5
    # No pair or triple of the ten strongest candidates beats the reported fifth best.
    strongest = sorted(ctx.candidates, key=lambda a: -ctx.actor_value(a))[:10]
    low = ctx.constraints.min_size
    for size in range(low, 4):
        for combo in itertools.combinations(strongest, size):
            members = tuple(sorted(combo))
            total = evaluate(ctx, members).total
            assert rank_key(ctx, total, members) >= keys[-1] or members in {
                f.members for f in outcome.results
            }


def _line_world(points: list[tuple[str, float]], model: dict[str, float], max_size: int) -> dict[str, Any]:
    """A world whose only signal is timeliness: states at given ideal points, one empty domain."""
    source = "test-src"
    states = {
        "schema_version": 1,
        "defaults": {"population": {"source": source, "year": 2023}, "gdp": {"source": source, "year": 2023}},
        "sources": [
            {"id": source, "title": "t", "publisher": "p", "year": 2026, "url": "https://example.org/t"}
        ],
        "domains": [
            {"id": "dom-a", "name": "A", "measure": "share", "unit": "share", "year": 2023, "source": source}
        ],
        "actors": [
            {
                "code": code,
                "name": f"State {code}",
                "population_m": 1.0,
                "alignment": {"ideal_point": point, "source": source},
            }
            for code, point in points
        ],
    }
    weights = {name: 0.0 for name in ("capability", "parsimony", "expertise", "veto", "rivals")}
    issues = {
        "schema_version": 1,
        "model": model,
        "issues": [
            {
                "id": "line",
                "title": "Line",
                "domains": {"dom-a": 1.0},
                "target": 1.0,
                "deadline_months": 1,
                "min_size": 1,
                "max_size": max_size,
                "weights": {**weights, "timeliness": 1.0},
            }
        ],
    }
    return {"states": states, "issues": issues}


# Regression: ModelParameters used to accept negative timeliness coefficients, which break the
# search's bounds (they assume larger and wider groups are never faster): 'exact' results were wrong.
@pytest.mark.parametrize(
    ("model", "points", "max_size"),
    [
        (
            {"timeliness_size_elasticity": -0.5},
            [("AAA", 0.0), ("BBB", 0.0), ("CCC", 0.0), ("DDD", 1.0), ("EEE", 1.0), ("FFF", 1.0)],
            3,
        ),
        (
            {"timeliness_size_elasticity": -0.5},
            [
                ("AAA", 0.0),
                ("BBB", 0.0),
                ("CCC", 0.0),
                ("DDD", 0.0),
                ("EEE", 1.0),
                ("FFF", 1.0),
                ("GGG", 1.0),
                ("HHH", 1.0),
            ],
            3,
        ),
        ({"timeliness_spread_coefficient": -0.5}, [("AAA", 0.0), ("BBB", 1.0), ("CCC", 2.0)], 2),
    ],
)
def test_search_stays_exact_for_any_accepted_model_parameters(
    model: dict[str, float], points: list[tuple[str, float]], max_size: int
) -> None:
    from coalesce.errors import DataError

    docs = _line_world(points, model, max_size)
    try:
        ds = load_dataset(write_world(docs["states"], docs["issues"]))
    except DataError as exc:
        # Refusing parameters the search cannot handle is the fix: at the parameter, in issues.yaml.
        (name,) = model
        assert any(p.file.endswith("issues.yaml") and p.line >= 1 and name in p.message for p in exc.problems)
        return
    ctx, _ = context(ds, "line", top=3)
    outcome = top_k(ctx, 3, None)
    assert outcome.exact
    assert [(f.score, f.members) for f in outcome.results] == brute_force(ctx, 3)


model_parameters = st.fixed_dictionaries(
    {},
    optional={
        "acceptance_sigma": st.sampled_from([0.3, 1.0, 1.5, 5.0]),
        "baseline_defection": st.sampled_from([0.0, 0.02, 0.3]),
        "passenger_coverage": st.sampled_from([0.0, 0.01, 0.2]),
        "expertise_convener_share": st.sampled_from([0.0, 0.5, 1.0]),
        "timeliness_intercept": st.sampled_from([-1.0, 0.0, 2.0]),
        "timeliness_size_elasticity": st.sampled_from([0.0, 0.5, 1.5]),
        "timeliness_spread_coefficient": st.sampled_from([0.0, 0.65, 2.0]),
        "timeliness_residual_sd": st.sampled_from([0.2, 0.9]),
    },
)


@given(spec=world_specs(), model=model_parameters, k=st.integers(1, 5))
@examples(30)
def test_top_k_is_exact_for_any_valid_model_parameters(
    spec: WorldSpec, model: dict[str, float], k: int
) -> None:
    spec.issues["model"] = model
    ds = load_dataset(write_world(spec.states, spec.issues))
    ctx, _ = context(ds, spec.issue_id, top=k)
    outcome = top_k(ctx, k, None)
    assert outcome.exact
    assert [(f.score, f.members) for f in outcome.results] == brute_force(ctx, k)


@given(data=st.data(), spec=world_specs())
@examples(40)
def test_best_coverage_by_size_is_the_brute_force_best(data: st.DataObject, spec: WorldSpec) -> None:
    """The parsimony yardstick (best coverage per size) matches enumeration, by both of its methods."""
    ctx, _ = drawn_context(data, spec)
    pool = [i for i in range(len(ctx.codes)) if i not in ctx.excluded]
    top = ctx.constraints.max_size
    expected = [
        max(ctx.coverage(members) for members in itertools.combinations(pool, min(k, len(pool))))
        for k in range(top + 1)
    ]
    by_choice = best_coverage_by_size(ctx, top)
    saved = compiled.MAX_ENUMERATED_BLOCS
    try:
        compiled.MAX_ENUMERATED_BLOCS = -1  # force the branch and bound
        by_search = best_coverage_by_size(ctx, top)
    finally:
        compiled.MAX_ENUMERATED_BLOCS = saved
    assert by_choice == pytest.approx(expected, abs=1e-12)
    assert by_search == pytest.approx(expected, abs=1e-12)


@given(data=st.data(), spec=world_specs())
@examples(40)
def test_suffix_reach_is_the_brute_force_best_of_each_suffix(data: st.DataObject, spec: WorldSpec) -> None:
    """The threshold's bound: the best coverage of m actors from each suffix of the search order, with
    blocs overlapping their members, matches enumeration (and is never below it, which exactness needs)."""
    from coalesce.search.bounds import Bounds, suffix_reach

    ctx, _ = drawn_context(data, spec)
    order = Bounds(ctx).order
    top = ctx.constraints.max_size
    tables = suffix_reach(ctx, order, top)
    for start in range(len(order) + 1):
        suffix = order[start:]
        expected = [
            max(ctx.coverage(members) for members in itertools.combinations(suffix, min(m, len(suffix))))
            for m in range(top + 1)
        ]
        assert list(tables[start]) == pytest.approx(expected, abs=1e-12)
