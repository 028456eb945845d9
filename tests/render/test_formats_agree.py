"""The table and markdown renderings of one result say the same things.

Each analysis has lines both formats must carry (written once, in render/analysis.py); these tests
render real results of the tiny world in both formats, in-process, and look for every such line in each
(whitespace folded: the table wraps at its width).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, TINY

import coalesce
from coalesce.loading.files import Dataset
from coalesce.render import analysis as ra

WIDTH = 100


def _folded(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def _both_carry(lines: list[str], table: str, markdown: str) -> None:
    assert lines, "nothing to compare"
    for line in lines:
        assert _folded(line) in _folded(table), line
        assert _folded(line) in _folded(markdown), line


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    return coalesce.load_world(TINY)


def test_frontier_notes_including_not_certified(tiny: Dataset) -> None:
    result = coalesce.frontier(tiny, "chips")
    _both_carry(
        ra.frontier_notes(result), ra.frontier_table(result, False, WIDTH), ra.frontier_markdown(result)
    )
    uncertified = result.model_copy(update={"search": result.search.model_copy(update={"exact": False})})
    notes = ra.frontier_notes(uncertified)
    assert any("not certified" in note for note in notes)
    _both_carry(notes, ra.frontier_table(uncertified, False, WIDTH), ra.frontier_markdown(uncertified))


def test_power_values_in_one_order(tiny: Dataset) -> None:
    result = coalesce.power(tiny, "chips", ["USA", "NOR", "NLD"])
    lines = [ra.collectivity_line(result)]
    lines += [ra.power_index(m.shapley_shubik, m.shapley_shubik_exact) for m in result.members]
    lines += [ra.power_index(m.banzhaf, m.banzhaf_exact) for m in result.members]
    _both_carry(lines, ra.power_table(result, False, WIDTH), ra.power_markdown(result))


def test_compare_rank_changes(tiny: Dataset) -> None:
    scenario = Path(ROOT / "examples" / "scenarios" / "china-walks-out.yaml")
    result = coalesce.compare(tiny, "chips", [scenario])
    lines = [ra.rank_changes_line(c) for c in result.comparisons if ra.rank_changes_line(c)]
    _both_carry(lines, ra.compare_table(result, False, WIDTH), ra.compare_markdown(result))


def test_robustness_summary_with_concentration(tiny: Dataset) -> None:
    result = coalesce.robustness(tiny, "chips", draws=20, seed=3)
    line = ra.robustness_summary(result)
    assert "concentration" in line
    _both_carry([line], ra.robustness_table(result, False, WIDTH), ra.robustness_markdown(result))
