"""Layouts of the browsing commands: listings (issues, actors, sources, scenarios, batch scores), the
card of one issue or actor (`show`), and the validation report."""

from __future__ import annotations

from typing import Any

from coalesce.models.browse import Detail, Listing, ValidationReport
from coalesce.render import numbers
from coalesce.render.document import (
    Block,
    Bullets,
    Column,
    Document,
    Fields,
    Heading,
    Paragraph,
    Table,
    Value,
)

ID_COLUMNS = frozenset({"id", "code", "iso3", "case", "issue", "source", "actor", "invite"})
"""Columns whose values are identifiers a reader copies into another command: never wrapped or cut."""


PERCENT_COLUMNS = frozenset({"coverage", "target", "share", "uncertainty"})
"""Shares shown as percentages, as propose shows them (0.46 -> 46.0%); csv keeps the raw figure."""


def _column(name: str, values: list[Any], first: bool) -> Column:
    present = [v for v in values if v is not None]
    if present and all(numbers.is_number(v) for v in present):
        return Column(name, "number")
    if first or name in ID_COLUMNS:
        return Column(name, "id")
    return Column(name)


def _value(column: str, value: Any) -> Any:
    if not numbers.is_number(value):
        return value
    if column in PERCENT_COLUMNS:
        return numbers.share(value)
    if column == "score":
        return numbers.fixed(value)
    return value


def _table(columns: list[str], rows: list[dict[str, Any]], title: str = "") -> Table:
    return Table(
        tuple(_column(c, [r.get(c) for r in rows], i == 0) for i, c in enumerate(columns)),
        tuple(tuple(_value(c, r.get(c)) for c in columns) for r in rows),
        title=title,
    )


def listing(result: Listing) -> Document:
    """A titled table; numbers right-aligned in one style, ids whole."""
    return Document((Heading(result.title, 2), _table(result.columns, result.rows)))


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _scalar_list(value: object) -> bool:
    return isinstance(value, list) and all(_is_scalar(v) for v in value)


def _records(key: str, value: dict[str, Any]) -> Table:
    """A mapping of records (capabilities by domain): one row each, columns that are never empty."""
    columns: list[str] = []
    for record in value.values():
        for k in record:
            if k not in columns:
                columns.append(k)
    kept = [c for c in columns if any(r.get(c) not in (None, False, "", []) for r in value.values())]
    rows = [{key: name, **record} for name, record in value.items()]
    return _table([key, *kept], rows)


def _section(key: str, value: Any) -> list[Block]:
    if value in ({}, []):
        return []
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        return [Heading(key, 2), _records(key, value)]
    if isinstance(value, dict):
        scalars = [(k, v) for k, v in value.items() if _is_scalar(v) or _scalar_list(v)]
        blocks: list[Block] = [Heading(key, 2), Fields(tuple(scalars) or (("(none)", None),))]
        for k, v in value.items():
            if not (_is_scalar(v) or _scalar_list(v)):
                blocks += _section(f"{key}.{k}", v)
        return blocks
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns: list[str] = []
        for record in value:
            columns += [k for k in record if k not in columns]
        return [Heading(key, 2), _table(columns, value)]
    if isinstance(value, list) and all(_scalar_list(v) for v in value):  # rivals: [[USA, CHN]]
        return [Fields(((key, "; ".join(" and ".join(map(str, v)) for v in value)),))]
    return [Fields(((key, str(value)),))]


def detail(result: Detail) -> Document:
    """One issue or actor as a card: its figures as lines and tables, then the sources behind them."""
    data = result.data
    name = data.get("name") or data.get("title")
    blocks: list[Block] = [Heading(f"{result.kind} {result.id}" + (f": {name}" if name else ""))]
    flat: list[tuple[str, Value]] = [
        (k, _value(k, v)) for k, v in data.items() if _is_scalar(v) or _scalar_list(v)
    ]
    if flat:
        blocks.append(Fields(tuple(flat)))
    for key, value in data.items():
        if not (_is_scalar(value) or _scalar_list(value)):
            blocks += _section(key, value)
    blocks.append(Heading("Sources", 2))
    blocks.append(
        Bullets(
            tuple(
                f"{s['id']}: {s['publisher']} ({s['year']}), {s['title']}. {s['url']}" for s in result.sources
            )
            or ("none cited",)
        )
    )
    return Document(tuple(blocks))


def validation(result: ValidationReport) -> Document:
    """One line per problem, or a summary of what was checked."""
    if result.problems:
        return Document((Bullets(tuple(p.text for p in result.problems)),))
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    return Document((Paragraph(f"ok: {', '.join(result.checked)} ({counts})"),))
