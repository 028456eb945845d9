"""Name resolution: 10,000 actor references (codes, alpha-2 codes, names and aliases, in mixed case and
without accents) against the shipped world. Target (issue 11): well under a second.

Usage: python bench/bench_names.py [--runs 5] [--names 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import contextlib

from coalesce.loading.files import load_dataset
from coalesce.loading.resolve import Resolver, UnknownActor


def _variants(dataset: object, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    spellings = []
    for actor in dataset.world.actors:  # type: ignore[attr-defined]
        spellings += [actor.code, actor.name, *([actor.iso2] if actor.iso2 else []), *actor.aliases]
    out = []
    for _ in range(count):
        text = rng.choice(spellings)
        if rng.random() < 0.5:
            text = text.swapcase()
        if rng.random() < 0.3:
            text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--names", type=int, default=10_000)
    args = parser.parse_args()
    dataset = load_dataset()
    names = _variants(dataset, args.names, seed=1)
    unknown = ["Texas", "Bayern", "Oslo", "Kosovo", "Catalonia"] * (args.names // 50)
    build, known, missing = [], [], []
    for _ in range(args.runs):
        began = time.perf_counter()
        resolver = Resolver(_entries(dataset))
        build.append(time.perf_counter() - began)
        began = time.perf_counter()
        for text in names:
            resolver.resolve(text)
        known.append(time.perf_counter() - began)
        began = time.perf_counter()
        for text in unknown:
            with contextlib.suppress(UnknownActor):
                resolver.resolve(text)
        missing.append(time.perf_counter() - began)
    print(f"actors: {len(dataset.world.actors)}, spellings: {len(resolver.keys)}")
    print(f"build the resolver: median {statistics.median(build) * 1000:.2f} ms")
    print(f"resolve {len(names):,} known names: median {statistics.median(known) * 1000:.1f} ms")
    print(
        f"reject {len(unknown):,} unknown names with suggestions: median {statistics.median(missing) * 1000:.1f} ms"
    )


def _entries(dataset: object) -> list[object]:
    from coalesce.loading.resolve import Identity

    return [
        Identity(a.code, a.name, a.iso2, tuple(a.aliases))
        for a in dataset.world.actors  # type: ignore[attr-defined]
    ]


if __name__ == "__main__":
    main()
