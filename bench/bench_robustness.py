"""`coalesce robustness ISSUE --draws 1000` wall time per issue (SPEC target: under 10 s on 2 cores).

Usage: python bench/bench_robustness.py [--draws 1000] [--issues a,b | --issues all]

The default is the issues of the README's examples; `all` runs every shipped issue (imf-quota-reform
alone takes about a second a draw).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument(
        "--issues", default="ai-governance,semiconductor-export-controls,chip-supply-resilience"
    )
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    issues = args.issues.split(",")
    if args.issues == "all":
        listing = subprocess.run(
            [sys.executable, "-m", "coalesce", "issues", "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        issues = [row["id"] for row in json.loads(listing.stdout)["rows"]]
    print(
        "| issue | draws | wall s | certified draws | largest gap | baseline wins |\n"
        "|---|---:|---:|---:|---:|---:|"
    )
    for issue in issues:
        began = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "coalesce",
                "robustness",
                issue,
                "--draws",
                str(args.draws),
                "--seed",
                "1",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        wall = time.perf_counter() - began
        result = json.loads(done.stdout)
        print(
            f"| {issue} | {args.draws} | {wall:.1f} | {result['exact_draws']} | "
            f"{result.get('largest_gap', 0.0):.3f} | {result['baseline_share']:.0%} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
