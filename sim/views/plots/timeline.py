"""One order's states over time: a bar per state it spent time in, a mark per event."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from machine.table import STATE_NAMES
from sim.views.plots.style import GRAYS, new, save

if TYPE_CHECKING:
    from sim.views.story import Story


def draw(story: Story, out: Path, name: str) -> list[Path]:
    events = story.events
    visited = [s for s in STATE_NAMES if s in set(events["source"]) | set(events["dest"])]
    row = {state: i for i, state in enumerate(reversed(visited))}
    figure, axes = new(9.0, 0.42 * len(visited) + 1.8)
    start, state = float(story.order["created_at"]), "paid"
    for event in events.itertuples():
        if event.dest != event.source:
            axes.barh(
                row[state],
                event.time - start,
                left=start,
                height=0.55,
                color=GRAYS[2],
                edgecolor="black",
                linewidth=0.6,
            )
            start, state = event.time, event.dest
        axes.plot(event.time, row[event.source], marker="|", color=GRAYS[0], markersize=12)
        axes.annotate(
            event.trigger,
            (event.time, row[event.source] + 0.33),
            fontsize=6.5,
            rotation=30,
            ha="left",
            va="bottom",
        )
    axes.plot(start, row[state], marker="s", color=GRAYS[0])
    axes.set_yticks(list(row.values()), list(row.keys()), fontsize=8)
    axes.set_xlabel(f"day (day 0 = {story.start:%d %b %Y})")
    axes.set_title(
        f"Order {story.order['order_id']}: {story.order['truth']} -> {story.order['final_state']}"
    )
    axes.margins(x=0.08, y=0.12)
    return save(figure, out, name)
