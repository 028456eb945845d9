"""coalesce: design minilateral coalitions from sourced capability data.

The Python API gives the same results as the command line; every result is a pydantic model whose
JSON is the CLI's JSON::

    import coalesce
    world = coalesce.load_world()                 # the shipped data, or load_world("path/to/data")
    result = coalesce.propose(world, "ai-governance", max_size=6, weights={"veto": 2})
    print(result.recommendations[0].members)
    assessment = coalesce.score(world, "ai-governance", ["USA", "CHN", "GBR"])
    what_if = coalesce.apply_scenarios(world, ["china-walks-out"])   # a shipped name, or a path
    same = coalesce.propose(what_if, "ai-governance")  # == propose(world, ..., scenarios=[...]) == the CLI
    diff = coalesce.compare(world, "ai-governance", ["china-walks-out"])
    spread = coalesce.robustness(world, "semiconductor-export-controls", draws=200, seed=1)
    tips = coalesce.sweep(world, "ai-governance", "weights.veto=0..3")
    curve = coalesce.frontier(world, "semiconductor-export-controls")
    votes = coalesce.power(world, "imf-quota-reform", ["USA", "CHN", "JPN"])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

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
    from coalesce.scenarios import Applied

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


Actors: TypeAlias = str | Iterable[str]
"""Actors as a comma-separated string ("USA,CHN") or an iterable of codes or names (["USA", "CHN"])."""
ScenarioList: TypeAlias = Iterable[str | Path]
"""Scenario files or shipped scenario names (see `scenario_names()`), applied in order."""


def load_world(data: str | Path | None = None) -> Dataset:
    """Load a data directory (states.yaml, issues.yaml); the shipped data by default."""
    from coalesce.loading.files import load_dataset

    return load_dataset(Path(data) if data is not None else None)


def scenario_names() -> list[str]:
    """The example scenarios shipped with the package, by the name `scenarios=[...]` accepts."""
    from coalesce.shipped import shipped_scenarios

    return list(shipped_scenarios())


@dataclass(frozen=True)
class _Scenarios:
    """What scenarios contributed besides changed data: include, exclude, weights, names, sets."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    sets: dict[str, Any] = field(default_factory=dict)


_APPLIED: dict[int, tuple[Dataset, _Scenarios]] = {}
"""Worlds returned by `apply_scenarios`, by id, with what their scenarios ask of every search.

A world is a frozen dataclass shared with the engine, so the scenario's include/exclude/weights are
kept beside it here (the world itself is held, so its id is not reused while the entry lives)."""


def _actors(value: Actors | None, parameter: str) -> list[str]:
    """Accept "A,B" or an iterable of strings; anything else is a TypeError naming the parameter."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(
            f"{parameter} must be a comma-separated string or a list of actor codes or names, "
            f"not {type(value).__name__}"
        )
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(
                f"{parameter} must hold strings (actor codes or names), not {type(item).__name__}"
            )
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


def _sets(sets: Iterable[str] | Mapping[str, Any] | None) -> list[str]:
    if sets is None:
        return []
    if isinstance(sets, str):
        return [sets]
    if isinstance(sets, Mapping):
        import json

        return [f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in sets.items()]
    return list(sets)


def _prepare(
    world: Dataset, scenarios: ScenarioList | None, sets: Iterable[str] | Mapping[str, Any] | None
) -> Applied:
    """The world with its earlier scenarios (from `apply_scenarios`) and these, as the CLI applies them."""
    from coalesce.scenarios import Applied, apply_all

    if not hasattr(world, "world") or not hasattr(world, "issues"):
        raise TypeError(f"world must be a world from coalesce.load_world(), not {type(world).__name__}")
    entry = _APPLIED.get(id(world))
    earlier = entry[1] if entry is not None and entry[0] is world else _Scenarios()
    paths, flags = _scenario_paths(scenarios), _sets(sets)
    fresh = apply_all(world, paths, flags) if paths or flags else Applied(world)
    return Applied(
        fresh.dataset,
        include=(*earlier.include, *fresh.include),
        exclude=(*earlier.exclude, *fresh.exclude),
        weights={**earlier.weights, **fresh.weights},
        names=(*earlier.names, *fresh.names),
        sets={**earlier.sets, **fresh.sets},
    )


def _request(
    applied: Applied, include: Actors | None, exclude: Actors | None, weights: Mapping[str, float] | None
) -> dict[str, Any]:
    """Scenario include/exclude/weights first, then the call's own (as the CLI merges its flags)."""
    if weights is not None and not isinstance(weights, Mapping):
        raise TypeError(f"weights must be a mapping of criterion to number, not {type(weights).__name__}")
    return {
        "include": [*applied.include, *_actors(include, "include")],
        "exclude": [*applied.exclude, *_actors(exclude, "exclude")],
        "weights": {**applied.weights, **dict(weights or {})},
    }


def apply_scenarios(
    world: Dataset, scenarios: ScenarioList, sets: Iterable[str] | Mapping[str, Any] | None = None
) -> Dataset:
    """A new world with scenario files or shipped names (and PATH=VALUE overrides) applied in order.

    The returned world remembers the scenarios' include, exclude and weights: every function here given
    it applies them, so `propose(apply_scenarios(world, ["china-walks-out"]), issue)` gives the same
    result as `propose(world, issue, scenarios=["china-walks-out"])` and as the command line.
    """
    applied = _prepare(world, scenarios, sets)
    result = applied.dataset
    if result is world:  # nothing changed the data: a copy, so the remembered scenarios stay its own
        result = type(world)(**{f.name: getattr(world, f.name) for f in fields(world)})
    _APPLIED[id(result)] = (
        result,
        _Scenarios(
            applied.include, applied.exclude, dict(applied.weights), applied.names, dict(applied.sets)
        ),
    )
    return result


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
    sets: Iterable[str] | Mapping[str, Any] | None = None,
    time_limit: float | None = None,
    timing: bool = False,
) -> ProposeResult:
    """Ranked architectures for an issue: the exact top `top`, with reasons (as `coalesce propose`).

    `scenarios` are applied (not only named in the result), then `sets` (PATH=VALUE strings or a
    mapping), then `include`, `exclude` and `weights` on top of the scenarios' own.
    """
    from coalesce import engine

    applied = _prepare(world, scenarios, sets)
    return engine.propose(
        applied.dataset,
        issue,
        top=top,
        min_size=min_size,
        max_size=max_size,
        **_request(applied, include, exclude, weights),
        time_limit=time_limit if time_limit is not None else engine.DEFAULT_TIME_LIMIT,
        timing=timing,
        scenarios=applied.names,
        sets=applied.sets,
    )


def score(
    world: Dataset,
    issue: str,
    members: Actors,
    *,
    weights: Mapping[str, float] | None = None,
    scenarios: ScenarioList | None = None,
    sets: Iterable[str] | Mapping[str, Any] | None = None,
) -> ScoreResult:
    """Assess a grouping ("USA,CHN,GBR" or ["USA", "CHN", "GBR"]) with the same rules, plus advice."""
    from coalesce import engine

    applied = _prepare(world, scenarios, sets)
    request = _request(applied, None, None, weights)
    return engine.score(
        applied.dataset,
        issue,
        [",".join(_actors(members, "members"))],
        weights=request["weights"],
        exclude=applied.exclude,
        scenarios=applied.names,
        sets=applied.sets,
    )


def compare(
    world: Dataset,
    issue: str,
    scenarios: ScenarioList,
    *,
    top: int = 5,
    weights: Mapping[str, float] | None = None,
    max_size: int | None = None,
    sets: Iterable[str] | Mapping[str, Any] | None = None,
) -> CompareResult:
    """The baseline (the world, with `sets`) against each scenario file or shipped name in turn."""
    from coalesce.analysis.compare import compare as run

    base = _prepare(world, None, sets)
    return run(
        base, issue, _scenario_paths(scenarios), top=top, weights=dict(weights or {}), max_size=max_size
    )


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
    sets: Iterable[str] | Mapping[str, Any] | None = None,
) -> RobustnessResult:
    """Perturbed draws of weights and figures: who wins how often, who is in the core, who convenes."""
    from coalesce.analysis.robustness import DEFAULT_CONCENTRATION
    from coalesce.analysis.robustness import robustness as run

    applied = _prepare(world, scenarios, sets)
    return run(
        applied.dataset,
        issue,
        draws=draws,
        seed=seed,
        concentration=DEFAULT_CONCENTRATION if concentration is None else concentration,
        workers=workers,
        min_size=min_size,
        max_size=max_size,
        **_request(applied, include, exclude, weights),
        scenarios=applied.names,
        sets=applied.sets,
    )


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
    sets: Iterable[str] | Mapping[str, Any] | None = None,
) -> SweepResult:
    """Winners along PATH=FROM..TO (e.g. "weights.veto=0..3") and the tipping points."""
    from coalesce.analysis.sweep import sweep as run

    applied = _prepare(world, scenarios, sets)
    return run(
        applied.dataset,
        issue,
        vary,
        steps=steps,
        **_request(applied, include, exclude, weights),
        max_size=max_size,
    )


def frontier(
    world: Dataset,
    issue: str,
    *,
    max_size: int | None = None,
    include: Actors | None = None,
    exclude: Actors | None = None,
    weights: Mapping[str, float] | None = None,
    scenarios: ScenarioList | None = None,
    sets: Iterable[str] | Mapping[str, Any] | None = None,
    time_limit: float | None = None,
) -> FrontierResult:
    """Naím's curve: the best architecture of each size, and where adding members stops paying."""
    from coalesce.analysis.frontier import frontier as run

    applied = _prepare(world, scenarios, sets)
    return run(
        applied.dataset,
        issue,
        max_size=max_size,
        **_request(applied, include, exclude, weights),
        time_limit=time_limit,
        scenarios=applied.names,
        sets=applied.sets,
    )


def power(
    world: Dataset,
    issue: str,
    members: Actors,
    *,
    scenarios: ScenarioList | None = None,
    sets: Iterable[str] | Mapping[str, Any] | None = None,
) -> PowerResult:
    """Voting power of each member under the issue's decision rule."""
    from coalesce.analysis.voting import power as run

    applied = _prepare(world, scenarios, sets)
    return run(applied.dataset, issue, [",".join(_actors(members, "members"))])


def backtest(world: Dataset, case: str | None = None) -> BacktestResult:
    """The historical cases against the recommendations."""
    from coalesce.analysis.backtest import backtest as run

    return run(world, None, case)
