"""`coalesce robustness ISSUE --draws 1000` wall time per issue (SPEC target: under 10 s on 2 cores, with at
least 99% of draws certified).

Usage: python bench/bench_robustness.py [--draws 1000] [--workers N] [--timeout S] [--issues a,b | all]
                                        [--against CHECKOUT] [--per-draw]

The default is the issues of the README's examples; `all` runs every shipped issue. Each issue runs in a
fresh process (`--seed 1 --format json`); a run longer than `--timeout` seconds (default: none) is
stopped and reported as such, so one slow issue cannot hold up the table. Besides wall seconds the table
gives the CPU seconds of the process and its workers (user + system): on a shared machine wall time
grows with the load while CPU time moves much less.

`--against CHECKOUT` (another checkout of the project, say main's worktree) runs every issue with that
checkout's code right after this one's, so before and after come from one run under the same load; the
`code` column names which, and `same result` says whether the two JSON outputs are equal.

`--per-draw` runs the draws in this process instead (this checkout's code, one core, the shipped seeds)
and gives per draw the nodes, the CPU milliseconds of the search, how many winners were not among the
seeds, and the nodes when each draw is also seeded with its own winner: the most that better incumbents
(say, the previous draws' winners) could save.
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
    parser.add_argument("--per-draw", action="store_true", help="in-process counts per draw")
    args = parser.parse_args()
    env = _env(ROOT)
    issues = args.issues.split(",")
    if args.per_draw:
        _per_draw(issues, args.draws)
        return
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
            # the later codes' output compared with the first's; blank on the first's row or if it stopped
            same = (
                "" if len(outputs) == 1 or outputs[0] is None else ("yes" if result == outputs[0] else "NO")
            )
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


def _per_draw(issues: list[str], draws: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from coalesce import load_world
    from coalesce.analysis import robustness as module
    from coalesce.compiled import unit_uncertainty
    from coalesce.problem import compile as compile_problem
    from coalesce.request import build_request
    from coalesce.search import top_k

    world = load_world()
    print(
        f"`python bench/bench_robustness.py --per-draw --draws {draws}` (seed 1, one process; load average "
        f"at start {os.getloadavg()[0]:.1f})\n\n"
        "| issue | draws | certified | nodes a draw | search CPU ms a draw | winners not among the seeds "
        "| nodes a draw, seeded with its own winner too |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for issue in issues:
        ctx = compile_problem(world, build_request(world, issue, top=5)).context
        baseline = top_k(ctx, 5, None, work_limit=module.BASELINE_WORK_LIMIT)
        seeds = tuple(found.members for found in baseline.results)
        uncertainty = unit_uncertainty(ctx)
        nodes = own_nodes = outside = certified = 0
        cpu = 0.0
        for index in range(draws):
            drawn = module._draw(ctx, uncertainty, 1, index, module.DEFAULT_CONCENTRATION)
            began = time.process_time()
            outcome = top_k(drawn, 1, None, seeds=seeds, greedy=False, work_limit=module.DRAW_WORK_LIMIT)
            cpu += time.process_time() - began
            nodes += outcome.nodes
            certified += outcome.exact
            winner = outcome.results[0].members if outcome.results else ()
            outside += winner not in seeds
            again = top_k(
                drawn, 1, None, seeds=(*seeds, winner), greedy=False, work_limit=module.DRAW_WORK_LIMIT
            )
            own_nodes += again.nodes
        print(
            f"| {issue} | {draws} | {certified} | {nodes / draws:.1f} | {1000 * cpu / draws:.1f} | {outside} "
            f"| {own_nodes / draws:.1f} ({own_nodes / nodes - 1:+.1%}) |",
            flush=True,
        )


if __name__ == "__main__":
    main()
