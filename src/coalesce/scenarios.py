"""Apply scenarios and --set overrides to a Dataset, in order, producing a new Dataset.

Paths are dotted: `actors.<actor>.<field>...` (the actor by ISO3, ISO2 or name), `issues.<id>.<field>...`
and `model.<parameter>`. A path that does not exist is an error naming the nearest valid one. Setting a
capability share an actor did not have creates the figure, marked as an estimate whose basis is the
scenario. The overridden actor or issue is validated again, so a share of 1.3 fails as it would in
states.yaml.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coalesce.errors import DataError, Problem, UsageError
from coalesce.loading.files import Dataset, label_for, read_tree, require_mapping
from coalesce.loading.resolve import UnknownActor
from coalesce.loading.validate import validate_model
from coalesce.loading.yamlsafe import PosDict, position_of
from coalesce.models.issue import CRITERIA, Issue, ModelParameters
from coalesce.models.scenario import Scenario, Trail
from coalesce.models.world import Actor


@dataclass(frozen=True)
class Applied:
    """A dataset after scenarios, and the request parts the scenarios contributed."""

    dataset: Dataset
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    sets: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, dataset: Dataset) -> Applied:
        """A dataset with what earlier scenarios applied to it asked (its `trail`)."""
        trail = dataset.trail
        return cls(
            dataset,
            include=tuple(trail.include),
            exclude=tuple(trail.exclude),
            weights=dict(trail.weights),
            names=tuple(trail.names),
            sets=dict(trail.sets),
        )

    def remembered(self) -> Dataset:
        """The dataset carrying this include, exclude, weights, names and sets as its trail."""
        trail = Trail(self.include, self.exclude, dict(self.weights), self.names, dict(self.sets))
        return replace(self.dataset, trail=trail)


class PathError(ValueError):
    """A dotted path that does not exist; the message names the nearest valid path."""


def read_scenario(path: Path) -> tuple[Scenario | None, PosDict | None, str, list[Problem]]:
    """Read a scenario file strictly, finding every problem of the file in one pass.

    Where a field is invalid, the others are still read (the bad fields left out), so a scenario with an
    unknown criterion, a bad share and a misspelt field reports all three. Returns the scenario when
    there is no problem, else None, with the tree (None when unreadable), the label and the problems.
    """
    label = label_for(path)
    try:
        tree = require_mapping(read_tree(path, label), label, "a scenario mapping (name, exclude, set, ...)")
    except DataError as exc:
        return None, None, label, list(exc.problems)
    scenario, problems = validate_model(Scenario, tree, label)
    partial = scenario if scenario is not None else _partial(tree)
    if partial is not None:
        for name in partial.weights:
            if name not in CRITERIA:
                line, col = position_of(tree, ("weights", name))
                close = difflib.get_close_matches(name, CRITERIA, n=1)
                hint = f"; did you mean {close[0]}?" if close else f"; criteria are {', '.join(CRITERIA)}"
                problems.append(Problem(label, line, col, f"weights: unknown criterion {name!r}{hint}"))
    return (partial if not problems else None), tree, label, problems


def _partial(tree: PosDict) -> Scenario | None:
    """The scenario without its invalid top-level fields, to check the rest; None if even that fails."""
    try:
        Scenario.model_validate(tree)
    except ValidationError as exc:
        bad = {error["loc"][0] for error in exc.errors() if error["loc"]}
    else:
        return None
    kept: dict[str, Any] = {k: v for k, v in tree.items() if k not in bad and k in Scenario.model_fields}
    kept.setdefault("name", "(unnamed)")
    try:
        return Scenario.model_validate(kept)
    except ValidationError:
        return None


def load_scenario(path: Path) -> tuple[Scenario, PosDict, str]:
    """Read a scenario file strictly; every problem in it is one DataError."""
    scenario, tree, label, problems = read_scenario(path)
    if problems:
        raise DataError(problems)
    assert scenario is not None and tree is not None
    return scenario, tree, label


def scenario_problems(applied: Applied, path: Path) -> tuple[Applied, list[Problem]]:
    """Every problem of one scenario file against the data so far: the file's own (types, unknown
    fields and criteria) and those of applying what is valid (unknown actors, bad paths, sums)."""
    scenario, tree, label, problems = read_scenario(path)
    if tree is None:
        return applied, problems
    partial = scenario if scenario is not None else _partial(tree)
    if partial is None:
        return applied, problems
    try:
        applied = apply_scenario(applied, partial, tree, label)
    except DataError as exc:
        problems += [p for p in exc.problems if p not in problems]
    return applied, problems


def set_problems(applied: Applied, sets: list[str]) -> tuple[Applied, list[Problem]]:
    """Every problem of the --set flags, each on its own line (`--set:0:0: ...`)."""
    problems: list[Problem] = []
    for raw in sets:
        try:
            applied = apply_all(applied.remembered(), [], [raw])
        except (UsageError, DataError) as exc:
            problems.append(Problem("--set", 0, 0, str(exc).removeprefix("--set ")))
    return applied, problems


def apply_all(dataset: Dataset, scenario_paths: list[Path], sets: list[str]) -> Applied:
    """Apply each scenario file in order, then each --set PATH=VALUE flag, after the dataset's own trail
    (the scenarios applied to it before, by `coalesce.apply_scenarios`)."""
    applied = Applied.of(dataset)
    for path in scenario_paths:
        scenario, tree, label = load_scenario(path)
        applied = apply_scenario(applied, scenario, tree, label)
    for raw in sets:
        dotted, value = parse_set_flag(raw)
        try:
            new = set_value(applied.dataset, dotted, value, "--set")
        except PathError as exc:
            raise UsageError(f"--set {dotted}: {exc}") from None
        applied = replace(applied, dataset=new, sets={**applied.sets, dotted: value})
    if sets:
        over = domain_sum_problems(applied.dataset)
        if over:
            raise UsageError(f"--set: {over[0]}; lower another holder's share too")
    return applied


def parse_set_flag(raw: str) -> tuple[str, Any]:
    """PATH=VALUE, with VALUE read by the same strict scalar rules as the YAML files."""
    if "=" not in raw:
        raise UsageError(f"--set {raw!r}: expected PATH=VALUE, e.g. issues.ai-governance.deadline_months=12")
    path, text = raw.split("=", 1)
    from coalesce.loading import yamlsafe

    try:
        value = yamlsafe.load(text, "--set") if text.strip() else None
    except DataError as exc:
        raise UsageError(f"--set {path}: {exc.problems[0].message}") from None
    if isinstance(value, dict | list):
        value = _plain(value)
    return path.strip(), value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def apply_scenario(applied: Applied, scenario: Scenario, tree: PosDict, label: str) -> Applied:
    """Apply one scenario: its `set` paths, then record its include, exclude and weights."""
    dataset = applied.dataset
    problems: list[Problem] = []

    def resolve_list(items: list[str], key: str) -> tuple[str, ...]:
        out = []
        for i, item in enumerate(items):
            try:
                out.append(dataset.resolver.resolve(item))
            except UnknownActor as exc:
                line, col = position_of(tree, (key, i))
                problems.append(Problem(label, line, col, f"{key}: {exc}"))
        return tuple(out)

    if scenario.weights and dataset.issues:
        # Criteria the scenario does not name keep each issue's weight; zeroed for every issue, the
        # scenario is the cause, so it is named here rather than at the --weight check.
        zeroed = [
            issue_id
            for issue_id, issue in sorted(dataset.issues.items())
            if not any({**issue.weights.as_dict(), **scenario.weights}.values())
        ]
        if len(zeroed) == len(dataset.issues):
            line, col = position_of(tree, ("weights",))
            problems.append(
                Problem(
                    label,
                    line,
                    col,
                    "weights: every criterion is 0 for every issue once these weights apply; "
                    "at least one weight must be positive",
                )
            )
    include = resolve_list(scenario.include, "include")
    exclude = resolve_list(scenario.exclude, "exclude")
    for i, code in enumerate(exclude):
        if code in include:
            line, col = position_of(tree, ("exclude", i))
            problems.append(Problem(label, line, col, f"exclude: {code} is also in include"))
    for path, value in scenario.set.items():
        try:
            dataset = set_value(dataset, path, _plain(value), f"scenario {scenario.name}")
        except PathError as exc:
            line, col = position_of(tree, ("set", path))
            problems.append(Problem(label, line, col, f"set {path}: {exc}"))
        except UsageError as exc:
            line, col = position_of(tree, ("set", path))
            problems.append(Problem(label, line, col, f"set {path}: {exc}"))
    if not problems:
        for message in domain_sum_problems(dataset):
            domain = message.split(":", 1)[0].removeprefix("domain ").split(" ")[-1]
            touched = [p for p in scenario.set if _domain_of(p) == domain]
            line, col = position_of(tree, ("set", touched[0]) if touched else ("set",))
            problems.append(Problem(label, line, col, f"set: {message}; lower another holder's share too"))
    if problems:
        raise DataError(problems)
    merged_include = tuple(dict.fromkeys((*applied.include, *include)))
    merged_exclude = tuple(dict.fromkeys((*applied.exclude, *exclude)))
    return Applied(
        dataset=dataset,
        include=tuple(c for c in merged_include if c not in exclude),
        exclude=tuple(c for c in merged_exclude if c not in include),
        weights={**applied.weights, **scenario.weights},
        names=(*applied.names, scenario.name),
        sets={**applied.sets, **{k: _plain(v) for k, v in scenario.set.items()}},
    )


def _nearest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.4)
    return (
        f"; nearest valid: {close[0]}"
        if close
        else (f"; valid: {', '.join(options[:12])}" if options else "")
    )


def _assign(data: dict[str, Any], keys: list[str], value: Any, prefix: str, model: type[BaseModel]) -> None:
    node: Any = data
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        if not isinstance(node, dict):
            raise PathError(f"{'.'.join([prefix, *keys[:depth]])} is not a mapping")
        if key not in node:
            known = sorted(node)
            if not last or not _may_create(prefix, keys, depth):
                raise PathError(
                    f"no field {'.'.join([prefix, *keys[: depth + 1]])}{_nearest(key, [f'{prefix}.' + '.'.join([*keys[:depth], k]) for k in known])}"
                )
        if last:
            node[key] = value
        else:
            node = node[key]


def _may_create(prefix: str, keys: list[str], depth: int) -> bool:
    # Issue weights and domain weights may gain an entry; actor figures are created in set_value.
    return prefix.startswith("issues.") and depth == 1 and keys[0] in ("weights", "domains")


def set_value(dataset: Dataset, path: str, value: Any, origin: str) -> Dataset:
    """A new dataset with one dotted path changed."""
    parts = path.split(".")
    root = parts[0]
    if root == "actors" and len(parts) >= 3:
        try:
            code = dataset.resolver.resolve(parts[1])
        except UnknownActor as exc:
            raise PathError(str(exc)) from None
        actor = dataset.world.actor(code)
        data = actor.model_dump()
        keys = parts[2:]
        if keys[0] in ("code", "kind"):
            raise PathError(f"an actor's {keys[0]} cannot be changed by a scenario; edit states.yaml instead")
        if keys[0] == "capabilities" and len(keys) == 3 and keys[1] not in data["capabilities"]:
            domains = {d.id: d for d in dataset.world.domains}
            if keys[1] not in domains:
                raise PathError(f"unknown domain {keys[1]!r}{_nearest(keys[1], sorted(domains))}")
            data["capabilities"][keys[1]] = {
                "share": 0.0,
                "uncertainty": 0.0,
                "source": domains[keys[1]].source,
                "estimate": True,
                "basis": f"set by {origin}",
            }
        _assign(data, keys, value, f"actors.{code}", Actor)
        data["members"] = _resolved(dataset, data.get("members"))
        new_actor = _revalidate(Actor, data, path)
        actors = [new_actor if a.code == code else a for a in dataset.world.actors]
        return _rechecked(replace(dataset, world=dataset.world.model_copy(update={"actors": actors})))
    if root == "issues" and len(parts) >= 3:
        issue_id = parts[1]
        if issue_id not in dataset.issues:
            raise PathError(f"unknown issue {issue_id!r}{_nearest(issue_id, sorted(dataset.issues))}")
        data = dataset.issues[issue_id].model_dump()
        _assign(data, parts[2:], value, f"issues.{issue_id}", Issue)
        if isinstance(data.get("rivals"), list):
            data["rivals"] = [_resolved(dataset, group) for group in data["rivals"]]
        data["exclude"] = _resolved(dataset, data.get("exclude"))
        new_issue = _revalidate(Issue, data, path)
        return _rechecked(replace(dataset, issues={**dataset.issues, issue_id: new_issue}))
    if root == "model" and len(parts) == 2:
        data = dataset.params.model_dump()
        _assign(data, parts[1:], value, "model", ModelParameters)
        return replace(dataset, params=_revalidate(ModelParameters, data, path))
    raise PathError("paths start with actors.<actor>.<field>, issues.<issue>.<field> or model.<parameter>")


def _resolved(dataset: Dataset, codes: Any) -> Any:
    """Actor references in a set value, resolved like everywhere else (ISO2, names -> ISO3)."""
    if not isinstance(codes, list):
        return codes
    out = []
    for code in codes:
        try:
            out.append(dataset.resolver.resolve(code))
        except UnknownActor as exc:
            raise PathError(str(exc)) from None
    return out


def _rechecked(dataset: Dataset) -> Dataset:
    """The cross-reference checks of loading, run again on the changed data."""
    from coalesce.loading.files import check_issues, check_world
    from coalesce.models.issue import IssueFile

    # Domain totals are checked once all of a scenario's (or all --set) paths are applied, by
    # domain_sum_problems: a scenario may move share from one holder to another in two steps.
    problems = list(check_world(dataset.world, None, "--set", sums=False))
    issue_file = IssueFile.model_construct(issues=list(dataset.issues.values()), model=dataset.params)
    problems += list(check_issues(dataset.world, issue_file, dataset.sources, None, "--set"))
    if problems:
        raise PathError(f"makes the data inconsistent: {problems[0].message}")
    return dataset


def domain_sum_problems(dataset: Dataset) -> list[str]:
    """Domains whose shares add up past 1 + tolerance: a what-if must not credit a group with more than
    the whole world ("chips 102%"); lower another holder's share in the same scenario instead."""
    from coalesce.loading.files import _check_domain_sums

    by_code = {a.code: a for a in dataset.world.actors}
    return [p.message for p in _check_domain_sums(dataset.world, None, "", by_code)]


def _domain_of(path: str) -> str | None:
    parts = path.split(".")
    return parts[3] if len(parts) >= 4 and parts[0] == "actors" and parts[2] == "capabilities" else None


def _revalidate(model: type[Any], data: dict[str, Any], path: str) -> Any:
    try:
        return model.model_validate(data, strict=True)
    except ValidationError as exc:
        from coalesce.loading.validate import _message

        first = exc.errors()[0]
        message = _message(first, ".".join(str(step) for step in first["loc"]))
        if first["type"] == "bool_type":
            message += " (write true or false)"
        raise PathError(f"invalid value (the same strict types as the data files): {message}") from None
