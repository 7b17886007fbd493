"""Experiments on the world: scenarios, single runs, replications, comparisons, sweeps,
the executors that run them and the results folders that keep them."""
