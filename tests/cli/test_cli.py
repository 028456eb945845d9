"""coalesce.cli end to end through its entry point (`coalesce.cli.main`, in-process: conftest.run_cli),
with its exit codes and streams. A real process (pipes, signals, closed streams) is in test_real_process.py.

Read-only invocations on the shipped data run once per process, when a test first asks for them
(`runs`); the tests then check one outcome each. Invocations that need their own data directory run in
their test.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT, TINY, run_cli

from coalesce.criteria.registry import NAMES as CRITERIA
from coalesce.models.results import Recommendation

Outcome = tuple[int, str, str]
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>\S.*)$")
ANSI = re.compile(r"\x1b\[")
BAD_FLAGS = {
    "top-0": ["propose", "ai-governance", "--top", "0"],
    "max-size-0": ["propose", "ai-governance", "--max-size", "0"],
    "max-size-1000": ["propose", "ai-governance", "--max-size", "1000"],
    "min-above-max": ["propose", "ai-governance", "--min-size", "5", "--max-size", "3"],
    "weight-unknown": ["propose", "ai-governance", "--weight", "nonsense=1"],
    "weight-negative": ["propose", "ai-governance", "--weight", "veto=-1"],
    "weight-not-a-number": ["propose", "ai-governance", "--weight", "veto=lots"],
    "format-xml": ["propose", "ai-governance", "--format", "xml"],
    "include-and-exclude": ["propose", "ai-governance", "--include", "CHN", "--exclude", "CHN"],
    "unknown-option": ["propose", "ai-governance", "--frobnicate"],
    "time-limit-negative": ["propose", "ai-governance", "--time-limit", "-1"],
    "domain-unknown": ["actors", "--domain", "chip-equipmnt"],
}
BROWSE = {
    "issues": ["issues"],
    "actors-domain": ["actors", "--domain", "chip-equipment"],
    "show-nor": ["show", "NOR"],
    "show-issue": ["show", "ai-governance"],
    "sources": ["sources"],
}
RUNS: dict[str, list[str]] = {
    "propose-table": ["propose", "ai-governance"],
    "propose-json": ["propose", "ai-governance", "--format", "json"],
    "propose-json-again": ["propose", "ai-governance", "--format", "json"],
    "propose-markdown": ["propose", "ai-governance", "--format", "markdown"],
    "score-json": ["score", "ai-governance", "USA,CHN,GBR", "--format", "json"],
    "score-names": ["score", "ai-governance", "United States,China,GB", "--format", "json"],
    "score-markdown": ["score", "ai-governance", "USA,CHN,GBR", "--format", "markdown"],
    "unknown-issue": ["propose", "ai-governace"],
    "unknown-actor": ["score", "ai-governance", "USA,Chinaa"],
    "unknown-actor-flag": ["propose", "ai-governance", "--exclude", "Norwey"],
    "help": ["--help"],
    "bare": [],
    "validate": ["validate"],
    "schema-output": ["schema", "output"],
    "schema-states": ["schema", "states"],
    "schema-issues": ["schema", "issues"],
    "schema-scenario": ["schema", "scenario"],
    **{f"bad-{name}": args for name, args in BAD_FLAGS.items()},
    **{
        f"{name}-{fmt}": [*args, "--format", fmt]
        for name, args in BROWSE.items()
        for fmt in ("table", "json", "markdown")
    },
}


class _Runs(dict[str, Outcome]):
    """The outcomes of RUNS, each run the first time a test reads it."""

    def __missing__(self, name: str) -> Outcome:
        outcome = self[name] = run_cli(*RUNS[name])
        return outcome


@pytest.fixture(scope="module")
def runs() -> dict[str, Outcome]:
    """The read-only invocations above, each run once (on first use) for the module."""
    return _Runs()


def strict_json(text: str) -> Any:
    """Parse JSON as jq would: NaN and Infinity are not JSON."""

    def reject(token: str) -> Any:
        raise AssertionError(f"{token} is not valid JSON")

    return json.loads(text, parse_constant=reject)


def assert_clean_success(outcome: Outcome) -> str:
    code, out, err = outcome
    assert code == 0, err
    assert "Traceback" not in err
    assert out.strip()
    assert not ANSI.search(out), "NO_COLOR=1 must give plain text"
    return out


def assert_usage_error(outcome: Outcome) -> str:
    code, out, err = outcome
    assert code == 2, (code, err)
    assert "Traceback" not in err and "internal error" not in err
    assert out == "", "errors go to stderr only"
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def problems(err: str) -> list[re.Match[str]]:
    lines = err.strip().splitlines()
    matches = [PROBLEM.match(line) for line in lines]
    assert lines and all(matches), err
    return [m for m in matches if m]


def line_col(path: Path, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column where `needle` starts in the file (plus `offset` columns)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1 + offset
    raise AssertionError(f"{needle!r} not in {path}")


# ---------------------------------------------------------------------------------------------------
# propose and score
# ---------------------------------------------------------------------------------------------------
def test_propose_table(runs: dict[str, Outcome]) -> None:
    out = assert_clean_success(runs["propose-table"])
    assert "Recommendations" in out
    for name in CRITERIA:
        assert name in out
    assert runs["propose-table"][2] == ""


def test_propose_json(runs: dict[str, Outcome], dataset) -> None:  # type: ignore[no-untyped-def]
    out = assert_clean_success(runs["propose-json"])
    doc = strict_json(out)  # the whole of stdout is one JSON document
    assert isinstance(doc["schema_version"], int)
    assert doc["issue"]["id"] == "ai-governance"
    assert {"parameters", "search", "recommendations"} <= set(doc)
    assert doc["search"]["exact"] in (True, False)
    blocs = {a.code for a in dataset.world.actors if a.kind == "bloc"}
    first = doc["recommendations"][0]
    assert first["members"] == sorted(first["members"])
    for code in first["members"]:
        assert re.fullmatch(r"[A-Z]{3}", code) or code in blocs, code
    for rec in doc["recommendations"]:
        assert {"rank", "score", "members", "convener", "tracks", "criteria", "expansion"} <= set(rec)
        assert list(rec["criteria"]) == list(CRITERIA)
        for verdict in rec["criteria"].values():
            assert {"score", "weight", "contribution", "rationale"} <= set(verdict)
        for track in rec["tracks"]:
            assert {"kind", "members", "convener"} <= set(track)


def test_propose_json_is_byte_identical_across_runs(runs: dict[str, Outcome]) -> None:
    first, second = runs["propose-json"], runs["propose-json-again"]
    assert first[0] == second[0] == 0
    assert json.loads(first[1])["search"]["exact"], "compare only certified results (timing cannot matter)"
    assert first[1] == second[1]


def test_propose_markdown(runs: dict[str, Outcome]) -> None:
    out = assert_clean_success(runs["propose-markdown"])
    assert out.startswith("# ")
    for name in CRITERIA:
        assert name in out


def test_score_json_has_the_recommendation_shape(runs: dict[str, Outcome]) -> None:
    doc = strict_json(assert_clean_success(runs["score-json"]))
    assert set(Recommendation.model_fields) <= set(doc)
    assert {"rank", "score", "members", "convener", "tracks", "criteria", "expansion"} <= set(doc)
    assert "schema_version" in doc
    assert doc["members"] == ["CHN", "GBR", "USA"]
    assert list(doc["criteria"]) == list(CRITERIA)
    assert "advice" in doc


def test_score_accepts_names_and_iso2(runs: dict[str, Outcome]) -> None:
    by_name = strict_json(assert_clean_success(runs["score-names"]))
    by_code = strict_json(assert_clean_success(runs["score-json"]))
    assert by_name["members"] == ["CHN", "GBR", "USA"]
    assert by_name == by_code


def test_score_markdown(runs: dict[str, Outcome]) -> None:
    markdown = assert_clean_success(runs["score-markdown"])
    assert markdown.startswith("# ")
    assert all(name in markdown for name in CRITERIA)


def test_propose_json_validates_against_the_output_schema(runs: dict[str, Outcome]) -> None:
    schema = strict_json(assert_clean_success(runs["schema-output"]))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(strict_json(runs["propose-json"][1]))
    # `score` prints the shape of one recommendation (plus its own fields), as the schema defines it.
    defs = json.loads(json.dumps(schema["$defs"]))
    defs["Recommendation"]["additionalProperties"] = True
    recommendation = {"$ref": "#/$defs/Recommendation", "$defs": defs}
    jsonschema.Draft202012Validator(recommendation).validate(strict_json(runs["score-json"][1]))


@pytest.mark.parametrize("document", ["output", "states", "issues", "scenario"])
def test_every_schema_is_a_valid_json_schema(runs: dict[str, Outcome], document: str) -> None:
    schema = strict_json(assert_clean_success(runs[f"schema-{document}"]))
    jsonschema.Draft202012Validator.check_schema(schema)


def test_shipped_data_and_scenarios_validate_against_their_schemas(runs: dict[str, Outcome]) -> None:
    from coalesce.loading.files import read_tree

    def plain(path: Path) -> Any:
        return json.loads(json.dumps(read_tree(path)))

    for document, paths in (
        ("states", [ROOT / "data" / "states.yaml"]),
        ("issues", [ROOT / "data" / "issues.yaml"]),
        ("scenario", sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))),
    ):
        validator = jsonschema.Draft202012Validator(json.loads(runs[f"schema-{document}"][1]))
        for path in paths:
            errors = [e.message for e in validator.iter_errors(plain(path))]
            assert not errors, (path, errors[:3])


# ---------------------------------------------------------------------------------------------------
# usage errors
# ---------------------------------------------------------------------------------------------------
def test_unknown_issue_suggests_the_close_one(runs: dict[str, Outcome]) -> None:
    line = assert_usage_error(runs["unknown-issue"])
    assert "did you mean" in line and "ai-governance" in line


@pytest.mark.parametrize("name", ["unknown-actor", "unknown-actor-flag"])
def test_unknown_actor_gets_a_suggestion(runs: dict[str, Outcome], name: str) -> None:
    line = assert_usage_error(runs[name])
    assert "did you mean" in line
    assert ("CHN" in line) if name == "unknown-actor" else ("NOR" in line)


@pytest.mark.parametrize("name", sorted(BAD_FLAGS))
def test_bad_flags_are_usage_errors(runs: dict[str, Outcome], name: str) -> None:
    line = assert_usage_error(runs[f"bad-{name}"])
    assert line.startswith("coalesce: ")


# ---------------------------------------------------------------------------------------------------
# help, entry point, validate
# ---------------------------------------------------------------------------------------------------
def commands_from_help(text: str) -> list[str]:
    section = text.split("Commands:", 1)[1]
    return [m.group(1) for m in re.finditer(r"^\s{2}([a-z][a-z-]*)\s", section, re.MULTILINE)]


def test_help_lists_commands_with_examples(runs: dict[str, Outcome]) -> None:
    out = assert_clean_success(runs["help"])
    assert "Example" in out
    commands = commands_from_help(out)
    documented = {"propose", "score", "issues", "actors", "show", "sources", "validate", "schema"}
    assert documented <= set(commands), commands
    for command in commands:
        code, text, err = run_cli(command, "--help")
        assert code == 0, (command, err)
        assert "Example" in text, command
        assert "Traceback" not in err


def test_bare_module_prints_usage(runs: dict[str, Outcome]) -> None:
    code, out, err = runs["bare"]
    assert code in (0, 2)
    assert "Usage" in out + err and "propose" in out + err
    assert "Traceback" not in err


def test_validate_shipped_data(runs: dict[str, Outcome]) -> None:
    out = assert_clean_success(runs["validate"])
    assert "states.yaml" in out and "issues.yaml" in out


# ---------------------------------------------------------------------------------------------------
# browsing in three formats
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BROWSE))
def test_browse_commands_in_three_formats(runs: dict[str, Outcome], name: str) -> None:
    table = assert_clean_success(runs[f"{name}-table"])
    doc = strict_json(assert_clean_success(runs[f"{name}-json"]))
    markdown = assert_clean_success(runs[f"{name}-markdown"])
    assert "schema_version" in doc
    assert markdown.lstrip().startswith("#")
    if name == "show-nor":
        assert doc["id"] == "NOR" and doc["data"]["name"] == "Norway"
        assert "Norway" in table and "Norway" in markdown
        assert doc["sources"], "show lists the sources behind the figures"
    elif name == "show-issue":
        assert doc["id"] == "ai-governance" and doc["kind"] == "issue"
        assert "ai-governance" in table
    elif name == "actors-domain":
        shares = [row["share"] for row in doc["rows"]]
        assert shares == sorted(shares, reverse=True) and shares
        assert all(0.0 <= s <= 1.0 for s in shares)
        assert all(row["source"] for row in doc["rows"])
    elif name == "issues":
        ids = [row["id"] for row in doc["rows"]]
        assert "ai-governance" in ids and len(ids) == len(set(ids))
        assert all(i in table for i in ("ai-governance",))
    elif name == "sources":
        ids = [row["id"] for row in doc["rows"]]
        assert ids == sorted(ids) and len(ids) == len(set(ids))
        assert all(row["url"] for row in doc["rows"])


# ---------------------------------------------------------------------------------------------------
# bad data directories
# ---------------------------------------------------------------------------------------------------
def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (old, path)
    path.write_text(text.replace(old, new), encoding="utf-8")


def run_both(data: Path) -> tuple[Outcome, Outcome]:
    """propose and validate on a data directory."""
    return run_cli("propose", "chips", "--data", str(data)), run_cli("validate", "--data", str(data))


def assert_data_error(
    outcome: Outcome, file: Path, line: int | None = None, col: int | None = None, words: str = ""
) -> None:
    code, out, err = outcome
    assert code == 65, (code, err)
    assert "Traceback" not in err
    assert out == ""
    found = problems(err)
    assert all(Path(m["file"]).name in ("states.yaml", "issues.yaml") for m in found)
    assert all(int(m["line"]) >= 1 and int(m["col"]) >= 1 for m in found), err
    if line is not None:
        hits = [m for m in found if Path(m["file"]) == file and int(m["line"]) == line]
        assert hits, err
        if col is not None:
            assert any(int(m["col"]) == col for m in hits), err
        assert any(words.lower() in m["message"].lower() for m in hits), err


def test_malformed_yaml_is_exit_65(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    replace_once(states, "    population_m: 330\n", "    population_m: [330\n")
    line, _ = line_col(states, "population_m: [330")
    for outcome in run_both(tiny_copy):
        _, _, err = outcome
        assert_data_error(outcome, states)
        (m,) = problems(err)
        assert "malformed" in m["message"].lower() or "yaml" in m["message"].lower()
        assert line <= int(m["line"]) <= line + 1


def test_unquoted_no_as_a_state_code_is_exit_65(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    replace_once(states, "  - code: NOR\n", "  - code: NO\n")
    line, col = line_col(states, "code: NO", offset=len("code: "))
    for outcome in run_both(tiny_copy):
        assert_data_error(outcome, states, line, col, "NO")
        assert "False" not in outcome[2]


def test_share_above_one_is_exit_65(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    replace_once(states, "chips: {share: 0.15,", "chips: {share: 1.5,")
    line, col = line_col(states, "share: 1.5", offset=len("share: "))
    for outcome in run_both(tiny_copy):
        assert_data_error(outcome, states, line, col, "share")


def test_unknown_source_is_exit_65(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    old = "chips: {share: 0.12, uncertainty: 0.03, source: test-source}"
    replace_once(states, old, old.replace("test-source", "no-such-source"))
    line, col = line_col(states, "no-such-source")
    for outcome in run_both(tiny_copy):
        assert_data_error(outcome, states, line, col, "no-such-source")


def test_every_schema_problem_is_reported_at_once(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    replace_once(states, "chips: {share: 0.15,", "chips: {share: 1.5,")
    replace_once(states, "chips: {share: 0.12,", "chips: {share: -0.12,")
    issues = tiny_copy / "issues.yaml"
    replace_once(issues, "deadline_months: 18", "deadline_months: 0")
    code, _, err = run_cli("validate", "--data", str(tiny_copy))
    assert code == 65
    reported = {(Path(m["file"]).name, int(m["line"])) for m in problems(err)}
    assert reported >= {
        ("states.yaml", line_col(states, "share: 1.5")[0]),
        ("states.yaml", line_col(states, "share: -0.12")[0]),
        ("issues.yaml", line_col(issues, "deadline_months: 0")[0]),
    }


# Regression: a schema error in states.yaml used to hide every cross-reference error (unknown
# source, domain, grouping, bloc member), because those checks ran only on a valid World.
def test_schema_and_reference_problems_are_reported_together(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    replace_once(states, "chips: {share: 0.15,", "chips: {share: 1.5,")
    old = "chips: {share: 0.12, uncertainty: 0.03, source: test-source}"
    replace_once(states, old, old.replace("test-source", "no-such-source"))
    code, _, err = run_cli("validate", "--data", str(tiny_copy))
    assert code == 65
    messages = [m["message"] for m in problems(err)]
    assert any("1.5" in m for m in messages), err
    assert any("no-such-source" in m for m in messages), err


def test_bloc_member_no_resolves_to_norway(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    replace_once(states, "members: [NLD, DEU]", "members: [NO, DEU]")
    # NLD leaves the bloc, so the bloc's own chips total shrinks to keep the domain under 1.
    replace_once(states, "chips: {share: 0.22,", "chips: {share: 0.07,")
    code, out, err = run_cli("show", "EU", "--data", str(tiny_copy), "--format", "json")
    assert code == 0, err
    members = json.loads(out)["data"]["members"]
    assert sorted(members) == ["DEU", "NOR"]
    assert False not in members
    code, out, err = run_cli("propose", "chips", "--data", str(tiny_copy), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["recommendations"]


def test_bloc_member_no_without_norway_is_a_clear_error(tiny_copy: Path) -> None:
    states = tiny_copy / "states.yaml"
    text = states.read_text(encoding="utf-8")
    start = text.index("  - code: NOR\n")
    end = text.index("  - code: CHE\n")
    states.write_text(text[:start] + text[end:], encoding="utf-8")
    replace_once(states, "members: [NLD, DEU]", "members: [NO, DEU]")
    line, col = line_col(states, "[NO, DEU]", offset=1)
    code, _, err = run_cli("validate", "--data", str(tiny_copy))
    assert_data_error((code, "", err), states, line, col, "NO")


# ---------------------------------------------------------------------------------------------------
# determinism across file order, infeasible requests
# ---------------------------------------------------------------------------------------------------
def test_propose_json_does_not_depend_on_the_order_of_actors(tiny_world: Path, tmp_path: Path) -> None:
    states = yaml.safe_load((tiny_world / "states.yaml").read_text(encoding="utf-8"))
    random.Random(7).shuffle(states["actors"])
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    (shuffled / "states.yaml").write_text(yaml.safe_dump(states, sort_keys=False), encoding="utf-8")
    (shuffled / "issues.yaml").write_text(
        (tiny_world / "issues.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    a, b = (run_cli("propose", "chips", "--data", str(d), "--format", "json") for d in (tiny_world, shuffled))
    assert a[0] == b[0] == 0
    assert a[1] == b[1]


def test_infeasible_request_exits_0_with_a_reason(tiny_world: Path) -> None:
    code, out, err = run_cli(
        "propose",
        "chips",
        "--data",
        str(tiny_world),
        "--min-size",
        "3",
        "--exclude",
        "USA,CHN,NLD,DEU,JPN,NOR,EU",
        "--format",
        "json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["recommendations"] == []
    assert doc["note"]


def test_no_colour_when_stdout_is_not_a_terminal() -> None:
    """Colour is not switched off by NO_COLOR here: a colour TERM, but stdout is not a terminal."""
    code, out, err = run_cli(
        "propose", "chips", "--data", str(TINY), color=True, env={"TERM": "xterm-256color"}
    )
    assert code == 0, err
    assert "Recommendations" in out
    assert not ANSI.search(out) and not ANSI.search(err)


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_is_one_line_unless_debug(debug: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import coalesce.engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(coalesce.engine, "propose", boom)
    code, out, err = run_cli("propose", "chips", "--data", str(TINY), *(["--debug"] if debug else []))
    assert code == 1
    assert out == ""
    assert "kaboom" in err
    if debug:
        assert "Traceback" in err
    else:
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
        assert "--debug" in err
