"""Atheris fuzz target over coalesce's loading and validation.

The first byte of each input picks what the rest is fed to:

  0  states.yaml   (with the tiny world's issues.yaml)  -> load_dataset
  1  issues.yaml   (with the tiny world's states.yaml)  -> load_dataset
  2  a scenario file, applied to the tiny world         -> apply_all
  3  a --set PATH=VALUE flag, applied to the tiny world -> apply_all
  4  any YAML text                                      -> yamlsafe.load
  5  a score --batch file                               -> score_batch

A DataError or UsageError is the expected answer to a bad input; any other exception is a crash. With
FUZZ_STRICT_MESSAGES=1 a problem message spanning several lines is a crash too (SPEC: one
`file:line:col: message` line per problem).

Run (see docs/fuzzing.md):

  pip install -e '.[fuzz]'
  python fuzz/fuzz_loading.py --make-corpus fuzz/corpus        # seeds from the tiny world and the battery
  python fuzz/fuzz_loading.py fuzz/corpus -atheris_runs=2000   # a short run; drop the limit for a long one

`check(data)` is importable without atheris; tests/test_properties.py runs it on hypothesis bytes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "examples" / "worlds" / "tiny"
INVALID = ROOT / "tests" / "examples" / "invalid"
sys.path.insert(0, str(ROOT / "src"))

TARGETS = ("states", "issues", "scenario", "set", "yaml", "batch")
STRICT_MESSAGES = os.environ.get("FUZZ_STRICT_MESSAGES") == "1"
_STATE: dict[str, Any] = {}


def _imports() -> SimpleNamespace:
    """coalesce's loading API, imported once (inside atheris' instrumentation when fuzzing)."""
    if "api" not in _STATE:
        from coalesce.batch import read_lines, score_batch
        from coalesce.errors import DataError, UsageError
        from coalesce.loading import yamlsafe
        from coalesce.loading.files import load_dataset
        from coalesce.options import build_options
        from coalesce.scenarios import Applied, apply_all

        _STATE["api"] = SimpleNamespace(
            read_lines=read_lines,
            score_batch=score_batch,
            options=lambda dataset: build_options(Applied(dataset)),
            DataError=DataError,
            UsageError=UsageError,
            yamlsafe=yamlsafe,
            load_dataset=load_dataset,
            apply_all=apply_all,
        )
    api: SimpleNamespace = _STATE["api"]
    return api


def _workdir() -> Path:
    if "dir" not in _STATE:
        work = Path(tempfile.mkdtemp(prefix="coalesce-fuzz-"))
        atexit.register(shutil.rmtree, work, True)
        for name in ("states.yaml", "issues.yaml"):
            (work / name).write_bytes((TINY / name).read_bytes())
        _STATE["dir"] = work
    directory: Path = _STATE["dir"]
    return directory


def _tiny() -> Any:
    if "tiny" not in _STATE:
        _STATE["tiny"] = _imports().load_dataset(TINY)
    return _STATE["tiny"]


def _feed(target: str, body: bytes) -> None:
    api, work = _imports(), _workdir()
    if target in ("states", "issues"):
        other = "issues" if target == "states" else "states"
        (work / f"{other}.yaml").write_bytes((TINY / f"{other}.yaml").read_bytes())
        (work / f"{target}.yaml").write_bytes(body)
        api.load_dataset(work)
    elif target == "scenario":
        (work / "scenario.yaml").write_bytes(body)
        api.apply_all(_tiny(), [work / "scenario.yaml"], [])
    elif target == "set":
        api.apply_all(_tiny(), [], [body.decode("utf-8", errors="replace")])
    elif target == "yaml":
        api.yamlsafe.load(api.yamlsafe.decode(body, "fuzz.yaml"), "fuzz.yaml")
    else:
        (work / "batch.txt").write_bytes(body)
        label, lines = api.read_lines(work / "batch.txt")
        _listing, problems = api.score_batch(api.options(_tiny()), "chips", label, lines)
        if problems:  # bad lines are reported as the CLI reports them
            raise api.DataError(problems)


def check(data: bytes, strict_messages: bool | None = None) -> None:
    """Feed one input; return quietly on success or a clean DataError/UsageError, raise otherwise."""
    api = _imports()
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    strict = STRICT_MESSAGES if strict_messages is None else strict_messages
    try:
        _feed(target, data[1:])
    except api.DataError as exc:
        if not exc.problems:
            raise AssertionError("DataError without problems") from exc
        if strict and any("\n" in str(p) for p in exc.problems):
            raise AssertionError(f"a problem spans several lines: {exc.problems!r}") from exc
    except api.UsageError as exc:
        if strict and "\n" in str(exc):
            raise AssertionError(f"a usage message spans several lines: {exc}") from exc


def seed_corpus() -> list[bytes]:
    """Seeds: the tiny world, every file of the hostile-input battery, and a few --set flags."""
    seeds = [
        bytes([0]) + (TINY / "states.yaml").read_bytes(),
        bytes([1]) + (TINY / "issues.yaml").read_bytes(),
    ]
    for folder in sorted(p for p in INVALID.glob("*") if p.is_dir()):
        if "xfail:" in (folder / "case.yaml").read_text(encoding="utf-8"):
            continue  # a known bug: a seed that crashes at once would stop every run
        for name, index in (
            ("states.yaml", 0),
            ("issues.yaml", 1),
            ("scenario.yaml", 2),
            ("groupings.txt", 5),
        ):
            path = folder / name
            if path.is_file() and path.stat().st_size < 100_000:
                seeds.append(bytes([index]) + path.read_bytes())
    for flag in (
        "issues.chips.deadline_months=12",
        "actors.NLD.capabilities.chips.share=0.3",
        "actors.NOR.expertise.mediation.score=0.5",
        "model.acceptance_sigma=2",
        "issues.chips.weights.veto=2",
        "issues.chips.decision_rule={kind: qualified-majority, quota: 0.6}",
    ):
        seeds.append(bytes([3]) + flag.encode())
    seeds.append(bytes([5]) + b"USA,NOR\n# comment\nCHN,JPN,NOR\n")
    return seeds


def TestOneInput(data: bytes) -> None:  # atheris' conventional name
    check(data)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--make-corpus":
        target = Path(sys.argv[2])
        target.mkdir(parents=True, exist_ok=True)
        seeds = seed_corpus()
        for i, seed in enumerate(seeds):
            (target / f"seed-{i:04d}").write_bytes(seed)
        print(f"wrote {len(seeds)} seeds to {target}")
        return
    import atheris

    with atheris.instrument_imports():
        _imports()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
