"""The checks that need a real `python -m coalesce` process; everything else runs in-process
(conftest.run_cli). Each is here because a process is what it tests:

- a reader that leaves early (`| head -c 10`) or was never there: exit 0, nothing on stderr;
- closed standard streams (`>&-`, `2>&-`): one line or silence, never a traceback;
- Ctrl-C: SIGINT to the process group exits 130 with one line and stops the worker processes;
- a real pseudo-terminal: colour follows TERM and NO_COLOR, the width follows the terminal and COLUMNS;
- start-up: `coalesce --help` imports neither pydantic nor the engine; name resolution imports no
  pycountry;
- a memory limit (RLIMIT_AS) on the process;
- the wheel: built, installed elsewhere, run as `python -m coalesce` outside the checkout.

And once, that the in-process runner (conftest.run_cli) gives what a real process gives. The timeouts are
hang guards only; nothing here asserts on timing.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SRC, TINY, cli_env, run_cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TIMEOUT = 120  # hang guard only
COALESCE = [sys.executable, "-m", "coalesce"]


def _env(**extra: str) -> dict[str, str]:
    """The test run's environment without any colour or width setting, the source tree on the path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM", "PY_COLORS")
    }
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


# ---------------------------------------------------------------------------------------------------
# the in-process runner gives what the process gives
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["propose", "chips", "--data", str(TINY), "--format", "json"],
        ["score", "chips", "USA,NOR", "--data", str(TINY)],
        ["propose", "chipz", "--data", str(TINY)],
        ["validate", "--data", str(TINY / "no-such-dir")],
    ],
    ids=["propose-json", "score-table", "usage-error", "bad-data-dir"],
)
def test_the_in_process_runner_matches_a_real_process(args: list[str]) -> None:
    """conftest.run_cli (which most CLI tests use) against `python -m coalesce`: the same exit code,
    stdout and stderr, byte for byte."""
    proc = subprocess.run(
        [*COALESCE, *args],
        cwd=ROOT,
        env=cli_env(PYTHONIOENCODING="utf-8"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    assert run_cli(*args) == (proc.returncode, proc.stdout, proc.stderr)


def test_a_search_that_spends_its_budget_answers_the_same_in_any_process(tmp_path: Path) -> None:
    """SPEC's determinism on a search that stops on its work budget (maritime-decarbonisation is not
    certified at 2,000): a fresh process reading the YAML through pydantic (an empty cache), a fresh
    process reading the plain-type cache it left, each under its own PYTHONHASHSEED, and the in-process
    runner twice (the second time with every per-process memo warm from the first) give the same JSON,
    byte for byte. A top five that depended on set or dict order, on the load path or on what an earlier
    search left in the process would differ here."""
    args = ["propose", "maritime-decarbonisation", "--budget", "2000", "--format", "json"]
    outputs = []
    for seed in ("1", "2"):  # the first fills the empty cache, the second reads it
        proc = subprocess.run(
            [*COALESCE, *args],
            cwd=ROOT,
            env=cli_env(PYTHONHASHSEED=seed, XDG_CACHE_HOME=str(tmp_path)),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert any(tmp_path.rglob("world-*.json")), "the first process left no cache for the second to read"
    for _ in range(2):
        code, out, err = run_cli(*args)
        assert code == 0, err
        outputs.append(out)
    assert json.loads(outputs[0])["search"]["stopped_by"] == "work budget"
    assert outputs[1:] == outputs[:1] * 3


# ---------------------------------------------------------------------------------------------------
# readers that go away
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "head"),
    [
        # more than a pipe buffer of JSON, so the write fails mid-stream
        (["propose", "ai-governance", "--top", "30", "--max-size", "4", "--format", "json"], b'{\n  "schem'),
        (["sources"], None),
    ],
    ids=["propose-json-over-a-pipe-buffer", "sources-table"],
)
def test_a_reader_that_leaves_early_ends_quietly(args: list[str], head: bytes | None) -> None:
    """`coalesce ... | head -c 10`: exit 0, nothing on stderr (no BrokenPipeError, no 'Exception ignored')."""
    proc = subprocess.Popen(
        [*COALESCE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(), cwd=ROOT
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(10)
    proc.stdout.close()
    code = proc.wait(timeout=TIMEOUT)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert len(first) == 10
    if head is not None:
        assert first == head
    assert code == 0, err
    assert err == ""


def test_a_reader_gone_before_the_output_ends_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [*COALESCE, "propose", "chips", "--data", str(TINY)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=_env(),
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)
    assert proc.stderr == b""
    assert proc.returncode == 0


@pytest.mark.parametrize("redirect", [">&-", ">&- 2>&-", "2>&-"])
def test_closed_streams_give_no_traceback(redirect: str) -> None:
    """`coalesce issues >&-`: one line on stderr (when stderr is open), never a traceback."""
    command = f'exec "{sys.executable}" -m coalesce issues --data "{TINY}" {redirect}'
    proc = subprocess.run(
        ["sh", "-c", command], capture_output=True, env=_env(), cwd=ROOT, timeout=TIMEOUT, check=False
    )
    err = proc.stderr.decode()
    assert "Traceback" not in err and "internal error" not in err, err
    if redirect.startswith(">&-"):
        assert proc.returncode == 2
        if redirect == ">&-":
            assert err.splitlines() == ["coalesce: standard output is closed; nothing can be written"]
    else:
        assert proc.returncode == 0
        assert b"chips" in proc.stdout


# ---------------------------------------------------------------------------------------------------
# Ctrl-C
# ---------------------------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the workers")
def test_ctrl_c_exits_130_with_one_line_and_stops_the_workers() -> None:
    proc = subprocess.Popen(
        [*COALESCE, "robustness", "ai-governance", "--draws", "20000", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=ROOT,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    workers: list[int] = []
    for _ in range(600):  # wait until both workers run (a hang guard, not a timing)
        workers = _children(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.1)
    assert len(workers) >= 2, "the workers never started"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group gets SIGINT
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 130, err
    assert err.decode().splitlines() == ["coalesce: interrupted"]
    assert out == b""
    alive = workers
    for _ in range(100):
        alive = [w for w in workers if Path(f"/proc/{w}").exists()]
        if not alive:
            break
        time.sleep(0.1)
    assert not alive, f"workers still running after the interrupt: {alive}"


# ---------------------------------------------------------------------------------------------------
# a real terminal (pseudo-terminal)
# ---------------------------------------------------------------------------------------------------
def _run_in_pty(args: list[str], env: dict[str, str], columns: int = 60) -> tuple[int, str, str]:
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = subprocess.Popen(
        [*COALESCE, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = proc.wait(timeout=TIMEOUT)
    return code, b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n"), err


pty_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="pseudo-terminals: Linux only here"
)


@pty_only
@pytest.mark.parametrize(
    ("extra", "coloured"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
        ({"TERM": "dumb"}, False),
    ],
    ids=["colour-terminal", "NO_COLOR", "TERM=dumb"],
)
def test_colour_follows_the_terminal(extra: dict[str, str], coloured: bool) -> None:
    code, out, err = _run_in_pty(["propose", "chips", "--data", str(TINY)], _env(**extra), columns=60)
    assert code == 0, err
    assert err == ""
    assert bool(ANSI.search(out)) is coloured
    plain = ANSI.sub("", out)
    assert "NOR" in plain
    assert max(len(line) for line in plain.splitlines()) <= 60, "the pty's width must be respected"


@pty_only
def test_columns_overrides_the_terminal_width() -> None:
    code, out, err = _run_in_pty(
        ["score", "chips", "USA,NOR", "--data", str(TINY)], _env(TERM="xterm", COLUMNS="40"), columns=120
    )
    assert code == 0, err
    plain = ANSI.sub("", out)
    assert max(len(line) for line in plain.splitlines()) <= 40


# ---------------------------------------------------------------------------------------------------
# start-up, resources, the installed wheel
# ---------------------------------------------------------------------------------------------------
def test_help_does_not_import_pydantic_or_the_engine() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "coalesce", "--help"],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "coalesce.cli" in imported  # the parse found the modules
    assert "pydantic" not in imported
    assert "coalesce.engine" not in imported
    assert "coalesce.scenarios" not in imported


def test_resolution_is_pure() -> None:
    """Loading and resolving (even an unknown name) imports no pycountry and reads no file: a fresh
    interpreter, since this test process has long imported everything."""
    script = (
        "import builtins, sys\n"
        "from coalesce.loading.files import load_dataset\n"
        "ds = load_dataset()\n"
        "opened = []\n"
        "real = builtins.open\n"
        "builtins.open = lambda *a, **k: opened.append(a) or real(*a, **k)\n"
        "assert ds.resolver.resolve('South Korea') == 'KOR'\n"
        "try:\n"
        "    ds.resolver.resolve('Texas')\n"
        "except LookupError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('Texas resolved')\n"
        "assert 'pycountry' not in sys.modules, 'pycountry was imported'\n"
        "assert not opened, opened\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=cli_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_weighted_vote_by_gdp_stays_bounded() -> None:
    """A weighted vote by GDP on the tiny world stays within a 1 GiB address space."""
    rule = "issues.chips.decision_rule={kind: weighted, field: gdp_usd_bn, quota: 0.6}"
    args = ["propose", "chips", "--data", str(TINY), "--set", rule, "--time-limit", "1", "--top", "1"]
    proc = subprocess.run(
        [*COALESCE, *args, "--format", "json"],
        cwd=ROOT,
        env=cli_env(PYTHONIOENCODING="utf-8"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
        preexec_fn=_limit_memory,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["recommendations"]


@pytest.mark.skipif(os.environ.get("COALESCE_SKIP_WHEEL") == "1", reason="COALESCE_SKIP_WHEEL=1")
def test_the_wheel_ships_the_scenarios_and_they_work_outside_the_checkout(tmp_path: Path) -> None:
    shipped = sorted(p.stem for p in (ROOT / "examples" / "scenarios").glob("*.yaml"))
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
    assert sorted(Path(n).stem for n in names if n.startswith("coalesce/examples/scenarios/")) == shipped
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(tmp_path / "site"), COLUMNS="100", NO_COLOR="1")
    run = subprocess.run(
        [*COALESCE, "propose", "ai-governance", "--scenario", "china-walks-out", "--format", "json"],
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
