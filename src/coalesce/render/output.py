"""From a result to text in a format: the result's one layout, then the format's backend.

Backends are imported when used, so `coalesce --help` imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from coalesce.render import Format

if TYPE_CHECKING:
    from coalesce.render.document import Document
    from coalesce.render.provenance import Provenance


Layout = Callable[[Any, Mapping[str, str]], "Document"]
"""A layout, given the result and the data's full names of actors (used by propose and score)."""


def _unnamed(layout: Callable[[Any], Document]) -> Layout:
    return lambda result, names: layout(result)


def _layouts() -> list[tuple[type, Layout]]:
    """Result type -> layout; the first match wins, so a subclass comes before its base."""
    from coalesce.models.analysis import (
        CompareResult,
        FrontierResult,
        PowerResult,
        RobustnessResult,
        SweepResult,
    )
    from coalesce.models.backtest import BacktestResult
    from coalesce.models.browse import Detail, Listing, ValidationReport
    from coalesce.models.results import ProposeResult, ScoreResult
    from coalesce.render.layouts import analysis, backtest, browse, recommendation, schema
    from coalesce.schemas import SchemaView

    return [
        (ProposeResult, recommendation.propose),
        (ScoreResult, recommendation.score),
        (FrontierResult, _unnamed(analysis.frontier)),
        (PowerResult, _unnamed(analysis.power)),
        (CompareResult, _unnamed(analysis.compare)),
        (RobustnessResult, _unnamed(analysis.robustness)),
        (SweepResult, _unnamed(analysis.sweep)),
        (BacktestResult, _unnamed(backtest.backtest)),
        (Listing, _unnamed(browse.listing)),
        (Detail, _unnamed(browse.detail)),
        (ValidationReport, _unnamed(browse.validation)),
        (SchemaView, _unnamed(schema.schema)),
    ]


def document(result: Any, provenance: Provenance | None = None) -> Document:
    """The result's layout, ending with its provenance when one is given."""
    for kind, layout in _layouts():
        if isinstance(result, kind):
            names: Mapping[str, str] = provenance.names if provenance is not None else {}
            built = layout(result, names)
            if provenance is None:
                return built
            from coalesce.render import provenance as pv

            return built.with_footer(pv.blocks(provenance))
    raise TypeError(f"no layout for {type(result).__name__}")


def render(
    result: Any,
    fmt: Format,
    provenance: Provenance | None = None,
    *,
    color: bool = False,
    width: int = 100,
    ascii_only: bool = False,
) -> str:
    """The result as text in `fmt` (json: the model's own JSON; csv: listings only). `ascii_only` draws
    markdown's figures in ASCII; the table backend asks its rich console instead."""
    if fmt is Format.json:
        from coalesce.render import jsonfmt

        return jsonfmt.render(result)
    if fmt is Format.csv:
        from coalesce.render import csvfmt

        return csvfmt.render(result)
    doc = document(result, provenance)
    if fmt is Format.markdown:
        from coalesce.render import markdown

        return markdown.draw(doc, ascii_only)
    if fmt is Format.html:
        from coalesce.render import html

        return html.draw(doc)
    from coalesce.render import table

    return table.draw(doc, color, width)
