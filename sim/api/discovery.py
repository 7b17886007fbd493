"""Scenario discovery over a sweep's folder: where a condition on a figure holds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.discovery.design import Condition, read_design
from sim.discovery.discover import Discovery
from sim.discovery.discover import discover as find
from sim.discovery.records import record_path, slug
from sim.experiments.folder import ResultsFolder
from sim.files import ensure_folder, write_atomic


@dataclass(frozen=True)
class Discovered:
    """A discovery, the JSON copy the folder keeps, and its figures."""

    discovery: Discovery
    record: Path
    figures: list[Path]

    def as_dict(self) -> dict[str, Any]:
        from sim.views.discovered import as_dict

        return {**as_dict(self.discovery), "record": str(self.record),
                "figures": [str(p) for p in self.figures]}  # fmt: skip

    def lines(self) -> list[str]:
        from sim.views.discovered import lines

        return lines(self.discovery, [str(p) for p in [self.record, *self.figures]])


def discover(
    folder: str | Path,
    figure: str,
    level: float,
    *,
    above: bool,
    seed: int = 1,
    box: int | None = None,
    out: str | Path | None = None,
) -> Discovered:
    """PRIM and CART on a sweep folder's design points for `figure` above (or below)
    `level`; the record kept in DIR/discovery, the figures in `out` (default DIR/figures)."""
    from sim.views.discovered import as_dict
    from sim.views.plots.discovery import draw

    results = ResultsFolder.open(Path(folder))
    condition = Condition(figure, level, above)
    found = find(read_design(results, condition), seed=seed, pick=box)
    record = record_path(results.path, condition)
    figures = draw(found, Path(out) if out else results.path / "figures",
                   f"discover-{slug(condition)}")  # fmt: skip
    body = {**as_dict(found), "figures": [str(p) for p in figures]}
    ensure_folder(record.parent)
    write_atomic(record, json.dumps(body, indent=1).encode())
    return Discovered(found, record, figures)
