"""The world: actors with their sourced figures, the sources, domains, tags and groupings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from coalesce.models.base import ActorCode, Finite, Frozen, GroupingId, Identifier, NonNegative, Unit

MAX_POPULATION_M = 20_000.0
"""Millions: more than twice the world's population. Figures above it are typing errors, and sums of
values near 1e308 overflow under a double majority."""
MAX_GDP_USD_BN = 1_000_000.0
"""US$ billions: about ten times world GDP; above it a weighted vote by GDP loses all precision."""


MAX_TOLERANCE = 0.1
"""A domain's tolerance covers rounding and estimated shares, not a second world: at 1.5 the shares
could add up to 2.5."""


class Source(Frozen):
    """A publication every figure can cite."""

    id: Identifier
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    year: int = Field(ge=1800, le=2100)
    url: str = Field(pattern=r"^(https?://|doi:|hdl:)\S+$")
    secondary: bool = False
    """True when the figures came from coverage of the publication rather than the publication."""
    quality: Literal["primary", "secondary", "estimate"] | None = None
    """primary: the publisher's own data or page; secondary: a copy or coverage of it; estimate: an
    analyst's or the project's estimate. Unset: taken from `secondary` (see `quality_flag`)."""
    note: str | None = None

    @property
    def quality_flag(self) -> str:
        """The stated quality, else secondary or primary from the `secondary` flag."""
        return self.quality or ("secondary" if self.secondary else "primary")


class Estimated(Frozen):
    """Fields shared by every sourced figure."""

    source: Identifier
    estimate: bool = False
    """True when the figure is derived rather than read off the source; `basis` then says how."""
    basis: str | None = None
    secondary: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _estimate_needs_basis(self) -> Estimated:
        if self.estimate and not self.basis:
            raise ValueError("an estimate needs a 'basis' saying how it was derived")
        return self


class CapabilityFigure(Estimated):
    """An actor's share of the world total of one capability domain."""

    share: Unit
    uncertainty: Unit = 0.0
    """Half-width of a ~90% interval around `share`, in share units (a share lies in [0, 1])."""


class ExpertiseFigure(Estimated):
    """An actor's niche-expertise score for one tag, normalised to [0, 1]."""

    score: Unit


class Alignment(Estimated):
    """UN General Assembly ideal point (Bailey, Strezhnev & Voeten), higher = closer to the US."""

    ideal_point: Finite = Field(ge=-6.0, le=6.0)
    uncertainty: NonNegative = Field(default=0.0, le=12.0)
    """Half-width of the 90% interval."""


class Domain(Frozen):
    """A capability domain: what a share measures, and where it comes from."""

    id: Identifier
    name: str
    measure: str
    unit: str
    year: int = Field(ge=1900, le=2100)
    source: Identifier
    tolerance: NonNegative = Field(default=0.01, le=MAX_TOLERANCE)
    """The domain's shares may add up to at most 1 + tolerance."""
    gaps: str | None = None


class Tag(Frozen):
    """A niche-expertise tag: what the score measures and how it was normalised."""

    id: Identifier
    name: str
    measure: str
    year: int = Field(ge=1900, le=2100)
    source: Identifier
    gaps: str | None = None


class Grouping(Frozen):
    """A membership an actor may list (G7, NATO, ...)."""

    id: GroupingId
    name: str
    source: Identifier
    note: str | None = None


class FigureDefault(Frozen):
    """Where a plain actor field (population, GDP) comes from unless the actor says otherwise."""

    source: Identifier
    year: int = Field(ge=1900, le=2100)


class AlignmentDefault(Frozen):
    """Where alignment figures come from."""

    source: Identifier
    sessions: list[int] = Field(default_factory=list)


class Defaults(Frozen):
    """Sources and years of the plain actor fields."""

    population: FigureDefault
    gdp: FigureDefault
    alignment: AlignmentDefault | None = None


class SmallStates(Frozen):
    """Who counts as a small state (the convener pool): by default the Forum of Small States' definition,
    a state of under 10 million people; `exclude_memberships` can further exclude members of groupings."""

    exclude_memberships: list[GroupingId] = Field(default_factory=list)
    max_population_m: NonNegative | None = 10.0
    """A small state has a population under this many million (None: no population cap)."""


class Actor(Frozen):
    """A state, or a bloc such as the EU (one voice for veto; its members' capability combined)."""

    code: ActorCode
    name: str = Field(min_length=1, max_length=120)
    iso2: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    """ISO 3166-1 alpha-2 code, so `NO` finds Norway; the only codes resolved besides `code`."""
    kind: Literal["state", "bloc"] = "state"
    un_member: bool = True
    population_m: Annotated[NonNegative, Field(le=MAX_POPULATION_M)] | None = None
    """Millions; null where the source has no figure (the gap is noted, never filled)."""
    gdp_usd_bn: Annotated[NonNegative, Field(le=MAX_GDP_USD_BN)] | None = None
    """Current US$ billions; null where the source has no figure."""
    figure_sources: dict[Literal["population_m", "gdp_usd_bn"], Identifier] = Field(default_factory=dict)
    figure_years: dict[Literal["population_m", "gdp_usd_bn"], int] = Field(default_factory=dict)
    memberships: list[GroupingId] = Field(default_factory=list)
    aliases: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(default_factory=list)
    """Other names a user may type ("UK", "Ivory Coast"); matched exactly, ignoring case and accents."""
    alignment: Alignment | None = None
    capabilities: dict[Identifier, CapabilityFigure] = Field(default_factory=dict)
    expertise: dict[Identifier, ExpertiseFigure] = Field(default_factory=dict)
    members: list[ActorCode] = Field(default_factory=list)
    """For a bloc: its member states."""
    note: str | None = None

    @model_validator(mode="after")
    def _bloc_members(self) -> Actor:
        if self.kind == "bloc" and not self.members:
            raise ValueError("a bloc needs 'members'")
        if self.kind == "state" and self.members:
            raise ValueError("only a bloc has 'members'")
        if self.kind == "bloc" and self.iso2 is not None:
            raise ValueError("a bloc has no ISO 3166-1 alpha-2 code ('iso2'); its 'code' is how it is named")
        return self


class World(Frozen):
    """Every actor with its figures; every figure names its source."""

    schema_version: Literal[1] = 1
    defaults: Defaults
    small_states: SmallStates = Field(default_factory=SmallStates)
    sources: list[Source]
    groupings: list[Grouping] = Field(default_factory=list)
    domains: list[Domain]
    tags: list[Tag] = Field(default_factory=list)
    actors: list[Actor]

    def actor(self, code: str) -> Actor:
        """The actor with this exact code (KeyError if absent)."""
        for actor in self.actors:
            if actor.code == code:
                return actor
        raise KeyError(code)
