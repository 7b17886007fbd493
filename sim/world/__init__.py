"""The simulated marketplace: behaviour parameters, drawn facts, actors and the engines.

Two engines run the same actors through the same compiled machine: `reference` keeps
every order on SimPy's event heap, `engine` (the default) keeps orders off it until
they reach the case team. Both give identical tables.
"""
