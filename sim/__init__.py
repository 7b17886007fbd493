"""The simulated world that drives the dispute machine, and its public API.

Scripts and notebooks use what this package exports, and nothing deeper:

    import sim

    scenario = sim.load_scenario("scenarios/baseline.toml")
    result = sim.run(scenario, seed=1)        # orders, events and queue tables
    sim.figures(result)                       # every figure of the run
    sim.replicate(scenario, 5)                # `disputesim run`: replications, estimates
    sim.compare([scenario, other])            # paired differences, a DataFrame
    sim.sweep("scenarios/sweeps/deadlines-grid.toml", out="results/grid")
    sim.fit("platform-log.csv", out="results/fitted")   # the world from a platform's log

Names are loaded on first use, so `import sim` stays quick for the command line.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

# NumPy asks the kernel for transparent huge pages for every large array. Where the kernel
# compacts memory to find them when asked (THP defrag "madvise", the default of many
# distributions), each large allocation stalls: a tenth of the year window's CPU time on
# the reference machine (docs/performance.md). Off unless the environment says otherwise;
# it takes effect when `sim` is imported before numpy, as the command line and its worker
# processes do.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

# name -> module that defines it
_EXPORTS = {
    "load_scenario": "sim.experiments.scenario",
    "Scenario": "sim.experiments.scenario",
    "load_study": "sim.experiments.study",
    "Study": "sim.experiments.study",
    "run": "sim.world.runner",
    "RunResult": "sim.world.records.results",
    "Estimate": "sim.experiments.stats",
    "compare": "sim.api",
    "replicate": "sim.api",
    "warmup": "sim.api",
    "sweep": "sim.api",
    "open_results": "sim.api",
    "Results": "sim.api",
    "describe_figures": "sim.api",
    "compare_runs": "sim.api",
    "export_log": "sim.api",
    "fit": "sim.api.fitting",
    "fidelity": "sim.api.fitting",
    "FIGURES": "sim.measures.metrics",
    "ALL_FIGURES": "sim.measures.metrics",
}
_RENAMED = {"figures": ("sim.measures.metrics", "every_figure")}

__all__ = [
    "ALL_FIGURES",
    "FIGURES",
    "Estimate",
    "Results",
    "RunResult",
    "Scenario",
    "Study",
    "compare",
    "compare_runs",
    "describe_figures",
    "export_log",
    "fidelity",
    "figures",
    "fit",
    "load_scenario",
    "load_study",
    "open_results",
    "replicate",
    "run",
    "sweep",
    "warmup",
]
assert sorted(__all__) == sorted([*_EXPORTS, *_RENAMED]), "sim.__all__ and _EXPORTS disagree"

if TYPE_CHECKING:
    from sim.api import (
        Results,
        compare,
        compare_runs,
        describe_figures,
        export_log,
        open_results,
        replicate,
        sweep,
        warmup,
    )
    from sim.api.fitting import fidelity, fit
    from sim.experiments.scenario import load_scenario
    from sim.experiments.stats import Estimate
    from sim.experiments.study import Study, load_study
    from sim.measures.metrics import ALL_FIGURES, FIGURES
    from sim.measures.metrics import every_figure as figures
    from sim.world.records.results import RunResult
    from sim.world.runner import run
    from sim.world.scenario import Scenario


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    if name in _RENAMED:
        module, attribute = _RENAMED[name]
        return getattr(import_module(module), attribute)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
