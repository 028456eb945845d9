"""The one door: `compile(dataset, request) -> Problem`, used by the engine and by every analysis.

A Problem is a validated request compiled against the dataset: the flat arrays the criteria and the
search read (`context`), each criterion's own compiled arrays and parameters inside it. Analyses that
vary the request (frontier's sizes, robustness's draws) derive their problems from one through
`Problem.with_constraints`, so nothing rebuilds request -> context -> search its own way.

Every search runs under a budget (`search.top_k`): the caller's time limit, node or work limit, and
always at most `search.DEFAULT_WORK_LIMIT` units of deterministic work when none is given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from coalesce.compiled import Constraints, Context, compile_context
from coalesce.models.rules import WeightedVote

if TYPE_CHECKING:
    from coalesce.loading.files import Dataset
    from coalesce.models.issue import Issue
    from coalesce.request import Request


@dataclass(frozen=True)
class Problem:
    """A request compiled against a dataset: what the search and the criteria run on."""

    dataset: Dataset
    request: Request
    context: Context

    @property
    def issue(self) -> Issue:
        """The issue as requested (after scenarios)."""
        return self.request.issue

    def with_constraints(self, constraints: Constraints) -> Problem:
        """The same issue under other constraints (say, one size of frontier's curve)."""
        request = replace(self.request, constraints=constraints)
        return compile(self.dataset, request)


def compile(dataset: Dataset, request: Request) -> Problem:
    """Compile a validated request against the dataset."""
    context = compile_context(
        dataset.world,
        request.issue,
        dataset.params,
        request.constraints,
        unseated=unseated(dataset, request.issue),
        alignment_data=dataset.alignment(),
    )
    return Problem(dataset, request, context)


def unseated(dataset: Dataset, issue: Issue) -> frozenset[str]:
    """The actors that do not sit at this issue's table, from data/blocs.yaml: a bloc that does not act
    for its members on the issue (the EU at the IMF, the IMO, the nuclear suppliers), and the members
    of a bloc that acts for them when they do not act separately (the EU's 27 on digital trade, an
    exclusive competence). A bloc or issue without a row keeps everyone seated. Inside an institution
    (a weighted vote `of: institution`), an actor that is not a member does not sit either
    (`non_members`). A forced member is seated whatever the table says (compile_context keeps
    `include`)."""
    out: set[str] = set(non_members(dataset, issue))
    table = dataset.blocs()
    if table is None:
        return frozenset(out)
    codes = {a.code for a in dataset.world.actors}
    for actor in dataset.world.actors:
        if actor.kind != "bloc":
            continue
        competence = table.bloc(actor.code)
        role = competence.issue(issue.id) if competence is not None else None
        if role is None:
            continue
        if not role.bloc_acts:
            out.add(actor.code)
        elif not role.members_act:
            out.update(m for m in actor.members if m in codes)
    return frozenset(out)


def non_members(dataset: Dataset, issue: Issue) -> frozenset[str]:
    """Under a weighted vote `of: institution` (the IMF's 85% of total voting power), the actors with no
    figure in the rule's field: the institution weighs every member's vote, so an actor without one is
    not a member (Taiwan and North Korea at the IMF) and cannot sit, vote or convene there. Empty under
    any other rule."""
    rule = issue.decision_rule
    if not isinstance(rule, WeightedVote) or rule.of != "institution":
        return frozenset()
    domain = rule.field.split(".")[1]
    return frozenset(a.code for a in dataset.world.actors if a.capabilities.get(domain) is None)
