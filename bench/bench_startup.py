"""Start-up cost: `coalesce --help` and `propose` against the stack's own import, warm and cold cache.

Usage: python bench/bench_startup.py [--runs 9] [--issue chip-supply-resilience] [--markdown] [--against DIR]

Every command runs in a fresh process, round-robin with the others (so a shared machine's load falls on
all alike); the table gives median wall and CPU (user + system) seconds and their ratio to
`python -c "import typer, rich, pydantic, yaml"` measured in the same run. SPEC's target for
`propose ISSUE --max-size 20` is under 3 x the stack import.

- warm cache: the plain-type cache of the validated world (loading/cache.py) holds the data;
- cold cache: an empty cache directory, so the run parses, validates and writes the cache;
- no cache: COALESCE_NO_CACHE=1, the full path without writing.

Two more warm rows: `issues --format json` (a command whose work is loading the data) and the propose
drawn as a markdown memo (the layouts and the memo backend). `--against DIR` adds every warm row again for
another checkout (DIR is its root, e.g. the main worktree), in the same round-robin: a change's start-up
cost before and after, in one run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import PYTHON, STACK, Timed, base_env, fresh_cache_env, interleave, run_once, warm_cache_env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--issue", default="chip-supply-resilience")
    parser.add_argument("--max-size", type=int, default=20)
    parser.add_argument("--markdown", action="store_true", help="Print only the markdown table.")
    parser.add_argument("--against", type=Path, default=None, help="Another checkout to time alongside.")
    args = parser.parse_args()
    coalesce = [PYTHON, "-m", "coalesce"]
    propose = [
        *coalesce,
        "propose",
        args.issue,
        "--max-size",
        str(args.max_size),
        "--format",
        "json",
        "--timing",
    ]
    warm = warm_cache_env()
    run_once(propose, warm, Timed())  # fills the warm cache
    cold = fresh_cache_env()
    memo = [*propose[: propose.index("--format")], "--format", "markdown"]
    listing = [*coalesce, "issues", "--format", "json"]
    warm_rows: dict[str, list[str]] = {
        "`import coalesce.cli`": [PYTHON, "-c", "import coalesce.cli"],
        "`coalesce --help`": [*coalesce, "--help"],
        "`issues --format json`, warm cache": listing,
        f"`propose {args.issue}`, warm cache": propose,
        f"`propose {args.issue} --format markdown`, warm cache": memo,
    }
    commands: dict[str, tuple[list[str], Callable[[], dict[str, str]]]] = {"stack import": (STACK, base_env)}
    commands.update({name: (line, lambda: warm) for name, line in warm_rows.items()})
    commands[f"`propose {args.issue}`, cold cache"] = (propose, cold)
    commands[f"`propose {args.issue}`, no cache"] = (propose, lambda: base_env(COALESCE_NO_CACHE="1"))
    if args.against is not None:
        other = warm_cache_env(args.against.resolve() / "src")
        run_once(propose, other, Timed())
        commands.update(
            {f"{name} ({args.against})": (line, lambda: other) for name, line in warm_rows.items()}
        )
    results = interleave(commands, args.runs)
    stack = results["stack import"]
    search = json.loads(results[f"`propose {args.issue}`, warm cache"].stdout)["search"]
    lines = [
        f"`python bench/bench_startup.py --runs {args.runs} --issue {args.issue} --max-size {args.max_size}"
        + (f" --against {args.against}" if args.against else "")
        + "`: "
        f"median of {args.runs} interleaved fresh processes; stack import {stack.median_wall:.3f} s wall, "
        f"{stack.median_cpu:.3f} s CPU; the search itself {search['seconds']:.3f} s "
        f"({search['nodes']} nodes, exact: {str(search['exact']).lower()}).",
        "",
        "| command | wall s | x stack | CPU s | x stack (CPU) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, timed in results.items():
        lines.append(
            f"| {name} | {timed.median_wall:.3f} | {timed.median_wall / stack.median_wall:.2f} | "
            f"{timed.median_cpu:.3f} | {timed.median_cpu / stack.median_cpu:.2f} |"
        )
    if not args.markdown:
        print(f"target: propose under 3 x stack import = {3 * stack.median_wall:.3f} s wall\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
