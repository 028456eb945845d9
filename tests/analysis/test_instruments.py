"""The back-test protocol's decision rule per instrument (docs/backtest.md, "Issue parameters"): each case's
rule follows the instrument its sources record, and the case file says so or is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from coalesce.cases import CONSENSUS_INSTRUMENTS, OPT_IN_INSTRUMENTS, case_dataset, load_cases
from coalesce.errors import DataError
from coalesce.loading.files import Dataset
from coalesce.models.rules import Consensus, OptIn, WeightedVote


def test_every_shipped_case_records_its_instrument_and_takes_its_rule(dataset: Dataset) -> None:
    cases = load_cases(dataset, dataset.directory / "cases.yaml")
    seen = set()
    for case in [*cases.cases, *cases.failures]:
        assert case.instrument is not None, f"{case.id} has no instrument"
        assert case.instrument.source in case.sources or case.instrument.source in {
            s.id for s in cases.sources
        }
        _, issue = case_dataset(dataset, case)
        kind = case.instrument.type
        seen.add(kind)
        if kind in OPT_IN_INSTRUMENTS:
            assert isinstance(issue.decision_rule, OptIn), case.id
        else:
            assert kind in CONSENSUS_INSTRUMENTS, case.id
            assert isinstance(issue.decision_rule, Consensus), case.id
        if not isinstance(case.issue, str):  # an inline issue states the same rule, not a stale one
            assert case.issue.decision_rule.kind == issue.decision_rule.kind, case.id
    assert {"declaration", "agreement"} <= seen


def test_a_declaration_on_a_consensus_issue_is_scored_opt_in(dataset: Dataset) -> None:
    cases = load_cases(dataset, dataset.directory / "cases.yaml")
    bletchley = next(c for c in cases.cases if c.id == "bletchley-2023")
    assert isinstance(dataset.issues["ai-governance"].decision_rule, Consensus)
    _, issue = case_dataset(dataset, bletchley)
    assert isinstance(issue.decision_rule, OptIn)


_CASE = (
    "schema_version: 1\n"
    "sources:\n"
    "  - {{id: s1, title: A source, publisher: P, year: 2020, url: 'https://example.org'}}\n"
    "cases:\n"
    "  - id: c1\n"
    "    name: A case\n"
    "    year: 2020\n"
    "    issue: imf-quota-reform\n"
    "    members: [USA, JPN]\n"
    "    convener: USA\n"
    "    sources: [s1]\n"
    "{extra}"
)


def _load(dataset: Dataset, tmp_path: Path, extra: str) -> object:
    path = tmp_path / "cases.yaml"
    path.write_text(_CASE.format(extra=extra), encoding="utf-8")
    return load_cases(dataset, path)


def test_an_institution_decision_takes_the_institutions_rule(dataset: Dataset, tmp_path: Path) -> None:
    extra = (
        "    instrument:\n"
        "      type: institution-decision\n"
        "      source: s1\n"
        "      basis: '85% of total voting power'\n"
        "      rule: {kind: weighted, field: capabilities.imf-voting.share, quota: 0.85}\n"
    )
    cases = _load(dataset, tmp_path, extra)
    _, issue = case_dataset(dataset, cases.cases[0])  # type: ignore[attr-defined]
    assert isinstance(issue.decision_rule, WeightedVote) and issue.decision_rule.quota == 0.85


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        (
            "    instrument: {type: institution-decision, source: s1, basis: a vote}\n",
            12,
            "needs the institution's rule",
        ),
        (
            "    instrument: {type: declaration, source: s1, basis: x, rule: {kind: consensus}}\n",
            12,
            "takes its rule from its type",
        ),
        ("    instrument: {type: declaration, source: nowhere, basis: x}\n", 12, "unknown source 'nowhere'"),
        ("    instrument: {type: memo, source: s1, basis: x}\n", 12, "type"),
        (
            "    issue_overrides: {decision_rule: {kind: consensus}}\n"
            "    instrument: {type: declaration, source: s1, basis: x}\n",
            5,
            "drop issue_overrides.decision_rule",
        ),
    ],
)
def test_a_bad_instrument_is_one_clear_problem(
    dataset: Dataset, tmp_path: Path, extra: str, line: int, words: str
) -> None:
    with pytest.raises(DataError) as err:
        _load(dataset, tmp_path, extra)
    problem = err.value.problems[0]
    assert words in problem.message, problem.message
    assert problem.line is not None and abs(problem.line - line) <= 1, problem
