"""Seeded random walks through the machine, for tests that need many orders cheaply."""

from __future__ import annotations

import random

from machine import (
    END_STATES,
    PROCESS,
    DisputeRequest,
    FastProcess,
    Journal,
    Party,
    Payload,
    Policy,
    Process,
    Reason,
    RequestKind,
)

PRICE = 10_000


def random_payload(rng: random.Random, trigger: str) -> Payload:
    """A plausible payload for the trigger, sometimes out of range."""
    if trigger in ("open_dispute", "modify_request", "change_reason"):
        amount = rng.choice([rng.randint(1, PRICE), PRICE, 0, PRICE + 1])
        return {
            "request": DisputeRequest(
                rng.choice(list(Reason)),
                rng.choice(list(RequestKind)),
                amount,
                largest_image_mb=rng.choice([0.0, 1.0, 2.5]),
                text_has_chinese=rng.random() < 0.1,
            )
        }
    if trigger in ("seller_rejects", "decide", "decide_appeal", "buyer_repays_seller"):
        return {"amount": rng.choice([0, rng.randint(1, PRICE), PRICE, PRICE + 1])}
    if trigger == "extend_protection":
        return {"amount": rng.randint(-1, 20)}
    if trigger == "request_evidence":
        return {"party": rng.choice([Party.BUYER, Party.SELLER, None])}
    return {}


def walk(seed: int, policy: Policy, process: Process | FastProcess, steps: int = 80) -> Journal:
    """Fire random valid triggers at random times on one order; return its journal."""
    rng = random.Random(seed)
    journal = Journal(policy, process, epoch_weekday=seed % 7)
    order = PROCESS.new_order(seed, PRICE, promised_days=rng.choice([4.0, 15.0, 30.0]))
    order.under_review = seed % 10 == 3  # some buyers are under abuse review (S4)
    journal.orders = {seed: order}  # type: ignore[attr-defined]
    now = 0.0
    for _ in range(steps):
        valid = sorted(PROCESS.valid[order.state])
        if not valid:
            break
        now += rng.expovariate(1.0) if rng.random() < 0.85 else rng.uniform(0, 30)
        trigger = rng.choice(valid)
        journal.fire(order, trigger, now, **random_payload(rng, trigger))
        if order.state in END_STATES and rng.random() < 0.5:
            break
    return journal
