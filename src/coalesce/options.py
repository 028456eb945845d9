"""One validated options object per run: the data after scenarios and `--set`, then the flags on top.

The CLI and the Python API build an `Options` the same way (`build_options`), so the same scenario gives
the same answer from both. Every value is checked here, once, with the message naming the flag (CLI) or
the parameter (API) it came from; the core then trusts it. Weight overrides have one shape from here to
the request: `WeightOverrides`, a mapping of criterion name to a finite weight in [0, MAX_WEIGHT].
Defaults (the work budget, the number of recommendations) come from `coalesce.request`.
"""

from __future__ import annotations

import datetime
import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coalesce.errors import UsageError

if TYPE_CHECKING:
    from coalesce.loading.files import Dataset
    from coalesce.models.analysis import CompareResult, FrontierResult, RobustnessResult, SweepResult
    from coalesce.models.results import ProposeResult, ScoreResult
    from coalesce.scenarios import Applied


class WeightOverrides(dict[str, float]):
    """Criterion weights that replace the issue's: built only by `weight_overrides`, hence valid.

    A plain dict handed to the core (say by an analysis that varies one weight) is checked there by the
    same function, so every path checks a weight exactly once.
    """


def weight_overrides(
    items: Mapping[str, object] | Iterable[str], origin: str = "--weight"
) -> WeightOverrides:
    """Validate weights given as NAME=NUMBER strings (the CLI) or a mapping (the API, a scenario).

    Each name must be a criterion and each value a finite number from 0 to MAX_WEIGHT; the message
    names `origin` (the flag or parameter). The all-zero check needs the issue, so it is the request's.
    """
    from coalesce.criteria.registry import MAX_WEIGHT, NAMES

    if isinstance(items, WeightOverrides):
        return items
    pairs: list[tuple[str, object, str]] = []
    if isinstance(items, Mapping):
        pairs = [(str(k), v, f"{k}={v}") for k, v in items.items()]
    else:
        for item in items:
            name, sep, raw = item.partition("=")
            if not sep:
                raise UsageError(f"{origin} {item!r}: expected NAME=NUMBER, e.g. veto=2")
            try:
                value: object = float(raw)
            except ValueError:
                raise UsageError(f"{origin} {item!r}: {raw!r} is not a number") from None
            pairs.append((name.strip(), value, item))
    out = WeightOverrides()
    for name, value, shown in pairs:
        if name not in NAMES:
            close = difflib.get_close_matches(name, NAMES, n=1)
            hint = f"; did you mean {close[0]}?" if close else f"; criteria are {', '.join(NAMES)}"
            raise UsageError(f"{origin}: unknown criterion {name!r}{hint}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError(f"{origin} {name}: a weight is a number, not {type(value).__name__}")
        number = float(value)
        if not math.isfinite(number):
            raise UsageError(f"{origin} {shown!r}: must be a finite number")
        if not 0.0 <= number <= MAX_WEIGHT:
            raise UsageError(
                f"{origin} {name}={number:g}: a weight must be a number from 0 to {MAX_WEIGHT:g}"
            )
        out[name] = number
    return out


@dataclass(frozen=True)
class Options:
    """Everything one run asks: the data (scenarios and --set applied), then the request's flags.

    `include`, `exclude` and `weights` hold the scenarios' contributions first and the flags' after, in
    that order (a flag's weight wins over a scenario's). Actor names are resolved by the request, against
    the issue, so they stay as typed here.
    """

    dataset: Dataset
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weights: WeightOverrides = field(default_factory=WeightOverrides)
    min_size: int | None = None
    max_size: int | None = None
    top: int = 5
    time_limit: float | None = None
    work_limit: int | None = None
    """Work budget of each search (None: `request.DEFAULT_WORK_BUDGET`)."""
    scenarios: tuple[str, ...] = ()
    """Names of the scenarios applied, in order."""
    sets: dict[str, Any] = field(default_factory=dict)
    """Every PATH=VALUE the scenarios and --set applied."""
    date: str | None = None

    @property
    def budget(self) -> int:
        """The work budget each search of this run gets."""
        from coalesce.request import DEFAULT_WORK_BUDGET

        return DEFAULT_WORK_BUDGET if self.work_limit is None else self.work_limit

    def search(self) -> dict[str, Any]:
        """Keyword arguments every search takes: who is in or out, the weights, the largest size."""
        return {
            "include": self.include,
            "exclude": self.exclude,
            "weights": self.weights,
            "max_size": self.max_size,
        }

    def labels(self) -> dict[str, Any]:
        """Keyword arguments that label a result with what produced it."""
        return {"scenarios": self.scenarios, "sets": self.sets}

    # The runs: the CLI's commands and the Python API call these, so both give the same answer.

    def propose(self, issue: str, *, timing: bool = False) -> ProposeResult:
        """The ranked top `top` for `issue` (`coalesce propose`)."""
        from coalesce import engine

        return engine.propose(
            self.dataset,
            issue,
            top=self.top,
            min_size=self.min_size,
            **self.search(),
            time_limit=self.time_limit,
            timing=timing,
            work_limit=self.budget,
            **self.labels(),
        )

    def score(self, issue: str, members: str) -> ScoreResult:
        """One grouping ("USA,CHN,GBR") assessed, with advice and its rank (`coalesce score`)."""
        from coalesce import engine

        return engine.score(
            self.dataset,
            issue,
            [members],
            weights=self.weights,
            exclude=self.exclude,
            time_limit=self.time_limit,
            work_limit=self.budget,
            **self.labels(),
        )

    def frontier(self, issue: str) -> FrontierResult:
        """Naím's curve (`coalesce frontier`)."""
        from coalesce.analysis.frontier import frontier

        return frontier(
            self.dataset,
            issue,
            **self.search(),
            time_limit=self.time_limit,
            work_limit=self.budget,
            **self.labels(),
        )

    def sweep(self, issue: str, vary: str, *, steps: int = 20) -> SweepResult:
        """Winners along PATH=FROM..TO and the tipping points (`coalesce sweep`)."""
        from coalesce.analysis.sweep import sweep

        return sweep(self.dataset, issue, vary, steps=steps, **self.search(), work_limit=self.budget)

    def robustness(
        self, issue: str, *, draws: int, seed: int, concentration: float, workers: int | None
    ) -> RobustnessResult:
        """Perturbed draws (`coalesce robustness`): the budget is the unperturbed search's, which seeds
        every draw; each draw keeps its own fixed budget (search/budget.py)."""
        from coalesce.analysis.robustness import robustness

        return robustness(
            self.dataset,
            issue,
            draws=draws,
            seed=seed,
            concentration=concentration,
            workers=workers,
            min_size=self.min_size,
            **self.search(),
            **self.labels(),
            work_limit=self.budget,
        )

    def compare(self, issue: str, scenarios: list[Path]) -> CompareResult:
        """This run as the baseline against each scenario in turn (`coalesce compare`).

        The baseline's include and exclude (scenarios' and flags') carry into every scenario's run.
        """
        from coalesce.analysis.compare import compare
        from coalesce.scenarios import Applied

        base = Applied(
            self.dataset, include=self.include, exclude=self.exclude, names=self.scenarios, sets=self.sets
        )
        return compare(
            base,
            issue,
            scenarios,
            top=self.top,
            weights=self.weights,
            max_size=self.max_size,
            work_limit=self.budget,
        )


def _names(value: Iterable[str] | str | None, origin: str) -> tuple[str, ...]:
    """Actors as "A,B" strings or codes, split on commas; a non-string is a TypeError naming `origin`."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"{origin} must hold strings (actor codes or names), not {type(item).__name__}")
        out += [part.strip() for part in item.split(",") if part.strip()]
    return tuple(out)


def build_options(
    applied: Applied,
    *,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    weights: Mapping[str, object] | Iterable[str] | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    top: int | None = None,
    time_limit: float | None = None,
    work_limit: int | None = None,
    date: str | None = None,
    cli: bool = True,
) -> Options:
    """The options of one run: the scenarios' include, exclude and weights, then these on top.

    Messages name the CLI flag (`--weight`) when `cli`, else the API parameter (`weights`).
    """

    def name(flag: str, parameter: str) -> str:
        return flag if cli else parameter

    flags = weight_overrides(weights or [], name("--weight", "weights"))
    merged = weight_overrides({**applied.weights, **flags}, name("--weight", "weights"))
    if time_limit is not None and not time_limit > 0:
        raise UsageError(
            f"{name('--time-limit', 'time_limit')} {time_limit}: must be a positive number of seconds"
        )
    if work_limit is not None and work_limit < 1:
        raise UsageError(f"{name('--budget', 'work_limit')} {work_limit}: must be a positive amount of work")
    if date is not None:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise UsageError(
                f"{name('--date', 'date')} {date!r}: expected YYYY-MM-DD, e.g. 2026-12-01"
            ) from None
    return Options(
        dataset=applied.dataset,
        include=(*applied.include, *_names(include, name("--include", "include"))),
        exclude=(*applied.exclude, *_names(exclude, name("--exclude", "exclude"))),
        weights=merged,
        min_size=min_size,
        max_size=max_size,
        top=5 if top is None else top,
        time_limit=time_limit,
        work_limit=work_limit,
        scenarios=applied.names,
        sets=dict(applied.sets),
        date=date,
    )
