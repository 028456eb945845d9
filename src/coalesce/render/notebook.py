"""Results in a notebook: as HTML (`_repr_html_`) and as a pandas DataFrame (`to_frame()`).

The HTML is the html backend's drawing of the result's one layout, as a fragment a notebook can embed.
pandas is optional (`pip install 'coalesce-minilateral[notebook]'`); it is imported only by `to_frame`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PANDAS_MISSING = (
    "to_frame() needs pandas, which is not installed: pip install 'coalesce-minilateral[notebook]' "
    "(or pip install pandas)"
)


def html_fragment(result: Any) -> str | None:
    """The result drawn as html for a notebook; None for a part of a result (the notebook shows its repr)."""
    from coalesce.render import html
    from coalesce.render.output import document

    try:
        doc = document(result)
    except TypeError:  # a part of a result (a criterion, a track): no layout of its own
        return None
    return html.fragment(doc)


def _propose(result: Any) -> list[dict[str, Any]]:
    return [
        {
            "rank": rec.rank,
            "score": rec.score,
            "members": rec.members,
            "convener": rec.convener,
            "coverage": rec.coverage,
            "expected_months": rec.expected_months,
            **{name: c.score for name, c in rec.criteria.items()},
        }
        for rec in result.recommendations
    ]


def _criteria(result: Any) -> list[dict[str, Any]]:
    return [
        {"criterion": name, **c.model_dump(include={"score", "weight", "contribution", "rationale"})}
        for name, c in result.criteria.items()
    ]


def _compare(result: Any) -> list[dict[str, Any]]:
    return [
        {"scenario": c.scenario, **change.model_dump()}
        for c in result.comparisons
        for change in c.rank_changes
    ]


def _items(attribute: str, exclude: set[str] | None = None) -> Callable[[Any], list[dict[str, Any]]]:
    return lambda result: [item.model_dump(exclude=exclude) for item in getattr(result, attribute)]


def _rows(result: Any) -> list[dict[str, Any]]:
    from coalesce.models.analysis import (
        CompareResult,
        FrontierResult,
        PowerResult,
        RobustnessResult,
        SweepResult,
    )
    from coalesce.models.backtest import BacktestResult
    from coalesce.models.browse import Listing
    from coalesce.models.results import ProposeResult, Recommendation

    tables: list[tuple[type, Callable[[Any], list[dict[str, Any]]]]] = [
        (ProposeResult, _propose),
        (Recommendation, _criteria),  # score: one row per criterion
        (FrontierResult, _items("points", {"criteria"})),
        (PowerResult, _items("members")),
        (RobustnessResult, _items("membership")),
        (CompareResult, _compare),
        (SweepResult, _items("points")),
        (BacktestResult, _items("cases", {"baselines", "vintage", "weights", "recommended"})),
        (Listing, lambda r: [{c: row.get(c) for c in r.columns} for row in r.rows]),
    ]
    for kind, rows in tables:
        if isinstance(result, kind):
            return rows(result)
    raise TypeError(f"{type(result).__name__} has no table to convert")


def frame(result: Any) -> Any:
    """The result's main table as a DataFrame: one row per recommendation, point, member or case."""
    import importlib

    try:  # by name: pandas is optional, and typed here only as what it returns
        pandas = importlib.import_module("pandas")
    except ImportError:
        raise ImportError(PANDAS_MISSING) from None
    return pandas.DataFrame.from_records(_rows(result))
