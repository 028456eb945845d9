"""Wall time of `coalesce propose` against the stack's own import time (SPEC's speed target).

Usage: python bench/bench_propose.py [--runs 5] [--max-size 20] [--issues a,b] [--time-limit 60]

For each shipped issue it runs `python -m coalesce propose ISSUE --max-size N --format json` in a fresh
process, several times, and reports the median wall time, the ratio to the median of
`python -c "import typer, rich, pydantic, yaml"`, the search's node count and whether it was exact.
The baseline `python -c "import coalesce.cli"` is reported too. Output is a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}


def timed(args: list[str], runs: int) -> tuple[float, str]:
    """Median wall seconds over `runs` fresh processes, and the last stdout."""
    times, out = [], ""
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT, check=False)
        times.append(time.perf_counter() - began)
        out = done.stdout
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-size", type=int, default=20)
    parser.add_argument("--issues", default="")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    python = sys.executable
    stack, _ = timed([python, "-c", "import typer, rich, pydantic, yaml"], args.runs)
    cli, _ = timed([python, "-c", "import coalesce.cli"], args.runs)
    listing = subprocess.run(
        [python, "-m", "coalesce", "issues", "--format", "json"],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    )
    issues = (
        args.issues.split(",") if args.issues else [row["id"] for row in json.loads(listing.stdout)["rows"]]
    )
    print(f"stack import (typer, rich, pydantic, yaml): {stack:.3f} s; `import coalesce.cli`: {cli:.3f} s")
    print(f"target: under 3 x stack import = {3 * stack:.3f} s\n")
    print("| issue | wall s | x stack import | nodes | exact | search s |")
    print("|---|---:|---:|---:|---|---:|")
    for issue in issues:
        command = [
            python,
            "-m",
            "coalesce",
            "propose",
            issue,
            "--max-size",
            str(args.max_size),
            "--format",
            "json",
            "--timing",
            "--time-limit",
            str(args.time_limit),
        ]
        wall, out = timed(command, args.runs)
        search = json.loads(out)["search"]
        print(
            f"| {issue} | {wall:.3f} | {wall / stack:.1f} | {search['nodes']} | {search['exact']} | {search['seconds']:.3f} |"
        )


if __name__ == "__main__":
    main()
