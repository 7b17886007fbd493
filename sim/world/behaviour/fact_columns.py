"""A block's drawn facts as columns, the dispute facts held for the rows drawn for.

A block of orders is drawn as one numpy column a fact (`sim.world.behaviour.draws`). The
facts only a dispute reads are drawn for a tenth of the rows or so
(`sim.world.behaviour.dispute_facts`); `FactColumns` holds them for those rows alone and
spreads one into a whole column only when a path reads it whole, so most of a block's 56
dispute columns are never written out. `Block.rows` turns rows into `Facts` for the orders
run one by one.
"""

from __future__ import annotations

import numpy as np

from sim.world.behaviour.facts import (
    BOOL,
    DISPUTE_FACTS,
    DISPUTE_FACTS_BY_TYPE,
    FACT_NAMES,
    FLOAT,
    INT,
    Facts,
)
from sim.world.records.lazy import LazyColumns

_NOT_DRAWN = {BOOL: False, INT: -1, FLOAT: np.nan}
"""What a dispute fact holds in the rows it was not drawn for: nothing any actor reads."""
_make_facts = Facts._make


class FactColumns(dict):
    """A block's fact columns by name, the dispute facts kept for the rows they were
    drawn for.

    The dispute facts (`DISPUTE_FACTS`) are drawn for a tenth of a block's rows or so
    (`sim.world.behaviour.dispute_facts`): they are held for those rows alone (`drawn`) and spread
    into a whole column, every other row `_NOT_DRAWN`, only when a path reads the column
    whole. The paths that read them at some rows (`at`) never spread them, so most of a
    block's 56 dispute columns are never written out at all.
    """

    def __init__(self, columns: dict[str, np.ndarray], size: int) -> None:
        super().__init__(columns)
        self.size = size
        self._rows = np.empty(0, dtype=np.int64)  # increasing: the rows drawn for
        self._drawn: dict[str, np.ndarray] = {}
        self._stacks: dict[np.dtype, np.ndarray] = {}  # the drawn facts of each type

    def drawn(self, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """The dispute facts of `rows` (increasing), a column each; held a type at a time
        (one array of the facts of each type), so that `picked` takes them in one go."""
        assert not self._drawn, "a block's dispute facts are drawn once"
        self._rows = rows
        for dtype, names in DISPUTE_FACTS_BY_TYPE.items():
            stack = np.stack([np.asarray(values[name]).astype(dtype) for name in names])
            self._stacks[dtype] = stack
            self._drawn.update(zip(names, stack, strict=True))

    def __missing__(self, name: str) -> np.ndarray:
        if name not in DISPUTE_FACTS:
            raise KeyError(name)
        column = self._spread(name, self.size)
        if name in self._drawn:
            column[self._rows] = self._drawn[name]
        self[name] = column
        return column

    def _spread(self, name: str, n: int) -> np.ndarray:
        dtype = DISPUTE_FACTS[name]
        return np.full(n, _NOT_DRAWN[dtype], dtype=dtype)

    def at(self, name: str, rows: np.ndarray, where: Places | None = None) -> np.ndarray:
        """The column `name` at the block's `rows`, without spreading a dispute fact;
        `where`: `places(rows)`, found once for many columns."""
        if dict.__contains__(self, name) or name not in DISPUTE_FACTS:
            return self[name][rows]
        if name not in self._drawn:
            return self._spread(name, len(rows))
        found, at = where if where is not None else self.places(rows)
        if len(at) == len(rows):  # every row drawn for (rows set aside for the walk, say)
            return self._drawn[name][at]
        values = self._spread(name, len(rows))
        values[found] = self._drawn[name][at]
        return values

    def places(self, rows: np.ndarray) -> Places:
        """Which of `rows` had their dispute facts drawn, and where each is held."""
        at = np.searchsorted(self._rows, rows)
        found = at < len(self._rows)
        found[found] = self._rows[at[found]] == rows[found]
        return found, at[found]

    def picked(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Every column at the block's `rows`, in the order of `FACT_NAMES`: the dispute
        facts a type at a time (a gather for each type, not for each of 56 facts)."""
        if not self._stacks:  # none held aside: whole columns, or none drawn at all
            return {name: self.at(name, rows) for name in FACT_NAMES}
        found, at = self.places(rows)
        typed = {}
        for dtype, names in DISPUTE_FACTS_BY_TYPE.items():
            stack = self._stacks[dtype]
            if len(at) == len(rows):
                typed[dtype] = stack[:, at]
                continue
            spread = np.full((len(names), len(rows)), _NOT_DRAWN[dtype], dtype=dtype)
            spread[:, found] = stack[:, at]
            typed[dtype] = spread
        dispute = {name: values for dtype, names in DISPUTE_FACTS_BY_TYPE.items()
                   for name, values in zip(names, typed[dtype], strict=True)}  # fmt: skip
        return {name: dispute[name] if name in dispute else self[name][rows]
                for name in FACT_NAMES}  # fmt: skip

    def read_at(self, rows: np.ndarray) -> LazyColumns:
        """Every column at the block's `rows`, each taken (`at`) when first read; where
        the rows' dispute facts are held is found once, for the first dispute fact read."""
        where: list[Places] = []

        def take(name: str) -> np.ndarray:
            if name in DISPUTE_FACTS and not where:
                where.append(self.places(rows))
            return self.at(name, rows, where[0] if where else None)

        return LazyColumns(take)

    def every(self) -> dict[str, np.ndarray]:
        """Every column, whole, in the order of `FACT_NAMES`."""
        return {name: self[name] for name in FACT_NAMES}


Places = tuple[np.ndarray, np.ndarray]


class Block:
    """The drawn attributes of `size` consecutive orders, as one numpy column each.

    `rows(indices)` hands out `Facts` tuples of plain Python values: each column becomes
    Python values in one C loop (`tolist`) and the rows are zipped, so an engine that
    resolves most orders column-wise converts only the few it runs one by one.
    """

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self.size = len(next(iter(columns.values())))
        self.columns = (
            columns if isinstance(columns, FactColumns) else FactColumns(columns, self.size)
        )

    def rows(self, indices: np.ndarray | None = None) -> list[Facts]:
        """The `Facts` of the rows at `indices` (default: every row), in that order."""
        c = self.columns
        columns = (c.every() if indices is None else c.picked(indices)).values()
        return list(map(_make_facts, zip(*(column.tolist() for column in columns), strict=True)))
