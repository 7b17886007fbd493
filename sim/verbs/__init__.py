"""Commands of the command line beyond `sim.cli`'s own, each a `cmd_VERB` that turns its
arguments into one call of the API and prints what comes back (`sim.cli.main` runs them)."""
