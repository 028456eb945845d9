"""Looks (issue 17): ids whole, a stacked layout for narrow terminals, numbers in one style, a readable
`show` card, the provenance footer on compare. All in-process."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, TINY

import coalesce
from coalesce.cli import _run
from coalesce.models.browse import Listing
from coalesce.render import numbers, table
from coalesce.render.layouts.browse import listing

SCENARIO = ROOT / "examples" / "scenarios" / "china-walks-out.yaml"
BOXES = re.compile("[┏┃│┗└]")


def _cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int = 100
) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    code = _run(args, False)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.mark.parametrize("width", [40, 60, 80, 100, 140])
def test_issue_ids_are_never_wrapped_or_cut(
    width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _cli(["issues"], capsys, monkeypatch, width)
    ids = [issue for issue in coalesce.load_world().issues]
    assert "anti-money-laundering" in ids
    for issue in ids:
        assert re.search(rf"(^|[\s│]){re.escape(issue)}($|[\s│])", out, re.M), f"{issue} cut at {width}"
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= width


@pytest.mark.parametrize("width", [60, 100])
def test_case_ids_whole_in_a_wide_table(width: int) -> None:
    """A table whose ids and numbers cannot all fit is stacked rather than cut (backtest ids were cut to
    `christchurch…`)."""
    columns = ["case", *(f"metric {i}" for i in range(10))]
    rows = [{"case": "christchurch-call-2019", **{f"metric {i}": 0.25 for i in range(10)}}]
    out = table.draw(
        listing(Listing(command="backtest", title="t", columns=columns, rows=rows)), False, width
    )
    assert "christchurch-call-2019" in out and "…" not in out
    assert max(len(line) for line in out.splitlines()) <= width


def test_narrow_terminals_get_a_stacked_layout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    narrow = _cli(["propose", "chips", "--data", str(TINY)], capsys, monkeypatch, 60)
    wide = _cli(["propose", "chips", "--data", str(TINY)], capsys, monkeypatch, 100)
    assert BOXES.search(wide) and not BOXES.search(narrow)
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert "  score: 0.854" in narrow and "  members: EU, NOR, USA" in narrow  # one record per row
    assert "  reason: Holds 62% of weighted world capability" in narrow


def test_numbers_in_one_style() -> None:
    assert numbers.cell(27361.4) == "27,361" and numbers.cell(27361) == "27,361"
    assert numbers.cell(2024) == "2024"  # a year keeps its digits together
    assert numbers.cell(0.00005) == "0.00005" and "e" not in numbers.cell(1.234e-7)
    assert numbers.cell(True) == "yes" and numbers.cell(False) == "no"
    assert numbers.cell(None) == "-"  # missing stays missing
    assert numbers.share(0.46) == "46.0%" and numbers.share(0.00023) == "0.023%"


def test_listing_numbers_right_aligned_and_percentages_where_propose_uses_them() -> None:
    result = Listing(
        command="score",
        title="t",
        columns=["line", "members", "gdp", "coverage", "member"],
        rows=[
            {"line": 1, "members": "NOR,USA", "gdp": 27361.4, "coverage": 0.46, "member": True},
            {"line": 12, "members": "NLD", "gdp": 5.5, "coverage": None, "member": False},
        ],
    )
    out = table.draw(listing(result), False, 100)
    assert "27,361" in out and "2.736e+04" not in out
    assert "46.0%" in out and "yes" in out and "True" not in out
    first, second = (line for line in out.splitlines() if "NOR,USA" in line or "NLD" in line)
    assert first.index("27,361") + len("27,361") == second.index("5.5") + len("5.5")  # right-aligned


def test_show_norway_is_a_readable_card(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _cli(["show", "Norway"], capsys, monkeypatch)
    assert out.startswith("actor NOR: Norway\n")
    assert '"code"' not in out and "{" not in out  # not a JSON dump
    assert "memberships: " in out and "NATO" in out
    assert "un_member: yes" in out
    assert "capabilities" in out and "economy" in out
    assert "Sources" in out


def test_compare_ends_with_its_provenance(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for fmt in ("table", "markdown"):
        out = _cli(
            ["compare", "chips", "--scenario", str(SCENARIO), "--data", str(TINY), "--format", fmt],
            capsys,
            monkeypatch,
        )
        assert "Provenance" in out and "china-walks-out" in out.split("Provenance")[1]
        assert f"coalesce {coalesce.__version__}" in out and "data version" in out


def test_stacked_records_keep_every_cell() -> None:
    columns = ["code", "name", "note", "share"]
    rows = [{"code": "NOR", "name": "Norway", "note": "a long note " * 8, "share": 0.25}]
    out = table.draw(listing(Listing(command="actors", title="t", columns=columns, rows=rows)), False, 40)
    assert out.splitlines()[1] == "code: NOR"
    assert "  name: Norway" in out and "  share: 25.0%" in out
    assert " ".join(out.split()).count("a long note") == 8
