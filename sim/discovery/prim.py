"""PRIM, the patient rule induction method (Friedman and Fisher 1999), as scenario
discovery uses it (Bryant and Lempert 2010).

Starting from the box that holds every design point, PRIM *peels*: of every slice it could
cut off (the lowest or highest `alpha` of the points inside along one numeric parameter,
or one value of a categorical one), it removes the one that raises the mean probability
inside the most for each point it removes (the EMA Workbench's default, "lenient1": a
categorical value holds many more points than an `alpha` slice, and judged by the mean
alone it would be cut off too soon); again and again, until a cut would leave fewer than
`min_mass` of the points. Each box of that peeling trajectory is then *pasted*: widened again by a
slice along one parameter while that raises its mean, which undoes peels that later peels
made unnecessary. The analyst picks a box from the trajectory: the further along, the
purer (density) and the less of the phenomenon it holds (coverage).

Points are design points with equal weight, each carrying its probability of the
condition: replications inform that probability and never count as points of their own
(PRIM on replications as points would treat one point's noise as structure). Ties go to
the first parameter, the lower end before the upper, so a trajectory is a function of its
input alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.discovery.box import Box, Space, Stats

ALPHA = 0.05  # the share of the points inside peeled (or pasted) at each step
MIN_MASS = 0.05  # the least share of the points a box may hold


@dataclass(frozen=True)
class Step:
    """One box of the trajectory and what it holds."""

    box: Box
    stats: Stats


def trajectory(
    space: Space, y: np.ndarray, alpha: float = ALPHA, min_mass: float = MIN_MASS
) -> list[Step]:
    """The peeling trajectory over `space` for probabilities `y`, each box pasted and its
    unlimited sides left open; the first step is the whole space."""
    if space.size != len(y):
        raise ValueError("one probability per design point is needed")
    whole = space.whole()
    steps = [Step(space.unbounded(), Stats.of(np.ones(len(y), dtype=bool), y))]
    box = whole
    while True:
        peeled = _best(space, y, box, _peels(space, box, alpha), min_mass, per_point=True)
        if peeled is None:
            break
        box = peeled
        pasted = _paste(space, y, box, alpha)
        steps.append(Step(pasted.opened(whole), Stats.of(pasted.contains(space.x), y)))
    return steps


def _best(
    space: Space, y: np.ndarray, box: Box, candidates: list[Box], min_mass: float,
    per_point: bool = False,
) -> Box | None:  # fmt: skip
    """The candidate with the highest mean inside (`per_point`: the highest gain in mean
    per point it removes) that keeps `min_mass`, if any."""
    floor = max(1, int(np.ceil(min_mass * space.size)))
    now = box.contains(space.x)
    n_now, mean_now = int(now.sum()), float(y[now].mean())
    best, best_score = None, -np.inf
    for candidate in candidates:
        inside = candidate.contains(space.x)
        n = int(inside.sum())
        if n < floor or n == n_now:
            continue
        mean = float(y[inside].mean())
        score = (mean - mean_now) / (n_now - n) if per_point else mean
        if score > best_score + 1e-12:
            best, best_score = candidate, score
    return best


def _peels(space: Space, box: Box, alpha: float) -> list[Box]:
    """Every box one peel smaller than `box`."""
    inside = box.contains(space.x)
    found = []
    for j in range(len(space.names)):
        values = space.x[inside, j]
        if space.categorical(j):
            present = sorted(set(values.astype(int).tolist()) & box.allowed[j])
            if len(present) < 2:
                continue
            for code in present:
                found.append(box.with_allowed(j, box.allowed[j] - {code}))
            continue
        distinct = np.unique(values)
        if len(distinct) < 2:
            continue
        k = max(1, int(np.floor(alpha * len(values))))
        ordered = np.sort(values)
        low = ordered[k] if ordered[k] > distinct[0] else distinct[1]
        high = ordered[-1 - k] if ordered[-1 - k] < distinct[-1] else distinct[-2]
        found.append(box.with_range(j, float(low), box.highs[j]))
        found.append(box.with_range(j, box.lows[j], float(high)))
    return found


def _paste(space: Space, y: np.ndarray, box: Box, alpha: float) -> Box:
    """`box` widened a slice at a time while that raises its mean."""
    while True:
        inside = box.contains(space.x)
        mean = float(y[inside].mean())
        wider = _best(space, y, box, _pastes(space, box, inside, alpha), 0.0)
        if wider is None or float(y[wider.contains(space.x)].mean()) <= mean + 1e-12:
            return box
        box = wider


def _pastes(space: Space, box: Box, inside: np.ndarray, alpha: float) -> list[Box]:
    """Every box one slice wider than `box` along one parameter."""
    found = []
    k = max(1, int(np.floor(alpha * inside.sum())))
    unbounded = space.unbounded()
    for j in range(len(space.names)):
        others = box.without(j, unbounded).contains(space.x)  # every limit but j's holds
        values = space.x[others, j]
        if space.categorical(j):
            missing = sorted(set(values.astype(int).tolist()) - box.allowed[j])
            found += [box.with_allowed(j, box.allowed[j] | {code}) for code in missing]
            continue
        below = np.sort(values[values < box.lows[j]])
        above = np.sort(values[values > box.highs[j]])
        if len(below):
            found.append(box.with_range(j, float(below[max(0, len(below) - k)]), box.highs[j]))
        if len(above):
            found.append(box.with_range(j, box.lows[j], float(above[min(len(above), k) - 1])))
    return found
