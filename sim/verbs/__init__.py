"""Commands of the command line beyond `sim.cli`'s own, each a `cmd_VERB` that turns its
arguments into one call of the API and prints what comes back (`sim.cli.main` runs them)."""

from __future__ import annotations

import json
from typing import Any, Protocol


class Printable(Protocol):
    def lines(self) -> list[str]: ...
    def as_dict(self) -> dict[str, Any]: ...


def show(found: Printable, as_json: bool) -> None:
    """Print a result: its lines of text, or with `--json` one JSON object."""
    if as_json:
        print(json.dumps(found.as_dict()))
    else:
        for line in found.lines():
            print(line)
