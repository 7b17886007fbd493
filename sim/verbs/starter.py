"""`disputesim init`: a starter project in a folder."""

from __future__ import annotations

import argparse


def cmd_init(args: argparse.Namespace) -> int:
    """Write the starter project and say what to run next."""
    from sim.api.starter import init

    written = init(args.folder)
    for path in written:
        print(f"wrote {path}")
    print(
        "next: disputesim run baseline.toml --days 30   |   disputesim compare compare.toml"
        "   |   disputesim sweep sweep.toml --out out/sweep"
    )
    return 0
