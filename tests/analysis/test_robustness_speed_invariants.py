"""What may make `robustness` faster must never change its answer (issue 16).

Each draw's search is seeded with incumbents (the unperturbed top five). An incumbent is only a lower
bound, so a certified draw must name the same winner whatever it is seeded with, and the command's
output must not depend on the seeding nor on the number of worker processes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalesce.analysis import robustness as module
from coalesce.compiled import unit_uncertainty
from coalesce.problem import compile as compile_problem
from coalesce.request import build_request
from coalesce.search import top_k

if TYPE_CHECKING:
    from coalesce.compiled import Context
    from coalesce.loading.files import Dataset

ISSUE = "semiconductor-export-controls"
"""Every draw certifies within its budget here (stop 23: 1,000 of 1,000 at seed 1), at about 15 ms a draw."""


@pytest.fixture(scope="module")
def nominal(dataset: Dataset) -> tuple[Context, tuple[tuple[int, ...], ...]]:
    """The issue's compiled context and its unperturbed top five, as `robustness` builds them."""
    ctx = compile_problem(dataset, build_request(dataset, ISSUE, top=5)).context
    baseline = top_k(ctx, 5, None, work_limit=module.BASELINE_WORK_LIMIT)
    return ctx, tuple(found.members for found in baseline.results)


def _winner(
    drawn: Context, seeds: tuple[tuple[int, ...], ...], greedy: bool
) -> tuple[tuple[int, ...], float]:
    outcome = top_k(drawn, 1, None, seeds=seeds, greedy=greedy, work_limit=module.DRAW_WORK_LIMIT)
    assert outcome.exact, "the invariant is about certified draws: this draw must certify"
    best = outcome.results[0]
    return best.members, best.value


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    index=st.integers(0, 999),
    extra=st.lists(st.lists(st.integers(0, 10_000), min_size=1, max_size=6), max_size=4),
)
def test_a_certified_draw_names_the_same_winner_whatever_its_incumbents(
    nominal: tuple[Context, tuple[tuple[int, ...], ...]],
    seed: int,
    index: int,
    extra: list[list[int]],
) -> None:
    """The plain search (greedy seed and polish, as `propose`), the nominal top five, and the top five
    with arbitrary other sets offered first (the draw's own winner among them, as if a previous draw had
    found it; invalid sets too, which the search must leave out) all certify the same winner."""
    ctx, baseline = nominal
    drawn = module._draw(ctx, unit_uncertainty(ctx), seed, index, module.DEFAULT_CONCENTRATION)
    plain = _winner(drawn, (), True)
    assert _winner(drawn, baseline, False) == plain
    candidates = sorted({*ctx.candidates, *ctx.forced})
    others = tuple(tuple(sorted({candidates[i % len(candidates)] for i in chosen})) for chosen in extra)
    assert _winner(drawn, (*others, plain[0], *baseline), False) == plain
    assert _winner(drawn, (*baseline, *others), False) == plain


def test_robustness_output_is_the_same_with_and_without_seeding_and_for_any_workers(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole result (shares, conveners, certified count, gap) for --workers 1 and 2, seeded as
    shipped and with the seeding off (each draw then runs the plain search)."""
    draws = 10
    outputs = {}
    for seeded in (True, False):
        monkeypatch.setattr(module, "SEED_DRAWS", seeded)
        for workers in (1, 2):
            result = module.robustness(dataset, ISSUE, draws=draws, seed=3, workers=workers)
            assert result.exact_draws == draws and result.largest_gap == 0.0
            outputs[(seeded, workers)] = result.model_dump_json(exclude={"workers"})
    assert len(set(outputs.values())) == 1, sorted(outputs)
