"""The `csv` format for listings and batch scores, written by the standard `csv` module.

Values stay raw for a spreadsheet or pandas: 27361, not 27,361; a missing value is an empty field, never 0;
a list is its items joined by "; ". Only listings have rows and columns; any other result is a usage error.
"""

from __future__ import annotations

import csv
import io
from typing import Any


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(_field(v) for v in value)
    return str(value)


def render(result: Any) -> str:
    """A header row of the listing's columns, then one row per item."""
    from coalesce.models.browse import Listing

    if not isinstance(result, Listing):
        from coalesce.errors import UsageError

        command = getattr(result, "command", "this command")
        raise UsageError(
            f"--format csv: `{command}` prints no listing; csv is for issues, actors, sources, scenarios and "
            "score --batch (use --format json)"
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_field(row.get(column)) for column in result.columns])
    return buffer.getvalue()
