"""Issue-specific pairwise affinity and the acceptance model anchored on the lead's text (issue 15).

Affinity of an invitee with the lead (the state that drafts the text), from three features fixed before
any fit (docs/model.md, "Acceptance"):

1. `votes`: agreement on the UN General Assembly roll calls of the issue's vote categories
   (data/alignment/votes-<cat>.csv, sessions 65-74, 2010-2020), double-centred against the Assembly
   baseline: the agreement of i and j minus each one's mean agreement with every state, plus the grand
   mean (the centring of classical scaling), then standardised over all pairs (z units). Raw agreement
   mostly measures how close both sit to the Assembly majority (docs/data.md); what remains is how much
   more, or less, the two agree than that predicts. Averaged over the issue's categories, clipped to
   +/-3. The 2010-2020 window is read as the pair's standing alignment for any later year (the bridge
   to today: the Voeten file's category codes stop in 2020).
2. `regimes`: the share of the issue's regimes (groupings in states.yaml) that both belong to; 0 when
   the issue names none.
3. `igos`: intergovernmental organisations both were full members of in 2014 (COW IGO v3), divided by
   the geometric mean of their own counts, standardised over all pairs and clipped to +/-3.

A bloc's figure is the mean over its member states' pairs. A missing figure stays missing in the
features; the logistic reads it at the mean (z = 0) and the rationale says so.

Acceptance: P(i accepts the lead's text) = logistic(a + b_votes x1 + b_regimes x2 + b_igos x3), slopes
restricted to >= 0 (more affinity never lowers acceptance), fitted by maximum likelihood on the
signature decisions (data/signatures.yaml; `fit`), never on the back-test cases. The lead accepts its
own text with 1 - baseline_defection.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from pathlib import Path

    from coalesce.loading.alignment import AlignmentData
    from coalesce.models.alignment import PairMatrix

CLIP = 3.0
"""Standardised features beyond 3 standard deviations are read as 3 (a few pairs lie far out)."""

FEATURES = ("votes", "regimes", "igos")

Features = tuple[float | None, float, float | None]
"""(votes z, regime share, IGO overlap z) of one invitee with one lead; None where missing."""

_CACHE: dict[tuple[int, str], tuple[object, dict[tuple[str, str], float]]] = {}


@dataclass(frozen=True)
class Coefficients:
    """The logistic's intercept and its three slopes (FEATURES order)."""

    intercept: float
    votes: float
    regimes: float
    igos: float

    def probability(self, x: Features) -> float:
        """P(accept) for one feature vector, a missing feature at its mean (0)."""
        return logistic(self.eta(x))

    def eta(self, x: Features) -> float:
        """The linear predictor."""
        votes, regimes, igos = filled(x)
        return self.intercept + self.votes * votes + self.regimes * regimes + self.igos * igos

    def max_probability(self) -> float:
        """The largest probability any feature vector can give (features at their clip)."""
        return logistic(self.intercept + CLIP * self.votes + self.regimes + CLIP * self.igos)


def logistic(eta: float) -> float:
    """1 / (1 + exp(-eta)), without overflow."""
    if eta >= 0:
        return 1.0 / (1.0 + math.exp(-eta))
    e = math.exp(eta)
    return e / (1.0 + e)


def clip(z: float) -> float:
    """z clipped to [-CLIP, CLIP]."""
    return max(-CLIP, min(CLIP, z))


def filled(x: Features) -> tuple[float, float, float]:
    """The features as the logistic reads them: clipped, a missing one at its mean (0)."""
    votes, regimes, igos = x
    return (0.0 if votes is None else clip(votes), regimes, 0.0 if igos is None else clip(igos))


def _standardised(raw: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    if not raw:
        return raw
    mu = sum(raw.values()) / len(raw)
    sd = math.sqrt(sum((v - mu) ** 2 for v in raw.values()) / len(raw)) or 1.0
    return {k: (v - mu) / sd for k, v in raw.items()}


def centred_votes(matrix: PairMatrix) -> dict[tuple[str, str], float]:
    """Double-centred, standardised agreement per pair (a, b), a > b in code order (cached per matrix)."""
    key = (id(matrix), "votes")
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is matrix:
        return hit[1]
    codes = matrix.codes
    means: dict[str, float] = {}
    for a in codes:
        values = [v for b in codes if (v := matrix.value(a, b)) is not None]
        if values:
            means[a] = sum(values) / len(values)
    grand = sum(means.values()) / len(means) if means else 0.0
    raw: dict[tuple[str, str], float] = {}
    for i, a in enumerate(codes):
        if a not in means:
            continue
        for b in codes[:i]:
            v = matrix.value(a, b)
            if v is not None and b in means:
                raw[(a, b)] = v - means[a] - means[b] + grand
    out = _standardised(raw)
    _CACHE[key] = (matrix, out)
    return out


def igo_overlap(matrix: PairMatrix) -> dict[tuple[str, str], float]:
    """Shared IGOs over the geometric mean of the two counts, standardised (cached per matrix)."""
    key = (id(matrix), "igos")
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is matrix:
        return hit[1]
    codes = matrix.codes
    raw: dict[tuple[str, str], float] = {}
    for i, a in enumerate(codes):
        na = matrix.total(a)
        if not na:
            continue
        for b in codes[:i]:
            nb = matrix.total(b)
            v = matrix.value(a, b)
            if v is not None and nb:
                raw[(a, b)] = v / math.sqrt(na * nb)
    out = _standardised(raw)
    _CACHE[key] = (matrix, out)
    return out


def _pair(table: Mapping[tuple[str, str], float], a: str, b: str) -> float | None:
    return table.get((a, b)) if a > b else table.get((b, a))


@dataclass(frozen=True)
class Link:
    """Which vote categories and regimes an issue (or a signature decision) reads."""

    categories: tuple[str, ...]
    regimes: tuple[str, ...]


def link_of(alignment: AlignmentData, issue_id: str | None = None, decision_id: str | None = None) -> Link:
    """The declared link of an issue or a decision; every roll call and no regime when none is declared."""
    manifest = alignment.manifest
    found = manifest.decisions.get(decision_id) if decision_id else manifest.issues.get(issue_id or "")
    if found is None:
        return Link(("all",), ())
    return Link(tuple(found.categories), tuple(found.regimes))


class PairFeatures:
    """The three features of any invitee with any lead, for one link."""

    def __init__(
        self,
        alignment: AlignmentData,
        link: Link,
        members: Mapping[str, Collection[str]],
        memberships: Mapping[str, Collection[str]],
    ) -> None:
        """`members`: a bloc's member states (states map to themselves); `memberships`: each actor's groupings."""
        self.link = link
        self.tables = [centred_votes(alignment.votes(c)) for c in link.categories]  # type: ignore[arg-type]
        self.igos = igo_overlap(alignment.igo_shared())
        self.members = members
        self.memberships = memberships
        self.source = alignment.manifest.votes.source

    def _states(self, code: str) -> Collection[str]:
        return self.members.get(code) or (code,)

    def _mean(self, a: str, b: str, value: object) -> float | None:
        values = []
        for x in sorted(self._states(a)):
            for y in sorted(self._states(b)):
                if x != y:
                    v = value(x, y)  # type: ignore[operator]
                    if v is not None:
                        values.append(v)
        return sum(values) / len(values) if values else None

    def votes(self, a: str, b: str) -> float | None:
        """Mean over the link's categories of the centred agreement z (bloc: mean over member pairs)."""

        def one(x: str, y: str) -> float | None:
            per = [v for t in self.tables if (v := _pair(t, x, y)) is not None]
            return sum(per) / len(per) if per else None

        return self._mean(a, b, one)

    def igo(self, a: str, b: str) -> float | None:
        """Standardised IGO overlap (bloc: mean over member pairs)."""
        return self._mean(a, b, lambda x, y: _pair(self.igos, x, y))

    def regimes(self, a: str, b: str) -> float:
        """Share of the link's regimes both belong to (0 without regimes)."""
        if not self.link.regimes:
            return 0.0
        ma, mb = self.memberships.get(a, ()), self.memberships.get(b, ())
        return sum(1 for r in self.link.regimes if r in ma and r in mb) / len(self.link.regimes)

    def of(self, a: str, b: str) -> Features:
        """The features of invitee a with lead b."""
        return (self.votes(a, b), self.regimes(a, b), self.igo(a, b))

    def grid(self, codes: Sequence[str]) -> FeatureTable:
        """`of(a, b)` for every pair of `codes` (the diagonal too), the same figures computed in one pass:
        each state pair's value once, a bloc's mean over its member pairs in `_mean`'s order."""
        n = len(codes)
        tables, igos = self.tables, self.igos
        one_vote: dict[tuple[str, str], float | None] = {}
        one_igo: dict[tuple[str, str], float | None] = {}

        def vote(x: str, y: str) -> float | None:
            key = (x, y) if x > y else (y, x)
            if key in one_vote:
                return one_vote[key]
            per = [v for t in tables if (v := t.get(key)) is not None]
            found = one_vote[key] = sum(per) / len(per) if per else None
            return found

        def igo(x: str, y: str) -> float | None:
            key = (x, y) if x > y else (y, x)
            if key in one_igo:
                return one_igo[key]
            found = one_igo[key] = igos.get(key)
            return found

        states = [sorted(self._states(c)) for c in codes]
        votes: list[float] = []
        shared: list[float] = []
        overlap: list[float] = []
        nan = math.nan
        for i in range(n):
            xs = states[i]
            for j in range(n):
                ys = states[j]
                vs: list[float] = []
                gs: list[float] = []
                for x in xs:
                    for y in ys:
                        if x != y:
                            if (v := vote(x, y)) is not None:
                                vs.append(v)
                            if (g := igo(x, y)) is not None:
                                gs.append(g)
                votes.append(sum(vs) / len(vs) if vs else nan)
                overlap.append(sum(gs) / len(gs) if gs else nan)
                shared.append(self.regimes(codes[i], codes[j]))
        return FeatureTable(self.link, tuple(codes), votes, shared, overlap)


class FeatureTable:
    """The features of every (invitee, lead) pair of a fixed list of codes, flat in row-major order (the
    invitee's row); a missing figure is NaN here and None from `of`, as PairFeatures gives it."""

    __slots__ = ("codes", "igos", "index", "link", "regimes", "votes")

    def __init__(
        self,
        link: Link,
        codes: tuple[str, ...],
        votes: Sequence[float],
        regimes: Sequence[float],
        igos: Sequence[float],
    ) -> None:
        self.link = link
        self.codes = codes
        self.index = {c: i for i, c in enumerate(codes)}
        self.votes, self.regimes, self.igos = votes, regimes, igos

    def at(self, i: int, j: int) -> Features:
        """The features of codes[i] with lead codes[j]."""
        k = i * len(self.codes) + j
        v, g = self.votes[k], self.igos[k]
        return (None if v != v else v, self.regimes[k], None if g != g else g)

    def of(self, a: str, b: str) -> Features:
        """The features of invitee a with lead b (both among `codes`)."""
        return self.at(self.index[a], self.index[b])


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def pair_table(
    alignment: AlignmentData,
    link: Link,
    codes: tuple[str, ...],
    members: Mapping[str, Collection[str]],
    memberships: Mapping[str, Collection[str]],
    coef: Coefficients,
    keep: float,
) -> tuple[tuple[tuple[float, ...], ...], FeatureTable]:
    """accept[i][j] (i accepts the text of j: `coef.probability` of their features; `keep` on the
    diagonal) and the features, for every pair of `codes`.

    Kept in the plain-type cache (loading/cache.py) beside the validated world: keyed by the SHA-256 of
    the alignment files the link reads, the package fingerprint and every input here, stored as raw
    doubles (exact), so a warm start reads about 1 MB instead of computing 38,000 pairs; a miss, or any
    problem with the file, computes the table as before and writes it back.
    """
    from array import array

    from coalesce.loading import cache

    n = len(codes)
    manifest = alignment.manifest
    files = [alignment.directory / manifest.votes.categories[c].file for c in link.categories]  # type: ignore[index]
    files.append(alignment.directory / manifest.igo.file)
    regimes = frozenset(link.regimes)
    identity = json.dumps(
        [
            cache.code_fingerprint(),
            sys.byteorder,
            [_file_digest(f) for f in files],
            list(link.categories),
            list(link.regimes),
            list(codes),
            sorted((k, sorted(v)) for k, v in members.items()),
            [sorted(regimes.intersection(memberships.get(c, ()))) for c in codes],
            [repr(x) for x in (coef.intercept, coef.votes, coef.regimes, coef.igos, keep)],
        ]
    )
    key = hashlib.sha256(identity.encode()).hexdigest()
    size = n * n
    body = cache.load_blob("accept", key)
    if body is not None and len(body) == 4 * 8 * size:
        flat = array("d")
        flat.frombytes(body)
        rows = tuple(tuple(flat[i * n : (i + 1) * n]) for i in range(n))
        votes, shared, igos = flat[size : 2 * size], flat[2 * size : 3 * size], flat[3 * size :]
        return rows, FeatureTable(link, codes, votes, shared, igos)
    features = PairFeatures(alignment, link, members, memberships).grid(codes)
    built = []
    for i in range(n):
        row = []
        for j in range(n):
            row.append(keep if i == j else coef.probability(features.at(i, j)))
        built.append(tuple(row))
    rows = tuple(built)
    flat = array("d", (p for row in rows for p in row))
    flat.extend(features.votes)
    flat.extend(features.regimes)
    flat.extend(features.igos)
    cache.store_blob("accept", key, flat.tobytes())
    return rows, features


# --------------------------------------------------------------------------------------------------
# Fitting: logistic maximum likelihood with slopes >= 0
# --------------------------------------------------------------------------------------------------

RIDGE = 1e-4
"""A tiny L2 penalty on the slopes, for numerical safety only (a perfectly separated feature)."""


def _newton(rows: Sequence[Sequence[float]], ys: Sequence[float], iterations: int = 60) -> list[float] | None:
    """Penalised logistic MLE on the given columns by Newton-Raphson; None if it does not converge."""
    k = len(rows[0])
    beta = [0.0] * k
    for _ in range(iterations):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for r, y in zip(rows, ys, strict=True):
            p = logistic(sum(b * x for b, x in zip(beta, r, strict=True)))
            w = p * (1.0 - p)
            for i in range(k):
                grad[i] += (y - p) * r[i]
                for j in range(i + 1):
                    hess[i][j] += w * r[i] * r[j]
        for i in range(1, k):
            grad[i] -= RIDGE * beta[i]
            hess[i][i] += RIDGE
        for i in range(k):
            for j in range(i + 1, k):
                hess[i][j] = hess[j][i]
        step = solve_linear(hess, grad)
        if step is None:
            return None
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-10:
            return beta
    return beta


def solve_linear(a: list[list[float]], b: list[float]) -> list[float] | None:
    """Solve a x = b by Gauss-Jordan elimination with partial pivoting; None if singular."""
    k = len(b)
    m = [[*row, v] for row, v in zip(a, b, strict=True)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(k):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][k] / m[i][i] for i in range(k)]


def log_likelihood(coef: Coefficients, xs: Sequence[Features], ys: Sequence[bool]) -> float:
    """Bernoulli log-likelihood of the outcomes."""
    total = 0.0
    for x, y in zip(xs, ys, strict=True):
        p = min(1.0 - 1e-15, max(1e-15, coef.probability(x)))
        total += math.log(p) if y else math.log(1.0 - p)
    return total


def fit(xs: Sequence[Features], ys: Sequence[bool]) -> Coefficients:
    """Maximum likelihood with every slope >= 0: each subset of free slopes is fitted, the best
    likelihood among those whose free slopes are all >= 0 is kept (an exact active-set search over
    3 slopes); a fixed slope is 0."""
    if not xs:
        raise ValueError("no observations")
    full = [[1.0, *filled(x)] for x in xs]
    target = [float(y) for y in ys]
    best: tuple[float, Coefficients] | None = None
    for free in product((True, False), repeat=3):
        columns = [0] + [c + 1 for c in range(3) if free[c]]
        if len(columns) == 1:
            # intercept only: the MLE is the logit of the rate (half an observation from 0 and 1, so that
            # a set where nobody, or everybody, signed still has a finite fit)
            n = len(target)
            rate = min(1.0 - 0.5 / n, max(0.5 / n, sum(target) / n))
            solution: list[float] | None = [math.log(rate / (1.0 - rate))]
        else:
            solution = _newton([[r[c] for c in columns] for r in full], target)
        if solution is None:
            continue
        beta = [0.0, 0.0, 0.0, 0.0]
        for c, v in zip(columns, solution, strict=True):
            beta[c] = v
        if any(b < -1e-9 for b in beta[1:]):
            continue
        coef = Coefficients(beta[0], max(0.0, beta[1]), max(0.0, beta[2]), max(0.0, beta[3]))
        ll = log_likelihood(coef, xs, ys)
        if best is None or ll > best[0] + 1e-9:
            best = (ll, coef)
    assert best is not None  # the intercept-only model always has a solution
    return best[1]


# ----------------------------------------------------------------------------------------------------
# without alignment data: the ideal-point fallback, computed on first use
# ----------------------------------------------------------------------------------------------------

_WINDOW = 1e-9
"""Closeness values (z units) this close to the largest one are all evaluated for the ceiling, so a
logistic that rounds a hair above at a slightly smaller argument cannot be missed."""


class IdealPointCloseness(Mapping[tuple[int, int], float]):
    """Minus the ideal-point distance of each pair (i, j), i != j, both with a point, standardised over
    all such pairs: the mapping the acceptance table reads without alignment data.

    The mean and the standard deviation are summed over the pairs in the same order as a full table
    would list them (i, then j), so each value is the same double; the values themselves are computed
    only when asked for. A world of 1,000 actors has 10^6 pairs and a search reads a few thousand."""

    def __init__(self, points: Sequence[float], has: Sequence[bool]) -> None:
        self._points = points
        self._has = has
        known = [(i, a) for i, a in enumerate(points) if has[i]]
        self._known = known
        self._count = len(known) * (len(known) - 1)
        self.mu = 0.0
        self.sd = 1.0
        if self._count:
            mu = sum(-abs(a - b) for i, a in known for j, b in known if i != j) / self._count
            variance = sum((-abs(a - b) - mu) ** 2 for i, a in known for j, b in known if i != j)
            self.mu = mu
            self.sd = math.sqrt(variance / self._count) or 1.0

    def get(self, key: tuple[int, int], default: float | None = None) -> float | None:  # type: ignore[override]
        i, j = key
        n = len(self._points)
        if not (0 <= i < n and 0 <= j < n) or i == j or not (self._has[i] and self._has[j]):
            return default
        return (-abs(self._points[i] - self._points[j]) - self.mu) / self.sd

    def __getitem__(self, key: tuple[int, int]) -> float:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return ((i, j) for i, _ in self._known for j, _ in self._known if i != j)

    def __len__(self) -> int:
        return self._count

    def extremes(self) -> list[float]:
        """Every distinct value within _WINDOW of the largest, of the smallest and of +-CLIP (where a
        non-decreasing or non-increasing function of the clipped value, as the logistic is, can take its
        largest value; the window covers rounding in the logistic), from the sorted points alone: []
        without pairs."""
        if not self._count:
            return []
        unique = sorted({a for _, a in self._known})
        m = len(unique)
        duplicates = m < len(self._known)
        near = 0.0 if duplicates else min(unique[k + 1] - unique[k] for k in range(m - 1))
        far = unique[-1] - unique[0]
        mu, sd = self.mu, self.sd
        # z = (-d - mu) / sd, so d = -z sd - mu: windows of distance around the z values that matter
        margin = 2.0 * _WINDOW * sd
        windows = [(near, near + margin), (far - margin, far)]
        for z in (CLIP, -CLIP):
            d = -z * sd - mu
            if near - margin <= d <= far + margin:
                windows.append((d - margin, d + margin))
        found: set[float] = {0.0} if duplicates else set()
        for low, high in windows:
            for k in range(m):
                start = bisect.bisect_left(unique, unique[k] + low, k + 1)
                for index in range(max(start - 1, k + 1), m):
                    d = unique[index] - unique[k]
                    if d > high:
                        break
                    if d >= low:
                        found.add(d)
        return [(-d - mu) / sd for d in sorted(found)]


_SINGLE_READS = 16
"""Entries of a row computed one by one (the diagonal, a lead's column) before the whole row is."""


class IdealPointRows(Sequence[Sequence[float]]):
    """accept[i][j] without alignment data: `keep` on the diagonal, else `coef.probability` of the
    pair's standardised ideal-point closeness (missing: at the mean), with the other two features
    missing. Entries are computed on first use: a row read whole (iterated) is computed in one pass and
    kept; `ceiling` is the largest entry, found without computing the rows (the probability does not fall
    as closeness rises, since the slope is >= 0, or does not rise, if it were negative: its extremes are
    at the closest and the farthest pairs, and at the clip)."""

    def __init__(self, closeness: IdealPointCloseness, n: int, coef: Coefficients, keep: float) -> None:
        self.closeness = closeness
        self._n = n
        self._coef = coef
        self._keep = keep
        self._missing = coef.probability((None, 0.0, None))
        self._rows: dict[int, _IdealPointRow] = {}
        candidates = [keep]
        if n > 1 and len(closeness) < n * (n - 1):  # some pair has no closeness: read at the mean
            candidates.append(self._missing)
        values = closeness.extremes()
        if values and coef.votes == 0.0:
            values = values[:1]
        elif values and abs(coef.votes) * _WINDOW < 1e-12:  # too flat to trust the window: every pair
            values = [closeness[pair] for pair in closeness]
        candidates.extend(coef.probability((z, 0.0, None)) for z in values)
        self.ceiling = max(candidates)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> Sequence[float]:  # type: ignore[override]  # rows by index only
        if i < 0:
            i += self._n
        row = self._rows.get(i)
        if row is None:
            if not 0 <= i < self._n:
                raise IndexError(i)
            row = self._rows[i] = _IdealPointRow(self, i)
        return row

    def reach(self, pool: Collection[int]) -> list[float]:
        """Per row m, the largest entry over the columns j in `pool`, j != m (0.0 when there is none),
        without computing the rows: the entry is a monotone function of the pair's distance (see the
        class), so only the pool's points nearest to m (or farthest, for a negative slope) and those
        within _WINDOW of them in closeness, or of the clip, can give it; one column per distinct point
        is evaluated, with `entry`. Too flat a slope to trust the window: every column."""
        c, n = self.closeness, self._n
        points, has, sd = c._points, c._has, c.sd
        placed = sorted((points[j], j) for j in pool if has[j])
        unplaced = [j for j in pool if not has[j]]
        if abs(self._coef.votes) * _WINDOW < 1e-12 and self._coef.votes != 0.0:
            return [max((self.entry(m, j) for j in pool if j != m), default=0.0) for m in range(n)]
        # one or two representatives per distinct point (two, so that one is never m itself)
        values: list[float] = []
        holders: list[list[int]] = []
        for value, j in placed:
            if values and values[-1] == value:
                if len(holders[-1]) < 2:
                    holders[-1].append(j)
            else:
                values.append(value)
                holders.append([j])
        margin = 2.0 * _WINDOW * sd
        out = []
        for m in range(n):
            best = 0.0
            if any(j != m for j in unplaced) or (not has[m] and any(j != m for _, j in placed)):
                best = self._missing
            if has[m] and values:
                best = max(best, self._reach_placed(m, values, holders, margin))
            out.append(best)
        return out

    def _reach_placed(self, m: int, values: list[float], holders: list[list[int]], margin: float) -> float:
        """The largest entry of row m over the pool's placed columns (m has a point): the distinct
        points in sorted order, scanned outward from m's place (or inward from the ends, for a negative
        slope) while they can still give the largest entry."""
        a, mu, sd = self.closeness._points[m], self.closeness.mu, self.closeness.sd
        count = len(values)
        here = bisect.bisect_left(values, a)
        own = here if here < count and holders[here] == [m] else -1  # m's point, held by m alone

        def column(k: int) -> int:
            return next(j for j in holders[k] if j != m)

        if self._coef.votes >= 0.0:
            left = range(here - 1, -1, -1)
            right = range(here + 1 if own == here else here, count)
            firsts = [abs(a - values[side[0]]) for side in (left, right) if side]
            if not firsts:
                return 0.0
            if self._coef.votes == 0.0:  # every pair's entry is the same double
                return self.entry(m, column((left or right)[0]))
            z_best = min(CLIP, (-min(firsts) - mu) / sd)
            limit = -(z_best - _WINDOW) * sd - mu + margin
            chosen = []
            for side in (left, right):
                for k in side:
                    if abs(a - values[k]) > limit:
                        break
                    chosen.append(k)
        else:
            ends = [k for k in (0, count - 1) if k != own]
            if not ends:
                ends = [k for k in range(count) if k != own][:1]
                if not ends:
                    return 0.0
            z_best = max(-CLIP, (-max(abs(a - values[k]) for k in ends) - mu) / sd)
            limit = -(z_best + _WINDOW) * sd - mu - margin
            chosen = [k for k in range(count) if k != own and abs(a - values[k]) >= limit]
        return max(self.entry(m, column(k)) for k in chosen)

    def entry(self, i: int, j: int) -> float:
        """accept[i][j], computed."""
        if i == j:
            return self._keep
        z = self.closeness.get((i, j))
        return self._missing if z is None else self._coef.probability((z, 0.0, None))

    def whole_row(self, i: int) -> tuple[float, ...]:
        """Row i in one pass: `entry` for every j, with the per-pair calls folded into one loop (the same
        arithmetic as Coefficients.probability of (z, 0.0, None); the tests compare every entry)."""
        c = self.closeness
        points, has, mu, sd = c._points, c._has, c.mu, c.sd
        if not has[i] or not c._count:
            return tuple(self._keep if j == i else self._missing for j in range(self._n))
        coef, a, keep, missing = self._coef, points[i], self._keep, self._missing
        intercept, slope = coef.intercept, coef.votes
        regimes, igos = coef.regimes * 0.0, coef.igos * 0.0  # both features read at 0, as `filled` does
        out = []
        for j in range(self._n):
            if j == i:
                out.append(keep)
            elif not has[j]:
                out.append(missing)
            else:
                z = (-abs(a - points[j]) - mu) / sd
                votes = -CLIP if z < -CLIP else (CLIP if z > CLIP else z)
                eta = intercept + slope * votes + regimes + igos
                if eta >= 0:
                    out.append(1.0 / (1.0 + math.exp(-eta)))
                else:
                    e = math.exp(eta)
                    out.append(e / (1.0 + e))
        return tuple(out)


class _IdealPointRow(Sequence[float]):
    """One row of IdealPointRows: an entry computed when read, the whole row when iterated."""

    __slots__ = ("_i", "_reads", "_table", "_whole")

    def __init__(self, table: IdealPointRows, i: int) -> None:
        self._table, self._i = table, i
        self._whole: tuple[float, ...] | None = None
        self._reads = 0

    def __len__(self) -> int:
        return len(self._table)

    @overload
    def __getitem__(self, j: int) -> float: ...
    @overload
    def __getitem__(self, j: slice) -> Sequence[float]: ...
    def __getitem__(self, j: int | slice) -> float | Sequence[float]:
        whole = self._whole
        if whole is not None:
            return whole[j]
        if isinstance(j, slice):
            return self.whole()[j]
        n = len(self._table)
        if j < 0:
            j += n
        if not 0 <= j < n:
            raise IndexError(j)
        self._reads += 1
        if self._reads > _SINGLE_READS:  # read across: the whole row in one pass is cheaper
            return self.whole()[j]
        return self._table.entry(self._i, j)

    def __iter__(self) -> Iterator[float]:
        return iter(self.whole())

    def whole(self) -> tuple[float, ...]:
        """The row as a tuple (computed once)."""
        if self._whole is None:
            self._whole = self._table.whole_row(self._i)
        return self._whole

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _IdealPointRow):
            return self.whole() == other.whole()
        if isinstance(other, tuple):
            return self.whole() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
