"""Issue-specific alignment data: UN vote agreement per pair, the convener record, shared IGOs, and
what a bloc does for its members in each forum and issue.

The pair matrices are plain frozen classes rather than pydantic models: about 19,000 cells each,
read from compact CSV files by `coalesce.loading.alignment`, which validates them line by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from coalesce.models.base import ActorCode, Frozen, GroupingId, Identifier

VoteCategoryId = Literal["me", "nu", "di", "hr", "co", "ec", "all"]
"""Voeten's issue codes, plus `all` for every roll call in the window."""

CsvFile = str
"""A file name beside the manifest (validated by pattern on each field)."""


@dataclass(frozen=True)
class PairMatrix:
    """A symmetric figure per pair of actors, missing where the source gives none."""

    name: str
    """What the figure is, e.g. `votes-nu` or `igo-shared`."""
    codes: tuple[str, ...]
    """Actor codes in file order (sorted)."""
    totals: dict[str, float | None]
    """Per actor: its own count (roll calls voted, IGOs joined); None where the source has none."""
    lower: tuple[tuple[float | None, ...], ...]
    """Row i holds the figures of codes[i] with codes[0..i-1]."""
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {code: i for i, code in enumerate(self.codes)})

    def value(self, a: str, b: str) -> float | None:
        """The figure for the pair (a, b), or None when it is missing, a == b or either code is unknown."""
        i, j = self.index.get(a), self.index.get(b)
        if i is None or j is None or i == j:
            return None
        return self.lower[i][j] if i > j else self.lower[j][i]

    def total(self, code: str) -> float | None:
        """The actor's own count, or None."""
        return self.totals.get(code)


class VoteCategory(Frozen):
    """One vote category's file."""

    file: CsvFile = Field(pattern=r"^votes-[a-z]+\.csv$")
    name: str = Field(min_length=1)
    roll_calls: int = Field(ge=0)
    """Roll calls of the category in the window."""


class VoteSpec(Frozen):
    """How the vote-agreement matrices were derived."""

    source: Identifier
    script: str
    sessions: list[int] = Field(min_length=2, max_length=2)
    """First and last UNGA session of the window."""
    period: str
    min_shared: int = Field(ge=1)
    """A pair sharing fewer roll calls has no figure."""
    rule: str
    categories: dict[VoteCategoryId, VoteCategory]

    @model_validator(mode="after")
    def _window(self) -> VoteSpec:
        if self.sessions[0] > self.sessions[1]:
            raise ValueError("sessions: the first session comes after the last")
        return self


class ConvenerSpec(Frozen):
    """How the convener record was derived."""

    file: CsvFile = Field(pattern=r"^[a-z0-9-]+\.csv$")
    script: str
    lowy_source: Identifier
    lowy_year: int = Field(ge=2000, le=2100)
    pax_source: Identifier
    pax_period: str
    rule: str


class IgoSpec(Frozen):
    """How the shared-IGO matrix was derived."""

    file: CsvFile = Field(pattern=r"^[a-z0-9-]+\.csv$")
    script: str
    source: Identifier
    year: int = Field(ge=1816, le=2100)
    rule: str


class IssueLink(Frozen):
    """The vote categories and regimes that bear on one shipped issue (a data suggestion for the model)."""

    categories: list[VoteCategoryId] = Field(min_length=1)
    regimes: list[GroupingId] = Field(default_factory=list)
    basis: str = Field(min_length=1)


class AlignmentManifest(Frozen):
    """data/alignment/alignment.yaml: what each file holds and where it comes from."""

    schema_version: Literal[1] = 1
    votes: VoteSpec
    conveners: ConvenerSpec
    igo: IgoSpec
    issues: dict[Identifier, IssueLink] = Field(default_factory=dict)
    """Per shipped issue id: which vote categories and regimes its alignment should read."""
    decisions: dict[Identifier, IssueLink] = Field(default_factory=dict)
    """Per signature decision id (data/signatures.yaml): the same, for the acceptance calibration."""


class ConvenerRecord(Frozen):
    """One actor's diplomatic reach and peace-process record (None = not covered by the source)."""

    code: ActorCode
    lowy_posts: int | None = Field(default=None, ge=0)
    """Diplomatic posts abroad (Lowy Global Diplomacy Index); None outside the index's 66 networks."""
    lowy_embassies: int | None = Field(default=None, ge=0)
    pax_agreements: int = Field(ge=0)
    """PA-X agreements naming the actor as a third party, its own conflicts left out."""
    pax_processes: int = Field(ge=0)
    pax_agreements_2010: int = Field(ge=0)
    pax_hosted: int = Field(ge=0)
    """PA-X agreements whose title names a city in the actor."""


Seat = Literal["member", "participant", "observer", "none"]


class ForumRole(Frozen):
    """A bloc's place in one forum."""

    forum: GroupingId
    """A grouping id where the forum is one (G20, FATF, ...), or a forum id such as WTO, IMF, IMO."""
    name: str = Field(min_length=1)
    seat: Seat
    bloc_acts: bool
    """The bloc itself negotiates or decides for its members there."""
    members_act: bool
    """Its member states also act there on their own."""
    basis: str = Field(min_length=1)
    source: Identifier

    @model_validator(mode="after")
    def _acts_needs_seat(self) -> ForumRole:
        if self.bloc_acts and self.seat not in ("member", "participant"):
            raise ValueError(f"bloc_acts needs a seat of member or participant, not {self.seat!r}")
        return self


class IssueRole(Frozen):
    """A bloc's competence and role on one shipped issue."""

    issue: Identifier
    competence: Literal["exclusive", "shared", "supporting", "none"]
    bloc_acts: bool
    members_act: bool
    basis: str = Field(min_length=1)
    source: Identifier

    @model_validator(mode="after")
    def _someone_acts(self) -> IssueRole:
        if not (self.bloc_acts or self.members_act):
            raise ValueError("either the bloc or its members must act (bloc_acts or members_act)")
        if self.competence == "none" and self.bloc_acts:
            raise ValueError("a bloc without competence cannot act for its members (bloc_acts: true)")
        return self


class BlocCompetence(Frozen):
    """Where one bloc acts for its members."""

    bloc: ActorCode
    forums: list[ForumRole] = Field(default_factory=list)
    issues: list[IssueRole] = Field(default_factory=list)

    def forum(self, forum_id: str) -> ForumRole | None:
        """The bloc's role in this forum, or None when the table has no row for it."""
        return next((f for f in self.forums if f.forum == forum_id), None)

    def issue(self, issue_id: str) -> IssueRole | None:
        """The bloc's role on this issue, or None when the table has no row for it."""
        return next((i for i in self.issues if i.issue == issue_id), None)


class BlocFile(Frozen):
    """data/blocs.yaml."""

    schema_version: Literal[1] = 1
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    blocs: list[BlocCompetence]

    def bloc(self, code: str) -> BlocCompetence | None:
        """The table for this bloc, or None."""
        return next((b for b in self.blocs if b.bloc == code), None)
