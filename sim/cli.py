"""The `disputesim` command line: a thin shell over the Python API.

Each `cmd_VERB` turns its arguments into one call of sim.api (or of a view that reads a
results folder) and prints what comes back: as text, built by sim.views.console and
sim.views.listings, or with `--json` as the result's own `as_dict()`. The arguments are
in sim.arguments.

Every user mistake (a missing file, an unknown key, a value out of range) ends in one
line on standard error and exit code 2, with no traceback and nothing half-written. A
bug ends in one line too, with exit code 70, naming the file that holds its traceback
(`--debug` prints the traceback instead).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from sim.arguments import build_parser
from sim.errors import UserError

if TYPE_CHECKING:
    from sim.experiments.experiment import Precision
    from sim.world.runner import Engine


def say(lines: Iterable[str]) -> None:
    """Print lines of text on standard output."""
    for line in lines:
        print(line)


def say_json(body: object) -> None:
    """Print one JSON object on standard output."""
    print(json.dumps(body))


def cmd_rules(args: argparse.Namespace) -> int:
    """Print each rule id, where it is implemented and which tests exercise it."""
    from sim.api import trace_rules
    from sim.views.listings import rule_gaps, rule_lines

    trace = trace_rules(args.tests)
    say(rule_lines(trace))
    for gap in rule_gaps(trace):
        print(gap, file=sys.stderr)
    return 1 if trace.unimplemented or trace.untested else 0


def cmd_check(args: argparse.Namespace) -> int:
    """Report structural defects of the process and the shortest path to every state."""
    from machine.structure import analyse
    from sim.views.listings import check_lines

    report = analyse()
    say(check_lines(report))
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
    from sim.views.listings import lever_lines

    say(lever_lines())
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    """Print the named policy presets, or one preset's levers with --show."""
    from sim.views.listings import preset_lines

    try:
        say(preset_lines(args.show))
    except KeyError as err:
        raise UserError(str(err.args[0])) from None
    return 0


def _precision(args: argparse.Namespace) -> Precision | None:
    from sim.experiments.experiment import Precision

    if args.precision is None:
        return None
    return Precision(args.precision, args.max_replications)


class Executor(TypedDict):
    """The options every command that runs worlds passes on to the API."""

    jobs: int
    scheduler: str | None
    quiet: bool
    engine: Engine


def _executor(args: argparse.Namespace) -> Executor:
    return Executor(jobs=args.jobs, scheduler=args.scheduler, quiet=args.quiet,
                    engine=args.engine)  # fmt: skip


def _out(args: argparse.Namespace) -> Path | None:
    return Path(args.out) if getattr(args, "out", None) else None


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario and print its figures (mean and 95% CI over replications)."""
    from sim.api import replicate
    from sim.experiments.scenario import load_scenario
    from sim.views import console
    from sim.views.responses import checked_figures

    figures = checked_figures(args.figure)
    scenario = load_scenario(args.scenario).with_run(days=args.days, warmup_days=args.warmup_days)
    found = replicate(scenario, args.replications, seed=args.seed, precision=_precision(args),
                      out=_out(args), **_executor(args))  # fmt: skip
    if args.json:
        say_json(found.as_dict(figures))
        return 0
    say(console.run_lines(found, figures))
    if args.out:
        print(f'tables written to {args.out}/ (disputesim query {args.out} "SQL")')
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Run scenarios on common random numbers and compare every figure with the first."""
    from sim.api import compare_runs, scenarios_of
    from sim.views import console
    from sim.views.responses import checked_figures

    figures = checked_figures(args.figure)
    scenarios = scenarios_of(args.scenarios, args.days, args.warmup_days)
    shown = figures or list(scenarios[0].figures) or console.COMPARE_KEYS
    found = compare_runs(scenarios, args.replications, seed=args.seed, figures=shown,
                         precision=_precision(args), out=_out(args), **_executor(args),
                         fit_uncertainty=args.fit_uncertainty,
                         both_timings=not args.one_timing)  # fmt: skip
    if args.json:
        say_json(found.as_dict())
        return 0
    say(console.compare_lines(found))
    return 0


def cmd_warmup(args: argparse.Namespace) -> int:
    """Run a scenario from an empty start and recommend a warm-up by MSER-5."""
    from sim.api import warmup
    from sim.experiments.scenario import load_scenario
    from sim.views import console

    given = load_scenario(args.scenario).with_run(seed=args.seed)
    out = Path(args.out) if args.out else Path("out") / given.name
    found = warmup(given, args.days, args.replications, keep_season=args.keep_season, out=out,
                   jobs=args.jobs, engine=args.engine)  # fmt: skip
    if args.json:
        say_json(found.as_dict())
        return 0
    say(console.warmup_lines(found, args.keep_season))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Sweep levers and behaviour parameters; store a tidy table and sensitivity indices."""
    from sim.api import sweep_study
    from sim.views import console
    from sim.views.responses import chosen_figures

    chosen_figures({}, args.figure)  # an unknown --figure is refused before anything runs
    found = sweep_study(args.study, out=args.out, days=args.days, warmup_days=args.warmup_days,
                        precision=_precision(args), **_executor(args))  # fmt: skip
    figures = chosen_figures({"study": found.study.model_dump()}, args.figure)
    say(console.study_lines(found, figures, bool(args.figure)))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Choose the free parameters of a targets file; write the scenario, trials and report."""
    from sim.api import calibrate
    from sim.views import console

    found = calibrate(args.targets, out=args.out, trials=args.trials, days=args.days,
                      replications=args.replications, **_executor(args))  # fmt: skip
    say(console.calibrate_lines(found))
    return 0


def cmd_optimise(args: argparse.Namespace) -> int:
    """Search the levers for the policies not dominated on the objectives."""
    from sim.api.studies import optimise

    found = optimise(args.search, out=args.out, robust=args.robust, jobs=args.jobs,
                     scheduler=args.scheduler, quiet=args.quiet or args.json,
                     engine=args.engine)  # fmt: skip
    if args.json:
        say_json(found.as_dict())
        return 0
    say(found.lines())
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    """Draw every figure the results folder supports, as PNG and SVG."""
    from sim.views.plots.all import plot_folder

    say(str(path) for path in plot_folder(Path(args.folder), _out(args), args.figure))
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    """Tell one order's story (by id or by a question) as text and as a figure."""
    from sim.experiments.folder import ResultsFolder
    from sim.views.trace import find, text, write

    folder = ResultsFolder.open(Path(args.folder))
    story = find(folder, args.order, args.pick, args.point, args.replication)
    print(text(story))
    written = write(story, _out(args) or folder.path / "figures")
    print(f"\nwritten: {', '.join(str(p) for p in written)}")
    return 0


def cmd_threshold(args: argparse.Namespace) -> int:
    """Where in a sweep a figure crosses a level: the parameter value, with its CI."""
    from sim.experiments.folder import ResultsFolder
    from sim.views.threshold import threshold

    below = args.below is not None
    level = args.below if below else args.above
    folder = ResultsFolder.open(Path(args.folder))
    found = threshold(folder, args.figure, level, below, args.parameter)
    if args.json:
        say_json(found.as_dict())
        return 0
    say(found.lines())
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    """Where in a sweep a condition holds: PRIM's box and trajectory, and CART's leaves."""
    from sim.api.discovery import discover

    above = args.above is not None
    level = args.above if above else args.below
    found = discover(args.folder, args.figure, level, above=above, seed=args.seed,
                     box=args.box, out=_out(args))  # fmt: skip
    if args.json:
        say_json(found.as_dict())
        return 0
    say(found.lines())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write one self-contained HTML report of a results folder."""
    from sim.views.report import write

    print(write(Path(args.folder), Path(args.output) if args.output else None, args.figure))
    return 0


def cmd_explore(args: argparse.Namespace) -> int:
    """Write the interactive explorer of a results folder."""
    from sim.views.explorer import write

    print(write(Path(args.folder), Path(args.output) if args.output else None))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario, study and targets files without running them; one line per file."""
    from sim.api import validate
    from sim.views.listings import validated_line

    found = validate(args.files)
    for verdict in found:
        print(validated_line(verdict), file=sys.stdout if verdict.ok else sys.stderr)
    return 0 if all(verdict.ok for verdict in found) else 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `disputesim` console script."""
    args = build_parser().parse_args(argv)
    if (
        getattr(args, "memory", None) is not None
    ):  # read by sim.world.records.footprint, in workers too
        from sim.world.records.footprint import MEMORY_VARIABLE

        os.environ[MEMORY_VARIABLE] = repr(args.memory)
    command = globals().get(f"cmd_{args.command}") or verb(args.command)
    try:
        return int(command(args))
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


def verb(name: str) -> Callable[[argparse.Namespace], int]:
    """The command `name` from the modules of sim.verbs (the verbs beyond this module's)."""
    import importlib

    for module in VERBS:
        found = getattr(importlib.import_module(module), f"cmd_{name}", None)
        if found is not None:
            return found
    raise AssertionError(f"no command {name}")


VERBS = ("sim.verbs.folders", "sim.verbs.logs", "sim.verbs.starter", "sim.verbs.verify")
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
