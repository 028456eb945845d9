"""The back-test: runs every case in all formats, and docs/backtest.md is what the command prints today."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coalesce.analysis.backtest import jaccard
from coalesce.analysis.calibration import fit
from coalesce.cases import load_cases
from coalesce.loading.files import load_dataset

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "coalesce", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture(scope="module")
def report_json() -> dict:  # type: ignore[type-arg]
    done = run("backtest", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_every_case_runs_with_baselines(report_json: dict) -> None:  # type: ignore[type-arg]
    cases = load_cases(load_dataset(), ROOT / "data" / "cases.yaml").cases
    assert [c["id"] for c in report_json["cases"]] == [c.id for c in cases]
    assert len(cases) >= 12
    for row in report_json["cases"]:
        assert 0 <= row["jaccard"] <= 1 and 0 <= row["g7_jaccard"] <= 1 and 0 <= row["top_n_jaccard"] <= 1
        assert row["recommended"], row["id"]
        assert row["convener_rank"] >= 1
    totals = report_json["totals"]
    assert totals["cases"] == len(cases)
    assert totals["mean_jaccard"] == pytest.approx(
        sum(r["jaccard"] for r in report_json["cases"]) / len(cases), abs=1e-6
    )


def test_docs_backtest_matches_the_command() -> None:
    done = run("backtest", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert (ROOT / "docs" / "backtest.md").read_text() == done.stdout, (
        "docs/backtest.md is stale: run `coalesce backtest --format markdown > docs/backtest.md`"
    )


def test_table_format_and_single_case() -> None:
    done = run("backtest", "--case", "chip-tools-2023")
    assert done.returncode == 0 and "chip-tools-2023" in done.stdout and "Jaccard" in done.stdout
    bad = run("backtest", "--case", "no-such-case")
    assert bad.returncode == 2 and "no such case" in bad.stderr and "Traceback" not in bad.stderr


def test_time_estimates_are_leave_one_out(report_json: dict) -> None:  # type: ignore[type-arg]
    """A case that is a calibration negotiation is estimated by a fit that never saw it."""
    dataset = load_dataset()
    case_file = load_cases(dataset, ROOT / "data" / "cases.yaml")
    row = next(r for r in report_json["cases"] if r["left_out_of_fit"])
    rest = [n for n in case_file.negotiations if n.id != row["left_out_of_fit"]]
    full = fit(
        [n.parties for n in case_file.negotiations],
        [n.spread for n in case_file.negotiations],
        [n.months for n in case_file.negotiations],
    )
    partial = fit([n.parties for n in rest], [n.spread for n in rest], [n.months for n in rest])
    assert (partial.intercept, partial.spread_coefficient) != (full.intercept, full.spread_coefficient)


def test_jaccard() -> None:
    assert jaccard(["A", "B"], ["B", "C"]) == pytest.approx(1 / 3)
    assert jaccard(["A"], ["A"]) == 1.0
    assert jaccard([], []) == 1.0
