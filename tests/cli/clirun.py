"""Run the CLI in this process with chosen streams and environment (no subprocess)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "examples" / "worlds" / "tiny"
DATA = ROOT / "data"


class Stream(io.TextIOWrapper):
    """A text stream over bytes in a chosen encoding (strict, as PYTHONIOENCODING=ascii makes stdout),
    claiming to be a terminal when `tty`."""

    def __init__(self, encoding: str = "utf-8", tty: bool = False) -> None:
        super().__init__(io.BytesIO(), encoding=encoding, errors="strict", newline="\n")
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def text(self) -> str:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode(self.encoding)


@dataclass
class Outcome:
    code: int
    out: str
    err: str


_PINNED = ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "TERM", "COALESCE_DATA", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in {*_PINNED, *env}}
    for key in _PINNED:
        os.environ.pop(key, None)
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run(
    *args: str,
    stdin: str = "",
    encoding: str = "utf-8",
    out_tty: bool = False,
    err_tty: bool = False,
    env: dict[str, str] | None = None,
) -> Outcome:
    """`coalesce ARGS` in-process: the exit code and what went to stdout and stderr."""
    from coalesce import cli

    out, err = Stream(encoding, out_tty), Stream("utf-8", err_tty)
    streams = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        with _environment(env or {}):
            code = cli._run(list(args), "--debug" in args)
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
    return Outcome(code, out.text(), err.text())
