"""A Markovian configuration of the process, and its exact solution.

In a Markovian configuration every actor acts after an exponential delay (a "clock" per
trigger and state, with a rate per day) and every choice has a fixed probability (the
payload a trigger carries). The policy keeps each deadline at 0 (always passed) or far
away (never reached), so every guard depends on the order's data alone and the process is
a continuous-time Markov chain with absorbing end states.

`simulate` drives the real machine (the compiled dispatch of the shared Machine) with
SimPy timeouts; `solve` finds the same chain by probing the machine from every reachable
order and solves it exactly: probability of each end state, mean time to absorption. A
clock whose trigger the machine refuses is a self-loop, which changes neither.
"""

from __future__ import annotations

import copy
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from machine.context import Context
from machine.dispatch import FAST
from machine.order import Order
from machine.policy import Policy
from machine.process import PROCESS
from machine.table import END_STATES

Payload = dict[str, Any]


@dataclass(frozen=True)
class Clock:
    """A trigger that fires after an exponential delay, with a payload drawn by probability."""

    trigger: str
    rate: float
    choices: tuple[tuple[float, Payload], ...] = ((1.0, {}),)

    def __post_init__(self) -> None:
        if self.rate <= 0 or abs(sum(p for p, _ in self.choices) - 1.0) > 1e-9:
            raise ValueError(f"{self.trigger}: rate must be positive and choices add up to 1")


@dataclass(frozen=True)
class MarkovConfig:
    """Clocks per machine state under one policy; end states have none."""

    name: str
    policy: Policy
    clocks: dict[str, tuple[Clock, ...]]
    price: int = 10_000


@dataclass
class Solution:
    """The absorbing chain's answer for an order starting in the initial state."""

    end_probabilities: dict[str, float]
    mean_time: float
    states: int = field(default=0)


TIME_SLOTS = frozenset(name for name in Order.__slots__ if name.endswith("_at"))
IGNORED = frozenset({"id", "updated_at", "disputes_opened", "protection_ends_at"})


def key(order: Order) -> tuple[Any, ...]:
    """What of an order can change a guard's answer here: its state and data, with each
    timestamp reduced to whether it is set (every window is 0 or out of reach)."""
    values = []
    for name in Order.__slots__:
        if name in IGNORED:
            continue
        value = getattr(order, name)
        values.append(value is not None if name in TIME_SLOTS else value)
    return tuple(values)


def _fire(order: Order, clock: Clock, payload: Payload, policy: Policy, now: float) -> bool:
    return FAST.fire(order, clock.trigger, Context(policy, now, **payload))


def _successors(config: MarkovConfig, order: Order) -> Iterator[tuple[float, Order]]:
    """(rate, next order) for every clock and choice the machine accepts from `order`."""
    for clock in config.clocks.get(order.state, ()):
        for probability, payload in clock.choices:
            probe = copy.copy(order)
            if _fire(probe, clock, payload, config.policy, order.updated_at + 1.0):
                yield clock.rate * probability, probe


def solve(config: MarkovConfig) -> Solution:
    """Absorption probabilities per end state and the mean time to absorption, exactly."""
    start = PROCESS.new_order(0, config.price)
    index = {key(start): 0}
    orders = [start]
    rates: list[dict[int, float]] = []
    i = 0
    while i < len(orders):
        out: dict[int, float] = {}
        if orders[i].state not in END_STATES:
            for rate, nxt in _successors(config, orders[i]):
                k = key(nxt)
                if k not in index:
                    index[k] = len(orders)
                    orders.append(nxt)
                out[index[k]] = out.get(index[k], 0.0) + rate
            if not out:
                raise ValueError(f"{config.name}: state {orders[i].state} has no way out")
        rates.append(out)
        i += 1
    n = len(orders)
    transient = [j for j in range(n) if orders[j].state not in END_STATES]
    absorbing = [j for j in range(n) if orders[j].state in END_STATES]
    position = {j: p for p, j in enumerate(transient)}
    jump = np.zeros((len(transient), len(transient)))
    exits = np.zeros((len(transient), len(absorbing)))
    holding = np.zeros(len(transient))
    column = {j: c for c, j in enumerate(absorbing)}
    for j in transient:
        total = sum(rates[j].values())
        holding[position[j]] = 1.0 / total
        for target, rate in rates[j].items():
            if target in position:
                jump[position[j], position[target]] += rate / total
            else:
                exits[position[j], column[target]] += rate / total
    fundamental = np.linalg.inv(np.eye(len(transient)) - jump)
    absorbed = fundamental @ exits
    times = fundamental @ holding
    ends: dict[str, float] = {}
    for j, c in column.items():
        ends[orders[j].state] = ends.get(orders[j].state, 0.0) + float(absorbed[0, c])
    return Solution(ends, float(times[0]), states=n)


def simulate(config: MarkovConfig, orders: int, seed: int) -> tuple[list[str], np.ndarray]:
    """End state and time to absorption of `orders` independent orders, in SimPy."""
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    ends: list[str] = [""] * orders
    times = np.zeros(orders)

    def life(number: int) -> Generator[simpy.Event, None, None]:
        order = PROCESS.new_order(number, config.price)
        while order.state not in END_STATES:
            clocks = config.clocks[order.state]
            total = sum(c.rate for c in clocks)
            yield env.timeout(rng.exponential(1.0 / total))
            clock = clocks[rng.choice(len(clocks), p=[c.rate / total for c in clocks])]
            weights = [p for p, _ in clock.choices]
            payload = clock.choices[rng.choice(len(weights), p=weights)][1]
            _fire(order, clock, payload, config.policy, env.now)  # refused: a self-loop
        ends[number], times[number] = order.state, env.now

    for number in range(orders):
        env.process(life(number))
    env.run()
    return ends, times
