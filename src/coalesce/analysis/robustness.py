"""`coalesce robustness`: how the winner moves when weights and figures move within their uncertainty.

Each draw perturbs:
- the criterion weights: a Dirichlet around the configured weights, w' ~ Dir(alpha * w / sum(w)), scaled
  back to the same total; `alpha` (the concentration, default 50) makes each weight vary by about
  sqrt((1 - p) / (p (alpha + 1))) of itself, about +-30% for one of six equal weights;
- every capability figure in the issue's domains: share + Normal(0, uncertainty / 1.645), clipped to
  [0, 1], since `uncertainty` is the half-width of a ~90% interval.
and runs the exact search for the winner (top 1), seeded with the baseline's top five. Draw d uses its own
random stream seeded by (seed, d), so the result is the same for a seed whatever the number of workers.

Each draw's search has a fixed budget of work (DRAW_WORK_LIMIT nodes, a single addition checked counting
as an eighth of one and a full evaluation as one), not a time limit, so the output is the same on every machine. A draw that spends its budget reports the best
core found; `exact_draws` counts the certified ones and `largest_gap` bounds how far any other draw's
winner could be from its certified best.
"""

from __future__ import annotations

import math
import os
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from coalesce import architecture
from coalesce.compiled import Context, perturbed, unit_uncertainty
from coalesce.request import DEFAULT_WORK_BUDGET
from coalesce.scoring import evaluate
from coalesce.search import top_k
from coalesce.search.budget import ROBUSTNESS_DRAW_WORK

if TYPE_CHECKING:
    from coalesce.loading.files import Dataset
    from coalesce.models.analysis import RobustnessResult

# `propose` reads `listed_noise` below on every run (report.honest): the command's own result models,
# progress bar and worker pool are imported where the command runs, not at start-up.

DRAWS_PER_CHUNK = 25
"""Draws per unit of work handed to a process: small enough for the progress bar to move."""
DEFAULT_CONCENTRATION = 50.0
BASELINE_WORK_LIMIT = DEFAULT_WORK_BUDGET
"""The unperturbed top five, which seeds every draw, gets the default budget of every search."""
DRAW_WORK_LIMIT = ROBUSTNESS_DRAW_WORK
"""Each draw's fixed budget (search/budget.py)."""

MAX_DRAWS = 100_000
"""Each draw is an exact search (about 0.1-0.2 s of work): more would run for hours."""
MAX_WORKERS = 64
"""Processes; more than the machine has cores only adds forks."""
MIN_CONCENTRATION, MAX_CONCENTRATION = 1.0, 1e6
"""Dirichlet concentration: below 1 the draws put nearly all weight on one criterion (and gamma draws
underflow to 0); above 1e6 the weights do not move at all."""

SEED_DRAWS = True
"""Seed each draw's search with the unperturbed top five (an incumbent is only a lower bound: speed,
never a certified answer). Off, each draw runs the plain search `propose` runs (greedy seed and polish);
tests/analysis/test_robustness_speed_invariants.py turns it off to show that no certified answer moves."""

_STATE: dict[str, object] = {}


def _draw(
    ctx: Context, uncertainty: tuple[tuple[float, ...], ...], seed: int, index: int, concentration: float
) -> Context:
    rng = random.Random(f"coalesce-robustness:{seed}:{index}")
    base = ctx.weights
    total = sum(base.values())
    gammas = {
        name: (rng.gammavariate(concentration * w / total, 1.0) if w > 0 else 0.0) for name, w in base.items()
    }
    scale = sum(gammas.values())
    # every gamma can underflow to 0 only at a tiny concentration (refused below); keep the weights then
    weights = {name: total * g / scale for name, g in gammas.items()} if scale > 0 else dict(base)
    shares = []
    for unit_shares, unit_unc in zip(ctx.unit_domain_share, uncertainty, strict=True):
        row = []
        for share, unc in zip(unit_shares, unit_unc, strict=True):
            if unc > 0 and share > 0:
                share = min(1.0, max(0.0, rng.gauss(share, unc / 1.645)))
            row.append(share)
        shares.append(row)
    return perturbed(ctx, shares, weights)


Outcome = tuple[tuple[int, ...], int | None, float]
"""Per draw: the winning core, its convener, and the optimality gap (0.0 when certified)."""


def _run_draws(indices: list[int]) -> list[Outcome]:
    ctx = _STATE["ctx"]
    assert isinstance(ctx, Context)
    seeds = _STATE["seeds"] if SEED_DRAWS else ()
    out: list[Outcome] = []
    for index in indices:
        draw_ctx = _draw(ctx, _STATE["uncertainty"], _STATE["seed"], index, _STATE["concentration"])  # type: ignore[arg-type]
        outcome = top_k(draw_ctx, 1, None, seeds=seeds, greedy=not SEED_DRAWS, work_limit=DRAW_WORK_LIMIT)  # type: ignore[arg-type]
        gap = 0.0 if outcome.exact else outcome.gap
        if not outcome.results:
            out.append(((), None, gap))
            continue
        members = outcome.results[0].members
        # the convener of the architecture `evaluate` scores (it builds this), without scoring the criteria
        convener = architecture.build(draw_ctx, members).convener
        out.append((members, convener, gap))
    return out


def robustness(
    dataset: Dataset,
    issue_id: str,
    *,
    draws: int = 1000,
    seed: int = 0,
    concentration: float = DEFAULT_CONCENTRATION,
    workers: int | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    scenarios: Iterable[str] = (),
    sets: Mapping[str, object] | None = None,
    work_limit: int = BASELINE_WORK_LIMIT,
) -> RobustnessResult:
    """Share of draws each architecture wins, each actor's chance of being in the winning core, conveners."""
    from coalesce import progress
    from coalesce.errors import UsageError
    from coalesce.models.analysis import ArchitectureShare, RobustnessResult, Share
    from coalesce.problem import compile as compile_problem
    from coalesce.report import issue_summary, parameters, r6
    from coalesce.request import build_request
    from coalesce.workers import map_in_processes

    if not 1 <= draws <= MAX_DRAWS:
        raise UsageError(f"--draws {draws}: must be from 1 to {MAX_DRAWS:,}")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise UsageError(f"--workers {workers}: must be from 1 to {MAX_WORKERS}")
    if not MIN_CONCENTRATION <= concentration <= MAX_CONCENTRATION or math.isnan(concentration):
        raise UsageError(
            f"--concentration {concentration:g}: must be from {MIN_CONCENTRATION:g} to {MAX_CONCENTRATION:g} "
            "(below 1 the weight draws collapse onto single criteria)"
        )
    request = build_request(
        dataset,
        issue_id,
        top=5,
        min_size=min_size,
        max_size=max_size,
        include=include,
        exclude=exclude,
        weights=weights,
    )
    ctx = compile_problem(dataset, request).context
    baseline = top_k(ctx, 5, None, work_limit=work_limit)  # each draw keeps its own fixed budget
    seeds = tuple(found.members for found in baseline.results)
    _STATE.update(
        ctx=ctx, seeds=seeds, uncertainty=unit_uncertainty(ctx), seed=seed, concentration=concentration
    )
    jobs = max(1, min(workers or os.cpu_count() or 1, draws))
    # Draw i depends only on (seed, i), so how the draws are cut into chunks changes no result; chunks
    # of a few draws let the progress bar move.
    step = max(1, min(DRAWS_PER_CHUNK, draws // jobs))
    chunks = [list(range(start, min(start + step, draws))) for start in range(0, draws, step)]
    with progress.task("robustness draws", draws) as bar:
        if jobs == 1:
            parts = []
            for chunk in chunks:
                parts.append(_run_draws(chunk))
                bar.advance(len(chunk))
        else:
            parts = map_in_processes(_run_draws, chunks, jobs, lambda part: bar.advance(len(part)))
    results: list[Outcome] = [None] * draws  # type: ignore[list-item]
    for chunk, part in zip(chunks, parts, strict=True):
        for index, outcome in zip(chunk, part, strict=True):
            results[index] = outcome
    wins = Counter(members for members, _, _ in results)
    conveners = Counter(convener for _, convener, _ in results)
    in_core: Counter[int] = Counter(m for members, _, _ in results for m in members)
    first = [
        ArchitectureShare(members=[ctx.codes[m] for m in members], count=count, share=r6(count / draws))
        for members, count in sorted(wins.items(), key=lambda kv: (-kv[1], [ctx.codes[m] for m in kv[0]]))
    ]
    membership = [
        Share(actor=ctx.codes[a], name=ctx.names[a], share=r6(count / draws))
        for a, count in sorted(in_core.items(), key=lambda kv: (-kv[1], ctx.codes[kv[0]]))
    ]
    convener_shares = [
        Share(
            actor=ctx.codes[c] if c is not None else "none",
            name=ctx.names[c] if c is not None else "none",
            share=r6(n / draws),
        )
        for c, n in sorted(
            conveners.items(), key=lambda kv: (-kv[1], ctx.codes[kv[0]] if kv[0] is not None else "")
        )
    ]
    baseline_top = baseline.results[0].members if baseline.results else ()
    c = request.constraints
    return RobustnessResult(
        issue=issue_summary(ctx.issue),
        parameters=parameters(c, 1, scenarios, sets),
        draws=draws,
        seed=seed,
        concentration=concentration,
        workers=jobs,
        baseline=[ctx.codes[m] for m in baseline_top],
        baseline_share=r6(wins.get(baseline_top, 0) / draws),
        baseline_exact=baseline.exact,
        first_place=first,
        membership=membership,
        conveners=convener_shares,
        exact_draws=sum(1 for _, _, gap in results if gap == 0.0),
        largest_gap=r6(max(gap for _, _, gap in results)),
    )


LISTED_DRAWS = 20
"""Draws `propose` re-scores its listed cores under (issue 15, honest output)."""
LISTED_SEED = 0
TIE_SDS = 2.0
"""A listed core ties with the best when the best's lead is within this many standard deviations of the
paired difference across the draws (about a 95% band)."""


def listed_noise(
    ctx: Context,
    cores: list[tuple[int, ...]],
    draws: int = LISTED_DRAWS,
    seed: int = LISTED_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
) -> tuple[list[bool], list[dict[int, float]]]:
    """The robustness noise on a list of cores (best first), without searching again.

    Each draw perturbs weights and figures as `robustness` does and re-scores every listed core. Returns,
    per core, whether it ties with the first (its deficit is within TIE_SDS standard deviations of the
    paired difference across draws, or it beats the first in some draw, or it is listed above a core that
    ties), and per core each member's
    share of draws in which the best listed core holds it. The winner is read among the listed cores,
    so the shares are an upper estimate for the members of the first core and no more than that; the
    `robustness` command searches every draw afresh.
    """
    if not cores:
        return [], []
    uncertainty = unit_uncertainty(ctx)
    totals: list[list[float]] = [[] for _ in cores]
    winners: list[tuple[int, ...]] = []
    for index in range(draws):
        draw_ctx = _draw(ctx, uncertainty, seed, index, concentration)
        scores = [evaluate(draw_ctx, core).total for core in cores]
        for k, value in enumerate(scores):
            totals[k].append(value)
        best = max(range(len(cores)), key=lambda k: (scores[k], -k))
        winners.append(cores[best])
    tied = [True]
    # each core once, not once per pair
    unperturbed = [evaluate(ctx, core).total for core in cores] if len(cores) > 1 else []
    for k in range(1, len(cores)):
        diffs = [a - b for a, b in zip(totals[0], totals[k], strict=True)]
        mean = sum(diffs) / len(diffs)
        sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / max(1, len(diffs) - 1))
        base = unperturbed[0] - unperturbed[k]
        tied.append(base <= TIE_SDS * sd + 1e-12 or min(diffs) < 0)
    # The cores are listed best first: one that scores above a core tied with the best is tied too, since
    # the noise cannot tell the best from a core below it, so it cannot rank the cores in between either
    # (a paired test alone can mark #3 tied and #2 not, when #2's draws move with the best's).
    last = max(k for k, tie in enumerate(tied) if tie)
    tied = [k <= last for k in range(len(cores))]
    shares = [{m: sum(1 for w in winners if m in w) / draws for m in core} for core in cores]
    return tied, shares
