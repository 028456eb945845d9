"""Wall time of `coalesce propose` on generated worlds: an adversarial one and SPEC's 1,000-actor one.

Usage: python bench/bench_adversarial.py [--runs 3] [--seed 0] [--time-limit 1.5] [--worlds a,b] [--phases]

Worlds (written to a temporary directory):

- adversarial: 2,000 actors with equal shares, alignment and figures, `--max-size 40 --time-limit 1`.
  Every grouping of a size looks alike, so the bounds prune nothing: the search must stop at its time
  limit and state its gap. What matters is that it returns, and how long the whole command takes.
- synthetic-1000: 1,000 actors with Zipf-like shares in two domains, spread ideal points, a rivalry and
  a niche tag, `--max-size 20`. SPEC: under 2 s, certified or with a stated gap of at most 0.01.
- flat-1000: 1,000 equal actors, `--max-size 20` (the worst case at SPEC's size).

The 1,000-actor worlds run with `--time-limit` (default 1.5 s, so that the whole command can finish in
2 s; 0 runs them on the default work budget instead). The search's clock starts only when the search
does, so the table counts the whole command: wall seconds of a fresh process (`wall s`), the search's
own seconds, and everything before and after it (`other s`: start-up, loading the generated YAML,
compiling, the acceptance model's fallback table of n x n pairs for a world without alignment data,
the report). `--phases` adds an in-process split of that time (load, compile, fallback table, search,
report) for each world.

Each command runs in a fresh process `--runs` times; the median wall time is reported with the search's
outcome, one markdown table row per world.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
SPEC_TARGET_1000 = 2.0

HEADER = [
    "schema_version: 1",
    "defaults:",
    "  population: {source: s, year: 2023}",
    "  gdp: {source: s, year: 2023}",
    "sources:",
    '  - {id: s, title: Synthetic, publisher: coalesce bench, year: 2026, url: "https://example.org/s"}',
]


def _codes(n: int) -> list[str]:
    return ["".join(t) for t in itertools.islice(itertools.product(string.ascii_uppercase, repeat=3), n)]


def flat_world(directory: Path, actors: int, max_size: int) -> Path:
    """Equal actors: the worst case for branch and bound."""
    directory.mkdir(parents=True, exist_ok=True)
    share = int(1_000_000 / actors) / 1_000_000
    lines = [
        *HEADER,
        "domains:",
        "  - {id: d, name: D, measure: share, unit: share, year: 2023, source: s}",
        "actors:",
    ]
    lines += [
        f"  - {{code: {c}, name: Actor {c}, population_m: 1, gdp_usd_bn: 1, "
        f"alignment: {{ideal_point: 0.0, source: s}}, capabilities: {{d: {{share: {share}, source: s}}}}}}"
        for c in _codes(actors)
    ]
    (directory / "states.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "issues.yaml").write_text(
        "schema_version: 1\nissues:\n"
        f"  - {{id: world, title: Flat, domains: {{d: 1}}, target: 0.8, deadline_months: 18, max_size: {max_size}}}\n",
        encoding="utf-8",
    )
    return directory


def synthetic_world(directory: Path, actors: int, max_size: int, seed: int) -> Path:
    """A plausible large world: Zipf-like shares (exponent 1.3), ideal points in [-2, 2.5], 20% with a niche."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    codes = _codes(actors)
    shares = {}
    for domain in ("a", "b"):
        raw = [1.0 / (i + 1) ** 1.3 for i in range(actors)]
        rng.shuffle(raw)
        total = sum(raw)
        shares[domain] = [int(x / total * 0.98 * 1_000_000) / 1_000_000 for x in raw]
    lines = [
        *HEADER,
        "domains:",
        "  - {id: a, name: A, measure: share, unit: share, year: 2023, source: s}",
        "  - {id: b, name: B, measure: share, unit: share, year: 2023, source: s}",
        "tags:",
        "  - {id: t, name: T, measure: score, year: 2023, source: s}",
        "actors:",
    ]
    for i, code in enumerate(codes):
        niche = f", expertise: {{t: {{score: {rng.random():.3f}, source: s}}}}" if rng.random() < 0.2 else ""
        lines.append(
            f"  - {{code: {code}, name: Actor {code}, population_m: {rng.uniform(0.1, 300):.2f}, "
            f"gdp_usd_bn: {rng.uniform(1, 20000):.1f}, "
            f"alignment: {{ideal_point: {rng.uniform(-2, 2.5):.3f}, uncertainty: 0.1, source: s}}, "
            f"capabilities: {{a: {{share: {shares['a'][i]}, source: s}}, b: {{share: {shares['b'][i]}, source: s}}}}{niche}}}"
        )
    (directory / "states.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "issues.yaml").write_text(
        "schema_version: 1\nissues:\n"
        f"  - {{id: world, title: Synthetic, domains: {{a: 0.6, b: 0.4}}, target: 0.8, "
        f"rivals: [[{codes[0]}, {codes[1]}]], expertise: [t], deadline_months: 18, max_size: {max_size}}}\n",
        encoding="utf-8",
    )
    return directory


def timed(args: list[str], runs: int) -> tuple[float, dict[str, object]]:
    """Median wall seconds over `runs` fresh processes, and the last JSON document."""
    times, document = [], {}
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT, check=False)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        document = json.loads(done.stdout)
    return statistics.median(times), document


def phases(directory: Path, max_size: int, time_limit: float | None) -> str:
    """In-process seconds of each step of a propose on a generated world (this process, warm imports)."""
    sys.path.insert(0, str(ROOT / "src"))
    from coalesce.criteria import veto
    from coalesce.engine import propose
    from coalesce.loading.files import load_dataset
    from coalesce.problem import compile as compile_problem
    from coalesce.request import build_request

    marks = [time.perf_counter()]
    dataset = load_dataset(directory)
    marks.append(time.perf_counter())
    ctx = compile_problem(dataset, build_request(dataset, "world", top=5, max_size=max_size)).context
    marks.append(time.perf_counter())
    veto.table(ctx)
    marks.append(time.perf_counter())
    result = propose(dataset, "world", max_size=max_size, time_limit=time_limit, timing=True)
    marks.append(time.perf_counter())
    search = result.search.seconds or 0.0
    # propose compiles again (the fallback table is remembered per key, so it is not rebuilt)
    load, compile_s, table = (b - a for a, b in itertools.pairwise(marks[:4]))
    rest = marks[4] - marks[3] - search
    return (
        f"load {load:.2f} s, compile {compile_s:.2f} s, fallback table {table:.2f} s, search {search:.2f} s, "
        f"propose's compile and report {rest:.2f} s (exact {result.search.exact}, gap {result.search.gap:.4f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=1.5)
    parser.add_argument("--worlds", default="adversarial,synthetic-1000,flat-1000")
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()
    wanted = set(args.worlds.split(","))
    limit_1000 = ["--time-limit", f"{args.time_limit:g}"] if args.time_limit > 0 else []
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="coalesce-bench-") as scratch:
        base = Path(scratch)
        worlds = [
            (
                "adversarial (equal shares)",
                flat_world(base / "adversarial", 2000, 40),
                2000,
                ["--max-size", "40", "--time-limit", "1"],
                None,
            ),
            (
                "synthetic-1000 (Zipf shares)",
                synthetic_world(base / "synthetic", 1000, 20, args.seed),
                1000,
                ["--max-size", "20", *limit_1000],
                SPEC_TARGET_1000,
            ),
            (
                "flat-1000 (equal shares)",
                flat_world(base / "flat", 1000, 20),
                1000,
                ["--max-size", "20", *limit_1000],
                SPEC_TARGET_1000,
            ),
        ]
        worlds = [w for w in worlds if w[0].split(" ")[0] in wanted]
        print(
            f"`python bench/bench_adversarial.py --runs {args.runs} --time-limit {args.time_limit:g}`: median of "
            f"{args.runs} fresh processes; python {sys.version.split()[0]}; load average at start "
            f"{os.getloadavg()[0]:.1f}\n"
        )
        print("| world | actors | flags | wall s | search s | other s | nodes | exact | gap | SPEC target |")
        print("|---|---:|---|---:|---:|---:|---:|---|---:|---|")
        notes = []
        for label, directory, actors, flags, target in worlds:
            command = [
                python,
                "-m",
                "coalesce",
                "propose",
                "world",
                "--data",
                str(directory),
                *flags,
                "--format",
                "json",
                "--timing",
            ]
            wall, document = timed(command, args.runs)
            search = document["search"]
            assert isinstance(search, dict)
            met = wall < (target or 0) and (search["exact"] or search["gap"] <= 0.01)
            verdict = "-" if target is None else f"under {target:g} s, gap <= 0.01: {'yes' if met else 'NO'}"
            print(
                f"| {label} | {actors} | `{' '.join(flags)}` | {wall:.2f} | {search['seconds']:.2f} | "
                f"{wall - search['seconds']:.2f} | {search['nodes']} | {search['exact']} | {search['gap']:.4f} | "
                f"{verdict} |",
                flush=True,
            )
            if args.phases and actors == 1000:
                limit = args.time_limit if args.time_limit > 0 else None
                notes.append(f"- {label}, in-process: {phases(directory, 20, limit)}")
        if notes:
            print("\n" + "\n".join(notes))


if __name__ == "__main__":
    main()
