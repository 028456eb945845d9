"""Renderers: pure functions from result models to text, one module per format."""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    """Output formats of every command."""

    table = "table"
    json = "json"
    markdown = "markdown"
