"""Scenario files: named overrides of the world, the issue and the weights, applied in order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field

from coalesce.models.base import Frozen


class Scenario(Frozen):
    """A what-if: who is in or out, how the criteria are weighed, and which figures change."""

    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    weights: dict[str, Annotated[float, Field(ge=0.0, le=1e6, allow_inf_nan=False)]] = Field(
        default_factory=dict
    )
    set: dict[str, Any] = Field(default_factory=dict)
    """Dotted paths to new values: actors.NLD.capabilities.chip-equipment.share: 0.3"""


@dataclass(frozen=True)
class Trail:
    """What the scenarios applied to a world ask of every search on it, besides the changed data.

    Kept on the `Dataset` itself (`Dataset.trail`), so a world from `coalesce.apply_scenarios` carries
    its scenarios' include, exclude and weights into every later call, as the CLI applies them.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weights: Mapping[str, float] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    sets: Mapping[str, Any] = field(default_factory=dict)
