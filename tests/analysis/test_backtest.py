"""The back-test under its protocol (docs/backtest.md): every case runs, the metrics and intervals are
consistent, docs/backtest.md is what scripts/backtest_doc.py writes, and the inputs are checked.

The full back-test runs once per suite run, in pieces that pytest-xdist can spread over its workers:
`test_case_runs[ID]` and `test_failure_runs[ID]` each compute one row (`run.run_case` / `run.run_failure`,
the protocol's budgets unchanged) and leave it in the run's shared temporary directory; `result` is
then `backtest(dataset)` itself, with those two functions (and the acceptance calibration) answered
from that directory, so the assembly, totals and intervals are the command's own code. A row missing
there (a test deselected, or still running elsewhere) is computed, under a lock, by whoever needs it
first, never twice.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import pytest
import yaml
from conftest import ROOT, run_cli
from hypothesis import given
from hypothesis import strategies as st

import coalesce.analysis.backtest as backtest_module
from coalesce.analysis.backtest import backtest, metrics, run, vintage
from coalesce.analysis.calibration import fit
from coalesce.cases import LEGITIMACY_BY_CLASS, Case, CaseFile, Failure, load_cases
from coalesce.criteria.registry import REGISTRY
from coalesce.errors import DataError
from coalesce.loading.files import Dataset, load_dataset
from coalesce.models.backtest import AcceptanceCalibration, BacktestCase, BacktestResult, FailureCase
from coalesce.render.backtest import backtest_markdown, backtest_table


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


try:
    import fcntl
except ImportError:  # no advisory locks (Windows): a row may then be computed twice, never wrongly
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
_SHIPPED_CASES = yaml.safe_load((ROOT / "data" / "cases.yaml").read_text(encoding="utf-8"))
CASE_IDS = [c["id"] for c in _SHIPPED_CASES["cases"]]
FAILURE_IDS = [f["id"] for f in _SHIPPED_CASES["failures"]]
"""The shipped cases' ids, for the parametrisation (test_every_case_and_failure_runs checks them)."""


@pytest.fixture(scope="session")
def shared_rows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test run's directory for back-test rows: the same for every xdist worker (their base
    temporary directories are siblings in the run's own), fresh for every run."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    directory = root / "backtest-rows"
    directory.mkdir(exist_ok=True)
    return directory


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # the lock goes with the file's closing


def _once(directory: Path, name: str, compute: Callable[[], T]) -> T:
    """`compute()` for this run, computed by the first worker to ask and read back by the others."""
    path = directory / f"{name}.pickle"
    with _locked(directory / f"{name}.lock"):
        if path.exists():
            value: T = pickle.loads(path.read_bytes())
            return value
        value = compute()
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(value))
        partial.replace(path)
        return value


_run_case = run.run_case
_run_failure = run.run_failure
_acceptance_calibration = backtest_module.acceptance_calibration


@pytest.fixture(scope="session")
def case_file(dataset: Dataset) -> CaseFile:
    return load_cases(dataset, dataset.directory / "cases.yaml")


def case_row(dataset: Dataset, cases: CaseFile, case: Case, directory: Path) -> BacktestCase:
    """One shipped case's row under the protocol, once per test run."""
    return _once(directory, f"case-{case.id}", lambda: _run_case(dataset, cases, case))


def failure_row(dataset: Dataset, cases: CaseFile, failure: Failure, directory: Path) -> FailureCase:
    """One shipped failure's row under the protocol, once per test run."""
    return _once(directory, f"failure-{failure.id}", lambda: _run_failure(dataset, cases, failure))


def acceptance_row(dataset: Dataset, directory: Path) -> AcceptanceCalibration | None:
    """The acceptance calibration on the shipped signatures, once per test run."""
    return _once(directory, "acceptance", lambda: _acceptance_calibration(dataset))


@pytest.fixture(scope="session")
def result(dataset: Dataset, shared_rows: Path) -> BacktestResult:
    """The whole back-test (the call scripts/backtest_doc.py makes, `backtest(dataset)`), its rows and
    acceptance calibration taken from the per-case tests of this run (see the module's docstring)."""

    def case(data: Dataset, cases: CaseFile, one: Case) -> BacktestCase:
        assert data is dataset
        return case_row(data, cases, one, shared_rows)

    def failure(data: Dataset, cases: CaseFile, one: Failure) -> FailureCase:
        assert data is dataset
        return failure_row(data, cases, one, shared_rows)

    def acceptance(data: Dataset, path: Path | None = None) -> AcceptanceCalibration | None:
        assert data is dataset and path is None
        return acceptance_row(data, shared_rows)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run, "run_case", case)
        patch.setattr(run, "run_failure", failure)
        patch.setattr(backtest_module, "acceptance_calibration", acceptance)
        return backtest(dataset)


@pytest.mark.first
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_runs(dataset: Dataset, case_file: CaseFile, shared_rows: Path, case_id: str) -> None:
    """One case under the protocol: its row is well-formed (and kept for `result`)."""
    (case,) = [c for c in case_file.cases if c.id == case_id]
    row = case_row(dataset, case_file, case, shared_rows)
    assert row.id == case_id and row.recommended is not None
    for o in [row.recommended, *row.baselines.values()]:
        assert 0 <= o.jaccard <= min(o.precision, o.recall) + 1e-9 or o.jaccard == 0
        assert 0 <= o.precision <= 1 and 0 <= o.recall <= 1
    assert set(row.baselines) == set(run.BASELINES)
    assert row.min_size <= len(row.real_core) <= row.max_size, "every real core must be reachable"
    assert row.max_size % 10 == 0 or row.max_size == run.prepare(dataset, case_file, case).issue.max_size
    assert 0 <= row.brier <= 1 and (row.auc is None or 0 <= row.auc <= 1)
    assert row.nodes <= run.NODE_LIMIT + 1 or row.exact
    assert row.vintage.applied and row.vintage.year == row.year
    assert row.convener_settled, "the ranking is defined for members too (protocol)"
    if row.convener_rank is not None and row.convener_rank <= len(row.convener_chain):
        assert row.convener_chain[row.convener_rank - 1] in row.conveners
    if row.convener_rank is not None:
        assert not set(row.convener_chain[: row.convener_rank - 1]) & set(row.conveners)


@pytest.mark.first
@pytest.mark.parametrize("failure_id", FAILURE_IDS)
def test_failure_runs(dataset: Dataset, case_file: CaseFile, shared_rows: Path, failure_id: str) -> None:
    """One failure under the protocol: the refusers are members, the verdict matches its probability."""
    (failure,) = [f for f in case_file.failures if f.id == failure_id]
    row = failure_row(dataset, case_file, failure, shared_rows)
    assert row.id == failure_id and row.members == sorted(failure.members)
    assert set(row.refused) <= set(row.members)
    assert row.refuser_named == (row.likeliest_to_block in row.refused)
    assert row.predicts_failure == (row.veto_probability < 0.5)


@pytest.mark.last
def test_docs_backtest_is_what_the_script_writes(result: BacktestResult) -> None:
    doc = _script("backtest_doc")
    current = (ROOT / "docs" / "backtest.md").read_text(encoding="utf-8")
    assert current.startswith("# Back-test against real minilaterals\n\n## Protocol\n")
    assert doc.MARKER in current
    assert doc.render(current, backtest_markdown(result)) == current, (
        "docs/backtest.md is stale: run `python scripts/backtest_doc.py`"
    )


@pytest.mark.last
def test_every_case_and_failure_runs(case_file: CaseFile, result: BacktestResult) -> None:
    """Every shipped case and failure is in the result, in file order, and each has its own test above
    (test_case_runs / test_failure_runs check its row)."""
    assert [c.id for c in result.cases] == [c.id for c in case_file.cases] == CASE_IDS
    assert [f.id for f in result.failures] == [f.id for f in case_file.failures] == FAILURE_IDS
    assert len(result.failures) >= 5


@pytest.mark.last
def test_weights_follow_the_protocol(result: BacktestResult, dataset: Dataset) -> None:
    """Default weights everywhere; capability 0 only where the case says no domain measures it;
    legitimacy its issue class's a priori weight (amended protocol, issue 15)."""
    cases = {c.id: c for c in load_cases(dataset, dataset.directory / "cases.yaml").cases}
    defaults = {c.NAME: c.DEFAULT_WEIGHT for c in REGISTRY}
    for row in result.cases:
        case = cases[row.id]
        expected = 0.0 if case.capability_unmeasured else defaults["capability"]
        assert case.issue_class is not None
        legitimacy = LEGITIMACY_BY_CLASS[case.issue_class]
        assert row.weights == {**defaults, "capability": expected, "legitimacy": legitimacy}


@pytest.mark.last
def test_means_and_intervals(result: BacktestResult) -> None:
    by_key = {m.metric: m for m in result.metrics}
    jac = by_key["jaccard"]
    values = [r.recommended.jaccard for r in result.cases if r.recommended]
    assert jac.mean == pytest.approx(sum(values) / len(values), abs=1e-6)
    for m in result.metrics:
        if m.mean is not None:
            assert m.low is not None and m.high is not None and m.low <= m.mean + 1e-9 <= m.high + 2e-9
    comparisons = {c.baseline: c for c in result.comparisons}
    assert set(comparisons) == set(run.BASELINES) and comparisons["top_n_oracle"].oracle
    for c in result.comparisons:
        assert c.difference == pytest.approx(c.engine - c.other, abs=2e-6)
        assert c.low <= c.difference + 1e-9 <= c.high + 2e-9


@pytest.mark.last
def test_failure_summary_counts(result: BacktestResult) -> None:
    s = result.failure_summary
    assert s.failures == len(result.failures)
    assert s.predicted == sum(1 for f in result.failures if f.veto_probability < 0.5)
    for f in result.failures:
        assert set(f.refused) <= set(f.members)
        assert f.refuser_named == (f.likeliest_to_block in f.refused)


@pytest.mark.last
def test_acceptance_and_timeliness_are_reported(result: BacktestResult) -> None:
    a = result.acceptance
    assert a is not None and a.decisions >= 4 and a.invitees >= 30 and 0 < a.signed < a.invitees
    for value in (
        a.brier_model,
        a.brier_base_rate,
        a.brier_anchored,
        a.acceptance_loo,
        a.acceptance_base_rate,
    ):
        assert value is not None and 0 <= value <= 1
    assert a.brier_refit is None  # the previous model's refit is no longer run (issue 15)
    assert result.timeliness.negotiations >= 8 and result.timeliness.mean_abs_log_error is not None


@pytest.mark.last
def test_table_renders_every_case(result: BacktestResult) -> None:
    text = backtest_table(result, False, 160)
    for row in result.cases:
        assert row.id in text
    assert "Acceptance model" in text


@pytest.mark.last
def test_cli_single_case_in_table_and_json(
    result: BacktestResult, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`coalesce backtest --case` picks the case and renders it; a case or failure run alone is the same
    row as in the full run. The acceptance calibration (about 5 s, a function of the shipped data and
    signatures only, checked on the full run above) is taken from the module's full run."""
    import coalesce.analysis.backtest as module

    calibrate = module.acceptance_calibration

    def from_the_full_run(data: Dataset, path: Path | None = None) -> object:
        if path is None and data.directory == dataset.directory:
            return result.acceptance
        return calibrate(data, path)

    monkeypatch.setattr(module, "acceptance_calibration", from_the_full_run)
    code, out, err = run_cli("backtest", "--case", "depa-2020", width=160)
    assert code == 0, err
    assert "depa-2020" in out and "Jaccard" in out
    code, out, err = run_cli("backtest", "--case", "quad-2008", "--format", "json", width=160)
    assert code == 0, err
    report = json.loads(out)
    assert report["cases"] == [] and [f["id"] for f in report["failures"]] == ["quad-2008"]
    (full,) = [f for f in result.failures if f.id == "quad-2008"]
    assert report["failures"] == [json.loads(full.model_dump_json())]
    code, _, err = run_cli("backtest", "--case", "no-such-case", width=160)
    assert code == 2 and "no such case" in err and "Traceback" not in err


@pytest.mark.last
def test_time_estimates_are_leave_one_out(dataset: Dataset, result: BacktestResult) -> None:
    """A case that is a calibration negotiation is estimated by a fit that never saw it."""
    case_file = load_cases(dataset, dataset.directory / "cases.yaml")
    row = next(r for r in result.cases if r.left_out_of_fit)
    rest = [n for n in case_file.fitted if n.id != row.left_out_of_fit]
    full = fit(
        [n.parties for n in case_file.fitted],
        [n.spread for n in case_file.fitted],
        [n.months for n in case_file.fitted],
    )
    partial = fit([n.parties for n in rest], [n.spread for n in rest], [n.months for n in rest])
    assert (partial.intercept, partial.spread_coefficient) != (full.intercept, full.spread_coefficient)


def test_vintage_layer_replaces_figures_as_of_the_year(dataset: Dataset) -> None:
    dated, info = vintage.apply(dataset, 1989)
    assert info.applied and info.sessions == [42, 43, 44]
    eu = dated.world.actor("EU")
    assert sorted(eu.members) == sorted(
        ["BEL", "DEU", "DNK", "ESP", "FRA", "GBR", "GRC", "IRL", "ITA", "LUX", "NLD", "PRT"]
    )
    usa_then = dated.world.actor("USA").capabilities["economy"].share
    usa_now = dataset.world.actor("USA").capabilities["economy"].share
    assert usa_then != usa_now and 0.2 < usa_then < 0.35  # about 28% of world GDP in 1989
    layer = vintage.layers(dataset)[1989]
    assert "EST" not in layer.economy  # no World Bank GDP for Estonia in 1989: today's figure stays
    assert (
        dated.world.actor("EST").capabilities["economy"] == dataset.world.actor("EST").capabilities["economy"]
    )
    same, info = vintage.apply(dataset, 1850)
    assert same is dataset and not info.applied


def test_vintage_file_is_what_the_script_builds(tmp_path: Path) -> None:
    raw = ROOT.parent / "shared" / "data" / "raw"
    if not (raw / "worldbank_gdp_NY.GDP.MKTP.CD.csv").exists():
        pytest.skip("raw files not available")
    out = tmp_path / "case_vintage.yaml"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_case_vintage.py"),
            "--raw",
            str(raw),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == (ROOT / "data" / "case_vintage.yaml").read_text(
        encoding="utf-8"
    )


def test_a_refuser_outside_the_grouping_is_a_clear_error(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        "schema_version: 1\n"
        "failures:\n"
        "  - id: f1\n"
        "    name: A failure\n"
        "    year: 2020\n"
        "    issue: ai-governance\n"
        "    members: [USA, GBR]\n"
        "    convener: GBR\n"
        "    refused: [CHN]\n"
        "    outcome: it failed\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_cases(dataset, path)
    problem = err.value.problems[0]
    assert problem.line == 9 and "refused" in problem.message and "CHN" in problem.message


def test_months_may_be_zero_but_not_negative(dataset: Dataset, tmp_path: Path) -> None:
    text = (
        "schema_version: 1\ncases:\n  - id: c1\n    name: A declaration\n    year: 2020\n"
        "    issue: ai-governance\n    members: [USA, GBR]\n    convener: GBR\n    months_to_agreement: {m}\n"
    )
    path = tmp_path / "cases.yaml"
    path.write_text(text.format(m=0), encoding="utf-8")
    assert load_cases(dataset, path).cases[0].months_to_agreement == 0
    path.write_text(text.format(m=-1), encoding="utf-8")
    with pytest.raises(DataError):
        load_cases(dataset, path)


codes = st.sets(st.sampled_from(["A", "B", "C", "D", "E", "F"]), max_size=6)


@given(codes, codes)
def test_overlap_metrics(a: set[str], b: set[str]) -> None:
    j = metrics.jaccard(a, b)
    assert j == metrics.jaccard(b, a) and 0 <= j <= 1
    assert (j == 1) == (a == b)
    if a and b:
        assert j <= min(metrics.precision(a, b), metrics.recall(a, b)) + 1e-12


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=30))
def test_auc_and_brier(pairs: list[tuple[float, bool]]) -> None:
    scores = [p for p, _ in pairs]
    outcomes = [y for _, y in pairs]
    area = metrics.auc(scores, outcomes)
    if all(outcomes) or not any(outcomes):
        assert area is None
    else:
        assert area is not None and 0 <= area <= 1
        flipped = metrics.auc([-s for s in scores], outcomes)
        assert flipped is not None and area + flipped == pytest.approx(1.0)
    assert 0 <= metrics.brier(scores, outcomes) <= 1


def test_auc_known_values() -> None:
    assert metrics.auc([0.9, 0.8, 0.1], [True, True, False]) == 1.0
    assert metrics.auc([0.5, 0.5], [True, False]) == 0.5
    assert metrics.brier([1.0, 0.0], [True, True]) == 0.5


@given(st.lists(st.floats(-1, 1), min_size=2, max_size=20))
def test_bootstrap_is_seeded_and_paired(values: list[float]) -> None:
    first = metrics.bootstrap(values, resamples=200)
    assert first == metrics.bootstrap(values, resamples=200)
    assert first[1] <= first[0] + 1e-9 or first[1] - first[0] < 1e-9
    assert metrics.paired_bootstrap(values, values, resamples=200) == (0.0, 0.0, 0.0)
    shifted = metrics.paired_bootstrap([v + 0.5 for v in values], values, resamples=200)
    assert shifted == pytest.approx((0.5, 0.5, 0.5))


def test_a_small_world_without_vintage_or_signatures(tiny_world: Path, tmp_path: Path) -> None:
    """A user's data directory without the vintage layer or signature file still runs: nothing is dated,
    no acceptance calibration, a same-meeting adoption counts as half a month, the cap fits the world."""
    path = tmp_path / "cases.yaml"
    path.write_text(
        "schema_version: 1\ncases:\n  - id: c1\n    name: Case one\n    year: 2020\n    issue: chips\n"
        "    members: [USA, NOR]\n    convener: NOR\n    months_to_agreement: 0\n",
        encoding="utf-8",
    )
    tiny = load_dataset(tiny_world)
    report = backtest(tiny, path)
    row = report.cases[0]
    assert not row.vintage.applied and report.acceptance is None
    assert row.max_size <= len(tiny.world.actors)
    assert row.actual_months == 0 and row.months_log_error is not None
    assert row.months_log_error == pytest.approx(math.log(row.estimated_months / run.MIN_MONTHS), abs=1e-5)
