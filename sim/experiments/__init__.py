"""Experiments on the world: loading scenarios and studies, replications, comparisons,
sweeps, calibration, the executors that run them and the results folders that keep them."""
