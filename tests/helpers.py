"""Drive one order through the machine and keep its trace: rule tests read like the rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from machine import DisputeRequest, Journal, Order, Policy, Reason, RequestKind
from machine.process import PROCESS

PRICE = 10_000  # cents


def request(
    reason: Reason = Reason.NOT_RECEIVED,
    kind: RequestKind = RequestKind.REFUND_ONLY,
    amount: int = PRICE,
    **form: object,
) -> DisputeRequest:
    """A dispute form; by default a full refund-only claim for a parcel not received."""
    return DisputeRequest(reason, kind, amount, **form)  # type: ignore[arg-type]


class Driver:
    """One order, a journal, and short verbs that assert each step was accepted."""

    def __init__(self, policy: Policy | None = None, **order: object) -> None:
        self.policy = policy or Policy()
        self.journal = Journal(self.policy)
        self.order: Order = PROCESS.new_order(1, PRICE, **order)

    @property
    def state(self) -> str:
        return self.order.state

    def fire(self, trigger: str, now: float, **payload: object) -> bool:
        """Fire and report whether a transition happened (no assertion)."""
        return self.journal.fire(self.order, trigger, now, **payload)  # type: ignore[arg-type]

    def do(self, trigger: str, now: float, **payload: object) -> Driver:
        """Fire and insist that it happened."""
        assert self.fire(trigger, now, **payload), f"{trigger} refused in {self.state} at {now}"
        return self

    def refused(self, trigger: str, now: float, **payload: object) -> None:
        """Fire and insist that nothing happened: same state, same data."""
        before = self.order.snapshot()
        assert not self.fire(trigger, now, **payload), f"{trigger} accepted in {self.state}"
        assert self.order.snapshot() == before

    def ship(self, now: float = 1.0) -> Driver:
        return self.do("ship", now)

    def open(self, now: float, form: DisputeRequest | None = None) -> Driver:
        return self.do("open_dispute", now, request=form or request())

    def check(self) -> None:
        self.journal.check(self.order)

    @property
    def triggers(self) -> list[str]:
        return [event.trigger for event in self.journal.events[self.order.id]]


ROOT = Path(__file__).resolve().parent.parent


def disputesim(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would, in a fresh interpreter; capture everything."""
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def sweep_into(path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """Sweep the study at `path` into `out` on two jobs, as a user would; it must succeed."""
    result = disputesim("sweep", str(path), "--out", str(out), "--jobs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    return result


def hand_made_orders(**columns: object) -> dict[str, Any]:
    """Columns of measured orders for checking a figure's definition by hand: every column
    the figures read, nothing happened unless given (each given column is a list)."""
    import numpy as np

    nan = float("nan")
    n = len(next(iter(columns.values())))  # type: ignore[arg-type]
    base: dict[str, Any] = {
        "order_id": np.arange(n),
        "measured": np.ones(n, int),
        "price": np.full(n, 1000),
        "refunded": np.zeros(n, int),
        "repaid": np.zeros(n, int),
        "buyer_costs": np.zeros(n, int),
        "truth": np.zeros(n, int),
        "disputed": np.zeros(n, int),
        "false_claim": np.zeros(n, int),
        "escalated": np.zeros(n, int),
        "reason": np.full(n, -1),
        "decision": np.full(n, -1),
        "shipped_at": np.zeros(n),
        **{name: np.full(n, nan) for name in (
            "asked_at", "credited_at", "escalated_at", "decided_at", "closed_at", "team_wait"
        )},
    }  # fmt: skip
    base.update({k: np.asarray(v) for k, v in columns.items()})
    return base


def small_scenario(days: int, name: str = "small-team") -> str:
    """A scenario file small enough for a test to run many times: 300 orders a day, no
    season, one case at a time per officer, `days` measured from an empty start."""
    return (
        f'[scenario]\nname = "{name}"\n[market]\norders_per_day = 300\npeak_factor = 1.0\n'
        f"[team]\ncaseload = 1\n[run]\nstart = 2026-03-01\ndays = {days}\nwarmup_days = 0\n"
        "seed = 3\n"
    )
