"""`coalesce robustness ISSUE --draws 1000` wall time per issue (SPEC target: under 10 s on 2 cores, with at
least 99% of draws certified).

Usage: python bench/bench_robustness.py [--draws 1000] [--workers N] [--timeout S] [--issues a,b | all]
                                        [--against CHECKOUT]

The default is the issues of the README's examples; `all` runs every shipped issue. Each issue runs in a
fresh process (`--seed 1 --format json`); a run longer than `--timeout` seconds (default: none) is
stopped and reported as such, so one slow issue cannot hold up the table. Besides wall seconds the table
gives the CPU seconds of the process and its workers (user + system): on a shared machine wall time
grows with the load while CPU time moves much less.

`--against CHECKOUT` (another checkout of the project, say main's worktree) runs every issue with that
checkout's code right after this one's, so before and after come from one run under the same load; the
`code` column names which, and `same result` says whether the two JSON outputs are equal.
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
    parser.add_argument("--against", type=Path, default=None, help="another checkout, run after this one")
    args = parser.parse_args()
    env = _env(ROOT)
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
        + (f" --against {args.against}" if args.against else "")
        + f"` ({os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f})\n"
    )
    codes = [("this", env)]
    if args.against is not None:
        codes.append((args.against.resolve().name, _env(args.against.resolve())))
    print(
        "| issue | code | draws | wall s | CPU s | certified draws | certified share | largest gap "
        "| baseline wins | same result |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    for issue in issues:
        outputs: list[dict[str, object] | None] = []
        for code, code_env in codes:
            result = _run(issue, code, code_env, args, workers)
            outputs.append(result)
            if result is None:
                continue
            # compared with the first code's output; blank when there is only one code or it was stopped
            same = "" if len(codes) == 1 or outputs[0] is None else ("yes" if result == outputs[0] else "NO")
            print(f" {same} |", flush=True)


def _env(root: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(
    issue: str, code: str, env: dict[str, str], args: argparse.Namespace, workers: list[str]
) -> dict[str, object] | None:
    """One fresh process: prints the row up to its last cell and returns the JSON (None if stopped)."""
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
        print(f"| {issue} | {code} | {args.draws} | > {args.timeout:g} (stopped) | | | | | | |", flush=True)
        return None
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.strip()[:500]}")
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result: dict[str, object] = json.loads(stdout)
    exact = int(result["exact_draws"])  # type: ignore[call-overload]
    print(
        f"| {issue} | {code} | {args.draws} | {wall:.1f} | {cpu:.1f} | {exact} | "
        f"{exact / args.draws:.1%} | {float(result.get('largest_gap', 0.0)):.3f} | "  # type: ignore[arg-type]
        f"{float(result['baseline_share']):.0%} |",  # type: ignore[arg-type]
        end="",
        flush=True,
    )
    return result


if __name__ == "__main__":
    main()
