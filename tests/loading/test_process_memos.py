"""Per-process memos never hand one world's derived tables to another (SPEC determinism: the same request
gives the same output in a fresh process and in a long-lived one, such as the test run or an API user's).

The acceptance table (criteria/veto.py) and the convener model's agreement matrix (architecture.py) are
remembered per alignment data. Keyed by `id()` alone, a memo outlives the object it was computed from:
once that object is freed, CPython hands its address to the next one, and a world whose vote files
differ would read the first world's table. Here every id is made to collide, which is what recycling
does at random, and the second world must still get its own tables."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from coalesce import architecture, problem
from coalesce.criteria import veto
from coalesce.loading.files import load_dataset
from coalesce.request import build_request

ISSUE = "chip-supply-resilience"


def _context(data: Path):  # type: ignore[no-untyped-def]
    dataset = load_dataset(data)
    return problem.compile(dataset, build_request(dataset, ISSUE)).context


def _plain(rows: object) -> list[list[str]]:
    """A matrix with NaN (a missing agreement) compared as equal to NaN."""
    return [[repr(v) for v in row] for row in rows]  # type: ignore[attr-defined]


def test_another_worlds_vote_files_never_reuse_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(DATA, first, ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(first, second)
    for votes in (second / "alignment").glob("votes-*.csv"):  # other agreement figures, same shape
        votes.write_text(re.sub(r",0\.9", ",0.7", votes.read_text(encoding="utf-8")), encoding="utf-8")
    for module in (veto, architecture):  # every object gets the same id, as a recycled address does
        monkeypatch.setattr(module, "id", lambda _obj: 0, raising=False)
    a = _context(first)
    table_a, agreement_a = veto.table(a), a.convener_model.agreement
    b = _context(second)
    table_b, agreement_b = veto.table(b), b.convener_model.agreement
    monkeypatch.setattr(veto, "_TABLES", {})
    monkeypatch.setattr(architecture, "_AGREEMENT_CACHE", {})
    fresh = _context(second)
    assert table_b.accept == veto.table(fresh).accept != table_a.accept
    assert _plain(agreement_b) == _plain(fresh.convener_model.agreement) != _plain(agreement_a)


def test_a_draw_reads_the_same_convener_model_as_a_fresh_compile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A robustness draw reuses the static part of the convener compile (the rivalry palatability and
    the pool, architecture._static_part); what it gets is what compiling that draw afresh gives."""
    from coalesce.analysis import robustness
    from coalesce.compiled import unit_uncertainty

    dataset = load_dataset(DATA)
    ctx = problem.compile(dataset, build_request(dataset, "ai-governance")).context
    assert ctx.rivalries  # so the palatability per rivalry is exercised
    draw = robustness._draw(ctx, unit_uncertainty(ctx), 1, 3, robustness.DEFAULT_CONCENTRATION)
    reused = (draw.convener_model, draw.convener_pool, draw.pool_order, draw.track_conveners)
    monkeypatch.setattr(architecture, "_STATIC", {})
    architecture.compile_conveners(draw, ctx.alignment_data)
    assert reused[1:] == (draw.convener_pool, draw.pool_order, draw.track_conveners)
    assert reused[0].palatability == draw.convener_model.palatability
    assert reused[0].rivalry_palatability == draw.convener_model.rivalry_palatability
    assert reused[0].capacity == draw.convener_model.capacity
