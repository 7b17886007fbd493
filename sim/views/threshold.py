"""Threshold answers from a sweep: the parameter value where a figure crosses a level.

"The smallest team with a mean wait under 10 days": the figure's mean and 95% CI at each
swept value (sim.views.responses), then the crossing of the level by linear interpolation
between adjacent values, for the mean and for each end of the interval. The interval's
crossings bound the answer: where the whole interval is past the level, and where the
mean is. A level that no swept value reaches is said so, not extrapolated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import UserError
from sim.experiments.folder import ResultsFolder, swept
from sim.measures.metrics import ALL_FIGURES
from sim.views.responses import Response, named_values, response


@dataclass(frozen=True)
class Answer:
    """Where the figure crosses the level, with the range the 95% intervals allow."""

    response: Response
    level: float
    below: bool  # the wanted side: below the level (else above)
    crossing: float | None  # parameter value where the mean crosses
    earliest: float | None  # ... where the most favourable end of the interval does
    latest: float | None  # ... where the least favourable end does (the safe value)
    first_value: float | None  # the first swept value whose mean is on the wanted side
    entering: bool = True  # the figure gets to the wanted side as the parameter grows

    def as_dict(self) -> dict[str, Any]:
        """The answer and the response it was read from (what `threshold --json` prints)."""
        r = self.response
        return {
            "figure": r.figure,
            "parameter": r.parameter,
            "level": self.level,
            "side": "below" if self.below else "above",
            "crossing": self.crossing,
            "ci": [self.earliest, self.latest],
            "first_value": self.first_value,
            "values": r.values.tolist(),
            "means": r.means.tolist(),
            "lows": r.lows.tolist(),
            "highs": r.highs.tolist(),
        }

    def lines(self) -> list[str]:
        """The sentence, then the figure's mean and CI at each swept value, marking those
        past the level."""
        from sim.views.formatting import compact

        r, side = self.response, "below" if self.below else "above"
        lines = [self.sentence(), f"  {r.parameter:>30}  {r.figure}: mean [95% CI]"]
        for value, mean, low, high in zip(r.values, r.means, r.lows, r.highs, strict=True):
            past = mean < self.level if self.below else mean > self.level
            low_shown, high_shown = compact(r.figure, low), compact(r.figure, high)
            shown = f"{compact(r.figure, mean)} [{low_shown}, {high_shown}]"
            lines.append(f"  {value:>30.4g}  {shown}{f'  <- {side}' if past else ''}")
        return lines

    def sentence(self) -> str:
        """The answer in one sentence, with its uncertainty."""
        from sim.views import formatting

        r = self.response
        side = "below" if self.below else "above"
        unit = formatting.unit_name(r.figure)
        level = formatting.compact(r.figure, self.level) + (f" {unit}" if unit else "")
        what = f"{ALL_FIGURES[r.figure].label} is {side} {level}"
        if self.crossing is None:
            if self.first_value is not None:
                return f"{what} at every swept value of {r.parameter} ({_span(r)})."
            return f"{what} at no swept value of {r.parameter} ({_span(r)}): no crossing."
        if not self.entering:
            return (
                f"{what} up to {r.parameter} = {self.crossing:.3g}"
                + (
                    f" (95% CI from {self.latest:.3g} to {self.earliest:.3g})"
                    if self.earliest is not None and self.latest is not None
                    else ""
                )
                + f", and past it beyond; swept from {_span(r)}."
            )
        spread = ""
        if self.earliest is not None and self.latest is not None:
            spread = f" (95% CI from {self.earliest:.3g} to {self.latest:.3g})"
        first = (
            f"; the first swept value where it is: {self.first_value:g}"
            if self.first_value is not None
            else ""
        )
        return (
            f"{what} from {r.parameter} = {self.crossing:.3g}{spread}{first}, "
            f"searching in the direction of {r.parameter} increasing."
        )


def _span(r: Response) -> str:
    return f"{r.values.min():g} to {r.values.max():g}"


def _crossing(
    x: np.ndarray, y: np.ndarray, level: float, below: bool, entering: bool = True
) -> float | None:
    """The first x, increasing, where y passes to (entering) or leaves the wanted side."""
    good = y < level if below else y > level
    if not entering:
        good = ~good
    if not len(x) or good[0]:
        return None
    for i in range(1, len(x)):
        if good[i] and not math.isnan(y[i - 1]):
            fraction = (level - y[i - 1]) / (y[i] - y[i - 1]) if y[i] != y[i - 1] else 1.0
            return float(x[i - 1] + fraction * (x[i] - x[i - 1]))
    return None


def answer(response_: Response, level: float, below: bool) -> Answer:
    """Where, scanning the parameter upwards, the figure first gets past the level."""
    x, mean = response_.values, response_.means
    favourable = response_.lows if below else response_.highs
    unfavourable = response_.highs if below else response_.lows
    good = mean < level if below else mean > level
    first = float(x[np.argmax(good)]) if good.any() else None
    entering = bool(not (len(good) and good[0]) or good.all())
    return Answer(
        response_,
        level,
        below,
        _crossing(x, mean, level, below, entering),
        _crossing(x, favourable, level, below, entering),
        _crossing(x, unfavourable, level, below, entering),
        first,
        entering,
    )


def threshold(
    folder: ResultsFolder, figure: str, level: float, below: bool, parameter: str | None = None
) -> Answer:
    """The answer for one figure and level in a sweep folder."""
    if folder.kind != "sweep":
        raise UserError(f"{folder.path}: a threshold needs a sweep folder, not a {folder.kind}")
    keys = swept(folder.manifest)
    if parameter is None:
        if len(keys) != 1:
            raise UserError(
                f"{folder.path}: the sweep varies {', '.join(keys)}; name one with --parameter"
            )
        parameter = keys[0]
    if parameter not in keys:
        raise UserError(f"--parameter {parameter}: not swept here (swept: {', '.join(keys)})")
    found = response(folder.summary(), parameter, figure, named_values(folder.manifest, parameter))
    if found.categorical:
        raise UserError(
            f"--parameter {parameter}: its values ({', '.join(found.labels)}) are names, with "
            "no order to cross a level in; compare them with disputesim plot or report"
        )
    return answer(found, level, below)
