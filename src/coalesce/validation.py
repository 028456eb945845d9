"""`coalesce validate`: load everything, collect every problem, report what was checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coalesce.errors import DataError, Problem
from coalesce.loading.files import Dataset, default_data_dir, load_dataset
from coalesce.models.browse import ProblemItem, ValidationReport

SIGNATURES = "signatures.yaml"
VINTAGE = "case_vintage.yaml"
_VINTAGE_SHARES = ("population", "economy")


def check_signatures(dataset: Dataset, path: Path) -> tuple[int, list[Problem]]:
    """(decisions, problems) of signatures.yaml: actor codes resolve, every cited source exists."""
    from coalesce.cases import load_signatures

    try:
        return len(load_signatures(dataset, path).decisions), []
    except DataError as exc:
        return 0, list(exc.problems)


def check_vintage(dataset: Dataset, path: Path) -> tuple[int, list[Problem]]:
    """(years, problems) of case_vintage.yaml: every code is a state of the world, every share lies in
    [0, 1] and every year has its sessions and EU members. Missing figures are listed, never zero."""
    from coalesce.loading.files import read_tree
    from coalesce.loading.yamlsafe import key_position, position_of

    label = str(path)
    try:
        tree: Any = read_tree(path)
    except DataError as exc:
        return 0, list(exc.problems)
    problems: list[Problem] = []

    def at(where: tuple[Any, ...], message: str, key: bool = False) -> None:
        line, col = (key_position if key else position_of)(tree, where)
        problems.append(Problem(label, line, col, message))

    years = tree.get("years") if isinstance(tree, dict) else None
    if not isinstance(years, dict) or not years:
        at((), f"{VINTAGE}: no 'years' mapping; rebuild it with scripts/build_case_vintage.py")
        return 0, problems
    states = {a.code for a in dataset.world.actors if a.kind == "state"}
    for year, row in years.items():
        base = ("years", year)
        if not str(year).isdigit():
            at(base, f"years[{year}]: a year must be a four-digit number", key=True)
        if not isinstance(row, dict):
            at(base, f"years[{year}]: expected a mapping of figures")
            continue
        for field in ("sessions", "eu_members"):
            if not isinstance(row.get(field), list):
                at((*base, field), f"years[{year}].{field}: missing or not a list")
        for j, code in enumerate(row.get("eu_members") or []):
            if code not in states:
                at((*base, "eu_members", j), f"years[{year}].eu_members: unknown state {code!r}")
        missing = row.get("missing") or {}
        if not isinstance(missing, dict):
            at((*base, "missing"), f"years[{year}].missing: expected a mapping of figure -> state codes")
            missing = {}
        for figure, codes in missing.items():
            for j, code in enumerate(codes if isinstance(codes, list) else []):
                if code not in states:
                    at(
                        (*base, "missing", figure, j),
                        f"years[{year}].missing.{figure}: unknown state {code!r}",
                    )
        for field in (*_VINTAGE_SHARES, "population_m", "alignment"):
            values = row.get(field)
            if values is None:
                continue
            if not isinstance(values, dict):
                at((*base, field), f"years[{year}].{field}: expected a mapping of state codes")
                continue
            for code, value in values.items():
                where = (*base, field, code)
                if code not in states:
                    at(where, f"years[{year}].{field}: unknown state {code!r}", key=True)
                elif field in _VINTAGE_SHARES and (
                    not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1
                ):
                    at(where, f"years[{year}].{field}.{code}: share {value!r} is not a number in [0, 1]")
    return len(years), problems


def run_validation(
    data: Path | None, scenarios: list[Path], sets: list[str] | None = None
) -> tuple[ValidationReport, list[Problem]]:
    """Validate the data directory, its cases file if present, each scenario (in order) and each
    PATH=VALUE against it: every problem found, in one pass."""
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
        for name, check, key in (
            (SIGNATURES, check_signatures, "signature decisions"),
            (VINTAGE, check_vintage, "vintage years"),
        ):
            path = directory / name
            if path.is_file():
                checked.append(str(path))
                n, found = check(dataset, path)
                problems += found
                if not found:
                    counts[key] = n
        from coalesce.loading.alignment import MANIFEST, check_alignment
        from coalesce.loading.blocs import BLOCS

        checked += [str(directory / f) for f in (MANIFEST, BLOCS) if (directory / f).is_file()]
        problems += list(check_alignment(directory, dataset.world, set(dataset.issues), set(dataset.sources)))
        from coalesce.scenarios import Applied, scenario_problems, set_problems

        applied = Applied(dataset)
        for path in scenarios:
            checked.append(str(path))
            applied, found = scenario_problems(applied, path)
            problems += found
        if sets:
            checked.append("--set")
            applied, found = set_problems(applied, sets)
            problems += found
    report = ValidationReport(
        ok=not problems,
        checked=checked,
        problems=[
            ProblemItem(file=p.file, line=p.line, column=p.column, message=p.message, text=str(p))
            for p in DataError(problems).problems
        ],
        counts=counts,
    )
    return report, problems
