"""A rich console that renders into a string, honouring colour and width settings."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console


def capture(draw: Callable[[Console], None], color: bool, width: int) -> str:
    """Run `draw` against an off-screen console and return what it printed."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    draw(console)
    return buffer.getvalue()
