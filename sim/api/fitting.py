"""A platform's own log made into a scenario (`disputesim fit`), and a fitted world held
against that log (`disputesim fidelity`)."""

from __future__ import annotations

import json
from pathlib import Path

from sim.errors import UserError
from sim.experiments.scenario import load_scenario, scenario_from_dict
from sim.files import ensure_folder, write_atomic
from sim.fitting.fit import fit_log
from sim.fitting.mapping import load_mapping
from sim.fitting.reading import format_of, own_mapping, read_log
from sim.fitting.replay import replay
from sim.fitting.writing import scenario_text
from sim.views.fidelity import Faithful
from sim.views.fitted import Fitted, html_report, record
from sim.world.scenario import Scenario

DEFAULT_POLICY = "aliexpress-2024"


def base_scenario(scenario: str | Path | None, preset: str | None, name: str) -> Scenario:
    """The policy the platform ran, and the world the fit starts from: a scenario file, or
    a preset's policy on the default world (AliExpress's today by default)."""
    if scenario is not None:
        if preset is not None:
            raise UserError("give the policy either as --scenario FILE or --preset NAME, not both")
        return load_scenario(scenario)
    return scenario_from_dict(
        {"scenario": {"name": name}, "policy": {"preset": preset or DEFAULT_POLICY}},
        source="--preset",
    )


def fit(
    log: str | Path,
    out: str | Path,
    *,
    mapping: str | Path | None = None,
    scenario: str | Path | None = None,
    preset: str | None = None,
    bootstrap: int = 200,
    seed: int = 1,
    timing: str = "fixed",
) -> Fitted:
    """Read `log`, replay every case on the machine under the platform's policy, fit the
    world, and write the fitted scenario, its record and its report to `out`."""
    from sim.views.plots.fitting import draw

    log, out = Path(log), Path(out)
    chosen = load_mapping(mapping) if mapping is not None else own_mapping(format_of(log))
    base = base_scenario(scenario, preset, log.stem.replace(" ", "-"))
    frame = read_log(log, chosen)
    replayed = replay(frame, chosen, base.policy)
    if not replayed.replayed.any():
        raise UserError(
            f"{log}: no case fits the machine under {base.preset} (is it the policy "
            "the platform ran? see --scenario and --preset)"
        )
    found = fit_log(replayed, base, bootstrap=bootstrap, seed=seed)
    text = scenario_text(found, timing)
    ensure_folder(out)
    scenario_path, record_path = out / "scenario.toml", out / "fit.json"
    write_atomic(scenario_path, text.encode())
    write_atomic(record_path, json.dumps(record(found), indent=1).encode())
    sets = {
        "timing": timing,
        "delays": found.delays,
        "point": found.point,
        "replicates": found.replicates,
    }
    write_atomic(out / "bootstrap.json", json.dumps(sets).encode())
    figures = draw(found, out / "figures")
    report = out / "report.html"
    result = Fitted(found, out, scenario_path, record_path, report, figures)
    write_atomic(report, html_report(result).encode())
    return result


def fidelity(
    log: str | Path,
    run: str | Path,
    *,
    mapping: str | Path | None = None,
    point: int = 0,
    splits: int = 10,
    seed: int = 1,
) -> Faithful:
    """Hold the runs in the results folder `run` (a fitted scenario's, over the log's
    window) against `log`: every distance beside its noise floor (`sim.fitting.fidelity`)."""
    from sim.experiments.folder import ResultsFolder
    from sim.fitting.fidelity import Cases, Variants, cases_of, compare
    from sim.fitting.simulated import run_frame
    from sim.views.export import runs

    log = Path(log)
    folder = ResultsFolder.open(Path(run))
    folder.require_tables("fidelity")
    points = folder.manifest["points"]
    if not 0 <= point < len(points):
        raise UserError(f"{run}: no point {point} (the folder holds {len(points)})")
    scenario = Scenario.model_validate(points[point]["scenario"])
    chosen = load_mapping(mapping) if mapping is not None else own_mapping(format_of(log))
    variants = Variants()
    logged = replay(read_log(log, chosen), chosen, scenario.policy)
    if not logged.replayed.any():
        raise UserError(f"{log}: no case fits the machine under the run's policy")
    mine = cases_of(logged, variants)
    simulated = [
        cases_of(replay(run_frame(r), own_mapping("csv"), scenario.policy), variants)
        for r in runs(folder, point, None)
    ]
    rows = compare(mine, Cases.join(simulated), variants, splits=splits, seed=seed)
    return Faithful(log, Path(run), scenario.name, mine.size,
                    tuple(s.size for s in simulated), splits, tuple(rows))  # fmt: skip
