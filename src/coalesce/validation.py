"""`coalesce validate`: load everything, collect every problem, report what was checked."""

from __future__ import annotations

from pathlib import Path

from coalesce.errors import DataError, Problem
from coalesce.loading.files import Dataset, default_data_dir, load_dataset
from coalesce.models.browse import ValidationReport


def run_validation(data: Path | None, scenarios: list[Path]) -> tuple[ValidationReport, list[Problem]]:
    """Validate the data directory, its cases file if present, and each scenario against it."""
    directory = data or default_data_dir()
    problems: list[Problem] = []
    checked = [str(directory / "states.yaml"), str(directory / "issues.yaml")]
    dataset: Dataset | None = None
    try:
        dataset = load_dataset(directory)
    except DataError as exc:
        problems += exc.problems
    cases = directory / "cases.yaml"
    counts: dict[str, int] = {}
    if dataset is not None:
        counts = {
            "actors": len(dataset.world.actors),
            "domains": len(dataset.world.domains),
            "tags": len(dataset.world.tags),
            "issues": len(dataset.issues),
            "sources": len(dataset.sources),
        }
        if cases.is_file():
            checked.append(str(cases))
            from coalesce.cases import load_cases

            try:
                counts["cases"] = len(load_cases(dataset, cases).cases)
            except DataError as exc:
                problems += exc.problems
        from coalesce.loading.alignment import MANIFEST, check_alignment
        from coalesce.loading.blocs import BLOCS

        checked += [str(directory / f) for f in (MANIFEST, BLOCS) if (directory / f).is_file()]
        problems += list(check_alignment(directory, dataset.world, set(dataset.issues), set(dataset.sources)))
        from coalesce.scenarios import Applied, apply_scenario, load_scenario

        for path in scenarios:
            checked.append(str(path))
            try:
                scenario, tree, label = load_scenario(path)
                apply_scenario(Applied(dataset), scenario, tree, label)
            except DataError as exc:
                problems += exc.problems
    report = ValidationReport(
        ok=not problems, checked=checked, problems=[str(p) for p in problems], counts=counts
    )
    return report, problems
