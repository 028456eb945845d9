"""Wall time of `coalesce propose` on generated worlds: an adversarial one and SPEC's 1,000-actor one.

Usage: python bench/bench_adversarial.py [--runs 3] [--seed 0]

Worlds (written to a temporary directory):

- adversarial: 2,000 actors with equal shares, alignment and figures, `--max-size 40 --time-limit 1`.
  Every grouping of a size looks alike, so the bounds prune nothing: the search must stop at its time
  limit and state its gap. What matters is that it returns, and how long the whole command takes.
- synthetic-1000: 1,000 actors with Zipf-like shares in two domains, spread ideal points, a rivalry and
  a niche tag, `--max-size 20` and the default time limit. SPEC: under 2 s.
- flat-1000: 1,000 equal actors, `--max-size 20`, default time limit (the worst case at SPEC's size).

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
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
                ["--max-size", "20"],
                SPEC_TARGET_1000,
            ),
            (
                "flat-1000 (equal shares)",
                flat_world(base / "flat", 1000, 20),
                1000,
                ["--max-size", "20"],
                SPEC_TARGET_1000,
            ),
        ]
        print(f"median of {args.runs} fresh processes; python {sys.version.split()[0]}\n")
        print("| world | actors | flags | wall s | search s | nodes | exact | gap | SPEC target |")
        print("|---|---:|---|---:|---:|---:|---|---:|---|")
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
            verdict = "-" if target is None else (f"under {target:g} s: {'yes' if wall < target else 'NO'}")
            print(
                f"| {label} | {actors} | `{' '.join(flags)}` | {wall:.2f} | {search['seconds']:.2f} | {search['nodes']} "
                f"| {search['exact']} | {search['gap']:.4f} | {verdict} |"
            )


if __name__ == "__main__":
    main()
