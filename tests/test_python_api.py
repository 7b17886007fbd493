"""What researchers reach from Python: the same world as the command line, plain-string
columns on request, and the protection end of every order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.world.runner import run
from tests.helpers import disputesim
from tests.world_runs import BASELINE, baseline

TINY = {"days": 2, "warmup_days": 0}


def test_python_and_the_command_line_simulate_the_same_world_for_a_seed(tmp_path):
    out = tmp_path / "cli"
    result = disputesim("run", str(BASELINE), "--days", "2", "--warmup-days", "0", "--seed",
                        "11", "--replications", "2", "--quiet", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    for replication in (0, 1):
        stored = pd.read_parquet(
            out / "orders" / "point=0000" / f"replication={replication:03d}" / "part.parquet"
        )
        mine = run(baseline().with_run(**TINY), seed=11, replication=replication).orders
        for name in ("order_id", "price", "refunded", "closed_at"):
            assert np.array_equal(stored[name].to_numpy(), mine[name], equal_nan=True), name


def test_coded_columns_come_back_as_plain_strings_when_asked():
    orders = run(baseline(), 2, orders=2_000).orders
    coded, plain = orders.to_pandas(), orders.to_pandas(strings=True)
    assert isinstance(coded["final_state"].dtype, pd.CategoricalDtype)
    assert plain["final_state"].map(type).eq(str).all()
    assert (plain["final_state"] == "finished").sum() == (coded["final_state"] == "finished").sum()
    assert plain.loc[orders["reason"] == -1, "reason"].isna().all()  # no dispute, no reason


@pytest.mark.rules("L9", "L10")
def test_every_shipped_order_records_when_its_protection_ended():
    result = run(baseline(), 5, orders=20_000)
    o, policy = result.orders, baseline().policy
    shipped = ~np.isnan(o["shipped_at"])
    assert np.isnan(o["protection_ends_at"][~shipped]).all()
    added = o["protection_ends_at"][shipped] - o["shipped_at"][shipped] - policy.protection_days
    assert (added >= -1e-9).all() and (np.isclose(added, 0) | (added >= 1 - 1e-9)).all()
    extended = np.unique(
        result.events["order_id"][result.events.labels("trigger") == "extend_protection"]
    )
    assert len(extended) and (added[np.isin(o["order_id"][shipped], extended)] > 0).all()


def test_replicate_is_what_the_command_line_runs_and_prints():
    """`disputesim run --json` prints `sim.replicate(...).as_dict()`: one function, two faces."""
    import json

    import sim

    scenario = baseline().with_run(days=2, warmup_days=0)
    found = sim.replicate(scenario, 2, seed=11)
    printed = disputesim(
        "run", str(BASELINE), "--days", "2", "--warmup-days", "0", "--replications", "2",
        "--seed", "11", "--json", "--quiet",
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == json.loads(json.dumps(found.as_dict()))
    assert found.replications == 2 and found.as_dict()["refund_rate"]["replications"] == 2


def test_compare_runs_gives_the_table_and_the_printed_json_one_shape():
    import sim
    from sim.api import compare_runs

    first = baseline().with_run(days=2, warmup_days=0)
    other = first.model_copy(update={"name": "other"})
    found = compare_runs([first, other], 2, figures=["refund_rate"])
    table = found.table()
    assert list(table["scenario"]) == [first.name, "other"]
    body = found.as_dict()["figures"]["refund_rate"]
    assert body["values"][0]["mean"] == table["mean"].iloc[0]
    assert body["differences"][0]["mean"] == table["difference"].iloc[1] == 0.0  # same world
    assert sim.compare([first, other], 2, figures=["refund_rate"]).equals(table)
