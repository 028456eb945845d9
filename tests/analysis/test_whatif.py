"""What-if analysis: scenarios, compare, robustness and sweep, on the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from coalesce import engine
from coalesce.analysis.compare import compare
from coalesce.analysis.robustness import robustness
from coalesce.analysis.sweep import parse_vary, sweep
from coalesce.errors import DataError, UsageError
from coalesce.scenarios import Applied, apply_all, load_scenario

SCENARIOS = ROOT / "examples" / "scenarios"


def test_at_least_five_example_scenarios_validate(dataset) -> None:  # type: ignore[no-untyped-def]
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert len(files) >= 5
    for path in files:
        applied = apply_all(dataset, [path], [])
        assert applied.names, path


def test_china_walks_out_removes_china_everywhere(dataset) -> None:  # type: ignore[no-untyped-def]
    # chip-supply-resilience: China is in its baseline top core, so the scenario has something to remove
    # (and it is searched in a fraction of a second; ai-governance under the scenario takes seconds)
    baseline = engine.propose(dataset, "chip-supply-resilience")
    assert "CHN" in baseline.recommendations[0].members
    result = compare(Applied(dataset), "chip-supply-resilience", [SCENARIOS / "china-walks-out.yaml"], top=5)
    (comparison,) = result.comparisons
    for core in comparison.top:
        assert "CHN" not in core
    assert "CHN" not in comparison.entered
    assert comparison.convener_after != "CHN"
    for track in comparison.tracks_after:
        assert "CHN" not in track
    applied = apply_all(dataset, [SCENARIOS / "china-walks-out.yaml"], [])
    proposal = engine.propose(applied.dataset, "chip-supply-resilience", exclude=applied.exclude)
    for rec in proposal.recommendations:
        assert "CHN" not in rec.members and rec.convener != "CHN"
        assert all("CHN" not in t.members for t in rec.tracks)


def test_scenario_set_changes_the_figure(dataset) -> None:  # type: ignore[no-untyped-def]
    applied = apply_all(dataset, [SCENARIOS / "netherlands-export-squeeze.yaml"], [])
    assert applied.dataset.world.actor("NLD").capabilities["chip-equipment"].share == 0.22
    assert dataset.world.actor("NLD").capabilities["chip-equipment"].share != 0.22


def test_set_flag_with_norway_by_iso2(dataset) -> None:  # type: ignore[no-untyped-def]
    applied = apply_all(dataset, [], ["actors.NO.alignment.ideal_point=0.5"])
    assert applied.dataset.world.actor("NOR").alignment.ideal_point == 0.5


def test_bad_set_path_names_nearest_valid_path(dataset) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="nearest valid"):
        apply_all(dataset, [], ["issues.ai-governance.deadline_month=12"])


def test_bad_set_path_in_file_is_a_data_error_with_position(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nset:\n  issues.ai-governance.deadlin_months: 12\n")
    with pytest.raises(DataError) as caught:
        apply_all(dataset, [path], [])
    problem = caught.value.problems[0]
    assert problem.line == 3 and "nearest valid" in problem.message


def test_robustness_is_deterministic_and_shares_sum_to_one(dataset) -> None:  # type: ignore[no-untyped-def]
    first = robustness(dataset, "semiconductor-export-controls", draws=40, seed=11, workers=2)
    second = robustness(dataset, "semiconductor-export-controls", draws=40, seed=11, workers=1)
    assert first.model_dump_json(exclude={"workers"}) == second.model_dump_json(exclude={"workers"})
    assert sum(item.count for item in first.first_place) == 40
    assert sum(item.share for item in first.first_place) == pytest.approx(1.0)
    assert all(0 <= m.share <= 1 for m in first.membership)
    other = robustness(dataset, "semiconductor-export-controls", draws=40, seed=12, workers=1)
    assert other.model_dump_json() != second.model_dump_json()


def test_robustness_winners_are_the_exact_winners_of_each_draw(dataset) -> None:  # type: ignore[no-untyped-def]
    """Recompute each draw by hand with an unlimited exact search: the shares must match."""
    from collections import Counter

    from coalesce.analysis import robustness as module
    from coalesce.compiled import unit_uncertainty
    from coalesce.problem import compile as compile_problem
    from coalesce.request import build_request
    from coalesce.search import top_k

    # chip-supply-resilience: every draw certifies at the default budget (ai-governance, with legitimacy
    # weighted for its class since issue 15, leaves two of twelve draws uncertified)
    draws = 12
    result = robustness(dataset, "chip-supply-resilience", draws=draws, seed=5, workers=1)
    assert result.exact_draws == draws and result.largest_gap == 0.0
    request = build_request(dataset, "chip-supply-resilience", top=5)
    ctx = compile_problem(
        dataset, request
    ).context  # the one door, as robustness compiles (alignment data too)
    uncertainty = unit_uncertainty(ctx)
    winners: Counter[tuple[str, ...]] = Counter()
    for index in range(draws):
        drawn = module._draw(ctx, uncertainty, 5, index, module.DEFAULT_CONCENTRATION)
        best = top_k(drawn, 1).results[0].members
        winners[tuple(ctx.codes[m] for m in best)] += 1
    assert {tuple(item.members): item.count for item in result.first_place} == dict(winners)


def test_robustness_draws_that_spend_their_budget_report_a_gap(dataset, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from coalesce.analysis import robustness as module

    monkeypatch.setattr(module, "DRAW_WORK_LIMIT", 3)
    first = robustness(dataset, "ai-governance", draws=6, seed=2, workers=2)
    second = robustness(dataset, "ai-governance", draws=6, seed=2, workers=1)
    assert first.exact_draws < 6 and first.largest_gap > 0.0
    assert first.model_dump_json(exclude={"workers"}) == second.model_dump_json(exclude={"workers"})
    assert sum(item.count for item in first.first_place) == 6


def test_sweep_tipping_point_is_confirmed_by_propose(dataset) -> None:  # type: ignore[no-untyped-def]
    # Since legitimacy is weighted per issue class (issue 15) the chip-controls winner no longer changes
    # with the veto weight; along the legitimacy weight it does: the Netherlands below about 0.05, the EU
    # (which brings more UN regional groups) above.
    result = sweep(dataset, "semiconductor-export-controls", "weights.legitimacy=0..1", steps=6)
    assert result.tipping_points, "expected the winner to change along legitimacy weight 0..1"
    for tip in result.tipping_points:
        below = engine.propose(
            dataset, "semiconductor-export-controls", top=1, weights={"legitimacy": tip.below}
        )
        above = engine.propose(
            dataset, "semiconductor-export-controls", top=1, weights={"legitimacy": tip.above}
        )
        assert below.recommendations[0].members == tip.before
        assert above.recommendations[0].members == tip.after
        assert tip.before != tip.after


def test_sweep_over_a_data_path(dataset) -> None:  # type: ignore[no-untyped-def]
    result = sweep(
        dataset,
        "semiconductor-export-controls",
        # up to 0.2: above 0.22 the domain's shares would pass 1, which --set refuses
        "actors.NLD.capabilities.chip-equipment.share=0..0.2",
        steps=3,
    )
    assert len(result.points) == 4
    for tip in result.tipping_points:
        applied = apply_all(dataset, [], [f"actors.NLD.capabilities.chip-equipment.share={tip.above}"])
        assert (
            engine.propose(applied.dataset, "semiconductor-export-controls", top=1).recommendations[0].members
            == tip.after
        )


def test_vary_parsing() -> None:
    assert parse_vary("actors.CHN.alignment=-1.5..1") == ("actors.CHN.alignment.ideal_point", -1.5, 1.0)
    with pytest.raises(UsageError):
        parse_vary("weights.veto=3")
    with pytest.raises(UsageError):
        parse_vary("weights.veto=1..1")


def test_scenario_file_with_unknown_weight_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("name: w\nweights: {vetoo: 2}\n")
    with pytest.raises(DataError, match="did you mean veto"):
        load_scenario(path)
