"""veto: the risk that the group is blocked, from preference divergence under the decision rule.

Model (Tsebelis's veto players: more players and wider ideological distance shrink the set of feasible
agreements). The group's position x is the mean of its members' UNGA ideal points. Each member accepts
with probability (1 - e) * exp(-(a_i - x)^2 / (2 s^2)): a quadratic-loss acceptance curve of width
s = `acceptance_sigma`, with a small baseline defection e = `baseline_defection`. The score is the exact
probability that the group acts under the issue's decision rule (see rules.py): under consensus the
product of acceptances, otherwise an exact convolution over who accepts. A bloc is one voice.

Passing example: a like-minded core of close allies under consensus.
Failing example: the US and China in one consensus core without a track.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from coalesce.architecture import acceptance
from coalesce.criteria.base import Criterion, NoParameters, Scored
from coalesce.models.rules import Consensus, DoubleMajority, WeightedVote
from coalesce.rules import describe, probability_of_action, veto_player_bound

if TYPE_CHECKING:
    from coalesce.architecture import Architecture
    from coalesce.coalition import Node
    from coalesce.compiled import Context


def member_acceptances(ctx: Context, members: tuple[int, ...]) -> tuple[float, list[float]]:
    """The group position and each member's acceptance probability."""
    if not members:
        return 0.0, []
    position = sum(ctx.alignment[m] for m in members) / len(members)
    return position, [acceptance(ctx, position, ctx.alignment[m]) for m in members]


def _rule_weights(ctx: Context, members: tuple[int, ...]) -> list[float]:
    rule = ctx.issue.decision_rule
    return [rule.weight_of(ctx.actors[m]) for m in members]


def _veto_holders(ctx: Context, members: tuple[int, ...]) -> list[bool]:
    rule = ctx.issue.decision_rule
    return [rule.holds_veto(ctx.memberships[m]) for m in members]


def _score(ctx: Context, arch: Architecture, explain: bool) -> Scored:
    members = arch.members
    rule = ctx.issue.decision_rule
    position, probs = member_acceptances(ctx, members)
    holders = _veto_holders(ctx, members)
    value = probability_of_action(
        rule, probs, [ctx.population[m] for m in members], _rule_weights(ctx, members), holders
    )
    if not explain:
        return Scored(value)
    if members:
        weakest = min(range(len(members)), key=lambda i: (probs[i], ctx.codes[members[i]]))
        w = members[weakest]
        risk = (
            f"; likeliest to block: {ctx.codes[w]} (accepts with p={probs[weakest]:.2f}, "
            f"{abs(ctx.alignment[w] - position):.2f} from the group position {position:+.2f})"
        )
    else:
        risk = ""
    text = f"Under {describe(rule)}, the group acts with probability {value:.2f}{risk}."
    source = ctx.world.defaults.alignment.source if ctx.world.defaults.alignment else None
    return Scored(value, text, (source,) if source else (), {"position": round(position, 6)})


def _base_by_size(ctx: Context, node: Node, sizes: range, span: float) -> list[float]:
    """`base` for each size in `sizes`, computing the node's constants once.

    For the node itself (one size, its own) under a rule other than consensus: the exact probability
    for count-based rules (a small convolution), the veto players' joint acceptance for a weighted vote
    (an upper bound that skips the DP), 1 for a double majority.
    """
    rule = ctx.issue.decision_rule
    if not isinstance(rule, Consensus):
        if len(sizes) == 1 and sizes[0] == node.size and node.size > 0:
            return [_own_value(ctx, tuple(sorted(node.members)))]
        return [1.0] * len(sizes)
    sigma = ctx.params.acceptance_sigma
    squares = max(node.total_squares, span * span / 2.0)
    factor = math.exp(-squares / (2 * sigma * sigma))
    keep = 1.0 - ctx.params.baseline_defection
    return [factor * keep**size for size in sizes]


def _own_value(ctx: Context, members: tuple[int, ...]) -> float:
    rule = ctx.issue.decision_rule
    if isinstance(rule, DoubleMajority):
        return 1.0
    _, probs = member_acceptances(ctx, members)
    if isinstance(rule, WeightedVote):
        return veto_player_bound(probs, _rule_weights(ctx, members), rule.quota)
    holders = _veto_holders(ctx, members)
    return probability_of_action(rule, probs, [ctx.population[m] for m in members], [], holders)


class Veto(Criterion[NoParameters]):
    """The probability that the group acts under its decision rule."""

    NAME = "veto"
    SUMMARY = "exact probability that the group acts under its decision rule"
    SIZE_DEPENDENT = True

    def score(self, ctx: Context, arch: Architecture, explain: bool) -> Scored:
        """Exact probability that no blocking coalition forms under the decision rule."""
        return _score(ctx, arch, explain)

    def gain(self, ctx: Context, actor: int) -> float:
        """Adding a member never lowers the bound used below, so no gain is needed."""
        return 0.0

    def base_by_size(self, ctx: Context, node: Node, sizes: range, span: float) -> list[float]:
        """`base` for each size in `sizes`, computing the node's constants once (see _base_by_size)."""
        return _base_by_size(ctx, node, sizes, span)

    def base(self, ctx: Context, node: Node, size: int, remaining: object = None, span: float = 0.0) -> float:
        """Under consensus the best case for any superset: (1-e)^size * exp(-TSS / (2 s^2)).

        Adding members can only raise the total squared distance from the mean (TSS), and each member
        multiplies in at most (1 - e). If the final ideal points span at least `span`, the two extremes
        alone give TSS >= span^2 / 2. Under other rules an added ally can raise the chance of acting, so
        the bound is 1 (for the node itself, see _base_by_size).
        """
        return _base_by_size(ctx, node, range(size, size + 1), span)[0]


CRITERION = Veto()
