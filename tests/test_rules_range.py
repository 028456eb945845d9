"""rules.probability_of_action: a probability never leaves [0, 1], whatever rounding the sums do."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coalesce.models.rules import Consensus, DoubleMajority, Majority
from coalesce.rules import probability_of_action

RULES = [
    Consensus(kind="consensus"),
    Majority(kind="majority"),
    DoubleMajority(kind="double-majority", members=0.55, population=0.65, blocking_min=4),
]


@settings(max_examples=300, deadline=None)
@given(
    rule=st.sampled_from(RULES),
    accept=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=9),
    population=st.floats(min_value=0.5, max_value=3.0),
)
def test_probability_of_action_stays_in_the_unit_interval(rule, accept, population) -> None:  # type: ignore[no-untyped-def]
    value = probability_of_action(rule, accept, [population] * len(accept), [], [False] * len(accept))
    assert 0.0 <= value <= 1.0


def test_a_group_that_surely_accepts_acts_with_probability_exactly_one() -> None:
    # The case hypothesis found: near-certain acceptance under a double majority summed to 1 + 2e-16.
    for rule in RULES:
        value = probability_of_action(rule, [0.98] * 5, [1.0, 1.0, 2.0, 1.0, 1.0], [], [False] * 5)
        assert value <= 1.0
        assert probability_of_action(rule, [1.0] * 5, [1.0] * 5, [], [False] * 5) == 1.0
