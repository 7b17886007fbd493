"""What `disputesim optimise` found, shaped once: the console lines and the JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.experiments.folder import shown_value
from sim.experiments.optimisation import Optimisation, candidate_rows, robust_rows
from sim.experiments.stats import estimate
from sim.views.formatting import compact


@dataclass(frozen=True)
class Optimised:
    """A policy search's answer, its folder and its figures."""

    found: Optimisation
    folder: Path
    figures: list[Path]
    seconds: float = 0.0  # wall time of this command (a resumed search: its own part)

    def as_dict(self) -> dict[str, Any]:
        found, study = self.found, self.found.study
        return {
            "folder": str(self.folder),
            "objectives": [o.model_dump() for o in study.objectives],
            "constraints": [c.model_dump() for c in study.constraints],
            "trials": len(found.trials),
            "feasible": sum(found.feasible),
            "epsilon": {o.figure: e for o, e in zip(study.objectives, found.epsilon, strict=True)},
            "candidates": [_plain(row) for row in candidate_rows(found)],
            "robust": [_plain(row) for row in robust_rows(found)] if found.robust else None,
            "worlds": found.worlds,
            "figures": [str(p) for p in self.figures],
        }

    def lines(self) -> list[str]:
        found, study = self.found, self.found.study
        settings = study.optimise
        goals = ", ".join(f"{o.sense} {o.figure}" for o in study.objectives)
        subject = "; ".join(c.describe() for c in study.constraints)
        band = ", ".join(
            f"{o.figure} {compact(o.figure, e)}"
            for o, e in zip(study.objectives, found.epsilon, strict=True)
        )
        out = [
            f"{settings.name}: {goals}" + (f", subject to {subject}" if subject else ""),
            f"  {len(found.trials)} trials ({settings.sampler}, {settings.replications} "
            f"replications each on common seeds), {sum(found.feasible)} feasible; "
            f"{len(found.candidates)} kept within epsilon ({band}) and confirmed on fresh seeds",
            "  P(Pareto-optimal) by paired bootstrap; confirmed means [95% CI]:",
        ]
        ranked = sorted(found.candidates, key=lambda c: (-c.probability, c.trial.number))
        for c in ranked:
            levers = ", ".join(f"{k.split('.')[-1]}={shown_value(v)}"
                               for k, v in c.trial.levers.items())  # fmt: skip
            figures = []
            for o in study.objectives:
                e = estimate([float(r[o.figure]) for r in c.confirmed])
                low, high = compact(o.figure, e.low), compact(o.figure, e.high)
                figures.append(f"{o.figure} {compact(o.figure, e.mean)} [{low}, {high}]")
            out.append(f"    trial {c.trial.number:>3}  P={c.probability:4.2f}  {levers}")
            out.append(f"               {'; '.join(figures)}  ({len(c.confirmed)} runs)")
        if found.robust is not None:
            r = found.robust
            out.append(f"  robustness over {len(found.worlds)} worlds of "
                       + ", ".join(p.key for p in study.uncertainties)
                       + " (satisficing: share of worlds meeting the constraints; regret: "
                       "90th percentile of the shortfall from the best policy there):")  # fmt: skip
            for i in r.order:
                c = found.candidates[int(i)]
                regrets = ", ".join(f"{o.figure} {compact(o.figure, float(r.regret[i, k]))}"
                                    for k, o in enumerate(study.objectives))  # fmt: skip
                out.append(f"    #{int(r.rank[i]) + 1} trial {c.trial.number:>3}  satisficing "
                           f"{r.satisficing[i]:.0%}  regret {regrets}")  # fmt: skip
        minutes, seconds = divmod(round(self.seconds), 60)
        out.append(f"  took {minutes} min {seconds} s on the clock")
        if self.figures:
            shown = [str(p) for p in self.figures if p.suffix == ".png"]
            tables = [str(self.folder / name) for name in found.tables]
            out.append(f"written: {', '.join(tables + shown)} (and SVG)")
        return out


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A table row with NaN as null (JSON has no NaN)."""
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
