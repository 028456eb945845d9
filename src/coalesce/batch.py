"""`score --batch`: score one grouping per line of a file and list the results."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from coalesce import engine
from coalesce.errors import DataError, Problem, UsageError
from coalesce.loading import yamlsafe
from coalesce.loading.files import Dataset, label_for, read_bytes
from coalesce.models.browse import Listing

MAX_GROUPINGS = 1_000
"""Groupings in one --batch file: each is scored with its best addition and removal, about 15 ms a line
on the shipped world, so a full file takes seconds, not the quarter of an hour 100,000 lines took."""
MAX_LINE_CHARS = 2_000
"""A grouping line: 60 members (the size cap) of names fits well inside."""


def score_batch(
    dataset: Dataset, issue: str, path: Path, weights: Mapping[str, float], exclude: tuple[str, ...]
) -> Listing:
    """Each non-empty, non-comment line is a comma-separated grouping. Bad lines are reported by number."""
    from coalesce.request import find_issue

    find_issue(dataset, issue)  # an unknown issue is one usage error, not one per line
    label = label_for(path)
    text = yamlsafe.decode(read_bytes(path, label), label)
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            continue
        if len(lines) == MAX_GROUPINGS:
            raise DataError(
                [
                    Problem(
                        label,
                        number,
                        1,
                        f"more than {MAX_GROUPINGS:,} groupings in one batch; split the file",
                    )
                ]
            )
        if len(stripped) > MAX_LINE_CHARS:
            raise DataError(
                [
                    Problem(
                        label,
                        number,
                        1,
                        f"a line of {len(stripped):,} characters; at most {MAX_LINE_CHARS:,}",
                    )
                ]
            )
        lines.append((number, stripped))
    if not lines:
        raise DataError([Problem(label, 0, 0, "no groupings: every line is empty or a comment")])
    rows, problems = [], []
    for number, stripped in lines:
        try:
            # A batch lists no rank, so none is searched for: each line costs one evaluation and advice.
            result = engine.score(
                dataset, issue, [stripped], weights=weights, exclude=exclude, rank_depth=1, ranked=False
            )
        except UsageError as exc:
            problems.append(Problem(label, number, 1, str(exc)))
            continue
        rows.append(
            {
                "line": number,
                "members": ",".join(result.members),
                "score": result.score,
                "convener": result.convener,
                "coverage": result.coverage,
                "best_addition": result.advice.best_addition.actor if result.advice.best_addition else None,
                "best_removal": result.advice.best_removal.actor if result.advice.best_removal else None,
            }
        )
    if problems:
        raise DataError(problems)
    rows.sort(key=lambda r: (-float(r["score"]), r["line"]))  # type: ignore[arg-type]
    return Listing(
        command="score",
        title=f"Groupings scored for {issue}",
        columns=["line", "members", "score", "convener", "coverage", "best_addition", "best_removal"],
        rows=rows,
    )
