"""The explorer's responsiveness: a page of N synthetic sweep points (four levers, the
headline figures) opened in the system's headless Chromium, a slider moved `--repeat`
times; prints the page's size and the median time of one filtering (measured in the
page with performance.now(), the drawing after it apart).

Usage: python benchmarks/explorer.py [--points N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

LEVERS = (
    ("team.staff", 2.0, 12.0),
    ("team.review_median_days", 2.0, 10.0),
    ("policy.seller_response_days", 2.0, 15.0),
    ("buyers.diligent.escalates", 0.01, 0.2),
)


def synthetic(points: int, seed: int = 1) -> dict[str, Any]:
    """Explorer data for `points` design points with made-up figures: the shape
    `sim.views.explorer.build_data` gives a sweep, at any size."""
    from sim.measures.metrics import FIGURES
    from sim.views.explorer import figure_entry

    gen = np.random.Generator(np.random.PCG64(seed))
    levers = [{"key": k, "label": k.split(".")[-1], "kind": "number", "low": lo, "high": hi}
              for k, lo, hi in LEVERS]  # fmt: skip
    found = []
    for i in range(points):
        values = {k: float(f"{gen.uniform(lo, hi):.4g}") for k, lo, hi in LEVERS}
        stats = {}
        for figure in FIGURES:
            mean = float(gen.uniform(0.05, 0.9)) if figure.is_share else float(gen.uniform(0, 30))
            half = abs(mean) * 0.05
            low = max(0.0, mean - half)
            high = min(1.0, mean + half) if figure.is_share else mean + half
            stats[figure.key] = [float(f"{v:.4g}") for v in (mean, low, high)]
        found.append({"id": i, "name": f"point {i}", "levers": values, "stats": stats, "n": 5})
    return {
        "kind": "sweep", "title": f"{points:,} synthetic points", "levers": levers,
        "figures": [figure_entry(f.key) for f in FIGURES], "focus": [f.key for f in FIGURES[:6]],
        "points": found, "pareto": [], "pairs": {}, "boxes": [],
    }  # fmt: skip


def main() -> None:
    from playwright.sync_api import sync_playwright

    from sim.views.explorer import page

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    html = page(synthetic(args.points))
    from sim.tooling.browser import launch

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        path = Path(scratch) / "explorer.html"
        path.write_text(html, encoding="utf-8")
        browser = launch(playwright)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(path.as_uri())
        tab.wait_for_function("window.explorer !== undefined")
        times = []
        for k in range(args.repeat):
            share = (k % 10 + 1) / 11
            tab.evaluate(
                "(share) => { const s = document.getElementById('lever-0-high'); "
                "s.value = Number(s.min) + share * (Number(s.max) - Number(s.min)); "
                "s.dispatchEvent(new Event('input')); }",
                share,
            )
            times.append(tab.evaluate("window.explorer.lastFilterMs()"))
        browser.close()
    print(f"explorer: {args.points:,} points, page {len(html.encode()) / 1e6:.2f} MB; "
          f"filtering {statistics.median(times):.1f} ms median of {args.repeat} "
          f"(max {max(times):.1f} ms; target under 100 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
