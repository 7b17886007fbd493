"""Checks that run nothing: scenario, study, search and targets files validated, and every rule id
traced to the machine's code and to the tests that exercise it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.errors import UserError
from sim.views.checked import RuleTrace, Validated


def validate(paths: Sequence[str | Path]) -> list[Validated]:
    """Load each file as the command that runs it would, and check that a run fits in
    memory, without running anything."""
    return [_validate(str(path)) for path in paths]


def _validate(path: str) -> Validated:
    from sim.experiments import calibration
    from sim.experiments.scenario import load_arms
    from sim.experiments.search_study import is_search, load_search
    from sim.experiments.study import is_study, load_study
    from sim.experiments.targets import is_targets, load_targets
    from sim.world.records.footprint import estimate, require_room

    try:
        if is_targets(Path(path)):
            targets, base = load_targets(path)
            require_room([calibration.measured(targets, base)])
            counts = (f"{len(targets.fitted)} fitted", f"{len(targets.held_out)} held out",
                      f"{len(targets.free)} free")  # fmt: skip
            return Validated(path, "targets", targets.calibration.name, counts)
        if is_study(Path(path)):
            study, base = load_study(path)
            require_room([study.measured(base)])
            design = (study.method, f"{len(study.design())} points")
            return Validated(path, "study", study.name, design)
        if is_search(Path(path)):
            search, base = load_search(path)
            require_room([search.measured(base)])
            goals = ", ".join(f"{o.sense} {o.figure}" for o in search.objectives)
            plan = (str(search.optimise.sampler), f"{search.optimise.trials} trials", goals)
            return Validated(path, "search", search.optimise.name, plan)
        arms = load_arms(path)
        require_room(arms[:1])
        scenario = arms[0]
        held = (f"{len(arms)} arms",) if len(arms) > 1 else ()
        shape = (
            scenario.preset,
            scenario.window().describe(),
            f"{estimate(scenario).describe()} a run",
        )
        return Validated(path, "scenario", scenario.name, (*held, *shape))
    except UserError as err:
        return Validated(path, error=str(err))


def trace_rules(tests_dir: str | Path | None = None) -> RuleTrace:
    """Trace every rule id (`disputesim rules`); the tests folder defaults to ./tests."""
    from machine.catalogue import RULES
    from machine.traceability import implementations
    from sim.tooling.rule_tests import default_tests_dir, find_rule_tests

    folder = Path(tests_dir) if tests_dir else default_tests_dir()
    if folder is None or not folder.is_dir():
        raise UserError(f"{tests_dir or 'tests/'}: no tests folder found (use --tests DIR)")
    return RuleTrace(tuple(RULES), implementations(), find_rule_tests(folder))
