"""The registry of criteria, and everything derived from it.

`REGISTRY` is the one list of criteria, in the canonical order of SPEC (a new one goes at the end). From
it come the `Weights` model (one field per criterion, its default weight), the `ModelParameters` model
(the shared parameters plus every criterion's own), `NAMES`, the `--weight` help and, through those
models, the JSON Schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, create_model, model_validator

from coalesce.criteria.base import Criterion
from coalesce.criteria.capability import CRITERION as CAPABILITY
from coalesce.criteria.expertise import CRITERION as EXPERTISE
from coalesce.criteria.legitimacy import CRITERION as LEGITIMACY
from coalesce.criteria.parsimony import CRITERION as PARSIMONY
from coalesce.criteria.rivals import CRITERION as RIVALS
from coalesce.criteria.timeliness import CRITERION as TIMELINESS
from coalesce.criteria.veto import CRITERION as VETO
from coalesce.models.base import Frozen
from coalesce.shapes import SharedParameters

REGISTRY: tuple[Criterion[Any], ...] = (
    CAPABILITY,
    PARSIMONY,
    EXPERTISE,
    VETO,
    TIMELINESS,
    RIVALS,
    LEGITIMACY,
)
"""Every criterion, in the canonical order: the order of the JSON output, the tables and the sums."""

NAMES: tuple[str, ...] = tuple(c.NAME for c in REGISTRY)
"""The criterion names: keys of `--weight`, of issues.yaml `weights:` and of the JSON output."""

BY_NAME: dict[str, Criterion[Any]] = {c.NAME: c for c in REGISTRY}

MAX_WEIGHT = 1e6
"""Weights are relative; a bound keeps their total finite."""
Weight = Annotated[float, Field(ge=0.0, le=MAX_WEIGHT, allow_inf_nan=False)]


def weight_help() -> str:
    """The `--weight` help: every criterion with its default weight."""
    listed = ", ".join(f"{c.NAME} (default {c.DEFAULT_WEIGHT:g})" for c in REGISTRY)
    return f"Criterion weight, e.g. veto=2; repeatable. Criteria: {listed}."


class WeightsBase(Frozen):
    """Relative importance of the criteria; the total is their weighted mean."""

    @model_validator(mode="after")
    def _not_all_zero(self) -> WeightsBase:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("at least one criterion weight must be positive")
        return self

    def as_dict(self) -> dict[str, float]:
        """The weights keyed by criterion name, in the canonical order."""
        return {name: float(getattr(self, name)) for name in NAMES}


def _check_parameter_names() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    owners = dict.fromkeys(SharedParameters.model_fields, "shared")
    for criterion in REGISTRY:
        for name, info in criterion.PARAMS.model_fields.items():
            if name in owners:
                raise TypeError(f"parameter {name!r} of {criterion.NAME} is already {owners[name]}'s")
            owners[name] = criterion.NAME
            fields[name] = (info.annotation, info)
    return fields


if TYPE_CHECKING:
    Weights = WeightsBase
    ModelParameters = SharedParameters
else:
    Weights = create_model(
        "Weights",
        __base__=WeightsBase,
        __doc__=WeightsBase.__doc__,
        __module__=__name__,
        **{c.NAME: (Weight, c.DEFAULT_WEIGHT) for c in REGISTRY},
    )
    ModelParameters = create_model(
        "ModelParameters",
        __base__=SharedParameters,
        __doc__="Parameters of the criteria; docs/model.md gives each one's meaning and basis.",
        __module__=__name__,
        **_check_parameter_names(),
    )


def criterion_parameters(params: SharedParameters) -> dict[str, Frozen]:
    """Each criterion's own parameter model, validated from the flat model parameters."""
    values = params.model_dump()
    return {
        c.NAME: c.PARAMS.model_validate({name: values[name] for name in c.PARAMS.model_fields})
        for c in REGISTRY
    }
