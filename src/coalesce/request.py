"""Turn what a user asked for (codes, sizes, weights) into validated search constraints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coalesce.compiled import Constraints
from coalesce.errors import UsageError
from coalesce.loading.files import Dataset
from coalesce.loading.resolve import UnknownActor
from coalesce.models.issue import CRITERIA, Issue

MAX_TOP = 1000
"""More recommendations than this are a listing, not advice; each is explained in full."""
HARD_MAX_SIZE = 60
"""No search asks for a core above this size: minilateralism is about small groups."""
DEFAULT_WORK_BUDGET = 40_000
"""THE default budget: the work every search a command or API call runs may do unless `--budget`
(`work_limit`) says otherwise. Nodes, single additions checked (an eighth of a node each) and sets
evaluated, counted as `search.budget.Budget` counts them. Work, not seconds, so the same input gives the
same bytes on every machine (SPEC); at the shipped weights every shipped issue but
maritime-decarbonisation and online-extremism certifies within it (docs/speed.md, stop 21, measured
after integration). `--time-limit` is a safety net on top.

`search.budget.DEFAULT_WORK_LIMIT` (250,000) is not a second default: it is the search's own backstop
for a caller that passes no limit at all, so no search anywhere is unbounded; every command passes this
budget, so none reaches the backstop."""


@dataclass(frozen=True)
class Request:
    """A validated request: the issue, its constraints, and how many results are wanted."""

    issue: Issue
    constraints: Constraints
    top: int


def resolve_actors(dataset: Dataset, items: Iterable[str], flag: str) -> tuple[str, ...]:
    """Codes for user-typed actors; UsageError with suggestions for an unknown one."""
    out: list[str] = []
    for item in items:
        for part in (p for p in item.split(",") if p.strip()):
            try:
                code = dataset.resolver.resolve(part)
            except UnknownActor as exc:
                raise UsageError(f"{flag}: {exc}") from None
            if code not in out:
                out.append(code)
    return tuple(out)


def find_issue(dataset: Dataset, issue_id: str) -> Issue:
    """The issue, or UsageError with suggestions."""
    if issue_id in dataset.issues:
        return dataset.issues[issue_id]
    import difflib

    close = difflib.get_close_matches(issue_id, list(dataset.issues), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known issues: {', '.join(dataset.issues)}"
    raise UsageError(f"unknown issue {issue_id!r}{hint}")


def merge_weights(issue: Issue, overrides: Mapping[str, float] | None) -> tuple[tuple[str, float], ...]:
    """Issue weights with overrides applied, in registry order; all-zero is a usage error.

    Overrides built by `options.weight_overrides` (the CLI and the API) are valid already; any other
    mapping (an analysis varying one weight) is checked here by that same function.
    """
    from coalesce.options import weight_overrides

    weights = issue.weights.as_dict()
    weights.update(weight_overrides(overrides or {}))
    if sum(weights.values()) <= 0:
        zeroed = ", ".join(f"{name}=0" for name in sorted(overrides or {}))
        raise UsageError(
            f"every criterion weight of issue {issue.id} is 0 after the overrides ({zeroed}; from scenario "
            "weights, then --weight): at least one criterion weight must be positive"
        )
    return tuple((name, weights[name]) for name in CRITERIA)


def build_request(
    dataset: Dataset,
    issue_id: str,
    *,
    top: int = 5,
    min_size: int | None = None,
    max_size: int | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
) -> Request:
    """Validate a request against the dataset; every problem is a UsageError naming the flag."""
    issue = find_issue(dataset, issue_id)
    if not 1 <= top <= MAX_TOP:
        raise UsageError(f"--top {top}: must be from 1 to {MAX_TOP}")
    low = issue.min_size if min_size is None else min_size
    actor_count = len(dataset.world.actors)
    # The issue's own size limit is capped by the world (no group is larger than the world); only a
    # --max-size the user gave is checked against the limit and blamed. issues.yaml keeps max_size <= 60.
    high = min(issue.max_size, max(actor_count, low)) if max_size is None else max_size
    if high < 1:
        raise UsageError(f"--max-size {high}: must be at least 1")
    if low < 1:
        raise UsageError(f"--min-size {low}: must be at least 1")
    if high > min(HARD_MAX_SIZE, actor_count):
        raise UsageError(
            f"--max-size {high}: above the limit of {min(HARD_MAX_SIZE, actor_count)} "
            f"(the world has {actor_count} actors; coalitions above {HARD_MAX_SIZE} are not minilateral)"
        )
    if low > high:
        raise UsageError(f"--min-size {low} is above --max-size {high}")
    inc = resolve_actors(dataset, include, "--include")
    exc = tuple(dict.fromkeys((*issue.exclude, *resolve_actors(dataset, exclude, "--exclude"))))
    ruled_out = sorted(set(inc) & set(issue.exclude))
    if ruled_out:
        raise UsageError(
            f"--include {', '.join(ruled_out)}: the issue {issue.id} rules it out (see its 'exclude')"
        )
    both = sorted(set(inc) & set(exc))
    if both:
        raise UsageError(f"--include and --exclude both name {', '.join(both)}")
    for bloc in inc:
        inside = [m for m in dataset.world.actor(bloc).members if m in exc]
        if not inside:
            continue
        # A bloc counts its members' capability, so seating it would bring the excluded member back.
        names = ", ".join(inside)
        if set(inside) - set(issue.exclude):
            raise UsageError(
                f"--include {bloc} conflicts with --exclude {names}: {names} belongs to {bloc}, "
                "and a bloc counts its members' capability"
            )
        raise UsageError(
            f"--include {bloc}: the issue {issue.id} rules out {names}, which belongs to {bloc} "
            "(a bloc counts its members' capability)"
        )
    unaligned = [c for c in inc if dataset.world.actor(c).alignment is None]
    if unaligned:
        raise UsageError(
            f"--include {', '.join(unaligned)}: no alignment figure in the data, so it cannot be scored"
        )
    if len(inc) > high:
        raise UsageError(f"--include names {len(inc)} actors, more than --max-size {high}")
    return Request(
        issue=issue,
        constraints=Constraints(
            min_size=low,
            max_size=high,
            include=tuple(sorted(inc)),
            exclude=tuple(sorted(exc)),
            weights=merge_weights(issue, weights),
        ),
        top=top,
    )
