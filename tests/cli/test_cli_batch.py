"""`score --batch`: the good lines are scored, every bad line is reported, exit 65 (README)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA, run


def _batch(tmp_path: Path, text: str) -> str:
    path = tmp_path / "groupings.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_good_lines_are_scored_and_bad_lines_reported(tmp_path: Path) -> None:
    path = _batch(tmp_path, "USA,CHN\n# a comment\nUSA,Atlantis\nNOR,GBR\nZZZ\n")
    outcome = run("score", "ai-governance", "--batch", path, "--format", "json", "--data", str(DATA))
    assert outcome.code == 65  # some line was bad
    rows = json.loads(outcome.out)["rows"]
    assert sorted(r["line"] for r in rows) == [1, 4]
    assert all(isinstance(r["members"], list) for r in rows)  # arrays stay arrays
    assert {tuple(r["members"]) for r in rows} == {("CHN", "USA"), ("GBR", "NOR")}
    problems = outcome.err.splitlines()
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}:3:1", f"{path}:5:1"]
    assert "Atlantis" in problems[0]


def test_a_clean_batch_exits_0(tmp_path: Path) -> None:
    path = _batch(tmp_path, "USA,CHN\nNOR,GBR\n")
    outcome = run("score", "ai-governance", "--batch", path, "--format", "json", "--data", str(DATA))
    assert outcome.code == 0 and outcome.err == ""
    assert len(json.loads(outcome.out)["rows"]) == 2


def test_an_all_bad_batch_prints_nothing_on_stdout(tmp_path: Path) -> None:
    path = _batch(tmp_path, "Atlantis\nZZZ,YYY\n")
    outcome = run("score", "ai-governance", "--batch", path, "--data", str(DATA))
    assert outcome.code == 65 and outcome.out == ""
    assert len(outcome.err.splitlines()) == 2


def test_a_missing_batch_file_is_a_usage_error(tmp_path: Path) -> None:
    outcome = run("score", "ai-governance", "--batch", str(tmp_path / "missing.txt"), "--data", str(DATA))
    assert outcome.code == 2 and outcome.out == ""
    assert "no such file" in outcome.err


def test_listings_keep_arrays_and_numbers() -> None:
    actors = json.loads(run("actors", "--format", "json", "--data", str(DATA)).out)
    norway = next(r for r in actors["rows"] if r["code"] == "NOR")
    assert isinstance(norway["memberships"], list) and norway["memberships"]
    issues = json.loads(run("issues", "--format", "json", "--data", str(DATA)).out)
    first = issues["rows"][0]
    assert isinstance(first["min_size"], int) and isinstance(first["max_size"], int)
    assert "sizes" not in first
    holders = json.loads(
        run("actors", "--domain", "chip-equipment", "--format", "json", "--data", str(DATA)).out
    )
    assert all(isinstance(r["flags"], list) for r in holders["rows"])
    scenarios = json.loads(run("scenarios", "--format", "json").out)
    assert all(isinstance(r["changes"], list) for r in scenarios["rows"])
    table = run("actors", "--data", str(DATA), env={"COLUMNS": "200"}).out
    assert "['" not in table  # a table shows an array comma-separated, not as a Python list
