"""coalesce: design minilateral coalitions from sourced capability data.

The Python API gives the same results as the command line; every result is a pydantic model whose
JSON is the CLI's JSON::

    import coalesce
    world = coalesce.load_world()                 # the shipped data, or load_world("path/to/data")
    result = coalesce.propose(world, "ai-governance", max_size=6, weights={"veto": 2})
    print(result.recommendations[0].members)
    assessment = coalesce.score(world, "ai-governance", ["USA", "CHN", "GBR"])
    what_if = coalesce.apply_scenarios(world, ["examples/scenarios/china-walks-out.yaml"])
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from coalesce.loading.files import Dataset
    from coalesce.models.results import ProposeResult, ScoreResult

__all__ = ["__version__", "apply_scenarios", "load_world", "propose", "score"]


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
