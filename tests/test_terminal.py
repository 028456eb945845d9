"""Terminal behaviour: colour and width settings, narrow terminals, broken pipes, --debug.

- Under NO_COLOR, TERM=dumb, a non-TTY stdout and COLUMNS=40, every command renders without an
  exception, without ANSI escapes, and table output fits the width.
- On a real pseudo-terminal colour appears (so the check for its absence can fail) and disappears under
  NO_COLOR and TERM=dumb; the pty's own width is respected.
- `coalesce propose ai-governance --format json | head -c 10` ends quietly: exit 0, nothing on stderr.
- An internal error is one line without --debug, and a full traceback with it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TINY = ROOT / "tests" / "examples" / "worlds" / "tiny"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TIMEOUT = 120  # hang guard only


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM")
    }
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


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


def test_narrow_terminal_in_a_real_process() -> None:
    """The environment variables themselves, read by a fresh process writing to a pipe."""
    proc = subprocess.run(
        [sys.executable, "-m", "coalesce", "propose", "chips", "--data", str(TINY)],
        env=_env(COLUMNS="40", NO_COLOR="1", TERM="dumb"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert not ANSI.search(proc.stdout)
    assert max(len(line) for line in proc.stdout.splitlines()) <= 40


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
        [sys.executable, "-m", "coalesce", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
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
# broken pipes
# ---------------------------------------------------------------------------------------------------
def test_head_c_10_ends_quietly() -> None:
    """`coalesce propose ai-governance --format json | head -c 10` on the shipped data."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "coalesce", "propose", "ai-governance", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(10)
    proc.stdout.close()
    code = proc.wait(timeout=TIMEOUT)
    err = proc.stderr.read().decode()
    assert head == b'{\n  "schem'
    assert code == 0, err
    assert err == ""


@pytest.mark.parametrize("fmt", ["json", "table", "markdown"])
def test_reader_gone_before_output_ends_quietly(fmt: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "coalesce", "propose", "chips", "--data", str(TINY), "--format", fmt],
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
# the process: Ctrl-C, typer.Exit codes, closed streams (issue 11, class 7)
# ---------------------------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the workers")
def test_ctrl_c_exits_130_with_one_line_and_stops_the_workers() -> None:
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "coalesce", "robustness", "ai-governance", "--draws", "20000", "--workers", "2"],
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
    for _ in range(100):
        alive = [w for w in workers if Path(f"/proc/{w}").exists()]
        if not alive:
            break
        time.sleep(0.1)
    assert not alive, f"workers still running after the interrupt: {alive}"


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
