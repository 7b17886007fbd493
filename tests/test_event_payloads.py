"""The events table carries each trigger's payload: the amount asked, offered, awarded or
repaid, the days a protection is extended by, the party owing evidence, and a request's
reason and kind; nothing on events whose trigger takes no payload."""

from __future__ import annotations

import numpy as np
import pytest

from machine.table import TRANSITIONS
from tests.world_runs import baseline_run

TAKES: dict[str, set[str]] = {}
for spec in TRANSITIONS:
    TAKES.setdefault(spec.trigger, set()).update(spec.payload)


@pytest.fixture(scope="module")
def tables():
    result = baseline_run()
    return result.events.to_pandas(strings=True), result.orders.to_pandas(strings=True)


@pytest.mark.rules("D1", "D5")
def test_every_dispute_request_carries_its_reason_kind_and_amount(tables):
    events, orders = tables
    opened = events[events["trigger"] == "open_dispute"]
    assert len(opened) > 100
    assert opened["reason"].notna().all() and opened["kind"].notna().all()
    assert (opened["amount"] > 0).all()
    # the last request of each order is the one the orders table keeps
    requests = events[events["trigger"].isin(["open_dispute", "modify_request", "change_reason"])]
    last = requests.sort_values("seq").groupby("order_id").last()
    kept = orders.set_index("order_id").loc[last.index]
    assert (kept["reason"] == last["reason"]).all() and (kept["kind"] == last["kind"]).all()
    prices = kept["price"]
    assert (last["amount"] <= prices).all()


@pytest.mark.rules("E1", "E3")
def test_evidence_requests_name_a_party_and_decisions_their_award(tables):
    events, orders = tables
    asked = events[events["trigger"] == "request_evidence"]
    assert len(asked) > 0 and set(asked["party"]) <= {"buyer", "seller"}
    decided = events[events["trigger"] == "decide"].sort_values("seq")
    assert len(decided) > 5
    unappealed = orders.loc[orders["appealed"] == 0].set_index("order_id")["decision"]
    award = decided.groupby("order_id")["amount"].last()
    award = award[award.index.isin(unappealed.index)]
    assert len(award) > 0
    assert (award == unappealed.loc[award.index]).all()


@pytest.mark.rules("L10")
def test_extensions_carry_days_and_no_amount(tables):
    events, _ = tables
    extended = events[events["trigger"] == "extend_protection"]
    assert len(extended) > 0
    assert (extended["days"] > 0).all() and (extended["amount"] == -1).all()
    assert (events.loc[events["trigger"] != "extend_protection", "days"] == -1).all()


def test_events_whose_trigger_takes_nothing_carry_nothing(tables):
    events, _ = tables
    bare = events[events["trigger"].map(lambda t: not TAKES[t])]
    assert len(bare) > 1_000
    assert (bare["amount"] == -1).all() and (bare["days"] == -1).all()
    for column in ("party", "reason", "kind"):
        assert bare[column].isna().all(), column
    carried = events[(events["amount"] >= 0) | (events["days"] >= 0) | events["party"].notna()]
    assert set(carried["trigger"]) <= {t for t, takes in TAKES.items() if takes}


def test_payloads_are_stored_as_integers_and_dictionary_strings():
    arrow = baseline_run().events.to_arrow()
    assert str(arrow.schema.field("amount").type) == "int64"
    assert str(arrow.schema.field("party").type).startswith("dictionary")
    parties = arrow.column("party").to_pylist()
    assert None in parties and "buyer" in parties
    assert np.issubdtype(baseline_run().events["days"].dtype, np.integer)


def test_the_events_table_has_exactly_the_documented_columns():
    from sim.world.records.recorder import EVENT_SCHEMA

    assert list(baseline_run().events.columns) == [name for name, _ in EVENT_SCHEMA]


def test_an_order_s_story_says_what_each_event_carried():
    from sim.views.trace import carried

    opened = {"trigger": "open_dispute", "reason": "damaged", "kind": "refund_only",
              "party": None, "amount": 2_500, "days": -1}  # fmt: skip
    assert carried(opened) == "  (damaged, refund_only, asks 25.00)"
    asked = {"trigger": "request_evidence", "party": "seller", "amount": -1, "days": -1,
             "reason": float("nan"), "kind": None}  # fmt: skip
    assert carried(asked) == "  (seller)"
    extended = {"trigger": "extend_protection", "amount": -1, "days": 15}
    assert carried(extended) == "  (+15 days)"
    assert carried({"trigger": "ship", "amount": -1, "days": -1}) == ""
