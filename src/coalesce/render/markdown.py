"""The `markdown` format: a document drawn as a memo that pastes into any markdown editor.

This backend only draws; what is said comes from the layouts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coalesce.render import numbers
from coalesce.render.bars import figure_lines
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

FIGURE_WIDTH = 80
"""Figures are drawn as bar lines in a code block this wide."""


def draw(document: Document, ascii_only: bool = False) -> str:
    """The document as markdown, ending with one newline (`ascii_only`: figures drawn in ASCII, for a
    stream that cannot show Unicode)."""
    chunks = [_block(block, ascii_only) for block in document.blocks]
    chunks += [_block(block, ascii_only) for block in document.footer]
    return "\n\n".join(chunk for chunk in chunks if chunk) + "\n"


def cell(value: object) -> str:
    """A table cell: pipes escaped, one line."""
    return numbers.cell(value).replace("|", "\\|").replace("\n", " ")


def _block(block: Block, ascii_only: bool = False) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {block.text}"
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Note):
        return f"> {block.text}"
    if isinstance(block, Fields):
        return "\n".join(f"- **{key}:** {numbers.cell(value)}" for key, value in block.items)
    if isinstance(block, Bullets):
        return "\n".join(f"- {item}" for item in block.items)
    if isinstance(block, Table):
        lines = [f"**{block.title}**", ""] if block.title else []
        lines.append("| " + " | ".join(cell(c.header) for c in block.columns) + " |")
        lines.append("|" + "".join("---:|" if c.right else "---|" for c in block.columns))
        lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in block.rows]
        return "\n".join(lines)
    if isinstance(block, Figure):
        return "\n".join(["```text", *figure_lines(block, FIGURE_WIDTH, ascii_only), "```"])
    if isinstance(block, Code):
        return f"```{block.language}\n{block.text.rstrip()}\n```"
    raise TypeError(f"no markdown for {type(block).__name__}")  # pragma: no cover - every block is drawn


def render_propose(result: ProposeResult) -> str:
    """`propose` as markdown (kept for callers that name the format)."""
    from coalesce.render.layouts.recommendation import propose

    return draw(propose(result))


def render_score(result: ScoreResult) -> str:
    """`score` as markdown (kept for callers that name the format)."""
    from coalesce.render.layouts.recommendation import score

    return draw(score(result))
