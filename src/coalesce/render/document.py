"""The neutral document every layout builds and every backend draws.

A layout (render/layouts/) turns one result into a `Document`: what is said, in what order. A backend
(rich, markdown, html, csv) only draws blocks; it never decides what a result says. So the formats
cannot drift: a fact is written once, in the layout, and every backend draws it.

Cells are strings the layout formatted, or raw values (int, float, bool, None, lists) that each backend
formats in the one number style of render/numbers.py; csv writes them raw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

Value: TypeAlias = str | int | float | bool | Sequence[str] | None
"""What a table cell or a field may hold; None is missing and stays missing ("-", never 0)."""


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is the document's title."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A sentence or a few, wrapped by the backend."""

    text: str


@dataclass(frozen=True)
class Note:
    """A caveat the reader must not miss (a search that was cut, a result that is not certified)."""

    text: str


@dataclass(frozen=True)
class Fields:
    """Key-value lines ("Convener: NOR")."""

    items: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Bullets:
    """A list of items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """A table column.

    `kind` says how a backend may break its cells: an `id` is pasted back into another command, so it is
    never wrapped or cut; `text` folds; `number` is right-aligned and never wrapped.
    """

    header: str
    kind: Literal["text", "id", "number"] = "text"

    @property
    def right(self) -> bool:
        return self.kind == "number"


@dataclass(frozen=True)
class Table:
    """Rows under titled columns."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    title: str = ""


@dataclass(frozen=True)
class Series:
    """One line or set of bars in a figure: a value in [0, 1] (or missing) per label, with its text."""

    name: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    """A small chart. `line` is a curve over ordered labels (Naím's curve); `bars` are shares.

    Text backends draw bars of block characters; html draws inline SVG. `marked` is the label to
    highlight (the magic number), if any, and
    `mark_text` what the mark means.
    """

    title: str
    kind: Literal["line", "bars"]
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    axis: str = ""
    marked: str | None = None
    mark_text: str = ""


@dataclass(frozen=True)
class Code:
    """Text shown exactly as it is, line for line (a JSON Schema); `language` names it for markdown."""

    text: str
    language: str = ""


Block: TypeAlias = Heading | Paragraph | Note | Fields | Bullets | Table | Figure | Code


@dataclass(frozen=True)
class Document:
    """A result as blocks, with the footer (provenance) kept apart so a page can place it last."""

    blocks: tuple[Block, ...]
    footer: tuple[Block, ...] = field(default=())

    @property
    def title(self) -> str:
        """The first heading's text (the page title in html)."""
        return next((b.text for b in self.blocks if isinstance(b, Heading)), "coalesce")

    def with_footer(self, footer: Sequence[Block]) -> Document:
        """The same document ending with `footer`."""
        return Document(self.blocks, (*self.footer, *footer))

    def tables(self) -> list[Table]:
        """Every table, in order."""
        return [b for b in self.blocks if isinstance(b, Table)]
