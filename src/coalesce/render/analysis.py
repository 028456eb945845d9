"""The analyses (frontier, power, compare, robustness, sweep) in the two text formats, by name.

Kept for callers that name a format; the layouts are in render/layouts/analysis.py and every backend
draws the same document.
"""

from __future__ import annotations

from coalesce.models.analysis import (
    CompareResult,
    FrontierResult,
    PowerResult,
    RobustnessResult,
    SweepResult,
)
from coalesce.render import markdown, table
from coalesce.render.layouts import analysis as layout


def frontier_table(result: FrontierResult, color: bool, width: int) -> str:
    return table.draw(layout.frontier(result), color, width)


def frontier_markdown(result: FrontierResult) -> str:
    return markdown.draw(layout.frontier(result))


def power_table(result: PowerResult, color: bool, width: int) -> str:
    return table.draw(layout.power(result), color, width)


def power_markdown(result: PowerResult) -> str:
    return markdown.draw(layout.power(result))


def compare_table(result: CompareResult, color: bool, width: int) -> str:
    return table.draw(layout.compare(result), color, width)


def compare_markdown(result: CompareResult) -> str:
    return markdown.draw(layout.compare(result))


def robustness_table(result: RobustnessResult, color: bool, width: int) -> str:
    return table.draw(layout.robustness(result), color, width)


def robustness_markdown(result: RobustnessResult) -> str:
    return markdown.draw(layout.robustness(result))


def sweep_table(result: SweepResult, color: bool, width: int) -> str:
    return table.draw(layout.sweep(result), color, width)


def sweep_markdown(result: SweepResult) -> str:
    return markdown.draw(layout.sweep(result))
