"""Fit the timeliness model on the negotiations in data/cases.yaml (those not held out) and print the
`model:` values.

Usage: python scripts/fit_timeliness.py [--data DIR]
Paste the printed values into the `model:` block of issues.yaml (tests/test_calibration.py checks them).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from coalesce.analysis.calibration import fit, leave_one_out
from coalesce.cases import load_cases
from coalesce.loading.files import load_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    dataset = load_dataset(args.data)
    negotiations = load_cases(dataset, dataset.directory / "cases.yaml").fitted
    parties = [n.parties for n in negotiations]
    spreads = [n.spread for n in negotiations]
    months = [n.months for n in negotiations]
    model = fit(parties, spreads, months)
    errors = leave_one_out(parties, spreads, months)
    print(f"  timeliness_intercept: {model.intercept:.4f}")
    print(f"  timeliness_size_elasticity: {model.size_elasticity:.4f}")
    print(f"  timeliness_spread_coefficient: {model.spread_coefficient:.4f}")
    print(f"  timeliness_residual_sd: {model.residual_sd:.4f}")
    b0, b1, b2 = model.unconstrained
    print(f"# {model.observations} negotiations; unrestricted fit b0={b0:.3f} b1={b1:.3f} b2={b2:.3f}")
    rmse = math.sqrt(sum(e * e for e in errors) / len(errors))
    print(
        f"# leave-one-out: RMSE {rmse:.3f} in log months (typical error x{math.exp(sum(abs(e) for e in errors) / len(errors)):.2f})"
    )


if __name__ == "__main__":
    main()
