"""The `table` format: a document drawn with rich for people reading at a terminal.

This backend only draws: what is said comes from the layouts. Ids are never wrapped or cut (they are
pasted back into other commands); a narrow terminal (under NARROW columns) gets each row of a wide table
as a stacked record instead of columns squeezed to a few characters.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from coalesce.render import numbers
from coalesce.render.bars import figure_lines
from coalesce.render.console import capture
from coalesce.render.document import (
    Block,
    Bullets,
    Code,
    Document,
    Fields,
    Figure,
    Heading,
    Note,
    Paragraph,
    Table,
)

if TYPE_CHECKING:
    from coalesce.models.results import ProposeResult, ScoreResult

NARROW = 72
"""Below this many columns, tables of more than two columns are drawn as stacked records; so is any
table whose columns cannot fit without cutting a number or an id."""


def draw(document: Document, color: bool, width: int) -> str:
    """The document as terminal text, `width` columns wide."""

    def paint(console: Console) -> None:
        for block in document.blocks:
            _block(console, block, width)
        if document.footer:
            console.print()
            for block in document.footer:
                _block(console, block, width)

    return capture(paint, color, width)


def _lines(
    console: Console, text: str, width: int, indent: str = "", hang: str = "    ", style: str = ""
) -> None:
    """Wrapped at spaces only: an id or an address is never broken."""
    wrapped = textwrap.wrap(
        text,
        width=max(20, width),
        initial_indent=indent,
        subsequent_indent=indent + hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in wrapped or [indent]:
        console.print(Text(line, style=style), soft_wrap=True)


def _block(console: Console, block: Block, width: int) -> None:
    if isinstance(block, Heading):
        style = {1: "bold", 2: "bold underline"}.get(block.level, "bold")
        _lines(console, block.text, width, hang="", style=style)
    elif isinstance(block, Paragraph):
        _lines(console, block.text, width, hang="")
    elif isinstance(block, Note):
        _lines(console, block.text, width, hang="", style="bold")
    elif isinstance(block, Fields):
        for key, value in block.items:
            _lines(console, f"{key}: {numbers.cell(value)}", width)
    elif isinstance(block, Bullets):
        for item in block.items:
            _lines(console, item, width, indent="  ")
    elif isinstance(block, Table):
        narrow = width < NARROW and len(block.columns) > 2
        if narrow or _least_width(block) > width:
            _stacked(console, block, width)
        else:
            console.print(_table(block))
    elif isinstance(block, Figure):
        for line in figure_lines(block, width, console.options.ascii_only):  # rich's own detection
            _lines(console, line, width, hang="  ")
    elif isinstance(block, Code):  # exactly as it is: never wrapped, so it can be copied
        for line in block.text.rstrip().splitlines():
            console.print(Text(line), soft_wrap=True)


def _widest(table: Table, position: int) -> int:
    header = table.columns[position].header
    return max([len(header), *(len(numbers.cell(row[position])) for row in table.rows)])


TEXT_MIN = 20
"""A text column is kept at least as wide as its longest word up to this many characters, so words are
not cut mid-way; a table that cannot be drawn so is stacked instead."""


def _least_width(block: Table) -> int:
    """The narrowest the table can be drawn without cutting an id or a number: whole ids and numbers,
    text columns folded to TEXT_MIN, and the borders (three characters a column, plus one)."""
    widths = [_widest(block, i) if c.kind != "text" else _word(block, i) for i, c in enumerate(block.columns)]
    return sum(widths) + 3 * len(widths) + 1


def _word(table: Table, position: int) -> int:
    """A text column's least width: its longest word (so no word is cut), at most TEXT_MIN."""
    texts = [table.columns[position].header, *(numbers.cell(row[position]) for row in table.rows)]
    return min(TEXT_MIN, max((len(word) for text in texts for word in text.split()), default=1))


def _table(block: Table) -> RichTable:
    table = RichTable(title=Text(block.title) if block.title else None, title_justify="left")
    for position, column in enumerate(block.columns):
        header = Text(column.header)
        if column.kind in ("id", "number"):
            table.add_column(
                header,
                justify="right" if column.kind == "number" else "left",
                no_wrap=True,
                min_width=_widest(block, position),
            )
        else:
            table.add_column(header, overflow="fold", min_width=_word(block, position))
    for row in block.rows:
        table.add_row(*(Text(numbers.cell(value)) for value in row))
    return table


def _stacked(console: Console, block: Table, width: int) -> None:
    """One record per row: the first cell on its own line (`#1`, `code: AFG`), then `header: value`."""
    if block.title:
        _lines(console, block.title, width, hang="", style="bold")
    first, *rest = block.columns
    for row in block.rows:
        head, *cells = row
        label = f"#{numbers.cell(head)}" if first.header == "#" else f"{first.header}: {numbers.cell(head)}"
        _lines(console, label, width, hang="  ", style="bold")
        for column, value in zip(rest, cells, strict=True):
            _lines(console, f"{column.header}: {numbers.cell(value)}", width, indent="  ")


def render_propose(result: ProposeResult, color: bool, width: int) -> str:
    """`propose` as a terminal table (kept for callers that name the format)."""
    from coalesce.render.layouts.recommendation import propose

    return draw(propose(result), color, width)


def render_score(result: ScoreResult, color: bool, width: int) -> str:
    """`score` as a terminal table (kept for callers that name the format)."""
    from coalesce.render.layouts.recommendation import score

    return draw(score(result), color, width)
