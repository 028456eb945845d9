"""Historical cases (data/cases.yaml): real minilaterals and the negotiations that calibrate timeliness."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from coalesce.errors import DataError, Problem
from coalesce.loading.files import Dataset, read_tree, require_mapping, resolve_codes
from coalesce.loading.validate import validate_model
from coalesce.loading.yamlsafe import position_of
from coalesce.models.base import Frozen, Identifier
from coalesce.models.issue import Issue
from coalesce.models.world import Source


class Case(Frozen):
    """A real minilateral: the issue as it stood, who formed it, who convened, how long it took."""

    id: Identifier
    name: str
    year: int = Field(ge=1900, le=2100)
    issue: Identifier | Issue
    issue_overrides: dict[str, Any] = Field(default_factory=dict)
    set: dict[str, Any] = Field(default_factory=dict)
    members: list[str] = Field(min_length=1)
    convener: str
    months_to_agreement: float | None = Field(default=None, gt=0)
    negotiation: Identifier | None = None
    """The calibration negotiation this case is (left out when the back-test estimates its months)."""
    sources: list[Identifier] = Field(default_factory=list)
    note: str | None = None


class Negotiation(Frozen):
    """A real negotiation with its size, duration and alignment spread (timeliness calibration)."""

    id: Identifier
    name: str
    parties: int = Field(ge=1)
    start: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    end: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    months: float = Field(gt=0)
    spread: float = Field(ge=0)
    sources: list[Identifier] = Field(default_factory=list)
    party_codes: list[str] = Field(default_factory=list)
    all_un: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Negotiation:
        if self.end < self.start:  # YYYY-MM strings order as dates
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class CaseFile(Frozen):
    """The contents of cases.yaml."""

    schema_version: int = 1
    sources: list[Source] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    negotiations: list[Negotiation] = Field(default_factory=list)


def case_dataset(dataset: Dataset, case: Case) -> tuple[Dataset, Issue]:
    """The world and issue as they stood for the case (its overrides and `set` paths applied)."""
    from coalesce.scenarios import set_value

    base = dataset.issues[case.issue].model_dump() if isinstance(case.issue, str) else case.issue.model_dump()
    base.update(case.issue_overrides)
    base["id"] = case.id
    issue = Issue.model_validate(base, strict=False)
    data = replace(dataset, issues={**dataset.issues, case.id: issue})
    for path, value in case.set.items():
        data = set_value(data, path, value, f"case {case.id}")
    if case.set:
        from coalesce.scenarios import PathError, domain_sum_problems

        over = domain_sum_problems(data)
        if over:
            raise PathError(f"makes the data inconsistent: {over[0]}")
    return data, issue


def load_cases(dataset: Dataset, path: Path) -> CaseFile:
    """Read and check cases.yaml against the dataset: codes resolve, sources and issues exist."""
    label = str(path)
    tree = require_mapping(read_tree(path), label, "a mapping with 'cases'")
    problems: list[Problem] = []
    for i, case in enumerate(tree.get("cases") or []):
        if isinstance(case, dict):
            resolve_codes(tree, ("cases", i, "members"), dataset.resolver, label, problems)
            convener = case.get("convener")
            if isinstance(convener, str):
                try:
                    case["convener"] = dataset.resolver.resolve(convener)
                except LookupError as exc:
                    line, col = position_of(tree, ("cases", i, "convener"))
                    problems.append(Problem(label, line, col, f"cases[{case.get('id')}].convener: {exc}"))
            if isinstance(case.get("issue"), dict):
                for r, _ in enumerate(case["issue"].get("rivals") or []):
                    resolve_codes(tree, ("cases", i, "issue", "rivals", r), dataset.resolver, label, problems)
    for i, negotiation in enumerate(tree.get("negotiations") or []):
        if isinstance(negotiation, dict):
            resolve_codes(tree, ("negotiations", i, "party_codes"), dataset.resolver, label, problems)
    case_file, found = validate_model(CaseFile, tree, label)
    problems += found
    if case_file is not None:
        known = set(dataset.sources) | {s.id for s in case_file.sources}
        for i, case in enumerate(case_file.cases):
            if isinstance(case.issue, str) and case.issue not in dataset.issues:
                line, col = position_of(tree, ("cases", i, "issue"))
                problems.append(
                    Problem(label, line, col, f"cases[{case.id}].issue: unknown issue {case.issue!r}")
                )
            for j, source in enumerate(case.sources):
                if source not in known:
                    line, col = position_of(tree, ("cases", i, "sources", j))
                    problems.append(
                        Problem(label, line, col, f"cases[{case.id}].sources: unknown source {source!r}")
                    )
        negotiation_ids = {n.id for n in case_file.negotiations}
        for i, case in enumerate(case_file.cases):
            if case.negotiation is not None and case.negotiation not in negotiation_ids:
                line, col = position_of(tree, ("cases", i, "negotiation"))
                problems.append(
                    Problem(
                        label,
                        line,
                        col,
                        f"cases[{case.id}].negotiation: unknown negotiation {case.negotiation!r}",
                    )
                )
        for i, negotiation in enumerate(case_file.negotiations):
            for j, source in enumerate(negotiation.sources):
                if source not in known:
                    line, col = position_of(tree, ("negotiations", i, "sources", j))
                    problems.append(
                        Problem(
                            label,
                            line,
                            col,
                            f"negotiations[{negotiation.id}].sources: unknown source {source!r}",
                        )
                    )
    if case_file is not None and not problems:
        problems += _check_case_worlds(dataset, case_file, tree, label)
    if problems:
        raise DataError(problems)
    assert case_file is not None
    return case_file


def _check_case_worlds(dataset: Dataset, case_file: CaseFile, tree: Any, label: str) -> list[Problem]:
    """Each case's issue overrides and `set` paths must produce a valid issue and world."""
    from pydantic import ValidationError

    from coalesce.scenarios import PathError

    problems = []
    for i, case in enumerate(case_file.cases):
        try:
            _, issue = case_dataset(dataset, case)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            line, col = position_of(tree, ("cases", i, "issue_overrides"))
            problems.append(
                Problem(label, line, col, f"cases[{case.id}].issue_overrides: {where}: {first['msg']}")
            )
            continue
        except PathError as exc:
            line, col = position_of(tree, ("cases", i, "set"))
            problems.append(Problem(label, line, col, f"cases[{case.id}].set: {exc}"))
            continue
        from coalesce.loading.files import check_issues
        from coalesce.models.issue import IssueFile

        known_sources = {**dataset.sources, **{s.id: s for s in case_file.sources}}
        inline = IssueFile.model_construct(issues=[issue], model=dataset.params)
        for problem in check_issues(dataset.world, inline, known_sources, None, label):
            line, col = position_of(tree, ("cases", i, "issue"))
            detail = problem.message.split(".", 1)[1] if "." in problem.message else problem.message
            problems.append(Problem(label, line, col, f"cases[{case.id}].issue.{detail}"))
        unknown = [
            c for c in (*case.members, case.convener) if c not in {a.code for a in dataset.world.actors}
        ]
        if unknown:
            line, col = position_of(tree, ("cases", i, "members"))
            problems.append(
                Problem(label, line, col, f"cases[{case.id}]: unknown actors {', '.join(unknown)}")
            )
    return problems
