"""Help: every command has a summary and several examples; placeholders are named; nothing is cut or
wrapped mid-name (issue 17)."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
from conftest import run

from coalesce.cli import app

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)  # type: ignore[union-attr]


def _examples(command: str) -> list[str]:
    shown = run(command, "--help", env={"COLUMNS": "200"}).out
    block = shown.split("Examples:\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_every_command_is_listed() -> None:
    assert {"propose", "score", "frontier", "robustness", "backtest", "validate", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_several_examples(command: str) -> None:
    outcome = run(command, "--help")
    assert outcome.code == 0 and outcome.err == ""
    assert "Examples:" in outcome.out, f"{command} --help shows no examples"
    examples = _examples(command)
    assert len(examples) >= 3, examples
    assert all(re.match(r"^(coalesce |printf .*\| coalesce )", e) for e in examples), examples


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_no_example_or_name_is_wrapped_or_cut(command: str, columns: str) -> None:
    shown = run(command, "--help", env={"COLUMNS": columns}).out
    for example in _examples(command):
        assert example in shown, f"example wrapped at {columns} columns: {example}"
    assert not re.search(r"[A-Za-z0-9]-\n\s+[a-z]", shown), f"a name is broken at a hyphen:\n{shown}"
    assert "<list" not in shown and "<str>]" not in shown
    options = shown.split("Options:", 1)[1]
    assert "<int>" not in options and "<float>" not in options and "<path>" not in options, options


@pytest.mark.parametrize("columns", ["60", "100"])
def test_summaries_are_not_cut(columns: str) -> None:
    shown = run("--help", env={"COLUMNS": columns}).out
    assert "..." not in shown.split("Commands:", 1)[1]


@pytest.mark.parametrize(
    ("command", "placeholders"),
    [
        (
            "propose",
            [
                "[OPTIONS] ISSUE\n",
                "--include A,B",
                "--set PATH=VALUE",
                "--weight NAME=NUMBER",
                "--budget WORK",
            ],
        ),
        (
            "score",
            ["[OPTIONS] ISSUE [A,B]\n", "  ISSUE  ", "  A,B  ", "--batch FILE", "--scenario FILE|NAME"],
        ),
        ("power", ["[OPTIONS] ISSUE A,B\n", "  A,B  "]),
        ("sweep", ["--vary PATH=FROM..TO", "--steps N", "--format FORMAT"]),
        ("robustness", ["--draws N", "--seed N", "--workers N"]),
        ("schema", ["[OPTIONS] DOCUMENT\n", "  DOCUMENT  "]),
        ("show", ["[OPTIONS] KEY\n", "  KEY  "]),
    ],
)
def test_placeholders_are_named(command: str, placeholders: list[str]) -> None:
    shown = run(command, "--help").out
    for placeholder in placeholders:
        assert placeholder in shown, placeholder


@pytest.mark.parametrize("command", COMMANDS)
def test_examples_name_real_issues_scenarios_and_cases(command: str) -> None:
    from coalesce.cases import load_cases
    from coalesce.loading.files import load_dataset
    from coalesce.shipped import shipped_scenarios

    dataset = load_dataset(None)
    cases = {c.id for c in load_cases(dataset, dataset.directory / "cases.yaml").cases}
    domains = {d.id for d in dataset.world.domains}
    for example in _examples(command):
        words = shlex.split(example.split("| coalesce ", 1)[-1].removeprefix("coalesce "))
        for flag, known in (("--scenario", set(shipped_scenarios())), ("-s", set(shipped_scenarios())),
                            ("--case", cases), ("--domain", domains)):  # fmt: skip
            for i, word in enumerate(words[:-1]):
                if word == flag and not words[i + 1].endswith(".yaml"):
                    assert words[i + 1] in known, f"{example}: {flag} {words[i + 1]} does not exist"
        if words[0] == command and len(words) > 1 and re.fullmatch(r"[a-z]+(-[a-z]+)+", words[1]):
            assert words[1] in dataset.issues, f"{example}: no issue {words[1]}"


PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9,|=.\-]*")
"""A named placeholder: ISSUE, A,B, FILE|NAME, PATH=VALUE, PATH=FROM..TO, YYYY-MM-DD, N."""
TYPE_LABELS = re.compile(r"<[^>]*>|\b(TEXT|INTEGER|FLOAT|BOOLEAN|PATH|DIRECTORY|CHOICE)\b(?![=.])")


def _commands() -> list[tuple[str, object]]:
    import typer.main

    group = typer.main.get_command(app)
    return [("coalesce", group), *((f"coalesce {n}", c) for n, c in group.commands.items())]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_every_value_has_a_named_placeholder(name: str) -> None:
    """Every argument and option that takes a value shows a named placeholder (never typer's `<str>`,
    `<list[str]>`, `TEXT` or `<table|json|...>`), in the usage line and in the list."""
    import typer
    from typer.core import TyperArgument

    command: Any = dict(_commands())[name]
    ctx = typer.Context(command, info_name=name)
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) or param.hidden:  # type: ignore[attr-defined]
            continue
        record = param.get_help_record(ctx)
        assert record is not None, param.name
        shown = record[0].split(", ")[-1]  # "-f, --format FORMAT" -> "--format FORMAT"; "ISSUE"
        placeholder = shown.split(" ", 1)[1] if shown.startswith("-") else shown
        assert PLACEHOLDER.fullmatch(placeholder), f"{name} {param.name}: {record[0]!r}"
        if isinstance(param, TyperArgument):
            usage = " ".join(param.get_usage_pieces(ctx))
            assert usage in (placeholder, f"[{placeholder}]"), f"{name}: usage shows {usage!r}"
    shown = run(*name.split()[1:], "--help", env={"COLUMNS": "200"}).out
    assert not TYPE_LABELS.search(shown.split("Examples:")[0] + shown.split("Options:")[-1]), shown
