"""Agreement with theory.

1. Markovian configurations (exponential clocks, fixed choice probabilities) are absorbing
   Markov chains: the simulated end-state probabilities and mean time to absorption agree
   with the exact solution within simultaneous 95% confidence intervals (sim.experiments.markov).
2. In a steady-state world the case team is an M/M/c queue: its mean wait agrees with the
   Erlang-C formula, and Little's law links the monitored queue to the orders' waits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from machine.order import DisputeRequest, Party, Reason, RequestKind
from machine.policy import Policy
from sim.experiments.markov import Clock, MarkovConfig, simulate, solve

NEVER = 730.0  # a window that stays open for as long as any order lives here
MARKOV_POLICY = Policy(
    instant_cancel_hours=0,
    cancel_days_min=0,
    cancel_days_max=0,
    handling_days=0,
    protection_days=NEVER,
    max_extension_days=0,
    collection_days=0,
    post_completion_days=0,
    earliest_dispute_days=0,
    fast_delivery_days=0,
    seller_response_days=0,
    manual_escalation_days=0,
    reason_change_days=0,
    return_ship_days=NEVER,
    return_confirm_days=0,
    appeal_days=NEVER,
    bank_days_min=0,
    bank_days_max=0,
)


def form(reason: Reason, amount: int = 10_000, kind: RequestKind = RequestKind.REFUND_ONLY) -> dict:
    return {"request": DisputeRequest(reason, kind, amount)}


def clocks(dispute_rate: float = 0.03, agree: float = 0.3, escalate: float = 0.05) -> dict:
    """A full set of clocks; rates per day."""
    decide = Clock(
        "decide", 0.2, ((0.5, {"amount": 10_000}), (0.2, {"amount": 3_000}), (0.3, {"amount": 0}))
    )
    return {
        "paid": (
            Clock("ship", 1.0),
            Clock("cancel_order", 0.05),
            Clock("handling_time_expires", 0.02),
        ),
        "cancel_requested": (
            Clock("cancellation_completes", 0.5),
            Clock("ship", 0.2),
            Clock("seller_accepts_cancellation", 0.3),
        ),
        "shipped": (
            Clock("deliver", 0.08),
            Clock("parcel_lost", 0.004),
            Clock("arrive_at_post_office", 0.02),
            Clock("customs_hold", 0.01),
            Clock("open_dispute", 0.01, ((1.0, form(Reason.NOT_RECEIVED)),)),
        ),
        "in_customs": (Clock("customs_release", 0.2), Clock("parcel_lost", 0.01)),
        "lost": (Clock("open_dispute", 0.3, ((1.0, form(Reason.NOT_RECEIVED)),)),),
        "awaiting_collection": (
            Clock("collect_parcel", 0.4),
            Clock("collection_period_ends", 0.05),
        ),
        "delivered": (
            Clock("confirm_receipt", 0.3),
            Clock(
                "open_dispute",
                dispute_rate,
                (
                    (0.5, form(Reason.NOT_AS_DESCRIBED)),
                    (0.3, form(Reason.DAMAGED, kind=RequestKind.RETURN_AND_REFUND)),
                    (0.2, form(Reason.NOT_AS_DESCRIBED, 5_000)),
                ),
            ),
        ),
        "completed": (Clock("completion_window_closes", 1.0),),
        "dispute_open": (
            Clock("seller_agrees", agree),
            Clock("seller_rejects", 0.2, ((0.5, {"amount": 0}), (0.5, {"amount": 4_000}))),
            Clock("seller_deadline", 0.15),
            Clock("escalate", escalate),
            Clock("cancel_dispute", 0.02),
        ),
        "negotiating": (
            Clock("accept_offer", 0.4),
            Clock(
                "modify_request",
                0.2,
                (
                    (0.5, form(Reason.NOT_RECEIVED, 6_000)),
                    (0.5, form(Reason.NOT_AS_DESCRIBED, 6_000)),
                ),
            ),
            Clock("escalate", 0.2),
            Clock("cancel_dispute", 0.1),
        ),
        "awaiting_return": (Clock("ship_return", 0.3), Clock("cancel_dispute", 0.05)),
        "return_in_transit": (
            Clock("seller_confirms_return", 0.15),
            Clock("return_confirm_deadline", 0.05),
        ),
        "escalated": (
            decide,
            Clock(
                "request_evidence",
                0.1,
                ((0.5, {"party": Party.BUYER}), (0.5, {"party": Party.SELLER})),
            ),
            Clock("cancel_dispute", 0.02),
        ),
        "awaiting_evidence": (Clock("submit_evidence", 0.4), Clock("cancel_dispute", 0.02)),
        "decided": (Clock("file_appeal", 0.3), Clock("decision_final", 1.0)),
        "appeal_review": (
            Clock("decide_appeal", 0.2, ((0.6, {"amount": 10_000}), (0.4, {"amount": 0}))),
        ),
        "refund_clearing": (Clock("bank_credits_refund", 0.25),),
    }


CONFIGS = (
    MarkovConfig("help-page levers", MARKOV_POLICY, clocks()),
    MarkovConfig(
        "silence escalates, escalation while the seller is silent",
        MARKOV_POLICY.evolve(seller_silence="escalate", manual_escalation="seller_silent_days"),
        clocks(agree=0.15, escalate=0.2),
    ),
    MarkovConfig(
        "appeals allowed",
        MARKOV_POLICY.evolve(appeals=True, max_appeals=1),
        clocks(dispute_rate=0.1, escalate=0.3),
    ),
    MarkovConfig(
        "escalation after the seller's answer, more disputes",
        MARKOV_POLICY.evolve(manual_escalation="after_seller_answer"),
        clocks(dispute_rate=0.2, agree=0.1),
    ),
)
ORDERS = 10_000
# Intervals are simultaneous over every comparison this test makes (end-state probabilities
# and mean times of all configurations, Bonferroni), so a correct model fails it with
# probability at most 5% in all: per-quantity 95% intervals over ~20 quantities would fail
# a correct model most of the time.
COMPARISONS = sum(len(solve(c).end_probabilities) + 1 for c in CONFIGS)
Z = stats.norm.ppf(1 - 0.05 / (2 * COMPARISONS))


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_simulation_agrees_with_the_absorbing_chain(config):
    exact = solve(config)
    assert exact.states > 20 and sum(exact.end_probabilities.values()) == pytest.approx(1.0)
    assert sum(p > 0.005 for p in exact.end_probabilities.values()) >= 3
    ends, times = simulate(config, ORDERS, seed=2026)
    z = Z
    for state, p in exact.end_probabilities.items():
        p_hat = ends.count(state) / ORDERS
        half = z * math.sqrt(max(p_hat * (1 - p_hat), 1e-12) / ORDERS)
        assert abs(p_hat - p) <= half, (
            f"{state}: simulated {p_hat:.4f}, exact {p:.4f} +/- {half:.4f}"
        )
    half = z * times.std(ddof=1) / math.sqrt(ORDERS)
    assert abs(times.mean() - exact.mean_time) <= half, (times.mean(), exact.mean_time, half)


@pytest.mark.rules("D7", "E4")
@pytest.mark.parametrize(
    "levers",
    [{"seller_silence": "escalate"}, {"appeals": True, "max_appeals": 1}],
    ids=["silence-escalates", "appeals"],
)
def test_the_chain_responds_to_the_levers_alone(levers):
    """The same clocks under two policies: only the machine's guards differ."""
    base = CONFIGS[0]
    changed = MarkovConfig("changed", base.policy.evolve(**levers), base.clocks)
    before, after = solve(base), solve(changed)
    moved = max(
        abs(before.end_probabilities.get(s, 0.0) - after.end_probabilities.get(s, 0.0))
        for s in set(before.end_probabilities) | set(after.end_probabilities)
    )
    assert moved > 1e-3 or abs(before.mean_time - after.mean_time) > 1e-3, levers


def test_a_clock_with_no_way_out_is_reported():
    broken = MarkovConfig("trap", MARKOV_POLICY, {"paid": (Clock("confirm_receipt", 1.0),)})
    with pytest.raises(ValueError, match="no way out"):
        solve(broken)


def erlang_c_wait(arrivals: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    load = arrivals / service_rate
    assert load < servers, "unstable queue"
    tail = load**servers / math.factorial(servers) * servers / (servers - load)
    waiting = tail / (sum(load**k / math.factorial(k) for k in range(servers)) + tail)
    return waiting / (servers * service_rate - arrivals)


@pytest.fixture(scope="module")
def steady_world():
    """A world whose case team is an M/M/c queue: constant Poisson arrivals, independent
    delays to escalation (so escalations are Poisson too), one exponential review a case."""
    from sim.world.runner import run
    from tests.world_runs import baseline

    base = baseline()
    sellers = tuple(
        s.model_copy(update={"agrees": 0.0, "rejects": 1.0, "counter_offers": 0.0})
        for s in base.sellers
    )
    buyers = tuple(
        b.model_copy(
            update={
                "false_claim": 0.08,
                "escalates": 1.0,
                "modifies_request": 0.0,
                "accepts_offer": 0.0,
                "misses_window": 0.0,
            }
        )
        for b in base.buyers
    )
    team = base.team.model_copy(
        update={
            "staff": 30,
            "caseload": 1,
            "asks_evidence": 0.0,
            "review_median_days": 0.5,
            "review_distribution": "exponential",
            "peak_review_factor": 1.0,
            "monitor_every_days": 0.05,
        }
    )
    market = base.market.model_copy(update={"orders_per_day": 400.0, "peak_factor": 1.0})
    scenario = base.model_copy(
        update={"sellers": sellers, "buyers": buyers, "team": team, "market": market}
    )
    return scenario, run(scenario, 12, orders=80_000)  # about 200 days of arrivals


WINDOW = (60.0, 190.0)  # days: after the pipeline fills, before arrivals stop


def window_cases(result) -> tuple[np.ndarray, np.ndarray]:
    """Queue entry times and waits of the cases escalated inside the steady window."""
    from machine.table import TRIGGERS

    ev = result.events
    first = ev["trigger"] == TRIGGERS.index("escalate")
    ids, entered = ev["order_id"][first], ev["time"][first]
    inside = (entered >= WINDOW[0]) & (entered < WINDOW[1])
    return entered[inside], result.orders["team_wait"][ids[inside]]


@pytest.mark.rules("E1")
def test_the_case_team_waits_as_erlang_c_predicts(steady_world):
    scenario, result = steady_world
    entered, waits = window_cases(result)
    arrivals = len(entered) / (WINDOW[1] - WINDOW[0])
    service_rate = math.log(2) / scenario.team.review_median_days
    theory = erlang_c_wait(arrivals, service_rate, scenario.team.capacity)
    assert arrivals / (service_rate * scenario.team.capacity) > 0.6, (
        "the queue must be loaded to test anything"
    )
    batches = np.array(
        [
            waits[(entered >= lo) & (entered < lo + 13.0)].mean()
            for lo in np.arange(WINDOW[0], WINDOW[1], 13.0)
        ]
    )  # batch means: waits correlate
    half = stats.t.ppf(0.975, len(batches) - 1) * batches.std(ddof=1) / math.sqrt(len(batches))
    assert abs(batches.mean() - theory) <= half, (batches.mean(), theory, half)


@pytest.mark.rules("E1")
def test_littles_law_links_the_monitored_queue_to_the_orders_waits(steady_world):
    scenario, result = steady_world
    entered, waits = window_cases(result)
    arrivals = len(entered) / (WINDOW[1] - WINDOW[0])
    q = result.queue
    sampled = (q["time"] >= WINDOW[0]) & (q["time"] < WINDOW[1])
    in_queue = q["queue"][sampled].mean()  # time average, from the monitor
    assert in_queue == pytest.approx(arrivals * waits.mean(), rel=0.1)  # L = lambda W
    busy = q["busy"][sampled].mean()
    service = math.log(2) / scenario.team.review_median_days
    assert busy == pytest.approx(arrivals / service, rel=0.1)  # busy servers = offered load


@pytest.mark.rules("E1", "P1")
@pytest.mark.parametrize("states", [("escalated",), ("escalated", "decided", "refund_clearing")])
def test_littles_law_on_the_event_log_alone(steady_world, states):
    """L = lambda W with all three read from the event log: time in a set of states."""
    from machine.table import STATE_NAMES

    _, result = steady_world
    ev = result.events
    codes = [STATE_NAMES.index(s) for s in states]
    inside_before, inside_after = np.isin(ev["source"], codes), np.isin(ev["dest"], codes)
    enter = inside_after & ~inside_before
    leave = inside_before & ~inside_after
    entered = dict(zip(ev["order_id"][enter], ev["time"][enter], strict=True))
    stays = [(entered[o], t) for o, t in zip(ev["order_id"][leave], ev["time"][leave], strict=True)]
    start, end = WINDOW
    in_window = [(a, b) for a, b in stays if start <= a < end]
    arrivals = len(in_window) / (end - start)
    mean_stay = np.mean([b - a for a, b in in_window])
    # time-average number inside, from every stay's overlap with the window
    area = sum(max(0.0, min(b, end) - max(a, start)) for a, b in stays)
    average_inside = area / (end - start)
    assert len(in_window) > 1_000
    assert average_inside == pytest.approx(arrivals * mean_stay, rel=0.05)
