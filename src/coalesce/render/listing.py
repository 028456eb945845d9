"""Listings, details and the validation report in the two text formats, by name.

Kept for callers that name a format; the layouts are in render/layouts/browse.py.
"""

from __future__ import annotations

from coalesce.models.browse import Detail, Listing, ValidationReport
from coalesce.render import markdown, table
from coalesce.render.layouts import browse


def listing_table(listing: Listing, color: bool, width: int) -> str:
    return table.draw(browse.listing(listing), color, width)


def listing_markdown(listing: Listing) -> str:
    return markdown.draw(browse.listing(listing))


def detail_text(detail: Detail, markdown_format: bool) -> str:
    document = browse.detail(detail)
    return markdown.draw(document) if markdown_format else table.draw(document, False, 100)


def validation_text(report: ValidationReport) -> str:
    return markdown.draw(browse.validation(report))
