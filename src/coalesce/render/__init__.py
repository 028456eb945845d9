"""Renderers: each result has one layout (render/layouts/) that builds a neutral document
(render/document.py); the backends (table, markdown, html, csv) only draw it. JSON is the model's own.

`render.output.render(result, fmt, provenance)` is the one entry point.
"""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """Output formats of every command (csv: listings and batch scores only)."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    csv = "csv"
