"""coalesce's branch and bound against CP-SAT (OR-Tools) and HiGHS on the same instances, top-1.

Usage: pip install -e '.[bench]' && python bench/bench_solvers.py [--issues a,b] [--max-size 20]
       [--time-limit 60] [--cpsat-workers 2] [--markdown]

Without the `bench` extra (ortools, highspy) it says so and exits 0; each solver missing alone is skipped.

What the solvers are given. The same instance as coalesce's search (`problem.compile`: the issue's
candidates, forced and excluded actors, sizes), and an exact mixed-integer linear formulation of the
part of the objective such a solver can model faithfully, on the model as it ships: the weighted mean of

- capability, min(1, C/target), C the coverage of the union of the members' atomic units (a bloc's
  members are not counted twice): a binary per unit, at most the sum of the actors holding it; and,
  when some group within the size limits reaches the target, coverage >= target, since coalesce ranks
  a core that misses a reachable target below every core that reaches it (capability.MISS_PENALTY);
- timeliness, Phi((log deadline - b0 - b1 log n - b2 spread) / s). The shipped fit has b2 = 0, so it
  depends on the size alone: a one-hot size carries it. With b1 = 0 it depends on the spread alone and
  a binary per (lowest, highest) member pair carries it ("pair preprocessing", O(n^2) binaries); with
  both non-zero the instance is reported as not modelled;
- rivals, each key rival's credit: 1 in the core, else its rivalry's track credit (the track's
  probability of agreeing times its probability of agreeing in time, whatever the core) when a track
  can seat it: linear in membership;
- legitimacy, the UN regional groups represented over five (a binary per group).

What they cannot model faithfully, and so is weighted 0 on both sides (`--zero`; the search is run with
the same weights):
- **veto**, under every rule. The consensus score (1 - eps)^n * exp(-TSS / 2 sigma^2) is an
  exponential of the members' squared deviation from their mean (quadratic over n); majority, qualified
  majority and double majority are Poisson-binomial sums, the weighted vote a DP over the opposing
  weight, veto-quota both, all over the members' acceptance probabilities. A piecewise-linear or tabled
  stand-in would be an approximation, not the objective.
- **expertise** and **parsimony**, since the convener model of stop 19: the convener's quality is
  (static_c * least UN-vote agreement of c with any member)^(1/3), maximised over every state, and it
  enters expertise (its convener share) and parsimony (the convener is exempt from the passenger
  test); parsimony's size score is min(1, n_need(C) / n), with n_need a step function of the coverage C
  the core holds. Each is expressible in a MILP (a one-hot convener with a big-M row per (convener,
  member) pair, about 38,000 rows; coverage bands times a one-hot size), but this bench does not
  formulate them, so they are set to 0 rather than approximated. The earlier formulation (convener and
  timeliness through the extreme ideal points, a constant track credit, an absolute size score) no
  longer matches the model, and is gone.

CP-SAT needs integer constraints: the capability row is scaled by 10^12 (error below 1e-9); its
objective keeps real coefficients. HiGHS runs with mip_rel_gap = 0, CP-SAT with its default (exact).

Each solver's answer is re-scored by coalesce (`scoring.evaluate`) and must equal its own objective (the
`check` column: the largest difference), and its optimum must equal coalesce's top-1 total (`agree`),
so a wrong formulation shows. Times are wall seconds in this process, one run each, on the same machine
in the same run: coalesce's search (`top_k`, no work budget), each solver's solve, and the model build
(preprocessing included) separately. The import of each solver is timed in a fresh process against the
stack import (`python -c "import typer, rich, pydantic, yaml"`).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from coalesce import engine  # noqa: E402
from coalesce.architecture import track_credit, track_seats  # noqa: E402
from coalesce.compiled import Context  # noqa: E402
from coalesce.criteria.capability import TOLERANCE, reachable  # noqa: E402
from coalesce.criteria.legitimacy import CRITERION as LEGITIMACY  # noqa: E402
from coalesce.criteria.legitimacy import GROUPS  # noqa: E402
from coalesce.criteria.timeliness import probability_in_time  # noqa: E402
from coalesce.loading.files import load_dataset  # noqa: E402
from coalesce.request import build_request  # noqa: E402
from coalesce.scoring import evaluate  # noqa: E402
from coalesce.search import top_k  # noqa: E402

NOT_MODELLED = ("veto", "expertise", "parsimony")
"""Criteria weighted 0 on both sides by default (see the module docstring)."""
CAP_SCALE = 10**6


@dataclass
class Model:
    """A solver-neutral MILP: maximise obj . x + constant subject to lo <= row . x <= hi."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    """'bin'; 'pair', a (lowest, highest) pair indicator, integral once the binaries are (continuous
    for HiGHS, Boolean for CP-SAT); or 'cap' (the capability score, continuous in [0, 1])."""
    obj: dict[int, float] = field(default_factory=dict)
    constant: float = 0.0
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    actor_var: dict[int, int] = field(default_factory=dict)
    cap_row: int = -1
    reach_row: int = -1
    """The row `coverage >= target` (real coefficients: CP-SAT scales it like the capability row)."""

    def var(self, kind: str = "bin", lower: float = 0.0, upper: float = 1.0) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.kind.append(kind)
        return len(self.kind) - 1

    def row(self, coefs: dict[int, float], lo: float, hi: float) -> int:
        self.rows.append((coefs, lo, hi))
        return len(self.rows) - 1

    def add_obj(self, var: int, coef: float) -> None:
        if coef:
            self.obj[var] = self.obj.get(var, 0.0) + coef


def formulate(ctx: Context) -> Model:
    """The exact MILP of the modelled criteria for this context (see the module docstring)."""
    weights, total = ctx.weights, ctx.weight_total
    model = Model()
    members = sorted({*ctx.candidates, *ctx.forced})
    for actor in members:
        forced = actor in ctx.forced
        model.actor_var[actor] = model.var(lower=1.0 if forced else 0.0)
    x = model.actor_var
    low, high = ctx.constraints.min_size, ctx.constraints.max_size
    model.row({x[a]: 1.0 for a in members}, low, high)

    # capability: one binary per atomic unit any member can bring. When some group within the size
    # limits reaches the target, coalesce ranks every core that misses it below every core that reaches
    # it (capability.MISS_PENALTY), so the formulation requires the target then: the same ranking.
    w = weights.get("capability", 0.0) / total
    must_reach = reachable(ctx)
    if w or must_reach:
        holders: dict[int, list[int]] = {}
        for a in members:
            mask, unit = ctx.unit_masks[a], 0
            while mask:
                if mask & 1:
                    holders.setdefault(unit, []).append(a)
                mask >>= 1
                unit += 1
        held: dict[int, float] = {}
        for unit, who in sorted(holders.items()):
            if ctx.unit_value[unit] <= 0:
                continue
            y = model.var()
            model.row({y: 1.0, **{x[a]: -1.0 for a in who}}, -math.inf, 0.0)
            held[y] = ctx.unit_value[unit]
        if w:
            cap = model.var("cap")
            model.cap_row = model.row(
                {cap: ctx.issue.target, **{y: -v for y, v in held.items()}}, -math.inf, 0.0
            )
            model.add_obj(cap, w)
        if must_reach:
            model.reach_row = model.row(held, ctx.issue.target - TOLERANCE, math.inf)

    for name in ("expertise", "parsimony", "veto"):
        if weights.get(name, 0.0):
            raise NotModelled(f"{name} has weight {weights[name]:g}; this formulation has no {name} term")

    w_time = weights.get("timeliness", 0.0) / total
    if w_time:
        p = ctx.criterion_params["timeliness"]
        if float(p.timeliness_spread_coefficient) == 0.0:
            # the size alone decides it: a one-hot size
            sizes = {k: model.var() for k in range(max(1, low), high + 1)}
            model.row(dict.fromkeys(sizes.values(), 1.0), 1.0, 1.0)
            model.row({**{v: float(k) for k, v in sizes.items()}, **{x[a]: -1.0 for a in members}}, 0.0, 0.0)
            for k, v in sizes.items():
                model.add_obj(v, w_time * probability_in_time(ctx, k, 0.0))
        elif float(p.timeliness_size_elasticity) == 0.0:
            _spread_pairs(ctx, model, members, w_time)
        else:
            raise NotModelled("timeliness depends on both the size and the spread")

    # rivals: linear in membership
    w_riv = weights.get("rivals", 0.0) / total
    if w_riv:
        if not ctx.rivalries:
            model.constant += w_riv
        else:
            base: dict[int, float] = {}
            for g, group in enumerate(ctx.rivalries):
                seats = track_seats(ctx, group)
                credit = track_credit(ctx, g)  # a rival outside the core is a seat its track is needed for
                for r in group:
                    base[r] = max(base.get(r, 0.0), credit if r in seats else 0.0)
            for r, c0 in base.items():
                share = w_riv / len(base)
                model.constant += share * c0
                if r in x:
                    model.add_obj(x[r], share * (1.0 - c0))

    # legitimacy: UN regional groups represented
    w_leg = weights.get("legitimacy", 0.0) / total
    if w_leg:
        masks = LEGITIMACY.regions(ctx).masks
        for g in range(len(GROUPS)):
            who = [a for a in members if masks[a] >> g & 1]
            if who:
                v = model.var()
                model.row({v: 1.0, **{x[a]: -1.0 for a in who}}, -math.inf, 0.0)
                model.add_obj(v, w_leg / len(GROUPS))
    return model


def _spread_pairs(ctx: Context, model: Model, members: list[int], weight: float) -> None:
    """Timeliness when it depends on the spread alone: the lowest and highest members (one-hot each,
    every member between them) and a binary per (lowest, highest) pair carrying that pair's value."""
    x = model.actor_var
    order = sorted(members, key=lambda a: (ctx.alignment[a], a))
    lo_var = [model.var() for _ in order]
    hi_var = [model.var() for _ in order]
    model.row(dict.fromkeys(lo_var, 1.0), 1.0, 1.0)
    model.row(dict.fromkeys(hi_var, 1.0), 1.0, 1.0)
    for p, a in enumerate(order):
        model.row({lo_var[p]: 1.0, x[a]: -1.0}, -math.inf, 0.0)
        model.row({hi_var[p]: 1.0, x[a]: -1.0}, -math.inf, 0.0)
        model.row({x[a]: 1.0, **{lo_var[q]: -1.0 for q in range(p + 1)}}, -math.inf, 0.0)
        model.row({x[a]: 1.0, **{hi_var[q]: -1.0 for q in range(p, len(order))}}, -math.inf, 0.0)
    # z[p, q] = lo[p] * hi[q], by its row and column sums (a transportation polytope with unit
    # marginals: exact, and integral once lo and hi are)
    by_lo: list[dict[int, float]] = [{lo_var[p]: -1.0} for p in range(len(order))]
    by_hi: list[dict[int, float]] = [{hi_var[q]: -1.0} for q in range(len(order))]
    for p, a in enumerate(order):
        for q in range(p, len(order)):
            spread = ctx.alignment[order[q]] - ctx.alignment[a]
            z = model.var("pair")
            by_lo[p][z] = 1.0
            by_hi[q][z] = 1.0
            model.add_obj(z, weight * probability_in_time(ctx, 1 if p == q else 2, spread))
    for coefs in (*by_lo, *by_hi):
        model.row(coefs, 0.0, 0.0)


class NotModelled(ValueError):
    """The instance has a term this formulation does not express exactly."""


@dataclass
class Solved:
    members: tuple[int, ...] | None
    objective: float | None
    seconds: float
    optimal: bool


def solve_cpsat(model: Model, time_limit: float, workers: int) -> Solved:
    from ortools.sat.python import cp_model

    cp = cp_model.CpModel()
    variables: list[Any] = []
    for i, kind in enumerate(model.kind):
        if kind == "cap":
            variables.append(cp.new_int_var(0, CAP_SCALE, f"v{i}"))
        else:
            variables.append(cp.new_int_var(int(model.lower[i]), int(model.upper[i]), f"v{i}"))
    for r, (coefs, lo, hi) in enumerate(model.rows):
        if r == model.cap_row:  # target * cap <= coverage, in integers: cap is scaled by CAP_SCALE
            terms = [
                round(c * CAP_SCALE) * variables[v]
                if model.kind[v] == "cap"
                else round(c * CAP_SCALE * CAP_SCALE) * variables[v]
                for v, c in coefs.items()
            ]
            cp.add(sum(terms) <= 0)
            continue
        if r == model.reach_row:  # coverage >= target, in integers (scaled by CAP_SCALE^2)
            scale = CAP_SCALE * CAP_SCALE
            cp.add(sum(round(c * scale) * variables[v] for v, c in coefs.items()) >= math.ceil(lo * scale))
            continue
        expr = sum(round(c) * variables[v] for v, c in coefs.items())
        if lo == hi:
            cp.add(expr == round(lo))
        else:
            if lo > -math.inf:
                cp.add(expr >= round(lo))
            if hi < math.inf:
                cp.add(expr <= round(hi))
    cp.maximize(
        sum((c / CAP_SCALE if model.kind[v] == "cap" else c) * variables[v] for v, c in model.obj.items())
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    began = time.perf_counter()
    status = solver.solve(cp)
    seconds = time.perf_counter() - began
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solved(None, None, seconds, False)
    chosen = tuple(sorted(a for a, v in model.actor_var.items() if solver.value(variables[v])))
    return Solved(chosen, solver.objective_value + model.constant, seconds, status == cp_model.OPTIMAL)


def solve_highs(model: Model, time_limit: float) -> Solved:
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", time_limit)
    n = len(model.kind)
    inf = highspy.kHighsInf
    h.addVars(n, np.array(model.lower, dtype=float), np.array(model.upper, dtype=float))
    integral = [i for i, k in enumerate(model.kind) if k == "bin"]
    h.changeColsIntegrality(
        len(integral),
        np.array(integral, dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * len(integral)),
    )
    costs = np.zeros(n)
    for v, c in model.obj.items():
        costs[v] = c
    h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
    starts, indices, values, lower, upper = [], [], [], [], []
    for coefs, lo, hi in model.rows:
        starts.append(len(indices))
        indices += list(coefs)
        values += list(coefs.values())
        lower.append(-inf if lo == -math.inf else lo)
        upper.append(inf if hi == math.inf else hi)
    h.addRows(
        len(model.rows),
        np.array(lower),
        np.array(upper),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values),
    )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    began = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - began
    status = h.getModelStatus()
    solution = h.getSolution().col_value
    if len(solution) != n:
        return Solved(None, None, seconds, False)
    chosen = tuple(sorted(a for a, v in model.actor_var.items() if solution[v] > 0.5))
    value = float(h.getInfo().objective_function_value) + model.constant
    return Solved(chosen, value, seconds, status == highspy.HighsModelStatus.kOptimal)


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a module blocked in sys.modules has no spec
        return False


def _quiet_banner() -> None:
    """HiGHS prints its banner to standard output on the first Highs(); keep it out of the table."""
    import os

    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def import_seconds(statement: str, runs: int = 3) -> float:
    best = math.inf
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, capture_output=True)
        best = min(best, time.perf_counter() - began)
    return best


def _ratio(solver: Solved | None, ours: float, limit: float) -> str:
    if solver is None:
        return "skipped"
    ratio = solver.seconds / ours if ours > 0 else math.inf
    if not solver.optimal:
        return f"> {ratio:,.0f} (not solved)"
    return f"{ratio:,.1f}" if ratio >= 1 else f"{ratio:.3f} (coalesce {1 / ratio:,.0f} x slower)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--issues", default="")
    parser.add_argument(
        "--max-size", type=int, default=0, help="Largest core size (default 0: each issue's own)."
    )
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--cpsat-workers", type=int, default=2)
    parser.add_argument(
        "--zero",
        default=",".join(NOT_MODELLED),
        help="Criteria weighted 0 on both sides (default: those this formulation does not model).",
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    zero = tuple(name for name in args.zero.split(",") if name)
    have_cpsat, have_highs = _installed("ortools"), _installed("highspy")
    if not (have_cpsat or have_highs):
        print("bench_solvers: skipped, neither ortools nor highspy is installed (pip install -e '.[bench]')")
        return
    if have_highs:
        _quiet_banner()
    dataset = load_dataset()
    issues = args.issues.split(",") if args.issues else sorted(dataset.issues)
    stack = import_seconds("import typer, rich, pydantic, yaml")
    notes = [f"stack import {stack:.3f} s"]
    if have_cpsat:
        notes.append(
            f"`from ortools.sat.python import cp_model` {import_seconds('from ortools.sat.python import cp_model') / stack:.1f} x the stack import"
        )
    if have_highs:
        notes.append(f"`import highspy` {import_seconds('import highspy') / stack:.1f} x")
    print(
        f"`python bench/bench_solvers.py --max-size {args.max_size} --time-limit {args.time_limit:g} "
        f"--cpsat-workers {args.cpsat_workers}`; weights of {', '.join(zero)} set to 0 on every "
        f"side; {'; '.join(notes)}.\n"
    )
    print(
        "| issue | max size | candidates | binaries | coalesce s | exact | CP-SAT s | x coalesce | HiGHS s | x coalesce | build s | agree | check |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|")
    for issue_id in issues:
        issue = dataset.issues[issue_id]
        weights = {**issue.weights.as_dict(), **dict.fromkeys(zero, 0.0)}
        max_size = min(args.max_size or issue.max_size, len(dataset.world.actors))
        request = build_request(dataset, issue_id, top=1, max_size=max_size, weights=weights)
        ctx = engine.context_for(dataset, request)
        if sum(ctx.weights.values()) <= 0:
            print(f"| {issue_id} | not modelled: every remaining weight is 0 |")
            continue
        began = time.perf_counter()
        try:
            model = formulate(ctx)
        except NotModelled as why:
            print(f"| {issue_id} | not modelled: {why} |")
            continue
        build = time.perf_counter() - began
        began = time.perf_counter()
        ours = top_k(ctx, 1, args.time_limit, work_limit=None)
        ours_s = time.perf_counter() - began
        best = ours.results[0].score if ours.results else None
        cpsat = solve_cpsat(model, args.time_limit, args.cpsat_workers) if have_cpsat else None
        highs = solve_highs(model, args.time_limit) if have_highs else None
        checks, agree = [], []
        for solved in (cpsat, highs):
            if solved is None or solved.members is None or solved.objective is None or not solved.optimal:
                continue  # a feasible but unproven answer may leave its upper-bounded terms short
            checks.append(abs(evaluate(ctx, solved.members).total - solved.objective))
            if solved.optimal and best is not None and ours.exact:
                agree.append(abs(solved.objective - best) < 1e-6)
        binaries = sum(1 for k in model.kind if k in ("bin", "pair"))
        print(
            f"| {issue_id} | {max_size} | {len(ctx.candidates)} | {binaries:,} | {ours_s:.3f} | {'yes' if ours.exact else 'no'} | "
            + (
                f"{cpsat.seconds:.2f} | {_ratio(cpsat, ours_s, args.time_limit)} | "
                if cpsat
                else "skipped | | "
            )
            + (
                f"{highs.seconds:.2f} | {_ratio(highs, ours_s, args.time_limit)} | "
                if highs
                else "skipped | | "
            )
            + f"{build:.2f} | {'yes' if agree and all(agree) else ('NO' if agree else 'n/a')} | "
            + (f"{max(checks):.1e} |" if checks else "n/a |")
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
