"""The conventions of a good CLI: --version, -h, completion, global options, -o, COALESCE_DATA, help.

In-process (conftest.run_cli); that `--help` imports neither pydantic nor the engine is measured on a real
start-up in test_real_process.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, TINY, run_cli

import coalesce


def test_version() -> None:
    assert run_cli("--version") == (0, f"coalesce {coalesce.__version__}\n", "")


def test_short_help_and_completion() -> None:
    code, out, _ = run_cli("-h")
    assert code == 0 and "Usage: coalesce" in out
    assert "--install-completion" in out and "--show-completion" in out
    assert "coalesce --format json propose ai-governance -o brief.json" in out


def test_global_format_before_the_command() -> None:
    code, out, err = run_cli("--format", "json", "propose", "ai-governance", "--top", "1")
    assert code == 0, err
    assert json.loads(out)["command"] == "propose"
    # the command's own --format wins over the global one
    code, out, _ = run_cli("--format", "json", "issues", "--format", "markdown")
    assert code == 0 and out.startswith("## ")


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    code, out, err = run_cli("-f", "markdown", "-o", str(target), "propose", "ai-governance", "--top", "1")
    assert code == 0 and out == "", err
    assert target.read_text(encoding="utf-8").startswith("# Frontier AI governance")


def test_output_file_after_the_command(tmp_path: Path) -> None:
    # as the README's tour writes it: -o after the command, in both spellings; after -- it is an argument
    for spelling in (["-o", str(tmp_path / "a.md")], [f"--output={tmp_path / 'b.md'}"]):
        code, out, err = run_cli("issues", "--format", "markdown", *spelling)
        assert code == 0 and out == "", err
    assert (tmp_path / "a.md").read_text(encoding="utf-8").startswith("## ")
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == (tmp_path / "a.md").read_text(encoding="utf-8")
    code, _, err = run_cli("issues", "--", "-o", str(tmp_path / "c.md"))
    assert code == 2 and not (tmp_path / "c.md").exists()


def test_output_to_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run_cli("-o", str(tmp_path / "no" / "such" / "file"), "issues")
    assert code == 2 and out == ""
    assert err.startswith("coalesce: --output ") and err.count("\n") == 1


def test_coalesce_data_is_the_default_data_directory() -> None:
    code, out, err = run_cli("issues", "--format", "json", env={"COALESCE_DATA": str(TINY)})
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)["rows"]] == ["chips"]
    # --data before or after the command beats the environment
    for args in (["--data", str(ROOT / "data"), "issues"], ["issues", "--data", str(ROOT / "data")]):
        code, out, err = run_cli(*args, "--format", "json", env={"COALESCE_DATA": "/nonexistent"})
        assert code == 0, err
        assert len(json.loads(out)["rows"]) > 1


@pytest.mark.parametrize(
    ("command", "placeholders"),
    [
        ("propose", ["ISSUE", "-i, --include A,B", "-x, --exclude A,B", "--set PATH=VALUE", "FILE|NAME"]),
        ("score", ["ISSUE", "A,B", "--batch FILE"]),
        ("power", ["ISSUE", "A,B"]),
    ],
)
def test_help_names_its_placeholders(command: str, placeholders: list[str]) -> None:
    code, out, _ = run_cli(command, "-h")
    assert code == 0
    for placeholder in placeholders:
        assert placeholder in out, placeholder
    assert "<list" not in out and "Example" in out


def test_batch_from_stdin() -> None:
    code, out, err = run_cli(
        "score", "ai-governance", "--batch", "-", "--format", "json", stdin="USA,CHN\nNOR,GBR\n"
    )
    assert code == 0, err
    assert sorted(r["line"] for r in json.loads(out)["rows"]) == [1, 2]
    code, out, err = run_cli(
        "score", "ai-governance", "--batch", "-", "--format", "json", stdin="USA,CHN\nFOO,BAR\nBAZ\n"
    )
    # the good lines are scored, every bad line is reported in one pass by line number, and exit 65
    # says some line was bad (README "score --batch"; was: nothing on stdout)
    assert code == 65
    assert [r["line"] for r in json.loads(out)["rows"]] == [1]
    assert [line.split(": ", 1)[0] for line in err.splitlines()] == ["<stdin>:2:1", "<stdin>:3:1"]


def test_a_missing_batch_file_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run_cli("score", "ai-governance", "--batch", str(tmp_path / "missing.txt"))
    assert code == 2 and out == ""
    assert "no such file" in err and err.count("\n") == 1


def test_validate_json_reports_problems_as_data(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nexclude: [CHN]\nfoo: 1\n", encoding="utf-8")
    code, out, err = run_cli("validate", "--scenario", str(bad), "--format", "json")
    assert code == 65
    payload = json.loads(out)
    assert payload["ok"] is False
    assert [(p["line"], p["message"]) for p in payload["problems"]] == [(3, "unknown field 'foo'")]
    assert err.strip() == payload["problems"][0]["text"]
    code, out, _ = run_cli("validate", "--format", "json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_short_flags_where_usual() -> None:
    """-n, -i, -x, -w, -s, -f, -o and -q mean what their long names do (issue 17)."""
    data = ["--data", str(TINY)]
    long = run_cli(
        "propose", "chips", "--top", "2", "--include", "NOR", "--exclude", "CHN", "--weight", "veto=2",
        "--scenario", "china-walks-out", "--format", "json", *data,
    )  # fmt: skip
    short = run_cli(
        "-q", "propose", "chips", "-n", "2", "-i", "NOR", "-x", "CHN", "-w", "veto=2", "-s", "china-walks-out",
        "-f", "json", *data,
    )  # fmt: skip
    assert long[0] == 0, long[2]
    assert short == long
    assert len(json.loads(short[1])["recommendations"]) == 2


def test_global_data_before_the_command() -> None:
    code, out, err = run_cli("--data", str(TINY), "issues", "--format", "json")
    assert code == 0, err
    assert [row["id"] for row in json.loads(out)["rows"]] == ["chips"]  # the tiny world's one issue


def test_the_readme_installs_with_pipx_from_a_path_or_url_never_the_pypi_name() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [
        line.split("#", 1)[0].strip() for line in readme.splitlines() if line.startswith("pipx install")
    ]
    assert commands, "the README shows no pipx install"
    assert all(c.split()[2].startswith(("./", "/", "'git+", "git+", "http")) for c in commands), commands
    assert "pipx install coalesce\n" not in readme and not any(c == "pipx install coalesce" for c in commands)
