"""The timeliness fit (shipped parameters equal it) and the acceptance model's calibration on signature decisions."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalesce.acceptance import Coefficients
from coalesce.analysis.calibration import (
    Invitee,
    SignatureRow,
    acceptance_errors,
    acceptance_fit_errors,
    acceptance_probability,
    fit,
    fit_rows,
    leave_one_out,
    predict_months,
    refit_acceptance,
    signature_rows,
)
from coalesce.cases import load_cases, load_signatures
from coalesce.loading.files import load_dataset


def test_shipped_parameters_equal_the_fit() -> None:
    dataset = load_dataset()
    negotiations = load_cases(dataset, dataset.directory / "cases.yaml").fitted
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
    model = fit(parties, spreads, months, use_spread=True)
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


# --- acceptance (veto model) on signature decisions -------------------------------------------------


def test_acceptance_curve_is_the_veto_formula() -> None:
    assert acceptance_probability(0.5, 0.5, 1.5, 0.02) == pytest.approx(0.98)
    assert acceptance_probability(0.0, 3.0, 1.5, 0.0) == pytest.approx(math.exp(-2.0))


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.1, 5), st.floats(0, 0.9))
def test_acceptance_falls_with_distance(position: float, point: float, sigma: float, e: float) -> None:
    near = acceptance_probability(position, point, sigma, e)
    far = acceptance_probability(position, point + (1.0 if point >= position else -1.0), sigma, e)
    assert 0 <= far <= near <= 1 - e + 1e-12


def _synthetic() -> list[Invitee]:
    """Three decisions: those near the group sign, the outliers decline."""
    rows = []
    for d, shift in (("a", 0.0), ("b", 0.5), ("c", -0.5)):
        for k, point in enumerate((-0.2, 0.0, 0.1, 0.2, 0.3, 2.8)):
            rows.append(Invitee(d, f"X{k}", point + shift, shift, point < 2))
    return rows


def test_refit_beats_the_base_rate_when_distance_decides() -> None:
    invitees = _synthetic()
    sigma, defection = refit_acceptance(invitees)
    assert sigma < 2.5 and defection <= 0.1
    errors = acceptance_errors(invitees, 1.5, 0.02)
    assert errors.refit < errors.base_rate
    assert errors.model < errors.base_rate


def test_base_rate_is_left_one_decision_out() -> None:
    """Decision a: everyone signs; the others: nobody does. The base rate for a must come from b and c."""
    invitees = [
        Invitee("a", "X", 0.0, 0.0, True),
        Invitee("b", "Y", 0.0, 0.0, False),
        Invitee("c", "Z", 0.0, 0.0, False),
    ]
    errors = acceptance_errors(invitees, 1.5, 0.02)
    assert errors.base_rate == pytest.approx((1.0 + 0.25 + 0.25) / 3)


def test_signature_decisions_are_sourced_and_disjoint_from_the_cases() -> None:
    dataset = load_dataset()
    doc = load_signatures(dataset, dataset.directory / "signatures.yaml")
    cases = load_cases(dataset, dataset.directory / "cases.yaml")
    assert len(doc.decisions) >= 4
    assert sum(len(d.signed) + len(d.declined) for d in doc.decisions) >= 30
    assert any(d.declined for d in doc.decisions), "a calibration set needs refusals"
    sources = {s.id: s for s in doc.sources}
    founding = {(c.year, frozenset(c.members)) for c in [*cases.cases, *cases.failures]}
    case_ids = {c.id for c in [*cases.cases, *cases.failures]}
    for d in doc.decisions:
        assert d.id not in case_ids
        assert (d.year, frozenset(d.signed)) not in founding, (
            f"{d.id} is a back-test case's founding decision"
        )
        for s in d.sources:
            assert sources[s].publisher and sources[s].url.startswith("http") and sources[s].year


# --- the veto criterion's acceptance model (coalesce.acceptance) --------------------------------------


@pytest.fixture(scope="module")
def signature_rows_shipped() -> list[SignatureRow]:
    dataset = load_dataset()
    rows, missing = signature_rows(dataset, load_signatures(dataset, dataset.directory / "signatures.yaml"))
    assert not missing
    return rows


def test_shipped_acceptance_coefficients_equal_the_fit(signature_rows_shipped: list[SignatureRow]) -> None:
    coef = fit_rows(signature_rows_shipped)
    params = load_dataset().params
    assert params.acceptance_intercept == pytest.approx(coef.intercept, abs=5e-4)
    assert params.acceptance_votes == pytest.approx(coef.votes, abs=5e-4)
    assert params.acceptance_regimes == pytest.approx(coef.regimes, abs=5e-4)
    assert params.acceptance_igos == pytest.approx(coef.igos, abs=5e-4)


def test_the_initiator_is_not_scored_and_full_lists_cover_the_un(
    signature_rows_shipped: list[SignatureRow],
) -> None:
    dataset = load_dataset()
    doc = load_signatures(dataset, dataset.directory / "signatures.yaml")
    un = {a.code for a in dataset.world.actors if a.un_member}
    for d in doc.decisions:
        scored = {r.actor for r in signature_rows_shipped if r.decision == d.id}
        assert d.initiator not in scored
        if d.invitees == "un-members":
            assert scored == un - {d.initiator}


def test_acceptance_model_beats_the_base_rate_out_of_sample(
    signature_rows_shipped: list[SignatureRow],
) -> None:
    """Issue 15's Done-when, on the shipped calibration set: leave-one-decision-out, interval below 0."""
    errors = acceptance_fit_errors(signature_rows_shipped)
    assert errors.loo < errors.base_rate
    estimate, low, high = errors.difference
    assert estimate == pytest.approx(errors.loo - errors.base_rate)
    assert low <= estimate <= high < 0
    assert errors.in_sample <= errors.loo + 1e-12


def _rows(coef: Coefficients, n: int, seed: int) -> list[SignatureRow]:
    import random

    rng = random.Random(seed)
    rows = []
    for k in range(n):
        x = (rng.gauss(0, 1), rng.choice((0.0, 0.5, 1.0)), rng.gauss(0, 1))
        rows.append(SignatureRow(f"d{k % 5}", f"A{k}", x, rng.random() < coef.probability(x), True))
    return rows


def test_fit_recovers_known_coefficients_of_the_acceptance_model() -> None:
    truth = Coefficients(-0.5, 1.0, 0.8, 0.4)
    coef = fit_rows(_rows(truth, 4000, 3))
    assert coef.intercept == pytest.approx(truth.intercept, abs=0.15)
    assert coef.votes == pytest.approx(truth.votes, abs=0.15)
    assert coef.regimes == pytest.approx(truth.regimes, abs=0.25)
    assert coef.igos == pytest.approx(truth.igos, abs=0.15)


def test_acceptance_slopes_are_sign_restricted() -> None:
    """Outcomes that fall with vote affinity: the slope is held at 0, not fitted negative."""
    coef = fit_rows(_rows(Coefficients(0.0, -1.5, 0.0, 0.0), 2000, 5))
    assert coef.votes == 0.0 and coef.regimes >= 0 and coef.igos >= 0
    unrestricted = Coefficients(coef.intercept, -1.5, coef.regimes, coef.igos)
    assert unrestricted.probability((2.0, 0.0, 0.0)) < coef.probability((2.0, 0.0, 0.0))


def test_base_rate_of_the_acceptance_fit_is_left_one_decision_out() -> None:
    rows = [
        SignatureRow("a", "X", (0.0, 0.0, 0.0), True, True),
        SignatureRow("b", "Y", (0.0, 0.0, 0.0), False, True),
        SignatureRow("c", "Z", (0.0, 0.0, 0.0), False, True),
    ]
    assert acceptance_fit_errors(rows).base_rate == pytest.approx((1.0 + 0.25 + 0.25) / 3)


def test_a_full_list_must_name_every_un_member(tmp_path: Path) -> None:
    from coalesce.errors import DataError

    dataset = load_dataset()
    text = (dataset.directory / "signatures.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "signatures.yaml"
    broken.write_text(text.replace("declined: [AFG, AGO, AND,", "declined: [AFG, AND,", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_signatures(dataset, broken)
    assert "UN members not listed: AGO" in str(exc.value.problems[0].message)
    assert exc.value.problems[0].line > 0
