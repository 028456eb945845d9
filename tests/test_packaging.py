"""The wheel: its distribution name, and the example scenarios inside it, usable by name from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from coalesce.shipped import shipped_scenarios

SHIPPED = sorted(p.stem for p in (ROOT / "examples" / "scenarios").glob("*.yaml"))


def test_the_distribution_is_not_named_coalesce() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "coalesce-minilateral"  # `coalesce` on PyPI is an unrelated library
    assert project["scripts"] == {"coalesce": "coalesce.cli:main"}


def test_the_checkout_lists_every_example_scenario() -> None:
    assert list(shipped_scenarios()) == SHIPPED
    code, out, err = run_cli("scenarios", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [r["name"] for r in rows] == SHIPPED
    walks = next(r for r in rows if r["name"] == "china-walks-out")
    assert walks["changes"] == ["exclude"] and "China" in walks["description"]  # an array


def test_a_scenario_by_name_equals_it_by_path() -> None:
    by_name = run_cli(
        "propose", "ai-governance", "--scenario", "china-walks-out", "--top", "2", "--format", "json"
    )
    by_path = run_cli(
        "propose",
        "ai-governance",
        "--scenario",
        "examples/scenarios/china-walks-out.yaml",
        "--top",
        "2",
        "--format",
        "json",
    )
    assert by_name[0] == 0 and by_name == by_path
    assert json.loads(by_name[1])["parameters"]["exclude"] == ["CHN"]


def test_a_name_that_is_neither_is_a_usage_error_with_did_you_mean() -> None:
    code, out, err = run_cli("propose", "ai-governance", "--scenario", "china-walk-out")
    assert code == 2 and out == ""
    assert "did you mean china-walks-out?" in err
    assert err.count("\n") == 1


@pytest.mark.skipif(os.environ.get("COALESCE_SKIP_WHEEL") == "1", reason="COALESCE_SKIP_WHEEL=1")
def test_the_wheel_ships_the_scenarios_and_they_work_outside_the_checkout(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert wheel.name.startswith("coalesce_minilateral-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    assert sorted(Path(n).stem for n in names if n.startswith("coalesce/examples/scenarios/")) == SHIPPED
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(tmp_path / "site"), COLUMNS="100", NO_COLOR="1")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "coalesce",
            "propose",
            "ai-governance",
            "--scenario",
            "china-walks-out",
            "--format",
            "json",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["parameters"]["exclude"] == ["CHN"]
    listed = subprocess.run(
        [sys.executable, "-c", "import coalesce.shipped as s; print(s.scenario_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert Path(listed.stdout.strip()).is_relative_to(tmp_path / "site"), listed.stdout + listed.stderr
