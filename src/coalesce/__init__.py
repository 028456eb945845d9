"""coalesce: design minilateral coalitions from sourced capability data.

The Python API gives the same results as the command line; every result is a pydantic model whose
JSON is the CLI's JSON::

    import coalesce
    world = coalesce.load_world()                 # the shipped data, or load_world("path/to/data")
    result = coalesce.propose(world, "ai-governance", max_size=6, weights={"veto": 2})
    print(result.recommendations[0].members)
    assessment = coalesce.score(world, "ai-governance", ["USA", "CHN", "GBR"])
    what_if = coalesce.apply_scenarios(world, ["examples/scenarios/china-walks-out.yaml"])
    diff = coalesce.compare(world, "ai-governance", ["examples/scenarios/china-walks-out.yaml"])
    spread = coalesce.robustness(world, "semiconductor-export-controls", draws=200, seed=1)
    tips = coalesce.sweep(world, "ai-governance", "weights.veto=0..3")
    curve = coalesce.frontier(world, "semiconductor-export-controls")
    votes = coalesce.power(world, "imf-quota-reform", ["USA", "CHN", "JPN"])
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    "score",
    "sweep",
]


def load_world(data: str | Path | None = None) -> Dataset:
    """Load a data directory (states.yaml, issues.yaml); the shipped data by default."""
    from coalesce.loading.files import load_dataset

    return load_dataset(Path(data) if data is not None else None)


def apply_scenarios(world: Dataset, scenarios: list[str | Path], sets: list[str] | None = None) -> Dataset:
    """A new world with scenario files (and PATH=VALUE overrides) applied in order.

    Scenario include/exclude/weights are returned with the world by `coalesce.scenarios.apply_all`;
    this shortcut keeps only the changed data.
    """
    from coalesce.scenarios import apply_all

    return apply_all(world, [Path(s) for s in scenarios], list(sets or [])).dataset


def propose(world: Dataset, issue: str, **options: Any) -> ProposeResult:
    """Ranked architectures for an issue; options as in `coalesce.engine.propose`."""
    from coalesce import engine

    return engine.propose(world, issue, **options)


def score(world: Dataset, issue: str, members: list[str], **options: Any) -> ScoreResult:
    """Assess a grouping; options as in `coalesce.engine.score`."""
    from coalesce import engine

    return engine.score(world, issue, [",".join(members)], **options)


def compare(world: Dataset, issue: str, scenarios: list[str | Path], **options: Any) -> CompareResult:
    """The baseline against each scenario file; options as in `coalesce.analysis.compare.compare`."""
    from coalesce.analysis.compare import compare as run
    from coalesce.scenarios import Applied

    return run(Applied(world), issue, [Path(s) for s in scenarios], **options)


def robustness(world: Dataset, issue: str, **options: Any) -> RobustnessResult:
    """Perturbed draws; options as in `coalesce.analysis.robustness.robustness` (draws, seed, ...)."""
    from coalesce.analysis.robustness import robustness as run

    return run(world, issue, **options)


def sweep(world: Dataset, issue: str, vary: str, **options: Any) -> SweepResult:
    """Winners along PATH=FROM..TO and the tipping points; options as in `coalesce.analysis.sweep.sweep`."""
    from coalesce.analysis.sweep import sweep as run

    return run(world, issue, vary, **options)


def frontier(world: Dataset, issue: str, **options: Any) -> FrontierResult:
    """Naím's curve; options as in `coalesce.analysis.frontier.frontier`."""
    from coalesce.analysis.frontier import frontier as run

    return run(world, issue, **options)


def power(world: Dataset, issue: str, members: list[str]) -> PowerResult:
    """Voting power of each member under the issue's decision rule."""
    from coalesce.analysis.voting import power as run

    return run(world, issue, [",".join(members)])


def backtest(world: Dataset, case: str | None = None) -> BacktestResult:
    """The historical cases against the recommendations."""
    from coalesce.analysis.backtest import backtest as run

    return run(world, None, case)
