"""How a run advances: the marketplace both engines share (`marketplace`: the next move,
firing it, finishing an order; `arrivals`; the population's counts in `tally`; the tables
kept in `books`), the default engine (`fast`) with its block paths (`plain`, the walk of
settled disputes in `settled`, the orders set aside for it in `aside`, what they hand the
world in `written`, their shared tie rules in `timetable`), the all-SimPy reference engine
(`reference`), the case team at work (`case_office`) and the clock (`clock`).

The engines import every room below them; nothing in the world but `runner` imports them.
"""
