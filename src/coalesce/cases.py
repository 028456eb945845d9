"""Historical cases (data/cases.yaml): real minilaterals and the negotiations that calibrate timeliness."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from coalesce.errors import DataError, Problem
from coalesce.loading.files import Dataset, read_tree, require_mapping, resolve_codes
from coalesce.loading.validate import validate_model
from coalesce.loading.yamlsafe import position_of
from coalesce.models.base import Frozen, Identifier
from coalesce.models.issue import Issue
from coalesce.models.rules import Consensus, DecisionRule, OptIn
from coalesce.models.world import Source

OPT_IN_INSTRUMENTS = ("declaration", "statement", "pledge", "partnership", "arrangement", "forum")
"""Instruments a state that does not join simply stays out of (protocol: opt-in)."""
CONSENSUS_INSTRUMENTS = ("treaty", "agreement")
"""Instruments that bind all their parties and exist only if every party accepts (protocol: consensus)."""
InstrumentType = Literal[
    "declaration",
    "statement",
    "pledge",
    "partnership",
    "arrangement",
    "forum",
    "treaty",
    "agreement",
    "institution-decision",
]

IssueClass = Literal["supply-side", "institutional-reform", "norm-setting", "burden-sharing"]
"""The issue classes of docs/model.md (legitimacy), read from a case's subject (protocol, docs/backtest.md)."""
LEGITIMACY_BY_CLASS: dict[str, float] = {
    "supply-side": 0.25,
    "institutional-reform": 0.5,
    "norm-setting": 0.75,
    "burden-sharing": 1.0,
}
"""Legitimacy's weight per issue class, fixed a priori in docs/model.md (the shipped issues' weights)."""


class Instrument(Frozen):
    """What the case's sources say the instrument is; it fixes the case's decision rule (docs/backtest.md)."""

    type: InstrumentType
    basis: str = Field(min_length=1)
    """The words of the source that say what the instrument is."""
    source: Identifier
    """The source quoted (one of the case's sources, or a research-notes record of them)."""
    rule: DecisionRule | None = None
    """For an institution-decision only: the institution's own rule, quoted in `basis`."""

    @model_validator(mode="after")
    def _rule_only_for_institutions(self) -> Instrument:
        if self.type == "institution-decision" and self.rule is None:
            raise ValueError("an institution-decision needs the institution's rule (`rule:`)")
        if self.type != "institution-decision" and self.rule is not None:
            raise ValueError(
                f"a {self.type} takes its rule from its type; `rule:` is for an institution-decision"
            )
        return self

    def decision_rule(self) -> DecisionRule:
        """The rule the protocol assigns: opt-in, consensus, or the institution's own."""
        if self.rule is not None:
            return self.rule
        if self.type in OPT_IN_INSTRUMENTS:
            return OptIn(kind="opt-in")
        return Consensus(kind="consensus")


class Case(Frozen):
    """A real minilateral: the issue as it stood, who formed it, who convened, how long it took."""

    id: Identifier
    name: str
    year: int = Field(ge=1900, le=2100)
    issue: Identifier | Issue
    issue_overrides: dict[str, Any] = Field(default_factory=dict)
    set: dict[str, Any] = Field(default_factory=dict)
    members: list[str] = Field(min_length=1)
    """The real core: states and blocs (scored; a bloc is expanded to its members when compared)."""
    non_state: list[str] = Field(default_factory=list)
    """Non-state parties (companies, NGOs, factions), recorded and not scored."""
    convener: str
    """The lead convener."""
    co_conveners: list[str] = Field(default_factory=list)
    min_size: int | None = Field(default=None, ge=1, le=200)
    max_size: int | None = Field(default=None, ge=1, le=200)
    """The case's own size limits (default: the protocol's, docs/backtest.md)."""
    capability_unmeasured: bool = False
    """No capability domain measures the problem: the back-test sets the capability weight to 0."""
    months_to_agreement: float | None = Field(default=None, ge=0)
    """0 for a declaration adopted at its first meeting."""
    negotiation: Identifier | None = None
    """The calibration negotiation this case is (left out when the back-test estimates its months)."""
    sources: list[Identifier] = Field(default_factory=list)
    instrument: Instrument | None = None
    """The instrument as its sources record it; it fixes the decision rule (None: the issue's rule)."""
    issue_class: IssueClass | None = None
    """The issue's class (docs/backtest.md, issue parameters); it fixes legitimacy's weight (None: 0)."""
    class_basis: str | None = None
    """Which words of the issue's title, summary or instrument decide the class."""
    note: str | None = None

    @model_validator(mode="after")
    def _class_has_basis(self) -> Case:
        if (self.issue_class is None) != (self.class_basis is None):
            raise ValueError("issue_class and class_basis go together")
        return self

    @model_validator(mode="after")
    def _one_source_of_the_rule(self) -> Case:
        if self.instrument is not None and "decision_rule" in self.issue_overrides:
            raise ValueError("the instrument fixes the decision rule; drop issue_overrides.decision_rule")
        return self

    @property
    def conveners(self) -> list[str]:
        """The lead convener first, then the co-conveners."""
        return [self.convener, *(c for c in self.co_conveners if c != self.convener)]


class Failure(Case):
    """A grouping that was proposed or negotiated and did not agree, or that a proposed member refused."""

    refused: list[str] = Field(default_factory=list)
    """The members that refused, withdrew or blocked."""
    outcome: str = Field(min_length=1)


class Negotiation(Frozen):
    """A real negotiation with its size, duration and alignment spread (timeliness calibration)."""

    id: Identifier
    name: str
    fitted: bool = True
    """False: a held-out negotiation, not in the fit; the back-test reports the shipped model's error on it."""
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
    failures: list[Failure] = Field(default_factory=list)
    negotiations: list[Negotiation] = Field(default_factory=list)

    @property
    def fitted(self) -> list[Negotiation]:
        """The negotiations the timeliness model is fitted on (the held-out ones left aside)."""
        return [n for n in self.negotiations if n.fitted]


def case_dataset(dataset: Dataset, case: Case) -> tuple[Dataset, Issue]:
    """The world and issue as they stood for the case (its overrides and `set` paths applied)."""
    from coalesce.scenarios import set_value

    base = dataset.issues[case.issue].model_dump() if isinstance(case.issue, str) else case.issue.model_dump()
    base.update(case.issue_overrides)
    if case.instrument is not None:
        base["decision_rule"] = case.instrument.decision_rule().model_dump()
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
    for key in ("cases", "failures"):
        for i, case in enumerate(tree.get(key) or []):
            if isinstance(case, dict):
                _resolve_case(dataset, tree, key, i, case, label, problems)
    for i, negotiation in enumerate(tree.get("negotiations") or []):
        if isinstance(negotiation, dict):
            resolve_codes(tree, ("negotiations", i, "party_codes"), dataset.resolver, label, problems)
    case_file, found = validate_model(CaseFile, tree, label)
    problems += found
    if case_file is not None:
        known = set(dataset.sources) | {s.id for s in case_file.sources}
        for key, case_list in (("cases", case_file.cases), ("failures", case_file.failures)):
            problems += _check_references(dataset, tree, key, case_list, known, label)
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


def _resolve_case(
    dataset: Dataset, tree: Any, key: str, i: int, case: dict[str, Any], label: str, problems: list[Problem]
) -> None:
    """Resolve a case's member, convener and rival codes in place (aliases such as NO -> NOR)."""
    for field in ("members", "co_conveners", "refused"):
        resolve_codes(tree, (key, i, field), dataset.resolver, label, problems)
    convener = case.get("convener")
    if isinstance(convener, str):
        try:
            case["convener"] = dataset.resolver.resolve(convener)
        except LookupError as exc:
            line, col = position_of(tree, (key, i, "convener"))
            problems.append(Problem(label, line, col, f"{key}[{case.get('id')}].convener: {exc}"))
    if isinstance(case.get("issue"), dict):
        for r, _ in enumerate(case["issue"].get("rivals") or []):
            resolve_codes(tree, (key, i, "issue", "rivals", r), dataset.resolver, label, problems)


def _check_references(
    dataset: Dataset, tree: Any, key: str, cases: list[Case] | list[Failure], known: set[str], label: str
) -> list[Problem]:
    """Issues and sources a case names must exist; a failure's refusers must be members."""
    problems: list[Problem] = []
    for i, case in enumerate(cases):
        if isinstance(case.issue, str) and case.issue not in dataset.issues:
            line, col = position_of(tree, (key, i, "issue"))
            problems.append(
                Problem(label, line, col, f"{key}[{case.id}].issue: unknown issue {case.issue!r}")
            )
        for j, source in enumerate(case.sources):
            if source not in known:
                line, col = position_of(tree, (key, i, "sources", j))
                problems.append(
                    Problem(label, line, col, f"{key}[{case.id}].sources: unknown source {source!r}")
                )
        if case.instrument is not None and case.instrument.source not in known:
            line, col = position_of(tree, (key, i, "instrument", "source"))
            problems.append(
                Problem(
                    label,
                    line,
                    col,
                    f"{key}[{case.id}].instrument.source: unknown source {case.instrument.source!r}",
                )
            )
        if case.min_size is not None and case.max_size is not None and case.min_size > case.max_size:
            line, col = position_of(tree, (key, i, "min_size"))
            problems.append(
                Problem(label, line, col, f"{key}[{case.id}].min_size: {case.min_size} is above max_size")
            )
        if isinstance(case, Failure):
            strays = [c for c in case.refused if c not in case.members]
            if strays:
                line, col = position_of(tree, (key, i, "refused"))
                problems.append(
                    Problem(label, line, col, f"{key}[{case.id}].refused: not members: {', '.join(strays)}")
                )
    return problems


def _check_case_worlds(dataset: Dataset, case_file: CaseFile, tree: Any, label: str) -> list[Problem]:
    """Each case's issue overrides and `set` paths must produce a valid issue and world."""
    from pydantic import ValidationError

    from coalesce.scenarios import PathError

    problems = []
    for key, i, case in [
        *(("cases", i, c) for i, c in enumerate(case_file.cases)),
        *(("failures", i, c) for i, c in enumerate(case_file.failures)),
    ]:
        try:
            _, issue = case_dataset(dataset, case)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            line, col = position_of(tree, (key, i, "issue_overrides"))
            problems.append(
                Problem(label, line, col, f"{key}[{case.id}].issue_overrides: {where}: {first['msg']}")
            )
            continue
        except PathError as exc:
            line, col = position_of(tree, (key, i, "set"))
            problems.append(Problem(label, line, col, f"{key}[{case.id}].set: {exc}"))
            continue
        from coalesce.loading.files import check_issues
        from coalesce.models.issue import IssueFile

        known_sources = {**dataset.sources, **{s.id: s for s in case_file.sources}}
        inline = IssueFile.model_construct(issues=[issue], model=dataset.params)
        for problem in check_issues(dataset.world, inline, known_sources, None, label):
            line, col = position_of(tree, (key, i, "issue"))
            detail = problem.message.split(".", 1)[1] if "." in problem.message else problem.message
            problems.append(Problem(label, line, col, f"{key}[{case.id}].issue.{detail}"))
        unknown = [
            c for c in (*case.members, *case.conveners) if c not in {a.code for a in dataset.world.actors}
        ]
        if unknown:
            line, col = position_of(tree, (key, i, "members"))
            problems.append(
                Problem(label, line, col, f"{key}[{case.id}]: unknown actors {', '.join(unknown)}")
            )
    return problems


class SignatureDecision(Frozen):
    """Who was invited to sign a text or join a regime, and who did (acceptance calibration)."""

    id: Identifier
    name: str
    year: int = Field(ge=1900, le=2100)
    initiator: str
    invitees: Literal["named", "un-members"] = "named"
    """`named`: only the actors listed (a partial list); `un-members`: every UN member state is listed."""
    signed: list[str] = Field(default_factory=list)
    declined: list[str] = Field(default_factory=list)
    sources: list[Identifier] = Field(min_length=1)
    note: str | None = None


class SignatureFile(Frozen):
    """The contents of signatures.yaml."""

    schema_version: int = 1
    decisions: list[SignatureDecision] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)


def load_signatures(dataset: Dataset, path: Path) -> SignatureFile:
    """Read and check signatures.yaml: codes resolve, sources exist, nobody both signs and declines."""
    label = str(path)
    tree = require_mapping(read_tree(path), label, "a mapping with 'decisions'")
    problems: list[Problem] = []
    for i, decision in enumerate(tree.get("decisions") or []):
        if isinstance(decision, dict):
            for field in ("signed", "declined"):
                resolve_codes(tree, ("decisions", i, field), dataset.resolver, label, problems)
            initiator = decision.get("initiator")
            if isinstance(initiator, str):
                try:
                    decision["initiator"] = dataset.resolver.resolve(initiator)
                except LookupError as exc:
                    line, col = position_of(tree, ("decisions", i, "initiator"))
                    problems.append(
                        Problem(label, line, col, f"decisions[{decision.get('id')}].initiator: {exc}")
                    )
    parsed, found = validate_model(SignatureFile, tree, label)
    problems += found
    if parsed is not None:
        known = set(dataset.sources) | {s.id for s in parsed.sources}
        for i, d in enumerate(parsed.decisions):
            for j, source in enumerate(d.sources):
                if source not in known:
                    line, col = position_of(tree, ("decisions", i, "sources", j))
                    problems.append(
                        Problem(label, line, col, f"decisions[{d.id}].sources: unknown source {source!r}")
                    )
            listed = set(d.signed) | set(d.declined)
            absent = sorted(a.code for a in dataset.world.actors if a.un_member and a.code not in listed)
            if d.invitees == "un-members" and absent:
                line, col = position_of(tree, ("decisions", i, "invitees"))
                problems.append(
                    Problem(
                        label,
                        line,
                        col,
                        f"decisions[{d.id}].invitees: UN members not listed: {', '.join(absent)}",
                    )
                )
            both = sorted(set(d.signed) & set(d.declined))
            if both:
                line, col = position_of(tree, ("decisions", i, "declined"))
                problems.append(
                    Problem(
                        label, line, col, f"decisions[{d.id}].declined: also in signed: {', '.join(both)}"
                    )
                )
    if problems:
        raise DataError(problems)
    assert parsed is not None
    return parsed
