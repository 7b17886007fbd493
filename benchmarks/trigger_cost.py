"""Cost of one trigger: the project's machine beside a bare `transitions` trigger.

All three fire the same path of the same table on the same kind of slotted order:
- bare: a `transitions` Machine of the table's states and rows with no guards or actions;
- Process: the project's shared Machine, guards and actions included;
- FastProcess: the dispatch table compiled from that Machine (the simulation's hot path).

Usage: python benchmarks/trigger_cost.py [--orders N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import time

from transitions import Machine

from machine import (
    FAST,
    PROCESS,
    Context,
    DisputeRequest,
    Payload,
    Policy,
    Reason,
    RequestKind,
)
from machine.table import INITIAL, STATE_NAMES, TRANSITIONS

# A disputed order that ends with the team's decision and the bank's credit.
PATH: tuple[tuple[str, float, Payload], ...] = (
    ("ship", 1.0, {}),
    ("tracking_update", 5.0, {}),
    (
        "open_dispute",
        8.0,
        {"request": DisputeRequest(Reason.NOT_RECEIVED, RequestKind.REFUND_ONLY, 900)},
    ),
    ("seller_rejects", 9.0, {"amount": 0}),
    ("escalate", 12.0, {}),
    ("decide", 30.0, {"amount": 900}),
    ("decision_final", 40.0, {}),
    ("bank_credits_refund", 60.0, {}),
)
# Appeals on, so that each trigger's first row is the one taken: the bare machine, which
# has no guards, then walks the same states as the project's.
POLICY = Policy(appeals=True, appeal_days=7)


class BareOrder:
    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state = INITIAL


def bare_machine() -> Machine:
    machine = Machine(model=None, states=list(STATE_NAMES), initial=INITIAL, auto_transitions=False)
    for spec in TRANSITIONS:
        machine.add_transition(spec.trigger, list(spec.source), spec.dest)
    return machine


def time_bare(orders: int) -> float:
    events = bare_machine().events
    path = [events[name] for name, _, _ in PATH]
    start = time.perf_counter()
    for _ in range(orders):
        order = BareOrder()
        for event in path:
            event.trigger(order)
    return time.perf_counter() - start


def time_process(process, orders: int) -> float:
    ctx = Context(POLICY)
    start = time.perf_counter()
    for i in range(orders):
        order = PROCESS.new_order(i, 1_000)
        for name, now, payload in PATH:
            if not process.fire(order, name, ctx.at(now, **payload)):
                raise RuntimeError(f"{name} refused: the benchmark path is wrong")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    triggers = args.orders * len(PATH)
    runs = {
        "bare transitions trigger": lambda: time_bare(args.orders),
        "Process.fire (Machine, guards, actions)": lambda: time_process(PROCESS, args.orders),
        "FastProcess.fire (compiled dispatch)": lambda: time_process(FAST, args.orders),
    }
    best = {name: min(run() for _ in range(args.repeat)) for name, run in runs.items()}
    bare = best["bare transitions trigger"]
    print(
        f"{triggers:,} triggers a run ({args.orders:,} orders x {len(PATH)}), "
        f"best of {args.repeat} runs"
    )
    print(f"{'':42} {'us/trigger':>10} {'x bare':>8}")
    for name, seconds in best.items():
        print(f"{name:42} {seconds / triggers * 1e6:>10.2f} {seconds / bare:>8.2f}")
    spread = statistics.pstdev([time_bare(args.orders) for _ in range(3)]) / bare
    print(f"(run-to-run spread of the bare timing: {spread:.1%})")


if __name__ == "__main__":
    main()
