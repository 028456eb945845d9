"""Fit the acceptance model's coefficients on the signature decisions (data/signatures.yaml).

The veto criterion's acceptance model (coalesce.acceptance) is a logistic in three features of an
invitee with the state that drafts the text (issue vote affinity, shared regimes, shared IGOs), slopes
restricted to >= 0, fitted by maximum likelihood on the calibration set only, never on the back-test
cases. Prints the coefficients to copy into data/issues.yaml `model:` (tests/test_calibration.py
checks the shipped values equal this fit) and the leave-one-decision-out Brier score against the
leave-one-out base rate, with its bootstrap interval over decisions.

    python scripts/fit_acceptance.py
"""

from __future__ import annotations

from coalesce.analysis.calibration import acceptance_fit_errors, signature_rows
from coalesce.cases import load_signatures
from coalesce.loading.files import load_dataset


def main() -> None:
    """Fit and print."""
    dataset = load_dataset()
    doc = load_signatures(dataset, dataset.directory / "signatures.yaml")
    rows, _ = signature_rows(dataset, doc)
    errors = acceptance_fit_errors(rows)
    c = errors.coefficients
    print(f"acceptance_intercept: {c.intercept:.4f}")
    print(f"acceptance_votes: {c.votes:.4f}")
    print(f"acceptance_regimes: {c.regimes:.4f}")
    print(f"acceptance_igos: {c.igos:.4f}")
    est, lo, hi = errors.difference
    print(
        f"# {len(doc.decisions)} decisions, {len(rows)} invitees scored, {sum(r.signed for r in rows)} signed; "
        f"Brier in sample {errors.in_sample:.3f}, leave-one-decision-out {errors.loo:.3f} against the "
        f"leave-one-out base rate {errors.base_rate:.3f} (difference {est:+.3f} [{lo:+.3f}, {hi:+.3f}])"
    )
    for kind, (n, loo, base) in errors.by_list.items():
        print(f"#   {kind}: {n} invitees, {loo:.3f} against {base:.3f}")


if __name__ == "__main__":
    main()
