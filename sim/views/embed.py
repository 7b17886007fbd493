"""Images inside a self-contained HTML page, as data URIs, so the page can be mailed or
archived as it is."""

from __future__ import annotations

import base64
import html
from pathlib import Path


def embedded(png: Path, title: str) -> str:
    """A PNG inside the page, in a figure block."""
    data = base64.b64encode(png.read_bytes()).decode()
    return (
        f"<div class='figure'><img alt='{html.escape(title)}' "
        f"src='data:image/png;base64,{data}'></div>"
    )
