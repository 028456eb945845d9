"""`score --batch`: score one grouping per line of a file and list the results."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from coalesce import engine
from coalesce.errors import DataError, Problem, UsageError
from coalesce.loading import yamlsafe
from coalesce.loading.files import Dataset
from coalesce.models.browse import Listing


def score_batch(
    dataset: Dataset, issue: str, path: Path, weights: Mapping[str, float], exclude: tuple[str, ...]
) -> Listing:
    """Each non-empty, non-comment line is a comma-separated grouping. Bad lines are reported by number."""
    from coalesce.request import find_issue

    find_issue(dataset, issue)  # an unknown issue is one usage error, not one per line
    label = str(path)
    try:
        text = yamlsafe.decode(path.read_bytes(), label)
    except FileNotFoundError:
        raise DataError([Problem(label, 0, 0, "file not found")]) from None
    except OSError as exc:
        raise DataError([Problem(label, 0, 0, f"cannot read: {exc.strerror}")]) from None
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            continue
        try:
            result = engine.score(
                dataset, issue, [stripped], weights=weights, exclude=exclude, rank_depth=1, time_limit=2.0
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
