"""Shared fixtures and strategies for the coalesce test suite.

- `dataset`: the shipped data, loaded once per session.
- `tiny_world` / `tiny_copy`: the hand-written world in tests/examples/worlds/tiny (and a writable copy).
- `cli` / `run_cli`: runs `coalesce ARGS` in this process through `coalesce.cli.main` and returns an
  `Outcome` (exit code, stdout, stderr) as the real process would, with the terminal and encoding
  chosen; tests/test_real_process.py keeps the few checks that need a real process (pipes, signals,
  closed streams, start-up, the console script).
- `random_worlds()`: a hypothesis strategy for small valid worlds written to a temporary directory.

Hypothesis profiles: `coalesce` (the default, sized for a ~90 s suite on two cores) and `thorough`
(`HYPOTHESIS_PROFILE=thorough pytest` for a longer hunt).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from coalesce.criteria.registry import NAMES as CRITERIA

if TYPE_CHECKING:
    from coalesce.compiled import Context
    from coalesce.loading.files import Dataset

# The plain-type cache of the validated world (loading/cache.py) is on in tests, as for users, but in a
# directory of the test run's own: never the user's ~/.cache, and empty at the start of every run.
_CACHE_HOME = tempfile.mkdtemp(prefix="coalesce-test-cache-")
atexit.register(shutil.rmtree, _CACHE_HOME, True)
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TINY = Path(__file__).resolve().parent / "examples" / "worlds" / "tiny"
DATA = ROOT / "data"

settings.register_profile(
    "coalesce",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "coalesce")
settings.load_profile(PROFILE)


def examples(n: int) -> settings:
    """Per-test example count, scaled up under the `thorough` profile."""
    return settings(max_examples=n * (20 if PROFILE == "thorough" else 1))


# ---------------------------------------------------------------------------------------------------
# pytest-xdist: how the tests are shared between worker processes
# ---------------------------------------------------------------------------------------------------
KEEP_TOGETHER = frozenset(
    {
        "test_engine.py",  # propose on every shipped issue (`proposals`)
        "test_data_alignment.py",  # the raw UN votes, parsed once (`raw_votes`)
        "test_data_raw.py",  # the raw World Bank and curation files
        "test_cli.py",  # read-only runs shared by several tests (`runs`)
        "test_invalid_inputs.py",  # each case's outcome, read by two tests (`outcomes`)
    }
)
"""Test modules whose tests share a costly module-scoped fixture: under pytest-xdist each runs whole on
one worker, so the fixture is built once. Every other test is scheduled on its own. (The back-test is
shared across workers instead, through files: tests/analysis/test_backtest.py.)"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `first` run first (long ones: under xdist the run should not end on one of them
    while the other workers idle), tests marked `last` run last (they read what others computed); the
    rest keep their order. Under xdist the work queue follows this order (see the scheduler below)."""

    def rank(item: pytest.Item) -> int:
        return 0 if item.get_closest_marker("first") else 2 if item.get_closest_marker("last") else 1

    items.sort(key=rank)


if os.environ.get("PYTEST_XDIST_WORKER"):
    # pytest-xdist starts its workers with COLUMNS=80 and LINES=24; drop them, so that a test sees the
    # environment it would see without -n (tests of terminal-width detection read COLUMNS).
    for _name in ("COLUMNS", "LINES"):
        os.environ.pop(_name, None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With `-n N` and the default `--dist load`: KEEP_TOGETHER modules as one unit each, every other
    test as a unit of its own, queued in collection order (`first` tests first, `last` tests last; see
    pytest_collection_modifyitems) rather than largest unit first. (`--dist loadgroup` would do this
    with marks, but xdist 3.8 cannot rename node ids under pytest 9, so its groups are silently
    ignored.)"""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class KeepTogether(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module.rsplit("/", 1)[-1] in KEEP_TOGETHER else nodeid

    config.option.loadscopereorder = False
    return KeepTogether(config, log)


# ---------------------------------------------------------------------------------------------------
# data fixtures
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def dataset():  # type: ignore[no-untyped-def]
    """The shipped dataset, loaded once."""
    from coalesce.loading.files import load_dataset

    return load_dataset()


@pytest.fixture(scope="session")
def tiny_world() -> Path:
    """The tiny hand-written world (read-only: copy it before changing anything)."""
    assert (TINY / "states.yaml").is_file() and (TINY / "issues.yaml").is_file()
    return TINY


@pytest.fixture()
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny world."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target


# ---------------------------------------------------------------------------------------------------
# the command line, in-process
# ---------------------------------------------------------------------------------------------------
def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a real `python -m coalesce` process (tests/test_real_process.py): the source
    tree on the path, 100 columns, no colour."""
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["COLUMNS"] = "100"
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


_CLI_LOCK = threading.Lock()
_PINNED_VARIABLES = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLUMNS",
    "LINES",
    "PY_COLORS",
    "CLICOLOR_FORCE",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "COALESCE_DATA",
)
"""Unset for every in-process run unless the test sets them: what the terminal and data look like."""


class Stream(io.TextIOWrapper):
    """A text stream over bytes in a chosen encoding, claiming to be a terminal when `tty`."""

    def __init__(self, encoding: str = "utf-8", tty: bool = False, errors: str = "strict") -> None:
        super().__init__(io.BytesIO(), encoding=encoding, errors=errors, newline="\n", write_through=True)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def text(self) -> str:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode(self.encoding, errors="replace")


class Outcome(NamedTuple):
    """What a run gave: `code, out, err = run_cli(...)` or `outcome.code`."""

    code: int
    out: str
    err: str


def run_cli(
    *args: str,
    stdin: str | bytes | None = None,
    env: Mapping[str, str | None] | None = None,
    width: int | None = 100,
    color: bool = False,
    encoding: str = "utf-8",
    out_tty: bool = False,
    err_tty: bool = False,
) -> Outcome:
    """`coalesce ARGS` in this process -> (exit code, stdout, stderr), as `python -m coalesce` gives them.

    It calls the real entry point, `coalesce.cli.main(args)`, and reads its code from the SystemExit
    it raises. The command sees what a child process started by a test would see: the checkout as its
    working directory; standard input a pipe carrying `stdin` (text is sent as UTF-8; None is an empty,
    closed pipe); standard output a strict stream in `encoding` (as PYTHONIOENCODING makes it) and
    standard error UTF-8 with backslashreplace, as Python sets them up, each a terminal only if asked
    (`out_tty`, `err_tty`); the environment of the test run without the terminal variables and
    COALESCE_DATA, then COLUMNS=`width` (None: unset), NO_COLOR=1 unless `color`, and `env` on top (a
    value of None removes the variable).

    Between calls it restores what a command may change in the process: the environment, the working
    directory, sys.stdin/stdout/stderr, the SIGINT handler, the CLI's global options (main itself lets
    each command read stdin once), and the caches
    keyed by a data directory (so a test that edits a copied data directory and runs again sees its
    edit, as a new process would). Calls from several threads run one at a time.
    """
    from coalesce.cli import main

    variables: dict[str, str | None] = {name: None for name in _PINNED_VARIABLES}
    if width is not None:
        variables["COLUMNS"] = str(width)
    if not color:
        variables["NO_COLOR"] = "1"
    variables.update(env or {})
    with _CLI_LOCK, _isolated(variables), _standard_input(stdin) as reader:
        out = Stream(encoding, out_tty)
        err = Stream("utf-8", err_tty, errors="backslashreplace")
        saved = sys.stdin, sys.stdout, sys.stderr
        sys.stdin, sys.stdout, sys.stderr = reader, out, err
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
        else:  # main() always exits; returning is a bug worth seeing
            raise AssertionError(f"coalesce.cli.main{args!r} returned instead of exiting")
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
        return Outcome(_exit_status(code), out.text(), err.text())


def run(*args: str, **options: Any) -> Outcome:
    """`run_cli` with the terminal as the test run leaves it: COLUMNS unset and colour not turned off
    (for tests of width and colour detection); other options as run_cli's."""
    return run_cli(*args, **{"width": None, "color": True, **options})


def _exit_status(code: object) -> int:
    """What a process exiting with SystemExit(code) reports: None is 0, an int itself, anything else 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


@contextlib.contextmanager
def _isolated(variables: Mapping[str, str | None]) -> Iterator[None]:
    """Environment, working directory, SIGINT handler and the CLI's process-wide state, restored after."""
    from coalesce import cli

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    main_thread = threading.current_thread() is threading.main_thread()
    saved_sigint = signal.getsignal(signal.SIGINT) if main_thread else None
    for name, value in variables.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    os.chdir(ROOT)
    cli._Global.fmt = cli._Global.data = cli._Global.output = None
    _clear_data_caches()
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        if saved_sigint is not None:  # None: a handler not set from Python, nothing to restore
            signal.signal(signal.SIGINT, saved_sigint)
        cli._Global.fmt = cli._Global.data = cli._Global.output = None


def _clear_data_caches() -> None:
    """Empty every functools cache in coalesce: some are keyed by a data directory's path, and a test
    may change the files under one path between two runs."""
    for name, module in list(sys.modules.items()):
        if name == "coalesce" or name.startswith("coalesce."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear) and getattr(value, "__module__", None) == name:
                    clear()


@contextlib.contextmanager
def _standard_input(data: str | bytes | None) -> Iterator[io.TextIOWrapper]:
    """A pipe carrying `data` (then end of file), as a text stream over its read end."""
    payload = data.encode("utf-8") if isinstance(data, str) else (data or b"")
    read_end, write_end = os.pipe()

    def feed() -> None:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view) :]
        except OSError:  # the command stopped reading: like a child's closed stdin
            pass
        finally:
            os.close(write_end)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    reader = open(read_end, encoding="utf-8", closefd=True)  # noqa: SIM115  # closed below
    try:
        yield reader
    finally:
        reader.close()
        writer.join(timeout=10)


@pytest.fixture(scope="session")
def cli() -> Callable[..., tuple[int, str, str]]:
    """The CLI in-process: cli("propose", "ai-governance") -> (code, stdout, stderr); see run_cli."""
    return run_cli


# ---------------------------------------------------------------------------------------------------
# random small valid worlds
# ---------------------------------------------------------------------------------------------------
SOURCE = "test-src"
RULE_KINDS = ("consensus", "majority", "qualified-majority", "double-majority", "weighted", "veto-quota")
# Codes include the YAML 1.1 booleans YES and OFF so that quoting is exercised; blocs use two letters
# (ON is a YAML 1.1 boolean too).
STATE_CODES = (
    "AAA",
    "BBB",
    "CCC",
    "DDD",
    "EEE",
    "FFF",
    "GGG",
    "HHH",
    "YES",
    "OFF",
    "NUL",
    "TRU",
    "ZZZ",
    "QQQ",
)
UN_GROUPS = ("UN-Africa", "UN-Asia-Pacific", "UN-Eastern-Europe", "UN-GRULAC", "UN-WEOG")
"""The regional groups the legitimacy criterion reads; random worlds give most states one."""
BLOC_CODES = ("BL", "ON", "XU")
DOMAINS = ("dom-a", "dom-b", "dom-c")
TAGS = ("tag-x", "tag-y")


_BASE: Path | None = None


def _scratch() -> Path:
    """A process-wide scratch directory for generated worlds, removed at exit."""
    global _BASE
    if _BASE is None:
        _BASE = Path(tempfile.mkdtemp(prefix="coalesce-worlds-"))
        atexit.register(shutil.rmtree, _BASE, True)
    return _BASE


_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter where PyYAML has it: the same text as the pure-Python one for every generated world
(600 documents compared byte for byte), about three times faster, and every random-world test writes one."""


class _QuotingDumper(_SafeDumper):  # type: ignore[valid-type,misc]
    """safe_dump that also quotes every actor-code-like string (USA, NO, EU), so codes stay strings."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "'" if re.fullmatch(r"[A-Z]{2,3}", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuotingDumper.add_representer(str, _represent_str)


def write_world(states: dict[str, Any], issues: dict[str, Any], directory: Path | None = None) -> Path:
    """Write states.yaml and issues.yaml with yaml.safe_dump, quoting codes."""
    target = directory or Path(tempfile.mkdtemp(dir=_scratch()))
    target.mkdir(parents=True, exist_ok=True)
    for name, doc in (("states.yaml", states), ("issues.yaml", issues)):
        text = yaml.dump(
            doc, Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True, default_flow_style=False
        )
        (target / name).write_text(text, encoding="utf-8")
    return target


def read_world(directory: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two documents of a generated world, as plain data."""
    states = yaml.safe_load((directory / "states.yaml").read_text(encoding="utf-8"))
    issues = yaml.safe_load((directory / "issues.yaml").read_text(encoding="utf-8"))
    return states, issues


def _r(value: float, digits: int = 3) -> float:
    return float(round(value, digits))


def states_document(
    domains: list[str],
    tags: list[str],
    actors: list[dict[str, Any]],
    source: str,
    exclude_memberships: tuple[str, ...],
) -> dict[str, Any]:
    """A states.yaml document around generated actors: defaults, one invented source, the G20 and P5
    groupings, and a domain or tag entry for each id."""
    document: dict[str, Any] = {
        "schema_version": 1,
        "defaults": {
            "population": {"source": source, "year": 2023},
            "gdp": {"source": source, "year": 2023},
            "alignment": {"source": source, "sessions": [76, 77, 78]},
        },
        "small_states": {"exclude_memberships": list(exclude_memberships)},
        "sources": [
            {
                "id": source,
                "title": "Invented figures for property tests",
                "publisher": "coalesce tests",
                "year": 2026,
                "url": "https://example.org/coalesce-tests",
            }
        ],
        "groupings": [
            {"id": "G20", "name": "Group of Twenty", "source": source},
            {"id": "P5", "name": "Permanent five", "source": source},
            *({"id": g, "name": f"UN regional group {g}", "source": source} for g in UN_GROUPS),
        ],
        "domains": [
            {"id": d, "name": d.title(), "measure": "share", "unit": "share", "year": 2023, "source": source}
            for d in domains
        ],
        "tags": [
            {"id": t, "name": t.title(), "measure": "score", "year": 2023, "source": source} for t in tags
        ],
        "actors": actors,
    }
    return document


@dataclass(frozen=True)
class WorldSpec:
    """A generated world before it is written: both documents and a few facts tests need."""

    states: dict[str, Any]
    issues: dict[str, Any]
    issue_id: str
    codes: tuple[str, ...]
    """Every actor code, states then the bloc (if any)."""
    aligned: tuple[str, ...]
    """Codes of actors with an alignment figure (only those can be searched over)."""


@st.composite
def world_specs(draw: st.DrawFn, min_states: int = 2, max_states: int = 10) -> WorldSpec:
    """A small valid world: 2-10 states, maybe one bloc of 2-3 of them, 1-3 domains, 0-2 tags, one issue."""
    n_states = draw(st.integers(min_states, max_states))
    pool = list(STATE_CODES) + [f"S{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(60)]
    codes = draw(st.permutations(pool).map(lambda p: p[:n_states]))
    n_domains = draw(st.integers(1, 3))
    domains = list(DOMAINS[:n_domains])
    n_tags = draw(st.integers(0, 2))
    tags = list(TAGS[:n_tags])

    alignment_points = st.floats(-2.0, 3.0, allow_nan=False).map(lambda x: _r(x, 2))
    actors: list[dict[str, Any]] = []
    for i, code in enumerate(codes):
        memberships = []
        if draw(st.booleans()):
            memberships.append("G20")
        if draw(st.integers(0, 3)) == 0:
            memberships.append("P5")
        region = draw(st.sampled_from((None, *UN_GROUPS)))
        if region is not None:
            memberships.append(region)
        actor: dict[str, Any] = {
            "code": code,
            "name": f"State {code.title()} {i}",
            "kind": "state",
            "population_m": _r(draw(st.floats(0.5, 1500.0)), 2),
            "gdp_usd_bn": _r(draw(st.floats(1.0, 30000.0)), 1),
            "memberships": memberships,
            "alignment": {"ideal_point": draw(alignment_points), "uncertainty": 0.1, "source": SOURCE},
            "capabilities": {},
            "expertise": {},
        }
        for t in tags:
            if draw(st.booleans()):
                actor["expertise"][t] = {"score": _r(draw(st.floats(0.0, 1.0)), 2), "source": SOURCE}
        actors.append(actor)

    # Capability shares: per domain, a random total in (0, 1] split among some states; floored to 3
    # decimals so that the sum never exceeds 1.
    for d in domains:
        holders = [a for a in actors if draw(st.integers(0, 3)) > 0]
        if not holders:
            continue
        total = draw(st.floats(0.05, 1.0))
        raw = [draw(st.floats(0.01, 1.0)) for _ in holders]
        scale = total / sum(raw)
        for actor, value in zip(holders, raw, strict=True):
            share = int(value * scale * 1000) / 1000
            actor["capabilities"][d] = {"share": share, "uncertainty": 0.01, "source": SOURCE}

    bloc: dict[str, Any] | None = None
    if n_states >= 3 and draw(st.booleans()):
        size = draw(st.integers(2, min(3, n_states)))
        members = sorted(draw(st.permutations(codes))[:size])
        bloc_code = draw(st.sampled_from(BLOC_CODES))
        bloc = {
            "code": bloc_code,
            "name": f"Bloc {bloc_code}",
            "kind": "bloc",
            "members": members,
            "population_m": _r(sum(a["population_m"] for a in actors if a["code"] in members), 2),
            "alignment": {"ideal_point": draw(alignment_points), "uncertainty": 0.2, "source": SOURCE},
            "capabilities": {},
        }
        for d in domains:
            if not draw(st.booleans()):
                continue
            listed = sum(
                a["capabilities"].get(d, {}).get("share", 0.0) for a in actors if a["code"] in members
            )
            used = sum(a["capabilities"].get(d, {}).get("share", 0.0) for a in actors)
            room = max(0.0, 1.0 - used)
            residual = int(draw(st.floats(0.0, 1.0)) * room * 1000) / 1000
            bloc["capabilities"][d] = {"share": _r(listed + residual), "uncertainty": 0.02, "source": SOURCE}
        actors.append(bloc)

    # Now and then one non-bloc actor has no alignment: it must be skipped by the search.
    if n_states >= 3 and draw(st.integers(0, 5)) == 0:
        victim = draw(st.sampled_from(actors[:n_states]))
        del victim["alignment"]

    for a in actors:
        for key in ("memberships", "capabilities", "expertise"):
            if key in a and not a[key]:
                del a[key]

    all_codes = [a["code"] for a in actors]
    aligned = tuple(a["code"] for a in actors if "alignment" in a)

    states_doc = states_document(domains, tags, actors, SOURCE, exclude_memberships=("G20",))

    # The issue.
    issue_domains = draw(st.lists(st.sampled_from(domains), min_size=1, max_size=len(domains), unique=True))
    rivals: list[list[str]] = []
    for _ in range(draw(st.integers(0, 2))):
        group = draw(
            st.lists(st.sampled_from(all_codes), min_size=2, max_size=min(3, len(all_codes)), unique=True)
        )
        rivals.append(group)
    kind = draw(st.sampled_from(RULE_KINDS))
    quota = st.sampled_from([0.34, 0.5, 0.6, 0.67, 0.75, 0.85, 1.0])
    rule: dict[str, Any] = {"kind": kind}
    if kind in ("qualified-majority", "veto-quota", "weighted"):
        rule["quota"] = draw(quota)
    if kind == "veto-quota":
        rule["veto_membership"] = draw(st.sampled_from(["P5", "G20"]))
    if kind == "weighted":
        rule["field"] = f"capabilities.{draw(st.sampled_from(domains))}.share"
    if kind == "double-majority" and draw(st.booleans()):
        rule["members"] = draw(st.sampled_from([0.5, 0.55, 0.75]))
        rule["population"] = draw(st.sampled_from([0.5, 0.65, 0.9]))
        rule["blocking_min"] = draw(st.integers(1, 4))
    weight_values = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
    weights = {name: draw(weight_values) for name in CRITERIA}
    if not any(weights.values()):
        weights[draw(st.sampled_from(CRITERIA))] = 1.0
    n_actors = len(all_codes)
    min_size = draw(st.integers(1, min(3, n_actors)))
    max_size = draw(st.integers(min_size, n_actors))
    issue = {
        "id": "random-issue",
        "title": "A random issue",
        "domains": {d: _r(draw(st.floats(0.1, 1.0)), 2) for d in issue_domains},
        "target": _r(draw(st.floats(0.05, 1.0)), 2),
        "rivals": rivals,
        "expertise": draw(st.lists(st.sampled_from(tags), unique=True)) if tags else [],
        "decision_rule": rule,
        "deadline_months": draw(st.sampled_from([1, 3, 6, 12, 18, 24, 60])),
        "min_size": min_size,
        "max_size": max_size,
        "weights": weights,
    }
    if issue["target"] <= 0:
        issue["target"] = 0.05
    issues_doc = {"schema_version": 1, "issues": [issue]}
    return WorldSpec(states_doc, issues_doc, "random-issue", tuple(all_codes), aligned)


def random_worlds(min_states: int = 2, max_states: int = 10) -> st.SearchStrategy[Path]:
    """Random small valid worlds, written as states.yaml and issues.yaml; the strategy yields the directory."""
    return world_specs(min_states, max_states).map(lambda spec: write_world(spec.states, spec.issues))


def ctx_for(dataset: Dataset, issue: str, **request: Any) -> Context:
    """The compiled context of a shipped (or test) issue, through the one door (`problem.compile`)."""
    from coalesce import problem
    from coalesce.request import build_request

    return problem.compile(dataset, build_request(dataset, issue, **request)).context


def idx(ctx: Context, *codes: str) -> tuple[int, ...]:
    """The sorted actor indices of `codes` in a compiled context."""
    return tuple(sorted(ctx.index[c] for c in codes))
