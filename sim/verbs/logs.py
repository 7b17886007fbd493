"""`disputesim fit` and `disputesim fidelity`: a platform's log made into a scenario, and a
simulated world held against that log."""

from __future__ import annotations

import argparse

from sim.verbs import show


def cmd_fit(args: argparse.Namespace) -> int:
    """Fit a scenario from a platform's event log (XES, OCEL 2.0, CSV, Parquet)."""
    from sim.api.fitting import fit

    found = fit(
        args.log,
        args.out,
        mapping=args.mapping,
        scenario=args.scenario,
        preset=args.preset,
        bootstrap=args.bootstrap,
        seed=args.seed,
        timing=args.timing,
    )
    show(found, args.json)
    return 0


def cmd_fidelity(args: argparse.Namespace) -> int:
    """Hold a fitted world's runs against the log it was fitted from."""
    from sim.api.fitting import fidelity

    found = fidelity(
        args.log,
        args.run,
        mapping=args.mapping,
        point=args.point,
        splits=args.splits,
        seed=args.seed,
    )
    show(found, args.json)
    return 0
