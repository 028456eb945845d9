"""Resource limits: hostile worlds end, within their time limit's spirit, with a stated optimality gap.

- An adversarial world of 2,000 actors with equal shares (every grouping looks alike, so bounds prune
  nothing) with `--max-size 40 --time-limit 1` returns the best found with `search.exact: false` and a
  positive gap, and says so in the table.
- A weighted vote by GDP on the tiny world stays within a 1 GiB address space: that one needs a process
  of its own (RLIMIT_AS), so it is in test_real_process.py.

The CLI runs in-process (conftest.run_cli); nothing here asserts on timing (bench/bench_adversarial.py
measures it). Oversized files, deep nesting and alias bombs are in the hostile-input battery.
"""

from __future__ import annotations

import itertools
import json
import string
from pathlib import Path

from conftest import run_cli


def write_flat_world(
    directory: Path, actors: int, max_size: int = 40, rule: str = "", min_size: int = 1
) -> Path:
    """`actors` states with the same share, alignment and figures: the worst case for branch and bound.
    `rule` is the issue's decision rule in flow YAML (consensus by default)."""
    directory.mkdir(parents=True, exist_ok=True)
    codes = [
        "".join(t) for t in itertools.islice(itertools.product(string.ascii_uppercase, repeat=3), actors)
    ]
    share = int(1_000_000 / actors) / 1_000_000
    lines = [
        "schema_version: 1",
        "defaults:",
        "  population: {source: s, year: 2023}",
        "  gdp: {source: s, year: 2023}",
        "sources:",
        '  - {id: s, title: Synthetic, publisher: coalesce tests, year: 2026, url: "https://example.org/s"}',
        "domains:",
        "  - {id: d, name: D, measure: share, unit: share, year: 2023, source: s}",
        "actors:",
    ]
    lines += [
        f"  - {{code: {c}, name: Actor {c}, population_m: 1, gdp_usd_bn: 1, "
        f"alignment: {{ideal_point: 0.0, source: s}}, capabilities: {{d: {{share: {share}, source: s}}}}}}"
        for c in codes
    ]
    (directory / "states.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "issues.yaml").write_text(
        "schema_version: 1\nissues:\n"
        f"  - {{id: flat, title: Flat, domains: {{d: 1}}, target: 0.8, deadline_months: 18, min_size: {min_size}, max_size: {max_size}"
        + (f", decision_rule: {rule}" if rule else "")
        + "}\n",
        encoding="utf-8",
    )
    return directory


def test_adversarial_world_returns_with_a_stated_gap(tmp_path: Path) -> None:
    world = write_flat_world(tmp_path / "flat", 2000, min_size=2)  # one member convenes itself: exact
    code, out, err = run_cli(
        "propose", "flat", "--data", str(world), "--max-size", "40", "--time-limit", "1", "--format", "json"
    )
    assert code == 0, err
    assert err == ""
    result = json.loads(out)
    search = result["search"]
    assert search["exact"] is False
    assert search["gap"] > 0
    assert search["time_limit"] == 1
    assert search["candidates"] == 2000
    assert result["recommendations"], "the best found must still be reported"
    assert all(len(r["members"]) <= 40 for r in result["recommendations"])


def test_table_states_the_gap(tmp_path: Path) -> None:
    world = write_flat_world(tmp_path / "flat", 600, min_size=2)  # as above: one member alone is exact
    code, out, err = run_cli(
        "propose", "flat", "--data", str(world), "--max-size", "40", "--time-limit", "0.5"
    )
    assert code == 0, err
    lines = out.strip().splitlines()
    at = next(
        i for i, line in enumerate(lines) if line.startswith("Search:")
    )  # the memo's provenance follows
    search_line, cut_line = lines[at : at + 2]
    assert "optimality gap" in search_line and "best found" in search_line, search_line
    assert "The --time-limit of 0.5s cut the search" in cut_line, cut_line
    assert "exact (certified" not in out
