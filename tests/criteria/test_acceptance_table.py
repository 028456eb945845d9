"""The acceptance table (acceptance.pair_table): built in one pass and kept in the plain-type cache, it
gives exactly what the pair-by-pair definition (PairFeatures.of, Coefficients.probability) gives, from a
cold build, from the cache, and after a corrupt cache file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coalesce.acceptance import PairFeatures, link_of, pair_table
from coalesce.criteria import veto
from coalesce.loading import cache
from coalesce.loading.files import load_dataset
from coalesce.problem import compile as compile_problem
from coalesce.request import build_request

# digital-trade reads several vote categories and regimes and seats the EU; imf-quota-reform has no regime
ISSUES = ("digital-trade", "imf-quota-reform")


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of our own, with the cache on."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    return tmp_path / "xdg" / "coalesce"


def _inputs(issue_id: str) -> tuple[object, ...]:
    ds = load_dataset()
    ctx = compile_problem(ds, build_request(ds, issue_id, max_size=10)).context
    data = ctx.alignment_data
    assert data is not None
    link = link_of(data, issue_id=issue_id)
    members = {a.code: sorted(a.members) for a in ctx.actors if a.kind == "bloc"}
    memberships = {a.code: frozenset(a.memberships) for a in ctx.actors}
    coef = veto.CRITERION.params(ctx).coefficients()
    return data, link, ctx.codes, members, memberships, coef, 1.0 - ctx.params.baseline_defection


@pytest.mark.parametrize("issue_id", ISSUES)
def test_the_table_is_the_pairwise_definition_cold_and_warm(issue_id: str, cache_home: Path) -> None:
    data, link, codes, members, memberships, coef, keep = _inputs(issue_id)
    assert isinstance(codes, tuple)
    reference = PairFeatures(data, link, members, memberships)  # type: ignore[arg-type]
    cold_rows, cold = pair_table(data, link, codes, members, memberships, coef, keep)  # type: ignore[arg-type]
    assert list(cache_home.glob("accept-*.bin")), "the cold build writes the table"
    warm_rows, warm = pair_table(data, link, codes, members, memberships, coef, keep)  # type: ignore[arg-type]
    assert warm_rows == cold_rows
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            x = reference.of(a, b)
            assert cold.of(a, b) == x and warm.of(a, b) == x, (a, b)
            # the same bits: == would let -0.0 pass for 0.0
            assert [repr(v) for v in warm.of(a, b)] == [repr(v) for v in x]
            expected = keep if i == j else coef.probability(x)  # type: ignore[attr-defined]
            assert cold_rows[i][j] == expected and warm_rows[i][j] == expected
    assert any(v is None for a in codes for v in cold.of(a, "USA")), "missing figures stay missing"


def test_a_corrupt_or_foreign_table_file_is_recomputed(cache_home: Path) -> None:
    data, link, codes, members, memberships, coef, keep = _inputs("digital-trade")
    rows, _ = pair_table(data, link, codes, members, memberships, coef, keep)  # type: ignore[arg-type]
    (path,) = cache_home.glob("accept-*.bin")
    raw = path.read_bytes()
    path.write_bytes(raw[:-8] + b"\x00" * 8)  # the checksum no longer holds
    again, _ = pair_table(data, link, codes, members, memberships, coef, keep)  # type: ignore[arg-type]
    assert again == rows
    other = replace(coef, intercept=coef.intercept + 0.5)  # type: ignore[type-var]
    shifted, _ = pair_table(data, link, codes, members, memberships, other, keep)  # type: ignore[arg-type]
    assert shifted != rows, "other coefficients are another key, never the stored table"
    assert len(list(cache_home.glob("accept-*.bin"))) == 2


def test_an_unwritable_cache_directory_only_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    data, link, codes, members, memberships, coef, keep = _inputs("digital-trade")
    rows, features = pair_table(data, link, codes, members, memberships, coef, keep)  # type: ignore[arg-type]
    assert len(rows) == len(codes) and features.codes == codes
