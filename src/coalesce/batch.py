"""`score --batch`: score one grouping per line of a file and list the results."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coalesce import engine, progress
from coalesce.errors import DataError, Problem, UsageError
from coalesce.loading import yamlsafe
from coalesce.loading.files import label_for, read_bytes
from coalesce.models.browse import Listing

if TYPE_CHECKING:
    from coalesce.options import Options

MAX_GROUPINGS = 1_000
"""Groupings in one --batch file: each is scored with its best addition and removal, about 15 ms a line
on the shipped world, so a full file takes seconds, not the quarter of an hour 100,000 lines took."""
MAX_LINE_CHARS = 2_000
"""A grouping line: 60 members (the size cap) of names fits well inside."""


def read_lines(path: Path) -> tuple[str, list[tuple[int, str]]]:
    """(label, [(line number, grouping)]) of a batch file or `-` (standard input): comments and empty
    lines dropped; too many lines, an over-long line or no grouping at all is a DataError."""
    label = label_for(path)
    text = yamlsafe.decode(read_bytes(path, label), label)
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            continue
        if len(lines) == MAX_GROUPINGS:
            message = f"more than {MAX_GROUPINGS:,} groupings in one batch; split the file"
            raise DataError([Problem(label, number, 1, message)])
        if len(stripped) > MAX_LINE_CHARS:
            message = f"a line of {len(stripped):,} characters; at most {MAX_LINE_CHARS:,}"
            raise DataError([Problem(label, number, 1, message)])
        lines.append((number, stripped))
    if not lines:
        raise DataError([Problem(label, 0, 0, "no groupings: every line is empty or a comment")])
    return label, lines


def score_batch(
    options: Options, issue: str, label: str, lines: list[tuple[int, str]]
) -> tuple[Listing, list[Problem]]:
    """Score each good line; every bad line becomes a Problem (file:line:col) instead of a row.

    The choice (README, docs/cli.md): a batch is many independent requests, so a bad line does not
    discard the good ones. The caller prints the scored lines and reports the problems (exit 65).
    """
    from coalesce.request import find_issue

    find_issue(options.dataset, issue)  # an unknown issue is one usage error, not one per line
    rows, problems = [], []
    for number, stripped in progress.each("batch lines", lines):
        try:
            # A batch lists no rank, so none is searched for: each line costs one evaluation and advice.
            result = engine.score(
                options.dataset,
                issue,
                [stripped],
                weights=options.weights,
                exclude=options.exclude,
                rank_depth=1,
                ranked=False,
            )
        except UsageError as exc:
            problems.append(Problem(label, number, 1, str(exc)))
            continue
        rows.append(
            {
                "line": number,
                "members": list(result.members),
                "score": result.score,
                "convener": result.convener,
                "coverage": result.coverage,
                "best_addition": result.advice.best_addition.actor if result.advice.best_addition else None,
                "best_removal": result.advice.best_removal.actor if result.advice.best_removal else None,
            }
        )
    rows.sort(key=lambda r: (-float(r["score"]), r["line"]))  # type: ignore[arg-type]
    listing = Listing(
        command="score",
        title=f"Groupings scored for {issue}",
        columns=["line", "members", "score", "convener", "coverage", "best_addition", "best_removal"],
        rows=rows,
    )
    return listing, problems
