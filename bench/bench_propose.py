"""Wall time of `coalesce propose` against the stack's own import time (SPEC's speed target), per issue,
with a warm and a cold cache of the validated world.

Usage: python bench/bench_propose.py [--runs 3] [--max-size 20] [--issues a,b] [--time-limit T] [--markdown]
                                    [--against DIR] [--no-cold]

For each shipped issue it runs `python -m coalesce propose ISSUE --max-size N --format json --timing`
in fresh processes, round-robin with `python -c "import typer, rich, pydantic, yaml"` (so each row's
ratio is taken in the same stretch of a shared machine's load): with a warm cache (the plain-type cache
of loading/cache.py holds the data) and a cold one (an empty cache directory: parse, validate, write).
It reports median wall seconds, their ratios to the stack import, the CPU ratio of the warm run (steadier
than wall time on a loaded machine), the search's nodes, whether it was exact and its own seconds.
Without --time-limit the search stops on its deterministic work budget, as `propose` does by default.

`--against DIR` times another checkout (DIR is its root, e.g. the main worktree) in the same round-robin,
warm cache only, so a change is measured before and after in one run: its columns are the other
checkout's warm wall and CPU ratios, nodes and exactness, and whether both printed the same JSON (the
`seconds` field, which `--timing` adds, left out). `--no-cold` skips the cold runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import PYTHON, STACK, Timed, base_env, fresh_cache_env, interleave, run_once, warm_cache_env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-size", type=int, default=20)
    parser.add_argument("--issues", default="")
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--markdown", action="store_true", help="Print only the markdown table.")
    parser.add_argument("--against", type=Path, default=None, help="Another checkout to time alongside.")
    parser.add_argument("--no-cold", action="store_true", help="Leave out the cold-cache runs.")
    args = parser.parse_args()
    warm = warm_cache_env()
    other = warm_cache_env(args.against.resolve() / "src") if args.against else None
    listing = subprocess.run(
        [PYTHON, "-m", "coalesce", "issues", "--format", "json"],
        capture_output=True,
        text=True,
        env=warm,
        check=True,
    )  # also fills the warm cache and compiles the bytecode
    issues = (
        args.issues.split(",") if args.issues else [row["id"] for row in json.loads(listing.stdout)["rows"]]
    )
    cold = fresh_cache_env()
    limit = ["--time-limit", str(args.time_limit)] if args.time_limit else []
    flags = (
        f"--runs {args.runs} --max-size {args.max_size}"
        + (f" --time-limit {args.time_limit:g}" if limit else "")
        + (f" --against {args.against}" if args.against else "")
        + (" --no-cold" if args.no_cold else "")
    )
    header = (
        "| issue | stack s | warm s | x stack | cold s | x stack | warm CPU x stack | nodes | exact | search s "
        "| search x stack |"
    )
    if other is not None:
        header += " other warm s | x stack | other CPU x stack | other nodes | other exact | same JSON |"
    rows = [
        header,
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
        + ("---:|---:|---:|---:|---|---|" if other else ""),
    ]
    stacks: list[float] = []
    for issue in issues:
        command = [
            PYTHON,
            "-m",
            "coalesce",
            "propose",
            issue,
            "--max-size",
            str(args.max_size),
            "--format",
            "json",
            "--timing",
            *limit,
        ]
        run_once(command, warm, Timed())  # the first run of an issue is not timed
        commands = {"stack": (STACK, base_env), "warm": (command, lambda: warm)}
        if not args.no_cold:
            commands["cold"] = (command, cold)
        if other is not None:
            run_once(command, other, Timed())
            commands["other"] = (command, lambda: other)
        timed = interleave(commands, args.runs)
        stack, hot = timed["stack"], timed["warm"]
        stacks.append(stack.median_wall)
        result = json.loads(hot.stdout)
        search = result["search"]
        cold_cells = (
            "- | - |"
            if args.no_cold
            else f"{timed['cold'].median_wall:.2f} | {timed['cold'].median_wall / stack.median_wall:.1f} |"
        )
        row = (
            f"| {issue} | {stack.median_wall:.3f} | {hot.median_wall:.2f} | {hot.median_wall / stack.median_wall:.1f} | "
            f"{cold_cells} {hot.median_cpu / stack.median_cpu:.1f} | {search['nodes']:,} | {_exact(search)} | "
            f"{search['seconds']:.2f} | {search['seconds'] / stack.median_wall:.1f} |"
        )
        if other is not None:
            theirs = timed["other"]
            their_result = json.loads(theirs.stdout)
            same = _untimed(result) == _untimed(their_result)
            row += (
                f" {theirs.median_wall:.2f} | {theirs.median_wall / stack.median_wall:.1f} | "
                f"{theirs.median_cpu / stack.median_cpu:.1f} | {their_result['search']['nodes']:,} | "
                f"{_exact(their_result['search'])} | {'yes' if same else 'NO'} |"
            )
        rows.append(row)
        if not args.markdown:
            print(rows[-1], flush=True)
    stacks.sort()
    print(
        f"\n`python bench/bench_propose.py {flags}`: median of {args.runs} interleaved fresh processes per "
        f'cell; the stack import (`python -c "import typer, rich, pydantic, yaml"`) took '
        f"{stacks[len(stacks) // 2]:.3f} s (median over the rows), so the target is about "
        f"{3 * stacks[len(stacks) // 2]:.2f} s.\n"
    )
    print("\n".join(rows))


def _exact(search: dict[str, object]) -> str:
    if search["exact"]:
        return "yes"
    return f"no: {search.get('stopped_by') or 'stopped'}, gap {search['gap']}"


def _untimed(result: dict[str, object]) -> dict[str, object]:
    """The JSON without the search's wall seconds (the one field `--timing` adds)."""
    search = dict(result["search"])  # type: ignore[call-overload]
    search.pop("seconds", None)
    return {**result, "search": search}


if __name__ == "__main__":
    main()
