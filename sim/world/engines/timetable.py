"""The machine's timetable on columns, and the ties between moves, for the block paths.

The plain path (`sim.world.engines.plain`) and the walk (`sim.world.engines.settled`)
decide many orders at once, so they restate how the marketplace orders one order's moves;
the rules of a tie are written here once, for both:

- between actors, the one listed first wins (`earliest`);
- a deadline has passed at its very instant: its timer beats an actor who would act then
  (`timer_wins`), as `Marketplace.next_move` takes a timer at or before the actor's move;
- a move fires at the later of its own time and the order's clock (`fired_at`), as the
  engines fire a move noticed late.

The deadlines themselves are never restated: `machine.deadlines` is called on columns
dressed as an order (`on`), and what it computes is read as an array (`moments`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import numpy as np


def on(**columns: Any) -> Any:
    """Columns dressed as an order, for `machine.deadlines` to read."""
    return cast(Any, SimpleNamespace(**columns))


def moments(moment: float | np.ndarray | None) -> np.ndarray:
    """A deadline `machine.deadlines` computed on columns (it is set for every order)."""
    assert moment is not None
    return cast(np.ndarray, moment)


def earliest(*times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which candidate comes first for each order (the first listed wins a tie), and when."""
    stacked = np.stack(times)
    which = np.argmin(stacked, axis=0)
    return which, stacked[which, np.arange(stacked.shape[1])]


def timer_wins(deadline: np.ndarray | float, time: np.ndarray) -> np.ndarray:
    """Whether the deadline's timer fires before a move due at `time`: it has passed at its
    very instant, so it wins a tie."""
    return np.asarray(deadline <= time)


def fired_at(time: np.ndarray, clock: np.ndarray) -> np.ndarray:
    """When a move due at `time` fires on an order whose clock reads `clock`."""
    return np.maximum(time, clock)
