"""The dispute facts are drawn only for the orders that may have a dispute, and no other
order's path depends on them."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.scenario import load_scenario
from sim.world.behaviour import fact_columns
from sim.world.behaviour.dispute_facts import may_dispute
from sim.world.behaviour.facts import DISPUTE_FACTS, FACT_NAMES
from sim.world.engines.arrivals import Arrivals
from sim.world.engines.marketplace import Marketplace
from sim.world.runner import run
from tests.helpers import ROOT
from tests.test_engines import SCENARIOS, assert_identical

ORDERS = 3_000
# Values an actor would act on if it read them: every chance taken, the seller agreeing
# at once, short delays and shares (the default placeholders are False, -1 and NaN).
TEMPTING = {np.dtype(bool): True, np.dtype(np.int64): 0, np.dtype(np.float64): 0.5}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_order_outside_the_dispute_rows_reads_a_dispute_fact(path, monkeypatch):
    """Whatever an undrawn dispute fact holds, every table is the same: the orders left
    out (`may_dispute` false) never read one, under each shipped scenario's policy."""
    scenario = load_scenario(path)
    plain = run(scenario, 2, orders=ORDERS)
    monkeypatch.setattr(fact_columns, "_NOT_DRAWN", TEMPTING)
    assert_identical(plain, run(scenario, 2, orders=ORDERS))


def test_the_reference_engine_reads_no_undrawn_fact_either(monkeypatch):
    """The reference engine asks every order's actors at every step, plain or not."""
    scenario = load_scenario(ROOT / "scenarios" / "variant-protection-30-days.toml")
    plain = run(scenario, 3, orders=2_000)
    monkeypatch.setattr(fact_columns, "_NOT_DRAWN", TEMPTING)
    assert_identical(plain, run(scenario, 3, orders=2_000, engine="reference"))


def test_only_the_orders_that_may_dispute_get_dispute_facts():
    """A block's dispute facts are drawn for its cancellations, problems, false claims
    and late parcels, and only for them: most rows keep the placeholders."""
    scenario = load_scenario(ROOT / "scenarios" / "baseline.toml")
    world = Marketplace(scenario, np.random.SeedSequence(1), orders=4_000)
    arrivals = next(a for a in world.arriving if isinstance(a, Arrivals))
    c, n = arrivals.block.columns, arrivals.size
    rows = may_dispute(c, arrivals.truth)
    assert 0.02 < rows.mean() < 0.5
    assert rows[c["cancels"][:n] | c["false_claim"][:n] | (arrivals.truth != 0)].all()
    drawn = ~np.isnan(c["answer_delay1"][:n])
    assert np.array_equal(drawn, rows)
    assert set(DISPUTE_FACTS) < set(FACT_NAMES)
