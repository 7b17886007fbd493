"""How figures read on a terminal: shares as percentages, days with two decimals, money
with thousands separators in the scenario's currency.

A difference too small for that many digits is printed with as many as it takes to show
it, and is called significant only when its interval, as printed, excludes zero.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.experiments.stats import Estimate
from sim.measures.figure import MONEY
from sim.measures.metrics import ALL_FIGURES

if TYPE_CHECKING:
    from sim.experiments.experiment import Precision

UNITS = {key: figure.unit for key, figure in ALL_FIGURES.items()}
FEW_REPLICATIONS = 3  # fewer than this: the interval is too wide to read
WIDE = 0.25  # a half-width above this share of the mean is flagged


def is_share(key: str) -> bool:
    return ALL_FIGURES[key].is_share


def value(key: str, number: float, signed: bool = False, digits: int = 2) -> str:
    """One figure's value with its unit."""
    if math.isnan(number):
        return "n/a"
    sign = "+" if signed else ""
    if is_share(key):
        return f"{number:{sign}.{digits}%}"
    if UNITS[key] == MONEY:
        return f"{number:{sign},.{digits}f}"
    return f"{number:{sign}.{digits}f}"


def unit_name(key: str, currency: str = "USD") -> str:
    """The unit as people read it beside a value: `days`, `of GMV`, `USD per 1,000
    orders`; nothing for a share (its value ends in %)."""
    unit = UNITS[key]
    if unit == MONEY:
        return f"{currency} per 1,000 orders"
    return unit.removeprefix("share").strip()


def suffix(key: str, currency: str = "USD") -> str:
    unit = unit_name(key, currency)
    return f" {unit}" if unit else ""


def parsed(shown: str) -> float:
    """A value as `value` printed it, read back (its %, thousands separators dropped)."""
    return float(shown.rstrip("%").replace(",", ""))


def estimate(key: str, est: Estimate, signed: bool = False) -> str:
    """`mean ± half-width`; `mean [low, high]` where the figure's range cuts the interval
    (a share near 0 or 1), so that no printed interval leaves the range; just the mean
    with a single replication."""
    if math.isnan(est.half_width):
        return value(key, est.mean, signed)
    if est.low > est.mean - est.half_width or est.high < est.mean + est.half_width:
        return (
            f"{value(key, est.mean, signed)} "
            f"[{value(key, est.low, signed)}, {value(key, est.high, signed)}]"
        )
    return f"{value(key, est.mean, signed)} ± {value(key, est.half_width)}"


def _digits(key: str, est: Estimate) -> int:
    """Enough decimals that the interval's ends and the mean do not round to zero."""
    numbers = [abs(n) for n in (est.mean, est.low, est.high) if n and not math.isnan(n)]
    if not numbers:
        return 2
    smallest = min(numbers) * (100 if is_share(key) else 1)
    return min(max(2, 1 - math.floor(math.log10(smallest))), 8) if smallest > 0 else 2


def difference(key: str, est: Estimate) -> str:
    """A paired difference and its interval, with the digits it needs."""
    digits = _digits(key, est)
    if math.isnan(est.half_width):
        return value(key, est.mean, True, digits)
    return (
        f"{value(key, est.mean, True, digits)} "
        f"[{value(key, est.low, True, digits)}, {value(key, est.high, True, digits)}]"
    )


def significant(key: str, est: Estimate) -> bool:
    """The interval excludes zero, and still does as printed."""
    if not est.significant:
        return False
    digits = _digits(key, est)
    shown = [parsed(value(key, n, True, digits)) for n in (est.low, est.high)]
    return shown[0] > 0 or shown[1] < 0


def verdict(key: str, est: Estimate) -> str:
    """`significant` or `not significant` for a paired difference; nothing where it is
    undefined (the figure is undefined in one of the arms: there is nothing to test)."""
    if math.isnan(est.mean):
        return ""
    return "significant" if significant(key, est) else "not significant"


def warning(est: Estimate) -> str:
    """A note beside a figure whose interval cannot be trusted to read."""
    if est.n and est.n < FEW_REPLICATIONS:
        return f"  (warning: {est.n} replication{'s' if est.n > 1 else ''}, interval unreliable)"
    if not math.isnan(est.half_width) and est.mean and est.half_width > WIDE * abs(est.mean):
        return f"  (warning: ± more than {WIDE:.0%} of the mean)"
    return ""


def precision_note(figures: dict[str, Estimate], precision: Precision) -> str:
    """How many replications the precision took, and whether it was reached."""
    n = max((est.n for est in figures.values()), default=0)
    missed = [
        key
        for key, est in figures.items()
        if not math.isnan(est.mean) and not est.within(precision.relative, ALL_FIGURES[key].floor)
    ]
    target = f"every half-width within {precision.relative:.0%} of its mean or its floor"
    if not missed:
        return f"precision: {target}, reached with {n} replications"
    return (
        f"precision: {target} NOT reached after {n} replications "
        f"(the most allowed: {precision.max_replications}); short: {', '.join(missed)}"
    )


def rounded(number: float, significant_digits: int = 3) -> str:
    """A number for a compact table: three significant digits, `n/a` for NaN."""
    if math.isnan(number):
        return "n/a"
    return f"{number:.{significant_digits}g}"


def compact(key: str, number: float, signed: bool = False) -> str:
    """A figure's value for a compact table: three significant digits, in its unit
    (`72.5%`, `13.7`, `1,355`); `n/a` for NaN."""
    if math.isnan(number):
        return "n/a"
    sign = "+" if signed else ""
    if is_share(key):
        return f"{_significant(number * 100, sign)}%"
    if UNITS[key] == MONEY and abs(number) >= 100:
        return f"{number:{sign},.0f}"
    return _significant(number, sign)


MAX_DECIMALS = 5  # beyond this a number is shown as 0: it is noise, not a finding


def _significant(number: float, sign: str, digits: int = 3) -> str:
    """`number` to `digits` significant digits, in fixed notation (never 1e+03), with at
    most MAX_DECIMALS decimals; what rounds to nothing is `0`."""
    if abs(number) < 10**-MAX_DECIMALS / 2:
        return f"{0:{sign}.0f}" if sign else "0"
    decimals = min(max(0, digits - 1 - math.floor(math.log10(abs(number)))), MAX_DECIMALS)
    return f"{number:{sign}.{decimals}f}"
