"""What `disputesim fidelity` found and says: each measure of likeness between a log and
the runs of the world fitted from it, beside the same measure between two halves of the
log (the noise floor), and whether the model is within that noise."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.fitting.fidelity import Row


@dataclass(frozen=True)
class Faithful:
    """The measures of one log against one results folder's runs."""

    log: Path
    run: Path
    scenario: str
    log_cases: int  # the log's replayed cases
    simulated_cases: tuple[int, ...]  # each run's measured cases
    splits: int
    rows: tuple[Row, ...]

    @property
    def beyond(self) -> list[Row]:
        """The measures on which the model is beyond the noise of the data."""
        return [row for row in self.rows if row.within is False]

    def as_dict(self) -> dict[str, Any]:
        """What `fidelity --json` prints."""
        return {
            "log": str(self.log),
            "run": str(self.run),
            "scenario": self.scenario,
            "log_cases": self.log_cases,
            "simulated_cases": list(self.simulated_cases),
            "splits": self.splits,
            "measures": [
                {
                    "name": row.name,
                    "unit": row.unit,
                    "log": _json(row.log),
                    "simulated": _json(row.simulated),
                    "distance": _json(row.distance),
                    "noise_floor": _json(row.floor),
                    "noise_floor_95": _json(row.floor_high),
                    "within_noise": row.within,
                }
                for row in self.rows
            ],
        }

    def lines(self) -> list[str]:
        """What `disputesim fidelity` prints."""
        runs = len(self.simulated_cases)
        out = [
            f"{self.log} ({self.log_cases:,} cases replayed) against {self.run}: {runs} "
            f"run{'s' if runs != 1 else ''} of {self.scenario} "
            f"({', '.join(f'{n:,}' for n in self.simulated_cases)} cases)",
            f"  each distance is the median over {self.splits} random halvings of the log, "
            "between one half and as many simulated cases;",
            "  the noise floor is the same between the two halves (median, and 95th "
            "percentile: within the noise when the distance is at most it)",
            f"  {'measure':<52}{'log':>9}{'model':>9}{'distance':>10}{'floor':>9}{'95%':>9}",
        ]
        for row in self.rows:
            verdict = {True: "", False: "  beyond the noise", None: "  n/a"}[row.within]
            out.append(
                f"  {row.name:<52}{_shown(row.log, row.unit):>9}"
                f"{_shown(row.simulated, row.unit):>9}{_shown(row.distance, row.unit):>10}"
                f"{_shown(row.floor, row.unit):>9}{_shown(row.floor_high, row.unit):>9}{verdict}"
            )
        mean = sum(self.simulated_cases) / max(len(self.simulated_cases), 1)
        if abs(mean - self.log_cases) > 0.1 * self.log_cases:
            out.append(
                f"note: a run holds {mean:,.0f} cases on average and the log {self.log_cases:,}: "
                "run the fitted scenario over its own window (its [run] is the log's), or "
                "the distances compare different spans"
            )
        beyond = self.beyond
        out.append(
            f"within the noise of the log on {len(self.rows) - len(beyond)} of "
            f"{len(self.rows)} measures"
            + (f"; beyond it: {', '.join(r.name for r in beyond)}" if beyond else "")
        )
        return out


def _shown(value: float, unit: str) -> str:
    if math.isnan(value):
        return "-"
    if unit == "share":
        return f"{value:.2%}"
    return f"{value:.3g}" if unit == "" else f"{value:.3g}d"


def _json(value: float) -> float | None:
    return None if math.isnan(value) else value
