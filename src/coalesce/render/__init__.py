"""Renderers: pure functions from result models to text, one module per format."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """Output formats of every command."""

    table = "table"
    json = "json"
    markdown = "markdown"
