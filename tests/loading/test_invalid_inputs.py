"""The hostile-input battery: every case in tests/examples/invalid/ fails cleanly, with SPEC's exit code.

Each folder holds the files of one bad input and `case.yaml` (see tests/examples/invalid/README.md).
The CLI runs through its entry point in-process (conftest.run_cli: `coalesce.cli.main`, its SystemExit
code and its stdout and stderr, as a process gives them). Each case runs once per test process, when a
test first needs it; each parametrised test then checks one of them:

- the exit code (65 for a bad data or scenario file, 2 for a usage error);
- no traceback and no "internal error";
- exit 65: every stderr line is `path:line:col: message`, naming a file that exists;
- exit 2: exactly one stderr line, starting with `coalesce: `;
- the expected substrings, and the file and line of the problem.

Files that would weigh megabytes are generated at run time (`generate:` in case.yaml). Cases marked
`xfail:` are known bugs; they run as `xfail(strict=True)` so a fix is noticed. A FIFO nobody writes to
is given up after FIFO_IDLE_SECONDS instead of the shipped 10 s (the message is the same; the wait is
what the constant sets).

Below the battery: the Norway problem from the other side (NO, no, Norway resolve to NOR wherever an
actor is expected) and a UTF-8 BOM that must be accepted.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, TINY, run_cli

INVALID = ROOT / "tests" / "examples" / "invalid"
MAX_BYTES = 8 * 1024 * 1024
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>\S.*)$")
FIFO_IDLE_SECONDS = 0.3
"""How long a FIFO nobody writes to is waited for here (coalesce.loading.files.PIPE_IDLE_SECONDS)."""


# ---------------------------------------------------------------------------------------------------
# run-time generators for the big files
# ---------------------------------------------------------------------------------------------------
def _pad_to_over_cap(head: bytes) -> bytes:
    """`head`, then a comment line long enough that the file is one byte over the cap."""
    filler = MAX_BYTES + 1 - len(head) - 2
    return head + b"#" + b" " * filler + b"\n"


def _oversize_states(folder: Path) -> None:
    (folder / "states.yaml").write_bytes(_pad_to_over_cap((TINY / "states.yaml").read_bytes()))


def _oversize_scenario(folder: Path) -> None:
    (folder / "scenario.yaml").write_bytes(_pad_to_over_cap(b"name: big\nexclude: [CHN]\n"))


def _deep_nesting(folder: Path) -> None:
    depth = 100_000
    (folder / "states.yaml").write_text("[" * depth + "]" * depth + "\n", encoding="utf-8")


def _billion_laughs_huge(folder: Path) -> None:
    lines = ["l0: &l0 [" + ", ".join(['"lol"'] * 10) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 40)]
    (folder / "states.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fifo(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:  # a FIFO nobody writes to: reading it must end, not hang
        os.mkfifo(folder / name)

    return make


def _oversize_batch(folder: Path) -> None:
    (folder / "batch.txt").write_bytes(_pad_to_over_cap(b"USA,NOR\n"))


def _long_title(folder: Path) -> None:
    text = (TINY / "issues.yaml").read_text(encoding="utf-8")
    (folder / "issues.yaml").write_text(
        text.replace("title: Chip controls", "title: " + "x" * 2_000_000), encoding="utf-8"
    )


def _batch_1001(folder: Path) -> None:
    (folder / "batch.txt").write_text("# one too many\n" + "USA,NOR\n" * 1001, encoding="utf-8")


def _batch_every_actor(folder: Path) -> None:
    codes = re.findall(r'^  - code: "([A-Z]+)"$', (ROOT / "data" / "states.yaml").read_text(), re.M)
    path = folder / "batch.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("{all}", ",".join(codes)), encoding="utf-8")


GENERATORS: dict[str, Callable[[Path], None]] = {
    "oversize-states": _oversize_states,
    "oversize-scenario": _oversize_scenario,
    "deep-nesting": _deep_nesting,
    "billion-laughs-huge": _billion_laughs_huge,
    "fifo-states": _fifo("states.yaml"),
    "fifo-scenario": _fifo("scenario.yaml"),
    "fifo-batch": _fifo("batch.txt"),
    "oversize-batch": _oversize_batch,
    "long-title": _long_title,
    "batch-1001": _batch_1001,
    "batch-every-actor": _batch_every_actor,
}


# ---------------------------------------------------------------------------------------------------
# the cases
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    spec: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    case: Case
    directory: Path
    args: list[str]
    code: int
    stdout: str
    stderr: str

    def fill(self, text: str) -> str:
        return text.replace("{dir}", str(self.directory)).replace("{tiny}", str(TINY))


def _cases() -> list[Case]:
    found = []
    for folder in sorted(p for p in INVALID.iterdir() if (p / "case.yaml").is_file()):
        spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        found.append(Case(folder.name, folder, spec))
    return found


CASES = _cases()


def _params() -> list[Any]:
    out = []
    for case in CASES:
        marks = []
        if case.spec.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=str(case.spec["xfail"])))
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


def _prepare(case: Case, scratch: Path) -> Path:
    generator = case.spec.get("generate")
    if not generator:
        return case.folder
    target = scratch / case.name
    shutil.copytree(case.folder, target)
    GENERATORS[generator](target)
    return target


def _run(case: Case, directory: Path) -> Outcome:
    args = [a.replace("{dir}", str(directory)).replace("{tiny}", str(TINY)) for a in case.spec["args"]]
    code, out, err = run_cli(*args)
    return Outcome(case, directory, args, code, out, err)


@pytest.fixture(autouse=True)
def _short_fifo_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    import coalesce.loading.files

    monkeypatch.setattr(coalesce.loading.files, "PIPE_IDLE_SECONDS", FIFO_IDLE_SECONDS)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Each case's outcome, run (and its files generated) the first time a test asks for it."""
    scratch = tmp_path_factory.mktemp("invalid")

    class Outcomes(dict[str, Outcome]):
        def __missing__(self, name: str) -> Outcome:
            case = next(c for c in CASES if c.name == name)
            outcome = self[name] = _run(case, _prepare(case, scratch))
            return outcome

    yield Outcomes()


def test_battery_is_large_and_well_formed() -> None:
    assert len(CASES) >= 40
    names = [c.name for c in CASES]
    assert len({n.split("-", 1)[0] for n in names}) == len(names), "case numbers must be unique"
    for case in CASES:
        spec = case.spec
        assert set(spec) <= {"about", "args", "exit", "stderr", "file", "line", "generate", "xfail"}, (
            case.name
        )
        assert spec["exit"] in (2, 65), case.name
        assert isinstance(spec["args"], list) and spec["args"], case.name
        assert spec["stderr"] and all(isinstance(s, str) and s for s in spec["stderr"]), case.name
        if spec["exit"] == 65 and not spec.get("xfail"):
            assert "file" in spec, f"{case.name}: a data problem must name its file"
        if "generate" in spec:
            assert spec["generate"] in GENERATORS, case.name
    kinds = " ".join(names)
    for topic in (
        "norway",
        "octal",
        "sexagesimal",
        "date",
        "duplicate-key",
        "billion-laughs",
        "oversize",
        "deep-nesting",
        "utf",
        "bom",
        "empty",
        "top-level",
        "nan",
        "inf",
        "negative",
        "domain-sum",
        "unknown-domain",
        "unknown-source",
        "unknown-actor",
        "cycle",
        "contains-itself",
        "duplicate-actor",
        "scenario-set",
        "include-exclude",
        "too-many-includes",
        "min-above-max",
        "weight",
        "top-zero",
        "max-size-zero",
        "max-size-1000",
        "unknown-format",
        "tab",
        # issue 11, part 2
        "region",
        "alias-collision",
        "bloc-code-is-a-state-iso2",
        "flag-set-no-for-boolean",
        "scenario-set-strict-types",
        "fifo",
        "dev-zero",
        "robustness-draws-huge",
        "overflow",
        "oversize-issue-title",
        "batch-too-many",
        "huge-grouping",
        "zero-weights",
        "tolerance",
        "negotiation-dates",
        "same-actor-twice",
        "rival-also-excluded",
        "domain-sum-above-one",
    ):
        assert topic in kinds, f"no case covers {topic}"


@pytest.mark.parametrize("case", _params())
def test_invalid_input(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    spec = case.spec
    shown = f"args={outcome.args}\nexit={outcome.code}\nstderr=\n{outcome.stderr[:3000]}"
    assert outcome.code == spec["exit"], shown
    assert "Traceback" not in outcome.stderr, shown
    assert "internal error" not in outcome.stderr, shown
    assert outcome.stdout == "", f"an error must print nothing on stdout\n{shown}"
    lines = outcome.stderr.splitlines()
    assert lines, shown
    if spec["exit"] == 65:
        for line in lines:
            match = PROBLEM_LINE.match(line)
            assert match, f"not `file:line:col: message`: {line!r}\n{shown}"
            assert Path(match["path"]).exists(), f"the problem must name a real file: {line!r}"
    else:
        assert len(lines) == 1 and lines[0].startswith("coalesce: "), shown
    for expected in spec["stderr"]:
        assert outcome.fill(expected) in outcome.stderr, f"missing {expected!r}\n{shown}"
    if "file" in spec:
        prefix = outcome.fill(spec["file"]) + ":"
        if "line" in spec:
            prefix += f"{spec['line']}:"
        assert any(line.startswith(prefix) for line in lines), f"no line starts with {prefix!r}\n{shown}"


def _problem_lines(text: str) -> set[str]:
    return {line for line in text.splitlines() if PROBLEM_LINE.match(line)}


def _validate_args(args: list[str]) -> list[str]:
    """`validate` with the --data and --scenario of a failing command."""
    out = ["validate"]
    for flag, value in itertools.pairwise(args):
        if flag in ("--data", "--scenario"):
            out += [flag, value]
    return out


AGREEMENT = [
    c
    for c in CASES
    if c.spec["exit"] == 65
    and not c.spec.get("xfail")
    and c.spec["args"][0] in ("propose", "score")
    and "--batch" not in c.spec["args"]  # validate checks data and scenarios, not batch files
]


@pytest.mark.parametrize("case", AGREEMENT, ids=[c.name for c in AGREEMENT])
def test_validate_reports_the_same_problems(
    case: Case, outcomes: dict[str, Outcome], capsys: pytest.CaptureFixture[str]
) -> None:
    """`coalesce validate` finds every problem the failing command reported (in-process, fast)."""
    from coalesce.cli import _run as run_cli

    outcome = outcomes[case.name]
    code = run_cli(_validate_args(outcome.args), False)
    captured = capsys.readouterr()
    assert code == 65, captured.err
    assert _problem_lines(outcome.stderr) <= _problem_lines(captured.err), captured.err


# ---------------------------------------------------------------------------------------------------
# the other side of the Norway problem: NO is Norway wherever an actor is expected
# ---------------------------------------------------------------------------------------------------
def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from coalesce.cli import _run as run_cli

    code = run_cli([*args, "--format", "json"], False)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    document: dict[str, Any] = json.loads(captured.out)
    return document


def _world(
    tmp_path: Path, states: Callable[[str], str] | None = None, issues: Callable[[str], str] | None = None
) -> Path:
    target = tmp_path / "world"
    shutil.copytree(TINY, target)
    for name, change in (("states.yaml", states), ("issues.yaml", issues)):
        if change is not None:
            path = target / name
            path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


@pytest.mark.parametrize("spelling", ["NO", "no", "No", "Norway", "NOR", "norway"])
def test_norway_flag_spellings_exclude_norway(spelling: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = _json(["propose", "chips", "--data", str(TINY), "--exclude", spelling], capsys)
    assert result["parameters"]["exclude"] == ["NOR"]
    for rec in result["recommendations"]:
        assert "NOR" not in rec["members"] and rec["convener"] != "NOR"


def test_norway_in_scenario_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "no.yaml"
    scenario.write_text("name: norway-in\ninclude: [NO]\n", encoding="utf-8")
    result = _json(["propose", "chips", "--data", str(TINY), "--scenario", str(scenario)], capsys)
    assert result["parameters"]["include"] == ["NOR"]
    assert all("NOR" in rec["members"] for rec in result["recommendations"])


def test_norway_in_data_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world = _world(
        tmp_path,
        states=lambda t: t.replace("members: [NLD, DEU]", "members: [NLD, DEU, No]"),
        issues=lambda t: t.replace("rivals: [[USA, CHN]]", "rivals: [[USA, NO]]"),
    )
    result = _json(["propose", "chips", "--data", str(world)], capsys)
    assert result["issue"]["rivals"] == [["NOR", "USA"]]
    shown = _json(["show", "EU", "--data", str(world)], capsys)
    assert "NOR" in json.dumps(shown)


def test_yaml_look_alikes_are_strings_where_strings_are_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Quoted numbers, dates and booleans in text fields are read as the text written."""
    world = _world(
        tmp_path,
        states=lambda t: (
            t.replace("name: Switzerland", "name: 2024-01-01")
            .replace("name: Singapore", 'name: "010"')
            .replace("name: Japan", "name: yes")
        ),
    )
    listing = _json(["actors", "--data", str(world)], capsys)
    names = {row["code"]: row["name"] for row in listing["rows"]}
    assert names["CHE"] == "2024-01-01"
    assert names["SGP"] == "010"
    assert names["JPN"] == "yes"


def test_norway_in_set_rivals(capsys: pytest.CaptureFixture[str]) -> None:
    result = _json(
        ["propose", "chips", "--data", str(TINY), "--set", "issues.chips.rivals=[[USA, NO]]"], capsys
    )
    assert result["issue"]["rivals"] == [["NOR", "USA"]]


def test_utf8_bom_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world = tmp_path / "bom"
    world.mkdir()
    for name in ("states.yaml", "issues.yaml"):
        (world / name).write_bytes(b"\xef\xbb\xbf" + (TINY / name).read_bytes())
    with_bom = _json(["propose", "chips", "--data", str(world)], capsys)
    plain = _json(["propose", "chips", "--data", str(TINY)], capsys)
    assert with_bom == plain


def test_file_exactly_at_the_cap_is_read(tmp_path: Path) -> None:
    """The cap is 'over 8 MiB': a file of exactly 8 MiB is parsed (here: valid YAML plus a comment)."""
    from coalesce.loading.files import load_dataset

    world = _world(tmp_path)
    head = (TINY / "states.yaml").read_bytes()
    (world / "states.yaml").write_bytes(head + b"#" + b" " * (MAX_BYTES - len(head) - 2) + b"\n")
    assert (world / "states.yaml").stat().st_size == MAX_BYTES
    dataset = load_dataset(world)
    assert "NOR" in {a.code for a in dataset.world.actors}
