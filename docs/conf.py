"""Sphinx configuration of the documentation site (`make docs`; built with warnings as
errors inside `make test`). Markdown through MyST, the furo theme; the reference pages
are generated from the code at every build (docs/_ext/generated.py), never written."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE / "_ext")]

project = "disputesim"
author = "the disputesim developers"
copyright = "2026, the disputesim developers"
extensions = ["myst_parser", "generated"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "examples", "figures/*.md", "machine.mmd"]
html_theme = "furo"
html_title = "disputesim"
html_static_path: list[str] = []
