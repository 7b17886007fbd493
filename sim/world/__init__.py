"""The simulated marketplace: a scenario in, `run(scenario, seed)`, the run's tables out.

At the top sit the world's input and its one entry: `scenario` (everything one world needs,
from `params`, `market`, `window` and the rooms' parameters), `seeds` and `runner`
(`run`). Below them, four rooms, each importing only the rooms before it:

- `records`: what a run keeps (the event log, the orders table, the run's result, the
  ground truth of an order, the memory it needs);
- `population`: who the sellers and buyers are, what they are counted for, their feedback
  and standing, and how they learn, adapt, enter and leave;
- `behaviour`: the profiles of sellers, buyers and the case team, the facts drawn for each
  order, and the actors' decisions (what each actor does next, and when);
- `engines`: the marketplace both engines share (arrivals, the next move, firing,
  finishing), the fast engine with its block paths (the plain path, the walk of settled
  disputes), the reference engine, the case team at work, the clock.

The rooms' parameter modules (`behaviour.profiles`, `behaviour.team`, `behaviour.fitted`,
`population.settings`, `population.adaptation`) are the scenario's parts: they import only
`params`, so that the scenario can hold them while every other module reads the scenario.
`tests/test_layout.py` keeps the direction.
"""
