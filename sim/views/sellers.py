"""`disputesim sellers DIR`: a results folder's sellers, ranked by a seller metric.

It reads one task's sellers table (a point and a replication of the folder) at its last
evaluation, the window's end, and lists the sellers with the highest value of a metric
(machine.standards), each with its profile, standing, orders and score.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from machine.standards import METRICS
from sim.errors import UserError
from sim.experiments.folder import ResultsFolder


def ranked(
    folder: Path,
    metric: str,
    *,
    top: int = 20,
    point: int = 0,
    replication: int = 0,
    profile: str | None = None,
) -> list[dict[str, Any]]:
    """The `top` sellers by `metric` at the window's end (rated ones first, highest first)."""
    if metric not in METRICS:
        raise UserError(f"--metric: expected one of {', '.join(METRICS)}, got {metric!r}")
    results = ResultsFolder(folder)
    points = len(results.manifest["points"])
    if not 0 <= point < points:
        raise UserError(f"--point: the folder has points 0 to {points - 1}")
    table = results.read_task_table("sellers", point, replication)
    if table is None:
        raise UserError(
            f"{folder}: no sellers table for point {point}, replication {replication} "
            "(run it with --out, as a scenario with a population)"
        )
    if table.empty:
        raise UserError(f"{folder}: the scenario has no population (population.sellers = 0)")
    for name in ("profile", "standing", f"{metric}_tier"):  # stored as labels
        table[name] = table[name].astype(str)
    last = table[table["day"] == table["day"].max()]
    if profile is not None:
        if profile not in set(table["profile"]):
            known = ", ".join(sorted(set(table["profile"])))
            raise UserError(f"--profile: expected one of {known}, got {profile!r}")
        last = last[last["profile"] == profile]
    order = last.sort_values([metric, "orders"], ascending=[False, False], na_position="last")
    return [
        {
            "seller_id": int(row["seller_id"]),
            "profile": row["profile"],
            "standing": row["standing"],
            "orders": int(row["orders"]),
            "score": float(row["score"]),
            metric: None if math.isnan(row[metric]) else float(row[metric]),
            "tier": row[f"{metric}_tier"],
        }
        for _, row in order.head(top).iterrows()
    ]


def lines(rows: list[dict[str, Any]], metric: str) -> list[str]:
    """The ranking as aligned text."""
    head = f"{'seller':>7}  {'profile':<12} {'standing':<11} {'orders':>7}  {'score':>6}  "
    found = [head + f"{METRICS[metric].title} (its tier)"]
    for row in rows:
        value = "n/a" if row[metric] is None else f"{row[metric]:.2%}"
        found.append(
            f"{row['seller_id']:>7}  {row['profile']:<12} {row['standing']:<11} "
            f"{row['orders']:>7}  {row['score']:>6.3f}  {value} ({row['tier']})"
        )
    return found
