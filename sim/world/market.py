"""The market: how orders arrive, what they cost, and how carriers move them."""

from __future__ import annotations

import datetime as dt

from pydantic import model_validator

from sim.world.params import Params, duration, fraction, param, spread

MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class Carrier(Params):
    """A shipping method: its transit times, price, and what can go wrong (L5-L8)."""

    name: str = param("standard_post", "Name used in the tables.")
    share: float = fraction(
        0.85, "Share of orders sent this way.", source="000: standard post usual"
    )
    price_cents: int = param(0, "Shipping price the buyer pays on top of the item.", ge=0)
    promised_days: float = duration(30.0, "Delivery time the seller guarantees.", low=1.0)
    transit_median_days: float = duration(
        15.0, "Median door-to-door time.", source="sources.md: 10 to 18 days on average", low=0.5
    )
    transit_spread: float = spread(0.35, "Log-normal sigma of the transit time.")
    tracking_lag_min_days: float = duration(
        3.0, "Shortest lag before tracking shows.", source="003"
    )
    tracking_lag_max_days: float = duration(7.0, "Longest lag before tracking shows.", source="003")
    loss_rate: float = fraction(
        0.0042, "Share of parcels lost.", source="sources.md: Canada Post 0.42%"
    )
    declared_lost_share: float = fraction(0.3, "Share of lost parcels the carrier reports lost.")
    customs_rate: float = fraction(0.03, "Share of parcels held by customs.")
    customs_median_days: float = duration(6.0, "Median customs hold.")
    customs_spread: float = spread(0.5, "Log-normal sigma of the customs hold.")
    customs_at_share: float = fraction(
        0.6, "Point of the journey, as a share of the transit time, where customs holds it."
    )
    lost_declared_after: float = param(
        1.5,
        "A lost parcel the carrier reports is declared lost after this multiple of its transit.",
        ge=0.0,
        le=20.0,
    )
    post_office_rate: float = fraction(0.25, "Share of parcels left at the post office.")
    damage_rate: float = fraction(0.002, "Share of parcels damaged in transit.")

    @model_validator(mode="after")
    def _lags_ordered(self) -> Carrier:
        if self.tracking_lag_min_days > self.tracking_lag_max_days:
            raise ValueError("tracking_lag_min_days must not exceed tracking_lag_max_days")
        return self


def default_carriers() -> tuple[Carrier, ...]:
    """Free standard post and a paid courier (L5), with sources.md figures where found."""
    return (
        Carrier(),
        Carrier(
            name="courier",
            share=0.15,
            price_cents=1_200,
            promised_days=12.0,
            transit_median_days=7.0,
            transit_spread=0.25,
            tracking_lag_min_days=0.0,
            tracking_lag_max_days=1.0,
            loss_rate=0.0006,
            customs_rate=0.05,
            customs_median_days=3.0,
            post_office_rate=0.05,
            damage_rate=0.001,
        ),
    )


class Market(Params):
    """Order arrivals (Poisson, with a November-December peak), prices and carriers."""

    orders_per_day: float = param(2_740.0, "Base arrival rate (about a million a year).", gt=0.0)
    peak_factor: float = param(
        1.6,
        "Arrival rate multiplier in the sales season.",
        ge=1.0,
        le=10.0,
        source="002: refunds slower in sales and Christmas; factor assumed",
    )
    weekday_factors: tuple[float, float, float, float, float, float, float] = param(
        (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
        "Arrival rate multiplier on each day of the week, Monday first (as a log shows "
        "them: `disputesim fit`; all 1: no weekly pattern).",
    )
    peak_start: str = param("11-01", "First day of the sales season (MM-DD).", pattern=MONTH_DAY)
    peak_end: str = param("12-31", "Last day of the sales season (MM-DD).", pattern=MONTH_DAY)
    peak_loss_factor: float = param(
        1.4,
        "Loss rate multiplier for parcels shipped in the season.",
        ge=1.0,
        le=10.0,
        source="sources.md: loss risk in November about +40%",
    )
    currency: str = param(
        "USD",
        "ISO 4217 code of the currency prices are in (a price's cents are its hundredths); "
        "money figures are reported in it.",
        source="003: refunds to a card's USD account; the price figures are assumed",
        pattern=r"^[A-Z]{3}$",
    )
    price_median_cents: int = param(1_500, "Median item price.", gt=0)
    price_spread: float = spread(1.0, "Log-normal sigma of the item price.", high=4.0)
    price_min_cents: int = param(50, "Lowest item price.", gt=0)
    return_postage_median_cents: int = param(
        900, "Median postage of a return parcel, paid by the buyer unless free (D11).", ge=0
    )
    return_postage_spread: float = spread(0.4, "Log-normal sigma of the return postage.", high=4.0)
    return_postage_min_cents: int = param(300, "Lowest return postage.", ge=0)
    carriers: tuple[Carrier, ...] = param(default_carriers(), "Shipping methods on offer.")

    @model_validator(mode="after")
    def _carrier_shares_sum_to_one(self) -> Market:
        total = sum(carrier.share for carrier in self.carriers)
        if not self.carriers or abs(total - 1.0) > 1e-6:
            raise ValueError(f"carrier shares must add up to 1, got {total:g}")
        return self

    def in_peak(self, day: dt.date) -> bool:
        """Whether a calendar day falls in the sales season (which may wrap the new year)."""
        key = day.strftime("%m-%d")
        if self.peak_start <= self.peak_end:
            return self.peak_start <= key <= self.peak_end
        return key >= self.peak_start or key <= self.peak_end
