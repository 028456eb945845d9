"""Load time of the issue-specific alignment data, against the same figures stored as YAML.

Usage: python bench/bench_alignment.py [--runs 5]

Reports, as markdown rows (median of --runs, each in a fresh reader so no cache helps):
- the manifest (data/alignment/alignment.yaml) through the strict YAML loader and pydantic;
- one vote matrix (votes-nu.csv, 196 actors, lower triangle) through the CSV loader;
- all seven vote matrices, the convener record and the shared-IGO matrix;
- the nu matrix written as a YAML mapping of pairs (code: {code: value}) through the project's
  strict YAML loader with positions, which is the alternative the CSV format was chosen over.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coalesce.loading import yamlsafe  # noqa: E402
from coalesce.loading.alignment import load_alignment  # noqa: E402

DATA = ROOT / "data"


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    fresh = load_alignment.__wrapped__  # bypass the cache: every run reads the files again

    def one() -> None:
        data = fresh(DATA)
        assert data is not None
        data.votes("nu")

    def everything() -> None:
        data = fresh(DATA)
        assert data is not None
        for category in data.manifest.votes.categories:
            data.votes(category)
        data.conveners()
        data.igo_shared()

    matrix = fresh(DATA).votes("nu")  # type: ignore[union-attr]
    lines = []
    for a in matrix.codes:
        cells = [f"{b}: {v:.3f}" for b in matrix.codes if (v := matrix.value(a, b)) is not None]
        lines.append(f"{a}: {{{', '.join(cells)}}}")
    with tempfile.TemporaryDirectory() as tmp:
        yaml_path = Path(tmp) / "votes-nu.yaml"
        yaml_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        size = yaml_path.stat().st_size
        text = yaml_path.read_text(encoding="utf-8")
        yaml_ms = timed(lambda: yamlsafe.load(text, str(yaml_path)), args.runs)
    manifest_ms = timed(lambda: fresh(DATA), args.runs)
    one_ms = timed(one, args.runs)
    all_ms = timed(everything, args.runs)
    csv_size = (DATA / "alignment" / "votes-nu.csv").stat().st_size
    print("| what | bytes | median ms |")
    print("|---|---:|---:|")
    print(
        f"| manifest (YAML + pydantic) | {(DATA / 'alignment' / 'alignment.yaml').stat().st_size} | {manifest_ms:.1f} |"
    )
    print(f"| manifest + votes-nu.csv | {csv_size} | {one_ms:.1f} |")
    print(f"| manifest + 7 vote matrices + conveners + IGOs | - | {all_ms:.1f} |")
    print(f"| votes-nu as a YAML mapping (strict loader, positions) | {size} | {yaml_ms:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
