"""Certification of the exact search, before and after a change, in one run: per shipped issue, the
search's nodes, CPU seconds, gap and whether it is exact, for SPEC's two exactness targets.

Usage: python bench/bench_exact.py [--ref REV] [--issues a,b] [--targets shipped,max20,legitimacy]
[--markdown]

Targets:
- `shipped`: `propose ISSUE` at the issue's weights and its own size limits (issues 15 and 16: exact
  within the default budget);
- `max20`: `propose ISSUE --max-size 20` at the issue's weights (issue 16: exact on every issue);
- `legitimacy`: the same with `--weight legitimacy=1` (issue 12: exact on every issue within the
  default budget).

Each search runs as `propose` runs it (`request.build_request`, `problem.compile`, `search.top_k` with
the default deterministic work budget, top 5) in a fresh process, once with this checkout's source and
once with REV's (`git archive`, default: main), alternately, cell by cell, so both see the same load of
a shared machine. CPU seconds are `time.process_time` around the search alone; "same top 5" compares
the ranked member sets of the two versions (they must agree wherever both are exact).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGETS: dict[str, tuple[int | None, dict[str, float] | None]] = {
    "shipped": (None, None),
    "max20": (20, None),
    "legitimacy": (20, {"legitimacy": 1.0}),
}
"""Per target: the --max-size (None: the issue's own) and the --weight overrides."""

WORKER = """
import json, sys, time
from coalesce import problem
from coalesce.loading.files import load_dataset
from coalesce.request import DEFAULT_WORK_BUDGET, build_request
from coalesce.search import top_k
issue, max_size, weights = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
ds = load_dataset()
request = build_request(ds, issue, max_size=max_size, weights=weights)
ctx = problem.compile(ds, request).context
began = time.process_time()
out = top_k(ctx, request.top, None, work_limit=DEFAULT_WORK_BUDGET)
cpu = time.process_time() - began
print(json.dumps({
    "nodes": out.nodes, "cpu": cpu, "gap": out.gap, "exact": out.exact,
    "top": [[round(f.score, 9), [ctx.codes[m] for m in f.members]] for f in out.results],
}))
"""


def _checkout(ref: str, into: Path) -> Path:
    """REV's src/ and data/ under `into` (what the package reads), from `git archive`."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src", "data"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _run(
    source: Path, issue: str, max_size: int | None, weights: dict[str, float] | None
) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(source), "COALESCE_NO_CACHE": "1"}
    done = subprocess.run(
        [PYTHON, "-c", WORKER, issue, json.dumps(max_size), json.dumps(weights)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _issues(source: Path) -> list[str]:
    code = "from coalesce.loading.files import load_dataset; print(' '.join(sorted(load_dataset().issues)))"
    env = {**os.environ, "PYTHONPATH": str(source), "COALESCE_NO_CACHE": "1"}
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=env, check=True)
    return out.stdout.split()


def _exact(row: dict[str, object]) -> str:
    return "yes" if row["exact"] else "no"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ref", default="main", help="the version to compare with (a git revision)")
    parser.add_argument("--issues", default="")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--markdown", action="store_true", help="print only the tables")
    args = parser.parse_args()
    after_src = ROOT / "src"
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    base = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.ref], capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        before_src = _checkout(args.ref, Path(tmp))
        issues = args.issues.split(",") if args.issues else _issues(after_src)
        tables = []
        for target in args.targets.split(","):
            max_size, weights = TARGETS[target]
            rows = [
                f"### `{target}`: `propose ISSUE"
                + (f" --max-size {max_size}" if max_size else "")
                + (" --weight legitimacy=1" if weights else "")
                + "`, default work budget",
                "",
                f"Before: {base} ({args.ref}); after: {head} (this checkout). CPU: the search alone.",
                "",
                "| issue | before nodes | before CPU s | before gap | before exact | after nodes "
                "| after CPU s | after gap | after exact | CPU after/before | same top 5 |",
                "|---|---:|---:|---:|---|---:|---:|---:|---|---:|---|",
            ]
            exact_before = exact_after = 0
            for issue in issues:
                before = _run(before_src, issue, max_size, weights)
                after = _run(after_src, issue, max_size, weights)
                exact_before += bool(before["exact"])
                exact_after += bool(after["exact"])
                cpu_b, cpu_a = float(str(before["cpu"])), float(str(after["cpu"]))
                row = (
                    f"| {issue} | {before['nodes']:,} | {cpu_b:.2f} | {float(str(before['gap'])):.3f} | "
                    f"{_exact(before)} | {after['nodes']:,} | {cpu_a:.2f} | {float(str(after['gap'])):.3f} | "
                    f"{_exact(after)} | {cpu_a / cpu_b if cpu_b > 0 else float('nan'):.2f} | "
                    f"{'yes' if before['top'] == after['top'] else 'no'} |"
                )
                rows.append(row)
                if not args.markdown:
                    print(row, flush=True)
            rows += [
                "",
                f"Exact: {exact_before} of {len(issues)} before, {exact_after} of {len(issues)} after.",
            ]
            tables.append("\n".join(rows))
        print("\n\n".join(tables))


if __name__ == "__main__":
    main()
