"""A run's size before it starts: how many orders and events it will make, and the memory
it will need at its peak, so that a world too big for the machine is refused in one line
instead of growing until the operating system kills it.

The estimate is the expected count of arrivals (the market's rate on every day of the
warm-up and the window, times the season's factor on its days) and two measured costs:
events per order and peak bytes per order (both measured on the baseline and rounded up,
see docs/performance.md). The limit is the memory this machine has free (and, under an
address-space limit, what the limit leaves); `DISPUTESIM_MEMORY_GB` (the command line's
`--memory GB`) states another, for a machine the estimate does not know.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import resource
from dataclasses import dataclass
from typing import TYPE_CHECKING

from machine.standards import COUNTS
from sim.errors import UserError

if TYPE_CHECKING:
    from sim.world.scenario import Scenario

EVENTS_PER_ORDER = 5.5
"""Events an order writes to the log: 5.14 on the baseline, rounded up for scenarios with
more disputes (the fraud-heavy study writes 5.3)."""
BYTES_PER_ORDER = 1_000
"""Peak memory per simulated order (its row, its events, the sort and the figures): 720
bytes measured from empty at 100k to 400k baseline orders, 860 on a year's window with its
warm-up; rounded up."""
BASE_BYTES = 200 * 2**20
"""The interpreter, the libraries and the world before its first order."""
MEMORY_VARIABLE = "DISPUTESIM_MEMORY_GB"
GB = 2**30


@dataclass(frozen=True)
class Footprint:
    """What one run of a scenario is expected to make and need."""

    orders: float
    events: float
    bytes: float

    def describe(self) -> str:
        return (
            f"about {self.orders:,.3g} orders and {self.events:,.3g} events, "
            f"{gigabytes(self.bytes)} of memory"
        )


def expected_orders(scenario: Scenario) -> float:
    """The expected number of orders paid in the warm-up and the window (a float: a
    mistyped rate can make it astronomically large, and it must still be compared)."""
    window, market = scenario.window(), scenario.market
    days = window.warmup_days + (window.days or 0)
    peak = _season_days(window.epoch, days, market.peak_start, market.peak_end)
    weekly = sum(market.weekday_factors) / 7  # the week's mean multiplier
    return market.orders_per_day * weekly * (days + (market.peak_factor - 1.0) * peak)


@functools.cache
def _season_days(epoch: dt.date, days: int, peak_start: str, peak_end: str) -> int:
    """How many of `days` from `epoch` fall in the season (cached: a sweep asks once)."""
    from sim.world.market import Market

    market = Market(peak_start=peak_start, peak_end=peak_end)
    return sum(market.in_peak(epoch + dt.timedelta(days=day)) for day in range(days))


COUNT_BYTES = 16 * 3
"""The monitor's memory for one order's counts on one day it keeps (placed, confirmed,
feedback: a key and a sum each)."""
SELLER_ROW_BYTES = 200
"""One row of the sellers table (about 25 columns)."""
BUYER_BYTES = 24
"""A buyer's profile, purchase weight, own trait and review flag."""


def population_bytes(scenario: Scenario) -> float:
    """The columns a population keeps: the daily counts of the longest window's days
    (a year), each seller's totals and rows of the sellers table, and each buyer."""
    population = scenario.population
    if not population.active:
        return 0.0
    window = scenario.window()
    sellers = population.sellers + sum(c.sellers for c in population.cohorts)
    days = window.warmup_days + (window.days or 0)
    market = scenario.market
    kept = min(days, 2 * 365 + 2) * market.orders_per_day * market.peak_factor
    rows = sellers * (days / population.table_every_days + 2)
    return (
        kept * COUNT_BYTES
        + sellers * len(COUNTS) * 8 * 4
        + rows * SELLER_ROW_BYTES
        + population.buyers * BUYER_BYTES
    )


def estimate(scenario: Scenario, orders: int | None = None) -> Footprint:
    """The footprint of one run (of exactly `orders` orders, where given)."""
    count = float(orders) if orders is not None else expected_orders(scenario)
    memory = BASE_BYTES + count * BYTES_PER_ORDER + population_bytes(scenario)
    return Footprint(count, count * EVENTS_PER_ORDER, memory)


def memory_limit() -> tuple[float, str]:
    """The bytes a run may use, and where that figure comes from."""
    stated = os.environ.get(MEMORY_VARIABLE)
    if stated:
        try:
            value = float(stated)
        except ValueError:
            raise UserError(
                f"{MEMORY_VARIABLE}={stated!r}: expected a number of gigabytes"
            ) from None
        if not value > 0:
            raise UserError(f"{MEMORY_VARIABLE}={stated!r}: expected a positive number")
        return value * GB, f"the {gigabytes(value * GB)} stated with --memory"
    free = _available()
    return free, f"the {gigabytes(free)} this machine has free"


def require_room(scenarios: list[Scenario], concurrent: int = 1, orders: int | None = None) -> None:
    """Refuse, in one line naming the key, runs that cannot fit in memory together
    (`concurrent` of them at once, one per worker)."""
    limit, whence = memory_limit()
    for scenario in scenarios:
        need = estimate(scenario, orders)
        if need.bytes * concurrent <= limit:
            continue
        workers = f" on each of {concurrent} workers" if concurrent > 1 else ""
        rate = scenario.market.orders_per_day
        key = "--orders" if orders is not None else f"key 'market.orders_per_day' = {rate:g}"
        fix = "lower the rate or the window (run.days, run.warmup_days)"
        population = scenario.population
        if population_bytes(scenario) > need.bytes / 2:
            buyers = population.buyers * BUYER_BYTES
            name, size = (
                ("buyers", population.buyers)
                if buyers > population_bytes(scenario) / 2
                else ("sellers", population.sellers)
            )
            key, fix = f"key 'population.{name}' = {size:g}", f"lower population.{name}"
        raise UserError(
            f"{scenario.name}: {key}: a run needs {need.describe()}{workers}, more than "
            f"{whence}; {fix}, use fewer --jobs, or state the memory with --memory GB"
        )


def gigabytes(count: float) -> str:
    """Bytes as gigabytes, readable at any size."""
    return f"{count / GB:.3g} GB"


def _available() -> float:
    """Free memory (MemAvailable), less under an address-space limit (what it leaves)."""
    free = float("inf")
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    free = float(line.split()[1]) * 1024
    except OSError:
        pass
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        free = min(free, soft - _mapped())
    if free == float("inf"):  # no /proc (not Linux): the physical memory
        free = float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    return max(free, 0.0)


def _mapped() -> float:
    """This process's address space now (VmSize), which an address-space limit counts."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    return 0.0
