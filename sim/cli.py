"""The `disputesim` command line.

Every user mistake (a missing file, an unknown key, a value out of range) ends in one
line on standard error and exit code 2, with no traceback and nothing half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from sim.errors import UserError


def cmd_rules(args: argparse.Namespace) -> int:
    """Print each rule id, where it is implemented and which tests exercise it."""
    from machine.catalogue import RULES
    from machine.trace import implementations
    from sim.rule_tests import default_tests_dir, find_rule_tests

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
    print(
        f"{len(RULES)} rules, {len(RULES) - len(missing_code)} implemented, "
        f"{len(RULES) - len(missing_tests)} tested"
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
        data = render(args.format)
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
    from machine.presets import PRESETS, preset

    if args.show:
        try:
            chosen = preset(args.show)
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
    width = max(len(name) for name in PRESETS)
    for chosen in PRESETS.values():
        kind = f"[{chosen.variant_of}] " if chosen.variant_of else ""
        print(f"{chosen.name:<{width}}  {kind}{chosen.title} ({', '.join(chosen.sources)})")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario and print its headline figures (or one JSON object)."""
    import json
    import math

    from sim.metrics import FIGURES, headline
    from sim.runner import run
    from sim.scenario import load_scenario

    scenario = load_scenario(args.scenario).with_run(orders=args.orders, seed=args.seed)
    result = run(scenario)
    figures = headline(result)
    if args.json:
        clean = {k: (None if math.isnan(v) else v) for k, v in figures.items()}  # JSON has no NaN
        print(json.dumps({"scenario": scenario.name, "seed": scenario.run.seed, **clean}))
        return 0
    print(
        f"{scenario.name}: {len(result.orders):,} orders, seed {scenario.run.seed}, "
        f"{len(result.events):,} events over {result.horizon:,.0f} days"
    )
    for figure in FIGURES:
        value = figures[figure.key]
        shown = f"{value:10.1%}" if figure.unit.startswith("share") else f"{value:10.1f}"
        unit = figure.unit.removeprefix("share").strip()
        unit = f" {unit}" if unit else ""
        print(f"  {figure.label:<46}{shown}{unit}")
    return 0


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def seed_int(text: str) -> int:
    """An argparse type: a seed, a whole number of at least 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected at least 0, got {value}")
    return value


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per verb."""
    parser = Parser(
        prog="disputesim",
        description="Simulate marketplace buyer-protection disputes as an explicit state machine.",
    )
    verbs = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )

    def verb(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(func=func)
        return sub

    run = verb("run", cmd_run, "simulate a scenario and print its headline figures")
    run.add_argument("scenario", metavar="SCENARIO.toml")
    run.add_argument("--orders", type=positive_int, help="orders to simulate (default: the file's)")
    run.add_argument("--seed", type=seed_int, help="root seed (default: the file's)")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    rules = verb("rules", cmd_rules, "trace every rule id to the machine and to its tests")
    rules.add_argument("--tests", metavar="DIR", help="tests folder to scan (default: ./tests)")
    verb("check", cmd_check, "check the process for unreachable, trap and leaky end states")
    verb("levers", cmd_levers, "list every policy lever with its default, range and source")
    presets = verb("presets", cmd_presets, "list the named policy presets")
    presets.add_argument("--show", metavar="NAME", help="print one preset's levers")
    diagram = verb("diagram", cmd_diagram, "draw the state machine")
    diagram.add_argument("--format", choices=("mermaid", "dot", "svg", "png"), default="mermaid")
    diagram.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `disputesim` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
