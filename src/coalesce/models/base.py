"""The shared base of every data model: frozen, strict about unknown fields and types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Frozen(BaseModel):
    """Immutable, refuses unknown fields (a misspelled key fails loudly) and silent type coercion."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)


Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=80)]
"""Lowercase ids for sources, domains, tags and issues."""

GroupingId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$", max_length=40)]
"""Membership ids such as G7, UNSC-P5, Five-Eyes."""

ActorCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]
"""An ISO 3166-1 alpha-3 code for a state, or a short uppercase code for a bloc (EU)."""

Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
"""A number in [0, 1]."""

NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
