"""The back-test's legitimacy weight per issue class (docs/backtest.md, "Issue parameters"): every case
records its class with the words that decide it, and the case runs with that class's a priori weight."""

from __future__ import annotations

import pytest

from coalesce.analysis.backtest import run
from coalesce.cases import LEGITIMACY_BY_CLASS, Case, load_cases
from coalesce.loading.files import Dataset


def test_every_case_and_failure_is_classified_with_its_basis(dataset: Dataset) -> None:
    cases = load_cases(dataset, dataset.directory / "cases.yaml")
    for case in [*cases.cases, *cases.failures]:
        assert case.issue_class in LEGITIMACY_BY_CLASS, case.id
        assert case.class_basis and case.class_basis.startswith("Q"), case.id


def test_a_case_runs_with_its_class_weight_and_the_rest_at_one(dataset: Dataset) -> None:
    cases = load_cases(dataset, dataset.directory / "cases.yaml")
    chips = next(c for c in cases.cases if c.id == "chip-tools-2023")
    quad = next(c for c in cases.cases if c.id == "quad-2021")
    assert run.prepare(dataset, cases, chips).weights["legitimacy"] == 0.25
    assert run.prepare(dataset, cases, quad).weights["legitimacy"] == 1.0
    assert run.prepare(dataset, cases, quad).weights["veto"] == 1.0
    unclassified = chips.model_copy(update={"issue_class": None, "class_basis": None})
    assert run.prepare(dataset, cases, unclassified).weights["legitimacy"] == 0.0


def test_a_class_without_its_basis_is_refused() -> None:
    with pytest.raises(ValueError, match="go together"):
        Case.model_validate(
            {
                "id": "x",
                "name": "x",
                "year": 2020,
                "issue": "ai-governance",
                "members": ["USA"],
                "convener": "USA",
                "issue_class": "norm-setting",
            }
        )
