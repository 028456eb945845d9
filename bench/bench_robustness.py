"""`coalesce robustness ISSUE --draws 1000` wall time per issue (SPEC target: under 10 s on 2 cores, with at
least 99% of draws certified).

Usage: python bench/bench_robustness.py [--draws 1000] [--workers N] [--timeout S] [--issues a,b | all]

The default is the issues of the README's examples; `all` runs every shipped issue. Each issue runs in a
fresh process (`--seed 1 --format json`); a run longer than `--timeout` seconds (default: none) is
stopped and reported as such, so one slow issue cannot hold up the table. Besides wall seconds the table
gives the CPU seconds of the process and its workers (user + system): on a shared machine wall time
grows with the load while CPU time moves much less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument(
        "--issues", default="ai-governance,semiconductor-export-controls,chip-supply-resilience"
    )
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
    workers = ["--workers", str(args.workers)] if args.workers else []
    print(
        f"`python bench/bench_robustness.py --draws {args.draws}"
        + (f" --workers {args.workers}" if args.workers else "")
        + (f" --timeout {args.timeout:g}" if args.timeout else "")
        + f"` ({os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f})\n"
    )
    print(
        "| issue | draws | wall s | CPU s | certified draws | certified share | largest gap | baseline wins |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for issue in issues:
        command = [
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
            *workers,
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        # Its own session, so a timeout stops the worker processes too, not only the parent.
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.communicate()
            print(f"| {issue} | {args.draws} | > {args.timeout:g} (stopped) | | | | | |", flush=True)
            continue
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.strip()[:500]}")
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        result = json.loads(stdout)
        print(
            f"| {issue} | {args.draws} | {wall:.1f} | {cpu:.1f} | {result['exact_draws']} | "
            f"{result['exact_draws'] / args.draws:.1%} | {result.get('largest_gap', 0.0):.3f} | "
            f"{result['baseline_share']:.0%} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
