"""One order's story, from a results folder: every event in order, to explain a case.

Orders are chosen by id, or by a question: the slowest refund, a false claim that was
paid, a real problem left unrefunded, the longest case before the team, an appeal.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import UserError
from sim.experiments.folder import ResultsFolder
from sim.views.story import Story
from sim.world.scenario import epoch_of

PICKS = {
    "slowest-refund": "where credited_at is not null and asked_at is not null "
    "order by credited_at - asked_at desc",
    "paid-false-claim": "where false_claim = 1 and refunded > 0 order by order_id",
    "unrefunded-problem": "where truth != 'ok' and refunded = 0 order by order_id",
    "longest-case": "where escalated = 1 order by closed_at - opened_at desc",
    "appealed": "where appealed = 1 order by order_id",
}


def find(
    folder: ResultsFolder, order: int | None, pick: str | None, point: int, replication: int
) -> Story:
    """The story of order `order`, or of the first order matching `pick`."""
    folder.require_tables("trace")
    where = f"point = {int(point)} and replication = {int(replication)}"
    if pick is not None:
        if pick not in PICKS:
            raise UserError(f"--pick: expected one of {', '.join(PICKS)}, got {pick!r}")
        clause = PICKS[pick].replace("where ", f"where {where} and ", 1)
        found = folder.sql(f"select order_id from orders {clause} limit 1")
        if found.empty:
            raise UserError(
                f"no order matches --pick {pick} in point {point}, replication {replication}"
            )
        order = int(found["order_id"].iloc[0])
    if order is None:
        raise UserError("give --order ID or --pick QUESTION")
    rows = folder.sql(f"select * from orders where {where} and order_id = {int(order)}")
    if rows.empty:
        raise UserError(f"order {order} is not in point {point}, replication {replication}")
    events = folder.sql(
        f"select * from events where {where} and order_id = {int(order)} order by seq"
    )
    scenario = folder.manifest["points"][point]["scenario"]
    start = epoch_of(scenario)
    return Story(rows.iloc[0].to_dict(), events, start, point, replication)


def money(cents: float) -> str:
    """Cents as an amount with two decimals."""
    return f"{cents / 100:,.2f}"


def text(story: Story) -> str:
    """The story as lines of text."""
    o = story.order
    lines = [
        f"order {o['order_id']} (point {story.point}, replication {story.replication}): "
        f"price {money(o['price'])}, seller {o['seller']}, buyer {o['buyer']}, "
        f"carrier {o['carrier']}",
        f"what really happened: {o['truth']}; final state: {o['final_state']}; refunded "
        f"{money(o['refunded'])}, released to seller {money(o['released'])}, buyer costs "
        f"{money(o['buyer_costs'])}",
        "",
        f"{'day':>7}  {'date':<16} {'actor':<9} {'trigger':<28} transition",
    ]
    for event in story.events.to_dict("records"):
        source, dest = event["source"], event["dest"]
        moved = source if source == dest else f"{source} -> {dest}"
        lines.append(
            f"{event['time']:7.2f}  {story.date(event['time']):<16} {event['actor']:<9} "
            f"{event['trigger']:<28} {moved}{carried(event)}"
        )
    return "\n".join(lines)


AMOUNT_VERBS = {"open_dispute": "asks", "modify_request": "asks", "change_reason": "asks",
                "seller_rejects": "offers", "decide": "awards", "decide_appeal": "awards",
                "buyer_repays_seller": "repays"}  # fmt: skip


def carried(event: dict) -> str:
    """What an event carried, as it reads: `  (not_received, refund_only, asks 25.00)`."""
    parts = [str(event[k]) for k in ("reason", "kind", "party") if _present(event.get(k))]
    if _present(event.get("amount")) and event["amount"] >= 0:
        verb = AMOUNT_VERBS.get(event["trigger"], "amount")
        parts.append(f"{verb} {money(event['amount'])}")
    if _present(event.get("days")) and event["days"] >= 0:
        parts.append(f"+{int(event['days'])} days")
    return f"  ({', '.join(parts)})" if parts else ""


def _present(value: object) -> bool:
    """Whether a payload cell holds something (not missing, not NaN)."""
    return value is not None and value == value


def write(story: Story, out: Path) -> list[Path]:
    """The story as text and as a timeline figure."""
    from sim.files import write_atomic
    from sim.views.plots.timeline import draw

    name = f"trace_{story.point}_{story.replication}_{story.order['order_id']}"
    path = out / f"{name}.txt"
    write_atomic(path, (text(story) + "\n").encode())
    return [path, *draw(story, out, name)]
