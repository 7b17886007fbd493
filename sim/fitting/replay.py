"""Replaying a log on the machine: every case fits, is refused at an event, or is cut.

Each case is an order paid at its payment time, and its events are fired in turn through the
compiled machine under the policy the platform ran, with the payload the log gives (an
amount, a reason, a kind, a party) or, where it gives none, the one its own later events
imply (a decision for a refund carries the amount asked; a request later shipped back asks
for a return). A case either fits (it ends in an end state), fits so far and is still open at
the log's end (right-censored), is refused at an event (the row and guard that refused it
are named), uses a label the mapping does not know, or began before the log's first
events could show it (left-truncated: its payment is unknown, or its first event cannot
follow a payment). None is dropped silently: the conformance summary counts every kind.

The replay keeps every state the cases went through, with when they entered and left it
and what ended it (`Visits`): the races the fit reads (`sim.fitting.races`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from machine import deadlines
from machine.context import Context
from machine.dispatch import FAST
from machine.order import DisputeRequest, Order, Party, Reason, RequestKind
from machine.policy import Policy
from machine.table import END_STATES, STATE_NAMES, TRANSITIONS, TRIGGERS
from sim.fitting.frame import NONE, EventFrame
from sim.fitting.mapping import PAY, Mapping
from sim.fitting.reading import KINDS, PARTIES, REASONS

FIT, OPEN, REFUSED, UNMAPPED, TRUNCATED = range(5)
STATUSES = ("fit", "open at the log's end", "refused", "unmapped label", "left-truncated")
TOLERANCE = 1.0 / 86_400  # a timer logged up to a second before its deadline is at it
TIMERS = frozenset(spec.trigger for spec in TRANSITIONS if spec.after)
CARRIES = frozenset(spec.trigger for spec in TRANSITIONS if spec.payload)
ASKING = frozenset(("open_dispute", "cancel_order", "handling_time_expires"))
NO_PAYLOAD: dict[str, Any] = {}
STATE = {name: code for code, name in enumerate(STATE_NAMES)}
TRIGGER = {name: code for code, name in enumerate(TRIGGERS)}
IGNORED, UNKNOWN, PAID = -1, -2, -3  # label codes that are not triggers
RETURNING = frozenset(
    ("ship_return", "return_deadline", "seller_confirms_return", "return_confirm_deadline")
)
DEFAULT_PROMISED = 20.0  # days, where the log does not say (it only moves a dispute's opening)


@dataclass
class Visits:
    """Every stay of every replayed case in a state, as columns: which case and state, when
    it was entered and left (NaN: still in it at the log's end), the trigger that ended it
    (-1: none yet) and the state it led to, and the instants the races read at its entry."""

    case: np.ndarray
    state: np.ndarray
    entered: np.ndarray
    left: np.ndarray
    exit: np.ndarray  # trigger code, or -1
    dest: np.ndarray  # state code after the exit, or -1
    amount: np.ndarray  # the exit's amount (cents), or NaN
    round: np.ndarray  # the dispute's round at entry (requests answered so far + 1)
    since: dict[str, np.ndarray] = field(default_factory=dict)  # per-visit instants

    def of(self, *states: str) -> np.ndarray:
        """The visits to any of `states`."""
        return np.isin(self.state, [STATE[s] for s in states])


@dataclass
class Replay:
    """What replaying a log found: each case's status, the visits, and the log's end."""

    frame: EventFrame
    policy: Policy
    status: np.ndarray  # per case
    problem: np.ndarray  # per case: the event row refused or unmapped (-1)
    deviation: np.ndarray  # per case: what went wrong (object; None if nothing)
    visits: Visits
    end: float  # the log's last event (days)
    paid: np.ndarray  # per case: payment time (NaN: unknown)
    price: np.ndarray  # per case: cents
    asked: np.ndarray  # per case: the first dispute's amount (NaN: none)
    reason: np.ndarray  # per case: the first dispute's reason code (-1: none)
    kind: np.ndarray  # per case: the first dispute's kind code (-1: none)
    disputed: np.ndarray  # per case: a dispute was opened
    refunded: np.ndarray  # per case: cents refunded by the case's end (or so far)
    asked_at: np.ndarray  # per case: when the buyer first asked for money back (NaN: never)
    refund_at: np.ndarray  # per case: the refund on the platform (NaN: none)
    credited_at: np.ndarray  # per case: the bank's credit (NaN: none)
    escalated: np.ndarray  # per case: went to the case team
    closed_at: np.ndarray  # per case: reached an end state (NaN: not yet)
    instants: dict[str, np.ndarray] = field(default_factory=dict)  # per case (`INSTANTS`)

    @property
    def counts(self) -> dict[str, int]:
        found = np.bincount(self.status, minlength=len(STATUSES))
        return {name: int(n) for name, n in zip(STATUSES, found, strict=True)}

    @property
    def replayed(self) -> np.ndarray:
        """The cases whose every event the machine took (fit, or open at the log's end)."""
        return (self.status == FIT) | (self.status == OPEN)

    def deviations(self, most: int = 10) -> list[tuple[str, int, str]]:
        """The commonest deviations: what, how many cases, and one case as an example."""
        counted = Counter(d for d in self.deviation if d is not None)
        example = {}
        for case, d in enumerate(self.deviation):
            if d is not None and d not in example:
                example[d] = str(self.frame.case_names[case])
        return [(d, n, example[d]) for d, n in counted.most_common(most)]


class _Columns:
    """Growing rows of visits: one list a visit, turned into columns at the end."""

    def __init__(self, probes: tuple[str, ...]) -> None:
        self.rows: list[list[Any]] = []
        self.probes = probes
        self.nothing = [np.nan] * len(probes)

    def add(self, case: int, state: str, entered: float, since: list[float], rounds: int) -> int:
        self.rows.append([case, STATE[state], entered, np.nan, -1, -1, np.nan, rounds, *since])
        return len(self.rows) - 1

    def close(self, at: int, left: float, trigger: str, dest: str, amount: float) -> None:
        row = self.rows[at]
        row[3], row[4], row[5], row[6] = left, TRIGGER[trigger], STATE[dest], amount

    def visits(self) -> Visits:
        width = 8 + len(self.probes)
        table = np.array(self.rows, dtype=float).reshape(len(self.rows), width)
        return Visits(
            table[:, 0].astype(np.int32),
            table[:, 1].astype(np.int8),
            table[:, 2],
            table[:, 3],
            table[:, 4].astype(np.int16),
            table[:, 5].astype(np.int8),
            table[:, 6],
            table[:, 7].astype(np.int16),
            {name: table[:, 8 + k] for k, name in enumerate(self.probes)},
        )


PROBES: dict[str, Any] = {
    "request_at": lambda order, policy: order.request_at,
    "answered_at": lambda order, policy: order.seller_answered_at,
    "escalation_opens": lambda order, policy: deadlines.manual_escalation_opens(order, policy),
}
"""Instants a race reads at a visit's entry (None or missing: NaN)."""
INSTANTS = (
    "shipped_at",
    "tracking_seen_at",
    "collection_started_at",
    "delivered_at",
    "delivered_during_dispute_at",
    "contacted_seller_at",
    "opened_at",
    "escalated_at",
    "updated_at",
)
"""What the fit reads of each replayed order when its events are done (NaN: never)."""
PROBED = frozenset(("dispute_open", "negotiating"))  # where the probes are read


def replay(frame: EventFrame, mapping: Mapping, policy: Policy) -> Replay:
    """Replay every case of `frame` on the machine under `policy`."""
    activities = [mapping.activity(str(label)) for label in frame.labels]
    trigger_of: list[int] = []
    dest_of: list[str | None] = []
    for label, activity in zip(frame.labels, activities, strict=True):
        if str(label) in mapping.ignore:
            trigger_of.append(IGNORED)
            dest_of.append(None)
        elif activity is None:
            trigger_of.append(UNKNOWN)
            dest_of.append(None)
        elif activity[0] == PAY:
            trigger_of.append(PAID)
            dest_of.append(None)
        else:
            trigger_of.append(TRIGGER[activity[0]])
            dest_of.append(activity[1])
    n = frame.n_cases
    status = np.full(n, FIT, dtype=np.int8)
    problem = np.full(n, -1, dtype=np.int64)
    deviation = np.full(n, None, dtype=object)
    named = ("asked", "refunded", "asked_at", "refund_at", "credited_at", "closed_at")
    per_case = {name: np.full(n, np.nan) for name in named}
    instants = {name: np.full(n, np.nan) for name in INSTANTS}
    reason = np.full(n, NONE, dtype=np.int8)
    kind = np.full(n, NONE, dtype=np.int8)
    disputed = np.zeros(n, dtype=bool)
    escalated = np.zeros(n, dtype=bool)
    paid = frame.cases["paid"].copy()
    price = np.nan_to_num(frame.cases["price"], nan=0.0)
    columns = _Columns(tuple(PROBES))
    ctx = Context(policy, epoch_weekday=frame.epoch.weekday())
    coded = np.array(trigger_of, dtype=np.int16)[frame.label]
    codes = coded.tolist()
    events = frame.events
    starts = frame.starts().tolist()
    end = float(frame.time.max())
    _payments(frame, coded, paid, price)
    for case in range(n):
        lo, hi = starts[case], starts[case + 1]
        case_codes = codes[lo:hi]
        if price[case] <= 0:
            price[case] = _largest_amount(events, lo, hi) or 1.0
        if np.isnan(paid[case]):
            status[case], deviation[case] = TRUNCATED, "payment unknown"
            continue
        found = _replay_case(
            frame,
            case,
            lo,
            hi,
            case_codes,
            dest_of,
            ctx,
            policy,
            columns,
            float(paid[case]),
            int(price[case]),
        )
        status[case], problem[case], deviation[case], order = found
        if order is None:
            continue
        per_case["refunded"][case] = order.refunded
        per_case["asked_at"][case] = _or_nan(order.asked_at)
        per_case["refund_at"][case] = _or_nan(order.refund_at)
        per_case["credited_at"][case] = _or_nan(order.credited_at)
        per_case["closed_at"][case] = order.updated_at if order.state in END_STATES else np.nan
        escalated[case] = order.escalated_at is not None
        for name in INSTANTS:
            instants[name][case] = _or_nan(getattr(order, name))
        disputed[case] = order.disputes_opened > 0
        first = order.first_request
        if first is not None:
            per_case["asked"][case] = first.amount
            reason[case] = REASONS.index(first.reason)
            kind[case] = KINDS.index(first.kind)
    return Replay(
        frame,
        policy,
        status,
        problem,
        deviation,
        columns.visits(),
        end,
        paid,
        price,
        per_case["asked"],
        reason,
        kind,
        disputed,
        per_case["refunded"],
        per_case["asked_at"],
        per_case["refund_at"],
        per_case["credited_at"],
        escalated,
        per_case["closed_at"],
        instants,
    )


class _Replayed(Order):
    """The machine's order, with the little a replay remembers beside it."""

    __slots__ = ("asked_at", "first_request", "requests")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked_at: float | None = None
        self.first_request: DisputeRequest | None = None
        self.requests = 0  # the buyer's requests so far (the dispute's round)


def _replay_case(
    frame: EventFrame,
    case: int,
    lo: int,
    hi: int,
    case_codes: list[int],
    dest_of: list[str | None],
    ctx: Context,
    policy: Policy,
    columns: _Columns,
    paid: float,
    price: int,
) -> tuple[int, int, str | None, _Replayed | None]:
    """Fire one case's events; its status, the row of its problem, what it was, the order."""
    events, times = frame.events, frame.time
    promised = frame.cases["promised"][case]
    triggers = [TRIGGERS[c] if c >= 0 else "" for c in case_codes]
    order = _Replayed(
        case,
        price,
        paid_at=paid,
        promised_days=DEFAULT_PROMISED if np.isnan(promised) else float(promised),
        under_review="refer_to_team" in triggers,
    )
    visit = columns.add(case, order.state, paid, columns.nothing, 1)
    started = False
    labels = frame.label
    fire = FAST.fire
    for k in range(lo, hi):
        code = case_codes[k - lo]
        if code in (IGNORED, PAID):
            continue
        if code == UNKNOWN:
            return UNMAPPED, k, f"unmapped label {frame.labels[labels[k]]!r}", order
        trigger = triggers[k - lo]
        now = max(float(times[k]), order.updated_at)
        payload = (
            _payload(trigger, order, events, k, triggers[k - lo + 1 :], dest_of, labels, k + 1, hi)
            if trigger in CARRIES
            else NO_PAYLOAD
        )
        source = order.state
        ctx.at(now, **payload)
        fired = fire(order, trigger, ctx)
        if not fired and trigger in TIMERS:
            ctx.at(now + TOLERANCE, **payload)
            fired = fire(order, trigger, ctx)
        if not fired:
            if not started:
                return TRUNCATED, k, f"begins with {trigger} in {source}", None
            return REFUSED, k, _refusal(order, trigger, ctx), order
        started = True
        expected = dest_of[labels[k]]
        if expected is not None and order.state != expected:
            went = f"{trigger} from {source} led to {order.state}, not {expected}"
            return REFUSED, k, went, order
        if ctx.request is not None or trigger in ASKING:
            _remember(order, trigger, ctx)
        if order.state != source:
            given = payload.get("amount")
            amount = np.nan if given is None else float(given)
            request = payload.get("request")
            if request is not None:
                amount = float(request.amount)
            columns.close(visit, order.updated_at, trigger, order.state, amount)
            since = (
                [_or_nan(probe(order, policy)) for probe in PROBES.values()]
                if order.state in PROBED
                else columns.nothing
            )
            visit = columns.add(case, order.state, order.updated_at, since, order.requests)
    if order.state in END_STATES:
        return FIT, -1, None, order
    return OPEN, -1, None, order


def _remember(order: _Replayed, trigger: str, ctx: Context) -> None:
    """A request's round, the first request, and when the buyer first asked for money."""
    if ctx.request is not None:
        order.requests += 1
        if order.first_request is None:
            order.first_request = ctx.request
    if order.asked_at is None and trigger in (
        "open_dispute",
        "cancel_order",
        "handling_time_expires",
    ):
        order.asked_at = ctx.now


def _payload(
    trigger: str,
    order: Order,
    events: dict[str, np.ndarray],
    k: int,
    later: list[str],
    dest_of: list[str | None],
    labels: np.ndarray,
    after: int,
    hi: int,
) -> dict[str, Any]:
    """What the event carried: the log's payload, or the one the case's later events imply."""
    amount = _value(events, "amount", k)
    if trigger in ("open_dispute", "modify_request", "change_reason"):
        previous = order.request.amount if order.request is not None else order.paid
        reason_code = _code(events, "reason", k)
        reason = (
            REASONS[reason_code]
            if reason_code >= 0
            else (
                Reason.NOT_AS_DESCRIBED
                if trigger == "change_reason" or order.delivered_at is not None
                else Reason.NOT_RECEIVED
            )
        )
        kind_code = _code(events, "kind", k)
        returning = any(t in RETURNING for t in later) or any(
            dest_of[labels[j]] == "awaiting_return" for j in range(after, hi)
        )
        kind = (
            KINDS[kind_code]
            if kind_code >= 0
            else (RequestKind.RETURN_AND_REFUND if returning else RequestKind.REFUND_ONLY)
        )
        asked = (
            int(amount) if amount is not None else int(min(previous, order.paid - order.refunded))
        )
        return {"request": DisputeRequest(reason, kind, max(asked, 1))}
    if trigger == "seller_rejects":
        if amount is not None:
            return {"amount": int(amount)}
        offers = bool(later) and later[0] == "accept_offer"
        asked = order.request.amount if order.request is not None else order.paid
        return {"amount": max(1, asked // 2) if offers else 0}
    if trigger in ("decide", "decide_appeal"):
        if amount is not None:
            return {"amount": int(amount)}
        dest = next(
            (
                dest_of[labels[j]]
                for j in range(after, hi)
                if dest_of[labels[j]] in ("refund_clearing", "closed_against_buyer")
            ),
            None,
        )
        own = dest_of[labels[after - 1]]
        refunding = (own or dest) == "refund_clearing" or (
            own is None and "bank_credits_refund" in later
        )
        asked = order.request.amount if order.request is not None else order.paid
        return {"amount": min(asked, order.paid - order.refunded) if refunding else 0}
    if trigger == "request_evidence":
        party = _code(events, "party", k)
        return {"party": PARTIES[party] if party >= 0 else Party.BUYER}
    if trigger == "extend_protection":
        days = _value(events, "days", k)
        return {"amount": int(days) if days is not None else int(amount or 1)}
    if trigger == "buyer_repays_seller":
        return {"amount": int(amount) if amount is not None else order.refunded}
    return {}


def _value(events: dict[str, np.ndarray], name: str, k: int) -> float | None:
    column = events.get(name)
    if column is None or np.isnan(column[k]):
        return None
    return float(column[k])


def _code(events: dict[str, np.ndarray], name: str, k: int) -> int:
    column = events.get(name)
    return NONE if column is None else int(column[k])


def _refusal(order: Order, trigger: str, ctx: Context) -> str:
    """Which row refused the trigger, and the guard that refused it."""
    rows = FAST.rows[trigger].get(order.state)
    if rows is None:
        return f"{trigger} is not a move of {order.state}"
    for when, unless, dest, _ in rows:
        for check in when:
            if not check(order, ctx):
                return (
                    f"{trigger} from {order.state} to {dest or order.state}: {check.__name__} false"
                )
        for check in unless:
            if check(order, ctx):
                return (
                    f"{trigger} from {order.state} to {dest or order.state}: {check.__name__} true"
                )
    return f"{trigger} refused in {order.state}"


def _payments(frame: EventFrame, codes: np.ndarray, paid: np.ndarray, price: np.ndarray) -> None:
    """Each case's payment time and price from its `pay` event, where the log has one and
    its case columns do not say (in place)."""
    rows = np.flatnonzero(codes == PAID)
    if not len(rows):
        return
    cases, first = np.unique(frame.case[rows], return_index=True)
    at = rows[first]
    unknown = np.isnan(paid[cases])
    paid[cases[unknown]] = frame.time[at[unknown]]
    amount = frame.events.get("amount")
    if amount is not None:
        unpriced = (price[cases] <= 0) & ~np.isnan(amount[at])
        price[cases[unpriced]] = amount[at[unpriced]]


def _largest_amount(events: dict[str, np.ndarray], lo: int, hi: int) -> float | None:
    amount = events.get("amount")
    if amount is None:
        return None
    found = amount[lo:hi]
    found = found[~np.isnan(found)]
    return float(found.max()) if len(found) else None


def _or_nan(value: float | None) -> float:
    return np.nan if value is None else float(value)
