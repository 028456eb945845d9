"""A rich console that renders into a string, with what rich detects about the real terminal.

Colour, width and whether boxes can be drawn in Unicode are rich's own detection (`rich.console.Console`
on the real stream: NO_COLOR, FORCE_COLOR, TERM=dumb, COLUMNS, isatty); nothing here re-implements it.
The string is then written in an encoding the stream accepts (`encodable`).
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
# rich.console is imported where a console is made, so that writing JSON (`encodable`) never loads it.

DEFAULT_WIDTH = 100
"""Width of output that goes to a pipe or a file with no COLUMNS set: wide enough for the tables, and
the same on every machine."""
MIN_WIDTH = 40


@dataclass(frozen=True)
class Terminal:
    """What the output stream can show, as rich detects it."""

    color: bool
    width: int
    ascii_only: bool
    """True when the stream's encoding cannot draw Unicode boxes, or it is a dumb terminal (TERM=dumb on
    a terminal; output piped from a shell with TERM=dumb keeps Unicode, as rich decides)."""

    @classmethod
    def detect(cls, stream: IO[str]) -> Terminal:
        """Ask rich about `stream` (environment variables included)."""
        from rich.console import Console

        probe = Console(file=stream)
        width = probe.width if probe.is_terminal or os.environ.get("COLUMNS") else DEFAULT_WIDTH
        if probe.is_dumb_terminal:  # rich assumes 80 columns there, whatever COLUMNS or the tty says;
            width = shutil.get_terminal_size(
                (probe.width, 25)
            ).columns  # the standard library's: COLUMNS, tty
        return cls(
            color=probe.color_system is not None and not probe.no_color,
            width=max(MIN_WIDTH, width),
            ascii_only=probe.options.ascii_only or probe.is_dumb_terminal,
        )

    @contextmanager
    def active(self) -> Iterator[None]:
        """While inside, `capture` draws for this terminal (ASCII boxes where Unicode cannot be shown)."""
        before = _State.ascii_only
        _State.ascii_only = self.ascii_only
        try:
            yield
        finally:
            _State.ascii_only = before


class _State:
    ascii_only = False


class _Buffer(io.StringIO):
    """A string buffer that tells rich which encoding the text is headed for (rich picks boxes by it)."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._target = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]  # StringIO's is None
        return self._target


def capture(draw: Callable[[Console], None], color: bool, width: int) -> str:
    """Run `draw` against an off-screen console and return what it printed."""
    buffer = _Buffer("ascii" if _State.ascii_only else "utf-8")
    from rich.console import Console

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


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """Replace characters the stream cannot take by JSON escapes (surrogate pairs above U+FFFF)."""
    assert isinstance(error, UnicodeEncodeError)
    out = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), error.end


def _plain_letters(error: UnicodeError) -> tuple[str, int]:
    """Replace characters the stream cannot take by their base letters where Unicode decomposes them
    (unicodedata's NFKD: Naím -> Naim, Türkiye -> Turkiye), else by a question mark."""
    import unicodedata

    assert isinstance(error, UnicodeEncodeError)
    out = []
    for char in error.object[error.start : error.end]:
        base = (
            unicodedata.normalize("NFKD", char).encode(error.encoding, errors="ignore").decode(error.encoding)
        )
        out.append(base or "?")
    return "".join(out), error.end


codecs.register_error("coalesce-json", _json_escape)
codecs.register_error("coalesce-text", _plain_letters)


def encodable(text: str, encoding: str | None, json: bool = False, html: bool = False) -> str:
    """`text` as the stream's encoding can write it: unchanged when it can, else with each character it
    cannot write as a JSON escape (`json`: the JSON stays valid and equal), an html character reference
    (`html`: the page stays the same page), or its base letter, or a question mark (a memo)."""
    if not encoding:
        return text
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        handler = "coalesce-json" if json else "xmlcharrefreplace" if html else "coalesce-text"
        return text.encode(encoding, errors=handler).decode(encoding)
    except LookupError:
        return text
