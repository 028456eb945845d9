"""Rival tracks (issue 15, cause 6): a track carries its own probability of agreeing and its cost in time;
no free half credit; no track nobody can convene."""

from __future__ import annotations

import math

from conftest import ctx_for, idx

from coalesce.architecture import build, make_track, rival_tracks, track_credit
from coalesce.criteria.rivals import CRITERION
from coalesce.criteria.timeliness import probability_in_time
from coalesce.loading.files import Dataset


def test_a_track_carries_its_own_probability_and_cost(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")  # rivals: USA, CHN
    track = make_track(ctx, 0)
    assert track is not None
    model = ctx.convener_model
    assert model is not None
    expected = math.prod(model.agreement[track.convener][r] for r in track.members)
    assert math.isclose(track.probability, expected, rel_tol=1e-12)
    assert 0.0 < track.probability < 1.0
    assert track.convener not in track.members
    points = [ctx.alignment[r] for r in track.members]
    assert math.isclose(track.in_time, probability_in_time(ctx, 2, max(points) - min(points)))
    assert track.months > 0 and math.isclose(track.credit, track.probability * track.in_time)


def test_a_rival_outside_the_core_earns_the_track_credit_not_a_half(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    inside = build(ctx, idx(ctx, "GBR", "USA"))
    assert len(inside.tracks) == 1
    credit = track_credit(ctx, 0)
    assert credit < 0.5  # the rivals disagree: the track is far from a sure thing
    value = CRITERION.score(ctx, inside, explain=False).value
    assert math.isclose(value, (1.0 + credit) / 2, rel_tol=1e-12)
    both = build(ctx, idx(ctx, "CHN", "USA"))
    assert both.tracks == () and CRITERION.score(ctx, both, explain=False).value == 1.0
    # base (the search's bound arithmetic) agrees with score
    assert math.isclose(CRITERION.base(ctx, inside.node, 2), value, rel_tol=1e-12)


def test_the_gain_bound_is_what_moving_a_rival_in_earns(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    chn = ctx.index["CHN"]
    before = CRITERION.score(ctx, build(ctx, idx(ctx, "USA")), explain=False).value
    after = CRITERION.score(ctx, build(ctx, idx(ctx, "CHN", "USA")), explain=False).value
    assert math.isclose(CRITERION.gain(ctx, chn), after - before, rel_tol=1e-9)
    assert CRITERION.gain(ctx, ctx.index["NOR"]) == 0.0


def test_an_excluded_rival_has_no_track_and_earns_nothing(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance", exclude=["CHN"])
    arch = build(ctx, idx(ctx, "GBR", "USA"))
    assert arch.tracks == () and make_track(ctx, 0) is None
    verdict = CRITERION.score(ctx, arch, explain=True)
    assert verdict.value == 0.5
    assert "CHN not engaged (excluded)" in verdict.rationale


def test_no_track_without_a_convener(dataset: Dataset) -> None:
    """A rivalry nobody can convene gets no track and earns nothing (set by hand: with the shipped data
    some state can always convene the US-China rivalry)."""
    from dataclasses import replace

    ctx = ctx_for(dataset, "ai-governance")
    model = ctx.convener_model
    assert model is not None
    object.__setattr__(ctx, "convener_model", replace(model, tracks=(None,)))
    arch = build(ctx, idx(ctx, "GBR", "USA"))
    assert rival_tracks(ctx, arch.members) == ()
    verdict = CRITERION.score(ctx, arch, explain=True)
    assert verdict.value == 0.5 and "no track can seat or convene it" in verdict.rationale
    assert CRITERION.base(ctx, arch.node, 2) == 0.5


def test_the_rationale_and_details_show_the_track(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "ai-governance")
    verdict = CRITERION.score(ctx, build(ctx, idx(ctx, "GBR", "USA")), explain=True)
    assert "CHN through a bilateral track convened by" in verdict.rationale
    tracks = verdict.details["tracks"]
    assert isinstance(tracks, list) and len(tracks) == 1
    assert set(tracks[0]) == {"members", "convener", "probability", "in_time", "expected_months"}
