"""`--format html` on every command: a page that says its tool version and its date (issue 17)."""

from __future__ import annotations

import re

import pytest
from conftest import run
from test_cli_schemas import RUNS

import coalesce

DATED = {"propose", "score"}
"""Commands with --date: the page carries the date given; the others carry 'data as of' the data."""


def _footer(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.split("<footer>", 1)[1]).split())


@pytest.mark.parametrize("command", sorted(RUNS))
def test_every_html_page_says_its_version_and_date(command: str) -> None:
    extra = ["--date", "2026-12-01"] if command in DATED else []
    outcome = run(*RUNS[command], *extra, "--format", "html")
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("<!DOCTYPE html>") and outcome.out.rstrip().endswith("</html>")
    footer = _footer(outcome.out)
    assert f"Tool coalesce {coalesce.__version__}; data version: " in footer, footer
    date = "2026-12-01" if command in DATED else "data as of 20"
    assert f"Date {date}" in footer, footer


def test_a_page_without_cited_figures_has_no_empty_sources_section() -> None:
    page = run(*RUNS["power"], "--format", "html").out
    assert "Provenance" in page and "Sources" not in _footer(page)
    assert "Sources" in _footer(run(*RUNS["propose"], "--format", "html").out)


def test_power_sweep_and_backtest_memos_name_the_scenario_that_produced_them() -> None:
    for command in ("power", "sweep"):
        args = [*RUNS[command], "--scenario", "china-walks-out"]
        for fmt in ("table", "markdown"):
            outcome = run(*args, "--format", fmt)
            assert outcome.code == 0, outcome.err
            assert "china-walks-out" in outcome.out.split("Provenance", 1)[1], (command, fmt)


@pytest.mark.parametrize("document", ["propose", "list"])
def test_the_schema_page_says_its_version_and_date(document: str) -> None:
    outcome = run("schema", document, "--format", "html")
    assert outcome.code == 0, outcome.err
    footer = _footer(outcome.out)
    assert f"Tool coalesce {coalesce.__version__}" in footer and "Date data as of 20" in footer, footer
