"""`--format csv`: listings and batch scores through the standard csv module, raw values, missing empty."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import TINY

from coalesce.cli import _run
from coalesce.errors import UsageError
from coalesce.models.browse import Listing
from coalesce.render import csvfmt


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = _run(args, False)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_values_stay_raw_and_missing_stays_empty() -> None:
    listing = Listing(
        command="actors",
        title="t",
        columns=["code", "gdp", "member", "groups", "ideal"],
        rows=[
            {"code": "USA", "gdp": 27361.4, "member": True, "groups": ["G7", "G20"], "ideal": None},
            {"code": 'A,"B"', "gdp": 0.00005, "member": False, "groups": [], "ideal": -1.5},
        ],
    )
    rows = list(csv.reader(io.StringIO(csvfmt.render(listing))))
    assert rows == [
        ["code", "gdp", "member", "groups", "ideal"],
        ["USA", "27361.4", "true", "G7; G20", ""],  # never 27,361; a missing figure is empty, not 0
        ['A,"B"', "5e-05", "false", "", "-1.5"],  # quoting is the csv module's
    ]


def test_a_result_without_rows_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--format csv: `propose` prints no listing"):
        csvfmt.render(type("R", (), {"command": "propose"})())


LISTINGS = {
    "issues": ["issues", "--data", str(TINY)],
    "actors": ["actors", "--data", str(TINY)],
    "actors-domain": ["actors", "--domain", "chips", "--data", str(TINY)],
    "sources": ["sources", "--data", str(TINY)],
    "scenarios": ["scenarios"],
}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listings_in_csv(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, err = _cli([*LISTINGS[name], "--format", "csv"], capsys)
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    code, out, _ = _cli([*LISTINGS[name], "--format", "json"], capsys)
    document = json.loads(out)
    assert table[0] == document["columns"]
    assert len(table) == 1 + len(document["rows"])
    first = document["columns"][0]
    assert [row[0] for row in table[1:]] == [str(r[first]) for r in document["rows"]]


def test_issues_csv_matches_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = _cli(["issues", "--data", str(TINY), "--format", "csv"], capsys)
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    code, out, _ = _cli(["issues", "--data", str(TINY), "--format", "json"], capsys)
    document = json.loads(out)
    assert [r["id"] for r in table] == [r["id"] for r in document["rows"]]
    assert list(table[0]) == document["columns"]
    assert float(table[0]["target"]) == document["rows"][0]["target"]


def test_batch_scores_in_csv(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    batch = Path(str(tmp_path)) / "groupings.txt"
    batch.write_text("USA,NOR\nNOR,NLD\n", encoding="utf-8")
    code, out, err = _cli(
        ["score", "chips", "--batch", str(batch), "--data", str(TINY), "--format", "csv"], capsys
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["line"] for r in rows] == ["1", "2"]
    assert 0 < float(rows[0]["score"]) <= 1


def test_csv_for_a_memo_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["propose", "chips", "--data", str(TINY), "--format", "csv"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("coalesce: --format csv:")
