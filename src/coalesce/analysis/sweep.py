"""`coalesce sweep`: vary one parameter and find where the winner changes (the tipping points).

The range FROM..TO is sampled at `steps` + 1 evenly spaced values; wherever the winner differs between
neighbours, bisection narrows the change to within `tolerance` of the range, and the tipping point is
reported as the last value with the old winner and the first with the new one. Both were computed by the
same exact `propose`, so running `propose --set PATH=VALUE` at either value gives the same winner.

Paths: `weights.<criterion>`, or any scenario path (`actors.<actor>.<field>...`, `issues.<id>.<field>`,
`model.<parameter>`). `actors.<actor>.alignment` means its ideal point.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping

from coalesce import engine
from coalesce.errors import UsageError
from coalesce.loading.files import Dataset
from coalesce.models.analysis import SweepPoint, SweepResult, TippingPoint
from coalesce.models.issue import CRITERIA, MAX_WEIGHT
from coalesce.request import DEFAULT_WORK_BUDGET
from coalesce.scenarios import PathError, set_value

BISECTIONS = 12
_RANGE = re.compile(r"^(?P<path>[^=]+)=(?P<start>[-+]?[0-9.eE+-]+)\.\.(?P<stop>[-+]?[0-9.eE+-]+)$")


def parse_vary(text: str) -> tuple[str, float, float]:
    """PATH=FROM..TO."""
    match = _RANGE.match(text.strip())
    if not match:
        raise UsageError(f"--vary {text!r}: expected PATH=FROM..TO, e.g. weights.veto=0..3")
    try:
        start, stop = float(match["start"]), float(match["stop"])
    except ValueError:
        raise UsageError(f"--vary {text!r}: FROM and TO must be numbers") from None
    if start == stop:
        raise UsageError(f"--vary {text!r}: FROM and TO must differ")
    path = match["path"].strip()
    if re.fullmatch(r"actors\.[^.]+\.alignment", path):
        path += ".ideal_point"
    return path, start, stop


def sweep(
    dataset: Dataset,
    issue_id: str,
    vary: str,
    *,
    steps: int = 20,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    max_size: int | None = None,
    work_limit: int = DEFAULT_WORK_BUDGET,
) -> SweepResult:
    """Winners along the range and the tipping points between them."""
    path, start, stop = parse_vary(vary)
    if steps < 1 or steps > 200:
        raise UsageError(f"--steps {steps}: must be between 1 and 200")
    base_weights = dict(weights or {})
    weight_name = path.split(".", 1)[1] if path.startswith("weights.") else None
    if weight_name is not None and weight_name not in CRITERIA:
        raise UsageError(
            f"--vary {path}: unknown criterion {weight_name!r}; criteria are {', '.join(CRITERIA)}"
        )
    if weight_name is not None and not (min(start, stop) >= 0 and max(start, stop) <= MAX_WEIGHT):
        raise UsageError(f"--vary {vary.strip()}: a weight must be a number from 0 to {MAX_WEIGHT:g}")
    cache: dict[float, tuple[tuple[str, ...], float | None, str | None]] = {}

    def winner(value: float) -> tuple[tuple[str, ...], float | None, str | None]:
        if value in cache:
            return cache[value]
        data, w = dataset, dict(base_weights)
        if weight_name is not None:
            w[weight_name] = value  # within 0..MAX_WEIGHT, checked above
        else:
            try:
                data = set_value(dataset, path, value, "--vary")
            except PathError as exc:
                raise UsageError(f"--vary {path}: {exc}") from None
        result = engine.propose(
            data,
            issue_id,
            top=1,
            max_size=max_size,
            include=include,
            exclude=exclude,
            weights=w,
            work_limit=work_limit,
        )
        rec = result.recommendations[0] if result.recommendations else None
        cache[value] = (tuple(rec.members), rec.score, rec.convener) if rec else ((), None, None)
        return cache[value]

    values = [start + (stop - start) * i / steps for i in range(steps + 1)]
    points = []
    for v in values:
        members, score, convener = winner(v)
        points.append(SweepPoint(value=round(v, 9), members=list(members), score=score, convener=convener))
    tolerance = abs(stop - start) / 2**BISECTIONS / steps
    tipping = []
    for left, right in itertools.pairwise(values):
        if winner(left)[0] == winner(right)[0]:
            continue
        low, high = left, right
        for _ in range(BISECTIONS):
            middle = (low + high) / 2
            if winner(middle)[0] == winner(low)[0]:
                low = middle
            else:
                high = middle
        tipping.append(
            TippingPoint(below=low, above=high, before=list(winner(low)[0]), after=list(winner(high)[0]))
        )
    from coalesce.report import issue_summary
    from coalesce.request import find_issue

    return SweepResult(
        issue=issue_summary(find_issue(dataset, issue_id)),
        path=path,
        start=start,
        stop=stop,
        steps=steps,
        points=points,
        tipping_points=tipping,
        tolerance=tolerance,
    )
