"""The simulated world that drives the dispute machine, and the command line."""
