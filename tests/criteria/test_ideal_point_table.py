"""The acceptance table without alignment data (acceptance.IdealPointRows), computed row by row as the
search reads it, against the full table it replaces: every entry, the closeness of every pair and the
ceiling are the same doubles."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from coalesce.acceptance import Coefficients, IdealPointCloseness, IdealPointRows


def _eager(points: list[float], has: list[bool], coef: Coefficients, keep: float):  # type: ignore[no-untyped-def]
    """The full table as veto computed it before (every pair, then the largest entry)."""
    n = len(points)
    raw = {
        (i, j): -abs(points[i] - points[j])
        for i in range(n)
        for j in range(n)
        if i != j and has[i] and has[j]
    }
    closeness = raw
    if raw:
        mu = sum(raw.values()) / len(raw)
        sd = math.sqrt(sum((v - mu) ** 2 for v in raw.values()) / len(raw)) or 1.0
        closeness = {k: (v - mu) / sd for k, v in raw.items()}
    rows = tuple(
        tuple(keep if i == j else coef.probability((closeness.get((i, j)), 0.0, None)) for j in range(n))
        for i in range(n)
    )
    return closeness, rows, max([keep, *(p for r in rows for p in r)])


_POINT = st.one_of(
    st.floats(-3.0, 3.0, allow_nan=False),
    st.sampled_from([0.0, -0.0, 0.5, 1e-12, -1.0]),  # duplicates and near-duplicates
)


@settings(max_examples=300, deadline=None)
@given(
    points=st.lists(st.tuples(_POINT, st.booleans()), min_size=1, max_size=12),
    intercept=st.floats(-10.0, 10.0),
    votes=st.one_of(st.just(0.0), st.floats(0.0, 10.0), st.floats(-10.0, 0.0)),
    keep=st.floats(0.5, 1.0),
)
def test_the_lazy_table_is_the_full_table(
    points: list[tuple[float, bool]], intercept: float, votes: float, keep: float
) -> None:
    values = [p for p, _ in points]
    has = [h or len(points) < 3 for _, h in points]
    coef = Coefficients(intercept, votes, 0.807, 0.5077)
    closeness, rows, ceiling = _eager(values, has, coef, keep)
    lazy_closeness = IdealPointCloseness(values, has)
    lazy = IdealPointRows(lazy_closeness, len(values), coef, keep)
    n = len(values)
    for i in range(n):
        for j in range(n):
            assert lazy_closeness.get((i, j)) == closeness.get((i, j))
    assert dict(lazy_closeness) == closeness
    assert lazy.ceiling == ceiling
    assert [[lazy[i][j] for j in range(n)] for i in range(n)] == [list(r) for r in rows]  # entry by entry
    fresh = IdealPointRows(lazy_closeness, n, coef, keep)
    assert [tuple(fresh[i]) for i in range(n)] == list(rows)  # each row in one pass
    assert len(lazy) == n and lazy[-1] == rows[-1]
    for pool in (range(n), range(0, n, 2), [n - 1], []):
        expected = [max((rows[m][j] for j in pool if j != m), default=0.0) for m in range(n)]
        assert lazy.reach(pool) == expected


def test_a_wide_world_reads_only_the_rows_it_asks_for() -> None:
    """300 actors, some without a point: a row is built only when read, and the ceiling, found from the
    sorted points alone, is the full table's."""
    n = 300
    values = [math.sin(i) * 2.0 for i in range(n)]
    has = [i % 7 != 0 for i in range(n)]
    coef = Coefficients(-1.005, 0.681, 0.807, 0.5077)
    lazy = IdealPointRows(IdealPointCloseness(values, has), n, coef, 0.95)
    row = lazy[3]
    assert lazy[3] is row and list(lazy._rows) == [3]
    _, rows, ceiling = _eager(values, has, coef, 0.95)
    assert [row[j] for j in range(n)] == list(rows[3])  # one by one, then from the whole row
    assert lazy[5] == rows[5] and tuple(lazy[5]) == rows[5] and lazy[-1][:4] == rows[-1][:4]
    assert lazy.ceiling == ceiling
    pool = [i for i in range(n) if i % 3]  # the bound's reach: the best column in a pool, per row
    assert lazy.reach(pool) == [max(rows[m][j] for j in pool if j != m) for m in range(n)]
