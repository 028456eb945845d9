"""The few exception types the core raises; the CLI maps each to one line and an exit code."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_DATA = 65


@dataclass(frozen=True)
class Problem:
    """One problem found in a data or scenario file."""

    file: str
    """The file's path as the user gave it (or a label such as `--set`)."""
    line: int
    """1-based line, 0 when unknown."""
    column: int
    """1-based column, 0 when unknown."""
    message: str
    """What is wrong, in plain language, naming the field."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class CoalesceError(Exception):
    """Base of every error a user can cause. `exit_code` comes from SPEC."""

    exit_code = EXIT_INTERNAL


class UsageError(CoalesceError):
    """A bad flag, an unknown issue or actor (with suggestions)."""

    exit_code = EXIT_USAGE


class DataError(CoalesceError):
    """A bad data or scenario file: every problem found, each as `file:line:col: message`."""

    exit_code = EXIT_DATA

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))
