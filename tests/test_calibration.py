"""The shipped timeliness parameters are the fit on the shipped negotiations, and the fit is correct."""

from __future__ import annotations

import math

import pytest

from coalesce.analysis.calibration import fit, leave_one_out, predict_months
from coalesce.cases import load_cases
from coalesce.loading.files import load_dataset


def test_shipped_parameters_equal_the_fit() -> None:
    dataset = load_dataset()
    negotiations = load_cases(dataset, dataset.directory / "cases.yaml").negotiations
    assert len(negotiations) >= 8
    model = fit(
        [n.parties for n in negotiations], [n.spread for n in negotiations], [n.months for n in negotiations]
    )
    params = dataset.params
    assert params.timeliness_intercept == pytest.approx(model.intercept, abs=5e-5)
    assert params.timeliness_size_elasticity == pytest.approx(model.size_elasticity, abs=5e-5)
    assert params.timeliness_spread_coefficient == pytest.approx(model.spread_coefficient, abs=5e-5)
    assert params.timeliness_residual_sd == pytest.approx(model.residual_sd, abs=5e-5)


def test_fit_recovers_known_coefficients() -> None:
    parties = [2, 3, 5, 8, 13, 21, 34]
    spreads = [0.5, 1.5, 1.0, 2.5, 2.0, 3.5, 3.0]
    months = [math.exp(0.3 + 0.4 * math.log(n) + 0.2 * s) for n, s in zip(parties, spreads, strict=True)]
    model = fit(parties, spreads, months)
    assert model.intercept == pytest.approx(0.3, abs=1e-9)
    assert model.size_elasticity == pytest.approx(0.4, abs=1e-9)
    assert model.spread_coefficient == pytest.approx(0.2, abs=1e-9)
    assert predict_months(model, 10, 1.0) == pytest.approx(math.exp(0.3 + 0.4 * math.log(10) + 0.2), rel=1e-9)


def test_sign_restriction_holds_when_data_say_otherwise() -> None:
    parties = [2, 4, 8, 16, 32]
    spreads = [0.5, 1.0, 1.5, 2.0, 2.5]
    months = [30.0, 20.0, 12.0, 9.0, 5.0]  # shorter with more parties: the restriction must bind
    model = fit(parties, spreads, months)
    assert model.size_elasticity >= 0 and model.spread_coefficient >= 0
    assert len(leave_one_out(parties, spreads, months)) == 5
