"""One options model per run: scenarios, then --set, then flags; every value checked once (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, TINY, run

from coalesce.errors import UsageError
from coalesce.loading.files import load_dataset
from coalesce.options import WeightOverrides, build_options, weight_overrides
from coalesce.request import DEFAULT_WORK_BUDGET, merge_weights
from coalesce.scenarios import Applied, apply_all
from coalesce.search.budget import DEFAULT_WORK_LIMIT


@pytest.fixture(scope="module")
def tiny() -> Applied:
    return Applied(load_dataset(TINY))


# --- weights: one shape, checked once ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["veto"], "expected NAME=NUMBER"),
        (["veto=abc"], "is not a number"),
        (["veto=nan"], "must be a finite number"),
        (["veto=-1"], "from 0 to"),
        (["vto=2"], "unknown criterion 'vto'; did you mean veto?"),
    ],
)
def test_a_bad_weight_flag_is_one_usage_error(items: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=r"^--weight") as caught:
        weight_overrides(items)
    assert message in str(caught.value)


def test_weights_come_from_strings_or_a_mapping_in_one_shape() -> None:
    from_flags = weight_overrides(["veto=2", "timeliness=0.5"])
    from_mapping = weight_overrides({"veto": 2, "timeliness": 0.5}, "weights")
    assert isinstance(from_flags, WeightOverrides) and from_flags == from_mapping == {
        "veto": 2.0,
        "timeliness": 0.5,
    }
    assert weight_overrides(from_flags) is from_flags  # already checked: not checked again


def test_the_request_checks_a_plain_mapping_with_the_same_function(tiny: Applied) -> None:
    issue = tiny.dataset.issues["chips"]
    with pytest.raises(UsageError, match="unknown criterion 'vto'"):
        merge_weights(issue, {"vto": 1.0})
    merged = dict(merge_weights(issue, weight_overrides(["veto=3"])))
    assert merged["veto"] == 3.0


def test_flags_come_after_the_scenarios(tiny: Applied, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\nexclude: [USA]\nweights: {veto: 2, timeliness: 3}\n", encoding="utf-8")
    applied = apply_all(tiny.dataset, [scenario], [])
    opts = build_options(applied, exclude=["NOR"], weights=["veto=5"])
    assert opts.exclude == ("USA", "NOR")  # the scenario's first, then the flag's
    assert opts.weights == {"veto": 5.0, "timeliness": 3.0}  # the flag wins over the scenario
    assert opts.scenarios == ("s",)


def test_the_api_names_the_parameter_and_the_cli_the_flag(tiny: Applied) -> None:
    with pytest.raises(UsageError, match=r"^--time-limit 0"):
        build_options(tiny, time_limit=0)
    with pytest.raises(UsageError, match=r"^time_limit 0"):
        build_options(tiny, time_limit=0, cli=False)
    with pytest.raises(UsageError, match=r"^--budget 0"):
        build_options(tiny, work_limit=0)
    with pytest.raises(UsageError, match=r"^--date 'soon'"):
        build_options(tiny, date="soon")


# --- one place for the default budget ---------------------------------------------------------------------
def test_every_search_a_command_runs_defaults_to_the_one_budget(tiny: Applied) -> None:
    assert build_options(tiny).budget == DEFAULT_WORK_BUDGET == 40_000
    assert build_options(tiny, work_limit=7).budget == 7
    assert (
        DEFAULT_WORK_LIMIT > DEFAULT_WORK_BUDGET
    )  # the search's backstop is above, never reached by a command


def test_budget_reaches_the_search() -> None:
    tight = run("propose", "ai-governance", "--budget", "50", "--format", "json", "--data", str(DATA))
    assert tight.code == 0, tight.err
    search = json.loads(tight.out)["search"]
    assert search["exact"] is False and search["stopped_by"] == "work budget"
    bad = run("propose", "chips", "--budget", "0", "--data", str(TINY))
    assert bad.code == 2 and bad.out == "" and bad.err.startswith("coalesce: --budget 0")


@pytest.mark.parametrize("command", ["propose", "score", "frontier", "sweep", "compare", "robustness"])
def test_a_budget_wherever_a_search_runs(command: str) -> None:
    assert "--budget WORK" in run(command, "--help").out


@pytest.mark.parametrize("command", ["propose", "frontier", "robustness", "sweep", "compare"])
def test_include_and_exclude_wherever_a_search_runs(command: str) -> None:
    shown = run(command, "--help").out
    assert "--include A,B" in shown and "--exclude A,B" in shown


def test_compare_honours_exclude_on_both_sides() -> None:
    outcome = run(
        "compare", "chips", "--scenario", "china-walks-out", "--exclude", "NOR", "--format", "json",
        "--data", str(TINY),
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    result = json.loads(outcome.out)
    tops = [*result["baseline_top"], *(top for c in result["comparisons"] for top in c["top"])]
    assert tops and all("NOR" not in members for members in tops)
    plain = json.loads(
        run("compare", "chips", "-s", "china-walks-out", "-f", "json", "--data", str(TINY)).out
    )
    assert any("NOR" in members for members in plain["baseline_top"])  # so the flag did something


# --- --debug: one global option, before or after the command ------------------------------------------
def test_no_command_declares_its_own_debug() -> None:
    from coalesce.cli import app

    for command in app.registered_commands:
        assert command.callback is not None
        assert "debug" not in command.callback.__code__.co_varnames, command.name


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_works_before_or_after_the_command(where: str) -> None:
    args = ["propose", "chipz", "--data", str(TINY)]
    outcome = run(*(["--debug", *args] if where == "before" else [*args, "--debug"]))
    assert outcome.code == 2  # a user error stays one line, with or without --debug
    assert outcome.err.startswith("coalesce: unknown issue 'chipz'")


# --- the same options wherever they make sense ----------------------------------------------------------
def test_backtest_takes_scenario_and_set() -> None:
    shown = run("backtest", "--help").out
    assert "--scenario FILE|NAME" in shown and "--set PATH=VALUE" in shown
    refused = run("backtest", "--scenario", "china-walks-out", "--data", str(DATA))
    assert refused.code == 2
    assert "include, exclude and weights do not apply" in refused.err


def test_validate_takes_set_and_reports_every_problem_in_one_pass(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nexclude: [Atlantis]\nweights: {vto: 2}\nfoo: 1\nset: {actors.NOR.nonsense: 1}\n",
        encoding="utf-8",
    )
    outcome = run(
        "validate",
        "--scenario",
        str(bad),
        "--set",
        "model.nonsense=1",
        "--format",
        "json",
        "--data",
        str(DATA),
    )
    assert outcome.code == 65
    payload = json.loads(outcome.out)
    assert payload["ok"] is False
    messages = [p["message"] for p in payload["problems"]]
    assert any("unknown field 'foo'" in m for m in messages), messages
    assert any("unknown criterion 'vto'" in m for m in messages), messages
    assert any("Atlantis" in m for m in messages), messages
    assert any("actors.NOR.nonsense" in m for m in messages), messages
    assert any(p["file"] == "--set" and "model.nonsense" in p["message"] for p in payload["problems"])
    # every problem is also one line on stderr, the same text
    assert outcome.err.splitlines() == [p["text"] for p in payload["problems"]]


def test_validate_passes_a_good_set() -> None:
    outcome = run("validate", "--set", "issues.chips.deadline_months=12", "--data", str(TINY))
    assert outcome.code == 0, outcome.err


def test_robustness_budget_is_the_seeding_search_s() -> None:
    args = ["robustness", "chips", "--draws", "10", "--workers", "1", "--format", "json", "--data", str(TINY)]
    tight, default = run(*args, "--budget", "5"), run(*args)
    assert tight.code == default.code == 0, tight.err
    assert json.loads(tight.out)["baseline_exact"] is False
    assert json.loads(default.out)["baseline_exact"] is True
