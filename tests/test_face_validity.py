"""docs/face-validity.yaml: one real analogue per shipped issue, each sourced and made of real actors."""

from __future__ import annotations

from pathlib import Path

import yaml

import coalesce

ROOT = Path(__file__).resolve().parents[1]


def test_every_shipped_issue_has_one_sourced_analogue_of_known_actors() -> None:
    analogues = yaml.safe_load((ROOT / "docs" / "face-validity.yaml").read_text(encoding="utf-8"))[
        "analogues"
    ]
    world = coalesce.load_world()
    shipped = set(world.issues)
    assert sorted(entry["issue"] for entry in analogues) == sorted(shipped)
    codes = {actor.code for actor in world.world.actors}
    for entry in analogues:
        assert set(entry["members"]) <= codes, entry["issue"]
        assert entry["convener"] in codes, entry["issue"]
        assert "http" in entry["source"] or entry.get("backtest_case"), entry["issue"]
        assert len(entry["why_before"].split()) >= 20, entry["issue"]


def test_the_generated_table_has_a_row_per_analogue() -> None:
    analogues = yaml.safe_load((ROOT / "docs" / "face-validity.yaml").read_text(encoding="utf-8"))[
        "analogues"
    ]
    table = (ROOT / "docs" / "face-validity.md").read_text(encoding="utf-8")
    for entry in analogues:
        assert f"| {entry['issue']} |" in table and f"### {entry['issue']}" in table
