"""Terminal behaviour in-process: colour and width settings, narrow terminals, --debug, interrupts.

- Under NO_COLOR, TERM=dumb, a non-TTY stdout and COLUMNS=40, every command renders without an
  exception, without ANSI escapes, and table output fits the width.
- An internal error is one line without --debug, and a full traceback with it.
- Ctrl-C in-process is 130 and one line; a command's own exit code is kept.

The real terminal (a pseudo-terminal), broken pipes, closed streams and a real Ctrl-C need a process:
tests/test_real_process.py.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import TINY, run_cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "no-china.yaml"
    path.write_text("name: no-china\nexclude: [CHN]\n", encoding="utf-8")
    return path


# Commands whose default output is a rich table (or several), and commands printing plain text.
TABLES = {
    "propose": ["propose", "chips"],
    "propose-constrained": ["propose", "chips", "--include", "NOR", "--exclude", "CHN", "--top", "2"],
    "score": ["score", "chips", "USA,NOR,NLD"],
    "frontier": ["frontier", "chips"],
    "issues": ["issues"],
    "actors": ["actors"],
    "actors-domain": ["actors", "--domain", "chips"],
    "sources": ["sources"],
    "power": ["power", "chips", "USA,CHN,NOR"],
    "compare": ["compare", "chips", "--scenario", "{scenario}"],
    "robustness": ["robustness", "chips", "--draws", "20", "--workers", "1"],
    "sweep": ["sweep", "chips", "--vary", "weights.veto=0..3", "--steps", "4"],
}
TEXT = {
    "show-actor": ["show", "Norway"],
    "show-issue": ["show", "chips"],
    "validate": ["validate"],
}


def _in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from coalesce.cli import _run

    code = _run(args, False)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("width", [40, 100])
@pytest.mark.parametrize("env", ["NO_COLOR", "TERM=dumb", "plain"])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_tables_fit_and_carry_no_escapes(
    name: str,
    env: str,
    width: int,
    scenario: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(key, raising=False)
    if env == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    elif env == "TERM=dumb":
        monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", str(width))
    args = [a.replace("{scenario}", str(scenario)) for a in TABLES[name]] + ["--data", str(TINY)]
    code, out, err = _in_process(args, capsys)
    assert code == 0, err
    assert err == ""
    assert out.strip()
    assert not ANSI.search(out), "ANSI escape with colour off"
    too_long = [line for line in out.splitlines() if len(line) > width]
    assert not too_long, f"lines over {width} columns:\n" + "\n".join(too_long)


@pytest.mark.parametrize("name", sorted(TEXT))
def test_text_output_at_40_columns(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("TERM", "dumb")
    code, out, err = _in_process([*TEXT[name], "--data", str(TINY)], capsys)
    assert code == 0, err
    assert out.strip() and err == ""
    assert not ANSI.search(out)


def test_narrow_terminal_from_the_environment() -> None:
    """COLUMNS, NO_COLOR and TERM as variables, read by the entry point (conftest.run_cli sets them)."""
    code, out, err = run_cli(
        "propose", "chips", "--data", str(TINY), width=40, env={"NO_COLOR": "1", "TERM": "dumb"}
    )
    assert code == 0, err
    assert err == ""
    assert not ANSI.search(out)
    assert max(len(line) for line in out.splitlines()) <= 40


# ---------------------------------------------------------------------------------------------------
# --debug
# ---------------------------------------------------------------------------------------------------
@pytest.fixture()
def broken_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    import coalesce.engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom in the engine")

    monkeypatch.setattr(coalesce.engine, "propose", boom)


def test_internal_error_is_one_line_without_debug(
    broken_engine: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from coalesce.cli import _run

    code = _run(["propose", "chips", "--data", str(TINY)], False)
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("coalesce: internal error: RuntimeError: boom in the engine")
    assert "--debug" in lines[0]
    assert "Traceback" not in captured.err


def test_debug_shows_the_traceback(broken_engine: None, capsys: pytest.CaptureFixture[str]) -> None:
    from coalesce.cli import _run

    code = _run(["propose", "chips", "--data", str(TINY), "--debug"], True)
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback (most recent call last)" in captured.err
    assert "RuntimeError: boom in the engine" in captured.err
    assert "in boom" in captured.err  # the frame that raised


def test_main_reads_debug_from_the_arguments(broken_engine: None, capsys: pytest.CaptureFixture[str]) -> None:
    from coalesce.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["propose", "chips", "--data", str(TINY), "--debug"])
    assert exit_info.value.code == 1
    assert "Traceback" in capsys.readouterr().err


def test_debug_does_not_turn_user_errors_into_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    from coalesce.cli import _run

    code = _run(["propose", "chipz", "--data", str(TINY), "--debug"], True)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("coalesce: unknown issue 'chipz'")
    assert "Traceback" not in captured.err


def test_json_stays_clean_in_a_narrow_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON is never wrapped or coloured, whatever the terminal says."""
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, err = _in_process(["propose", "chips", "--data", str(TINY), "--format", "json"], capsys)
    assert code == 0, err
    assert not ANSI.search(out)
    assert json.loads(out)["recommendations"]


# ---------------------------------------------------------------------------------------------------
# the process: Ctrl-C, typer.Exit codes (issue 11, class 7); the real process in test_real_process.py
# ---------------------------------------------------------------------------------------------------
def test_interrupt_in_process_is_130_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal

    import coalesce.browse

    def interrupted(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(coalesce.browse, "list_issues", interrupted)
    code, out, err = _in_process(["issues", "--data", str(TINY)], capsys)
    assert code == 130
    assert err.splitlines() == ["coalesce: interrupted"]
    assert out == ""


@pytest.mark.parametrize("wanted", [0, 3, 65, 130])
def test_a_commands_exit_code_is_kept(
    wanted: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer

    import coalesce.browse

    def exits(*args: object, **kwargs: object) -> None:
        raise typer.Exit(wanted)

    monkeypatch.setattr(coalesce.browse, "list_issues", exits)
    code, _, err = _in_process(["issues", "--data", str(TINY)], capsys)
    assert code == wanted
    assert err == ""  # a command's own exit is not an interrupt


def test_main_exits_with_the_interrupt_code(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    import coalesce.browse
    from coalesce.cli import main

    monkeypatch.setattr(coalesce.browse, "list_issues", lambda *a, **k: os.kill(os.getpid(), signal.SIGINT))
    with pytest.raises(SystemExit) as exit_info:
        main(["issues", "--data", str(TINY)])
    assert exit_info.value.code == 130
