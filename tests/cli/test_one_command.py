"""A line that names a command is parsed by a group holding that command alone (`cli._app_for`).

Two things must hold for that to change nothing: the command `_invoked` reads off a line is the one the
whole app would run, and that command's help and errors are the same without its siblings.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
import typer
import typer.main
from hypothesis import given
from hypothesis import strategies as st

from coalesce import cli

NAMES = sorted(cli._name(info) for info in cli.app.registered_commands)


def _resolved(line: list[str]) -> str | None:
    """The command the whole app's click group finds on `line` (None when it finds none)."""
    group: Any = typer.main.get_command(cli.app)
    try:
        ctx = group.make_context("coalesce", list(line), resilient_parsing=True)
    except (typer.Exit, typer.Abort, typer.BadParameter, typer.TyperException):
        return None
    rest = [*ctx._protected_args, *ctx.args]
    return rest[0] if rest and rest[0] in NAMES else None


WORDS = st.sampled_from(
    [
        *NAMES,
        "-q",
        "--quiet",
        "--debug",
        "-f",
        "--format",
        "json",
        "markdown",
        "-fjson",
        "-qf",
        "-qo",
        "-o",
        "--output",
        "--output=x.json",
        "--format=json",
        "--data",
        "--data=/tmp",
        "-",
        "--",
        "ai-governance",
        "--max-size",
        "7",
        "nosuch",
    ]
)


def test_every_command_has_a_name() -> None:
    assert len(NAMES) == len(cli.app.registered_commands) == len(set(NAMES))
    assert {"propose", "score", "issues", "scenarios", "robustness"} <= set(NAMES)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        (["propose", "ai-governance"], "propose"),
        (["--format", "json", "issues"], "issues"),
        (["-qf", "json", "score", "x"], "score"),
        (["-fjson", "actors"], "actors"),
        (["-qo", "score", "propose"], "propose"),  # -o takes "score" as its file
        (["--data", "issues", "propose", "x"], "propose"),  # a directory named like a command
        (["--output=x", "show", "USA"], "show"),
        (["--", "propose"], None),
        (["propos", "x"], None),  # click's "did you mean" needs every name
        (["--help"], None),
        ([], None),
    ],
)
def test_the_command_is_read_after_the_global_options(line: list[str], name: str | None) -> None:
    assert cli._invoked(line) == name
    assert _resolved(line) == name or name is None


@given(st.lists(WORDS, max_size=7))
def test_a_command_read_off_a_line_is_the_one_the_whole_app_runs(line: list[str]) -> None:
    found = cli._invoked(line)
    if found is not None:
        assert found == _resolved(line)
        assert [cli._name(info) for info in cli._app_for(line).registered_commands] == [found]
    else:
        assert cli._app_for(line) is cli.app


def test_shell_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_COALESCE_COMPLETE", "complete_bash")
    assert cli._invoked(["propose", "ai-governance"]) is None


def _output(app: typer.Typer, line: list[str]) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            app(args=line, prog_name="coalesce", standalone_mode=False)
        except typer.TyperException as exc:
            err.write(exc.format_message())
        except typer.Exit:
            pass
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_help_and_usage_errors_are_the_same_without_the_other_commands(name: str) -> None:
    for line in ([name, "--help"], ["-q", name, "--no-such-option"]):
        alone = _output(cli._app_for(line), line)
        assert alone == _output(cli.app, line)
        assert alone[0] or alone[1]
