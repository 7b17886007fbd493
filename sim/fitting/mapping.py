"""How a log's columns and activity labels map to the machine (a TOML mapping file).

A platform's log names its columns and activities its own way. The mapping names the
case, activity and timestamp columns (and, where the log has them, the resource, seller,
buyer, amount, reason, kind, price and promised delivery), and maps each activity label to
one of the machine's triggers (several labels may map to one; `pay` is the payment that
starts a case; `trigger -> state` names a trigger's destination, as the project's own
exports do where a trigger may lead to several states) or lists it under `ignore`. Without
a mapping file the log is read as the project writes it (`disputesim export`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import ValidationError, model_validator

from machine.activities import PAY
from machine.order import Reason, RequestKind
from machine.table import TRANSITIONS, TRIGGERS
from sim.errors import UserError
from sim.tomlfile import read_toml
from sim.world.params import Params, describe, param

ACTIVITIES: dict[str, tuple[str, str | None]] = {PAY: (PAY, None)}
"""Every activity a mapping may name: a trigger, a trigger with its destination, or pay."""
for _spec in TRANSITIONS:
    ACTIVITIES.setdefault(_spec.trigger, (_spec.trigger, None))
    for _source in _spec.source:
        ACTIVITIES[f"{_spec.trigger} -> {_spec.dest or _source}"] = (
            _spec.trigger,
            _spec.dest or _source,
        )


class Columns(Params):
    """The log's column names (attribute keys in XES and OCEL)."""

    case: str = param("case:concept:name", "The case (order) identifier.")
    activity: str = param("concept:name", "The activity label.")
    timestamp: str = param("time:timestamp", "When the event happened.")
    resource: str | None = param("org:resource", "Who did it (optional).")
    seller: str | None = param("case:seller_id", "The seller's id (optional).")
    buyer: str | None = param("case:buyer_id", "The buyer's id (optional).")
    amount: str | None = param("amount", "An amount the event carried (optional).")
    reason: str | None = param("reason", "A dispute's reason (optional).")
    kind: str | None = param("kind", "A dispute's kind: refund only or return (optional).")
    paid: str | None = param("case:paid", "When the order was paid, on any of its rows (optional).")
    price: str | None = param("case:price", "The order's price, on any of its rows (optional).")
    promised: str | None = param(
        "case:promised_days", "The delivery time promised, in days (optional)."
    )
    days: str | None = param("days", "The days a protection extension adds (optional).")
    party: str | None = param("party", "The party the team asks for evidence (optional).")


class Mapping(Params):
    """A log's columns and labels, as the machine reads them."""

    columns: Columns = param(Columns(), "The log's column names.")
    labels: dict[str, str] = param({}, "Activity label -> trigger (or `trigger -> state`).")
    ignore: tuple[str, ...] = param((), "Activity labels that are not the process's events.")
    unknown_labels: Literal["refuse", "report"] = param(
        "refuse",
        "A label neither mapped nor ignored: refuse the log (one line), or replay its case "
        "up to it and report the case as using an unmapped label.",
    )
    time_format: str = param(
        "iso",
        "How timestamps are written: `iso` (ISO 8601), `days` (a number of days from the "
        "log's first day) or a strptime format such as `%d/%m/%Y %H:%M`.",
    )
    epoch: dt.date | None = param(
        None, "Day 0 of a log whose times are days (time_format = 'days'): its first day."
    )
    amount_unit: Literal["cents", "units"] = param(
        "cents", "Amounts in the currency's hundredths (cents) or whole units."
    )
    reasons: dict[str, Reason] = param(
        {}, "The log's reason values -> the machine's (default: the machine's own names)."
    )
    kinds: dict[str, RequestKind] = param(
        {}, "The log's kind values -> the machine's (default: the machine's own names)."
    )

    @model_validator(mode="after")
    def _labels_name_activities(self) -> Mapping:
        for label, activity in self.labels.items():
            if activity not in ACTIVITIES:
                raise ValueError(
                    f"label {label!r} maps to {activity!r}, not a trigger of the machine "
                    f"(expected pay, one of {len(TRIGGERS)} triggers, or 'trigger -> state')"
                )
        both = sorted(set(self.labels) & set(self.ignore))
        if both:
            raise ValueError(f"label {both[0]!r} is both mapped and ignored")
        return self

    def activity(self, label: str) -> tuple[str, str | None] | None:
        """The trigger and destination a label stands for (None: unknown); the machine's
        own activity names stand for themselves where the mapping does not map them."""
        if label in self.labels:
            return ACTIVITIES[self.labels[label]]
        return ACTIVITIES.get(label)

    def reason(self, value: str) -> Reason | None:
        """The machine's reason for a logged value (None: not a reason)."""
        if value in self.reasons:
            return self.reasons[value]
        try:
            return Reason(value)
        except ValueError:
            return None

    def kind(self, value: str) -> RequestKind | None:
        """The machine's request kind for a logged value (None: not a kind)."""
        if value in self.kinds:
            return self.kinds[value]
        try:
            return RequestKind(value)
        except ValueError:
            return None


OWN = Mapping()
"""The project's own exports (`disputesim export`): read as they are written."""


def load_mapping(path: str | Path | None) -> Mapping:
    """The mapping file, or the project's own mapping when none is given; one line (exit 2)
    naming the file and the key for anything wrong with it."""
    if path is None:
        return OWN
    path = Path(path)
    data = read_toml(path)
    try:
        return Mapping.model_validate(data)
    except ValidationError as err:
        raise UserError(f"{path}: {describe(err)}") from None
