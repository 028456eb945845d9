"""A memo (markdown, table) says what produced it: scenarios, overrides, date, versions, sources."""

from __future__ import annotations

import pytest
from conftest import run_cli

import coalesce

ARGS = [
    "propose",
    "ai-governance",
    "--top",
    "1",
    "--scenario",
    "veto-matters-twice",
    "--weight",
    "rivals=2",
    "--set",
    "issues.ai-governance.deadline_months=6",
]


@pytest.mark.parametrize("fmt", ["markdown", "table"])
def test_the_memo_names_scenario_overrides_date_versions_and_sources(fmt: str) -> None:
    code, out, err = run_cli(*ARGS, "--format", fmt, "--date", "2026-12-01")
    assert code == 0, err
    assert "veto-matters-twice" in out
    assert "veto=2" in out and "rivals=2" in out  # the scenario's weight, then the flag's
    assert "issues.ai-governance.deadline_months=6" in out
    assert "2026-12-01" in out
    assert f"coalesce {coalesce.__version__}" in out
    assert "data version" in out
    # a source the recommendation cites, with its quality flag
    assert "epoch-large-scale-models-2026 (primary)" in out.replace("`", "")


def test_without_a_date_the_memo_is_dated_by_the_data_and_deterministic() -> None:
    first = run_cli(*ARGS, "--format", "markdown")
    second = run_cli(*ARGS, "--format", "markdown")
    assert first[0] == 0 and first == second
    assert "**Date:** data as of 20" in first[1]


def test_a_baseline_memo_says_it_is_the_baseline() -> None:
    code, out, err = run_cli("score", "ai-governance", "USA,CHN", "--format", "markdown")
    assert code == 0, err
    assert "**Scenarios:** none (baseline)" in out
    assert "**Weight overrides:** none (defaults)" in out


def test_a_bad_date_is_a_usage_error() -> None:
    code, out, err = run_cli("propose", "ai-governance", "--date", "yesterday")
    assert code == 2 and out == ""
    assert "--date 'yesterday': expected YYYY-MM-DD" in err


def test_json_is_unchanged_by_the_date() -> None:
    plain = run_cli("propose", "ai-governance", "--top", "1", "--format", "json")
    dated = run_cli("propose", "ai-governance", "--top", "1", "--format", "json", "--date", "2026-12-01")
    assert plain == dated
