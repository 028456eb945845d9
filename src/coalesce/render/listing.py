"""Tables and markdown for listings and details (issues, actors, sources, show, validate)."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from coalesce.models.browse import Detail, Listing, ValidationReport
from coalesce.render.console import capture


def _text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):  # arrays stay arrays in JSON; a table shows them comma-separated
        return ", ".join(_text(v) for v in value) if value else "-"
    return str(value)


ID_COLUMNS = frozenset({"id", "name", "code", "iso3", "case", "issue"})
"""Columns whose values are identifiers a reader copies into another command."""


def _widest(listing: Listing, column: str) -> int:
    return max([len(column), *(len(_text(row.get(column))) for row in listing.rows)])


def listing_table(listing: Listing, color: bool, width: int) -> str:
    """A rich table of the listing."""

    def draw(console: Console) -> None:
        table = Table(title=listing.title, title_justify="left")
        for position, column in enumerate(listing.columns):
            if position == 0 or column in ID_COLUMNS:  # ids are pasted back: never wrapped or cut
                table.add_column(column, no_wrap=True, min_width=_widest(listing, column))
            else:
                table.add_column(column, overflow="fold")
        for row in listing.rows:
            table.add_row(*(_text(row.get(c)) for c in listing.columns))
        console.print(table)

    return capture(draw, color, width)


def listing_markdown(listing: Listing) -> str:
    """A markdown table of the listing."""
    lines = [
        f"## {listing.title}",
        "",
        "| " + " | ".join(listing.columns) + " |",
        "|" + "---|" * len(listing.columns),
    ]
    for row in listing.rows:
        lines.append("| " + " | ".join(_text(row.get(c)).replace("|", "\\|") for c in listing.columns) + " |")
    return "\n".join(lines) + "\n"


def detail_text(detail: Detail, markdown: bool) -> str:
    """An issue or actor as readable YAML-like text, then its sources."""
    head = f"## {detail.kind} {detail.id}" if markdown else f"{detail.kind} {detail.id}"
    body = json.dumps(detail.data, indent=2, ensure_ascii=False)
    fence = ["```json", body, "```"] if markdown else [body]
    lines = [head, "", *fence, "", "Sources:" if not markdown else "### Sources", ""]
    for s in detail.sources:
        lines.append(f"- {s['id']}: {s['publisher']} ({s['year']}), {s['title']}. {s['url']}")
    return "\n".join(lines) + "\n"


def validation_text(report: ValidationReport) -> str:
    """One line per problem, or a summary of what was checked."""
    if report.problems:
        return "\n".join(p.text for p in report.problems) + "\n"
    counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    return f"ok: {', '.join(report.checked)} ({counts})\n"
