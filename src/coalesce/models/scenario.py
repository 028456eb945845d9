"""Scenario files: named overrides of the world, the issue and the weights, applied in order."""

from __future__ import annotations

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
