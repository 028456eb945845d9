"""Help: every command has a summary and several examples; placeholders are named; nothing is cut or
wrapped mid-name (issue 17)."""

from __future__ import annotations

import re
import shlex

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
            ["{ISSUE}", "--include A,B", "--set PATH=VALUE", "--weight NAME=NUMBER", "--budget WORK"],
        ),
        ("score", ["{ISSUE} [A,B]", "--batch FILE", "--scenario FILE|NAME"]),
        ("sweep", ["--vary PATH=FROM..TO", "--steps N"]),
        ("robustness", ["--draws N", "--seed N", "--workers N"]),
        ("schema", ["{DOCUMENT}"]),
        ("show", ["{KEY}"]),
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
