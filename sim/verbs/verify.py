"""`disputesim verify`: every reachable configuration of one order checked under a policy."""

from __future__ import annotations

import argparse

from sim.verbs import show


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a scenario's (or a preset's) policy; exit 1 when a property is broken."""
    from sim.api.verification import verify_policy

    found = verify_policy(
        args.scenario,
        args.preset,
        properties=args.property,
        emit_test=args.emit_test,
        mutate=args.mutate,
        seed=args.seed,
    )
    show(found, args.json)
    return 0 if found.held else 1
