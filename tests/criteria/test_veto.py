"""The veto criterion on the shipped data: the lead drafts, the acceptance model decides, the bounds hold.

The bounds are checked against brute force: for every node drawn from a small pool of real actors and
every superset of it within the pool, the exact score never exceeds what `base` promised for that size.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalesce import architecture
from coalesce.acceptance import Coefficients, logistic
from coalesce.coalition import Node
from coalesce.compiled import Context
from coalesce.criteria import veto
from coalesce.loading.files import Dataset, load_dataset
from coalesce.models.rules import Consensus, OptIn, QualifiedMajority, WeightedVote
from coalesce.problem import compile as compile_problem
from coalesce.problem import unseated
from coalesce.request import build_request
from coalesce.rules import institution_total, probability_of_action, veto_player_bound

POOL = ("CAN", "CHN", "DEU", "JPN", "KOR", "NLD", "RUS", "SGP", "TWN", "USA")


@cache
def _dataset() -> Dataset:
    return load_dataset()


def _context(issue_id: str, rule: object = None) -> Context:
    ds = _dataset()
    request = build_request(ds, issue_id, min_size=1, max_size=10)
    if rule is not None:
        issue = request.issue.model_copy(update={"decision_rule": rule})
        request = replace(request, issue=issue)
    return compile_problem(ds, request).context


def _idx(ctx: Context, codes: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(sorted(ctx.index[c] for c in codes))


def _value(ctx: Context, members: tuple[int, ...]) -> float:
    return veto.CRITERION.score(ctx, architecture.build(ctx, members), False).value


def test_the_lead_drafts_and_is_never_the_likeliest_to_block() -> None:
    ctx = _context("semiconductor-export-controls")
    members = _idx(ctx, ("JPN", "NLD", "USA"))
    scored = veto.CRITERION.score(ctx, architecture.build(ctx, members), True)
    assert scored.details["lead"] == "USA"
    acceptance = scored.details["acceptance"]
    assert isinstance(acceptance, dict)
    assert acceptance["USA"] == pytest.approx(1 - ctx.params.baseline_defection)
    assert "likeliest to block: USA" not in scored.rationale
    assert "drafted by USA" in scored.rationale
    # consensus: the product of the members' acceptances
    assert scored.value == pytest.approx(acceptance["USA"] * acceptance["JPN"] * acceptance["NLD"])


def test_the_convener_drafts_when_it_sits_in_the_core_else_the_largest_holder() -> None:
    ctx = _context("semiconductor-export-controls")
    # Japan convenes Japan, the Netherlands and Singapore from inside: it drafts, though the
    # Netherlands holds more of the tool market
    inside = _idx(ctx, ("JPN", "NLD", "SGP"))
    arch = architecture.build(ctx, inside)
    assert ctx.codes[arch.convener] == "JPN"
    assert ctx.codes[veto.largest_holder(ctx, inside)] == "NLD"
    scored = veto.CRITERION.score(ctx, arch, True)
    assert scored.details["lead"] == "JPN" and "drafted by JPN (the convener)" in scored.rationale
    acceptance = scored.details["acceptance"]
    assert isinstance(acceptance, dict)
    assert acceptance["JPN"] == pytest.approx(1 - ctx.params.baseline_defection)
    # with an outside convener (a broker, only when a rivalry sits in the core) the largest holder
    # drafts; without a seated rivalry the core's convener is one of its members
    aml = _context("anti-money-laundering")
    outside = _idx(aml, ("JPN", "KOR", "USA"))
    arch = architecture.build(aml, outside)
    assert not architecture.seated_rivalries(aml, outside)
    assert arch.convener in outside
    broker = aml.index["NOR"]
    assert veto.lead_of(aml, outside, broker) == veto.largest_holder(aml, outside)
    assert aml.codes[veto.largest_holder(aml, outside)] == "USA"


def test_acceptance_is_the_fitted_logistic_of_the_affinity_with_the_lead() -> None:
    ctx = _context("semiconductor-export-controls")
    t = veto.table(ctx)
    assert t.features is not None
    coef = veto.CRITERION.params(ctx).coefficients()
    jpn, usa = ctx.index["JPN"], ctx.index["USA"]
    x = t.features.of("JPN", "USA")
    assert t.accept[jpn][usa] == pytest.approx(coef.probability(x))
    # the issue's link: arms-control votes and the Wassenaar arrangement (alignment.yaml)
    assert t.features.link.categories == ("di",) and t.features.link.regimes == ("Wassenaar",)
    assert x[1] == 1.0  # both in Wassenaar
    # a closer ally accepts an American text more readily than a rival does
    assert t.accept[jpn][usa] > t.accept[ctx.index["CHN"]][usa]


def test_missing_features_are_read_at_the_mean_not_as_zero_agreement() -> None:
    coef = Coefficients(-1.0, 0.7, 0.8, 0.5)
    assert coef.probability((None, 0.0, None)) == pytest.approx(logistic(-1.0))
    assert coef.probability((None, 0.0, None)) > coef.probability((-1.0, 0.0, -1.0))


def test_opt_in_scores_the_expected_share_of_coverage_that_signs() -> None:
    ctx = _context("online-extremism", OptIn(kind="opt-in"))
    members = _idx(ctx, ("CAN", "CHN", "USA"))
    _lead, probs = veto.member_acceptances(ctx, members)
    values = [ctx.actor_values[m] for m in members]
    expected = sum(v * p for v, p in zip(values, probs, strict=True)) / sum(values)
    scored = veto.CRITERION.score(ctx, architecture.build(ctx, members), True)
    assert scored.value == pytest.approx(expected)
    assert "opt-in" in scored.rationale and "least likely to sign" in scored.rationale
    # a non-signer stays out rather than blocking: the pledge is worth more than consensus on it
    consensus = _context("online-extremism", Consensus(kind="consensus"))
    assert scored.value > _value(consensus, members)


def _check_bounds(ctx: Context) -> int:
    pool = [ctx.index[c] for c in POOL if ctx.index[c] in ctx.candidates]
    checked = 0
    for k in range(0, 4):
        for node_members in itertools.combinations(pool, k):
            node = Node.of(ctx, tuple(node_members))
            rest = [a for a in pool if a not in node_members]
            for extra in range(0, 4):
                size = k + extra
                if size == 0:
                    continue
                bound = veto.CRITERION.base(ctx, node, size)
                by_size = veto.CRITERION.base_by_size(ctx, node, range(size, size + 1), 0.0)[0]
                assert by_size == pytest.approx(bound)
                for added in itertools.combinations(rest, extra):
                    members = tuple(sorted((*node_members, *added)))
                    value = _value(ctx, members)
                    assert value <= bound + 1e-9, (ctx.issue.id, node_members, added, value, bound)
                    checked += 1
    return checked


@pytest.mark.parametrize(
    ("issue_id", "rule"),
    [
        ("semiconductor-export-controls", None),
        ("semiconductor-export-controls", QualifiedMajority(kind="qualified-majority", quota=0.67)),
        ("online-extremism", OptIn(kind="opt-in")),
        ("online-extremism", Consensus(kind="consensus")),
        # 30% of the Fund: some cores of the pool reach it (USA, JPN, CHN, DEU), most do not.
        (
            "imf-quota-reform",
            WeightedVote(kind="weighted", field="capabilities.imf-voting.share", quota=0.3, of="institution"),
        ),
    ],
    ids=["consensus", "qualified-majority", "opt-in", "consensus-other-issue", "institution"],
)
def test_bounds_agree_with_brute_force(issue_id: str, rule: object) -> None:
    assert _check_bounds(_context(issue_id, rule)) > 1000


def test_search_stays_exact_with_the_new_bound() -> None:
    from coalesce import engine

    result = engine.propose(_dataset(), "semiconductor-export-controls", top=3)
    assert result.search.exact
    top = result.recommendations[0]
    assert "USA" in top.members


# The institution rule (issue 15): a core acting inside the IMF is judged under the Fund's own rule,
# 85% of the total voting power, and only the Fund's members sit.

IMF_RULE = WeightedVote(kind="weighted", field="capabilities.imf-voting.share", quota=0.85, of="institution")


def test_under_the_institutions_rule_the_core_must_carry_the_whole_vote() -> None:
    shares = [0.5, 0.3, 0.1]  # 90% of the institution's votes
    assert probability_of_action(IMF_RULE, [1.0, 1.0, 1.0], [1.0] * 3, shares, [False] * 3) == 1.0
    # Losing the 10% member leaves 80% < 85%: blocked; of the group's own 90% it would still pass (80/90).
    assert probability_of_action(IMF_RULE, [1.0, 1.0, 0.0], [1.0] * 3, shares, [False] * 3) == 0.0
    group = IMF_RULE.model_copy(update={"of": "group"})
    assert probability_of_action(group, [1.0, 1.0, 0.0], [1.0] * 3, shares, [False] * 3) == 1.0
    assert probability_of_action(group, [1.0, 0.0, 1.0], [1.0] * 3, shares, [False] * 3) == 0.0
    small = [0.4, 0.3]  # 70% of the Fund: short of 85% whoever accepts, though 100% of the group
    assert probability_of_action(IMF_RULE, [1.0, 1.0], [1.0] * 2, small, [False] * 2) == 0.0
    assert probability_of_action(group, [1.0, 1.0], [1.0] * 2, small, [False] * 2) == 1.0
    assert veto_player_bound([1.0, 1.0], small, 0.85, institution_total(IMF_RULE)) == 0.0
    # p = 0.9 each for 0.5, 0.3, 0.1: passes only if all three accept.
    value = probability_of_action(IMF_RULE, [0.9, 0.9, 0.9], [1.0] * 3, shares, [False] * 3)
    assert value == pytest.approx(0.9**3)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 0.3), st.floats(0.0, 1.0)), min_size=1, max_size=7),
    st.floats(0.3, 1.0),
)
def test_the_institution_bound_holds(members: list[tuple[float, float]], quota: float) -> None:
    rule = WeightedVote(kind="weighted", field="capabilities.imf-voting.share", quota=quota, of="institution")
    shares = [w for w, _ in members]
    probs = [p for _, p in members]
    exact = probability_of_action(rule, probs, [1.0] * len(members), shares, [False] * len(members))
    assert exact <= veto_player_bound(probs, shares, quota, institution_total(rule)) + 1e-12


def test_only_the_institutions_members_sit() -> None:
    ds = _dataset()
    issue = ds.issues["imf-quota-reform"]
    assert issue.decision_rule == IMF_RULE
    seated_out = unseated(ds, issue)
    assert {"TWN", "PRK", "EU"} <= seated_out  # no IMF votes; the EU is not a Fund member (blocs.yaml)
    assert not {"USA", "CHN", "DEU"} & seated_out
    ctx = compile_problem(ds, build_request(ds, "imf-quota-reform")).context
    assert ctx.index["TWN"] not in ctx.candidates and ctx.index["USA"] in ctx.candidates
    # Under the group's own rule, the non-member states are seated again (only the bloc table applies).
    group = issue.model_copy(update={"decision_rule": IMF_RULE.model_copy(update={"of": "group"})})
    assert "TWN" not in unseated(ds, group) and "EU" in unseated(ds, group)


def test_of_institution_needs_shares() -> None:
    with pytest.raises(ValueError, match="needs a capabilities"):
        WeightedVote(kind="weighted", field="population_m", quota=0.5, of="institution")
