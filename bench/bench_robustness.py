"""`coalesce robustness ISSUE --draws 1000` wall time per issue (SPEC target: under 10 s on 2 cores).

Usage: python bench/bench_robustness.py [--draws 1000] [--issues a,b]
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
        "--issues", default="semiconductor-export-controls,chip-supply-resilience,ai-governance"
    )
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    print("| issue | draws | wall s | certified draws | baseline wins |\n|---|---:|---:|---:|---:|")
    for issue in args.issues.split(","):
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
            f"| {issue} | {args.draws} | {wall:.1f} | {result['exact_draws']} | {result['baseline_share']:.0%} |"
        )


if __name__ == "__main__":
    main()
