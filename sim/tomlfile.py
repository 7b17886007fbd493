"""Reading a TOML input file: every way it can fail is one line naming the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sim.errors import UserError


def read_toml(path: Path, error: type[UserError] = UserError) -> dict[str, Any]:
    """The parsed file, or `error` with one line saying what is wrong with it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder (expected a TOML file)") from None
    except OSError as err:
        raise error(f"{path}: cannot read ({(err.strerror or str(err)).lower()})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(f"{path}: not a text file (expected UTF-8 TOML)") from None
    except tomllib.TOMLDecodeError as err:
        raise error(f"{path}: not valid TOML: {err}") from None
    except RecursionError:
        raise error(f"{path}: not valid TOML: arrays or tables nested too deeply") from None


def has_table(path: Path, table: str) -> bool:
    """Whether the file is readable TOML with a top-level `[table]`."""
    try:
        return table in read_toml(path)
    except UserError:
        return False
