"""Progress on stderr only when stderr is a terminal, never with --quiet or JSON to a pipe (issue 17)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, TINY, run

from coalesce import progress

T = str(TINY)


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The tasks the core reports: (description, steps done)."""
    seen: list[tuple[str, int]] = []
    real = progress.task

    @contextmanager
    def task(description: str, total: int) -> Iterator[Any]:
        with real(description, total) as bar:

            class Counting:
                def advance(self, steps: int = 1) -> None:
                    seen.append((description, steps))
                    bar.advance(steps)

            yield Counting()

    monkeypatch.setattr(progress, "task", task)
    return seen


@pytest.mark.parametrize(
    ("args", "description", "steps"),
    [
        (["robustness", "chips", "--draws", "30", "--workers", "1", "--data", T], "robustness draws", 30),
        (["frontier", "chips", "--max-size", "3", "--data", T], "frontier sizes", 3),
        (["backtest", "--case", "depa-2020", "--data", str(DATA)], "backtest cases", 1),
    ],
)
def test_the_long_runs_report_their_steps(
    reported: list[tuple[str, int]], args: list[str], description: str, steps: int
) -> None:
    outcome = run(*args, "--format", "json")
    assert outcome.code == 0, outcome.err
    assert sum(n for d, n in reported if d == description) == steps


def test_batch_reports_its_lines(reported: list[tuple[str, int]], tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("USA,NOR\nNLD,JPN\nUSA\n", encoding="utf-8")
    assert run("score", "chips", "--batch", str(path), "--data", T).code == 0
    assert sum(n for d, n in reported if d == "batch lines") == 3


ROBUST = ["robustness", "chips", "--draws", "40", "--workers", "1", "--data", T]


def test_a_terminal_on_stderr_gets_a_progress_bar() -> None:
    outcome = run(*ROBUST, err_tty=True, env={"TERM": "xterm-256color"})
    assert outcome.code == 0
    assert outcome.err != ""  # rich drew (and then cleared) its bar there
    assert "robustness draws" not in outcome.out  # stdout carries only the result


@pytest.mark.parametrize(
    ("extra", "kwargs"),
    [
        ([], {}),  # stderr is not a terminal
        (["--quiet"], {"err_tty": True}),
        (["--format", "json"], {"err_tty": True}),  # JSON to a pipe: a script is reading
    ],
    ids=["not-a-terminal", "quiet", "json-to-a-pipe"],
)
def test_no_progress_otherwise(extra: list[str], kwargs: dict[str, bool]) -> None:
    args = ["--quiet", *ROBUST] if extra == ["--quiet"] else [*ROBUST, *extra]
    outcome = run(*args, **kwargs)  # type: ignore[arg-type]
    assert outcome.code == 0
    assert outcome.err == ""
    if "--format" in extra:
        json.loads(outcome.out)


def test_each_is_silent_by_default() -> None:
    items: Sequence[int] = [1, 2, 3]
    assert list(progress.each("anything", items)) == [1, 2, 3]
