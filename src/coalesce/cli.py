"""The command line: parse flags, call the core, render, map errors to SPEC's exit codes.

This is the only module that prints or exits. Heavy imports (pydantic, yaml, the engine) happen inside
commands, so `coalesce --help` stays fast.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from coalesce.render import Format

if TYPE_CHECKING:
    from coalesce.options import Options
    from coalesce.scenarios import Applied

app = typer.Typer(
    name="coalesce",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class _NamedArgument(TyperArgument):
    """An argument shown by its metavar alone, as click shows one: `ISSUE` when required, `[A,B]` when
    optional. typer 0.29 adds the Python type after a metavar (`ISSUE <str>`) and braces in the usage line
    (`{ISSUE}`); the metavar already says what to give."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.metavar else super().display_type_rich(ctx)

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        if not self.metavar:
            return super().get_usage_pieces(ctx)
        return [self.metavar if self.required else f"[{self.metavar}]"]


class _Command(TyperCommand):
    """typer's command, whose arguments with a metavar are shown by that metavar alone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument and param.metavar:
                param.__class__ = _NamedArgument


FORMATS = ", ".join(f.value for f in Format)
"""The choices of --format, named in its help (its placeholder is FORMAT)."""

IssueArg = Annotated[
    str, typer.Argument(metavar="ISSUE", show_default=False, help="Issue id (see `coalesce issues`).")
]
MembersArg = Annotated[
    str, typer.Argument(metavar="A,B", show_default=False, help="The grouping, comma-separated.")
]
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
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"Output format: {FORMATS} (csv: listings and score --batch).",
    ),
]
ScenarioOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--scenario",
        "-s",
        metavar="FILE|NAME",
        help="Scenario file, or a shipped scenario's name (see `coalesce scenarios`); repeatable, "
        "applied in order before the other flags.",
    ),
]
SetOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Change one figure after the scenarios, e.g. model.track_credit=0.5; repeatable.",
    ),
]
IncludeOpt = Annotated[
    Optional[list[str]],
    typer.Option("--include", "-i", metavar="A,B", help="Actors that must be in the core; repeatable."),
]
ExcludeOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--exclude", "-x", metavar="A,B", help="Actors kept out of core, convener and tracks; repeatable."
    ),
]
MaxSizeOpt = Annotated[Optional[int], typer.Option("--max-size", metavar="N", help="Largest core size.")]
MinSizeOpt = Annotated[Optional[int], typer.Option("--min-size", metavar="N", help="Smallest core size.")]
BudgetOpt = Annotated[
    Optional[int],
    typer.Option(
        "--budget",
        metavar="WORK",
        help="Work budget of each search (default 40,000: nodes, plus an eighth per single addition "
        "checked); deterministic, unlike a time limit.",
    ),
]
TimeLimitOpt = Annotated[
    Optional[float],
    typer.Option(
        "--time-limit",
        metavar="SECONDS",
        help="Safety net: seconds before returning the best found with its gap (default: none; the "
        "search stops on its work budget, so output is the same on every machine).",
    ),
]
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
    quiet: bool = False


def _version(value: bool) -> None:
    if value:
        from coalesce import __version__

        sys.stdout.write(f"coalesce {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _global_options(
    fmt: Annotated[
        Optional[Format],
        typer.Option("--format", "-f", metavar="FORMAT", help=f"Output format for the command: {FORMATS}."),
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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show the traceback of an internal error (before or after the command)."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on standard error.")] = False,
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
    _Global.quiet = quiet


def _terminal() -> Any:
    """How standard output looks to rich: colour, width and encoding, detected by rich's Console."""
    from coalesce.render import console

    return console.Terminal.detect(sys.stdout)


def _emit(text: str, json: bool = False, html: bool = False) -> None:
    """Write the output to --output or stdout, in an encoding the target takes (JSON escapes)."""
    if _Global.output is not None:
        from coalesce.errors import UsageError

        try:
            _Global.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {_Global.output}: {exc.strerror or exc}") from None
        return
    from coalesce.render import console

    try:
        sys.stdout.write(console.encodable(text, getattr(sys.stdout, "encoding", None), json, html))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`, `| true`): stop quietly
        _silence_stdout()
        raise typer.Exit(0) from None


def _data(data: Path | None) -> Path | None:
    """The command's own --data, else the global --data, else $COALESCE_DATA (typer reads it), else None."""
    from_env = data is not None and str(data) == os.environ.get("COALESCE_DATA")
    return _Global.data if _Global.data is not None and (data is None or from_env) else data


def _applied(data: Path | None, scenarios: list[str] | None, sets: list[str] | None) -> Applied:
    """The data after the scenarios (files or shipped names) and then each --set."""
    from coalesce.loading.files import load_dataset
    from coalesce.scenarios import apply_all
    from coalesce.shipped import resolve_scenario

    paths = [resolve_scenario(s) for s in scenarios or []]
    return apply_all(load_dataset(_data(data)), paths, list(sets or []))


def _options(data: Path | None, scenarios: list[str] | None, sets: list[str] | None, **flags: Any) -> Options:
    """THE options of a run: scenarios first, then --set, then the flags; validated once."""
    from coalesce.options import build_options

    return build_options(_applied(data, scenarios, sets), **flags)


def _format(fmt: Format) -> Format:
    """The command's own --format, else the global one, else table."""
    return _Global.fmt if _Global.fmt is not None and fmt is Format.table else fmt


def _render(result: Any, fmt: Format, provenance: Any = None) -> None:
    """The result in `fmt` (render.output picks the result's one layout by its type); a memo (markdown,
    table, html) ends with its provenance when one is given."""
    fmt = _format(fmt)
    from coalesce.render.output import render

    if fmt is Format.table:
        term = _terminal()
        with term.active():
            _emit(render(result, fmt, provenance, color=term.color, width=term.width))
        return
    # a markdown memo written to stdout draws its figures in ASCII where stdout cannot show Unicode
    ascii_only = fmt is Format.markdown and _Global.output is None and _terminal().ascii_only
    _emit(
        render(result, fmt, provenance, ascii_only=ascii_only),
        json=fmt is Format.json,
        html=fmt is Format.html,
    )


def _memo(result: Any, opts: Options) -> Any:
    """The provenance a memo ends with: scenarios, weight overrides, date, versions, sources."""
    from coalesce.render import provenance as pv

    return pv.build(opts.dataset, result, date=opts.date, weight_overrides=dict(opts.weights))


def _stamp(
    dataset: Any,
    result: Any,
    scenarios: Any = (),
    sets: Any = None,
    weights: Any = None,
    date: str | None = None,
) -> Any:
    """The provenance of a result that cites no sources by design (power, sweep, backtest, a listing):
    the scenarios, --set and weights that produced it, the date, the tool and data versions."""
    from coalesce.render import provenance as pv

    return pv.build(
        dataset,
        result,
        date=date,
        weight_overrides=dict(weights or {}),
        scenarios=scenarios,
        sets=sets or {},
        cites=False,
    )


def _opts_stamp(result: Any, opts: Options) -> Any:
    """`_stamp` of a run built from options (sweep, backtest, score --batch)."""
    return _stamp(opts.dataset, result, opts.scenarios, opts.sets, opts.weights, opts.date)


def _html_stamp(fmt: Format, applied: Applied | None, result: Any) -> Any:
    """A listing's provenance, for an html page only (so a page always says its version and date); a
    listing at the terminal or in markdown stays a plain list. No data (scenarios): the shipped data's."""
    if _format(fmt) is not Format.html:
        return None
    applied = applied if applied is not None else _applied(None, [], [])
    return _stamp(applied.dataset, result, applied.names, applied.sets)


def _progress(fmt: Format) -> AbstractContextManager[None]:
    """Progress on stderr (rich.progress) while the core runs, only when stderr is a terminal.

    Nothing is drawn with --quiet, when stderr is not a terminal, or for --format json when stdout is
    a pipe (a script is reading). The core reports its steps through `coalesce.progress`.
    """
    from rich.console import Console

    from coalesce import progress

    piped = not Console(file=sys.stdout).is_terminal  # rich's detection (FORCE_TTY, TTY_INTERACTIVE, isatty)
    quiet = _Global.quiet or (_format(fmt) is Format.json and piped)
    return progress.on_stderr() if not quiet and Console(file=sys.stderr).is_terminal else progress.silent()


# --- commands: each builds its options, calls the core once, renders --------------------------------
_F = TypeVar("_F", bound=Callable[..., None])


def _command(name: str | None = None) -> Callable[[_F], _F]:
    """`app.command`, with the docstring's first paragraph as the summary in `coalesce --help` (so it
    wraps instead of being cut with "...")."""

    def register(function: _F) -> _F:
        summary = " ".join((function.__doc__ or "").strip().split("\n\n")[0].split())
        return app.command(name=name, short_help=summary, cls=_Command)(function)

    return register


@_command()
def propose(
    issue: IssueArg,
    top: Annotated[
        int, typer.Option("--top", "-n", metavar="K", help="How many ranked recommendations.")
    ] = 5,
    min_size: MinSizeOpt = None,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    budget: BudgetOpt = None,
    time_limit: TimeLimitOpt = None,
    timing: Annotated[
        bool,
        typer.Option(
            "--timing", help="Report the search's wall time in JSON (breaks byte-identical output)."
        ),
    ] = False,
    date: DateOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rank minilateral architectures for an issue: the exact top K, with reasons.

    \b
    Examples:
      coalesce propose ai-governance
      coalesce propose ai-governance --max-size 6 --weight veto=2 --format json
      coalesce propose semiconductor-export-controls --exclude CHN --include NLD,JPN
      coalesce propose ai-governance --scenario china-walks-out --format markdown -o memo.md
    """
    opts = _options(
        data,
        scenario,
        set_,
        include=include,
        exclude=exclude,
        weights=weight,
        top=top,
        min_size=min_size,
        max_size=max_size,
        time_limit=time_limit,
        work_limit=budget,
        date=date,
    )
    result = opts.propose(issue, timing=timing)
    _render(result, fmt, _memo(result, opts))


@_command()
def score(
    issue: IssueArg,
    members: Annotated[
        Optional[str],
        typer.Argument(metavar="A,B", show_default=False, help="The grouping, comma-separated: USA,CHN,GBR."),
    ] = None,
    batch: Annotated[
        Optional[Path],
        typer.Option(
            "--batch",
            metavar="FILE",
            help="File with one grouping per line (- for standard input). Good lines are scored; each "
            "bad line is reported on stderr as file:line:col, and the exit code is then 65.",
        ),
    ] = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    budget: BudgetOpt = None,
    date: DateOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Assess a given grouping with the same rules and reasons, plus advice.

    \b
    Examples:
      coalesce score ai-governance USA,CHN,GBR
      coalesce score ai-governance USA,CHN,GBR --weight veto=2 --format json
      coalesce score ai-governance --batch groupings.txt --format json
      printf 'USA,CHN\\nUSA,GBR\\n' | coalesce score ai-governance --batch -
    """
    from coalesce.errors import UsageError

    opts = _options(data, scenario, set_, exclude=exclude, weights=weight, work_limit=budget, date=date)
    if batch is not None:
        _score_batch(opts, issue, batch, fmt)
        return
    if not members:
        raise UsageError("name the grouping (e.g. USA,CHN,GBR) or give --batch FILE")
    result = opts.score(issue, members)
    _render(result, fmt, _memo(result, opts))


def _score_batch(opts: Options, issue: str, batch: Path, fmt: Format) -> None:
    """Score the good lines, print them, then report every bad line on stderr (exit 65)."""
    from coalesce.batch import read_lines, score_batch
    from coalesce.errors import DataError, UsageError

    if str(batch) != "-" and not batch.exists():
        raise UsageError(f"--batch {batch}: no such file (give a file, or - for standard input)")
    label, lines = read_lines(batch)
    with _progress(fmt):
        listing, problems = score_batch(opts, issue, label, lines)
    if listing.rows:
        stamp = _opts_stamp(listing, opts) if _format(fmt) is Format.html else None
        _render(listing, fmt, stamp)
    if problems:
        raise DataError(problems)


@_command("issues")
def issues_cmd(
    scenario: ScenarioOpt = None, set_: SetOpt = None, data: DataOpt = None, fmt: FormatOpt = Format.table
) -> None:
    """List the issues with their decision rule, target, deadline and sizes.

    \b
    Examples:
      coalesce issues
      coalesce issues --format json | jq '.rows[].id'
      coalesce issues --set issues.ai-governance.deadline_months=12
    """
    from coalesce.browse import list_issues

    applied = _applied(data, scenario, set_)
    found = list_issues(applied.dataset)
    _render(found, fmt, _html_stamp(fmt, applied, found))


@_command()
def actors(
    domain: Annotated[
        Optional[str],
        typer.Option(
            "--domain", metavar="DOMAIN", help="List the holders of one capability domain by share."
        ),
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List the actors, or with --domain the holders of a domain by share, with sources.

    \b
    Examples:
      coalesce actors
      coalesce actors --domain chip-equipment
      coalesce actors --format json | jq '.rows[] | select(.kind == "bloc") | .code'
    """
    from coalesce.browse import list_actors

    applied = _applied(data, scenario, set_)
    found = list_actors(applied.dataset, domain)
    _render(found, fmt, _html_stamp(fmt, applied, found))


@_command()
def show(
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY", show_default=False, help="An issue id or an actor (ISO3, ISO2 or name)."
        ),
    ],
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show one issue or actor in full, with the sources behind its figures.

    \b
    Examples:
      coalesce show Norway
      coalesce show NOR --format json
      coalesce show ai-governance --format markdown
    """
    from coalesce.browse import show as show_detail

    applied = _applied(data, scenario, set_)
    detail = show_detail(applied.dataset, key)
    _render(detail, fmt, _html_stamp(fmt, applied, detail))


@_command()
def sources(
    scenario: ScenarioOpt = None, set_: SetOpt = None, data: DataOpt = None, fmt: FormatOpt = Format.table
) -> None:
    """List every source with publisher, year, address and how many figures cite it.

    \b
    Examples:
      coalesce sources
      coalesce sources --format markdown -o sources.md
      coalesce sources --format json | jq '.rows[0]'
    """
    from coalesce.browse import list_sources

    applied = _applied(data, scenario, set_)
    found = list_sources(applied.dataset)
    _render(found, fmt, _html_stamp(fmt, applied, found))


@_command("scenarios")
def scenarios_cmd(fmt: FormatOpt = Format.table) -> None:
    """List the example scenarios shipped with coalesce: pass one by name as --scenario NAME.

    \b
    Examples:
      coalesce scenarios
      coalesce scenarios --format json
      coalesce propose ai-governance --scenario china-walks-out
    """
    from coalesce.browse import list_scenarios

    found = list_scenarios()
    _render(found, fmt, _html_stamp(fmt, None, found))


@_command()
def validate(
    scenario: ScenarioOpt = None, set_: SetOpt = None, data: DataOpt = None, fmt: FormatOpt = Format.table
) -> None:
    """Check data, scenarios and --set values; report every problem in one pass (exit 65).

    Each problem is a line file:line:col: message on stderr; with --format json, stdout also gets
    {"ok": false, "problems": [...]} listing all of them.

    \b
    Examples:
      coalesce validate
      coalesce validate --data ./mydata --scenario my-scenario.yaml
      coalesce validate --scenario china-walks-out --set model.track_credit=0.5 --format json
    """
    from coalesce.errors import DataError
    from coalesce.shipped import resolve_scenario
    from coalesce.validation import run_validation

    paths = [resolve_scenario(s) for s in scenario or []]
    report, problems = run_validation(_data(data), paths, list(set_ or []))
    if problems and _format(fmt) is Format.json:  # all of them as data on stdout too
        from coalesce.render import jsonfmt

        _emit(jsonfmt.render(report), json=True)
    elif not problems:
        stamp = (
            _html_stamp(fmt, _applied(data, scenario, set_), report) if _format(fmt) is Format.html else None
        )
        _render(report, fmt, stamp)
    if problems:
        raise DataError(problems)


@_command()
def schema(
    document: Annotated[
        str,
        typer.Argument(
            metavar="DOCUMENT",
            show_default=False,
            help="A command's output (propose, score, "
            "frontier, ...), or an input: states, issues, scenario; `list` names them all.",
        ),
    ],
    fmt: Annotated[
        Optional[Format],
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"Output format: {FORMATS} (default: json; csv is refused).",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a command's output or of an input file.

    JSON by default; markdown, table and html list its properties, then show the schema itself;
    csv is refused (a schema is a nested document, not rows).

    \b
    Examples:
      coalesce schema list
      coalesce schema propose | jq '.properties | keys'
      coalesce schema scenario > scenario.schema.json
      coalesce schema propose --format html -o propose-schema.html
    """
    from coalesce.schemas import schema_view

    view = schema_view(document)
    chosen = fmt or _Global.fmt or Format.json  # its own --format, else the global one, else json
    if chosen is Format.json:
        _emit(view.text, json=True)
        return
    # markdown, table, html: its properties, then the schema itself; csv: a usage error (no rows)
    _render(view, chosen, _html_stamp(chosen, None, view))


@_command()
def frontier(
    issue: IssueArg,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    budget: BudgetOpt = None,
    time_limit: Annotated[
        Optional[float],
        typer.Option("--time-limit", metavar="SECONDS", help="Safety net: seconds for the whole curve."),
    ] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Naím's curve: the best architecture of each size, and where adding members stops paying.

    \b
    Examples:
      coalesce frontier semiconductor-export-controls
      coalesce frontier semiconductor-export-controls --max-size 8 --format json
      coalesce frontier ai-governance --exclude CHN --scenario china-walks-out
    """

    opts = _options(
        data,
        scenario,
        set_,
        include=include,
        exclude=exclude,
        weights=weight,
        max_size=max_size,
        time_limit=time_limit,
        work_limit=budget,
    )
    with _progress(fmt):
        result = opts.frontier(issue)
    _render(result, fmt, _memo(result, opts))


@_command()
def power(
    issue: Annotated[
        str, typer.Argument(metavar="ISSUE", show_default=False, help="Issue id (its decision rule is used).")
    ],
    members: MembersArg,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Voting power of each member under the issue's decision rule: Shapley-Shubik, Banzhaf, Coleman.

    \b
    Examples:
      coalesce power imf-quota-reform USA,CHN,JPN,DEU,GBR,FRA
      coalesce power imf-quota-reform USA,CHN,JPN --format json
      coalesce power imf-quota-reform USA,CHN,JPN --format markdown
    """
    from coalesce.analysis.voting import power as run_power

    applied = _applied(data, scenario, set_)
    result = run_power(applied.dataset, issue, [members])
    stamp = _stamp(applied.dataset, result, applied.names, applied.sets)
    _render(result, fmt, stamp)


@_command()
def compare(
    issue: IssueArg,
    scenario: Annotated[
        list[str],
        typer.Option(
            "--scenario",
            "-s",
            metavar="FILE|NAME",
            help="Scenario file or shipped name; each is compared with the baseline; repeatable.",
        ),
    ],
    top: Annotated[int, typer.Option("--top", "-n", metavar="K", help="How many cores to compare.")] = 5,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    set_: SetOpt = None,
    budget: BudgetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Baseline against scenarios: rank changes, criterion deltas, who enters and leaves, conveners.

    \b
    Examples:
      coalesce compare ai-governance --scenario china-walks-out
      coalesce compare ai-governance -s china-walks-out -s my-scenario.yaml --top 3
      coalesce compare ai-governance --scenario china-walks-out --weight veto=2 --format json
    """
    from coalesce.shipped import resolve_scenario

    base = _options(
        data,
        [],
        set_,
        include=include,
        exclude=exclude,
        weights=weight,
        top=top,
        max_size=max_size,
        work_limit=budget,
    )
    result = base.compare(issue, [resolve_scenario(s) for s in scenario])
    _render(result, fmt, _memo(result, base))


@_command()
def robustness(
    issue: IssueArg,
    draws: Annotated[int, typer.Option("--draws", metavar="N", help="Number of perturbed draws.")] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", metavar="N", help="Random seed; the same seed gives the same output.")
    ] = 0,
    concentration: Annotated[
        float,
        typer.Option(
            "--concentration", metavar="NUMBER", help="Dirichlet concentration of the weight draws."
        ),
    ] = 50.0,
    workers: Annotated[
        Optional[int], typer.Option("--workers", metavar="N", help="Processes (default: all cores).")
    ] = None,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    budget: Annotated[
        Optional[int],
        typer.Option(
            "--budget",
            metavar="WORK",
            help="Work budget of the unperturbed search that seeds the draws (default 40,000); each "
            "draw has its own fixed budget of 2,000.",
        ),
    ] = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Perturb weights and figures within their uncertainty: who wins, who is in the core, who convenes.

    \b
    Examples:
      coalesce robustness semiconductor-export-controls
      coalesce robustness semiconductor-export-controls --draws 200 --seed 7 --format json
      coalesce robustness ai-governance --exclude CHN --workers 2
    """

    opts = _options(
        data,
        scenario,
        set_,
        include=include,
        exclude=exclude,
        weights=weight,
        max_size=max_size,
        work_limit=budget,
    )
    with _progress(fmt):
        result = opts.robustness(issue, draws=draws, seed=seed, concentration=concentration, workers=workers)
    _render(result, fmt, _memo(result, opts))


@_command()
def sweep(
    issue: IssueArg,
    vary: Annotated[
        str,
        typer.Option(
            "--vary", metavar="PATH=FROM..TO", help="The parameter and its range, e.g. weights.veto=0..3."
        ),
    ],
    steps: Annotated[
        int, typer.Option("--steps", metavar="N", help="Evenly spaced steps across the range.")
    ] = 20,
    max_size: MaxSizeOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    weight: WeightOpt = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    budget: BudgetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Vary one parameter and find the tipping points where the recommended core changes.

    \b
    Examples:
      coalesce sweep ai-governance --vary weights.veto=0..3
      coalesce sweep ai-governance --vary weights.veto=0..3 --steps 12 --format json
      coalesce sweep ai-governance --vary actors.CHN.alignment.ideal_point=-1.5..1
    """

    opts = _options(
        data,
        scenario,
        set_,
        include=include,
        exclude=exclude,
        weights=weight,
        max_size=max_size,
        work_limit=budget,
    )
    result = opts.sweep(issue, vary, steps=steps)
    _render(result, fmt, _opts_stamp(result, opts))


@_command()
def backtest(
    case: Annotated[
        Optional[str], typer.Option("--case", metavar="CASE", help="Run one case by id (default: all).")
    ] = None,
    cases: Annotated[
        Optional[Path],
        typer.Option("--cases", metavar="FILE", help="Cases file (default: cases.yaml in the data)."),
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Run the historical cases: how close does coalesce come to what actually formed?

    The protocol is in docs/backtest.md. A scenario or --set changes the data every case reads; the
    cases fix their own members, exclusions and weights, so a scenario that sets include, exclude or
    weights is refused.

    \b
    Examples:
      coalesce backtest
      coalesce backtest --case chip-tools-2023 --format json
      coalesce backtest --set model.track_credit=0.5
    """
    from coalesce.analysis.backtest import backtest as run_backtest
    from coalesce.errors import UsageError

    opts = _options(data, scenario, set_)
    if opts.include or opts.exclude or opts.weights:
        raise UsageError(
            "backtest: a scenario's include, exclude and weights do not apply (each case fixes its own); "
            "use a scenario with set: only, or --set"
        )
    with _progress(fmt):
        result = run_backtest(opts.dataset, cases, case)
    _render(result, fmt, _opts_stamp(result, opts))


def _without_debug(args: list[str]) -> list[str]:
    """The global --debug is read by `main`; it may come before or after the command (not after --)."""
    if "--" in args:
        cut = args.index("--")
        return [a for a in args[:cut] if a != "--debug"] + args[cut:]
    return [a for a in args if a != "--debug"]


def _output_first(args: list[str]) -> list[str]:
    """The global -o/--output FILE may also come after the command (`propose X --format html -o x.html`):
    no command has an option of that name, so it is moved before the command (never past --)."""
    cut = args.index("--") if "--" in args else len(args)
    head, moved, i = [], [], 0
    while i < cut:
        a = args[i]
        if a in ("-o", "--output") and i + 1 < cut:
            moved += args[i : i + 2]
            i += 2
            continue
        if a.startswith("--output="):
            moved.append(a)
        else:
            head.append(a)
        i += 1
    return moved + head + args[cut:]


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turn every error into one line on stderr and SPEC's exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in _before_dashes(args)
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
    files = sys.modules.get("coalesce.loading.files")  # not imported yet: stdin was not read
    if files is not None:
        files.forget_stdin()
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


_VALUED = ("--format", "-f", "--data", "--output", "-o")
"""The global options that take a value (the next word, unless given as `--name=value` or `-fVALUE`)."""
_FLAGS = (
    "--quiet",
    "-q",
    "--debug",
    "--version",
    "--help",
    "-h",
    "--install-completion",
    "--show-completion",
)


def _invoked(args: list[str]) -> str | None:
    """The name of the command on the line: the first word after the global options (and their
    values), when it names a registered command; None otherwise (no command, `--`, an option the group
    does not know, a shell completion, an unknown name: the whole app answers those)."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None  # typer's shell completion lists every command
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        word = args[i]
        if word in _VALUED:
            i += 2
        elif word in _FLAGS or word.split("=", 1)[0] in ("--format", "--data", "--output"):
            i += 1
        elif not word.startswith("--") and word[1] in "qhfo":  # short options: -q, -qf json, -fjson
            letters = word[1:]
            valued = next((k for k, letter in enumerate(letters) if letter in "fo"), len(letters))
            if any(letter not in "qh" for letter in letters[:valued]):
                return None
            i += 2 if valued == len(letters) - 1 else 1  # a last -f or -o takes the next word
        else:
            return None
    if i >= len(args):
        return None
    return args[i] if any(_name(info) == args[i] for info in app.registered_commands) else None


def _name(info: Any) -> str:
    """A registered command's name, as typer derives it (`name=`, else the function's name)."""
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__ if info.callback else "")


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command the line names (with the same global options), else the whole app.

    typer builds the click command of every registered command before it parses a line (about 12 ms
    of CPU for these 15, 0.2 x the stack import); one command's parsing, help and errors do not depend
    on its siblings, so a line that names a command is parsed by a group holding that command alone.
    """
    name = _invoked(args)
    if name is None:
        return app
    one = copy.copy(app)
    one.registered_commands = [info for info in app.registered_commands if _name(info) == name]
    return one


def _dispatch(args: list[str], debug: bool) -> int:
    try:
        line = _output_first(_without_debug(args))
        returned = _app_for(line)(args=line, prog_name="coalesce", standalone_mode=False)
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


def _before_dashes(args: list[str]) -> list[str]:
    return args[: args.index("--")] if "--" in args else args
