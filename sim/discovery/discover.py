"""Scenario discovery on a sweep: in which region of the levers and behaviours does a
condition hold? PRIM's trajectory found on part of the design points, checked on the rest,
with intervals from resampling points and a quasi-p-value for each restriction; CART's
leaves beside it.

The chosen box is the one with the best balance of coverage and density on the held-out
points (their harmonic mean), unless the analyst picks another step of the trajectory. A
split whose held-out points hold no point that meets the condition cannot check anything
(every step scores zero there): the box is then chosen on the points PRIM ran on, and the
discovery says that the held-out check was not made.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.discovery import cart, prim
from sim.discovery.box import Box, Stats
from sim.discovery.design import Design
from sim.discovery.uncertainty import Spread, bootstrap, quasi_p_values
from sim.errors import UserError

HELD_OUT = 1 / 3  # the share of design points kept aside to check the trajectory
MIN_HELD_OUT = 10  # fewer points than this in all: the trajectory is checked on them all


@dataclass(frozen=True)
class Found:
    """One step of the trajectory: the box, its statistics where it was found and on the
    held-out points, their intervals, and the quasi-p-value of each restriction."""

    box: Box
    found: Stats
    held_out: Stats
    spread: Spread
    restricted: tuple[int, ...]
    quasi_p: dict[int, float]


@dataclass(frozen=True)
class Discovery:
    design: Design
    steps: list[Found]
    chosen: int
    leaves: list[cart.Leaf]
    held_out: int  # points kept aside (0: the trajectory was checked on the points it ran on)
    seed: int
    witnesses: int = 0  # held-out points that meet the condition (some of them, at least)

    @property
    def box(self) -> Found:
        return self.steps[self.chosen]

    @property
    def held_out_check(self) -> str:
        """How the trajectory was checked: `made` on held-out points, `not made` where none
        of them meets the condition, `same points` where too few were to hold any out."""
        if self.held_out == 0:
            return "same points"
        return "made" if self.witnesses > 0 else "not made"

    def check_note(self) -> str | None:
        """One line where points were held out but none meets the condition (None else)."""
        if self.held_out == 0 or self.witnesses > 0:
            return None
        return (
            f"held-out check not made: none of the {self.held_out} held-out points meets the "
            "condition, so the box is chosen on the points PRIM ran on; more samples or "
            "another --seed would check it"
        )


def discover(
    design: Design, *, seed: int = 1, pick: int | None = None, alpha: float = prim.ALPHA,
    min_mass: float = prim.MIN_MASS,
) -> Discovery:  # fmt: skip
    """PRIM and CART on the design; one line (exit 2) where there is nothing to find."""
    y = design.y
    what = design.condition.key()
    if not (y > 0).any():
        raise UserError(f"{what}: no design point meets it (no box to find); "
                        "loosen the level or widen the sweep")  # fmt: skip
    if (y >= 1).all():
        raise UserError(f"{what}: every design point meets it (the box is the whole sweep)")
    n = design.space.size
    aside = held_out_split(n, seed)
    train = design.subset(np.flatnonzero(~aside))
    check = design.subset(np.flatnonzero(aside)) if aside.any() else train
    if not (train.y > 0).any():
        train, check, aside = design, design, np.zeros(n, dtype=bool)
    steps = prim.trajectory(train.space, train.y, alpha, min_mass)
    if len(steps) == 1:
        raise UserError(f"{what}: PRIM found no box (no restriction of the levers raises "
                        "the density above the whole sweep's); widen the sweep")  # fmt: skip
    whole = train.space.unbounded()
    spreads = bootstrap([s.box for s in steps], train.space, train.y, seed)
    found = [
        Found(
            step.box,
            step.stats,
            Stats.of(step.box.contains(check.space.x), check.y),
            spread,
            step.box.restricted(whole),
            quasi_p_values(step.box, whole, train.space, train.y),
        )
        for step, spread in zip(steps, spreads, strict=True)
    ]
    if pick is not None and not 0 <= pick < len(found):
        raise UserError(f"--box {pick}: the trajectory has steps 0 to {len(found) - 1}")
    witnesses = int((check.y > 0).sum()) if aside.any() else 0
    chosen = pick if pick is not None else _balanced(found, on_held_out=witnesses > 0)
    leaves = cart.leaves(design.space, y)
    return Discovery(design, found, chosen, leaves, int(aside.sum()), seed, witnesses)


def held_out_split(points: int, seed: int) -> np.ndarray:
    """Which of `points` design points are held out to check the trajectory (about
    `HELD_OUT` of them; none when there are fewer than `MIN_HELD_OUT`)."""
    if points < MIN_HELD_OUT:
        return np.zeros(points, dtype=bool)
    return np.random.Generator(np.random.PCG64(seed)).random(points) < HELD_OUT


def _balanced(found: list[Found], *, on_held_out: bool) -> int:
    """The step with the highest harmonic mean of coverage and density on the held-out
    points, or on the points PRIM ran on where none held out meets the condition (the
    first such; never the whole space)."""

    def score(f: Found) -> float:
        stats = f.held_out if on_held_out else f.found
        c, d = stats.coverage, stats.density
        return 2 * c * d / (c + d) if c + d > 0 else 0.0

    return max(range(1, len(found)), key=lambda i: (score(found[i]), -i))
