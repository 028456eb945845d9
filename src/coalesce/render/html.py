"""The `html` format: a document drawn as one self-contained page (a brief that travels by email).

No network: styles are inline, figures are inline SVG, there are no scripts, fonts or images to fetch,
and a Content-Security-Policy meta tag forbids any. Every piece of text is escaped (html.escape).
This backend only draws; what is said comes from the layouts.
"""

from __future__ import annotations

from html import escape

from coalesce.render import numbers
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

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Nothing may load: no script, no font, no image from anywhere; only the inline styles below."""

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; vertical-align: top; text-align: left; }
th { border-bottom: 2px solid #888; }
.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.id { white-space: nowrap; font-family: ui-monospace, monospace; }
.note { border-left: 4px solid #c8553d; padding: .3rem .8rem; background: #fbf1ee; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: .85rem; }
footer { margin-top: 2rem; border-top: 1px solid #888; font-size: .9rem; }
""".strip()

COLOURS = ("#1f5fa8", "#c8553d", "#3a7d44")


def draw(document: Document) -> str:
    """The document as a complete html page."""
    body = "\n".join(_block(b) for b in document.blocks)
    footer = "\n".join(_block(b) for b in document.footer)
    if not footer:
        from coalesce import __version__

        footer = f"<p>Tool: coalesce {escape(__version__)}</p>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        f"<main>\n{body}\n</main>\n<footer>\n{footer}\n</footer>\n</body>\n</html>\n"
    )


def fragment(document: Document) -> str:
    """The document as an html fragment to embed (a notebook cell's output): no page, no style."""
    body = "\n".join(_block(b) for b in (*document.blocks, *document.footer))
    return f'<div class="coalesce">\n{body}\n</div>'


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        level = max(1, min(6, block.level))
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Note):
        return f'<p class="note">{escape(block.text)}</p>'
    if isinstance(block, Fields):
        items = "".join(
            f"<dt>{escape(key)}</dt><dd>{escape(numbers.cell(value))}</dd>" for key, value in block.items
        )
        return f"<dl>{items}</dl>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, Code):
        return f"<pre><code>{escape(block.text)}</code></pre>"
    raise TypeError(f"no html for {type(block).__name__}")  # pragma: no cover - every block is drawn


def _table(block: Table) -> str:
    classes = [f' class="{c.kind}"' if c.kind != "text" else "" for c in block.columns]
    head = "".join(f"<th{cls}>{escape(c.header)}</th>" for c, cls in zip(block.columns, classes, strict=True))
    rows = "".join(
        "<tr>"
        + "".join(f"<td{cls}>{escape(numbers.cell(v))}</td>" for v, cls in zip(row, classes, strict=True))
        + "</tr>"
        for row in block.rows
    )
    caption = f"<caption>{escape(block.title)}</caption>" if block.title else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _figure(figure: Figure) -> str:
    svg = _line_chart(figure) if figure.kind == "line" else _bar_chart(figure)
    return f"<figure>{svg}<figcaption>{escape(figure.title)}</figcaption></figure>"


def _svg(width: int, height: int, title: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def _line_chart(figure: Figure) -> str:
    """Each series as a curve over the labels (sizes), values in [0, 1], the marked label dashed."""
    width, height, left, right, top, bottom = 640, 280, 48, 16, 28, 40
    count = len(figure.labels)
    span = width - left - right

    def x(i: int) -> float:
        return left + (span / 2 if count == 1 else i * span / (count - 1))

    def y(v: float) -> float:
        return top + (1 - max(0.0, min(1.0, v))) * (height - top - bottom)

    parts = [
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#888"/>',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{left}" y2="{y(1):.1f}" stroke="#888"/>',
    ]
    for tick in (0.0, 0.5, 1.0):
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick:.0%}</text>'
        )
    for i, label in enumerate(figure.labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
        if label == figure.marked:
            parts.append(
                f'<line x1="{x(i):.1f}" y1="{y(0):.1f}" x2="{x(i):.1f}" y2="{y(1):.1f}" stroke="#555" '
                'stroke-dasharray="4 3"/>'
                f'<text x="{x(i) + 4:.1f}" y="{top - 6}" font-size="11">{escape(figure.mark_text)}</text>'
            )
    if figure.axis:
        parts.append(
            f'<text x="{left + span / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">'
            f"{escape(figure.axis)}</text>"
        )
    for n, series in enumerate(figure.series):
        colour = COLOURS[n % len(COLOURS)]
        points = [(x(i), y(v)) for i, v in enumerate(series.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, (v, text) in enumerate(zip(series.values, series.texts, strict=True)):
            if v is not None:
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"><title>'
                    f"{escape(series.name)} at {escape(figure.axis)} {escape(figure.labels[i])}: "
                    f"{escape(text)}</title></circle>"
                )
        parts.append(
            f'<text x="{left + 8 + n * 110}" y="14" font-size="12" fill="{colour}">'
            f"&#9632; {escape(series.name)}</text>"
        )
    return _svg(width, height, figure.title, parts)


def _bar_chart(figure: Figure) -> str:
    """One horizontal bar per label and series, its share of [0, 1] with the figure's text."""
    row, label_width, bar_width = 22, 10 + 8 * max((len(lab) for lab in figure.labels), default=1), 360
    series = figure.series[0] if figure.series else None
    rows = len(figure.labels)
    width, height = label_width + bar_width + 80, 26 + rows * row
    parts = []
    if series is not None:
        parts.append(f'<text x="{label_width}" y="14" font-size="12">{escape(series.name)}</text>')
        for i, (label, v, text) in enumerate(zip(figure.labels, series.values, series.texts, strict=True)):
            top = 22 + i * row
            length = 0.0 if v is None else max(0.0, min(1.0, v)) * bar_width
            parts.append(
                f'<text x="{label_width - 6}" y="{top + 15}" text-anchor="end" font-size="12">'
                f"{escape(label)}</text>"
                f'<rect x="{label_width}" y="{top + 3}" width="{bar_width}" height="{row - 8}" fill="#eee"/>'
                f'<rect x="{label_width}" y="{top + 3}" width="{length:.1f}" height="{row - 8}" '
                f'fill="{COLOURS[0]}"><title>{escape(label)}: {escape(text)}</title></rect>'
                f'<text x="{label_width + bar_width + 6}" y="{top + 15}" font-size="12">{escape(text)}</text>'
            )
    return _svg(width, height, figure.title, parts)
