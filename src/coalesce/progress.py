"""Progress of the long runs (robustness draws, frontier sizes, backtest cases, batch lines).

The core reports steps with `task(...)`; by default nothing is drawn. The CLI turns drawing on with
`on_stderr()` when standard error is a terminal, and rich.progress draws the bar there (transient, so
nothing stays behind). The core never prints: it only reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Task(Protocol):
    """One task's progress: `advance(n)` after n more steps."""

    def advance(self, steps: int = 1) -> None:
        """Count `steps` more steps done."""


class _Silent:
    def advance(self, steps: int = 1) -> None:
        return None


class _Bar:
    def __init__(self, progress: Any, task_id: Any) -> None:
        self.progress, self.task_id = progress, task_id

    def advance(self, steps: int = 1) -> None:
        self.progress.advance(self.task_id, steps)


_DRAW: ContextVar[Any] = ContextVar("coalesce_progress", default=None)
"""The rich Progress drawing now, or None (silent)."""


@contextmanager
def task(description: str, total: int) -> Iterator[Task]:
    """Report a task of `total` steps; a no-op unless the CLI asked for progress."""
    progress = _DRAW.get()
    if progress is None:
        yield _Silent()
        return
    task_id = progress.add_task(description, total=total)
    try:
        yield _Bar(progress, task_id)
    finally:
        progress.remove_task(task_id)


@contextmanager
def on_stderr() -> Iterator[None]:
    """Draw every task reported inside on standard error with rich.progress."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        token = _DRAW.set(progress)
        try:
            yield
        finally:
            _DRAW.reset(token)


@contextmanager
def silent() -> Iterator[None]:
    """Draw nothing for the tasks reported inside."""
    token = _DRAW.set(None)
    try:
        yield
    finally:
        _DRAW.reset(token)


def each(description: str, items: Sequence[T]) -> Iterator[T]:
    """The items, one step of a task reported after each (`for x in progress.each("cases", xs)`)."""
    with task(description, len(items)) as bar:
        for item in items:
            yield item
            bar.advance()
