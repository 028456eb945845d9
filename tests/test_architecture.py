"""Conveners (issue 15): any state may convene, a member of the core, or an outsider as a broker between
rivals seated in it (stop 22); palatability from this issue's votes;
small and middle powers keep their honest-broker edge where there is a rivalry; a co-convener beside a
smaller convener; missing figures are left out, never read as agreement."""

from __future__ import annotations

import math

from conftest import ctx_for, idx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalesce import architecture, problem
from coalesce.architecture import (
    GREAT_POWER_PALATABILITY,
    acceptability,
    choose_convener,
    co_convener,
    convener_figures,
    convener_ranking,
)
from coalesce.coalition import Node
from coalesce.compiled import Context
from coalesce.loading.files import Dataset
from coalesce.request import build_request


def test_any_state_may_convene_great_powers_and_members_included(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "semiconductor-export-controls")
    pool = {ctx.codes[i] for i in ctx.convener_pool}
    assert {"USA", "JPN", "NLD", "NOR", "SGP"} <= pool  # not only small states
    assert "EU" not in pool  # a bloc is not a state
    core = idx(ctx, "JPN", "NLD", "USA")
    assert not architecture.seated_rivalries(ctx, core)
    ranked = convener_ranking(ctx, core)
    # no rivalry sits in the core: its members lead it, great powers included (stop 22)
    assert {c for c, _ in ranked} == set(core)
    first, quality, _ = choose_convener(ctx, Node.of(ctx, core))
    assert (first, quality) == ranked[0]
    assert ctx.codes[first] in {"JPN", "NLD", "USA"}


def test_an_outsider_convenes_only_as_a_broker_between_seated_rivals(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")  # rivals: USA and CHN
    both = idx(ctx, "CHN", "TWN", "USA")
    assert architecture.seated_rivalries(ctx, both) == (0,)
    assert {c for c, _ in convener_ranking(ctx, both)} == set(ctx.convener_pool)  # a broker may convene
    convener, _, _ = choose_convener(ctx, Node.of(ctx, both))
    assert convener is not None and convener not in both  # the best broker is an outsider here
    one_side = idx(ctx, "GBR", "JPN", "USA")
    assert {c for c, _ in convener_ranking(ctx, one_side)} == set(one_side)
    inside, _, _ = choose_convener(ctx, Node.of(ctx, one_side))
    assert inside in one_side


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_convener_bound_holds_for_every_superset_that_adds_joinable_states(
    dataset: Dataset, data: st.DataObject
) -> None:
    issue = data.draw(st.sampled_from(["online-extremism", "semiconductor-export-controls", "ai-governance"]))
    ctx = _cached(dataset, issue)
    states = sorted(ctx.convener_pool)
    core = data.draw(st.lists(st.sampled_from(states), min_size=1, max_size=4, unique=True))
    joinable = data.draw(st.lists(st.sampled_from(states), min_size=0, max_size=6, unique=True))
    added = data.draw(st.lists(st.sampled_from(joinable), unique=True)) if joinable else []
    node = Node.of(ctx, tuple(sorted(core)))
    bigger = Node.of(ctx, tuple(sorted({*core, *added})))
    actual = choose_convener(ctx, bigger)
    if not architecture.seated_rivalries(ctx, bigger.members):
        assert actual[0] in bigger.members  # a member leads
    assert actual[1] <= architecture.convener_ceiling(ctx, node) + 1e-12
    if not ctx.rivalries:
        assert actual[1] <= architecture.convener_among(ctx, node, frozenset(joinable)) + 1e-12


_CONTEXTS: dict[str, Context] = {}


def _cached(dataset: Dataset, issue: str) -> Context:
    if issue not in _CONTEXTS:
        _CONTEXTS[issue] = ctx_for(dataset, issue)
    return _CONTEXTS[issue]


def test_the_ranking_is_sorted_and_deterministic(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    core = idx(ctx, "CHN", "USA", "GBR")
    ranked = convener_ranking(ctx, core)
    qualities = [q for _, q in ranked]
    assert qualities == sorted(qualities, reverse=True)
    assert ranked == convener_ranking(ctx, core)
    assert all(0.0 <= q <= 1.0 for q in qualities)


def test_quality_is_the_geometric_mean_of_its_three_parts(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    core = idx(ctx, "CHN", "USA")
    for c, q in convener_ranking(ctx, core)[:10]:
        f = convener_figures(ctx, c, core)
        assert math.isclose(
            q, (f["acceptability"] * f["palatability"] * f["capacity"]) ** (1 / 3), rel_tol=1e-9
        )
        parts = [f[k] for k in ("network", "mediation", "stake", "fit") if k in f]
        assert math.isclose(f["capacity"], sum(parts) / len(parts), rel_tol=1e-9)


def test_acceptability_is_the_least_agreement_and_only_falls_as_members_join(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    model = ctx.convener_model
    assert model is not None and model.source == "votes"
    nor = ctx.index["NOR"]
    small = idx(ctx, "GBR", "USA")
    large = idx(ctx, "CHN", "GBR", "USA")
    assert acceptability(ctx, nor, ()) == 1.0
    assert acceptability(ctx, nor, small) == min(model.agreement[nor][m] for m in small)
    assert acceptability(ctx, nor, large) <= acceptability(ctx, nor, small)
    usa = ctx.index["USA"]
    # a member is not counted against itself: joining the core changes nothing for it
    assert acceptability(ctx, usa, small) == acceptability(ctx, usa, idx(ctx, "GBR"))


def test_rivals_are_not_palatable_and_great_powers_are_discounted_where_there_is_a_rivalry(
    dataset: Dataset,
) -> None:
    ctx = ctx_for(dataset, "ai-governance")  # rivals: USA and CHN
    model = ctx.convener_model
    assert model is not None
    pal = dict(zip(ctx.codes, model.palatability, strict=True))
    usa, chn = ctx.index["USA"], ctx.index["CHN"]
    # a rival agrees with itself fully, so its palatability is its agreement with the other, discounted
    assert math.isclose(pal["USA"], GREAT_POWER_PALATABILITY * model.agreement[usa][chn], rel_tol=1e-9)
    assert pal["NOR"] > pal["USA"] and pal["NOR"] > pal["CHN"]
    fra = ctx.index["FRA"]
    raw = min(model.agreement[fra][usa], model.agreement[fra][chn]) / max(
        model.agreement[fra][usa], model.agreement[fra][chn]
    )
    assert math.isclose(pal["FRA"], GREAT_POWER_PALATABILITY * raw, rel_tol=1e-9)
    # without a rivalry nobody is discounted
    plain = ctx_for(dataset, "semiconductor-export-controls")
    assert plain.convener_model is not None and set(plain.convener_model.palatability) == {1.0}


def test_palatability_counts_only_a_rivalry_seated_in_the_core(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")  # rivals: USA and CHN
    model = ctx.convener_model
    assert model is not None
    usa, nor = ctx.index["USA"], ctx.index["NOR"]
    both = idx(ctx, "CHN", "GBR", "USA")
    one_side = idx(ctx, "GBR", "JPN", "USA")
    # with both rivals in the core the convener has to bridge them: the rivalry's palatability counts
    assert architecture.seated_rivalries(ctx, both) == (0,)
    assert math.isclose(convener_figures(ctx, usa, both)["palatability"], model.palatability[usa])
    # with China outside, its track reaches it with its own convener: nobody is discounted in the core
    assert architecture.seated_rivalries(ctx, one_side) == ()
    assert convener_figures(ctx, usa, one_side)["palatability"] == 1.0
    assert architecture.palatability_in(ctx, nor, one_side) == 1.0
    # adding members can only lower it (the search's expertise bound relies on the quality falling)
    assert architecture.palatability_in(ctx, usa, both) <= architecture.palatability_in(ctx, usa, one_side)
    fewer = idx(ctx, "GBR", "USA")
    for c, q in convener_ranking(ctx, both)[:5]:
        before = architecture.convener_quality(
            ctx, c, acceptability(ctx, c, fewer), architecture.palatability_in(ctx, c, fewer)
        )
        assert q <= before + 1e-12


def test_a_tag_no_dataset_measures_is_missing_from_the_fit_not_zero(dataset: Dataset) -> None:
    from coalesce.models.issue import Issue

    ctx = ctx_for(dataset, "online-extremism")
    issue = ctx.issue.model_copy(update={"expertise": ["counter-terrorism", "cyber"]})
    assert isinstance(issue, Issue)
    request = build_request(dataset, "online-extremism")
    from dataclasses import replace

    bare = problem.compile(dataset, replace(request, issue=issue)).context
    assert bare.convener_model is not None
    # neither tag has a score for any state: no fit figure, rather than a 0 in every capacity mean
    assert all("fit" not in c for c in bare.convener_model.components)
    full = ctx.convener_model
    assert full is not None and any("fit" in c for c in full.components)


def test_stake_counts_only_where_capability_measures_the_problem(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "semiconductor-export-controls")
    model = ctx.convener_model
    assert model is not None
    usa = model.components[ctx.index["USA"]]
    assert usa["stake"] == 1.0  # the largest holder
    weights = {name: 1.0 for name in ctx.weights}
    weights["capability"] = 0.0
    unmeasured = ctx_for(dataset, "semiconductor-export-controls", weights=weights)
    assert unmeasured.convener_model is not None
    assert all("stake" not in c for c in unmeasured.convener_model.components)


def test_a_missing_figure_is_left_out_not_read_as_zero_or_as_agreement(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    model = ctx.convener_model
    assert model is not None
    # Taiwan casts no UN votes: it cannot be assessed as convener, and does not block one as a member
    twn = ctx.index["TWN"]
    assert twn not in ctx.convener_pool
    assert all(math.isnan(v) for j, v in enumerate(model.agreement[twn]) if j != twn)
    nor = ctx.index["NOR"]
    assert acceptability(ctx, nor, idx(ctx, "TWN", "USA")) == acceptability(ctx, nor, idx(ctx, "USA"))
    # Lowy covers 66 networks: a state outside it has no network figure rather than a 0
    jor = model.components[ctx.index["JOR"]]
    assert "network" not in jor and "mediation" in jor


def test_co_convener_is_a_great_power_member_beside_a_smaller_convener(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    core = idx(ctx, "CHN", "TWN", "USA")
    convener, _, _ = choose_convener(ctx, Node.of(ctx, core))
    assert convener is not None and not architecture.great_power(ctx, convener)
    second = co_convener(ctx, core, convener)
    assert second is not None and second in core and architecture.great_power(ctx, second)
    usa = ctx.index["USA"]
    assert co_convener(ctx, core, usa) is None  # a great power convener needs no co-convener


def test_without_alignment_data_agreement_comes_from_ideal_points(tiny_world: object) -> None:
    from coalesce.loading.files import load_dataset

    ds = load_dataset(tiny_world)  # type: ignore[arg-type]
    issue = sorted(ds.issues)[0]
    ctx = problem.compile(ds, build_request(ds, issue)).context
    model = ctx.convener_model
    assert model is not None and model.source == "ideal points"
    a, b = 0, 1
    d = ctx.alignment[a] - ctx.alignment[b]
    assert math.isclose(model.agreement[a][b], math.exp(-(d * d) / (2 * ctx.params.acceptance_sigma**2)))
    assert ctx.convener_pool  # someone can convene


def test_the_recommendation_lists_the_ranked_conveners_and_the_co_convener(dataset: Dataset) -> None:
    from coalesce import engine

    result = engine.score(dataset, "ai-governance", ["CHN,TWN,USA"], ranked=False)
    assert [c.rank for c in result.conveners] == list(range(1, len(result.conveners) + 1))
    assert result.conveners[0].actor == result.convener
    assert result.co_convener == "USA"
    assert {c.member for c in result.conveners} <= {True, False}
    assert all("acceptability" in c.figures for c in result.conveners)


def test_propose_shows_ties_member_probabilities_and_a_strategic_ladder(dataset: Dataset) -> None:
    from coalesce import engine
    from coalesce.analysis.robustness import LISTED_DRAWS, listed_noise

    result = engine.propose(dataset, "ai-governance", top=4)
    recs = result.recommendations
    assert recs[0].tied_with_best is True
    for rec in recs:
        assert set(rec.member_probability) == set(rec.members)
        for share in rec.member_probability.values():
            assert 0.0 <= share <= 1.0 and (share * LISTED_DRAWS) == round(share * LISTED_DRAWS)
    ctx = ctx_for(dataset, "ai-governance", top=4)
    cores = [idx(ctx, *rec.members) for rec in recs]
    tied, shares = listed_noise(ctx, cores)
    assert tied == [rec.tied_with_best for rec in recs]
    # ties run from the top: no core is marked distinct from the best while one below it ties
    assert tied == sorted(tied, reverse=True)
    # every draw has one winner among the listed cores, so the first core's members' shares and the
    # others' cannot all be zero
    assert any(v > 0 for share in shares for v in share.values())
    # a core identical to the best always ties; one far below never does
    far = idx(ctx, "FSM", "TUV")
    tied2, _ = listed_noise(ctx, [cores[0], cores[0], far])
    assert tied2 == [True, True, False]
    for step in recs[0].expansion:
        assert step.join_probability is not None and 0.0 <= step.join_probability <= 1.0
        assert step.brings and step.reason.startswith(f"would join with p={step.join_probability:.2f}")
