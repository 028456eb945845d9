"""coalesce: design minilateral coalitions from sourced capability data.

The Python API gives the same results as the command line; every result is a pydantic model whose
JSON is the CLI's JSON::

    import coalesce
    world = coalesce.load_world()                 # the shipped data, or load_world("path/to/data")
    result = coalesce.propose(world, "ai-governance", max_size=6, weights={"veto": 2})
    print(result.recommendations[0].members)
    assessment = coalesce.score(world, "ai-governance", ["USA", "CHN", "GBR"])   # a list, not "USA,CHN"
    what_if = coalesce.apply_scenarios(world, ["china-walks-out"])   # a shipped name, or a path
    same = coalesce.propose(what_if, "ai-governance")  # == propose(world, ..., scenarios=[...]) == the CLI
    diff = coalesce.compare(world, "ai-governance", ["china-walks-out"])
    spread = coalesce.robustness(world, "semiconductor-export-controls", draws=200, seed=1)
    tips = coalesce.sweep(world, "ai-governance", "weights.veto=0..3")
    curve = coalesce.frontier(world, "semiconductor-export-controls")
    votes = coalesce.power(world, "imf-quota-reform", ["USA", "CHN", "JPN"])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

__version__ = "0.1.0"

if TYPE_CHECKING:
    from coalesce.loading.files import Dataset
    from coalesce.models.analysis import (
        BacktestResult,
        CompareResult,
        FrontierResult,
        PowerResult,
        RobustnessResult,
        SweepResult,
    )
    from coalesce.models.results import ProposeResult, ScoreResult
    from coalesce.options import Options

__all__ = [
    "__version__",
    "apply_scenarios",
    "backtest",
    "compare",
    "frontier",
    "load_world",
    "power",
    "propose",
    "robustness",
    "scenario_names",
    "score",
    "sweep",
]


Actors: TypeAlias = Iterable[str]
"""Actors as a list (or any iterable) of codes or names: ["USA", "CHN"]. A string is refused: in Python
"USA,CHN" is one string, not two actors."""
ScenarioList: TypeAlias = Iterable[str | Path]
"""Scenario files or shipped scenario names (see `scenario_names()`), applied in order."""
Sets: TypeAlias = Iterable[str] | Mapping[str, Any]
"""PATH=VALUE strings, or a mapping of PATH to value."""

F = TypeVar("F", bound=Callable[..., Any])

_FLAGS = {
    "--include": "include",
    "--exclude": "exclude",
    "--max-size": "max_size",
    "--min-size": "min_size",
    "--top": "top",
    "--weight": "weights",
    "--set": "sets",
    "--time-limit": "time_limit",
    "--budget": "work_limit",
    "--vary": "vary",
    "--steps": "steps",
    "--draws": "draws",
    "--workers": "workers",
    "--concentration": "concentration",
    "--scenario": "scenarios",
    "--case": "case",
}
_FLAG = re.compile("|".join(re.escape(flag) for flag in sorted(_FLAGS, key=len, reverse=True)) + r"\b")


def _python_terms(function: F) -> F:
    """Errors in the API's terms: a usage error names the parameter (max_size), not the CLI flag."""

    @wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        from coalesce.errors import UsageError

        try:
            return function(*args, **kwargs)
        except UsageError as exc:
            raise UsageError(_FLAG.sub(lambda m: _FLAGS[m.group(0)], str(exc))) from None

    return call  # type: ignore[return-value]


def load_world(data: str | Path | None = None) -> Dataset:
    """Load a data directory (states.yaml, issues.yaml); the shipped data by default."""
    from coalesce.loading.files import load_dataset

    return load_dataset(Path(data) if data is not None else None)


def scenario_names() -> list[str]:
    """The example scenarios shipped with the package, by the name `scenarios=[...]` accepts."""
    from coalesce.shipped import shipped_scenarios

    return list(shipped_scenarios())


def _actors(value: Actors | None, parameter: str) -> list[str]:
    """A list of codes or names; a string or a non-iterable is a TypeError naming the parameter."""
    if value is None:
        return []
    if isinstance(value, str):
        raise TypeError(
            f'{parameter} takes a list of actor codes or names, e.g. {parameter}=["USA", "CHN"], '
            f"not the string {value!r}"
        )
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{parameter} takes a list of actor codes or names, not {type(value).__name__}")
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(
                f"{parameter} must hold strings (actor codes or names), not {type(item).__name__}"
            )
        if "," in item:
            raise TypeError(f"{parameter}: {item!r} holds a comma; give one actor per list item")
    return items


def _scenario_paths(scenarios: ScenarioList | None) -> list[Path]:
    from coalesce.shipped import resolve_scenario

    if scenarios is None:
        return []
    if isinstance(scenarios, (str, Path)):
        scenarios = [scenarios]
    out = []
    for item in scenarios:
        if not isinstance(item, (str, Path)):
            raise TypeError(f"scenarios must hold file paths or shipped names, not {type(item).__name__}")
        out.append(resolve_scenario(item))
    return out


def _sets(sets: Sets | None) -> list[str]:
    if sets is None:
        return []
    if isinstance(sets, str):
        return [sets]
    if isinstance(sets, Mapping):
        import json

        return [f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in sets.items()]
    return list(sets)


def _world(world: Dataset) -> Dataset:
    from coalesce.loading.files import Dataset

    if not isinstance(world, Dataset):
        raise TypeError(f"world must be a world from coalesce.load_world(), not {type(world).__name__}")
    return world


def _options(
    world: Dataset,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
    *,
    include: Actors | None = None,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    **flags: Any,
) -> Options:
    """The options of one call, built as the CLI builds them: the world's earlier scenarios (its trail),
    these scenarios, then `sets`, then the call's own include, exclude and weights."""
    from coalesce.options import build_options
    from coalesce.scenarios import apply_all

    if weights is not None and not isinstance(weights, Mapping):
        raise TypeError(f"weights must be a mapping of criterion to number, not {type(weights).__name__}")
    applied = apply_all(_world(world), _scenario_paths(scenarios), _sets(sets))
    return build_options(
        applied,
        include=_actors(include, "include"),
        exclude=_actors(exclude, "exclude"),
        weights=dict(weights or {}),
        cli=False,
        **flags,
    )


@_python_terms
def apply_scenarios(world: Dataset, scenarios: ScenarioList, sets: Sets | None = None) -> Dataset:
    """A new world with scenario files or shipped names (and PATH=VALUE overrides) applied in order.

    The returned world keeps the scenarios' include, exclude and weights (`world.trail`): every function
    here given it applies them, so `propose(apply_scenarios(world, ["china-walks-out"]), issue)` gives
    the same result as `propose(world, issue, scenarios=["china-walks-out"])` and as the command line.
    """
    from coalesce.scenarios import apply_all

    return apply_all(_world(world), _scenario_paths(scenarios), _sets(sets)).remembered()


@_python_terms
def propose(
    world: Dataset,
    issue: str,
    *,
    top: int = 5,
    min_size: int | None = None,
    max_size: int | None = None,
    include: Actors | None = None,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
    time_limit: float | None = None,
    work_limit: int | None = None,
    timing: bool = False,
) -> ProposeResult:
    """Ranked architectures for an issue: the exact top `top`, with reasons (as `coalesce propose`).

    `scenarios` are applied (not only named in the result), then `sets` (PATH=VALUE strings or a
    mapping), then `include`, `exclude` and `weights` on top of the scenarios' own. `work_limit` is the
    search's deterministic budget (default `coalesce.request.DEFAULT_WORK_BUDGET`).
    """
    opts = _options(
        world,
        scenarios,
        sets,
        include=include,
        exclude=exclude,
        weights=weights,
        top=top,
        min_size=min_size,
        max_size=max_size,
        time_limit=time_limit,
        work_limit=work_limit,
    )
    return opts.propose(issue, timing=timing)


@_python_terms
def score(
    world: Dataset,
    issue: str,
    members: Actors,
    *,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
    work_limit: int | None = None,
) -> ScoreResult:
    """Assess a grouping (["USA", "CHN", "GBR"]) with the same rules, plus advice (as `coalesce score`)."""
    codes = _actors(members, "members")
    opts = _options(world, scenarios, sets, exclude=exclude, weights=weights, work_limit=work_limit)
    return opts.score(issue, ",".join(codes))


@_python_terms
def compare(
    world: Dataset,
    issue: str,
    scenarios: ScenarioList,
    *,
    top: int = 5,
    max_size: int | None = None,
    include: Actors | None = None,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    sets: Sets | None = None,
    work_limit: int | None = None,
) -> CompareResult:
    """The baseline (the world, with `sets`) against each scenario file or shipped name in turn."""
    opts = _options(
        world,
        None,
        sets,
        include=include,
        exclude=exclude,
        weights=weights,
        top=top,
        max_size=max_size,
        work_limit=work_limit,
    )
    return opts.compare(issue, _scenario_paths(scenarios))


@_python_terms
def robustness(
    world: Dataset,
    issue: str,
    *,
    draws: int = 1000,
    seed: int = 0,
    concentration: float | None = None,
    workers: int | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    include: Actors | None = None,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
    work_limit: int | None = None,
) -> RobustnessResult:
    """Perturbed draws of weights and figures: who wins how often, who is in the core, who convenes."""
    from coalesce.analysis.robustness import DEFAULT_CONCENTRATION

    opts = _options(
        world,
        scenarios,
        sets,
        include=include,
        exclude=exclude,
        weights=weights,
        min_size=min_size,
        max_size=max_size,
        work_limit=work_limit,
    )
    return opts.robustness(
        issue,
        draws=draws,
        seed=seed,
        concentration=DEFAULT_CONCENTRATION if concentration is None else concentration,
        workers=workers,
    )


@_python_terms
def sweep(
    world: Dataset,
    issue: str,
    vary: str,
    *,
    steps: int = 20,
    max_size: int | None = None,
    include: Actors | None = None,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
    work_limit: int | None = None,
) -> SweepResult:
    """Winners along PATH=FROM..TO (e.g. "weights.veto=0..3") and the tipping points."""
    opts = _options(
        world,
        scenarios,
        sets,
        include=include,
        exclude=exclude,
        weights=weights,
        max_size=max_size,
        work_limit=work_limit,
    )
    return opts.sweep(issue, vary, steps=steps)


@_python_terms
def frontier(
    world: Dataset,
    issue: str,
    *,
    max_size: int | None = None,
    include: Actors | None = None,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
    time_limit: float | None = None,
    work_limit: int | None = None,
) -> FrontierResult:
    """Naím's curve: the best architecture of each size, and where adding members stops paying."""
    opts = _options(
        world,
        scenarios,
        sets,
        include=include,
        exclude=exclude,
        weights=weights,
        max_size=max_size,
        time_limit=time_limit,
        work_limit=work_limit,
    )
    return opts.frontier(issue)


@_python_terms
def power(
    world: Dataset,
    issue: str,
    members: Actors,
    *,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
) -> PowerResult:
    """Voting power of each member under the issue's decision rule."""
    from coalesce.analysis.voting import power as run

    codes = _actors(members, "members")
    opts = _options(world, scenarios, sets)
    return run(opts.dataset, issue, [",".join(codes)])


@_python_terms
def backtest(
    world: Dataset,
    *,
    case: str | None = None,
    scenarios: ScenarioList | None = None,
    sets: Sets | None = None,
) -> BacktestResult:
    """The historical cases against the recommendations (a scenario may change data only: `set:`)."""
    from coalesce.analysis.backtest import backtest as run

    opts = _options(world, scenarios, sets)
    if opts.include or opts.exclude or opts.weights:
        from coalesce.errors import UsageError

        raise UsageError(
            "backtest: a scenario's include, exclude and weights do not apply (each case fixes its own)"
        )
    return run(opts.dataset, None, case)
