"""conftest.run_cli, the in-process runner most CLI tests use: it must give what a process gives and
leave the test process as it found it. (That its output equals a real process's is checked in
test_real_process.py.)"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from conftest import ROOT, TINY, run_cli

import coalesce


def test_exit_codes_and_streams() -> None:
    assert run_cli("--version") == (0, f"coalesce {coalesce.__version__}\n", "")
    code, out, err = run_cli("propose", "chipz", "--data", str(TINY))
    assert (code, out) == (2, "")
    assert err.startswith("coalesce: unknown issue 'chipz'") and err.count("\n") == 1


def test_the_process_is_left_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COALESCE_TEST_MARKER", "kept")
    before_env, before_handler = dict(os.environ), signal.getsignal(signal.SIGINT)
    code, out, err = run_cli(
        "-o", str(tmp_path / "brief.md"), "issues", "--data", str(TINY), env={"COALESCE_TEST_MARKER": None}
    )
    assert code == 0, err
    assert out == "" and (tmp_path / "brief.md").read_text(encoding="utf-8").strip()
    assert Path.cwd() == tmp_path
    assert dict(os.environ) == before_env
    assert signal.getsignal(signal.SIGINT) is before_handler
    # the global -o of the last run does not leak into the next one
    code, out, err = run_cli("issues", "--data", str(TINY), "--format", "json")
    assert code == 0, err
    assert [row["id"] for row in json.loads(out)["rows"]] == ["chips"]


def test_the_command_runs_from_the_checkout_with_the_given_environment() -> None:
    code, out, err = run_cli(
        "issues", "--format", "json", env={"COALESCE_DATA": "tests/examples/worlds/tiny"}
    )
    assert code == 0, err
    assert [row["id"] for row in json.loads(out)["rows"]] == ["chips"]
    assert (ROOT / "tests" / "examples" / "worlds" / "tiny").is_dir()


def test_stdin_larger_than_a_pipe_buffer_arrives_whole_and_is_fresh_each_run() -> None:
    scenario = "# " + "x" * 200_000 + "\nname: big-stdin\nexclude: [CHN]\n"
    args = ["propose", "chips", "--data", str(TINY), "--scenario", "-", "--format", "json"]
    for _ in range(2):  # main() lets each command read stdin once (the test runner does not reset it)
        code, out, err = run_cli(*args, stdin=scenario)
        assert code == 0, err
        assert json.loads(out)["parameters"]["exclude"] == ["CHN"]


def test_an_edited_data_directory_is_read_again(tmp_path: Path) -> None:
    """Caches keyed by a directory's path are emptied between runs, as a new process would have them."""
    import shutil

    world = tmp_path / "world"
    shutil.copytree(TINY, world)
    assert run_cli("validate", "--data", str(world))[0] == 0
    issues = world / "issues.yaml"
    issues.write_text(issues.read_text(encoding="utf-8").replace("deadline_months: 18", "deadline_months: 0"))
    code, _, err = run_cli("validate", "--data", str(world))
    assert code == 65 and "deadline_months" in err
