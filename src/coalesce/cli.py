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
    help="Design minilateral coalitions: the smallest group of states with the largest impact.\n\n"
    "Example: coalesce propose ai-governance",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DataOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--data", help="Data directory holding states.yaml and issues.yaml (default: shipped data)."
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format: table, json or markdown.")]
ScenarioOpt = Annotated[
    Optional[list[Path]], typer.Option("--scenario", help="Scenario file; repeatable, applied in order.")
]
SetOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--set", help="PATH=VALUE override, e.g. issues.ai-governance.deadline_months=12; repeatable."
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")]
IncludeOpt = Annotated[
    Optional[list[str]], typer.Option("--include", help="Actors that must be in the core (A,B).")
]
ExcludeOpt = Annotated[
    Optional[list[str]], typer.Option("--exclude", help="Actors kept out of core, convener and tracks.")
]
MaxSizeOpt = Annotated[Optional[int], typer.Option("--max-size", help="Largest core size.")]
WeightOpt = Annotated[
    Optional[list[str]], typer.Option("--weight", help="Criterion weight, e.g. veto=2; repeatable.")
]


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


def _load(data: Path | None, scenarios: list[Path] | None, sets: list[str] | None) -> Applied:
    from coalesce.loading.files import load_dataset
    from coalesce.scenarios import apply_all

    return apply_all(load_dataset(data), list(scenarios or []), list(sets or []))


def _merged(
    applied: Applied, include: list[str] | None, exclude: list[str] | None, weight: list[str] | None
) -> dict[str, Any]:
    """Scenario include/exclude/weights first, then the flags."""
    return {
        "include": [*applied.include, *(include or [])],
        "exclude": [*applied.exclude, *(exclude or [])],
        "weights": {**applied.weights, **_parse_weights(weight)},
    }


def _render(result: Any, fmt: Format, table: Any, markdown: Any) -> None:
    if fmt is Format.json:
        from coalesce.render import jsonfmt

        _emit(jsonfmt.render(result))
    elif fmt is Format.markdown:
        _emit(markdown(result))
    else:
        _emit(table(result, _color(), _width()))


@app.command()
def propose(
    issue: Annotated[str, typer.Argument(help="Issue id, e.g. ai-governance (see `coalesce issues`).")],
    top: Annotated[int, typer.Option("--top", help="How many ranked recommendations.")] = 5,
    min_size: Annotated[Optional[int], typer.Option("--min-size", help="Smallest core size.")] = None,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    time_limit: Annotated[
        Optional[float],
        typer.Option(
            "--time-limit", help="Seconds before returning the best found with its gap (default 10)."
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
    debug: DebugOpt = False,
) -> None:
    """Rank minilateral architectures for an issue: the exact top K, with reasons.

    Example: coalesce propose ai-governance --max-size 6 --weight veto=2 --format json
    """
    from coalesce import engine
    from coalesce.errors import UsageError
    from coalesce.render import markdown as md
    from coalesce.render import table as tb

    if time_limit is not None and not (time_limit > 0):
        raise UsageError(f"--time-limit {time_limit}: must be a positive number of seconds")
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
    _render(result, fmt, tb.render_propose, md.render_propose)


@app.command()
def score(
    issue: Annotated[str, typer.Argument(help="Issue id.")],
    members: Annotated[
        Optional[str], typer.Argument(help="The grouping, comma-separated: USA,CHN,GBR.")
    ] = None,
    batch: Annotated[
        Optional[Path], typer.Option("--batch", help="File with one grouping per line; prints a list.")
    ] = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
    scenario: ScenarioOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Assess a given grouping with the same rules and reasons, plus advice.

    Example: coalesce score ai-governance USA,CHN,GBR --format json
    """
    from coalesce import engine
    from coalesce.errors import UsageError
    from coalesce.render import markdown as md
    from coalesce.render import table as tb

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
        _render(result, fmt, tb.render_score, md.render_score)
        return
    from coalesce.batch import score_batch

    listing = score_batch(applied.dataset, issue, batch, weights, applied.exclude)
    from coalesce.render import listing as lr

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

    report, problems = run_validation(data, list(scenario or []))
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
    issue: Annotated[str, typer.Argument(help="Issue id.")],
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    time_limit: Annotated[
        Optional[float], typer.Option("--time-limit", help="Seconds for the whole curve (default 30).")
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
        time_limit=time_limit if time_limit is not None else 30.0,
        scenarios=applied.names,
        sets=applied.sets,
    )
    _render(result, fmt, ra.frontier_table, ra.frontier_markdown)


@app.command()
def power(
    issue: Annotated[str, typer.Argument(help="Issue id (its decision rule is used).")],
    members: Annotated[str, typer.Argument(help="The grouping, comma-separated: USA,CHN,GBR.")],
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
    issue: Annotated[str, typer.Argument(help="Issue id.")],
    scenario: Annotated[
        list[Path], typer.Option("--scenario", help="Scenario file; each is compared with the baseline.")
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

    Example: coalesce compare ai-governance --scenario examples/scenarios/china-walks-out.yaml
    """
    from coalesce.analysis.compare import compare as run_compare
    from coalesce.render import analysis as ra

    base = _load(data, [], set_)
    result = run_compare(
        base, issue, list(scenario), top=top, weights=_parse_weights(weight), max_size=max_size
    )
    _render(result, fmt, ra.compare_table, ra.compare_markdown)


@app.command()
def robustness(
    issue: Annotated[str, typer.Argument(help="Issue id.")],
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
    issue: Annotated[str, typer.Argument(help="Issue id.")],
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

    result = run_backtest(load_dataset(data), cases, case)
    _render(result, fmt, rb.backtest_table, rb.backtest_markdown)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turn every error into one line on stderr and SPEC's exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    code = _run(args, debug)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    sys.exit(code)


def _silence_stdout() -> None:
    # The reader went away (`coalesce ... | head`): stop quietly, without a second error at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _run(args: list[str], debug: bool) -> int:
    try:
        app(args=args, prog_name="coalesce", standalone_mode=False)
        return 0
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except typer.Abort:
        sys.stderr.write("coalesce: aborted\n")
        return 130
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
