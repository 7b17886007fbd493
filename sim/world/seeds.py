"""Seeds for experiments: one `SeedSequence` per replication, the same for every scenario.

Replication `r` of any scenario or sweep point uses `SeedSequence(root, spawn_key=(r,))`.
Scenarios compared, or points of a sweep, therefore see the same orders in the same
replication (common random numbers), and the seed of a task never depends on how many
workers there are or in which order tasks finish.
"""

from __future__ import annotations

import numpy as np


def replication_seed(root: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of replication `replication` under root seed `root`."""
    return np.random.SeedSequence(root, spawn_key=(replication,))
