"""Figures as lines of block characters, for the text backends (terminal and markdown)."""

from __future__ import annotations

from coalesce.render.document import Figure

BAR = "█"
EMPTY = "·"
ASCII_BAR = "#"
ASCII_EMPTY = "."
"""The bars where the output cannot show Unicode (rich's `ascii_only`: an ASCII stream, a dumb terminal)."""


def figure_lines(figure: Figure, width: int, ascii_only: bool = False) -> list[str]:
    """A figure as lines of bars, one block per series (the markdown backend draws the same lines)."""
    label_width = max((len(label) for label in figure.labels), default=1)
    out = []
    for series in figure.series:
        text_width = max((len(t) for t in series.texts), default=1)
        mark = f"  <- {figure.mark_text}" if figure.marked is not None else ""
        bar_width = max(8, min(30, width - label_width - text_width - len(mark) - 6))
        out.append(f"{figure.title}: {series.name}")
        for label, value, text in zip(figure.labels, series.values, series.texts, strict=True):
            suffix = mark if label == figure.marked else ""
            drawn = bar(value, bar_width, ascii_only)
            out.append(f"  {label:>{label_width}} {drawn} {text:>{text_width}}{suffix}")
    return out


def bar(value: float | None, width: int, ascii_only: bool = False) -> str:
    """A share in [0, 1] as block characters (`#` and `.` when `ascii_only`); blank when missing."""
    if value is None:
        return " " * width
    filled = max(0, min(width, round(value * width)))
    full, empty = (ASCII_BAR, ASCII_EMPTY) if ascii_only else (BAR, EMPTY)
    return full * filled + empty * (width - filled)
