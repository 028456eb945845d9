"""Where a warm `propose ISSUE --max-size 20` spends its CPU, phase by phase, against the stack import.

Usage: python bench/bench_phases.py [--runs 3] [--issues a,b] [--max-size 20]

Each run is a fresh process (warm plain-type cache, bytecode compiled) that times with
`time.process_time` (CPU, steadier than wall time on a shared machine): the stack import (`import typer,
rich, pydantic, yaml`), the package's import (the CLI and the engine), loading the dataset, building the
request and compiling the context (with the convener model), the search (`top_k` at the default work
budget), the five recommendations, `report.honest` (propose's robustness note: 20 perturbed draws that
re-score the listed cores) and the result model's schema, which pydantic builds on its first validation. These are the steps of `engine.propose`, called one by
one; the command itself also parses its options with typer (not timed here). The table gives the median
over `--runs` of each phase and the sum, in seconds and as a multiple of the stack import.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import PYTHON, ROOT, warm_cache_env

PHASES = ("stack", "package", "load", "compile", "search", "recommend", "honest", "result")

CHILD = r"""
import json, sys, time
clock = time.process_time
marks = [clock()]
import typer, rich, pydantic, yaml
marks.append(clock())
import coalesce.cli
from coalesce import engine, report
from coalesce.loading.files import load_dataset
from coalesce.request import build_request
from coalesce.search import top_k
marks.append(clock())
dataset = load_dataset()
marks.append(clock())
issue, max_size = sys.argv[1], int(sys.argv[2])
request = build_request(dataset, issue, top=5, max_size=max_size)
ctx = engine.context_for(dataset, request)
marks.append(clock())
outcome = top_k(ctx, 5, None, work_limit=engine.DEFAULT_WORK_BUDGET)
marks.append(clock())
recs = [report.recommendation(ctx, found.members, rank) for rank, found in enumerate(outcome.results, 1)]
marks.append(clock())
recs = report.honest(ctx, [found.members for found in outcome.results], recs)
marks.append(clock())
from coalesce.models.results import ProposeResult
ProposeResult.model_rebuild()  # the schema build its first validation does (the models defer it)
marks.append(clock())
phases = [b - a for a, b in zip(marks, marks[1:])]
print(json.dumps({"phases": phases, "nodes": outcome.nodes, "exact": outcome.exact}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--issues", default="")
    parser.add_argument("--max-size", type=int, default=20)
    args = parser.parse_args()
    env = warm_cache_env()
    listing = subprocess.run(
        [PYTHON, "-m", "coalesce", "issues", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    issues = (
        args.issues.split(",") if args.issues else [row["id"] for row in json.loads(listing.stdout)["rows"]]
    )
    print(
        f"`python bench/bench_phases.py --runs {args.runs} --max-size {args.max_size}`: CPU seconds "
        f"(time.process_time), median of {args.runs} fresh processes per issue, warm cache\n"
    )
    print("| issue | " + " | ".join(PHASES) + " | sum | sum x stack | nodes | exact |")
    print("|---|" + "---:|" * (len(PHASES) + 3) + "---|")
    for issue in issues:
        command = [PYTHON, "-c", CHILD, issue, str(args.max_size)]
        subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=True)  # warms
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
            runs.append(json.loads(done.stdout))
        median = [statistics.median(run["phases"][k] for run in runs) for k in range(len(PHASES))]
        total = sum(median)
        print(
            f"| {issue} | "
            + " | ".join(f"{v:.3f}" for v in median)
            + f" | {total:.3f} | {total / median[0]:.1f} | {runs[-1]['nodes']:,} | {runs[-1]['exact']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
