"""What the studies over many runs found: a sweep, a warm-up analysis, a calibration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.experiments.calibration import Outcome
    from sim.experiments.folder import ResultsFolder
    from sim.experiments.study import Study
    from sim.experiments.sweep import Swept
    from sim.experiments.validation import Check
    from sim.experiments.warmup import WarmupAnalysis
    from sim.world.scenario import Scenario


@dataclass(frozen=True)
class StudyRun:
    """What `disputesim sweep` ran and found: the study, its folder, and every run's
    figures and the sensitivity indices."""

    study: Study
    swept: Swept
    folder: ResultsFolder

    @property
    def manifest(self) -> dict[str, Any]:
        return self.folder.manifest


@dataclass(frozen=True)
class WarmedUp:
    """What `disputesim warmup` found: the scenario as run (its season taken out unless
    kept), the days run from an empty start, the MSER-5 analysis, and its figure."""

    scenario: Scenario
    days: int
    analysis: WarmupAnalysis
    figure: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        """The analysis as one JSON-ready object (what `warmup --json` prints)."""
        return {
            "scenario": self.scenario.name,
            "days": self.days,
            "replications": self.analysis.replications,
            "truncation_days": self.analysis.truncation,
            "settled": self.analysis.settled,
            "recommended_warmup_days": self.analysis.recommended,
            "figure": str(self.figure) if self.figure else None,
        }


@dataclass(frozen=True)
class Calibrated:
    """What `disputesim calibrate` found: every trial, the best, each target beside its
    simulated estimate, and the files written."""

    name: str
    outcome: Outcome
    checks: list[Check]  # one per target
    written: tuple[Path, ...]
