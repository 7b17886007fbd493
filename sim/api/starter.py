"""`disputesim init`: a small project to start from, written from the files the tool ships.

The baseline, a targets file and a sweep are the shipped ones (their paths to the baseline
made local); the comparison and the notebook are the starter's own. Nothing is written
over an existing file.
"""

from __future__ import annotations

import re
from pathlib import Path

from sim.errors import UserError
from sim.files import ensure_folder, write_atomic
from sim.shipped import STARTER, shipped

_UP_TO_BASELINE = re.compile(r'^scenario = "\.\./baseline\.toml"', re.M)


def starter_files() -> dict[str, bytes]:
    """The starter project's files, by name: what `init` writes."""

    def local(relative: str) -> bytes:
        text = shipped(relative).read_text(encoding="utf-8")
        return _UP_TO_BASELINE.sub('scenario = "baseline.toml"', text).encode()

    return {
        "baseline.toml": shipped("baseline.toml").read_bytes(),
        "compare.toml": (STARTER / "compare.toml").read_bytes(),
        "sweep.toml": local("sweeps/deadlines-grid.toml"),
        "targets.toml": local("targets/aliexpress.toml"),
        "first-look.ipynb": (STARTER / "first-look.ipynb").read_bytes(),
    }


def init(folder: str | Path = ".") -> list[Path]:
    """Write the starter project into `folder` (made if missing); refuse, writing nothing,
    if any of its files is there already."""
    folder = Path(folder)
    files = starter_files()
    for name in files:
        if (folder / name).exists() or (folder / name).is_symlink():
            raise UserError(
                f"{folder / name}: already exists; init never overwrites a file (choose an "
                "empty folder, or move it away)"
            )
    ensure_folder(folder)
    written = []
    for name, data in files.items():
        write_atomic(folder / name, data)
        written.append(folder / name)
    return written
