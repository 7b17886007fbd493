"""The public API: one function per command, each returning data, never printing.

    import sim

    baseline = sim.load_scenario("scenarios/baseline.toml")
    result = sim.run(baseline, seed=1)               # one world: orders, events, queue
    sim.figures(result)                              # every figure of that run
    table = sim.compare([baseline, other], replications=5, jobs=2)
    swept = sim.sweep("scenarios/sweeps/deadlines-grid.toml", out="results/grid", jobs=2)
    swept.estimates(["escalation_rate"])             # per point, with 95% CIs
    sim.open_results("results/grid").sql("select ...")

`disputesim COMMAND` is the matching function here plus printing: `replicate` is `run`,
`compare_runs` is `compare`, `sweep_study` is `sweep`, on the same seeds, so both give the
same numbers. The command line only parses its arguments and prints what comes back, as
text (sim.views.console, sim.views.listings) or as JSON (each result's `as_dict`).
"""

from sim.api.checks import trace_rules, validate
from sim.api.folders import Results, export_log, open_results
from sim.api.runs import compare, compare_runs, replicate, scenarios_of
from sim.api.studies import calibrate, describe_figures, sweep, sweep_study, warmup
from sim.views.checked import RuleTrace, Validated
from sim.views.found import Compared, Replicated
from sim.views.studied import Calibrated, StudyRun, WarmedUp

__all__ = [
    "Calibrated",
    "Compared",
    "Replicated",
    "Results",
    "RuleTrace",
    "StudyRun",
    "Validated",
    "WarmedUp",
    "calibrate",
    "compare",
    "compare_runs",
    "describe_figures",
    "export_log",
    "open_results",
    "replicate",
    "scenarios_of",
    "sweep",
    "sweep_study",
    "trace_rules",
    "validate",
    "warmup",
]
