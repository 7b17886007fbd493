"""What a run measures: the figure catalogue (every figure's definition, unit, range and
floor), computed from a run's tables, overall, by segment and in money. One definition
serves experiments, views, exports and the command line."""
