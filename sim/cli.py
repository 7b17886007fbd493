"""The `disputesim` command line.

Every user mistake (a missing file, an unknown key, a value out of range) ends in one
line on standard error and exit code 2, with no traceback and nothing half-written. A
bug ends in one line too, with exit code 70, naming the file that holds its traceback
(`--debug` prints the traceback instead).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sim.errors import UserError

if TYPE_CHECKING:
    from sim.experiments.experiment import Precision


def cmd_rules(args: argparse.Namespace) -> int:
    """Print each rule id, where it is implemented and which tests exercise it."""
    from machine.catalogue import RULES
    from machine.traceability import implementations
    from sim.tooling.rule_tests import default_tests_dir, find_rule_tests

    tests_dir = Path(args.tests) if args.tests else default_tests_dir()
    if tests_dir is None or not tests_dir.is_dir():
        raise UserError(f"{args.tests or 'tests/'}: no tests folder found (use --tests DIR)")
    tests = find_rule_tests(tests_dir)
    where = implementations()
    missing_tests, missing_code = [], []
    for rule in RULES:
        print(f"{rule.id:<4} {rule.text}")
        print(f"     sources: {', '.join(rule.sources)}")
        for kind, names in where[rule.id].items():
            print(f"     {kind}: {', '.join(names)}")
        rule_tests = tests.get(rule.id, [])
        for test in rule_tests:
            print(f"     test: {test}")
        if not rule_tests:
            print("     test: NONE")
            missing_tests.append(rule.id)
        if not where[rule.id]:
            missing_code.append(rule.id)
    print()
    links = sum(len(tests.get(rule.id, [])) for rule in RULES)
    print(
        f"{len(RULES)} rules, {len(RULES) - len(missing_code)} implemented, "
        f"{len(RULES) - len(missing_tests)} tested ({links} rule-to-test links, each from a "
        "marker on the test itself)"
    )
    if missing_code:
        print(f"not implemented: {', '.join(missing_code)}", file=sys.stderr)
    if missing_tests:
        print(f"no test: {', '.join(missing_tests)}", file=sys.stderr)
    return 1 if missing_code or missing_tests else 0


def cmd_check(args: argparse.Namespace) -> int:
    """Report structural defects of the process and the shortest path to every state."""
    from machine.structure import analyse
    from machine.table import END_STATES, STATES, TRANSITIONS

    report = analyse()
    print(f"{len(STATES)} states ({len(END_STATES)} end states), {len(TRANSITIONS)} transitions")
    print("shortest path from the initial state:")
    for state, path in report.shortest_paths.items():
        print(f"  {state:<22} {' > '.join(path) or '(initial)'}")
    defects = {
        "unreachable states": report.unreachable,
        "trap states (cannot reach an end)": report.traps,
        "end states with a way out": report.leaky_end_states,
        "states used by a transition but not declared": report.unknown_states,
    }
    for title, states in defects.items():
        print(f"{title}: {', '.join(states) if states else 'none'}")
    print("OK" if report.ok else "DEFECTS FOUND")
    return 0 if report.ok else 1


def cmd_diagram(args: argparse.Namespace) -> int:
    """Write the state diagram as Mermaid, DOT, SVG or PNG."""
    from machine.diagram import DiagramError, render
    from sim.files import write_atomic

    try:
        data = render(args.format, complete=args.complete)
    except DiagramError as err:
        raise UserError(str(err)) from None
    if args.output in (None, "-"):
        if args.format in ("svg", "png") and sys.stdout.isatty():
            raise UserError(f"{args.format} is binary: give a file with -o FILE")
        sys.stdout.buffer.write(data)
    else:
        write_atomic(Path(args.output), data)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def cmd_levers(args: argparse.Namespace) -> int:
    """Print every policy lever: default, accepted values, rules, source."""
    from machine.policy import Policy

    for info in Policy.lever_info().values():
        flag = "  (assumed)" if info.assumed else ""
        print(f"{info.name} = {info.default!r}{flag}")
        print(f"    {info.doc}")
        print(f"    accepts {info.expected}; rules {', '.join(info.rules)}; source {info.source}")
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    """Print the named policy presets, or one preset's levers with --show."""
    from machine.presets import PRESETS, STANDARD_PRESETS, preset

    if args.show:
        try:
            chosen = STANDARD_PRESETS.get(args.show) or preset(args.show)
        except KeyError as err:
            raise UserError(str(err.args[0])) from None
        print(f"{chosen.name}: {chosen.title}")
        print(f"sources: {'; '.join(chosen.sources)}")
        for lever, value in chosen.levers.items():
            note = f"  (assumed: {chosen.assumed[lever]})" if lever in chosen.assumed else ""
            print(f"  {lever} = {value!r}{note}")
        for lever, why in chosen.assumed.items():
            if lever not in chosen.levers:
                print(f"  {lever}: default kept (assumed: {why})")
        return 0
    width = max(len(name) for name in (*PRESETS, *STANDARD_PRESETS))
    for chosen in PRESETS.values():
        kind = f"[{chosen.variant_of}] " if chosen.variant_of else ""
        print(f"{chosen.name:<{width}}  {kind}{chosen.title} ({', '.join(chosen.sources)})")
    print("seller standards and abuse review (policy.standards, on top of a preset):")
    for chosen in STANDARD_PRESETS.values():
        print(f"{chosen.name:<{width}}  {chosen.title} ({', '.join(chosen.sources)})")
    return 0


def _precision(args: argparse.Namespace) -> Precision | None:
    from sim.experiments.experiment import Precision

    if args.precision is None:
        return None
    return Precision(args.precision, args.max_replications)


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario and print its figures (mean and 95% CI over replications)."""
    from sim.api import replicate
    from sim.experiments.scenario import load_scenario
    from sim.views import console
    from sim.views.responses import checked_figures

    figures = checked_figures(args.figure)
    scenario = load_scenario(args.scenario).with_run(days=args.days, warmup_days=args.warmup_days)
    found = replicate(
        scenario,
        args.replications,
        seed=args.seed,
        precision=_precision(args),
        out=_out(args),
        jobs=args.jobs,
        scheduler=args.scheduler,
        quiet=args.quiet,
        engine=args.engine,
    )
    if args.json:
        print(json.dumps(found.as_dict(figures)))
        return 0
    lines = console.run_lines(found.scenario, found.seed, found.summaries, found.precision, figures)
    for line in lines:
        print(line)
    if args.out:
        print(f'tables written to {args.out}/ (disputesim query {args.out} "SQL")')
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Run scenarios on common random numbers and compare every figure with the first."""
    from sim.api import compare_runs
    from sim.experiments.scenario import load_arms
    from sim.views import console
    from sim.views.responses import checked_figures

    figures = checked_figures(args.figure)
    scenarios = [
        arm.with_run(days=args.days, warmup_days=args.warmup_days)
        for path in args.scenarios
        for arm in load_arms(path)
    ]
    found = compare_runs(
        scenarios,
        args.replications,
        seed=args.seed,
        figures=figures or list(scenarios[0].figures) or console.COMPARE_KEYS,
        precision=_precision(args),
        out=_out(args),
        jobs=args.jobs,
        scheduler=args.scheduler,
        quiet=args.quiet,
        engine=args.engine,
    )
    if args.json:
        print(json.dumps(found.as_dict()))
        return 0
    for line in console.compare_lines(scenarios, found.seed, found.summaries, found.comparisons):
        print(line)
    return 0


def cmd_warmup(args: argparse.Namespace) -> int:
    """Run a scenario from an empty start and recommend a warm-up by MSER-5."""
    from sim.api import warmup
    from sim.experiments.scenario import load_scenario
    from sim.experiments.warmup import DESCRIPTIONS
    from sim.views.plots.warmup import draw

    given = load_scenario(args.scenario).with_run(seed=args.seed)
    days = args.days
    scenario, analysis = warmup(
        given,
        days,
        args.replications,
        keep_season=args.keep_season,
        jobs=args.jobs,
        engine=args.engine,
    )
    epoch = scenario.with_run(warmup_days=0, days=days).window().epoch
    out = Path(args.out) if args.out else Path("out") / scenario.name
    written = draw(analysis, epoch, scenario.name, out)
    if args.json:
        print(
            json.dumps(
                {
                    "scenario": scenario.name,
                    "days": days,
                    "replications": analysis.replications,
                    "truncation_days": analysis.truncation,
                    "settled": analysis.settled,
                    "recommended_warmup_days": analysis.recommended,
                    "figure": str(written[0]),
                }
            )
        )
        return 0
    season = "" if args.keep_season else ", without its sales season"
    print(
        f"{scenario.name}: {analysis.replications} replications of {days} days from an empty "
        f"marketplace{season}, starting {epoch.isoformat()}"
    )
    for key, cut in analysis.truncation.items():
        drifting = "" if analysis.settled[key] else "  (still drifting: not settled)"
        print(f"  MSER-5 truncation, {DESCRIPTIONS[key]:<44} day {cut}{drifting}")
    if not all(analysis.settled.values()):
        print(
            "warning: a series never settles within the days run; the case team may be too "
            "small for its load, and its figures then grow with the window"
        )
    print(
        f"recommended warm-up: {analysis.recommended} days (the longest, to a whole week); "
        f"the scenario has {scenario.run.warmup_days}"
    )
    print(f"figure: {written[0]}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Sweep levers and behaviour parameters; store a tidy table and sensitivity indices."""
    from sim.experiments.study import load_study
    from sim.experiments.sweep import run_sweep
    from sim.views import console
    from sim.views.responses import chosen_figures

    study, base = load_study(args.study)
    chosen_figures({}, args.figure)  # an unknown --figure is refused before anything runs
    base = study.measured(base).with_run(days=args.days, warmup_days=args.warmup_days)
    out = Path(args.out)
    swept = run_sweep(
        study,
        base,
        out,
        source=args.study,
        jobs=args.jobs,
        scheduler=args.scheduler,
        quiet=args.quiet,
        engine=args.engine,
        precision=_precision(args),
    )
    plan, summaries, rows = swept.plan, swept.summaries, swept.sensitivity
    print(
        f"{study.name}: {len(plan.points)} points x {study.replications} replications "
        f"({study.method}) -> {out}/results.parquet"
    )
    if study.question:
        print(f"question: {study.question}")
    figures = chosen_figures({"study": study.model_dump()}, args.figure)
    manifest = {"study": study.model_dump(mode="json"), "points": plan.identity()["points"]}
    for line in console.sweep_lines(study, manifest, summaries, rows, figures, bool(args.figure)):
        print(line)
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Choose the free parameters of a targets file; write the scenario, trials and report."""
    from sim.experiments import validation
    from sim.experiments.calibration import CALIBRATED, REPORT, TRIALS_TABLE, calibrate
    from sim.experiments.targets import load_targets

    targets, base = load_targets(args.targets)
    out = Path(args.out)
    outcome = calibrate(
        targets,
        base,
        out,
        trials=args.trials,
        days=args.days,
        replications=args.replications,
        jobs=args.jobs,
        scheduler=args.scheduler,
        quiet=args.quiet,
        engine=args.engine,
        source=args.targets,
    )
    best = outcome.best
    print(
        f"{targets.calibration.name}: {len(outcome.trials)} trials; best trial {best.number}, "
        f"loss {best.loss:.4g}"
    )
    for key, value in best.values.items():
        print(f"  {key:<40} {value:.4g}")
    for check in validation.checks(targets, best.summaries):
        role = "fit " if check.target.fit else "held"
        print(
            f"  [{role}] {check.target.figure:<28} published {validation.published(check.target)}"
            f"  simulated {validation.simulated(check)}  {validation.verdict(check)}"
        )
    print(f"wrote {out / CALIBRATED}, {out / TRIALS_TABLE}, {out / REPORT}")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    """Draw every figure the results folder supports, as PNG and SVG."""
    from sim.views.plots.all import plot_folder

    written = plot_folder(Path(args.folder), Path(args.out) if args.out else None, args.figure)
    for path in written:
        print(path)
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    """Tell one order's story (by id or by a question) as text and as a figure."""
    from sim.views.plots.data import Folder
    from sim.views.trace import find, text, write

    folder = Folder.open(Path(args.folder))
    story = find(folder, args.order, args.pick, args.point, args.replication)
    print(text(story))
    written = write(story, Path(args.out) if args.out else folder.path / "figures")
    print(f"\nwritten: {', '.join(str(p) for p in written)}")
    return 0


def cmd_threshold(args: argparse.Namespace) -> int:
    """Where in a sweep a figure crosses a level: the parameter value, with its CI."""
    from sim.views.plots.data import Folder
    from sim.views.threshold import threshold

    below = args.below is not None
    level = args.below if below else args.above
    found = threshold(Folder.open(Path(args.folder)), args.figure, level, below, args.parameter)
    r = found.response
    if args.json:
        print(
            json.dumps(
                {
                    "figure": r.figure,
                    "parameter": r.parameter,
                    "level": level,
                    "side": "below" if below else "above",
                    "crossing": found.crossing,
                    "ci": [found.earliest, found.latest],
                    "first_value": found.first_value,
                    "values": r.values.tolist(),
                    "means": r.means.tolist(),
                    "lows": r.lows.tolist(),
                    "highs": r.highs.tolist(),
                }
            )
        )
        return 0
    from sim.views.formatting import compact

    print(found.sentence())
    print(f"  {r.parameter:>30}  {r.figure}: mean [95% CI]")
    for value, mean, low, high in zip(r.values, r.means, r.lows, r.highs, strict=True):
        mark = (
            "  <- " + ("below" if below else "above")
            if (mean < level if below else mean > level)
            else ""
        )
        shown = f"{compact(r.figure, mean)} [{compact(r.figure, low)}, {compact(r.figure, high)}]"
        print(f"  {value:>30.4g}  {shown}{mark}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write one self-contained HTML report of a results folder."""
    from sim.views.report import write

    print(write(Path(args.folder), Path(args.output) if args.output else None, args.figure))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a results folder's event log as CSV, XES or OCEL 2.0 JSON, streamed one run
    at a time; or its headline tables as an Excel workbook."""
    from sim.views import export, workbook

    suffix = {"csv": "csv", "xes": "xes", "ocel": "jsonocel", "xlsx": "xlsx"}[args.format]
    stem = "figures" if args.format == "xlsx" else "events"
    target = Path(args.output) if args.output else Path(args.folder) / f"{stem}.{suffix}"
    if args.format == "xlsx":
        count = workbook.write(Path(args.folder), target, args.point, args.replication)
        print(f"wrote the figures of {count:,} runs to {target}")
        return 0
    _, chosen, size = export.plan(
        Path(args.folder), args.format, target, args.point, args.replication
    )
    runs = f"{len(chosen)} run{'s' if len(chosen) != 1 else ''}"
    print(f"writing {size.describe()}, from {runs}, to {target}", file=sys.stderr)
    count = export.export(Path(args.folder), args.format, target, args.point, args.replication)
    print(f"wrote {count:,} events to {target}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    """Run SQL (DuckDB) over a results folder's tables."""
    from sim.views.query import query

    print(query(Path(args.folder), args.sql))
    return 0


def cmd_sellers(args: argparse.Namespace) -> int:
    """List the sellers of a results folder by a seller metric, at the window's end."""
    from sim.views.sellers import lines, ranked

    rows = ranked(
        Path(args.folder),
        args.metric,
        top=args.top,
        point=args.point,
        replication=args.replication,
        profile=args.profile,
    )
    if args.json:
        print(json.dumps({"metric": args.metric, "sellers": rows}))
        return 0
    for line in lines(rows, args.metric):
        print(line)
    return 0


def _out(args: argparse.Namespace) -> Path | None:
    return Path(args.out) if getattr(args, "out", None) else None


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario, study and targets files without running them; one line per file."""
    from sim.experiments import calibration
    from sim.experiments.scenario import load_arms
    from sim.experiments.study import is_study, load_study
    from sim.experiments.targets import is_targets, load_targets
    from sim.world.footprint import estimate, require_room

    failures = 0
    for path in args.files:
        try:
            if is_targets(Path(path)):
                targets, base = load_targets(path)
                require_room([calibration.measured(targets, base)])
                print(
                    f"ok  {path}: targets {targets.calibration.name} ({len(targets.fitted)} "
                    f"fitted, {len(targets.held_out)} held out, {len(targets.free)} free)"
                )
            elif is_study(Path(path)):
                study, base = load_study(path)
                points = len(study.design())
                require_room([study.measured(base)])
                print(f"ok  {path}: study {study.name} ({study.method}, {points} points)")
            else:
                arms = load_arms(path)
                require_room(arms[:1])
                scenario = arms[0]
                window = scenario.window().describe()
                size = estimate(scenario).describe()
                names = f"{len(arms)} arms, " if len(arms) > 1 else ""
                print(
                    f"ok  {path}: {scenario.name} ({names}{scenario.preset}, {window}; "
                    f"{size} a run)"
                )
        except UserError as err:
            print(f"disputesim: error: {path}: {err}", file=sys.stderr)
            failures += 1
    return 2 if failures else 0


def scheduler_address(text: str) -> str:
    """An argparse type: a Dask scheduler's address, tcp://HOST:PORT (or HOST:PORT)."""
    rest = text.removeprefix("tcp://")
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or "/" in rest:
        raise argparse.ArgumentTypeError(f"expected tcp://HOST:PORT, got {text!r}")
    return text if text.startswith("tcp://") else f"tcp://{text}"


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`, with a one-line error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected at least {minimum}, got {value}")
        return value

    return parse


positive_int = whole_number(1)
seed_int = whole_number(0)


def positive_number(text: str) -> float:
    """An argparse type: a number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def fraction_arg(text: str) -> float:
    """An argparse type: a number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got {value}")
    return value


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _executor_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--jobs", type=positive_int, default=1, help="local worker processes")
    sub.add_argument(
        "--scheduler",
        type=scheduler_address,
        metavar="tcp://HOST:PORT",
        help="run on a Dask cluster",
    )
    sub.add_argument("--quiet", action="store_true", help="no progress bar")
    _memory_option(sub)
    sub.add_argument(
        "--engine",
        choices=("fast", "reference"),
        default="fast",
        help="fast (default) or the all-SimPy reference; both give identical tables",
    )


def _memory_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--memory",
        type=positive_number,
        metavar="GB",
        help="memory a run may use (default: what this machine has free); a run estimated "
        "to need more is refused before it starts",
    )


def _figure_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--figure",
        action="append",
        metavar="NAME",
        help="a figure to show (repeatable; default: the question's, else all headline ones)",
    )


def _window_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--days", type=positive_int, help="length of the measured window (default: the file's)"
    )
    sub.add_argument(
        "--warmup-days", type=seed_int, help="days of warm-up before it (default: the file's)"
    )
    sub.add_argument(
        "--precision",
        type=fraction_arg,
        metavar="REL",
        help="add replications until every headline 95%% half-width is within REL of its mean",
    )
    sub.add_argument(
        "--max-replications",
        type=positive_int,
        default=50,
        help="the most replications --precision may run (default 50)",
    )


def _experiment_options(sub: argparse.ArgumentParser) -> None:
    _window_options(sub)
    sub.add_argument("--seed", type=seed_int, help="root seed (default: the file's)")
    sub.add_argument("--out", metavar="DIR", help="write Parquet tables and a manifest (resumable)")
    sub.add_argument("--json", action="store_true", help="print one JSON object")
    _executor_options(sub)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per verb."""
    parser = Parser(
        prog="disputesim",
        description="Simulate marketplace buyer-protection disputes as an explicit state machine.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    verbs = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )

    def verb(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        # argparse %-formats help (not descriptions): a literal "95% CI" must be "95%% CI"
        sub = verbs.add_parser(name, help=help_text.replace("%", "%%"), description=help_text)
        sub.set_defaults(func=func)
        return sub

    run = verb("run", cmd_run, "simulate a scenario and print its headline figures")
    run.add_argument("scenario", metavar="SCENARIO.toml")
    run.add_argument("--replications", type=positive_int, help="replications (default: the file's)")
    _figure_option(run)
    _experiment_options(run)
    compare = verb(
        "compare",
        cmd_compare,
        "compare scenarios (and a file's [[arms]]) on common random numbers",
    )
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO.toml")
    compare.add_argument("--replications", type=positive_int, default=5, help="default: 5")
    _figure_option(compare)
    _experiment_options(compare)
    sweep = verb(
        "sweep", cmd_sweep, "sweep levers and behaviour parameters (grid, LHS, Sobol, Morris)"
    )
    sweep.add_argument("study", metavar="STUDY.toml")
    sweep.add_argument("--out", metavar="DIR", required=True, help="results folder (resumable)")
    _figure_option(sweep)
    _window_options(sweep)
    _executor_options(sweep)
    warmup = verb("warmup", cmd_warmup, "choose a warm-up by MSER-5 on the case team's series")
    warmup.add_argument("scenario", metavar="SCENARIO.toml")
    warmup.add_argument(
        "--days", type=positive_int, default=180, help="days from an empty start (default 180)"
    )
    warmup.add_argument("--replications", type=positive_int, default=5, help="default: 5")
    warmup.add_argument("--seed", type=seed_int, help="root seed (default: the file's)")
    warmup.add_argument("--out", metavar="FIGDIR", help="figure folder (default: out/NAME)")
    warmup.add_argument("--json", action="store_true", help="print one JSON object")
    warmup.add_argument(
        "--keep-season", action="store_true", help="analyse with the sales season (default: not)"
    )
    _executor_options(warmup)
    calibrate = verb(
        "calibrate", cmd_calibrate, "fit behaviour parameters to published figures (Optuna TPE)"
    )
    calibrate.add_argument("targets", metavar="TARGETS.toml")
    calibrate.add_argument("--out", metavar="DIR", required=True, help="folder (resumable)")
    calibrate.add_argument("--trials", type=positive_int, help="trials (default: the file's)")
    calibrate.add_argument(
        "--days", type=positive_int, help="window per trial (default: the file's)"
    )
    calibrate.add_argument(
        "--replications", type=positive_int, help="replications per trial (default: the file's)"
    )
    _executor_options(calibrate)
    plot = verb("plot", cmd_plot, "draw the figures of a results folder (PNG and SVG)")
    plot.add_argument("folder", metavar="DIR")
    _figure_option(plot)
    plot.add_argument("--out", metavar="FIGDIR", help="where to write (default: DIR/figures)")
    trace = verb("trace", cmd_trace, "explain one order: its events as text and a figure")
    trace.add_argument("folder", metavar="DIR")
    trace.add_argument("--order", type=seed_int, metavar="ID", help="the order's id")
    trace.add_argument(
        "--pick",
        metavar="QUESTION",
        help="slowest-refund, paid-false-claim, unrefunded-problem, longest-case or appealed",
    )
    trace.add_argument("--point", type=seed_int, default=0, help="sweep point (default 0)")
    trace.add_argument("--replication", type=seed_int, default=0, help="default 0")
    trace.add_argument("--out", metavar="FIGDIR", help="where to write (default: DIR/figures)")
    report = verb("report", cmd_report, "write a self-contained HTML report of a results folder")
    report.add_argument("folder", metavar="DIR")
    report.add_argument("-o", "--output", metavar="FILE", help="default: DIR/report.html")
    _figure_option(report)
    threshold = verb(
        "threshold", cmd_threshold, "where in a sweep a figure crosses a level, with its 95% CI"
    )
    threshold.add_argument("folder", metavar="DIR")
    threshold.add_argument("--figure", required=True, metavar="NAME", help="the figure's key")
    side = threshold.add_mutually_exclusive_group(required=True)
    side.add_argument("--below", type=float, metavar="X", help="wanted: the figure below X")
    side.add_argument("--above", type=float, metavar="X", help="wanted: the figure above X")
    threshold.add_argument("--parameter", metavar="KEY", help="the swept key (if several)")
    threshold.add_argument("--json", action="store_true", help="print one JSON object")
    export = verb(
        "export",
        cmd_export,
        "write the event log as CSV, XES or OCEL 2.0 (streamed, one run at a time), or the "
        "headline tables as an Excel workbook",
    )
    export.add_argument("folder", metavar="DIR")
    export.add_argument(
        "--format",
        choices=("csv", "xes", "ocel", "xlsx"),
        required=True,
        help="csv, xes or ocel: the event log; xlsx: the figures of every point and run",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="default: DIR/events.FORMAT (DIR/figures.xlsx)"
    )
    export.add_argument(
        "--point", type=seed_int, help="only this point (a scenario of a comparison, from 0)"
    )
    export.add_argument(
        "--replication", type=seed_int, help="only this replication (from 0; with --point: one run)"
    )
    query = verb("query", cmd_query, "run SQL (DuckDB) over a results folder")
    query.add_argument("folder", metavar="DIR")
    query.add_argument("sql", metavar="SQL")
    sellers = verb("sellers", cmd_sellers, "list a results folder's sellers by a seller metric")
    sellers.add_argument("folder", metavar="DIR")
    sellers.add_argument(
        "--metric", default="aliexpress_dispute_rate", help="default: aliexpress_dispute_rate"
    )
    sellers.add_argument("--top", type=positive_int, default=20, help="default: 20")
    sellers.add_argument("--profile", metavar="NAME", help="only sellers of this profile")
    sellers.add_argument("--point", type=int, default=0, help="default: 0")
    sellers.add_argument("--replication", type=int, default=0, help="default: 0")
    sellers.add_argument("--json", action="store_true", help="one JSON object")
    validate = verb("validate", cmd_validate, "check scenario files without running them")
    validate.add_argument("files", nargs="+", metavar="SCENARIO.toml")
    _memory_option(validate)
    rules = verb("rules", cmd_rules, "trace every rule id to the machine and to its tests")
    rules.add_argument("--tests", metavar="DIR", help="tests folder to scan (default: ./tests)")
    verb("check", cmd_check, "check the process for unreachable, trap and leaky end states")
    verb("levers", cmd_levers, "list every policy lever with its default, range and source")
    presets = verb("presets", cmd_presets, "list the named policy presets")
    presets.add_argument("--show", metavar="NAME", help="print one preset's levers")
    diagram = verb("diagram", cmd_diagram, "draw the state machine")
    diagram.add_argument("--format", choices=("mermaid", "dot", "svg", "png"), default="mermaid")
    diagram.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    diagram.add_argument(
        "--complete",
        action="store_true",
        help="also draw the rows that keep the state, as self-loops (check event logs on this)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `disputesim` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "memory", None) is not None:  # read by sim.world.footprint, in workers too
        from sim.world.footprint import MEMORY_VARIABLE

        os.environ[MEMORY_VARIABLE] = repr(args.memory)
    try:
        return int(args.func(args))
    except UserError as err:
        print(f"disputesim: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("disputesim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug, not the user's input: one line, the details on disk
        return internal_error(err, args.command, debug=args.debug)


INTERNAL_ERROR = 70  # EX_SOFTWARE in sysexits.h


def internal_error(err: BaseException, command: str, *, debug: bool) -> int:
    """Report a bug in one line, naming a new file with the full traceback (or print it)."""
    details = "".join(traceback.format_exception(err))
    what = f"{type(err).__name__}: {err}".splitlines()[0][:300]
    if isinstance(err, MemoryError):
        what = "out of memory (the estimate before the run was too low: see --memory)"
    if debug:
        print(details, file=sys.stderr, end="")
        print(f"disputesim: internal error in '{command}': {what}", file=sys.stderr)
        return INTERNAL_ERROR
    try:
        handle, name = tempfile.mkstemp(prefix="disputesim-error-", suffix=".txt")
        with os.fdopen(handle, "w") as file:
            file.write(f"disputesim {command}: {' '.join(sys.argv)}\n\n{details}")
        where = f"the traceback is in {name}"
    except OSError:
        where = "run again with --debug for the traceback"
    print(f"disputesim: internal error in '{command}': {what} ({where})", file=sys.stderr)
    return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
