"""A house style legible in grayscale: gray levels, hatches, line styles and markers carry
the distinctions that colour would, so printed figures read the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt

GRAYS = ("#1a1a1a", "#6e6e6e", "#a8a8a8", "#d4d4d4", "#444444", "#8c8c8c")
HATCHES = ("", "///", "...", "xx", "\\\\\\", "++")
LINES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P")

plt.rcParams.update(
    {
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,  # gridlines behind bars and lines, never over them
        "grid.color": "#e6e6e6",
        "grid.linewidth": 0.8,
        "legend.frameon": False,
        "svg.fonttype": "none",
        "savefig.bbox": "tight",
    }
)


def styles(n: int) -> Iterator[dict[str, Any]]:
    """Line or bar styles for `n` series, distinct without colour."""
    for i in range(n):
        yield {
            "color": GRAYS[i % len(GRAYS)],
            "hatch": HATCHES[i % len(HATCHES)],
            "linestyle": LINES[i % len(LINES)],
            "marker": MARKERS[i % len(MARKERS)],
        }


def save(figure: Any, folder: Path, name: str) -> list[Path]:
    """Write the figure as PNG and SVG; close it."""
    from sim.files import ensure_folder, write_atomic

    ensure_folder(folder)
    written = []
    for suffix in ("png", "svg"):
        import io

        buffer = io.BytesIO()
        figure.savefig(buffer, format=suffix)
        path = folder / f"{name}.{suffix}"
        write_atomic(path, buffer.getvalue())
        written.append(path)
    plt.close(figure)
    return written


def new(width: float = 7.0, height: float = 4.2) -> tuple[Any, Any]:
    return plt.subplots(figsize=(width, height))
