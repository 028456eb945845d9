"""Determinism (issue 11, class 8): the default search stops on a work budget, never on the clock.

- On a world where every grouping looks alike (bounds prune nothing), the default `propose` stops on its
  work budget and says so (`search.stopped_by: "work budget"`, no time limit), and the JSON is the same
  byte for byte when the clock runs a thousand times faster: the machine's speed cannot change it.
- A `--time-limit` the user sets that cuts the search says so, in the JSON and in a table line.
- Robustness JSON does not depend on the number of worker processes (the field is not in the JSON).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import TINY
from test_resource_limits import write_flat_world


def _propose_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from coalesce.cli import _run

    code = _run(args, False)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture(scope="module")
def flat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A pledge (opt-in): each added member may sign at the table's ceiling, so the bounds prune nothing
    # (under consensus the added members' acceptance bound now certifies this world). At least two
    # members: since the convener leads from inside its core (stop 22), the bounds certify this world
    # at the root when one member may stand alone.
    return write_flat_world(
        tmp_path_factory.mktemp("flat") / "flat", 200, max_size=20, rule="{kind: opt-in}", min_size=2
    )


@pytest.fixture(autouse=True)
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default budget, made smaller so each run takes a fraction of a second; the CLI still uses
    the default (it passes no work_limit), which is what is tested."""
    from coalesce import engine, request

    assert engine.propose.__kwdefaults__["work_limit"] == request.DEFAULT_WORK_BUDGET
    monkeypatch.setattr(request, "DEFAULT_WORK_BUDGET", 3000)  # where the CLI's options read it


def test_default_search_stops_on_work_not_on_the_clock(
    flat: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["propose", "flat", "--data", str(flat), "--format", "json"]
    normal = _propose_json(args, capsys)
    search = json.loads(normal)["search"]
    assert search["exact"] is False
    assert search["stopped_by"] == "work budget"
    assert search["time_limit"] is None

    real = time.perf_counter
    ticks = [0]

    def fast_clock() -> float:  # a machine a thousand times slower, as the search sees it
        ticks[0] += 1
        return real() + 1000.0 * ticks[0]

    monkeypatch.setattr(time, "perf_counter", fast_clock)
    slow = _propose_json(args, capsys)
    assert ticks[0] > 0, "the search never read the clock, so this test shows nothing"
    assert slow == normal


def test_a_time_limit_that_cuts_says_so(
    flat: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = time.perf_counter
    ticks = [0]

    def fast_clock() -> float:
        ticks[0] += 1
        return real() + 10.0 * ticks[0]

    monkeypatch.setattr(time, "perf_counter", fast_clock)
    base = ["propose", "flat", "--data", str(flat), "--time-limit", "5"]
    search = json.loads(_propose_json([*base, "--format", "json"], capsys))["search"]
    assert search["stopped_by"] == "time limit"
    assert search["time_limit"] == 5
    table = _propose_json(base, capsys)
    assert "The --time-limit of 5s cut the search" in table
    markdown = _propose_json([*base, "--format", "markdown"], capsys)
    assert "The --time-limit of 5s cut the search" in markdown


def test_exact_search_has_no_stop_reason(capsys: pytest.CaptureFixture[str]) -> None:
    search = json.loads(_propose_json(["propose", "chips", "--data", str(TINY), "--format", "json"], capsys))[
        "search"
    ]
    assert search["exact"] is True and search["stopped_by"] is None and search["time_limit"] is None


def test_robustness_json_does_not_depend_on_the_workers(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["robustness", "chips", "--data", str(TINY), "--draws", "12", "--seed", "3", "--format", "json"]
    one = _propose_json([*base, "--workers", "1"], capsys)
    two = _propose_json([*base, "--workers", "2"], capsys)
    default = _propose_json(base, capsys)
    assert one == two == default
    assert "workers" not in json.loads(one)
