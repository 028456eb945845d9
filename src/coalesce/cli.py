"""The command line: parse flags, call the core, render, map errors to SPEC's exit codes.

This is the only module that prints or exits. Heavy imports (pydantic, yaml, the engine) happen inside
commands, so `coalesce --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from coalesce.render import Format

if TYPE_CHECKING:
    from coalesce.scenarios import Applied

app = typer.Typer(
    name="coalesce",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DataOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        metavar="DIR",
        envvar="COALESCE_DATA",
        help="Data directory holding states.yaml and issues.yaml (default: $COALESCE_DATA, else the "
        "shipped data).",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format: table, json or markdown.")]
ScenarioOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--scenario",
        "-s",
        metavar="FILE|NAME",
        help="Scenario file, or a shipped scenario's name (see `coalesce scenarios`); repeatable, "
        "applied in order.",
    ),
]
SetOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="PATH=VALUE override, e.g. issues.ai-governance.deadline_months=12; repeatable.",
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")]
IncludeOpt = Annotated[
    Optional[list[str]],
    typer.Option("--include", "-i", metavar="A,B", help="Actors that must be in the core (A,B)."),
]
ExcludeOpt = Annotated[
    Optional[list[str]],
    typer.Option("--exclude", "-x", metavar="A,B", help="Actors kept out of core, convener and tracks."),
]
MaxSizeOpt = Annotated[Optional[int], typer.Option("--max-size", metavar="N", help="Largest core size.")]
DateOpt = Annotated[
    Optional[str],
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="Date printed on the memo (default: 'data as of' the newest source year; never the clock, "
        "so output is deterministic).",
    ),
]
WeightOpt = Annotated[
    Optional[list[str]],
    typer.Option("--weight", "-w", metavar="NAME=NUMBER", help="Criterion weight, e.g. veto=2; repeatable."),
]


class _Global:
    """Options given before the command (`coalesce --format json propose ...`), used by every command
    that was not given its own."""

    fmt: Format | None = None
    data: Path | None = None
    output: Path | None = None


def _version(value: bool) -> None:
    if value:
        from coalesce import __version__

        sys.stdout.write(f"coalesce {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _global_options(
    fmt: Annotated[
        Optional[Format],
        typer.Option("--format", "-f", help="Output format for the command: table, json or markdown."),
    ] = None,
    data: Annotated[
        Optional[Path],
        typer.Option(
            "--data", metavar="DIR", help="Data directory for the command (default: $COALESCE_DATA)."
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="FILE", help="Write the output to FILE instead of stdout."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Design minilateral coalitions: the smallest group of states with the largest impact.

    \b
    Examples:
      coalesce propose ai-governance
      coalesce --format json propose ai-governance -o brief.json
      coalesce score ai-governance USA,CHN,GBR
      coalesce propose ai-governance --scenario china-walks-out --format markdown
    """
    _Global.fmt, _Global.data, _Global.output = fmt, data, output


def _color() -> bool:
    if os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _width() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return max(40, columns)
    if sys.stdout.isatty():
        try:
            return max(40, os.get_terminal_size().columns)
        except OSError:
            pass
    return 100


def _emit(text: str) -> None:
    if _Global.output is not None:
        from coalesce.errors import UsageError

        try:
            _Global.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {_Global.output}: {exc.strerror or exc}") from None
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`, `| true`): stop quietly
        _silence_stdout()
        raise typer.Exit(0) from None


def _parse_weights(items: list[str] | None) -> dict[str, float]:
    from coalesce.errors import UsageError

    out: dict[str, float] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        if not sep:
            raise UsageError(f"--weight {item!r}: expected NAME=NUMBER, e.g. veto=2")
        try:
            value = float(raw)
        except ValueError:
            raise UsageError(f"--weight {item!r}: {raw!r} is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise UsageError(f"--weight {item!r}: must be a finite number")
        out[name.strip()] = value
    return out


def _scenario_paths(scenarios: list[str] | None) -> list[Path]:
    from coalesce.shipped import resolve_scenario

    return [resolve_scenario(s) for s in scenarios or []]


def _load(data: Path | None, scenarios: list[str] | None, sets: list[str] | None) -> Applied:
    from coalesce.loading.files import load_dataset
    from coalesce.scenarios import apply_all

    return apply_all(load_dataset(_data(data)), _scenario_paths(scenarios), list(sets or []))


def _data(data: Path | None) -> Path | None:
    """The command's own --data, else the global --data, else $COALESCE_DATA (typer reads it), else None."""
    from_env = data is not None and str(data) == os.environ.get("COALESCE_DATA")
    return _Global.data if _Global.data is not None and (data is None or from_env) else data


def _merged(
    applied: Applied, include: list[str] | None, exclude: list[str] | None, weight: list[str] | None
) -> dict[str, Any]:
    """Scenario include/exclude/weights first, then the flags."""
    return {
        "include": [*applied.include, *(include or [])],
        "exclude": [*applied.exclude, *(exclude or [])],
        "weights": {**applied.weights, **_parse_weights(weight)},
    }


def _render(result: Any, fmt: Format, table: Any, markdown: Any, provenance: Any = None) -> None:
    """The result in `fmt`; a memo (markdown, table) ends with its provenance when one is given."""
    if _Global.fmt is not None and fmt is Format.table:  # the command's own --format, when not the default
        fmt = _Global.fmt
    if fmt is Format.json:
        from coalesce.render import jsonfmt

        _emit(jsonfmt.render(result))
        return
    from coalesce.render import provenance as pv

    if fmt is Format.markdown:
        _emit(markdown(result) + (pv.markdown(provenance) if provenance is not None else ""))
    else:
        _emit(
            table(result, _color(), _width())
            + (pv.text(provenance, _width()) if provenance is not None else "")
        )


def _lazy(module: str, name: str) -> Any:
    """A renderer of coalesce.render.<module> imported only when called, so that `--format json` never
    imports the table renderer (and rich's console with it)."""

    def call(*args: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(f"coalesce.render.{module}"), name)(*args)

    return call


def _provenance(applied: Applied, result: Any, date: str | None, weights: dict[str, float]) -> Any:
    from coalesce.render import provenance as pv

    return pv.build(applied.dataset, result, date=date, weight_overrides=weights)


def _check_date(date: str | None) -> None:
    import datetime

    from coalesce.errors import UsageError

    if date is not None:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"--date {date!r}: expected YYYY-MM-DD, e.g. 2026-12-01") from None


@app.command()
def propose(
    issue: Annotated[
        str, typer.Argument(metavar="ISSUE", help="Issue id, e.g. ai-governance (see `coalesce issues`).")
    ],
    top: Annotated[
        int, typer.Option("--top", "-n", metavar="K", help="How many ranked recommendations.")
    ] = 5,
    min_size: Annotated[Optional[int], typer.Option("--min-size", help="Smallest core size.")] = None,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    time_limit: Annotated[
        Optional[float],
        typer.Option(
            "--time-limit",
            help="Safety net: seconds before returning the best found with its gap (default: none; "
            "the search stops on a fixed work budget, so output is the same on every machine).",
        ),
    ] = None,
    timing: Annotated[
        bool,
        typer.Option(
            "--timing", help="Report the search's wall time in JSON (breaks byte-identical output)."
        ),
    ] = False,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    date: DateOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Rank minilateral architectures for an issue: the exact top K, with reasons.

    Example: coalesce propose ai-governance --max-size 6 --weight veto=2 --format json
    """
    from coalesce import engine
    from coalesce.errors import UsageError

    if time_limit is not None and not (time_limit > 0):
        raise UsageError(f"--time-limit {time_limit}: must be a positive number of seconds")
    _check_date(date)
    applied = _load(data, scenario, set_)
    result = engine.propose(
        applied.dataset,
        issue,
        top=top,
        min_size=min_size,
        max_size=max_size,
        **_merged(applied, include, exclude, weight),
        time_limit=time_limit if time_limit is not None else engine.DEFAULT_TIME_LIMIT,
        timing=timing,
        scenarios=applied.names,
        sets=applied.sets,
    )
    overrides = {**applied.weights, **_parse_weights(weight)}
    _render(
        result,
        fmt,
        _lazy("table", "render_propose"),
        _lazy("markdown", "render_propose"),
        _provenance(applied, result, date, overrides),
    )


@app.command()
def score(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id (see `coalesce issues`).")],
    members: Annotated[
        Optional[str], typer.Argument(metavar="A,B", help="The grouping, comma-separated: USA,CHN,GBR.")
    ] = None,
    batch: Annotated[
        Optional[Path],
        typer.Option(
            "--batch",
            metavar="FILE",
            help="File with one grouping per line (- for standard input); prints a list. Every bad line "
            "is reported (file:line:col, exit 65).",
        ),
    ] = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    date: DateOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Assess a given grouping with the same rules and reasons, plus advice.

    Example: coalesce score ai-governance USA,CHN,GBR --format json
    """
    from coalesce import engine
    from coalesce.errors import UsageError

    _check_date(date)
    applied = _load(data, scenario, set_)
    weights = {**applied.weights, **_parse_weights(weight)}
    if batch is None:
        if not members:
            raise UsageError("name the grouping (e.g. USA,CHN,GBR) or give --batch FILE")
        result = engine.score(
            applied.dataset,
            issue,
            [members],
            weights=weights,
            exclude=applied.exclude,
            scenarios=applied.names,
            sets=applied.sets,
        )
        _render(
            result,
            fmt,
            _lazy("table", "render_score"),
            _lazy("markdown", "render_score"),
            _provenance(applied, result, date, weights),
        )
        return
    from coalesce.batch import score_batch

    if str(batch) != "-" and not batch.exists():
        raise UsageError(f"--batch {batch}: no such file (give a file, or - for standard input)")
    from coalesce.render import listing as lr

    listing = score_batch(applied.dataset, issue, batch, weights, applied.exclude)
    _render(listing, fmt, lr.listing_table, lr.listing_markdown)


@app.command(name="issues")
def issues_cmd(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List the issues with their decision rule, target and deadline.

    Example: coalesce issues --format json | jq '.rows[].id'
    """
    from coalesce.browse import list_issues
    from coalesce.render import listing as lr

    _render(list_issues(_load(data, scenario, set_).dataset), fmt, lr.listing_table, lr.listing_markdown)


@app.command()
def actors(
    domain: Annotated[
        Optional[str],
        typer.Option("--domain", help="List holders of one capability domain with shares and sources."),
    ] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List the actors, or with --domain the holders of a domain by share, with sources.

    Example: coalesce actors --domain chip-equipment
    """
    from coalesce.browse import list_actors
    from coalesce.render import listing as lr

    _render(
        list_actors(_load(data, scenario, set_).dataset, domain), fmt, lr.listing_table, lr.listing_markdown
    )


@app.command()
def show(
    key: Annotated[str, typer.Argument(help="An issue id or an actor (ISO3, ISO2 or name).")],
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show one issue or actor in full, with the sources behind its figures.

    Example: coalesce show Norway
    """
    from coalesce.browse import show as show_detail
    from coalesce.render import listing as lr

    detail = show_detail(_load(data, scenario, set_).dataset, key)
    _render(detail, fmt, lambda d, c, w: lr.detail_text(d, False), lambda d: lr.detail_text(d, True))


@app.command()
def sources(
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List every source with publisher, year, address and how many figures cite it.

    Example: coalesce sources --format markdown
    """
    from coalesce.browse import list_sources
    from coalesce.render import listing as lr

    _render(list_sources(_load(data, scenario, set_).dataset), fmt, lr.listing_table, lr.listing_markdown)


@app.command(name="scenarios")
def scenarios_cmd(fmt: FormatOpt = Format.table, debug: DebugOpt = False) -> None:
    """List the example scenarios shipped with coalesce: pass one by name as --scenario NAME.

    Example: coalesce scenarios
    Example: coalesce propose ai-governance --scenario china-walks-out
    """
    from coalesce.browse import list_scenarios
    from coalesce.render import listing as lr

    _render(list_scenarios(), fmt, lr.listing_table, lr.listing_markdown)


@app.command()
def validate(
    data: DataOpt = None, scenario: ScenarioOpt = None, fmt: FormatOpt = Format.table, debug: DebugOpt = False
) -> None:
    """Check data and scenario files; report every problem as file:line:col: message (exit 65).

    Example: coalesce validate --data ./mydata --scenario china-walks-out.yaml
    """
    from coalesce.errors import DataError
    from coalesce.render import listing as lr
    from coalesce.validation import run_validation

    report, problems = run_validation(_data(data), _scenario_paths(scenario))
    if problems and (_Global.fmt if _Global.fmt is not None and fmt is Format.table else fmt) is Format.json:
        import json

        # every problem found, on stdout as data; each also as a line on stderr; exit 65
        payload = {
            "ok": False,
            "problems": [
                {"file": p.file, "line": p.line, "column": p.column, "message": p.message, "text": str(p)}
                for p in problems
            ],
        }
        _emit(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        raise DataError(problems)
    if problems:
        raise DataError(problems)
    _render(report, fmt, lambda r, c, w: lr.validation_text(r), lambda r: lr.validation_text(r))


@app.command()
def schema(
    document: Annotated[str, typer.Argument(help="output, score, states, issues or scenario.")],
    fmt: FormatOpt = Format.json,
    debug: DebugOpt = False,
) -> None:
    """Print the JSON Schema of a document.

    Example: coalesce schema output | jq '.properties | keys'
    """
    from coalesce.schemas import schema_text

    text = schema_text(document)  # JSON Schema is JSON in every format; markdown wraps it in a fence
    _emit(f"```json\n{text}```\n" if fmt is Format.markdown else text)


@app.command()
def frontier(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id (see `coalesce issues`).")],
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    time_limit: Annotated[
        Optional[float],
        typer.Option(
            "--time-limit", help="Safety net: seconds for the whole curve (default: none; a work budget)."
        ),
    ] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Naím's curve: the best architecture of each size, and the size after which adding members stops paying.

    Example: coalesce frontier semiconductor-export-controls --max-size 8
    """
    from coalesce.analysis.frontier import frontier as run_frontier
    from coalesce.errors import UsageError
    from coalesce.render import analysis as ra

    if time_limit is not None and not (time_limit > 0):
        raise UsageError(f"--time-limit {time_limit}: must be a positive number of seconds")

    applied = _load(data, scenario, set_)
    result = run_frontier(
        applied.dataset,
        issue,
        max_size=max_size,
        **_merged(applied, include, exclude, weight),
        time_limit=time_limit,
        scenarios=applied.names,
        sets=applied.sets,
    )
    _render(result, fmt, ra.frontier_table, ra.frontier_markdown)


@app.command()
def power(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id (its decision rule is used).")],
    members: Annotated[
        str, typer.Argument(metavar="A,B", help="The grouping, comma-separated: USA,CHN,GBR.")
    ],
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Voting power of each member under the issue's decision rule: Shapley-Shubik, Banzhaf, Coleman.

    Example: coalesce power imf-quota-reform USA,CHN,JPN,DEU,GBR,FRA --format json
    """
    from coalesce.analysis.voting import power as run_power
    from coalesce.render import analysis as ra

    applied = _load(data, scenario, set_)
    _render(run_power(applied.dataset, issue, [members]), fmt, ra.power_table, ra.power_markdown)


@app.command()
def compare(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id (see `coalesce issues`).")],
    scenario: Annotated[
        list[str],
        typer.Option(
            "--scenario",
            metavar="FILE|NAME",
            help="Scenario file or shipped name; each is compared with the baseline.",
        ),
    ],
    top: Annotated[int, typer.Option("--top", help="How many cores to compare.")] = 5,
    max_size: MaxSizeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    debug: DebugOpt = False,
) -> None:
    """Baseline against scenarios: rank changes, criterion deltas, who enters and leaves, convener changes.

    Example: coalesce compare ai-governance --scenario china-walks-out
    """
    from coalesce.analysis.compare import compare as run_compare
    from coalesce.render import analysis as ra

    base = _load(data, [], set_)
    result = run_compare(
        base, issue, _scenario_paths(scenario), top=top, weights=_parse_weights(weight), max_size=max_size
    )
    _render(result, fmt, ra.compare_table, ra.compare_markdown)


@app.command()
def robustness(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id (see `coalesce issues`).")],
    draws: Annotated[int, typer.Option("--draws", help="Number of perturbed draws.")] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives the same output.")
    ] = 0,
    concentration: Annotated[
        float, typer.Option("--concentration", help="Dirichlet concentration of the weight draws.")
    ] = 50.0,
    workers: Annotated[
        Optional[int], typer.Option("--workers", help="Processes (default: all cores).")
    ] = None,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Perturb weights and figures within their uncertainty: who wins how often, who is in the core, who convenes.

    Example: coalesce robustness semiconductor-export-controls --draws 1000 --seed 7
    """
    from coalesce.analysis.robustness import robustness as run_robustness
    from coalesce.render import analysis as ra

    applied = _load(data, scenario, set_)
    result = run_robustness(
        applied.dataset,
        issue,
        draws=draws,
        seed=seed,
        concentration=concentration,
        workers=workers,
        max_size=max_size,
        **_merged(applied, include, exclude, weight),
        scenarios=applied.names,
        sets=applied.sets,
    )
    _render(result, fmt, ra.robustness_table, ra.robustness_markdown)


@app.command()
def sweep(
    issue: Annotated[str, typer.Argument(metavar="ISSUE", help="Issue id (see `coalesce issues`).")],
    vary: Annotated[
        str,
        typer.Option("--vary", help="PATH=FROM..TO, e.g. weights.veto=0..3 or actors.CHN.alignment=-1.5..1"),
    ],
    steps: Annotated[int, typer.Option("--steps", help="Evenly spaced steps across the range.")] = 20,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Vary one parameter and find the tipping points where the recommended core changes.

    Example: coalesce sweep ai-governance --vary weights.veto=0..3 --steps 12
    """
    from coalesce.analysis.sweep import sweep as run_sweep
    from coalesce.render import analysis as ra

    applied = _load(data, scenario, set_)
    result = run_sweep(
        applied.dataset,
        issue,
        vary,
        steps=steps,
        **_merged(applied, include, exclude, weight),
        max_size=max_size,
    )
    _render(result, fmt, ra.sweep_table, ra.sweep_markdown)


@app.command()
def backtest(
    case: Annotated[Optional[str], typer.Option("--case", help="Run one case by id (default: all).")] = None,
    cases: Annotated[
        Optional[Path], typer.Option("--cases", help="Cases file (default: cases.yaml in the data).")
    ] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    debug: DebugOpt = False,
) -> None:
    """Run the historical cases: how close does coalesce come to what actually formed?

    The protocol is in docs/backtest.md; `python scripts/backtest_doc.py` regenerates that file.
    Example: coalesce backtest --case chip-tools-2023 --format json
    """
    from coalesce.analysis.backtest import backtest as run_backtest
    from coalesce.loading.files import load_dataset
    from coalesce.render import backtest as rb

    result = run_backtest(load_dataset(_data(data)), cases, case)
    _render(result, fmt, rb.backtest_table, rb.backtest_markdown)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turn every error into one line on stderr and SPEC's exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    code = _run(args, debug)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()
    sys.exit(code)


def _silence_stdout() -> None:
    # The reader went away (`coalesce ... | head`): stop quietly, without a second error at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


EXIT_INTERRUPTED = 130
"""SPEC: Ctrl-C exits 130 with one line on stderr, the workers stopped."""


class _Interrupted:
    """Set by our SIGINT handler, so a Ctrl-C is told apart from a command's own `typer.Exit(130)`."""

    seen = False


def _on_sigint(signum: int, frame: object) -> None:
    _Interrupted.seen = True
    raise KeyboardInterrupt


def _run(args: list[str], debug: bool) -> int:
    """Run one command; returns its exit code (every error already written to stderr as one line)."""
    import signal
    import threading

    if sys.stderr is None:  # `2>&-`: messages have nowhere to go, but they must not crash the run
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115  # lives as long as the process
    if sys.stdout is None:  # `>&-`: say so once, instead of an AttributeError at the first write
        sys.stderr.write("coalesce: standard output is closed; nothing can be written\n")
        return 2
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, _on_sigint)
    _Interrupted.seen = False
    try:
        code = _dispatch(args, debug)
    except KeyboardInterrupt:
        _Interrupted.seen = True
        code = EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if _Interrupted.seen:
        _Interrupted.seen = False
        sys.stderr.write("coalesce: interrupted\n")
        return EXIT_INTERRUPTED
    return code


def _dispatch(args: list[str], debug: bool) -> int:
    try:
        returned = app(args=args, prog_name="coalesce", standalone_mode=False)
        # typer returns the code of a `typer.Exit(n)` (and 130 for a KeyboardInterrupt) instead of raising
        return returned if isinstance(returned, int) and not isinstance(returned, bool) else 0
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except typer.Abort:
        sys.stderr.write("coalesce: aborted\n")
        return EXIT_INTERRUPTED
    except typer.TyperException as exc:  # usage errors: bad flag, missing argument, bad choice
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `coalesce`: show the help
            context = getattr(exc, "ctx", None)
            if context is not None:
                sys.stdout.write(context.get_help() + "\n")
            return 0
        sys.stderr.write(f"coalesce: {exc.format_message()}\n")
        return int(getattr(exc, "exit_code", 2) or 2)
    except Exception as exc:
        from coalesce.errors import CoalesceError, DataError

        if isinstance(exc, DataError):
            for problem in exc.problems:
                sys.stderr.write(f"{problem}\n")
            return exc.exit_code
        if isinstance(exc, CoalesceError):
            one_line = str(exc).replace("\r", "\\r").replace("\n", "\\n")
            sys.stderr.write(f"coalesce: {one_line}\n")
            return exc.exit_code
        if debug:
            import traceback

            traceback.print_exc()
        else:
            sys.stderr.write(
                f"coalesce: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)\n"
            )
        return 1
