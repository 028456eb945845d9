"""Every text backend draws every fact of every layout.

Each result type has one layout (render/layouts/) that builds a neutral document; the backends (table,
markdown, html) only draw it. These tests build real results of the tiny world in-process, collect every
fact the document states (headings, sentences, field keys and values, table cells, figure labels and
values) and look for each in every backend's output, whitespace folded: the table backend both wide
and narrow (stacked records).

The back-test is a stored result (tests/render/data/backtest-small.json). The four drifts measured in issue 12 are pinned by name: frontier's "not certified", compare's rank
changes, power's one order of exact and rounded values, robustness's concentration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, TINY

import coalesce
from coalesce.browse import list_actors, list_issues, list_scenarios, list_sources, show
from coalesce.loading.files import Dataset
from coalesce.models.browse import ValidationReport
from coalesce.render import Format, html, markdown, numbers, table
from coalesce.render.document import (
    Bullets,
    Document,
    Fields,
    Figure,
    Heading,
    Note,
    Paragraph,
    Table,
)
from coalesce.render.output import document, render

WIDTH = 1000
"""Wide enough that no cell wraps (a wrapped cell would interleave with its neighbours' lines)."""
NARROW = 60
"""Narrow enough that every table is drawn as stacked records."""
SCENARIO = Path(ROOT / "examples" / "scenarios" / "china-walks-out.yaml")


def facts(doc: Document) -> list[str]:
    """Every piece of text the document states."""
    out: list[str] = []
    for block in (*doc.blocks, *doc.footer):
        if isinstance(block, Heading | Paragraph | Note):
            out.append(block.text)
        elif isinstance(block, Fields):
            for key, value in block.items:
                out += [key, numbers.cell(value)]
        elif isinstance(block, Bullets):
            out += block.items
        elif isinstance(block, Table):
            out += [block.title, *(c.header for c in block.columns)]
            out += [numbers.cell(v) for row in block.rows for v in row]
        elif isinstance(block, Figure):
            out += [block.title, *block.labels, block.mark_text]
            for series in block.series:
                out += [series.name, *series.texts]
    return [fact for fact in out if fact.strip()]


def _fold(text: str) -> str:
    return " ".join(text.split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.skip = False
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    """The text a reader sees (entities decoded), tags as spaces."""
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def drawn(doc: Document) -> dict[str, str]:
    """The document in each text backend, folded for searching."""
    return {
        "table": _fold(re.sub("[│┃]", " ", table.draw(doc, False, WIDTH))),
        "table, stacked": _fold(table.draw(doc, False, NARROW)),
        "markdown": _fold(markdown.draw(doc).replace("\\|", "|").replace("**", "")),
        "html": _fold(html_text(html.draw(doc))),
    }


def assert_every_backend_carries(doc: Document, *extra: str) -> None:
    stated = facts(doc)
    assert stated, "nothing to compare"
    for backend, text in drawn(doc).items():
        missing = [fact for fact in [*stated, *extra] if _fold(fact) not in text]
        assert not missing, f"{backend} drops {missing[:5]}"


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    return coalesce.load_world(TINY)


BACKTEST = Path(__file__).parent / "data" / "backtest-small.json"
"""Three cases and two failures of a real `coalesce backtest --format json` run on the shipped data
(a full run takes a minute; tests/test_backtest.py runs it)."""


def _backtest(world: Dataset) -> Any:
    from coalesce.models.backtest import BacktestResult

    return BacktestResult.model_validate_json(BACKTEST.read_text(encoding="utf-8"))


RESULTS: dict[str, Callable[[Dataset], Any]] = {
    "backtest": _backtest,
    "propose": lambda w: coalesce.propose(w, "chips"),
    "score": lambda w: coalesce.score(w, "chips", ["USA", "NOR", "NLD"]),
    "frontier": lambda w: coalesce.frontier(w, "chips"),
    "power": lambda w: coalesce.power(w, "chips", ["USA", "NOR", "NLD"]),
    "compare": lambda w: coalesce.compare(w, "chips", [SCENARIO]),
    "robustness": lambda w: coalesce.robustness(w, "chips", draws=20, seed=3, workers=1),
    "sweep": lambda w: coalesce.sweep(w, "chips", "weights.veto=0..3", steps=4),
    "issues": list_issues,
    "actors": list_actors,
    "actors-domain": lambda w: list_actors(w, "chips"),
    "sources": list_sources,
    "scenarios": lambda w: list_scenarios(),
    "show-actor": lambda w: show(w, "Norway"),
    "show-issue": lambda w: show(w, "chips"),
    "validate": lambda w: ValidationReport(ok=True, checked=["states.yaml"], problems=[], counts={"a": 1}),
}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_every_layout_is_drawn_whole_by_every_backend(name: str, tiny: Dataset) -> None:
    assert_every_backend_carries(document(RESULTS[name](tiny)))


def test_the_provenance_footer_is_drawn_whole(tiny: Dataset) -> None:
    from coalesce.render import provenance

    result = coalesce.propose(tiny, "chips", top=1)
    doc = document(result, provenance.build(tiny, result, date="2026-12-01", weight_overrides={"veto": 2}))
    assert "2026-12-01" in facts(doc) and "veto=2" in facts(doc)
    assert_every_backend_carries(doc)


def test_frontier_not_certified(tiny: Dataset) -> None:
    result = coalesce.frontier(tiny, "chips")
    assert not any("not certified" in f for f in facts(document(result)))
    uncertified = result.model_copy(update={"search": result.search.model_copy(update={"exact": False})})
    doc = document(uncertified)
    assert any("not certified" in f for f in facts(doc))
    assert_every_backend_carries(doc, "not certified")


def test_compare_rank_changes(tiny: Dataset) -> None:
    doc = document(coalesce.compare(tiny, "chips", [SCENARIO]))
    moved = [v for f in doc.blocks if isinstance(f, Fields) for k, v in f.items if k == "Rank changes"]
    assert moved and "#1 -> #2" in str(moved[0])
    assert_every_backend_carries(doc, "Rank changes", "#1 -> #2")


def test_power_values_in_one_order(tiny: Dataset) -> None:
    result = coalesce.power(tiny, "chips", ["USA", "NOR", "NLD"])
    exact_after_rounded = [f"{m.shapley_shubik:.4f} ({m.shapley_shubik_exact})" for m in result.members]
    exact_after_rounded += [f"{m.coleman_prevent:.4f} ({m.coleman_prevent_exact})" for m in result.members]
    assert_every_backend_carries(document(result), *exact_after_rounded)


def test_robustness_concentration(tiny: Dataset) -> None:
    doc = document(coalesce.robustness(tiny, "chips", draws=20, seed=3, concentration=25, workers=1))
    assert_every_backend_carries(doc, "Dirichlet concentration 25")


def test_a_fact_dropped_by_a_backend_is_caught(tiny: Dataset) -> None:
    """The check itself can fail: a document with a fact the markdown never shows."""
    doc = document(coalesce.power(tiny, "chips", ["USA", "NOR"]))
    texts = drawn(doc)
    assert _fold("Power of the collectivity to act") in texts["markdown"]
    broken = Document((*doc.blocks, Paragraph("a sentence only the test knows")))
    with pytest.raises(AssertionError, match="drops"):
        stated = facts(broken)
        for backend, text in {**drawn(broken), "markdown": texts["markdown"]}.items():
            missing = [fact for fact in stated if _fold(fact) not in text]
            assert not missing, f"{backend} drops {missing[:5]}"


def test_render_dispatches_every_format(tiny: Dataset) -> None:
    result = coalesce.score(tiny, "chips", ["USA", "NOR"])
    assert render(result, Format.json).startswith("{")
    assert render(result, Format.markdown).startswith("# Chip controls (chips)")
    assert render(result, Format.html).startswith("<!DOCTYPE html>")
    assert "Chip controls (chips)" in render(result, Format.table, width=100)
