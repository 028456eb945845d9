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


LAYOUTS: dict[tuple[str, str], tuple[str, str, bool]] = {
    ("coalesce.models.results", "ProposeResult"): ("recommendation", "propose", True),
    ("coalesce.models.results", "ScoreResult"): ("recommendation", "score", True),
    ("coalesce.models.analysis", "FrontierResult"): ("analysis", "frontier", False),
    ("coalesce.models.analysis", "PowerResult"): ("analysis", "power", False),
    ("coalesce.models.analysis", "CompareResult"): ("analysis", "compare", False),
    ("coalesce.models.analysis", "RobustnessResult"): ("analysis", "robustness", False),
    ("coalesce.models.analysis", "SweepResult"): ("analysis", "sweep", False),
    ("coalesce.models.backtest", "BacktestResult"): ("backtest", "backtest", False),
    ("coalesce.models.browse", "Listing"): ("browse", "listing", False),
    ("coalesce.models.browse", "Detail"): ("browse", "detail", False),
    ("coalesce.models.browse", "ValidationReport"): ("browse", "validation", False),
    ("coalesce.schemas", "SchemaView"): ("schema", "schema", False),
}
"""Result class (module, name) -> its layout (module in render.layouts, function, whether it takes the
actors' full names). Named, not imported: a propose imports its own layout only, not the other results'
models and layouts (about 40 ms of a markdown propose)."""


def layout_for(result_type: type) -> Layout | None:
    """The layout of the nearest class in the type's MRO that has one (a subclass before its base)."""
    import importlib

    for kind in result_type.__mro__:
        spec = LAYOUTS.get((kind.__module__, kind.__qualname__))
        if spec is not None:
            module, name, named = spec
            layout = getattr(importlib.import_module(f"coalesce.render.layouts.{module}"), name)
            return layout if named else _unnamed(layout)
    return None


def document(result: Any, provenance: Provenance | None = None) -> Document:
    """The result's layout, ending with its provenance when one is given."""
    layout = layout_for(type(result))
    if layout is None:
        raise TypeError(f"no layout for {type(result).__name__}")
    names: Mapping[str, str] = provenance.names if provenance is not None else {}
    built = layout(result, names)
    if provenance is None:
        return built
    from coalesce.render import provenance as pv

    return built.with_footer(pv.blocks(provenance))


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
