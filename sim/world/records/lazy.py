"""Columns read when first asked for: a view of a table that takes only what is read.

A figure reads a few of the orders table's forty columns; a block path reads a few dozen of
an order's hundred facts, at some rows. Taking every column up front would copy what no one
reads, so a view takes each column from its source the first time it is read and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


class LazyColumns(dict[str, np.ndarray]):
    """Columns by name, each taken from its source (`take(name)`) when first read, then kept."""

    def __init__(self, take: Callable[[str], np.ndarray]) -> None:
        super().__init__()
        self._take = take

    def __missing__(self, name: str) -> np.ndarray:
        values = self[name] = self._take(name)
        return values


def rows_of(columns: Mapping[str, np.ndarray], rows: np.ndarray | slice) -> LazyColumns:
    """`columns` at `rows` (indices, or a slice for views), each taken when first read."""
    return LazyColumns(lambda name: columns[name][rows])
