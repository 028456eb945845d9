"""The Python API agrees with the command line, and speaks in Python terms."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, run_cli

import coalesce
from coalesce.errors import UsageError
from coalesce.loading.files import Dataset

SCENARIO = ROOT / "examples" / "scenarios" / "china-walks-out.yaml"
ISSUE = "chip-supply-resilience"
"""An issue whose answer China walking out changes, searched in a fraction of a second (ai-governance
takes seconds with the scenario, and nothing here is about that issue)."""


@pytest.fixture(scope="module")
def world() -> Dataset:
    return coalesce.load_world()


@pytest.fixture(scope="module")
def cli_json() -> dict[str, object]:
    code, out, err = run_cli("propose", ISSUE, "--scenario", str(SCENARIO), "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _dump(result: object) -> dict[str, object]:
    return json.loads(result.model_dump_json())  # type: ignore[attr-defined]


def test_apply_scenarios_then_propose_equals_the_cli(world: Dataset, cli_json: dict[str, object]) -> None:
    what_if = coalesce.apply_scenarios(world, [SCENARIO])
    result = _dump(coalesce.propose(what_if, ISSUE))
    assert result == cli_json
    assert result["parameters"]["exclude"] == ["CHN"]  # type: ignore[index]


def test_propose_scenarios_keyword_applies_them(world: Dataset, cli_json: dict[str, object]) -> None:
    result = coalesce.propose(world, ISSUE, scenarios=["china-walks-out"])  # a shipped name
    assert _dump(result) == cli_json
    for rec in result.recommendations:
        assert "CHN" not in rec.members


def test_the_baseline_is_not_the_scenario(world: Dataset) -> None:
    baseline = _dump(coalesce.propose(world, ISSUE))
    assert baseline["parameters"]["exclude"] == []  # type: ignore[index]
    assert baseline["parameters"]["scenarios"] == []  # type: ignore[index]
    # apply_scenarios returned a new world: the original one stays the baseline
    coalesce.apply_scenarios(world, [SCENARIO])
    assert _dump(coalesce.propose(world, ISSUE)) == baseline


def test_chained_scenarios_accumulate(world: Dataset) -> None:
    once = coalesce.apply_scenarios(world, ["china-walks-out"])
    twice = coalesce.apply_scenarios(once, ["veto-matters-twice"])
    both = coalesce.propose(world, ISSUE, scenarios=["china-walks-out", "veto-matters-twice"])
    assert _dump(coalesce.propose(twice, ISSUE)) == _dump(both)
    assert both.parameters.exclude == ["CHN"]


def test_score_takes_a_list_and_refuses_a_comma_string(world: Dataset) -> None:
    as_list = _dump(coalesce.score(world, ISSUE, ["USA", "CHN", "GBR"]))
    assert sorted(as_list["members"]) == ["CHN", "GBR", "USA"]  # type: ignore[arg-type]
    # a string is one value in Python: say so, instead of reading its letters as actors ("unknown actor 'U'")
    with pytest.raises(TypeError, match=r"members takes a list of actor codes or names.*not the string"):
        coalesce.score(world, ISSUE, "USA,CHN,GBR")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="one actor per list item"):
        coalesce.score(world, ISSUE, ["USA,CHN"])


@pytest.mark.parametrize("bad", [5, [1, 2], {"USA": 1}, b"USA", "USA"])
def test_wrong_member_types_raise_type_error_naming_the_parameter(world: Dataset, bad: object) -> None:
    with pytest.raises(TypeError, match="members"):
        coalesce.score(world, ISSUE, bad)  # type: ignore[arg-type]


def test_include_and_exclude_are_lists_too(world: Dataset) -> None:
    result = coalesce.propose(world, ISSUE, include=["USA", "GBR"], top=1)
    assert {"USA", "GBR"} <= set(result.recommendations[0].members)
    with pytest.raises(TypeError, match="include takes a list"):
        coalesce.propose(world, ISSUE, include="USA,GBR", top=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="exclude"):
        coalesce.propose(world, ISSUE, exclude=42)  # type: ignore[arg-type]


def test_errors_name_the_parameter_not_the_flag(world: Dataset) -> None:
    with pytest.raises(UsageError, match=r"^max_size 99: above the limit") as caught:
        coalesce.propose(world, ISSUE, max_size=99)
    assert "--" not in str(caught.value)
    with pytest.raises(UsageError, match=r"^weights: unknown criterion 'vto'; did you mean veto\?"):
        coalesce.propose(world, ISSUE, weights={"vto": 2})
    with pytest.raises(UsageError, match=r"^include: unknown actor"):
        coalesce.propose(world, ISSUE, include=["Atlantis"])


def test_applied_scenarios_live_on_the_world(world: Dataset) -> None:
    what_if = coalesce.apply_scenarios(world, ["china-walks-out"])
    assert what_if.trail.exclude == ("CHN",)
    assert what_if.trail.names == ("china-walks-out",)
    assert world.trail.exclude == ()  # the original world is untouched
    import coalesce as api

    assert not hasattr(api, "_APPLIED")  # no module-level table keyed by id() any more


def test_keywords_are_explicit(world: Dataset) -> None:
    with pytest.raises(TypeError, match="unexpected keyword"):
        coalesce.propose(world, ISSUE, maxsize=3)  # type: ignore[call-arg]


def test_an_unknown_scenario_name_says_did_you_mean(world: Dataset) -> None:
    with pytest.raises(UsageError, match="did you mean china-walks-out"):
        coalesce.propose(world, ISSUE, scenarios=["china-walk-out"])
