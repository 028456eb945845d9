"""Voting power for the EU Council's 27 members under the double majority (55% of members, 65% of
population, blocking minority of four), with the shipped populations. SPEC target: under 2 s.

Usage: python bench/bench_power.py [--runs 5]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from coalesce.analysis.power import Game, indices
from coalesce.loading.files import load_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    world = load_dataset().world
    members = sorted(world.actor("EU").members)
    pops = [round((world.actor(m).population_m or 0.0) * 100) for m in members]
    n = len(members)
    game = Game(tuple(pops), ((math.ceil(0.55 * n), math.ceil(0.65 * sum(pops))), (n - 4 + 1, 0)))
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        result = indices(game)
        times.append(time.perf_counter() - began)
    top = max(range(n), key=lambda i: result.shapley_shubik[i])
    print(f"EU-27 double majority: {n} members, population units {sum(pops)}")
    print(f"median {statistics.median(times):.3f} s over {args.runs} runs (target < 2 s)")
    print(
        f"winning coalitions {result.winning} of {2**n}; largest Shapley-Shubik {members[top]} "
        f"{float(result.shapley_shubik[top]):.4f}"
    )


if __name__ == "__main__":
    main()
