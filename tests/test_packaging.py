"""The distribution name, and the example scenarios, usable by name (the built wheel, run outside the
checkout, is in test_real_process.py)."""

from __future__ import annotations

import json
import tomllib

from conftest import ROOT, run_cli

from coalesce.shipped import shipped_scenarios

SHIPPED = sorted(p.stem for p in (ROOT / "examples" / "scenarios").glob("*.yaml"))


def test_the_distribution_is_not_named_coalesce() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "coalesce-minilateral"  # `coalesce` on PyPI is an unrelated library
    assert project["scripts"] == {"coalesce": "coalesce.cli:main"}


def test_the_checkout_lists_every_example_scenario() -> None:
    assert list(shipped_scenarios()) == SHIPPED
    code, out, err = run_cli("scenarios", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [r["name"] for r in rows] == SHIPPED
    walks = next(r for r in rows if r["name"] == "china-walks-out")
    assert walks["changes"] == ["exclude"] and "China" in walks["description"]  # an array


def test_a_scenario_by_name_equals_it_by_path() -> None:
    by_name = run_cli(
        "propose", "chip-supply-resilience", "--scenario", "china-walks-out", "--top", "2", "--format", "json"
    )
    by_path = run_cli(
        "propose",
        "chip-supply-resilience",
        "--scenario",
        "examples/scenarios/china-walks-out.yaml",
        "--top",
        "2",
        "--format",
        "json",
    )
    assert by_name[0] == 0 and by_name == by_path
    assert json.loads(by_name[1])["parameters"]["exclude"] == ["CHN"]


def test_a_name_that_is_neither_is_a_usage_error_with_did_you_mean() -> None:
    code, out, err = run_cli("propose", "ai-governance", "--scenario", "china-walk-out")
    assert code == 2 and out == ""
    assert "did you mean china-walks-out?" in err
    assert err.count("\n") == 1
