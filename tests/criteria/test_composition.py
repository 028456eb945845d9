"""Issue 15's composition rules on the shipped data: small states, bloc seating, the capability
threshold and the relative parsimony yardstick."""

from __future__ import annotations

import itertools

from conftest import ctx_for

from coalesce.criteria import capability, parsimony
from coalesce.loading.files import Dataset
from coalesce.models.world import SmallStates
from coalesce.scoring import evaluate
from coalesce.search import top_k


def test_small_states_are_under_ten_million_by_default(dataset: Dataset) -> None:
    assert SmallStates().max_population_m == 10.0 and SmallStates().exclude_memberships == []
    ctx = ctx_for(dataset, "ai-governance")
    for i, actor in enumerate(ctx.actors):
        expected = actor.kind == "state" and actor.population_m is not None and actor.population_m < 10.0
        assert ctx.small[i] == expected, actor.code
    small = {ctx.codes[i] for i in range(len(ctx.codes)) if ctx.small[i]}
    assert {"NOR", "SGP", "EST"} <= small
    assert not {"NLD", "ESP", "POL", "PAK", "EU"} & small


def test_blocs_sit_only_where_they_act(dataset: Dataset) -> None:
    imf = ctx_for(dataset, "imf-quota-reform")
    assert imf.index["EU"] not in imf.candidates  # the EU is not an IMF member
    trade = ctx_for(dataset, "digital-trade")
    eu = next(a for a in trade.actors if a.code == "EU")
    assert trade.index["EU"] in trade.candidates
    assert not {trade.index[m] for m in eu.members if m in trade.index} & set(trade.candidates)
    ai = ctx_for(dataset, "ai-governance")
    assert ai.index["EU"] in ai.candidates and ai.index["DEU"] in ai.candidates
    forced = ctx_for(dataset, "imf-quota-reform", include=["EU"])
    assert forced.index["EU"] in forced.forced


def test_no_top_core_misses_a_reachable_target(dataset: Dataset) -> None:
    for issue in ("ai-governance", "semiconductor-export-controls", "digital-trade", "critical-minerals"):
        ctx = ctx_for(dataset, issue, top=5)
        outcome = top_k(ctx, 5)
        assert outcome.exact, issue
        assert capability.reachable(ctx), issue
        for found in outcome.results:
            assert not found.missed and found.value == found.score
            assert evaluate(ctx, found.members).arch.node.coverage >= ctx.issue.target - 1e-9


def test_parsimony_is_relative_to_the_coverage_achieved(dataset: Dataset) -> None:
    ctx = ctx_for(dataset, "pandemic-preparedness")
    assert ctx.n_min > 3
    strongest = sorted(ctx.candidates, key=lambda a: -ctx.actor_value(a))[:8]
    for size in (1, 2, 3):
        for combo in itertools.combinations(strongest, size):
            members = tuple(sorted(combo))
            ev = evaluate(ctx, members)
            coverage = ev.arch.node.coverage
            need = parsimony.needed(ctx, coverage)
            assert 1 <= need <= ctx.n_min
            # no group of fewer than n_need members holds as much coverage
            assert ctx.best_coverage[need - 1] < coverage - 1e-12 or need == 1
            assert ev.criteria["parsimony"].value <= min(1.0, need / size) + 1e-12
            if coverage < ctx.issue.target:
                assert (
                    "that can reach the target" not in parsimony.CRITERION.score(ctx, ev.arch, True).rationale
                )
