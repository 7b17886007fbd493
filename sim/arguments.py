"""The command line's arguments: one subcommand per verb, and argument types that refuse
a bad value in one line (argparse's own errors are one line too, with exit code 2)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import NoReturn


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


def installed_version() -> str:
    """The version of the installed distribution (pyproject.toml's, once installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("disputesim")
    except PackageNotFoundError:  # run from a tree that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per verb."""
    parser = Parser(
        prog="disputesim",
        description="Simulate marketplace buyer-protection disputes as an explicit state machine.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    parser.add_argument("--version", action="version", version=f"disputesim {installed_version()}")
    verbs = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        # argparse %-formats help (not descriptions): a literal "95% CI" must be "95%% CI"
        return verbs.add_parser(name, help=help_text.replace("%", "%%"), description=help_text)

    run = verb("run", "simulate a scenario and print its headline figures")
    run.add_argument("scenario", metavar="SCENARIO.toml")
    run.add_argument("--replications", type=positive_int, help="replications (default: the file's)")
    _figure_option(run)
    _experiment_options(run)
    compare = verb(
        "compare",
        "compare scenarios (and a file's [[arms]]) on common random numbers",
    )
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO.toml")
    compare.add_argument("--replications", type=positive_int, default=5, help="default: 5")
    compare.add_argument(
        "--fit-uncertainty",
        metavar="FITDIR",
        help="run replication r of each fitted scenario with the bootstrap parameter set r "
        "of the folder `disputesim fit` wrote (the fit's uncertainty in the intervals)",
    )
    compare.add_argument(
        "--one-timing",
        action="store_true",
        help="where the arms move a deadline a fitted delay raced, answer only under the "
        "scenarios' timing (default: under both, fixed and scaling)",
    )
    _figure_option(compare)
    _experiment_options(compare)
    sweep = verb("sweep", "sweep levers and behaviour parameters (grid, LHS, Sobol, Morris)")
    sweep.add_argument("study", metavar="STUDY.toml")
    sweep.add_argument("--out", metavar="DIR", required=True, help="results folder (resumable)")
    _figure_option(sweep)
    _window_options(sweep)
    _executor_options(sweep)
    warmup = verb("warmup", "choose a warm-up by MSER-5 on the case team's series")
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
    calibrate = verb("calibrate", "fit behaviour parameters to published figures (Optuna TPE)")
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
    optimise = verb(
        "optimise",
        "multi-objective policy search on common random numbers (NSGA-II or TPE), its "
        "candidates confirmed on fresh seeds with their probability of being Pareto-optimal",
    )
    optimise.add_argument("search", metavar="SEARCH.toml")
    optimise.add_argument("--out", metavar="DIR", required=True, help="folder (resumable)")
    optimise.add_argument(
        "--robust", action="store_true", help="also score the candidates across the worlds"
    )
    optimise.add_argument("--json", action="store_true", help="print one JSON object")
    _executor_options(optimise)
    plot = verb("plot", "draw the figures of a results folder (PNG and SVG)")
    plot.add_argument("folder", metavar="DIR")
    _figure_option(plot)
    plot.add_argument("--out", metavar="FIGDIR", help="where to write (default: DIR/figures)")
    trace = verb("trace", "explain one order: its events as text and a figure")
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
    report = verb("report", "write a self-contained HTML report of a results folder")
    report.add_argument("folder", metavar="DIR")
    report.add_argument("-o", "--output", metavar="FILE", help="default: DIR/report.html")
    _figure_option(report)
    explore = verb(
        "explore",
        "write an interactive explorer of a results folder: one self-contained HTML file",
    )
    explore.add_argument("folder", metavar="DIR")
    explore.add_argument("-o", "--output", metavar="FILE", help="default: DIR/explorer.html")
    threshold = verb("threshold", "where in a sweep a figure crosses a level, with its 95% CI")
    threshold.add_argument("folder", metavar="DIR")
    threshold.add_argument("--figure", required=True, metavar="NAME", help="the figure's key")
    side = threshold.add_mutually_exclusive_group(required=True)
    side.add_argument("--below", type=float, metavar="X", help="wanted: the figure below X")
    side.add_argument("--above", type=float, metavar="X", help="wanted: the figure above X")
    threshold.add_argument("--parameter", metavar="KEY", help="the swept key (if several)")
    threshold.add_argument("--json", action="store_true", help="print one JSON object")
    discover = verb(
        "discover",
        "where in a sweep a condition holds: PRIM's box with 95% intervals, and CART",
    )
    discover.add_argument("folder", metavar="DIR")
    discover.add_argument("--figure", required=True, metavar="NAME", help="the figure's key")
    side = discover.add_mutually_exclusive_group(required=True)
    side.add_argument("--above", type=float, metavar="X", help="the condition: figure above X")
    side.add_argument("--below", type=float, metavar="X", help="the condition: figure below X")
    discover.add_argument(
        "--box", type=seed_int, metavar="STEP", help="a step of the trajectory (default: balanced)"
    )
    discover.add_argument("--seed", type=seed_int, default=1, help="held-out split, bootstrap")
    discover.add_argument("--out", metavar="FIGDIR", help="where to write (default: DIR/figures)")
    discover.add_argument("--json", action="store_true", help="print one JSON object")
    export = verb(
        "export",
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
    query = verb("query", "run SQL (DuckDB) over a results folder")
    query.add_argument("folder", metavar="DIR")
    query.add_argument("sql", metavar="SQL")
    sellers = verb("sellers", "list a results folder's sellers by a seller metric")
    sellers.add_argument("folder", metavar="DIR")
    sellers.add_argument(
        "--metric", default="aliexpress_dispute_rate", help="default: aliexpress_dispute_rate"
    )
    sellers.add_argument("--top", type=positive_int, default=20, help="default: 20")
    sellers.add_argument("--profile", metavar="NAME", help="only sellers of this profile")
    sellers.add_argument("--point", type=int, default=0, help="default: 0")
    sellers.add_argument("--replication", type=int, default=0, help="default: 0")
    sellers.add_argument("--json", action="store_true", help="one JSON object")
    init = verb("init", "write a starter project (baseline, comparison, sweep, targets, notebook)")
    init.add_argument("folder", nargs="?", default=".", metavar="DIR", help="where (default: here)")
    validate = verb("validate", "check scenario files without running them")
    validate.add_argument("files", nargs="+", metavar="SCENARIO.toml")
    _memory_option(validate)
    rules = verb("rules", "trace every rule id to the machine and to its tests")
    rules.add_argument("--tests", metavar="DIR", help="tests folder to scan (default: ./tests)")
    verb("check", "check the process for unreachable, trap and leaky end states")
    verb("levers", "list every policy lever with its default, range and source")
    presets = verb("presets", "list the named policy presets")
    presets.add_argument("--show", metavar="NAME", help="print one preset's levers")
    diagram = verb("diagram", "draw the state machine")
    diagram.add_argument("--format", choices=("mermaid", "dot", "svg", "png"), default="mermaid")
    diagram.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    diagram.add_argument(
        "--complete",
        action="store_true",
        help="also draw the rows that keep the state, as self-loops (check event logs on this)",
    )
    _log_verbs(verb)
    _verify_verb(verb)
    return parser


def _verify_verb(verb: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """`verify`: the machine checked exhaustively under one policy."""
    from machine.proof.properties import PROPERTIES

    verify = verb("verify", "check every reachable case of one order under a policy")
    verify.add_argument("scenario", nargs="?", metavar="SCENARIO.toml", help="its policy")
    verify.add_argument("--preset", metavar="NAME", help="a preset's policy instead")
    verify.add_argument(
        "--property",
        action="append",
        metavar="NAME",
        help=f"check only this one (repeatable): {', '.join(PROPERTIES)}",
    )
    verify.add_argument(
        "--emit-test",
        metavar="FILE",
        help="write the first counterexample (or a witness) as a pytest replaying it",
    )
    verify.add_argument(
        "--mutate",
        type=positive_int,
        default=0,
        metavar="N",
        help="also verify N mutants of the table and the policy: how many the properties kill",
    )
    verify.add_argument("--seed", type=seed_int, default=1, help="which mutants (with --mutate)")
    verify.add_argument("--json", action="store_true", help="print one JSON object")


def _log_verbs(verb: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """`fit` and `fidelity`: a platform's own log."""
    fit = verb("fit", "fit a scenario from a platform's event log, deadlines as censoring")
    fit.add_argument("log", metavar="LOG", help="an event log: .csv, .parquet, .xes, .jsonocel")
    fit.add_argument("--out", metavar="DIR", required=True, help="folder for the fit")
    fit.add_argument(
        "--mapping",
        metavar="MAPPING.toml",
        help="the log's columns and labels (default: the project's own export)",
    )
    policy = fit.add_mutually_exclusive_group()
    policy.add_argument(
        "--scenario",
        metavar="SCENARIO.toml",
        help="the policy the platform ran, and the world to start from",
    )
    policy.add_argument(
        "--preset",
        metavar="NAME",
        help="the policy the platform ran, as a preset (default aliexpress-2024)",
    )
    fit.add_argument(
        "--bootstrap",
        type=positive_int,
        default=200,
        help="replicates over cases for the intervals (default 200)",
    )
    fit.add_argument("--seed", type=seed_int, default=1, help="the bootstrap's seed")
    fit.add_argument(
        "--timing",
        choices=("fixed", "scaling"),
        default="fixed",
        help="how fitted delays move with a deadline (an assumption; default fixed)",
    )
    fit.add_argument("--json", action="store_true", help="print one JSON object")
    fidelity = verb("fidelity", "hold a fitted world's runs against the log, beside its noise")
    fidelity.add_argument("log", metavar="LOG", help="the event log the world was fitted from")
    fidelity.add_argument(
        "run", metavar="RUN_DIR", help="a results folder of the fitted scenario's runs"
    )
    fidelity.add_argument(
        "--mapping",
        metavar="MAPPING.toml",
        help="the log's columns and labels (default: the project's own export)",
    )
    fidelity.add_argument(
        "--point", type=seed_int, default=0, help="the folder's point (default 0)"
    )
    fidelity.add_argument(
        "--splits",
        type=positive_int,
        default=10,
        help="random halvings of the log for the noise floor (default 10)",
    )
    fidelity.add_argument("--seed", type=seed_int, default=1, help="the halvings' seed")
    fidelity.add_argument("--json", action="store_true", help="print one JSON object")
