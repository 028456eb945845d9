"""The Python API and the CLI give the same answer for the same scenario and flags (issue 17)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import DATA, run

import coalesce
from coalesce.loading.files import Dataset

ISSUE = "semiconductor-export-controls"
"""A shipped issue searched in well under a second with these flags (the agreement of API and CLI does
not depend on which issue)."""


@pytest.fixture(scope="module")
def world() -> Dataset:
    return coalesce.load_world(DATA)


def _cli(*args: str) -> dict[str, Any]:
    outcome = run(*args, "--format", "json", "--data", str(DATA))
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)  # type: ignore[no-any-return]


def _api(result: Any) -> dict[str, Any]:
    return json.loads(result.model_dump_json())  # type: ignore[no-any-return]


def test_propose_with_scenario_set_and_flags(world: Dataset) -> None:
    cli = _cli(
        "propose", ISSUE, "--scenario", "china-walks-out", "--set", f"issues.{ISSUE}.deadline_months=18",
        "--weight", "veto=2", "--include", "GBR", "--top", "3",
    )  # fmt: skip
    api = coalesce.propose(
        world,
        ISSUE,
        scenarios=["china-walks-out"],
        sets={f"issues.{ISSUE}.deadline_months": 18},
        weights={"veto": 2},
        include=["GBR"],
        top=3,
    )
    assert _api(api) == cli
    assert cli["parameters"]["exclude"] == ["CHN"] and "GBR" in cli["parameters"]["include"]


def test_a_world_from_apply_scenarios_carries_them(world: Dataset) -> None:
    what_if = coalesce.apply_scenarios(world, ["china-walks-out"])
    assert _api(coalesce.propose(what_if, ISSUE, top=2)) == _cli(
        "propose", ISSUE, "-s", "china-walks-out", "-n", "2"
    )
    assert _api(coalesce.score(what_if, ISSUE, ["USA", "GBR"])) == _cli(
        "score", ISSUE, "USA,GBR", "-s", "china-walks-out"
    )


def test_frontier_and_sweep_agree(world: Dataset) -> None:
    assert _api(
        coalesce.frontier(world, "semiconductor-export-controls", max_size=3, exclude=["CHN"])
    ) == _cli("frontier", "semiconductor-export-controls", "--max-size", "3", "--exclude", "CHN")
    assert _api(coalesce.sweep(world, ISSUE, "weights.veto=0..2", steps=2, max_size=4)) == _cli(
        "sweep", ISSUE, "--vary", "weights.veto=0..2", "--steps", "2", "--max-size", "4"
    )
