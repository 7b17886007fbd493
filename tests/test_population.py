"""A marketplace of individuals: sellers and buyers with ids and history, their feedback,
the platform's seller standards and abuse review, exact in both engines."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pytest

from machine.standards import Standing
from machine.table import TRIGGERS
from sim.errors import UserError
from sim.experiments.scenario import load_arms, scenario_from_dict
from sim.measures.metrics import headline
from sim.world.runner import run
from sim.world.scenario import Scenario
from tests.helpers import ROOT

rules = pytest.mark.rules


def world(sellers: int = 300, buyers: int = 4_000, days: int = 45, **policy: object) -> Scenario:
    """A small marketplace with a population, from an empty start, measured for `days`."""
    base = Scenario()
    return base.model_copy(
        update={
            "market": base.market.model_copy(update={"orders_per_day": 1_000.0}),
            "population": base.population.model_copy(update={"sellers": sellers, "buyers": buyers}),
            "policy": base.policy.evolve(**policy),
        }
    ).with_run(days=days, warmup_days=0, start=dt.date(2026, 3, 1))


SUSPENDING = dict(
    standard="aliexpress_dispute_rate", standard_min_orders=10, suspend_above=0.04,
    restrict_above=0.02, restricted_fee_points=6.0, restricted_hold_days=5.0,
    restricted_exposure=0.3,
)  # fmt: skip


@cache
def plain_run():
    return run(world(), 11)


@cache
def enforced_run():
    return run(world(**SUSPENDING), 11)


def trigger(result, name: str) -> np.ndarray:
    return result.events["trigger"] == TRIGGERS.index(name)


def test_orders_come_from_sellers_and_buyers_who_come_back():
    o = plain_run().orders.columns
    assert o["seller_id"].min() >= 0 and o["buyer_id"].min() >= 0
    per_seller = np.bincount(o["seller_id"])
    per_buyer = np.bincount(o["buyer_id"])
    assert per_seller.max() > 100  # heavy-tailed sizes: some sellers are large
    assert (per_buyer >= 2).sum() > 1_000  # repeat buyers
    # a seller keeps its profile on every order
    profile_of = {}
    for seller, profile in zip(o["seller_id"].tolist(), o["seller"].tolist(), strict=True):
        assert profile_of.setdefault(seller, profile) == profile


def test_a_population_reproduces_the_profile_figures_in_the_limit_of_tiny_sellers():
    """Very many tiny, alike sellers and buyers give the figures of a marketplace where
    every order meets a new seller and buyer (statistically: other draws)."""
    base = Scenario()
    tiny = base.model_copy(
        update={"population": base.population.model_copy(
            update={"sellers": 200_000, "buyers": 2_000_000, "trait_concentration": 1e9})}
    )  # fmt: skip
    anonymous = base.model_copy(
        update={"population": base.population.model_copy(update={"sellers": 0})}
    )
    n = 60_000
    a, b = headline(run(tiny, 3, orders=n)), headline(run(anonymous, 3, orders=n))
    for key in ("refund_rate", "dispute_rate", "escalation_rate", "real_problems_refunded"):
        p = (a[key] + b[key]) / 2
        denominator = n if key in ("refund_rate", "dispute_rate") else max(n * 0.01, 1)
        tolerance = 5 * np.sqrt(2 * p * (1 - p) / denominator) + 1e-9
        assert abs(a[key] - b[key]) <= tolerance, (key, a[key], b[key])


@rules("F2")
def test_a_fraudulent_seller_reuses_one_tracking_number_on_several_orders():
    o = plain_run().orders.columns
    reused = o["reused_tracking"] >= 0
    assert reused.sum() > 5
    assert (o["reused_tracking"][reused] == o["seller_id"][reused]).all()
    # each reused number is on at least two orders: an earlier one carries it too
    fake = o["truth"] == 2  # fake tracking (sim.world.records.truth)
    for seller in np.unique(o["reused_tracking"][reused]).tolist():
        assert (fake & (o["seller_id"] == seller)).sum() >= 2


@rules("F1")
def test_feedback_follows_what_happened_and_comes_after_the_order():
    o = plain_run().orders.columns
    given = o["feedback"] >= 0
    assert 0.2 < given.mean() < 0.4  # population.feedback.leaves = 0.3
    assert (o["feedback_at"][given] >= o["closed_at"][given]).all()
    negative = o["feedback"] == 0
    smooth = (o["disputed"] == 0) & (o["refunded"] == 0) & given
    unresolved = (o["disputed"] == 1) & (o["refunded"] == 0) & given
    assert negative[unresolved].mean() > 0.5 > 0.05 > negative[smooth].mean()


@rules("F1")
def test_buyers_who_heed_the_score_move_orders_away_from_fraudulent_sellers():
    """Over three months: a fraudulent seller's bad orders end (and are rated) a month or
    more after they are placed, so the score has had time to act by the last month (in
    45 days the fraudulent share moved either way with the seed)."""
    shares = []
    for weight in (0.0, 40.0):
        scenario = world(days=FEEDBACK_DAYS)
        feedback = scenario.population.feedback.model_copy(update={"score_weight": weight})
        scenario = scenario.model_copy(
            update={"population": scenario.population.model_copy(update={"feedback": feedback})}
        )
        shares.append(fraud_share(run(scenario, 11)))
    assert shares[1] < shares[0] * 0.8
    hidden = world(days=FEEDBACK_DAYS, feedback_shown=False)
    hidden_feedback = hidden.population.feedback.model_copy(update={"score_weight": 40.0})
    hidden = hidden.model_copy(
        update={"population": hidden.population.model_copy(update={"feedback": hidden_feedback})}
    )
    assert fraud_share(run(hidden, 11)) == pytest.approx(shares[0])  # not shown: no effect


FEEDBACK_DAYS = 90


def fraud_share(result) -> float:
    o = result.orders.columns
    late = o["created_at"] >= FEEDBACK_DAYS - 30  # the last month
    return float((o["seller"][late] == 3).mean())  # the fraudulent profile


@rules("S1")
def test_the_aliexpress_dispute_rate_equals_a_hand_count_on_the_run_s_own_orders():
    result = plain_run()
    o, ev = result.orders.columns, result.events
    seller_of = np.zeros(o["order_id"].max() + 1, dtype=np.int64)
    seller_of[o["order_id"]] = o["seller_id"]
    day = 30
    time = ev["time"]
    inside = (time >= day - 30) & (time < day)
    seller = seller_of[ev["order_id"]]
    n = result.sellers["seller_id"].max() + 1

    def by_seller(mask: np.ndarray) -> np.ndarray:
        return np.bincount(seller[mask], minlength=n)

    opened = trigger(result, "open_dispute")
    first = np.zeros(len(time), dtype=bool)  # each order's first dispute
    _, where = np.unique(ev["order_id"][opened], return_index=True)
    first[np.flatnonzero(opened)[where]] = True
    confirmed = trigger(result, "confirm_receipt") | trigger(result, "protection_expires")
    top = by_seller(opened & inside) - by_seller(trigger(result, "cancel_dispute") & inside)
    bottom = by_seller(confirmed & inside) + by_seller(first & inside)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.where(bottom > 0, np.maximum(top, 0) / np.maximum(bottom, 1), np.nan)
    rows = result.sellers["day"] == day
    ids = result.sellers["seller_id"][rows]
    got = result.sellers["aliexpress_dispute_rate"][rows]
    assert np.isfinite(got).sum() > 100
    np.testing.assert_allclose(got, expected[ids], equal_nan=True)


@rules("S2", "S3")
def test_a_suspended_seller_gets_no_new_orders_and_its_open_orders_finish():
    result = enforced_run()
    o, s = result.orders.columns, result.sellers.columns
    last = s["day"] == s["day"].max()
    suspended = last & (s["standing"] == Standing.SUSPENDED)
    assert suspended.sum() >= 3
    finished_later = 0
    for seller, since in zip(s["seller_id"][suspended], s["suspended_at"][suspended],
                             strict=True):  # fmt: skip
        mine = o["seller_id"] == seller
        assert not (mine & (o["created_at"] >= since)).any()
        finished_later += int((mine & (o["closed_at"] > since)).sum())
    assert finished_later > 0  # open orders went on to their end after the suspension


@rules("S2")
def test_a_restricted_seller_pays_the_surcharge_waits_longer_and_sells_less():
    result = enforced_run()
    o = result.orders.columns
    restricted = o["standing"] == Standing.RESTRICTED
    assert restricted.sum() > 20
    assert (o["surcharge"][restricted] == np.rint(o["price"][restricted] * 0.06)).all()
    assert (o["surcharge"][~restricted] == 0).all()
    assert (o["hold_days"][restricted] == 5.0).all() and (o["hold_days"][~restricted] == 0).all()
    lost = result.sellers["lost_orders"]
    assert lost.max() > 0  # the orders a restricted or suspended seller did not get


@rules("S1", "S2", "S3")
def test_two_standards_on_one_seed_see_the_same_orders_until_the_first_action():
    free, enforced = plain_run(), enforced_run()
    flagged = enforced.sellers["flagged_at"]
    first = np.nanmin(flagged)
    a, b = free.orders.columns, enforced.orders.columns
    before_a, before_b = a["created_at"] < first, b["created_at"] < first
    assert before_a.sum() == before_b.sum() > 1_000
    for column in ("seller_id", "buyer_id", "price", "created_at"):
        assert np.array_equal(a[column][before_a], b[column][before_b]), column


def acted_from(sellers, count: int) -> np.ndarray:
    """The day the standard first acted on each seller (warned or worse; inf: never), from
    a run's sellers table: an order placed from that day on may be drawn away from it."""
    last = sellers["day"] == sellers["day"].max()
    first = np.full(count, np.inf)
    flagged = sellers["flagged_at"][last]
    first[sellers["seller_id"][last]] = np.where(np.isnan(flagged), np.inf, flagged)
    return first


def moved_orders(free, enforced) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The orders both runs kept: their seller in each, and the day they were placed."""
    a, b = free.orders.columns, enforced.orders.columns
    _, ia, ib = np.intersect1d(a["order_id"], b["order_id"], return_indices=True)
    return a["seller_id"][ia], b["seller_id"][ib], np.floor(a["created_at"][ia])


@rules("S2", "S3")
def test_a_standard_moves_only_the_orders_its_restricted_and_suspended_sellers_would_have_had():
    """Common random numbers survive the standard's actions: an order whose seller was
    neither restricted nor suspended when it was placed keeps that seller after the first
    action too; the orders the standard moves were all drawn for a seller it acted on."""
    free, enforced = plain_run(), enforced_run()
    before, after, day = moved_orders(free, enforced)
    acted_on = day >= acted_from(enforced.sellers, 300)[before]
    moved = before != after
    assert moved.sum() > 100 and (enforced.sellers["standing"] == Standing.SUSPENDED).any()
    assert not (moved & ~acted_on).any()
    assert (moved & acted_on).sum() < acted_on.sum()  # a restricted seller keeps some orders


@rules("S2", "S3")
def test_in_the_seller_standards_study_unrestricted_sellers_keep_their_orders():
    """The study's arms on one seed: with and without each standard, every order whose
    seller was not restricted (or suspended) when it was placed keeps its seller."""
    none, *standards = load_arms(ROOT / "scenarios" / "study-seller-standards.toml")
    free = run(none.with_run(days=90, warmup_days=30), 5, events=False)
    for arm in standards:
        enforced = run(arm.with_run(days=90, warmup_days=30), 5, events=False)
        before, after, day = moved_orders(free, enforced)
        acted_on = day >= acted_from(enforced.sellers, 2_000)[before]
        assert acted_on.any(), arm.name
        assert not ((before != after) & ~acted_on).any(), arm.name


@rules("S4")
def test_claims_of_buyers_under_abuse_review_go_straight_to_the_team():
    result = run(world(buyers=800, buyer_review_claims=1, buyer_review_days=30.0), 5)
    o, ev = result.orders.columns, result.events
    opened = trigger(result, "open_dispute")
    buyer_of = np.zeros(o["order_id"].max() + 1, dtype=np.int64)
    buyer_of[o["order_id"]] = o["buyer_id"]
    claim_buyer, claim_day = buyer_of[ev["order_id"][opened]], np.floor(ev["time"][opened])
    referred = set(ev["order_id"][trigger(result, "refer_to_team")].tolist())
    assert len(referred) >= 3
    for order_id, buyer, created in zip(o["order_id"].tolist(), o["buyer_id"].tolist(),
                                        o["created_at"].tolist(), strict=True):  # fmt: skip
        if not o["disputed"][order_id]:
            continue
        day = np.floor(created)
        recent = ((claim_buyer == buyer) & (claim_day >= day - 30) & (claim_day < day)).sum()
        assert (order_id in referred) == (recent > 1), order_id


@rules("S4")
def test_an_abuse_review_moves_no_order_to_another_seller_or_buyer():
    """Buyers under review are a status of their own: the orders of a run with the review
    have the sellers and buyers of the same run without it."""
    reviewed = run(world(buyers=800, buyer_review_claims=1, buyer_review_days=30.0), 5)
    plain = run(world(buyers=800), 5)
    a, b = plain.orders.columns, reviewed.orders.columns
    _, ia, ib = np.intersect1d(a["order_id"], b["order_id"], return_indices=True)
    assert len(ia) > 30_000 and trigger(reviewed, "refer_to_team").any()
    for column in ("seller_id", "buyer_id"):
        assert np.array_equal(a[column][ia], b[column][ib]), column


@rules("S1", "S4")
def test_both_engines_give_identical_tables_with_enforcement_and_review():
    scenario = world(buyers=500, days=45, buyer_review_claims=1, **SUSPENDING)
    fast, reference = run(scenario, 4), run(scenario, 4, engine="reference")
    for name in ("orders", "events", "sellers"):
        a, b = getattr(fast, name).columns, getattr(reference, name).columns
        assert a.keys() == b.keys()
        for column in a:
            assert np.array_equal(a[column], b[column], equal_nan=True), (name, column)
    assert trigger(fast, "refer_to_team").any()


def test_the_sellers_table_has_a_row_per_seller_per_evaluation_and_at_the_end():
    s = plain_run().sellers
    days = sorted(set(s["day"].tolist()))
    assert days == [0.0, 30.0, 45.0]
    assert (np.bincount(s["day"].astype(int))[[30, 45]] == 300).all()
    assert set(s.labels("standing")) <= {"good", "warned", "restricted", "suspended"}


def test_a_cohort_enters_on_its_day_and_draws_its_share():
    scenario = world(days=40)
    cohort = {"profile": "fraudulent", "sellers": 10, "enters_day": 20, "share": 0.2}
    population = scenario.population.model_dump()
    population["cohorts"] = [cohort]
    scenario = Scenario.model_validate({**scenario.model_dump(), "population": population})
    o = run(scenario, 2).orders.columns
    newcomers = o["seller_id"] >= 300
    assert not (newcomers & (o["created_at"] < 20)).any()
    after = o["created_at"] >= 20
    assert 0.12 < newcomers[after].mean() < 0.25  # a fifth of the orders, renormalised


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        ({"sellers": -1}, "key 'population.sellers': input should be greater than or equal to 0"),
        ({"trait_concentration": 0}, "key 'population.trait_concentration'"),
        ({"cohorts": [{"profile": "honest"}]}, "unknown seller profile 'honest'"),
        ({"colour": "red"}, "unknown key 'population.colour'"),
    ],
)
def test_a_bad_population_is_one_line_naming_the_key(population, expected):
    with pytest.raises(UserError, match=expected) as caught:
        scenario_from_dict({"scenario": {"name": "x"}, "population": population}, "x.toml")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("x.toml: ")


def test_standards_and_arms_are_read_from_a_scenario_file(tmp_path):
    from sim.experiments.scenario import load_arms

    path = tmp_path / "s.toml"
    path.write_text(
        '[scenario]\nname = "s"\n[policy]\nstandards = "amazon-odr"\n'
        '[[arms]]\nname = "none"\nstandards = "none"\n'
        '[[arms]]\nname = "strict"\npolicy = { suspend_above = 0.005 }\n'
    )
    arms = load_arms(path)
    assert [a.name for a in arms] == ["s-none", "s-strict"]
    assert arms[0].policy.standard == "none" and arms[1].policy.standard == "amazon_odr"
    assert arms[1].policy.suspend_above == 0.005 and arms[1].standards == "amazon-odr"
    path.write_text('[scenario]\nname = "s"\n[[arms]]\nname = "a"\ncolour = 1\n')
    with pytest.raises(UserError, match=r"unknown key 'arms\[0\].colour'"):
        load_arms(path)


@rules("S1", "S3")
def test_compare_runs_a_file_s_arms_and_sellers_lists_the_folder_s_sellers(tmp_path):
    from tests.helpers import disputesim

    path = tmp_path / "standards.toml"
    path.write_text(
        '[scenario]\nname = "st"\nfigures = ["fraud_sellers_suspended", '
        '"honest_sellers_flagged"]\n[market]\norders_per_day = 800\n'
        "[population]\nsellers = 200\nbuyers = 3000\n"
        '[[arms]]\nname = "none"\n[[arms]]\nname = "strict"\n'
        "policy = { standard = 'aliexpress_dispute_rate', suspend_above = 0.03, "
        "standard_min_orders = 10 }\n"
        "[run]\nstart = 2026-03-01\ndays = 30\nwarmup_days = 0\n"
    )
    out = tmp_path / "out"
    found = disputesim("compare", str(path), "--replications", "2", "--quiet", "--json",
                       "--out", str(out))  # fmt: skip
    assert found.returncode == 0, found.stderr
    import json

    body = json.loads(found.stdout)
    assert body["scenarios"] == ["st-none", "st-strict"]
    none, strict = body["figures"]["fraud_sellers_suspended"]["values"]
    assert none["mean"] == 0
    assert strict["mean"] > 0 and strict["ci"][0] <= strict["mean"] <= strict["ci"][1] <= 1
    listed = disputesim("sellers", str(out), "--point", "1", "--top", "3", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)["sellers"]
    assert (
        len(rows) == 3 and rows[0]["aliexpress_dispute_rate"] >= rows[2]["aliexpress_dispute_rate"]
    )
    drawn = disputesim("plot", str(out))
    assert drawn.returncode == 0, drawn.stderr
    for name in ("seller_metrics", "sellers_caught"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 10_000
    bad = disputesim("sellers", str(out), "--metric", "colour")
    assert bad.returncode == 2 and "--metric: expected one of" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_a_population_too_big_for_the_memory_is_refused_naming_its_key(monkeypatch):
    from sim.world.records.footprint import estimate, population_bytes, require_room

    base = Scenario()
    small = population_bytes(base)
    assert 0 < small < estimate(base).bytes
    huge = base.model_copy(
        update={"population": base.population.model_copy(update={"buyers": 50_000_000})}
    ).with_run(days=30)
    assert population_bytes(huge) > small + 40_000_000 * 20  # a buyer costs bytes, not objects
    monkeypatch.setenv("DISPUTESIM_MEMORY_GB", "1.4")
    with pytest.raises(UserError, match=r"key 'population.buyers' = 5e\+07"):
        require_room([huge])


def test_a_standard_that_suspends_every_seller_ends_the_run_in_one_line(tmp_path):
    from tests.helpers import disputesim

    path = tmp_path / "all-gone.toml"
    path.write_text(
        '[scenario]\nname = "all-gone"\n[policy]\nstandard = "amazon_odr"\n'
        "suspend_above = 0.0\n[market]\norders_per_day = 500\n"
        "[population]\nsellers = 2\nbuyers = 1000\n"
        "[run]\nstart = 2026-03-01\ndays = 90\nwarmup_days = 0\n"
    )
    found = disputesim("run", str(path), "--quiet")
    assert found.returncode == 2 and "Traceback" not in found.stderr
    assert found.stderr.count("\n") == 1
    assert "all-gone: day " in found.stderr and "policy.suspend_above" in found.stderr
