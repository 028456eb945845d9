"""The back-test report in the two text formats, by name (the markdown is the results part of
docs/backtest.md). The layout is in render/layouts/backtest.py."""

from __future__ import annotations

from coalesce.models.backtest import BacktestResult
from coalesce.render import markdown, table
from coalesce.render.layouts.backtest import backtest, results


def backtest_table(result: BacktestResult, color: bool, width: int) -> str:
    return table.draw(backtest(result), color, width)


def backtest_markdown(result: BacktestResult) -> str:
    """The results part only: docs/backtest.md keeps its protocol above them, by hand."""
    return markdown.draw(results(result))
